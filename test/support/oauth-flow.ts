import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';

/** What ChatGPT registers as its callback; the gpt id segment varies. */
export const CHATGPT_CALLBACK = 'https://chatgpt.com/aip/g-0123456789abcdef/oauth/callback';

export interface AuthorizeRequest {
  client_id: string;
  redirect_uri: string;
  response_type?: string;
  state?: string;
  scope?: string;
  code_challenge?: string;
  code_challenge_method?: string;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function withDefaults(params: AuthorizeRequest): Record<string, string> {
  return Object.fromEntries(
    Object.entries({ response_type: 'code', ...params }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** GET /api/oauth2/authorize as the browser opened by ChatGPT does. */
export function authorizePage(baseUrl: string, params: AuthorizeRequest) {
  return request(baseUrl).get('/api/oauth2/authorize').query(withDefaults(params)).redirects(0);
}

/** The sign-in form post: the request's parameters plus the credentials. */
export function submitSignIn(baseUrl: string, params: AuthorizeRequest, credentials: Record<string, string>) {
  return request(baseUrl)
    .post('/api/oauth2/authorize')
    .type('form')
    .send({ ...withDefaults(params), ...credentials })
    .redirects(0);
}

/** Signs in and returns the code and state from the redirect. */
export async function signInForCode(
  baseUrl: string,
  params: AuthorizeRequest,
  email: string,
  password: string,
): Promise<{ code: string; state: string | null; location: URL }> {
  const res = await submitSignIn(baseUrl, params, { email, password });
  if (res.status !== 302) throw new Error(`sign-in answered ${res.status}: ${res.text.slice(0, 500)}`);
  const location = new URL(res.headers.location);
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`no code in ${location.origin}${location.pathname}`);
  return { code, state: location.searchParams.get('state'), location };
}

export interface TokenRequestOptions {
  clientId: string;
  clientSecret?: string;
  /** ChatGPT's "Default (POST request)" or "Basic authorization header". */
  auth: 'body' | 'basic';
  /** Form-encoded (what ChatGPT sends) or JSON. */
  encoding?: 'form' | 'json';
}

/** POST /api/oauth2/token with the client authenticating as chosen. */
export function tokenRequest(baseUrl: string, params: Record<string, string>, options: TokenRequestOptions) {
  const body: Record<string, string> = { ...params };
  let req = request(baseUrl).post('/api/oauth2/token');
  if (options.auth === 'basic') {
    req = req.set('Authorization', `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret ?? ''}`).toString('base64')}`);
  } else {
    body.client_id = options.clientId;
    if (options.clientSecret !== undefined) body.client_secret = options.clientSecret;
  }
  return options.encoding === 'json' ? req.send(body) : req.type('form').send(body);
}
