import { plainToInstance } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, MinLength, validateSync } from 'class-validator';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './oauth-users.service.js';

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

/**
 * The parameters of an authorization request (RFC 6749 4.1.1, RFC 7636 4.3).
 * Decorators run bottom-up and only the first failure per field is kept, so
 * the most basic check of each field (present, a string) sits at the bottom.
 */
export class AuthorizeParams {
  @MaxLength(255, { message: 'client_id is too long' })
  @IsString({ message: 'client_id is missing: the request must name the client (the GPT) asking for access' })
  client_id: string;

  @MaxLength(2048, { message: 'redirect_uri is too long' })
  @IsString({ message: 'redirect_uri is missing: the request must say where to send the user back' })
  redirect_uri: string;

  @IsString({ message: 'response_type is missing: it must be "code"' })
  response_type: string;

  @IsOptional()
  @Matches(/^[\x20-\x7e]*$/, { message: 'state may only contain printable ASCII characters' })
  @MaxLength(2048, { message: 'state is too long (at most 2048 characters)' })
  @IsString({ message: 'state must be a single text value' })
  state?: string;

  @IsOptional()
  @MaxLength(2048, { message: 'scope is too long' })
  @IsString({ message: 'scope must be a single text value' })
  scope?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9._~-]{43,128}$/, {
    message: 'code_challenge must be 43 to 128 characters of A-Z, a-z, 0-9, ".", "_", "~" or "-" (RFC 7636)',
  })
  @IsString({ message: 'code_challenge must be a single text value' })
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

  @MaxLength(320, { message: 'The email address is too long.' })
  @IsNotEmpty({ message: 'Enter your email address.' })
  @IsString({ message: 'Enter your email address.' })
  email: string;

  @MaxLength(MAX_PASSWORD_LENGTH, { message: `The password is too long (at most ${MAX_PASSWORD_LENGTH} characters).` })
  @IsNotEmpty({ message: 'Enter your password.' })
  @IsString({ message: 'Enter your password.' })
  password: string;

  @IsOptional()
  @MaxLength(200, { message: 'The name is too long (at most 200 characters).' })
  @IsString({ message: 'The name must be text.' })
  name?: string;
}

/** What sign-up additionally demands of a new account. */
export class SignUpCredentials {
  @IsEmail({}, { message: 'Enter a valid email address, like name@example.com.' })
  email: string;

  @MinLength(MIN_PASSWORD_LENGTH, { message: `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.` })
  @IsString()
  password: string;
}
