import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CallLogModule } from '../call-log/call-log.module.js';
import { AuthRateLimit } from './auth-rate-limit.js';
import { AbandonedRequestInterceptor, RequestTimeout } from './request-timeout.js';
import { SlidingWindowLimiter } from './sliding-window-limiter.js';

/** Request timeout and the per-IP limits on the sign-in and token endpoints; createApp mounts the headers. */
@Module({
  imports: [CallLogModule],
  providers: [
    RequestTimeout,
    AuthRateLimit,
    SlidingWindowLimiter,
    { provide: APP_INTERCEPTOR, useClass: AbandonedRequestInterceptor },
  ],
  exports: [RequestTimeout],
})
export class SecurityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuthRateLimit).forRoutes(
      { path: 'api/oauth2/authorize', method: RequestMethod.POST },
      { path: 'api/oauth2/token', method: RequestMethod.POST },
    );
  }
}
