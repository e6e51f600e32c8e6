import { ApiProperty } from '@nestjs/swagger';
import type { TodoEntity } from '../todo.entity.js';

export class TodoDto {
  @ApiProperty({ format: 'uuid', example: '3f2b8c1e-8a4d-4d7e-9c31-2f5a1b6c7d8e' })
  id: string;

  @ApiProperty({ example: 'Buy milk' })
  title: string;

  @ApiProperty({ example: 'Two litres, semi-skimmed' })
  description: string;

  @ApiProperty({ example: 'pending' })
  status: string;

  @ApiProperty({ description: 'The owner: the user id the access token belongs to.', example: 'user-42' })
  userId: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-03T10:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-03T10:00:00.000Z' })
  updatedAt: string;

  static from(entity: TodoEntity): TodoDto {
    return {
      id: entity.id,
      title: entity.title,
      description: entity.description,
      status: entity.status,
      userId: entity.userId,
      createdAt: entity.createdAt.toISOString(),
      updatedAt: entity.updatedAt.toISOString(),
    };
  }
}

export class TodoListDto {
  @ApiProperty({ type: [TodoDto] })
  items: TodoDto[];

  @ApiProperty({ description: 'How many todos match, across all pages.', example: 1 })
  total: number;
}
