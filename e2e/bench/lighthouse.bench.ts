// `cargo xtask bench lighthouse`: Lighthouse (npm `lighthouse`, installed by xtask under
// target/tools/lighthouse, nothing uploaded) in its mobile preset — a mid-range phone on a slow
// 4G link, simulated — on Debian's Chromium, for the five screens of DESIGN.md §8: home, the
// profile form, the all-citizen declaration, the pass, and a poster link. The state those
// screens need (a profile, a declaration, a venue) is made first in the same browser profile;
// before each run the service worker, its caches and the HTTP cache are cleared, so every
// screen is measured as a first visit. Each report is kept as JSON under target/bench/lighthouse/.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, chromium, type BrowserContext, type Page } from '@playwright/test';
import { launchOptions } from '../support/chromium';
import { serverForThisFile } from './server';
import { createProfile, declareDailyHealth, openProfileAction, waitForServiceWorker } from '../support/app';
import { posterLink, registerVenue, signInWithOrganisation } from '../support/venue';
import { atLeast, figure } from './figures';

const PORT = 9333;
const RUNS = 3;
const NAME = 'Trần Thị Mai';

const server = serverForThisFile();

interface Report {
  categories: Record<string, { score: number | null }>;
  audits: Record<string, { numericValue?: number }>;
}

type Lighthouse = (url: string, flags: Record<string, unknown>) => Promise<{ lhr: Report } | undefined>;

async function loadLighthouse(): Promise<Lighthouse> {
  const dir = process.env.TOKHAI_LIGHTHOUSE_DIR;
  if (!dir) throw new Error('TOKHAI_LIGHTHOUSE_DIR is not set: run it through `cargo xtask bench lighthouse`');
  const module = await import(pathToFileURL(join(dir, 'node_modules/lighthouse/core/index.js')).href);
  return module.default as Lighthouse;
}

/// A first visit again: no service worker, no Cache Storage, no HTTP cache; IndexedDB (the
/// profile and its pass) stays.
async function forgetCaches(context: BrowserContext, page: Page) {
  await page.evaluate(async () => {
    for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
    for (const key of await caches.keys()) await caches.delete(key);
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
}

test('Lighthouse mobile on the five screens', async () => {
  test.setTimeout(1_800_000);
  const lighthouse = await loadLighthouse();
  const profileDir = mkdtempSync(join(tmpdir(), 'tokhai-lighthouse-'));
  const out = join(__dirname, '../../target/bench/lighthouse');
  mkdirSync(out, { recursive: true });
  const context = await chromium.launchPersistentContext(profileDir, {
    ...launchOptions,
    args: [...(launchOptions.args ?? []), `--remote-debugging-port=${PORT}`],
    baseURL: server.url,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    // The state: a profile with a declaration (so the pass has a credential), and a venue.
    await page.goto('/');
    await waitForServiceWorker(page);
    await createProfile(page, NAME, '1985');
    await declareDailyHealth(page, NAME);
    await page.goto('/');
    await page.getByRole('link', { name: `Mã QR cá nhân: ${NAME}` }).click();
    await page.waitForURL(/\/pass/);
    const pass = new URL(page.url()).pathname;
    await page.goto('/');
    await openProfileAction(page, 'Khai báo y tế toàn dân', NAME);
    await page.waitForURL((url) => url.pathname !== '/');
    const allCitizen = new URL(page.url()).pathname + new URL(page.url()).search;
    await signInWithOrganisation(page, server, '0912000997', 'Bench Lighthouse');
    const poster = new URL(await posterLink(page, await registerVenue(page, 'Cổng Lighthouse', 'Chợ')), server.url);
    const screens: [string, string][] = [
      ['home', '/'],
      ['profile form', '/profiles/new'],
      ['all-citizen declaration', allCitizen],
      ['pass', pass],
      ['poster link', poster.pathname + poster.hash],
    ];
    for (const [name, path] of screens) {
      // Lighthouse's scores swing from run to run on two cores: each figure is the median of
      // RUNS runs (the run whose performance score is the median is kept on disk).
      const runs: Report[] = [];
      for (let run = 0; run < RUNS; run++) {
        await page.goto('/');
        await forgetCaches(context, page);
        await page.goto('about:blank');
        const result = await lighthouse(`${server.url}${path}`, {
          port: PORT,
          output: 'json',
          logLevel: 'error',
          onlyCategories: ['performance', 'accessibility', 'best-practices'],
          disableStorageReset: true,
          locale: 'en',
        });
        if (!result) throw new Error(`Lighthouse returned nothing for ${path}`);
        runs.push(result.lhr);
      }
      const score = (lhr: Report, category: string) => Math.round((lhr.categories[category]?.score ?? 0) * 100);
      const audit = (lhr: Report, id: string) => lhr.audits[id]?.numericValue ?? NaN;
      const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
      const scores = (category: string) => median(runs.map((lhr) => score(lhr, category)));
      const audits = (id: string) => median(runs.map((lhr) => audit(lhr, id)));
      const kept = runs.find((lhr) => score(lhr, 'performance') === scores('performance')) ?? runs[0];
      writeFileSync(join(out, `${name.replace(/\W+/g, '-')}.json`), JSON.stringify(kept));
      figure('lighthouse', `${name}: performance`, scores('performance'), 'score', atLeast(98));
      figure('lighthouse', `${name}: accessibility`, scores('accessibility'), 'score', atLeast(100));
      figure('lighthouse', `${name}: best practices`, scores('best-practices'), 'score');
      figure('lighthouse', `${name}: FCP`, audits('first-contentful-paint'), 'ms');
      figure('lighthouse', `${name}: LCP`, audits('largest-contentful-paint'), 'ms');
      figure('lighthouse', `${name}: TBT`, audits('total-blocking-time'), 'ms');
      figure('lighthouse', `${name}: CLS`, audits('cumulative-layout-shift'), '');
      console.log(
        `${name.padEnd(24)} performance ${runs.map((lhr) => score(lhr, 'performance')).join('/')}, ` +
          `accessibility ${scores('accessibility')}, best practices ${scores('best-practices')}; medians: ` +
          `FCP ${audits('first-contentful-paint').toFixed(0)} ms, LCP ${audits('largest-contentful-paint').toFixed(0)} ms, ` +
          `TBT ${audits('total-blocking-time').toFixed(0)} ms (runs ${runs.map((lhr) => audit(lhr, 'total-blocking-time').toFixed(0)).join('/')}), ` +
          `CLS ${audits('cumulative-layout-shift').toFixed(3)}`,
      );
    }
  } finally {
    await context.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
});
