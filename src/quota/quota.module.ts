import { Module } from '@nestjs/common';
import { ApiCallCountRepository } from './api-call-count.repository.js';
import { QuotaInterceptor } from './quota.interceptor.js';
import { QuotaService } from './quota.service.js';

@Module({
  providers: [ApiCallCountRepository, QuotaService, QuotaInterceptor],
  exports: [ApiCallCountRepository, QuotaService, QuotaInterceptor],
})
export class QuotaModule {}
