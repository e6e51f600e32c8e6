import { BadRequestException, ConflictException, HttpException, NotFoundException } from '@nestjs/common';
import {
  InvalidOAuthClientError,
  OAuthClientExistsError,
  OAuthClientNotFoundError,
} from '../oauth-provider/oauth-clients.service.js';

/** The client registry's errors as the HTTP answers an operator can act on; anything else is rethrown. */
export function clientError(error: unknown): HttpException | unknown {
  if (error instanceof InvalidOAuthClientError) return new BadRequestException({ error: error.message, field: error.field });
  if (error instanceof OAuthClientExistsError) return new ConflictException(error.message);
  if (error instanceof OAuthClientNotFoundError) return new NotFoundException(error.message);
  return error;
}
