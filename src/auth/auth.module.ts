import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { OAuthGuard } from './oauth.guard.js';
import { UserinfoCache } from './userinfo.cache.js';
import { UserinfoClient } from './userinfo.client.js';

@Module({
  imports: [HttpModule],
  providers: [UserinfoClient, UserinfoCache, OAuthGuard],
  exports: [UserinfoCache, OAuthGuard],
})
export class AuthModule {}
