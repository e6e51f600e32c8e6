#!/usr/bin/env node
// `npm run cli -- <command>`: runs the operator CLI (src/cli) from dist/, building first
// when dist/ is missing or older than the sources, as on a fresh clone after `npm ci`.
// (tsx cannot run it from source: esbuild emits no decorator metadata, which Nest's
// dependency injection needs.)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const entry = join(root, 'dist/cli/main.js');

function newestSource(dir) {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (item.name.endsWith('.ts') && !item.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const nest = join(root, 'node_modules/@nestjs/cli/bin/nest.js');
const stale = !existsSync(entry) || (existsSync(join(root, 'src')) && newestSource(join(root, 'src')) > statSync(entry).mtimeMs);
if (stale && existsSync(nest)) {
  process.stderr.write('Building the app first (dist/ is missing or older than src/)...\n');
  // stdout stays clean for the command's own output (--json).
  execFileSync(process.execPath, [nest, 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
}
if (!existsSync(entry)) {
  process.stderr.write('dist/cli/main.js is missing: run `npm run build` first.\n');
  process.exit(1);
}
await import(pathToFileURL(entry).href);
