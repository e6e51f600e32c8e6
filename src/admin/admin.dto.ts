import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class UsageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  clientId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  userId?: string;
}

export class LogsQuery extends UsageQuery {
  @ApiPropertyOptional({ description: 'Only rows with this HTTP status.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(599)
  status?: number;

  @ApiPropertyOptional({ description: 'Rows at or after this time (ISO 8601).' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ description: 'Rows at or before this time (ISO 8601).' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 50;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;
}

export class UsageItemDto {
  @ApiProperty() clientId: string;
  @ApiProperty() userId: string;
  @ApiProperty() count: number;
  @ApiProperty() limit: number;
}

export class UsageDto {
  @ApiProperty({ type: [UsageItemDto] }) items: UsageItemDto[];
}

export class LogItemDto {
  @ApiProperty() id: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty() requestId: string | null;
  @ApiProperty() method: string;
  @ApiProperty() path: string;
  @ApiProperty() status: number;
  @ApiProperty() durationMs: number;
  @ApiProperty({ nullable: true, type: String }) userId: string | null;
  @ApiProperty({ nullable: true, type: String }) clientId: string | null;
  @ApiProperty({ nullable: true, type: Number }) apiCallCount: number | null;
  @ApiProperty({ nullable: true, type: String }) requestBody: string | null;
  @ApiProperty({ nullable: true, type: String }) responseBody: string | null;
}

export class LogsDto {
  @ApiProperty({ type: [LogItemDto] }) items: LogItemDto[];
  @ApiProperty() total: number;
}
