// npm run bench: how much the guard, the quota and the call log cost next to
// the insert they protect. See bench/RESULTS.md for what it measures and the
// figures of the last run, which this script writes there.
//
//   npm run bench                 all scenarios, writes bench/RESULTS.md
//   npm run bench -- --profile    product only (SQLite, cached token) under --cpu-prof, prints where the time goes
//
// BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (default 32), BENCH_POSTGRES_URL
// (default postgres://postgres@127.0.0.1:5432/postgres) change the defaults.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, { type Result } from 'autocannon';
import pg from 'pg';
import { freePort } from '../test/support/free-port.js';
import { UserinfoStub } from '../test/support/userinfo-stub.js';
import { summariseProfile } from './profile-summary.js';

const ROOT = resolve(import.meta.dirname, '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARMUP_SECONDS = 5;
const PG_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TOKEN = 'bench-token';
const BODY = JSON.stringify({ title: 'Benchmark todo', description: 'Inserted by npm run bench', status: 'pending' });
// Far above what any run can reach: the bench measures the charge, never a 429.
const QUOTA = '1000000000';

interface Server {
  label: string;
  url: string;
  child: ChildProcess;
  logFile: string;
}

interface Measured {
  scenario: string;
  server: 'a' | 'b';
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  rssMb: number;
  peakRssMb: number;
  /** Server CPU (user + system) per answered request: steadier than req/s on a shared machine. */
  cpuMsPerRequest: number;
}

const cleanups: Array<() => Promise<void> | void> = [];
const workDir = mkdtempSync(join(tmpdir(), 'gpt-api-bench-'));
cleanups.push(() => rmSync(workDir, { recursive: true, force: true }));

async function start(label: string, args: string[], env: Record<string, string>, cwd: string): Promise<Server> {
  const port = await freePort();
  const logFile = join(workDir, `${label.replace(/\W+/g, '-')}.log`);
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env },
    stdio: ['ignore', out, out],
  });
  const server = { label, url: `http://127.0.0.1:${port}`, child, logFile };
  cleanups.push(() => stop(server));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      await fetch(server.url);
      return server;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`${label} did not start:\n${readFileSync(logFile, 'utf8')}`);
}

async function stop(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((done) => server.child.once('exit', done));
  server.child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000).then(() => server.child.kill('SIGKILL'))]);
}

function startProduct(
  label: string,
  databaseUrl: string,
  stubUrl: string,
  ttlSeconds: number,
  cpuProfDir?: string,
  extraEnv: Record<string, string> = {},
) {
  // An empty working directory: a developer's .env must not change the figures.
  const cwd = mkdtempSync(join(workDir, 'product-'));
  const flags = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  return start(label, [...flags, join(ROOT, 'dist/main.js')], {
    DATABASE_URL: databaseUrl,
    OAUTH_USERINFO_URL: stubUrl,
    USERINFO_CACHE_TTL_SECONDS: String(ttlSeconds),
    DEFAULT_API_USAGE_LIMIT: QUOTA,
    ...extraEnv,
  }, cwd);
}

function startBaseline(label: string, databaseUrl: string) {
  return start(label, ['--import', 'tsx', join(ROOT, 'bench/baseline/main.ts')], { DATABASE_URL: databaseUrl }, ROOT);
}

async function createPostgresDatabase(): Promise<string> {
  const name = `gpt_api_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  cleanups.push(() => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** utime + stime of a process, in ms (Linux /proc; USER_HZ = 100). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function load(server: Server, seconds: number, authorised: boolean): Promise<Result> {
  return autocannon({
    url: `${server.url}/api/todo-demo`,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorised && { authorization: `Bearer ${TOKEN}` }) },
    body: BODY,
  });
}

async function measure(scenario: string, which: 'a' | 'b', server: Server): Promise<Measured> {
  const cpuBefore = cpuMs(server.child.pid!);
  const result = await load(server, DURATION, which === 'a');
  const cpuUsed = cpuMs(server.child.pid!) - cpuBefore;
  const memory = rssMb(server.child.pid!);
  const row: Measured = {
    scenario,
    server: which,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    rssMb: memory.rss,
    peakRssMb: memory.peak,
    cpuMsPerRequest: cpuUsed / Math.max(1, result.requests.total),
  };
  console.log(
    `${scenario.padEnd(28)} ${which}  ${row.rps.toFixed(0).padStart(6)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  ` +
      `2xx ${row.ok}  non-2xx ${row.non2xx}  errors ${row.errors}  CPU ${row.cpuMsPerRequest.toFixed(3)} ms/req  RSS ${row.rssMb.toFixed(0)} MB (peak ${row.peakRssMb.toFixed(0)} MB)`,
  );
  return row;
}

async function warmUp(server: Server, authorised: boolean): Promise<void> {
  const result = await load(server, WARMUP_SECONDS, authorised);
  if (result.non2xx > 0 || result['2xx'] === 0) {
    throw new Error(`${server.label}: warm-up got ${result.non2xx} non-2xx answers ${JSON.stringify(result.statusCodeStats)}; see ${server.logFile}`);
  }
}

/** a, b, a, b, ... `rounds` times, after a warm-up of each. */
async function compare(scenario: string, a: Server, b: Server, rounds: number): Promise<Measured[]> {
  await warmUp(a, true);
  await warmUp(b, false);
  const rows: Measured[] = [];
  for (let round = 0; round < rounds; round++) {
    rows.push(await measure(scenario, 'a', a));
    rows.push(await measure(scenario, 'b', b));
  }
  return rows;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

function summarise(rows: Measured[]) {
  const of = (server: 'a' | 'b') => rows.filter((row) => row.server === server);
  const [a, b] = [of('a'), of('b')];
  return {
    scenario: rows[0].scenario,
    aRps: mean(a.map((r) => r.rps)),
    bRps: mean(b.map((r) => r.rps)),
    aP99: mean(a.map((r) => r.p99)),
    bP99: mean(b.map((r) => r.p99)),
    aP50: mean(a.map((r) => r.p50)),
    bP50: mean(b.map((r) => r.p50)),
    aRss: Math.max(...a.map((r) => r.peakRssMb)),
    bRss: Math.max(...b.map((r) => r.peakRssMb)),
    non2xx: rows.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
    aCpu: mean(a.map((r) => r.cpuMsPerRequest)),
    bCpu: mean(b.map((r) => r.cpuMsPerRequest)),
  };
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const pgVersion = (() => {
    try {
      return execFileSync('psql', ['--version'], { encoding: 'utf8' }).trim();
    } catch {
      return 'psql not found';
    }
  })();
  return `${cpus().length} CPUs (nproc), ${cpu}, Node ${process.version}, ${pgVersion}, Linux ${readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()}`;
}

const loadAtStart = loadavg();
const loadText = (values: number[]) => values.map((value) => value.toFixed(1)).join(' ');

function report(all: Measured[]): string {
  const scenarios = [...new Set(all.map((row) => row.scenario))].map((name) => summarise(all.filter((r) => r.scenario === name)));
  const lines = [
    `Run of ${new Date().toISOString()} on ${machine()}.`,
    `Load average (1, 5, 15 min) ${loadText(loadAtStart)} at the start, ${loadText(loadavg())} at the end: other work on the machine shares its CPUs.`,
    `autocannon: ${CONNECTIONS} connections, ${DURATION} s per run, POST /api/todo-demo, after a ${WARMUP_SECONDS} s warm-up of each server.`,
    '(a) the product, `node dist/main.js`, default settings but DEFAULT_API_USAGE_LIMIT=' + QUOTA + ', with a bearer token;',
    '(b) bench/baseline/main.ts: the same insert in a bare NestJS + TypeORM app.',
    '',
    '| scenario | server | req/s | p50 ms | p99 ms | 2xx | non-2xx | errors | server CPU ms/req | RSS MB (peak) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...all.map(
      (r) =>
        `| ${r.scenario} | ${r.server} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.ok} | ${r.non2xx} | ${r.errors} | ${r.cpuMsPerRequest.toFixed(3)} | ${r.rssMb.toFixed(0)} (${r.peakRssMb.toFixed(0)}) |`,
    ),
    '',
    '| scenario | a/b req/s | a p99 / b p99 | a p50 / b p50 | b/a CPU per request | peak RSS a / b (MB) | non-2xx + errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...scenarios.map(
      (s) =>
        `| ${s.scenario} | ${(s.aRps / s.bRps).toFixed(2)} (${s.aRps.toFixed(0)} / ${s.bRps.toFixed(0)}) | ${(s.aP99 / s.bP99).toFixed(2)} (${s.aP99.toFixed(1)} / ${s.bP99.toFixed(1)}) | ${(s.aP50 / s.bP50).toFixed(2)} | ${(s.bCpu / s.aCpu).toFixed(2)} (${s.aCpu.toFixed(3)} / ${s.bCpu.toFixed(3)} ms) | ${s.aRss.toFixed(0)} / ${s.bRss.toFixed(0)} | ${s.non2xx} |`,
    ),
  ];
  return lines.join('\n');
}

function writeResults(figures: string): void {
  const file = join(ROOT, 'bench/RESULTS.md');
  const start = '<!-- bench:start (written by npm run bench) -->';
  const end = '<!-- bench:end -->';
  const block = `${start}\n${figures}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmark results\n\n${start}\n${end}\n`;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next = from >= 0 && to > from ? current.slice(0, from) + block + current.slice(to + end.length) : `${current}\n${block}\n`;
  writeFileSync(file, next);
  console.log(`\nFigures written to ${file}`);
}

async function main(): Promise<void> {
  const profile = process.argv.includes('--profile');
  console.log('Building (npm run build) ...');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });

  const stub = await new UserinfoStub().start();
  cleanups.push(() => stub.stop());
  stub.user(TOKEN, 'bench-user', 'bench-client');
  const sqlite = (name: string) => `sqlite:${join(workDir, `${name}.db`)}`;

  if (profile) {
    const dir = join(ROOT, 'bench/profiles');
    rmSync(dir, { recursive: true, force: true });
    const a = await startProduct('a: product (profiled)', sqlite('profiled'), stub.url, 60, dir);
    await warmUp(a, true);
    await measure('sqlite, profiled', 'a', a);
    const stopped = Date.now();
    await stop(a);
    const skipEnd = (Date.now() - stopped) / 1000 + 0.2;
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no .cpuprofile in ${dir}`);
    console.log(`\n${summariseProfile(join(dir, file), { seconds: DURATION - 0.5, skipEnd })}`);
    return;
  }

  const rows: Measured[] = [];
  const baselineSqlite = await startBaseline('b: baseline, sqlite', sqlite('baseline'));
  let product = await startProduct('a: product, sqlite', sqlite('product'), stub.url, 60);
  rows.push(...(await compare('sqlite, cached token', product, baselineSqlite, 2)));
  await stop(product);

  product = await startProduct('a: product, sqlite, TTL 0', sqlite('product-nocache'), stub.url, 0);
  rows.push(...(await compare('sqlite, cache off (TTL 0)', product, baselineSqlite, 1)));
  await stop(product);

  // What the per-request access log line (pino-http at LOG_LEVEL=info) costs.
  product = await startProduct('a: product, sqlite, warn', sqlite('product-warn'), stub.url, 60, undefined, { LOG_LEVEL: 'warn' });
  rows.push(...(await compare('sqlite, cached, LOG_LEVEL=warn', product, baselineSqlite, 1)));
  await stop(product);
  await stop(baselineSqlite);

  const baselinePg = await startBaseline('b: baseline, postgres', await createPostgresDatabase());
  product = await startProduct('a: product, postgres', await createPostgresDatabase(), stub.url, 60);
  rows.push(...(await compare('postgres, cached token', product, baselinePg, 1)));
  await stop(product);
  await stop(baselinePg);

  const figures = report(rows);
  console.log(`\n${figures}`);
  writeResults(figures);
}

try {
  await main();
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
