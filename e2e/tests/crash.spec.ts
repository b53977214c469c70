import { randomUUID } from 'node:crypto';
import { test, expect } from '../support/fixtures';
import { integrityCheck, startServer, storedIds } from '../support/server';
import { dailyHealth } from '../support/submissions';

test('kill -9 during a burst loses no acknowledged submission', async ({ server }) => {
  const acknowledged = new Set<string>();
  let stop = false;
  // Eight clients post as fast as they can until the server dies under them.
  const client = async () => {
    while (!stop) {
      const id = randomUUID();
      try {
        const response = await fetch(`${server.url}/api/v1/submissions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(dailyHealth(id)),
        });
        if (response.status === 201 || response.status === 200) acknowledged.add(id);
        else await response.arrayBuffer();
      } catch {
        return; // connection refused or reset: the server is gone
      }
    }
  };
  const clients = Array.from({ length: 8 }, client);
  // Kill it mid-burst once enough has been acknowledged: a fixed delay gave a
  // slow machine too few acknowledgements to mean anything.
  const deadline = Date.now() + 30_000;
  while (acknowledged.size <= 150 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await server.crash();
  stop = true;
  await Promise.all(clients);
  expect(acknowledged.size).toBeGreaterThan(100);

  expect(integrityCheck(server.dataDir)).toBe('ok');
  const restarted = await startServer({ port: server.port, dataDir: server.dataDir });
  try {
    const health = await fetch(`${restarted.url}/api/v1/health`);
    expect(health.status).toBe(200);
    const stored = storedIds(server);
    const missing = [...acknowledged].filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
  } finally {
    await restarted.stop();
  }
});
