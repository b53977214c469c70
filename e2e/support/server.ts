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
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function removeDataDir(dir: string) {
  rmSync(dir, { recursive: true, force: true });
}

/// Rows in the server's submissions table, read straight from its SQLite file (Python's stock
/// sqlite3 module; Node 20 has none).
export function countSubmissions(dataDir: string, kind?: string): number {
  const script = [
    'import sqlite3, sys',
    'db = sqlite3.connect(sys.argv[1])',
    "q = 'SELECT COUNT(*) FROM submissions' + (' WHERE kind = ?' if len(sys.argv) > 2 else '')",
    'print(db.execute(q, sys.argv[2:]).fetchone()[0])',
  ].join('\n');
  const args = ['-c', script, join(dataDir, 'tokhai.sqlite'), ...(kind ? [kind] : [])];
  return Number(execFileSync('python3', args, { encoding: 'utf8' }).trim());
}
