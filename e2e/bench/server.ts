// One server for every bench of a file: started before the first, stopped (its data removed)
// after the last. The object is filled in by `beforeAll`, so the file can name it at the top.
import { test } from '@playwright/test';
import { removeDataDir, startServer, type RunningServer } from '../support/server';

export function serverForThisFile(afterLast?: () => void): RunningServer {
  const server = {} as RunningServer;
  test.beforeAll(async () => {
    Object.assign(server, await startServer());
  });
  test.afterAll(async () => {
    afterLast?.();
    await server.stop();
    removeDataDir(server.dataDir);
  });
  return server;
}
