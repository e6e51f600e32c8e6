import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OAuthProviderService, type OAuthHttpResult } from './oauth-provider.service.js';

function send(res: Response, result: OAuthHttpResult): void {
  res.status(result.status).set(result.headers).json(result.body);
}

/**
 * The machine half: token, revocation, userinfo and the RFC 8414 metadata.
 * Not in the GPT's OpenAPI document: the GPT reaches these through its OAuth
 * settings, not as operations it may call.
 */
@ApiExcludeController()
@Controller()
export class OAuth2Controller {
  constructor(private readonly provider: OAuthProviderService) {}

  @Post('api/oauth2/token')
  async token(@Req() req: Request, @Res() res: Response): Promise<void> {
    send(res, await this.provider.token(req));
  }

  @Post('api/oauth2/revoke')
  async revoke(@Req() req: Request, @Res() res: Response): Promise<void> {
    send(res, await this.provider.revoke(req));
  }

  @Get('api/oauth2/userinfo')
  async userinfo(@Req() req: Request, @Res() res: Response): Promise<void> {
    send(res, await this.provider.userinfo(req));
  }

  @Get('.well-known/oauth-authorization-server')
  metadata(@Res() res: Response): void {
    res.set('Cache-Control', 'public, max-age=300').json(this.provider.metadata());
  }
}
