import {
  CanActivate,
  ExecutionContext,
  Injectable,
  InternalServerErrorException,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import type { AppRequest } from '../common/request-context.js';
import { TokenRejectedError, UserinfoUnavailableError } from './userinfo.errors.js';
import { UserinfoCache } from './userinfo.cache.js';

const BEARER = /^Bearer +([\x21-\x7e]+) *$/i;

/**
 * Proves who is calling: the bearer token is checked against the userinfo
 * endpoint (through the cache) and the user is attached to the request.
 */
@Injectable()
export class OAuthGuard implements CanActivate {
  private readonly logger = new Logger(OAuthGuard.name);

  constructor(private readonly userinfo: UserinfoCache) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AppRequest>();
    // A CORS preflight carries no credentials by design.
    if (request.method === 'OPTIONS') return true;

    const header = request.headers.authorization;
    if (!header) {
      throw new UnauthorizedException('Missing Authorization header: send "Authorization: Bearer <access token>"');
    }
    const match = BEARER.exec(header);
    if (!match) {
      throw new UnauthorizedException('Authorization header must be "Bearer <access token>"');
    }
    try {
      request.context.user = await this.userinfo.resolve(match[1]);
      return true;
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        throw new UnauthorizedException('Invalid or expired access token');
      }
      if (error instanceof UserinfoUnavailableError) {
        this.logger.error(`Cannot validate access tokens: ${error.message}`);
        throw new InternalServerErrorException('Could not validate the access token: the identity provider is unavailable');
      }
      throw error;
    }
  }
}
