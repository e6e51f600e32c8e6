import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { freePort } from './free-port.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * `npm run build`, as a deployment does; the server under test is then
 * dist/main.js. Skipped when dist/ is newer than every source and build
 * setting: several suites (and both Jest projects) need the same build.
 */
export function buildServer(): void {
  if (builtIsFresh()) return;
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
}

function builtIsFresh(): boolean {
  // Per file: dist/x.js no older than src/x.ts. (Not dist/.tsbuildinfo: a
  // `tsc --noEmit` type-check rewrites it without emitting anything.)
  const sources = (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[]).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('.spec.ts') && !file.endsWith('.d.ts'),
  );
  return sources.every((file) => {
    const output = join(ROOT, 'dist', file.replace(/\.ts$/, '.js'));
    return existsSync(output) && statSync(output).mtimeMs >= statSync(join(ROOT, 'src', file)).mtimeMs;
  });
}

export interface BuiltServer {
  url: string;
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the process if a test failed before it exited. */
  cleanup(): Promise<void>;
}

/**
 * `node dist/main.js` as a real process, in an empty working directory (so a
 * developer's .env does not leak in), ready once GET /health answers.
 */
export async function startBuiltServer(env: Record<string, string>): Promise<BuiltServer> {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), 'gpt-api-built-'));
  const child = spawn(process.execPath, [join(ROOT, 'dist/main.js')], {
    cwd,
    env: { PATH: process.env.PATH, PORT: String(port), LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  const err: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => err.push(chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const url = `http://127.0.0.1:${port}`;
  const server: BuiltServer = {
    url,
    child,
    stdout: () => out.join(''),
    stderr: () => err.join(''),
    exited,
    cleanup: async () => {
      if (!hasExited) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(cwd, { recursive: true, force: true });
    },
  };
  for (;;) {
    if (hasExited) {
      throw new Error(`dist/main.js exited during start-up:\n${server.stdout()}\n${server.stderr()}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) return server;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}
