import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AppRequest } from '../common/request-context.js';
import type { AuthenticatedUser } from './authenticated-user.js';

/** The caller the OAuthGuard proved, typed, instead of reaching into the request. */
export const Auth = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedUser => {
  const user = context.switchToHttp().getRequest<AppRequest>().context.user;
  if (!user) throw new Error('@Auth() used on a route without @ProtectedOperation()');
  return user;
});
