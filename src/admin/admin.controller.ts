import { Readable } from 'node:stream';
import { Body, Controller, Get, HttpCode, NotFoundException, Post, Query, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CallLogService } from '../call-log/call-log.service.js';
import { QuotaService } from '../quota/quota.service.js';
import { AdminKeyGuard } from './admin-key.guard.js';
import { AdminService } from './admin.service.js';
import {
  ClientUsageListDto,
  LogsCsvQuery,
  LogsDto,
  LogsQuery,
  ResetUsageBody,
  ResetUsageDto,
  UsageDto,
  UsageQuery,
  UserUsageListDto,
} from './admin.dto.js';

@ApiTags('admin')
@ApiBearerAuth('adminApiKey')
@UseGuards(AdminKeyGuard)
@Controller('api/admin')
export class AdminController {
  constructor(
    private readonly quota: QuotaService,
    private readonly callLog: CallLogService,
    private readonly admin: AdminService,
  ) {}

  @Get('usage')
  @ApiOperation({ operationId: 'adminUsage', summary: 'Every (client, user) counter with the limit that applies to it.' })
  @ApiOkResponse({ type: UsageDto })
  async usage(@Query() query: UsageQuery): Promise<UsageDto> {
    return { items: await this.quota.usage(query) };
  }

  @Get('usage/clients')
  @ApiOperation({ operationId: 'adminUsageByClient', summary: 'Usage per client: users and calls, with totals.' })
  @ApiOkResponse({ type: ClientUsageListDto })
  usageByClient(@Query() query: UsageQuery): Promise<ClientUsageListDto> {
    return this.admin.usageByClient(query);
  }

  @Get('usage/users')
  @ApiOperation({ operationId: 'adminUsageByUser', summary: 'Usage per user: clients and calls, with totals.' })
  @ApiOkResponse({ type: UserUsageListDto })
  usageByUser(@Query() query: UsageQuery): Promise<UserUsageListDto> {
    return this.admin.usageByUser(query);
  }

  @Post('usage/reset')
  @HttpCode(200)
  @ApiOperation({ operationId: 'adminResetUsage', summary: "Set one user's call count for one client back to zero." })
  @ApiOkResponse({ type: ResetUsageDto })
  async resetUsage(@Body() body: ResetUsageBody): Promise<ResetUsageDto> {
    const previousCount = await this.admin.resetUsage(body.clientId, body.userId);
    if (previousCount === null) {
      throw new NotFoundException(`User "${body.userId}" has no call count for client "${body.clientId}"`);
    }
    return { clientId: body.clientId, userId: body.userId, previousCount, count: 0 };
  }

  @Get('logs')
  @ApiOperation({ operationId: 'adminLogs', summary: 'Call log rows newest first, filtered and paginated.' })
  @ApiOkResponse({ type: LogsDto })
  async logs(@Query() query: LogsQuery): Promise<LogsDto> {
    const page = await this.callLog.find(query);
    return {
      items: page.items.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })),
      total: page.total,
    };
  }

  @Get('logs.csv')
  @ApiOperation({
    operationId: 'adminLogsCsv',
    summary: 'The call log as CSV, newest first, with the same filters as /api/admin/logs (bodies left out).',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'RFC 4180 CSV with a header line.', schema: { type: 'string' } })
  logsCsv(@Query() query: LogsCsvQuery): StreamableFile {
    return new StreamableFile(Readable.from(this.admin.logsCsv(query)), {
      type: 'text/csv; charset=utf-8',
      disposition: 'attachment; filename="api-call-logs.csv"',
    });
  }
}
