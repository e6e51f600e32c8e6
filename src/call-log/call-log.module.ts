import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ProtectedRoutes } from '../common/protected-routes.js';
import { ApiCallLogRepository } from './api-call-log.repository.js';
import { CallLogService } from './call-log.service.js';
import { LoggingInterceptor } from './logging.interceptor.js';

@Module({
  imports: [DiscoveryModule],
  providers: [ApiCallLogRepository, CallLogService, LoggingInterceptor, ProtectedRoutes],
  exports: [CallLogService, LoggingInterceptor, ProtectedRoutes, ApiCallLogRepository],
})
export class CallLogModule {}
