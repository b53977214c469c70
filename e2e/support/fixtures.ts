// Test fixtures: a fresh server per test, and guards that fail any test whose page violated the
// Content-Security-Policy or contacted a host other than the app's own.
import { test as base, expect } from '@playwright/test';
import { removeDataDir, startFixtureServer, type RunningServer } from './server';

interface Fixtures {
  server: RunningServer;
  guards: void;
}

export const test = base.extend<Fixtures>({
  server: async ({}, use) => {
    const server = await startFixtureServer();
    await use(server);
    // Behind the balancer, both instances answered: the flow crossed between them.
    if (server.upstreams) {
      const upstreams = server.upstreams();
      expect(new Set(upstreams).size, `API requests by instance: ${upstreams.join(' ')}`).toBe(2);
    }
    await server.stop();
    removeDataDir(server.dataDir);
  },
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
  // Every test: no request leaves for another host, and no page sees a CSP violation.
  guards: [
    async ({ context, server }, use) => {
      await context.addInitScript(() => {
        const violations: string[] = [];
        (window as unknown as { __cspViolations: string[] }).__cspViolations = violations;
        document.addEventListener('securitypolicyviolation', (event) => {
          violations.push(`${event.violatedDirective} ${event.blockedURI}`);
        });
      });
      const foreign: string[] = [];
      const own = new URL(server.url).host;
      context.on('request', (request) => {
        const url = new URL(request.url());
        if (url.protocol.startsWith('http') && url.host !== own) foreign.push(request.url());
      });
      await use();
      expect(foreign, 'requests to hosts other than the app').toEqual([]);
      for (const page of context.pages()) {
        if (page.isClosed() || !page.url().startsWith(server.url)) continue;
        const violations = await page
          .evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])
          .catch(() => []);
        expect(violations, `CSP violations on ${page.url()}`).toEqual([]);
      }
    },
    { auto: true },
  ],
});

export { expect };
