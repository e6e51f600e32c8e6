import { HttpException, HttpStatus } from '@nestjs/common';

export const QUOTA_EXCEEDED_MESSAGE = 'You have reached the maximum number of free API calls.';

export class QuotaExceededException extends HttpException {
  constructor(limit: number) {
    super({ error: QUOTA_EXCEEDED_MESSAGE, limit }, HttpStatus.TOO_MANY_REQUESTS);
  }
}
