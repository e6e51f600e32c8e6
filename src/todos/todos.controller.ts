import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorator.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { ProtectedOperation } from '../common/protected-operation.decorator.js';
import { TodoIdPipe } from './todo-id.pipe.js';
import { CreateTodoDto } from './dto/create-todo.dto.js';
import { ListTodosQuery } from './dto/list-todos.query.js';
import { TodoDto, TodoListDto } from './dto/todo.dto.js';
import { UpdateTodoDto } from './dto/update-todo.dto.js';
import { TodosService } from './todos.service.js';

const TODO_ID = ApiParam({ name: 'id', description: 'The id of one of your todos, as returned by createTodo or listTodos.', format: 'uuid' });
const NOT_FOUND = 'No todo of yours has this id (it never existed, was deleted, or belongs to someone else).';

@ApiTags('todos')
@Controller('api')
export class TodosController {
  constructor(private readonly todos: TodosService) {}

  @Post('todo-demo')
  @HttpCode(HttpStatus.OK)
  @ProtectedOperation({
    operationId: 'createTodoDemo',
    summary: 'Create a todo for the signed-in user (demo endpoint; same as createTodo but answers 200).',
    consequential: false,
  })
  @ApiOkResponse({ type: TodoDto, description: 'The created todo.' })
  async createDemo(@Auth() user: AuthenticatedUser, @Body() input: CreateTodoDto): Promise<TodoDto> {
    return TodoDto.from(await this.todos.create(user.userId, input));
  }

  @Post('todos')
  @ProtectedOperation({
    operationId: 'createTodo',
    summary: "Add a new todo to the signed-in user's list. Needs a title; description and status are optional.",
    consequential: false,
  })
  @ApiCreatedResponse({ type: TodoDto, description: 'The created todo.' })
  async create(@Auth() user: AuthenticatedUser, @Body() input: CreateTodoDto): Promise<TodoDto> {
    return TodoDto.from(await this.todos.create(user.userId, input));
  }

  @Get('todos')
  @ProtectedOperation({
    operationId: 'listTodos',
    summary: "List the signed-in user's todos, newest first, optionally only those with one status. Paginated with limit and offset.",
    consequential: false,
  })
  @ApiOkResponse({ type: TodoListDto, description: 'One page of todos and the total number that match.' })
  async list(@Auth() user: AuthenticatedUser, @Query() query: ListTodosQuery): Promise<TodoListDto> {
    const page = await this.todos.list(user.userId, query);
    return { items: page.items.map(TodoDto.from), total: page.total };
  }

  @Get('todos/:id')
  @ProtectedOperation({
    operationId: 'getTodo',
    summary: 'Get one of the signed-in user\'s todos by its id.',
    consequential: false,
    notFound: NOT_FOUND,
  })
  @TODO_ID
  @ApiOkResponse({ type: TodoDto, description: 'The todo.' })
  async get(@Auth() user: AuthenticatedUser, @Param('id', TodoIdPipe) id: string): Promise<TodoDto> {
    return TodoDto.from(await this.todos.get(user.userId, id));
  }

  @Patch('todos/:id')
  @ProtectedOperation({
    operationId: 'updateTodo',
    summary: "Change the title, description or status of one of the signed-in user's todos (e.g. status done to complete it).",
    consequential: false,
    notFound: NOT_FOUND,
  })
  @TODO_ID
  @ApiOkResponse({ type: TodoDto, description: 'The todo after the change.' })
  async update(
    @Auth() user: AuthenticatedUser,
    @Param('id', TodoIdPipe) id: string,
    @Body() changes: UpdateTodoDto,
  ): Promise<TodoDto> {
    return TodoDto.from(await this.todos.update(user.userId, id, changes));
  }

  @Delete('todos/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ProtectedOperation({
    operationId: 'deleteTodo',
    summary: "Delete one of the signed-in user's todos for good. Ask the user to confirm first.",
    consequential: true,
    notFound: NOT_FOUND,
  })
  @TODO_ID
  @ApiNoContentResponse({ description: 'Deleted.' })
  async remove(@Auth() user: AuthenticatedUser, @Param('id', TodoIdPipe) id: string): Promise<void> {
    await this.todos.remove(user.userId, id);
  }
}
