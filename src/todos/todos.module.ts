import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { CallLogModule } from '../call-log/call-log.module.js';
import { QuotaModule } from '../quota/quota.module.js';
import { TodoEntity } from './todo.entity.js';
import { TodosController } from './todos.controller.js';
import { TodosRepository } from './todos.repository.js';
import { TodosService } from './todos.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([TodoEntity]), AuthModule, QuotaModule, CallLogModule],
  controllers: [TodosController],
  providers: [TodosService, TodosRepository],
})
export class TodosModule {}
