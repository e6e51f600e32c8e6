import { plainToInstance } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, validateSync } from 'class-validator';
import { MAX_PASSWORD_LENGTH } from './oauth-users.service.js';

/** Turns an empty form field into "absent": the sign-in form re-posts every parameter, empty or not. */
function blankToUndefined(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
}

/**
 * Validates against a DTO class and keeps only its fields. Unknown fields are
 * dropped, not refused: OAuth clients add parameters of their own (RFC 6749
 * section 3.1: "The authorization server MUST ignore unrecognized request parameters").
 */
export function parseDto<T extends object>(type: new () => T, raw: unknown): { value: T } | { error: string } {
  const source = raw !== null && typeof raw === 'object' ? blankToUndefined(raw as Record<string, unknown>) : {};
  const value = plainToInstance(type, source, { excludeExtraneousValues: false });
  const errors = validateSync(value, { whitelist: true, forbidUnknownValues: false, stopAtFirstError: true });
  if (errors.length > 0) {
    const first = errors[0];
    return { error: Object.values(first.constraints ?? {})[0] ?? `${first.property} is invalid` };
  }
  return { value };
}

/** The parameters of an authorization request (RFC 6749 4.1.1, RFC 7636 4.3). */
export class AuthorizeParams {
  @IsString({ message: 'client_id is missing: the request must name the client (the GPT) asking for access' })
  @MaxLength(255, { message: 'client_id is too long' })
  client_id: string;

  @IsString({ message: 'redirect_uri is missing: the request must say where to send the user back' })
  @MaxLength(2048, { message: 'redirect_uri is too long' })
  redirect_uri: string;

  @IsString({ message: 'response_type is missing: it must be "code"' })
  response_type: string;

  @IsOptional()
  @IsString({ message: 'state must be a single text value' })
  @MaxLength(2048, { message: 'state is too long (at most 2048 characters)' })
  @Matches(/^[\x20-\x7e]*$/, { message: 'state may only contain printable ASCII characters' })
  state?: string;

  @IsOptional()
  @IsString({ message: 'scope must be a single text value' })
  @MaxLength(2048, { message: 'scope is too long' })
  scope?: string;

  @IsOptional()
  @IsString({ message: 'code_challenge must be a single text value' })
  @Matches(/^[A-Za-z0-9._~-]{43,128}$/, {
    message: 'code_challenge must be 43 to 128 characters of A-Z, a-z, 0-9, ".", "_", "~" or "-" (RFC 7636)',
  })
  code_challenge?: string;

  @IsOptional()
  @IsIn(['S256'], { message: 'code_challenge_method must be "S256" (plain is not accepted)' })
  code_challenge_method?: string;
}

/** The sign-in (or sign-up) form: the authorization request's parameters plus the credentials. */
export class SignInForm extends AuthorizeParams {
  @IsOptional()
  @IsIn(['signin', 'signup'], { message: 'intent must be signin or signup' })
  intent?: 'signin' | 'signup';

  @IsString({ message: 'Enter your email address.' })
  @IsNotEmpty({ message: 'Enter your email address.' })
  @MaxLength(320, { message: 'The email address is too long.' })
  email: string;

  @IsString({ message: 'Enter your password.' })
  @IsNotEmpty({ message: 'Enter your password.' })
  @MaxLength(MAX_PASSWORD_LENGTH, { message: `The password is too long (at most ${MAX_PASSWORD_LENGTH} characters).` })
  password: string;

  @IsOptional()
  @IsString({ message: 'The name must be text.' })
  @MaxLength(200, { message: 'The name is too long (at most 200 characters).' })
  name?: string;
}

/** What sign-up additionally demands of a new account. */
export class SignUpCredentials {
  @IsEmail({}, { message: 'Enter a valid email address, like name@example.com.' })
  email: string;

  @IsString()
  @Matches(/^.{8,}$/su, { message: 'Choose a password of at least 8 characters.' })
  password: string;
}
