import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 2000;
export const STATUS_MAX = 32;

export class CreateTodoDto {
  @ApiProperty({ description: 'What is to be done.', minLength: 1, maxLength: TITLE_MAX, example: 'Buy milk' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TITLE_MAX)
  title: string;

  // No `default` here: UpdateTodoDto inherits these annotations, and on an update an absent field is left as it is.
  @ApiPropertyOptional({
    description: 'Details. A todo created without one gets an empty description.',
    maxLength: DESCRIPTION_MAX,
    example: 'Two litres',
  })
  @IsOptional()
  @IsString()
  @MaxLength(DESCRIPTION_MAX)
  description?: string;

  @ApiPropertyOptional({
    description: 'Free-form state, e.g. pending, in-progress, done. A todo created without one is pending.',
    minLength: 1,
    maxLength: STATUS_MAX,
    example: 'pending',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(STATUS_MAX)
  status?: string;
}
