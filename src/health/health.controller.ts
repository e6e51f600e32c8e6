import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator, type HealthIndicatorResult } from '@nestjs/terminus';
import { GracefulShutdown } from '../lifecycle/graceful-shutdown.service.js';
import { UserinfoHealthIndicator } from './userinfo.health.js';

type Up = 'up' | 'down';

export interface HealthReport {
  status: 'ok';
  database: 'up';
  userinfo: Up;
  details: HealthIndicatorResult;
}

const DATABASE_PROBE_MS = 3000;

/**
 * GET /health: the database decides the status (200 or 503, the contract);
 * userinfo reachability is reported beside it. /health/live and /health/ready
 * are for an orchestrator: live never touches a dependency (restart only a
 * hung process), ready also turns 503 once shutdown has begun (stop routing
 * new requests here while the ones in flight finish).
 */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly userinfo: UserinfoHealthIndicator,
    private readonly shutdown: GracefulShutdown,
  ) {}

  @Get()
  async check(): Promise<HealthReport> {
    return this.report();
  }

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<HealthReport> {
    if (this.shutdown.isShuttingDown) {
      throw new ServiceUnavailableException({ error: 'Shutting down: not accepting new work', status: 'error' });
    }
    return this.report();
  }

  private async report(): Promise<HealthReport> {
    let details: HealthIndicatorResult;
    try {
      details = (
        await this.health.check([
          () => this.database.pingCheck('database', { timeout: DATABASE_PROBE_MS }),
          () => this.userinfo.check('userinfo'),
        ])
      ).details;
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // Terminus answers 503 with every indicator's result when one is down.
      details = (error.getResponse() as { details: HealthIndicatorResult }).details;
    }
    const userinfo: Up = details.userinfo?.status === 'up' ? 'up' : 'down';
    if (details.database?.status !== 'up') {
      throw new ServiceUnavailableException({
        error: 'Database is not reachable',
        status: 'error',
        database: 'down',
        userinfo,
        details,
      });
    }
    return { status: 'ok', database: 'up', userinfo, details };
  }
}
