// Test fixtures: a fresh server per test, and guards that fail a test whose page violated the
// Content-Security-Policy or contacted any host but the app's own.
import { test as base, expect } from '@playwright/test';
import { removeDataDir, startServer, type RunningServer } from './server';

interface Fixtures {
  server: RunningServer;
  foreignRequests: string[];
}

export const test = base.extend<Fixtures>({
  server: async ({}, use) => {
    const server = await startServer();
    await use(server);
    await server.stop();
    removeDataDir(server.dataDir);
  },
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
  foreignRequests: async ({ context, server }, use) => {
    const foreign: string[] = [];
    const own = new URL(server.url).host;
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol.startsWith('http') && url.host !== own) foreign.push(request.url());
    });
    await use(foreign);
    expect(foreign, 'requests to hosts other than the app').toEqual([]);
  },
  context: async ({ context }, use) => {
    await context.addInitScript(() => {
      const violations: string[] = [];
      (window as unknown as { __cspViolations: string[] }).__cspViolations = violations;
      document.addEventListener('securitypolicyviolation', (event) => {
        violations.push(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    await use(context);
  },
});

/// The CSP violations the page has seen since it loaded.
export async function cspViolations(page: import('@playwright/test').Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}

export { expect };
