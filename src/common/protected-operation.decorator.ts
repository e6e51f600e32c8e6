import { applyDecorators, SetMetadata, UseGuards, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtension,
  ApiInternalServerErrorResponse,
  ApiOAuth2,
  ApiOperation,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { OAuthGuard } from '../auth/oauth.guard.js';
import { LoggingInterceptor } from '../call-log/logging.interceptor.js';
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
    ApiBadRequestResponse({ description: 'The request is invalid; `error` names the field.', type: ErrorResponseDto }),
    ApiUnauthorizedResponse({ description: 'Missing, invalid or expired access token.', type: ErrorResponseDto }),
    ApiTooManyRequestsResponse({ description: 'The free API call quota is used up.', type: ErrorResponseDto }),
    ApiInternalServerErrorResponse({ description: 'Server or identity provider failure.', type: ErrorResponseDto }),
  );
}
