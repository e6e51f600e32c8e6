import { Injectable, OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService } from '@nestjs/core';
import { match, type MatchFunction } from 'path-to-regexp';
import type { Request } from 'express';
import { PROTECTED_OPERATION } from './protected-operation.decorator.js';

interface Route {
  method: string;
  matches: MatchFunction<object>;
}

/**
 * The (method, path) pairs of every @ProtectedOperation, read from the
 * controllers once at start-up. It answers "is this a protected call?" for a
 * request that failed before routing (a body that does not parse, or is too
 * large), which must still leave a log row.
 */
@Injectable()
export class ProtectedRoutes implements OnApplicationBootstrap {
  private routes: Route[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    this.routes = this.discovery.getControllers().flatMap(({ metatype }) => {
      if (!metatype) return [];
      const prefixes = asArray(Reflect.getMetadata(PATH_METADATA, metatype));
      const prototype = metatype.prototype as Record<string, unknown>;
      return Object.getOwnPropertyNames(prototype).flatMap((name) => {
        const handler = prototype[name];
        if (typeof handler !== 'function' || !Reflect.getMetadata(PROTECTED_OPERATION, handler)) return [];
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        return prefixes.flatMap((prefix) =>
          asArray(Reflect.getMetadata(PATH_METADATA, handler)).map((path) => ({
            method,
            matches: match(joinPath(prefix, path)),
          })),
        );
      });
    });
  }

  isProtected(request: Request): boolean {
    return this.routes.some((route) => route.method === request.method && route.matches(request.path) !== false);
  }
}

function asArray(value: string | string[] | undefined): string[] {
  if (value === undefined) return ['/'];
  return Array.isArray(value) ? value : [value];
}

function joinPath(prefix: string, path: string): string {
  const joined = `/${prefix}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}
