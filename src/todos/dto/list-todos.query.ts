import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { STATUS_MAX } from './create-todo.dto.js';

export class ListTodosQuery {
  @ApiPropertyOptional({ description: 'Only todos with exactly this status, e.g. pending or done.', example: 'pending' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(STATUS_MAX)
  status?: string;

  @ApiPropertyOptional({ description: 'Page size, 1 to 100.', type: 'integer', minimum: 1, maximum: 100, default: 20, example: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'How many todos to skip, for the next page.', type: 'integer', minimum: 0, default: 0, example: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;
}
