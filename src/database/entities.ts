import { ApiCallLogEntity } from '../call-log/api-call-log.entity.js';
import { ApiCallCountEntity } from '../quota/api-call-count.entity.js';
import { TodoEntity } from '../todos/todo.entity.js';

/** Every entity, listed once: the app, the CLI data source and the tests share it. */
export const ENTITIES = [TodoEntity, ApiCallCountEntity, ApiCallLogEntity];
