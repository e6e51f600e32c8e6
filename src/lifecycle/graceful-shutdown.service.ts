import type { Server } from 'node:http';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig } from '../config/app-config.js';

/** How often idle keep-alive sockets are closed while the server drains. */
const IDLE_SWEEP_MS = 50;

/**
 * The HTTP half of a clean shutdown. Nest closes the server after this hook
 * (no new connections, requests in flight finish); the call log rows are
 * drained and the database closed in the shutdown hooks that follow.
 *
 * `server.close()` alone waits for every keep-alive connection to be closed
 * by its client, which a load balancer may never do: idle sockets are closed
 * here as soon as their last response is out. A request that still runs after
 * the request timeout plus a grace period has had its answer already (the
 * timeout middleware sent it), so its socket is cut.
 */
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private startedAt?: number;

  /** True from the shutdown signal on: readiness answers 503 so a load balancer stops sending. */
  get isShuttingDown(): boolean {
    return this.startedAt !== undefined;
  }

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
  ) {}

  beforeApplicationShutdown(signal?: string): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server?.listening || this.startedAt !== undefined) return;
    this.startedAt = Date.now();
    this.logger.log(`${signal ?? 'Shutdown'} received: no new connections; finishing the requests in flight`);
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS).unref();
    const deadline = setTimeout(() => {
      this.logger.warn('Requests still open after the shutdown grace period: closing their connections');
      server.closeAllConnections();
    }, this.config.requestTimeoutMs + 5000).unref();
    server.once('close', () => {
      clearInterval(sweep);
      clearTimeout(deadline);
    });
  }

  onApplicationShutdown(signal?: string): void {
    if (this.startedAt === undefined) return;
    this.logger.log(
      `All requests answered ${Date.now() - this.startedAt} ms after ${signal ?? 'close'}; storing the last log rows and closing the database`,
    );
  }
}
