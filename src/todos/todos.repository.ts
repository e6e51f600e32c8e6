import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TodoEntity } from './todo.entity.js';

export interface TodoPage {
  items: TodoEntity[];
  total: number;
}

@Injectable()
export class TodosRepository {
  constructor(@InjectRepository(TodoEntity) private readonly todos: Repository<TodoEntity>) {}

  async insert(todo: TodoEntity): Promise<TodoEntity> {
    // Not save(), which selects first; and without updateEntity, which on SQLite
    // reads the row back for its defaults: the todo arrives complete (id, dates).
    await this.todos.createQueryBuilder().insert().values(todo).updateEntity(false).execute();
    return todo;
  }

  findOwned(id: string, userId: string): Promise<TodoEntity | null> {
    return this.todos.findOneBy({ id, userId });
  }

  async list(userId: string, query: { status?: string; limit: number; offset: number }): Promise<TodoPage> {
    const [items, total] = await this.todos.findAndCount({
      where: { userId, ...(query.status !== undefined && { status: query.status }) },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items, total };
  }

  save(todo: TodoEntity): Promise<TodoEntity> {
    return this.todos.save(todo);
  }

  async deleteOwned(id: string, userId: string): Promise<boolean> {
    const result = await this.todos.delete({ id, userId });
    return (result.affected ?? 0) > 0;
  }
}
