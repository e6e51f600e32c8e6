import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config.js';
import { parseDto, SignInForm } from './oauth.dto.js';
import { OAuthProviderService } from './oauth-provider.service.js';
import { renderErrorPage, renderSignInPage } from './sign-in-page.js';

/** The sign-in page is a credentials form: never cached, never framed, no referrer leaking the query. */
function sendHtml(res: Response, status: number, html: string): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    })
    .send(html);
}

/** The browser half of the authorization code flow (RFC 6749 4.1.1 and 4.1.2). */
@ApiExcludeController()
@Controller('api/oauth2/authorize')
export class AuthorizeController {
  private readonly actionUrl: string;

  constructor(
    config: AppConfig,
    private readonly provider: OAuthProviderService,
  ) {
    this.actionUrl = `${config.publicUrl}/api/oauth2/authorize`;
  }

  @Get()
  async page(@Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const check = await this.provider.checkAuthorizeRequest(query);
    if (!check.ok) return sendHtml(res, 400, renderErrorPage(check.title, check.message));
    sendHtml(res, 200, renderSignInPage({ actionUrl: this.actionUrl, clientName: check.client.name || check.client.clientId, params: check.params, allowSignup: this.provider.allowSignup }));
  }

  @Post()
  async submit(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const check = await this.provider.checkAuthorizeRequest(body);
    if (!check.ok) return sendHtml(res, 400, renderErrorPage(check.title, check.message));
    const page = (status: number, form: 'signin' | 'signup', error: string, email?: string, name?: string) =>
      sendHtml(
        res,
        status,
        renderSignInPage({
          actionUrl: this.actionUrl,
          clientName: check.client.name || check.client.clientId,
          params: check.params,
          allowSignup: this.provider.allowSignup,
          form,
          error,
          email,
          name,
        }),
      );
    const form = parseDto(SignInForm, body);
    if ('error' in form) {
      const intent = body.intent === 'signup' ? 'signup' : 'signin';
      return page(400, intent, form.error, typeof body.email === 'string' ? body.email : undefined);
    }
    const outcome = await this.provider.signIn({ ...form.value, ...check.params }, req);
    if (outcome.kind === 'form') return page(outcome.status, outcome.form, outcome.error, outcome.email, outcome.name);
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).redirect(302, outcome.location);
  }
}
