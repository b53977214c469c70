// Starts tokhai's server (built by `cargo xtask test`) on a free local port with its own data
// directory, so every test runs against a fresh database and can stop the server it started.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
  /// Kills the process with SIGKILL: no graceful shutdown, as in a power cut or an OOM kill.
  crash(): Promise<void>;
  /// Everything the server has written to stdout and stderr so far.
  log(): string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite through \`cargo xtask test\``);
  return value;
}

export async function startServer(
  options: { port?: number; dataDir?: string; dist?: string } = {},
): Promise<RunningServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tokhai-e2e-'));
  const child: ChildProcess = spawn(required('TOKHAI_SERVER_BIN'), [], {
    env: {
      ...process.env,
      TOKHAI_ADDR: `127.0.0.1:${options.port ?? 0}`,
      TOKHAI_DATA_DIR: dataDir,
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
    stop: () => end('SIGTERM'),
    crash: () => end('SIGKILL'),
    log: () => log,
  };
}

export function removeDataDir(dir: string) {
  rmSync(dir, { recursive: true, force: true });
}

/// Rows in the server's submissions table, read straight from its SQLite file (Python's stock
/// sqlite3 module; Node 20 has none).
export function countSubmissions(dataDir: string, kind?: string): number {
  const query = "q = 'SELECT COUNT(*) FROM submissions' + (' WHERE kind = ?' if len(sys.argv) > 2 else '')";
  return Number(sqlite(dataDir, `${query}\nprint(db.execute(q, sys.argv[2:]).fetchone()[0])`, ...(kind ? [kind] : [])));
}

/// Runs a Python snippet against the server's SQLite file and returns what it prints.
function sqlite(dataDir: string, code: string, ...args: string[]): string {
  const script = ['import sqlite3, sys', 'db = sqlite3.connect(sys.argv[1])', code].join('\n');
  return execFileSync('python3', ['-c', script, join(dataDir, 'tokhai.sqlite'), ...args], {
    encoding: 'utf8',
  }).trim();
}

/// The ids stored in the server's submissions table.
export function storedIds(dataDir: string): Set<string> {
  const out = sqlite(dataDir, "print('\\n'.join(r[0] for r in db.execute('SELECT id FROM submissions')))");
  return new Set(out ? out.split('\n') : []);
}

/// SQLite's own consistency check of the database file.
export function integrityCheck(dataDir: string): string {
  return sqlite(dataDir, "print(db.execute('PRAGMA integrity_check').fetchone()[0])");
}

/// Each stored submission as `kind on_behalf person`, sorted: what the server holds, by kind.
export function storedDeclarations(dataDir: string): string[] {
  const out = sqlite(
    dataDir,
    [
      'import json',
      "rows = [(k, json.loads(b)['body']) for k, b in db.execute('SELECT kind, body FROM submissions')]",
      "print('\\n'.join(sorted(f\"{k} {str(b['on_behalf']).lower()} {b['person']['full_name']}\" for k, b in rows)))",
    ].join('\n'),
  );
  return out ? out.split('\n') : [];
}
