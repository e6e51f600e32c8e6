import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CallLogService } from '../call-log/call-log.service.js';
import { QuotaService } from '../quota/quota.service.js';
import { AdminKeyGuard } from './admin-key.guard.js';
import { LogsDto, LogsQuery, UsageDto, UsageQuery } from './admin.dto.js';

@ApiTags('admin')
@ApiBearerAuth('adminApiKey')
@UseGuards(AdminKeyGuard)
@Controller('api/admin')
export class AdminController {
  constructor(
    private readonly quota: QuotaService,
    private readonly callLog: CallLogService,
  ) {}

  @Get('usage')
  @ApiOkResponse({ type: UsageDto })
  async usage(@Query() query: UsageQuery): Promise<UsageDto> {
    return { items: await this.quota.usage(query) };
  }

  @Get('logs')
  @ApiOkResponse({ type: LogsDto })
  async logs(@Query() query: LogsQuery): Promise<LogsDto> {
    const page = await this.callLog.find(query);
    return {
      items: page.items.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })),
      total: page.total,
    };
  }
}
