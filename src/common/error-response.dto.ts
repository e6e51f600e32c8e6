import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorResponseDto {
  @ApiProperty({ description: 'What went wrong, in words a caller can act on.', example: 'title must be a string' })
  error: string;

  @ApiPropertyOptional({ description: 'The request field at fault, for validation errors.', example: 'title' })
  field?: string;
}
