// Starts tokhai's server (built by `cargo xtask test`) on a free local port with its own data
// directory, so every test runs against a fresh database and can stop the server it started.
// In the scale-out phase (`TOKHAI_SCALE_OUT_DATABASE_URL` set), "the server" is two instances
// on one fresh PostgreSQL database behind nginx: see `startBalanced`.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningServer {
  url: string;
  port: number;
  /// The key directory (and, on SQLite, the database file's directory).
  dataDir: string;
  /// The environment the server's administrator commands need to reach its database.
  env: Record<string, string>;
  stop(): Promise<void>;
  /// Kills the process with SIGKILL: no graceful shutdown, as in a power cut or an OOM kill.
  crash(): Promise<void>;
  /// Everything the server has written to stdout and stderr so far.
  log(): string;
  /// The rows `sql` selects, each value as text (SQLite or PostgreSQL, as the server runs).
  rows(sql: string): string[][];
  /// Behind the balancer: the instances, and which of them answered each API request so far.
  instances?: RunningServer[];
  upstreams?(): string[];
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite through \`cargo xtask test\``);
  return value;
}

export async function startServer(
  options: { port?: number; dataDir?: string; dist?: string; databaseUrl?: string; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tokhai-e2e-'));
  const env: Record<string, string> = { TOKHAI_DATA_DIR: dataDir, ...(options.env ?? {}) };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  const { DATABASE_URL: _inherited, ...inherited } = process.env;
  const child: ChildProcess = spawn(required('TOKHAI_SERVER_BIN'), [], {
    env: {
      ...inherited,
      ...env,
      TOKHAI_ADDR: `127.0.0.1:${options.port ?? 0}`,
      TOKHAI_DIST: options.dist ?? required('TOKHAI_DIST'),
      RUST_LOG: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 20_000);
    // Stays attached after the start, so that log() keeps growing.
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
  let stopped = false;
  const end = async (signal: NodeJS.Signals) => {
    if (stopped) return;
    stopped = true;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    env,
    stop: () => end('SIGTERM'),
    crash: () => end('SIGKILL'),
    log: () => log,
    rows: (sql) => (options.databaseUrl ? postgresRows(options.databaseUrl, sql) : sqliteRows(dataDir, sql)),
  };
}

/// The fixture's server: one process on SQLite, or the balanced pair in the scale-out phase.
export async function startFixtureServer(): Promise<RunningServer> {
  const databaseUrl = process.env.TOKHAI_SCALE_OUT_DATABASE_URL;
  return databaseUrl ? startBalanced(databaseUrl) : startServer();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

let databases = 0;

/// Two server instances on a fresh database of the PostgreSQL cluster at `clusterUrl`, sharing
/// one key directory, behind nginx (round robin) on a local port: what DESIGN.md §6 scales out
/// to. The instances believe `X-Forwarded-For` from nginx alone.
export async function startBalanced(clusterUrl: string): Promise<RunningServer> {
  const name = `tokhai_e2e_${process.pid}_${++databases}`;
  postgresRows(clusterUrl, `CREATE DATABASE ${name}`);
  const databaseUrl = clusterUrl.replace(/\/[^/]*$/, `/${name}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'tokhai-e2e-scale-'));
  const shared = { TOKHAI_TRUSTED_PROXIES: '127.0.0.1', TOKHAI_CONNECTIONS_PER_ADDRESS: '0' };
  // One after the other: the first makes the schema and the signing keys, the second loads them.
  const first = await startServer({ dataDir, databaseUrl, env: shared });
  const second = await startServer({ dataDir, databaseUrl, env: shared });
  const port = await freePort();
  const nginxDir = join(dataDir, 'nginx');
  mkdirSync(nginxDir, { recursive: true });
  const root = process.getuid?.() === 0 ? 'user root;' : '';
  writeFileSync(
    join(nginxDir, 'nginx.conf'),
    `${root}
worker_processes 1;
daemon off;
pid ${nginxDir}/nginx.pid;
error_log ${nginxDir}/error.log warn;
events { worker_connections 512; }
http {
  log_format upstream '$request_method $request_uri $status $upstream_addr';
  access_log ${nginxDir}/access.log upstream;
  client_body_temp_path ${nginxDir}/body;
  proxy_temp_path ${nginxDir}/proxy;
  fastcgi_temp_path ${nginxDir}/fastcgi;
  uwsgi_temp_path ${nginxDir}/uwsgi;
  scgi_temp_path ${nginxDir}/scgi;
  client_max_body_size 4m;
  upstream tokhai {
    server 127.0.0.1:${first.port} max_fails=1 fail_timeout=10s;
    server 127.0.0.1:${second.port} max_fails=1 fail_timeout=10s;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://tokhai;
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_buffering off;
    }
  }
}
`,
  );
  const nginx = spawn(process.env.TOKHAI_NGINX ?? 'nginx', ['-p', nginxDir, '-c', join(nginxDir, 'nginx.conf'), '-e', join(nginxDir, 'error.log')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let nginxLog = '';
  nginx.stdout!.on('data', (chunk: Buffer) => (nginxLog += chunk.toString()));
  nginx.stderr!.on('data', (chunk: Buffer) => (nginxLog += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (attempt > 100 || nginx.exitCode !== null) {
      throw new Error(`nginx did not start:\n${nginxLog}${readIfThere(join(nginxDir, 'error.log'))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const instances = [first, second];
  const stopAll = async (stopInstance: (instance: RunningServer) => Promise<void>) => {
    if (nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx.once('exit', resolve));
      nginx.kill('SIGTERM');
      await exited;
    }
    for (const instance of instances) await stopInstance(instance);
  };
  return {
    url,
    port,
    dataDir,
    env: { TOKHAI_DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
    stop: async () => {
      await stopAll((instance) => instance.stop());
      postgresRows(clusterUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
    crash: () => stopAll((instance) => instance.crash()),
    log: () => instances.map((instance) => instance.log()).join('\n'),
    rows: (sql) => postgresRows(databaseUrl, sql),
    instances,
    upstreams: () =>
      readIfThere(join(nginxDir, 'access.log'))
        .split('\n')
        .filter((line) => line.includes(' /api/'))
        .map((line) => line.split(' ').pop() ?? ''),
  };
}

function readIfThere(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/// `psql` with unaligned output, fields split by the unit separator.
function postgresRows(databaseUrl: string, sql: string): string[][] {
  const psql = process.env.TOKHAI_PSQL ?? 'psql';
  const out = execFileSync(psql, ['--no-psqlrc', '-v', 'ON_ERROR_STOP=1', '-At', '-F', '\x1f', '--dbname', databaseUrl, '-c', sql], {
    encoding: 'utf8',
  });
  return out.split('\n').filter((line) => line !== '').map((line) => line.split('\x1f'));
}

/// The same from the server's SQLite file (Python's stock sqlite3 module; Node 20 has none).
function sqliteRows(dataDir: string, sql: string): string[][] {
  const script = [
    'import json, sqlite3, sys',
    'db = sqlite3.connect(sys.argv[1])',
    'print(json.dumps([[("" if v is None else str(v)) for v in row] for row in db.execute(sys.argv[2])]))',
  ].join('\n');
  return JSON.parse(
    execFileSync('python3', ['-c', script, join(dataDir, 'tokhai.sqlite'), sql], { encoding: 'utf8' }),
  );
}

export function removeDataDir(dir: string) {
  rmSync(dir, { recursive: true, force: true });
}

/// Rows in the server's submissions table, of `kind` if given (kinds are fixed names, never
/// typed by a test's user).
export function countSubmissions(server: RunningServer, kind?: string): number {
  const where = kind ? ` WHERE kind = '${kind.replace(/[^a-z_]/g, '')}'` : '';
  return Number(server.rows(`SELECT COUNT(*) FROM submissions${where}`)[0][0]);
}

/// The ids stored in the server's submissions table.
export function storedIds(server: RunningServer): Set<string> {
  return new Set(server.rows('SELECT id FROM submissions').map((row) => row[0]));
}

/// Runs a Python snippet against the server's SQLite file and returns what it prints.
function sqlite(dataDir: string, code: string, ...args: string[]): string {
  const script = ['import sqlite3, sys', 'db = sqlite3.connect(sys.argv[1])', code].join('\n');
  return execFileSync('python3', ['-c', script, join(dataDir, 'tokhai.sqlite'), ...args], {
    encoding: 'utf8',
  }).trim();
}

/// SQLite's own consistency check of the database file.
export function integrityCheck(dataDir: string): string {
  return sqlite(dataDir, "print(db.execute('PRAGMA integrity_check').fetchone()[0])");
}

/// Each stored submission as `kind on_behalf person`, sorted: what the server holds, by kind.
export function storedDeclarations(server: RunningServer): string[] {
  return server
    .rows('SELECT kind, body FROM submissions')
    .map(([kind, body]) => {
      const content = JSON.parse(body).body;
      return `${kind} ${String(content.on_behalf).toLowerCase()} ${content.person.full_name}`;
    })
    .sort();
}
