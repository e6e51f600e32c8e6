import type { AuthorizeParams } from './oauth.dto.js';
import { MIN_PASSWORD_LENGTH } from './oauth-users.service.js';

/** Everything rendered goes through here: text and attribute values alike. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1a1a1a; }
  main { max-width: 26rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
  h1 { font-size: 1.4rem; margin-top: 0; }
  h2 { font-size: 1.1rem; margin-top: 2rem; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input[type=email], input[type=password], input[type=text] { box-sizing: border-box; width: 100%; padding: .6rem; margin-top: .25rem; border: 1px solid #767676; border-radius: 4px; font: inherit; }
  input:focus, button:focus { outline: 3px solid #1a5fb4; outline-offset: 2px; }
  button { margin-top: 1.5rem; width: 100%; padding: .7rem; border: 0; border-radius: 4px; background: #1a5fb4; color: #fff; font: inherit; font-weight: 600; cursor: pointer; }
  .error { padding: .75rem; border-left: 4px solid #b00020; background: #fdecee; color: #6d0012; }
  .hint { color: #555; font-size: .9rem; }
  details { margin-top: 2rem; }
  summary { cursor: pointer; font-weight: 600; }
`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface SignInPageInput {
  /** Absolute URL of POST /api/oauth2/authorize, from PUBLIC_URL. */
  actionUrl: string;
  clientName: string;
  params: AuthorizeParams;
  allowSignup: boolean;
  /** Which form the error (and the remembered email) belongs to. */
  form?: 'signin' | 'signup';
  error?: string;
  email?: string;
  name?: string;
}

function hiddenFields(params: AuthorizeParams): string {
  const fields: Array<[string, string | undefined]> = [
    ['response_type', params.response_type],
    ['client_id', params.client_id],
    ['redirect_uri', params.redirect_uri],
    ['state', params.state],
    ['scope', params.scope],
    ['code_challenge', params.code_challenge],
    ['code_challenge_method', params.code_challenge_method],
  ];
  return fields
    .filter((field): field is [string, string] => field[1] !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
}

function errorBlock(id: string, message: string | undefined): string {
  return message ? `<p class="error" id="${id}" role="alert">${escapeHtml(message)}</p>` : '';
}

/** The sign-in page a GPT sends its user to; self sign-up below it when allowed. */
export function renderSignInPage(input: SignInPageInput): string {
  const form = input.form ?? 'signin';
  // Without the sign-up form, its errors (sign-up is off) show above the sign-in form.
  const signinError = form === 'signin' || !input.allowSignup ? input.error : undefined;
  const signupError = form === 'signup' && input.allowSignup ? input.error : undefined;
  const describedBy = (id: string, message: string | undefined) => (message ? ` aria-describedby="${id}" aria-invalid="true"` : '');
  const email = escapeHtml(input.email ?? '');
  const client = escapeHtml(input.clientName);

  const signin = `
<h1>Sign in to continue to ${client}</h1>
<p class="hint">${client} asks to use your account on this service. Sign in to allow it.</p>
${errorBlock('signin-error', signinError)}
<form method="post" action="${escapeHtml(input.actionUrl)}">
${hiddenFields(input.params)}
<input type="hidden" name="intent" value="signin">
<label for="signin-email">Email</label>
<input id="signin-email" type="email" name="email" autocomplete="username" required value="${form === 'signin' ? email : ''}"${describedBy('signin-error', signinError)}>
<label for="signin-password">Password</label>
<input id="signin-password" type="password" name="password" autocomplete="current-password" required${describedBy('signin-error', signinError)}>
<button type="submit">Sign in and allow</button>
</form>`;

  const signup = !input.allowSignup
    ? ''
    : `
<details${form === 'signup' ? ' open' : ''}>
<summary>No account yet? Create one</summary>
<h2 id="signup-heading">Create an account</h2>
${errorBlock('signup-error', signupError)}
<form method="post" action="${escapeHtml(input.actionUrl)}" aria-labelledby="signup-heading">
${hiddenFields(input.params)}
<input type="hidden" name="intent" value="signup">
<label for="signup-name">Name <span class="hint">(optional)</span></label>
<input id="signup-name" type="text" name="name" autocomplete="name" maxlength="200" value="${form === 'signup' ? escapeHtml(input.name ?? '') : ''}">
<label for="signup-email">Email</label>
<input id="signup-email" type="email" name="email" autocomplete="email" required value="${form === 'signup' ? email : ''}"${describedBy('signup-error', signupError)}>
<label for="signup-password">Password</label>
<input id="signup-password" type="password" name="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required aria-describedby="signup-password-hint">
<p class="hint" id="signup-password-hint">At least ${MIN_PASSWORD_LENGTH} characters.</p>
<button type="submit">Create account and allow</button>
</form>
</details>`;

  return page(`Sign in – ${input.clientName}`, signin + signup);
}

/** A request that cannot be honoured safely: shown to the user, never redirected. */
export function renderErrorPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p class="error" role="alert">${escapeHtml(message)}</p>\n<p class="hint">Go back to the app that sent you here and try again, or tell its owner.</p>`);
}
