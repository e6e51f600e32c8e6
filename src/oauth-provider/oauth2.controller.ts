import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OAuthProviderService, type OAuthHttpResult } from './oauth-provider.service.js';

function send(res: Response, result: OAuthHttpResult): void {
  res.status(result.status).set(result.headers).json(result.body);
}

/** The machine half: token, revocation, userinfo and the RFC 8414 metadata. */
@ApiTags('oauth2')
@Controller()
export class OAuth2Controller {
  constructor(private readonly provider: OAuthProviderService) {}

  @Post('api/oauth2/token')
  @ApiExcludeEndpoint()
  async token(@Req() req: Request, @Res() res: Response): Promise<void> {
    send(res, await this.provider.token(req));
  }

  @Post('api/oauth2/revoke')
  @ApiExcludeEndpoint()
  async revoke(@Req() req: Request, @Res() res: Response): Promise<void> {
    send(res, await this.provider.revoke(req));
  }

  @Get('api/oauth2/userinfo')
  @ApiExcludeEndpoint()
  async userinfo(@Req() req: Request, @Res() res: Response): Promise<void> {
    send(res, await this.provider.userinfo(req));
  }

  @Get('.well-known/oauth-authorization-server')
  @ApiExcludeEndpoint()
  metadata(@Res() res: Response): void {
    res.set('Cache-Control', 'public, max-age=300').json(this.provider.metadata());
  }
}
