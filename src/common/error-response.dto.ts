import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ description: 'The request field at fault.', example: 'title' })
  field: string;

  @ApiProperty({ description: 'Every rule the field broke.', example: ['title must be a string'] })
  messages: string[];
}

export class ErrorResponseDto {
  @ApiProperty({ description: 'What went wrong, in words a caller can act on.', example: 'title: title must be a string' })
  error: string;

  @ApiPropertyOptional({ description: 'The request field at fault, for validation errors and unknown ids.', example: 'title' })
  field?: string;

  @ApiPropertyOptional({ description: 'Every invalid field, for validation errors.', type: [FieldErrorDto] })
  details?: FieldErrorDto[];

  @ApiPropertyOptional({ description: 'The number of free API calls, when the quota is used up.', type: 'integer', example: 100 })
  limit?: number;
}
