import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { firstValueFrom } from 'rxjs';
import { AppConfig } from '../config/app-config.js';

/** A health probe must answer quickly even when userinfo hangs. */
const MAX_PROBE_MS = 3000;

/**
 * Whether the userinfo endpoint that validates every bearer token answers at
 * all. It is asked without a token: 401 is the healthy answer; a network
 * error, a timeout or a 5xx is not. Reported as `degraded`, never `down`:
 * the database alone decides the HTTP status of /health (the contract), and a
 * broken identity provider is the same for every instance, so it must not
 * take them all out of a load balancer.
 */
@Injectable()
export class UserinfoHealthIndicator {
  constructor(
    private readonly http: HttpService,
    private readonly config: AppConfig,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check<const Key extends string>(key: Key): Promise<HealthIndicatorResult<Key>> {
    const session = this.indicators.check(key);
    const timeout = Math.min(this.config.userinfoTimeoutMs, MAX_PROBE_MS);
    try {
      const response = await firstValueFrom(
        this.http.get(this.config.oauthUserinfoUrl, {
          timeout,
          signal: AbortSignal.timeout(timeout),
          validateStatus: () => true,
          maxRedirects: 0,
          headers: { Accept: 'application/json' },
        }),
      );
      if (response.status >= 500) return session.degraded({ message: `userinfo answered ${response.status}` });
      return session.up({ statusCode: response.status });
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as Error).name;
      return session.degraded({ message: `userinfo is unreachable (${code})` });
    }
  }
}
