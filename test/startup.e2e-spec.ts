import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Absolute, so that the process can run in an empty folder (no .env, no data/).
const TSX = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/loader.mjs')).href;

/** The real entry point, as a process: a bad value stops start-up with one line naming the variable. */
function start(env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), 'gpt-api-start-'));
  try {
    return spawnSync(process.execPath, ['--import', TSX, join(process.cwd(), 'src/main.ts')], {
      cwd,
      env: { PATH: process.env.PATH ?? '', TSX_TSCONFIG_PATH: join(process.cwd(), 'tsconfig.json'), ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

describe('start-up with a bad configuration', () => {
  it.each([
    ['API_USAGE_LIMITS_BY_CLIENT_ID', '{oops'],
    ['DATABASE_URL', 'mongodb://localhost/app'],
    ['DEFAULT_API_USAGE_LIMIT', '-1'],
  ])('exits 1 with one line naming %s', (variable, value) => {
    const result = start({ [variable]: value });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
    expect(result.stdout).toBe('');
  });
});
