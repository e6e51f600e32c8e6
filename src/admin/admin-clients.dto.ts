import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, MaxLength, Min, ValidateIf } from 'class-validator';

export class CreateClientBody {
  @ApiPropertyOptional({ description: 'Generated when absent. Letters, digits, ".", "_", "~", "-".', example: 'support-gpt' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  clientId?: string;

  @ApiProperty({ example: 'Support GPT' })
  @IsString()
  @MaxLength(200)
  name: string;

  @ApiProperty({
    type: [String],
    description: '"*" matches exactly one path segment.',
    example: ['https://chatgpt.com/aip/*/oauth/callback'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(2048, { each: true })
  redirectUris: string[];

  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 0, description: 'Free API calls per user; null: the configured limits.' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  apiCallLimit?: number | null;
}

export class UpdateClientBody {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(2048, { each: true })
  redirectUris?: string[];

  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 0, description: 'null removes the client\'s own limit.' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  apiCallLimit?: number | null;
}

export class ClientDto {
  @ApiProperty() clientId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) redirectUris: string[];
  @ApiProperty({ nullable: true, type: Number }) apiCallLimit: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ClientListDto {
  @ApiProperty({ type: [ClientDto] }) items: ClientDto[];
}

export class ClientWithSecretDto {
  @ApiProperty() client: ClientDto;
  @ApiProperty({ description: 'Shown this once: only its hash is stored.' }) clientSecret: string;
}
