import { Injectable, Logger } from '@nestjs/common';
import OAuth2Server from '@node-oauth/oauth2-server';
import type { Request } from 'express';
import { AppConfig } from '../config/app-config.js';
import { AuthorizeParams, parseDto, SignInForm, SignUpCredentials } from './oauth.dto.js';
import { OAuthClientsService, type OAuthClientView } from './oauth-clients.service.js';
import { clientCredentials, normalizeScope, oauthBody } from './oauth-http.js';
import { OAuth2Model } from './oauth2.model.js';
import { OAuthUserExistsError, OAuthUsersService, type OAuthUserView } from './oauth-users.service.js';
import { SignInThrottle } from './sign-in-throttle.js';

const { InvalidClientError, InvalidRequestError, OAuthError, Request: OAuthRequest, Response: OAuthResponse, ServerError } = OAuth2Server;

/** RFC 6749 10.5: "short lifetime ... maximum of 10 minutes". */
export const AUTHORIZATION_CODE_TTL_SECONDS = 600;

/** A response the controller sends as is. */
export interface OAuthHttpResult {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type AuthorizeCheck =
  | { ok: true; params: AuthorizeParams; client: OAuthClientView }
  | { ok: false; title: string; message: string };

export type SignInOutcome =
  | { kind: 'redirect'; location: string }
  | { kind: 'form'; status: number; form: 'signin' | 'signup'; error: string; email?: string; name?: string };

/**
 * The authorization server: the protocol itself is @node-oauth/oauth2-server
 * (code issuance, both grants, PKCE, client authentication); this service
 * feeds it checked input and turns its answers into HTTP responses.
 */
@Injectable()
export class OAuthProviderService {
  private readonly logger = new Logger('OAuthProvider');
  private readonly server: OAuth2Server;

  constructor(
    private readonly config: AppConfig,
    private readonly model: OAuth2Model,
    private readonly clients: OAuthClientsService,
    private readonly users: OAuthUsersService,
    private readonly throttle: SignInThrottle,
  ) {
    this.server = new OAuth2Server({
      model,
      accessTokenLifetime: config.accessTokenTtlSeconds,
      refreshTokenLifetime: config.refreshTokenTtlSeconds,
      authorizationCodeLifetime: AUTHORIZATION_CODE_TTL_SECONDS,
      alwaysIssueNewRefreshToken: true,
      allowEmptyState: true,
      allowBearerTokensInQueryString: false,
    });
  }

  get allowSignup(): boolean {
    return this.config.allowSignup;
  }

  /**
   * Everything that must hold before a sign-in page is shown or a code
   * issued. A failure here is shown to the user: with an unknown client or an
   * unregistered redirect URI there is nowhere safe to send them.
   */
  async checkAuthorizeRequest(raw: unknown): Promise<AuthorizeCheck> {
    const parsed = parseDto(AuthorizeParams, raw);
    if ('error' in parsed) return { ok: false, title: 'Invalid sign-in request', message: parsed.error };
    const params = parsed.value;
    const client = await this.clients.get(params.client_id);
    if (!client) {
      return { ok: false, title: 'Unknown application', message: `No application is registered with client_id "${params.client_id}".` };
    }
    if (!this.model.redirectAllowed(client, params.redirect_uri)) {
      return {
        ok: false,
        title: 'Unregistered redirect address',
        message: `The redirect_uri "${params.redirect_uri}" is not registered for client "${params.client_id}".`,
      };
    }
    if (params.response_type !== 'code') {
      return {
        ok: false,
        title: 'Unsupported response type',
        message: `response_type "${params.response_type}" is not supported: only "code" (the authorization code flow) is.`,
      };
    }
    params.scope = normalizeScope(params.scope);
    return { ok: true, params, client };
  }

  /** Checks the credentials (or creates the account) and, when they are right, issues a code. */
  async signIn(form: SignInForm, req: Request): Promise<SignInOutcome> {
    const intent = form.intent ?? 'signin';
    if (intent === 'signup') return this.signUp(form, req);

    const admission = this.throttle.admit(form.email);
    if (!admission.admitted) {
      const minutes = Math.ceil(admission.retryAfterSeconds / 60);
      return {
        kind: 'form',
        status: 429,
        form: 'signin',
        email: form.email,
        error: `Too many wrong passwords for this email. For your security, sign-in is paused: try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      };
    }
    let user: OAuthUserView | null = null;
    try {
      user = await this.users.verifyCredentials(form.email, form.password);
    } finally {
      admission.release(user !== null);
    }
    if (!user) {
      return { kind: 'form', status: 401, form: 'signin', email: form.email, error: 'Wrong email or password.' };
    }
    return { kind: 'redirect', location: await this.issueCode(form, user, req) };
  }

  private async signUp(form: SignInForm, req: Request): Promise<SignInOutcome> {
    const refused = (error: string, status = 400): SignInOutcome => ({ kind: 'form', status, form: 'signup', error, email: form.email, name: form.name });
    if (!this.config.allowSignup) return refused('Sign-up is turned off on this service: ask its operator for an account.', 403);
    const checked = parseDto(SignUpCredentials, { email: form.email.trim(), password: form.password });
    if ('error' in checked) return refused(checked.error);
    let user: OAuthUserView;
    try {
      user = await this.users.create({ email: form.email, password: form.password, name: form.name });
    } catch (error) {
      if (error instanceof OAuthUserExistsError) return refused(error.message, 409);
      throw error;
    }
    this.logger.log(`New account signed up through client ${form.client_id}`);
    return { kind: 'redirect', location: await this.issueCode(form, user, req) };
  }

  /** The library issues and stores the code; the redirect it builds carries `code` and the unchanged `state`. */
  private async issueCode(params: AuthorizeParams, user: OAuthUserView, req: Request): Promise<string> {
    const body: Record<string, string> = {
      response_type: params.response_type,
      client_id: params.client_id,
      redirect_uri: params.redirect_uri,
      ...(params.state !== undefined && { state: params.state }),
      ...(params.scope !== undefined && { scope: params.scope }),
      ...(params.code_challenge !== undefined && {
        code_challenge: params.code_challenge,
        code_challenge_method: params.code_challenge_method ?? 'S256',
      }),
    };
    const request = new OAuthRequest({ headers: {}, method: 'POST', query: {}, body });
    const response = new OAuthResponse({});
    await this.server.authorize(request, response, { authenticateHandler: { handle: () => ({ id: user.id }) } });
    const location = response.get('location');
    if (!location) throw new Error('The authorization server issued a code but no redirect');
    return location;
  }

  /** POST /api/oauth2/token: both grants, client authentication by body or HTTP Basic. */
  async token(req: Request): Promise<OAuthHttpResult> {
    const response = new OAuthResponse({});
    try {
      await this.server.token(this.tokenRequest(req), response);
    } catch (error) {
      return this.oauthError(error);
    }
    return { status: 200, headers: { ...response.headers, 'cache-control': 'no-store', pragma: 'no-cache' }, body: response.body };
  }

  private tokenRequest(req: Request): OAuth2Server.Request {
    const body = oauthBody(req.body);
    // A refreshed token keeps the scope it was granted; a scope sent along is ignored, never an error.
    if (body.grant_type === 'refresh_token') delete body.scope;
    return new OAuthRequest({
      // JSON is accepted too: the library insists on the form content type, which the parsed body now matches.
      headers: { ...libraryHeaders(req), 'content-type': 'application/x-www-form-urlencoded' },
      method: 'POST',
      query: {},
      body,
    });
  }

  /** POST /api/oauth2/revoke (RFC 7009): 200 whether or not the token was live. */
  async revoke(req: Request): Promise<OAuthHttpResult> {
    let body: Record<string, string>;
    try {
      body = oauthBody(req.body);
    } catch (error) {
      return this.oauthError(error);
    }
    const { clientId, clientSecret } = clientCredentials(req, body);
    const client = clientId && clientSecret ? await this.clients.authenticateRequest(clientId, clientSecret) : null;
    if (!client) return this.oauthError(new InvalidClientError('Invalid client: client authentication failed'));
    if (!body.token) return this.oauthError(new InvalidRequestError('Missing parameter: `token`'));
    await this.model.revokeByToken(body.token, client.clientId, body.token_type_hint);
    return { status: 200, headers: { 'cache-control': 'no-store' }, body: {} };
  }

  /** GET /api/oauth2/userinfo: who the access token speaks for, in the fields the guard reads. */
  async userinfo(req: Request): Promise<OAuthHttpResult> {
    const request = new OAuthRequest({ headers: libraryHeaders(req), method: 'GET', query: {}, body: {} });
    const response = new OAuthResponse({});
    let token: OAuth2Server.Token;
    try {
      token = await this.server.authenticate(request, response);
    } catch (error) {
      if (error instanceof ServerError || !(error instanceof OAuthError)) return this.oauthError(error);
      return {
        status: 401,
        headers: { 'www-authenticate': response.get('www-authenticate') ?? 'Bearer', 'cache-control': 'no-store' },
        body: { error: 'invalid_token', error_description: (error as Error).message },
      };
    }
    const user = await this.model.userForAccessToken(token);
    if (!user) {
      return {
        status: 401,
        headers: { 'www-authenticate': 'Bearer error="invalid_token"', 'cache-control': 'no-store' },
        body: { error: 'invalid_token', error_description: 'The account this token was issued for no longer exists' },
      };
    }
    return {
      status: 200,
      headers: { 'cache-control': 'no-store' },
      body: { id: user.id, cid: token.client.id, sub: user.id, email: user.email, name: user.name || user.email },
    };
  }

  /** RFC 8414 authorization server metadata, every URL from PUBLIC_URL. */
  metadata(): Record<string, unknown> {
    const base = this.config.publicUrl;
    return {
      issuer: base,
      authorization_endpoint: `${base}/api/oauth2/authorize`,
      token_endpoint: `${base}/api/oauth2/token`,
      userinfo_endpoint: `${base}/api/oauth2/userinfo`,
      revocation_endpoint: `${base}/api/oauth2/revoke`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      revocation_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      code_challenge_methods_supported: ['S256'],
    };
  }

  /** RFC 6749 5.2 error bodies. invalid_client is always 401 with a Basic challenge, as ChatGPT may use either method. */
  private oauthError(error: unknown): OAuthHttpResult {
    const headers: Record<string, string> = { 'cache-control': 'no-store', pragma: 'no-cache' };
    if (!(error instanceof OAuthError) || error instanceof ServerError) {
      const inner = error instanceof ServerError ? ((error as { inner?: Error }).inner ?? error) : error;
      this.logger.error(inner instanceof Error ? (inner.stack ?? inner.message) : String(inner));
      return { status: 500, headers, body: { error: 'server_error', error_description: 'The authorization server failed; try again' } };
    }
    if (error instanceof InvalidClientError) {
      headers['www-authenticate'] = 'Basic realm="oauth2", charset="UTF-8"';
      return { status: 401, headers, body: { error: 'invalid_client', error_description: error.message } };
    }
    return { status: error.code, headers, body: { error: error.name, error_description: error.message } };
  }
}

/** The few headers the library reads (credentials, and whether there is a body), as plain strings. */
function libraryHeaders(req: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ['authorization', 'content-length', 'transfer-encoding']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}
