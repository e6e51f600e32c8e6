import { randomUUID } from 'node:crypto';
import { Injectable, InternalServerErrorException, Logger, NotFoundException } from '@nestjs/common';
import type { CreateTodoDto } from './dto/create-todo.dto.js';
import type { ListTodosQuery } from './dto/list-todos.query.js';
import type { UpdateTodoDto } from './dto/update-todo.dto.js';
import { TodoEntity } from './todo.entity.js';
import { TodosRepository, type TodoPage } from './todos.repository.js';

/** Todos belong to one user; another user's todo does not exist for the caller. */
@Injectable()
export class TodosService {
  private readonly logger = new Logger(TodosService.name);

  constructor(private readonly todos: TodosRepository) {}

  async create(userId: string, input: CreateTodoDto): Promise<TodoEntity> {
    const now = new Date();
    const todo = Object.assign(new TodoEntity(), {
      id: randomUUID(),
      userId,
      title: input.title,
      description: input.description ?? '',
      status: input.status ?? 'pending',
      createdAt: now,
      updatedAt: now,
    });
    try {
      return await this.todos.insert(todo);
    } catch (error) {
      this.logger.error(`Failed to create todo item: ${(error as Error).message}`);
      throw new InternalServerErrorException({ error: 'Failed to create todo item' });
    }
  }

  list(userId: string, query: ListTodosQuery): Promise<TodoPage> {
    return this.todos.list(userId, query);
  }

  async get(userId: string, id: string): Promise<TodoEntity> {
    const todo = await this.todos.findOwned(id, userId);
    if (!todo) throw new NotFoundException({ error: `Todo ${id} not found`, field: 'id' });
    return todo;
  }

  async update(userId: string, id: string, changes: UpdateTodoDto): Promise<TodoEntity> {
    const todo = await this.get(userId, id);
    Object.assign(todo, changes, { updatedAt: new Date() });
    return this.todos.save(todo);
  }

  async remove(userId: string, id: string): Promise<void> {
    if (!(await this.todos.deleteOwned(id, userId))) {
      throw new NotFoundException({ error: `Todo ${id} not found`, field: 'id' });
    }
  }
}
