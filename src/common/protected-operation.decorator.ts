import { applyDecorators, SetMetadata, UseGuards, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtension,
  ApiInternalServerErrorResponse,
  ApiNotFoundResponse,
  ApiOAuth2,
  ApiOperation,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { OAuthGuard } from '../auth/oauth.guard.js';
import { LoggingInterceptor } from '../call-log/logging.interceptor.js';
import { QUOTA_EXCEEDED_MESSAGE } from '../quota/quota-exceeded.exception.js';
import { QuotaInterceptor } from '../quota/quota.interceptor.js';
import { ErrorResponseDto } from './error-response.dto.js';

export const PROTECTED_OPERATION = 'gpt:protected-operation';
export const OAUTH2_SECURITY_SCHEME = 'oauth2';

export interface ProtectedOperationOptions {
  /** Unique, descriptive: the GPT picks operations by it. */
  operationId: string;
  /** Under 300 characters, written for a model choosing a tool. */
  summary: string;
  description?: string;
  /** true makes ChatGPT ask the user before calling (deletes); false for reads and creates. */
  consequential: boolean;
  /** Set on operations that take a todo id: documents the 404 a caller gets for an id that is not theirs. */
  notFound?: string;
}

/**
 * Everything a GPT-callable operation needs, in one place: the OAuthGuard, then
 * the LoggingInterceptor around the QuotaInterceptor (so the log row sees the
 * charged count), and the OpenAPI annotations the GPT editor reads.
 */
export function ProtectedOperation(options: ProtectedOperationOptions): MethodDecorator {
  return applyDecorators(
    SetMetadata(PROTECTED_OPERATION, true),
    UseGuards(OAuthGuard),
    UseInterceptors(LoggingInterceptor, QuotaInterceptor),
    ApiOAuth2([], OAUTH2_SECURITY_SCHEME),
    ApiOperation({ operationId: options.operationId, summary: options.summary, description: options.description }),
    ApiExtension('x-openai-isConsequential', options.consequential),
    ApiBadRequestResponse({
      description: 'The request is invalid; `error` names the field, so the call can be corrected and retried.',
      type: ErrorResponseDto,
      example: {
        error: 'title: title must be a string',
        field: 'title',
        details: [{ field: 'title', messages: ['title must be a string'] }],
      },
    }),
    ApiUnauthorizedResponse({
      description: 'Missing, invalid or expired access token: sign in again.',
      type: ErrorResponseDto,
      example: { error: 'Invalid or expired access token' },
    }),
    ApiTooManyRequestsResponse({
      description: 'The free API call quota is used up; further calls will fail the same way.',
      type: ErrorResponseDto,
      example: { error: QUOTA_EXCEEDED_MESSAGE, limit: 100 },
    }),
    ApiInternalServerErrorResponse({
      description: 'Server or identity provider failure; try again later.',
      type: ErrorResponseDto,
      example: { error: 'Could not validate the access token: the identity provider is unavailable' },
    }),
    ...(options.notFound === undefined
      ? []
      : [
          ApiNotFoundResponse({
            description: options.notFound,
            type: ErrorResponseDto,
            example: { error: 'Todo 3f2b8c1e-8a4d-4d7e-9c31-2f5a1b6c7d8e not found', field: 'id' },
          }),
        ]),
  );
}
