import { BadRequestException, ParseUUIDPipe } from '@nestjs/common';

/** A malformed id is the caller's mistake (400 naming the field), not a missing todo. */
export class TodoIdPipe extends ParseUUIDPipe {
  constructor() {
    super({ exceptionFactory: () => new BadRequestException({ error: 'id must be a UUID', field: 'id' }) });
  }
}
