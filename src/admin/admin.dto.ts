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

/** The filters the log list and the CSV export share. */
export class LogFilterQuery extends UsageQuery {
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
}

export class LogsQuery extends LogFilterQuery {
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

export class LogsCsvQuery extends LogFilterQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 1_000_000, default: 100_000, description: 'At most this many rows, newest first.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  limit: number = 100_000;
}

export class UsageTotalsDto {
  @ApiProperty({ description: 'Clients with at least one counter.' }) clients: number;
  @ApiProperty({ description: 'Distinct users with at least one counter.' }) users: number;
  @ApiProperty({ description: 'Successful API calls counted, added up.' }) count: number;
}

export class ClientUsageDto {
  @ApiProperty() clientId: string;
  @ApiProperty({ nullable: true, type: String, description: 'Null for a client the registry does not know.' })
  name: string | null;
  @ApiProperty({ description: 'Users of this client with a counter.' }) users: number;
  @ApiProperty({ description: 'Their calls added up.' }) count: number;
  @ApiProperty({ description: 'The per-user limit that applies to this client now.' }) limit: number;
}

export class ClientUsageListDto {
  @ApiProperty({ type: [ClientUsageDto] }) items: ClientUsageDto[];
  @ApiProperty() totals: UsageTotalsDto;
}

export class UserUsageDto {
  @ApiProperty() userId: string;
  @ApiProperty({ nullable: true, type: String, description: 'Null for a user of an external identity provider.' })
  email: string | null;
  @ApiProperty({ description: 'Clients this user has a counter with.' }) clients: number;
  @ApiProperty({ description: 'Their calls added up.' }) count: number;
}

export class UserUsageListDto {
  @ApiProperty({ type: [UserUsageDto] }) items: UserUsageDto[];
  @ApiProperty() totals: UsageTotalsDto;
}

export class ResetUsageBody {
  @ApiProperty()
  @IsString()
  @MaxLength(255)
  clientId: string;

  @ApiProperty()
  @IsString()
  @MaxLength(255)
  userId: string;
}

export class ResetUsageDto {
  @ApiProperty() clientId: string;
  @ApiProperty() userId: string;
  @ApiProperty({ description: 'The count before the reset.' }) previousCount: number;
  @ApiProperty({ description: 'Always 0: the next call is the first again.' }) count: number;
}
