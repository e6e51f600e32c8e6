// The yardstick of `npm run bench`: the same insert as POST /api/todo-demo
// (same TodoEntity, same driver and pragmas, same migrations), in a minimal
// NestJS + TypeORM app with no guard, quota, call log, validation, logging or
// middleware. Bench-only: nothing here ships in src/ or dist/.
//
// Run by bench/run.ts with tsx; tsx (esbuild) emits no decorator metadata, so
// every injection names its token explicitly.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';
import { TodoEntity } from '../../src/todos/todo.entity.js';

const databaseUrl = process.env.DATABASE_URL ?? '';
const port = Number(process.env.PORT ?? 3999);

@Controller('api')
class BaselineController {
  constructor(@InjectRepository(TodoEntity) private readonly todos: Repository<TodoEntity>) {}

  @Post('todo-demo')
  @HttpCode(200)
  async create(@Body() input: { title: string; description?: string; status?: string }): Promise<TodoEntity> {
    const now = new Date();
    const todo = Object.assign(new TodoEntity(), {
      id: randomUUID(),
      userId: 'bench-user',
      title: input.title,
      description: input.description ?? '',
      status: input.status ?? 'pending',
      createdAt: now,
      updatedAt: now,
    });
    // The statement TodosRepository.insert runs: no read-back of the row.
    await this.todos.createQueryBuilder().insert().values(todo).updateEntity(false).execute();
    return todo;
  }
}

const database = databaseUrl.startsWith('sqlite:')
  ? ({ type: 'sqlite', path: databaseUrl.slice('sqlite:'.length) } as const)
  : ({ type: 'postgres', url: databaseUrl } as const);

@Module({
  imports: [
    TypeOrmModule.forRoot({ ...buildDataSourceOptions(database), migrationsRun: true }),
    TypeOrmModule.forFeature([TodoEntity]),
  ],
  controllers: [BaselineController],
})
class BaselineModule {}

const app = await NestFactory.create(BaselineModule, { logger: ['error', 'warn'] });
app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
await app.listen(port, '127.0.0.1');
