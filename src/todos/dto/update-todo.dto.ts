import { PartialType } from '@nestjs/swagger';
import { CreateTodoDto } from './create-todo.dto.js';

/** Any of title, description, status; the same rules as on create. */
export class UpdateTodoDto extends PartialType(CreateTodoDto) {}
