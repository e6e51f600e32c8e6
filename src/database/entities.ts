import { ApiCallLogEntity } from '../call-log/api-call-log.entity.js';
import { OAuthAuthorizationCodeEntity } from '../oauth-provider/oauth-authorization-code.entity.js';
import { OAuthClientEntity } from '../oauth-provider/oauth-client.entity.js';
import { OAuthTokenEntity } from '../oauth-provider/oauth-token.entity.js';
import { OAuthUserEntity } from '../oauth-provider/oauth-user.entity.js';
import { ApiCallCountEntity } from '../quota/api-call-count.entity.js';
import { TodoEntity } from '../todos/todo.entity.js';

/** Every entity, listed once: the app, the CLI data source and the tests share it. */
export const ENTITIES = [
  TodoEntity,
  ApiCallCountEntity,
  ApiCallLogEntity,
  OAuthClientEntity,
  OAuthUserEntity,
  OAuthAuthorizationCodeEntity,
  OAuthTokenEntity,
];
