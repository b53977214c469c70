import { chromium } from '@playwright/test';
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchOptions } from '../support/chromium';
import { startServer } from '../support/server';
import { test, expect } from '../support/fixtures';

test('the second visit works with the server stopped', async ({ page, server }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ trên máy này' })).toBeVisible();
  // Wait until the worker has precached the build and controls the page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });

  await server.stop();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ trên máy này' })).toBeVisible();
  // Any app route opens offline, and local storage still works.
  await page.goto('/profiles/new');
  await page.getByLabel('Họ và tên').fill('Trần Thị Bình');
  await page.getByLabel('Năm sinh').fill('1948');
  await page.getByRole('button', { name: 'Lưu' }).click();
  await expect(page.getByRole('link', { name: /^Trần Thị Bình/ })).toBeVisible();
});

test('Chromium finds no installability errors in the manifest', async ({ server }) => {
  // Installability is judged only outside incognito, so this test uses a persistent profile.
  const profileDir = mkdtempSync(join(tmpdir(), 'tokhai-profile-'));
  const context = await chromium.launchPersistentContext(profileDir, launchOptions);
  try {
    const page = await context.newPage();
    await page.goto(server.url);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.evaluate(() => navigator.serviceWorker.ready);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
  } finally {
    await context.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
});

test('responses carry the caching and security headers', async ({ request, page }) => {
  await page.goto('/');
  // The Wasm is fetched by the loader module, which may still be starting when `load` fires.
  let assets: string[] = [];
  const isWasm = (path: string) => /^\/pkg\/[0-9a-f]+\/app_bg\.wasm$/.test(path);
  await expect
    .poll(async () => {
      assets = await page.evaluate(() =>
        performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname),
      );
      return assets.some(isWasm);
    })
    .toBe(true);
  const wasm = assets.find(isWasm);

  const index = await request.get('/');
  const csp = index.headers()['content-security-policy'];
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain("'unsafe-eval'");
  for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) {
    expect(csp).toContain(directive);
  }
  expect(index.headers()['cache-control']).toBe('no-cache');
  expect(index.headers()['x-content-type-options']).toBe('nosniff');
  expect(index.headers()['referrer-policy']).toBe('no-referrer');

  const asset = await request.get(wasm!);
  expect(asset.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(asset.headers()['content-type']).toBe('application/wasm');

  const worker = await request.get('/sw.js');
  expect(worker.headers()['cache-control']).toBe('no-cache');
  expect(await worker.text()).toContain(wasm!);

  const health = await request.get('/api/v1/health');
  expect(health.status()).toBe(200);
  expect(health.headers()['cache-control']).toBe('no-store');
  expect(await health.json()).toMatchObject({ status: 'ok' });

  const missing = await request.get('/api/v1/no-such-endpoint');
  expect(missing.status()).toBe(404);
  expect(missing.headers()['content-type']).toContain('application/json');
  expect(await missing.json()).toMatchObject({ error: 'not_found' });

  const openapi = await request.get('/api/v1/openapi.json');
  expect((await openapi.json()).paths).toHaveProperty('/api/v1/health');
});

test('a new build takes over, offers a reload and deletes the old cache', async ({ page, server }) => {
  // Serve a copy of the build, so the test can publish a "new version" of it.
  const dist = mkdtempSync(join(tmpdir(), 'tokhai-dist-'));
  cpSync(process.env.TOKHAI_DIST!, dist, { recursive: true });
  await server.stop();
  let current = await startServer({ port: server.port, dataDir: server.dataDir, dist });
  try {
    await page.goto(current.url);
    await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ trên máy này' })).toBeVisible();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
      }
    });
    const [oldCache] = await page.evaluate(() => caches.keys());
    expect(oldCache).toMatch(/^tokhai-/);

    await current.stop();
    const worker = readFileSync(join(dist, 'sw.js'), 'utf8');
    writeFileSync(join(dist, 'sw.js'), worker.replace(/const BUILD = "([^"]+)"/, 'const BUILD = "$1-next"'));
    rmSync(join(dist, 'sw.js.br'));
    // A real deployment happens later than this test's first visit, within the same second;
    // Last-Modified has one-second precision, so date the new worker in the future.
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dist, 'sw.js'), later, later);
    current = await startServer({ port: server.port, dataDir: server.dataDir, dist });

    await page.reload();
    await expect(page.getByRole('status')).toContainText('Đã có phiên bản mới');
    await expect.poll(() => page.evaluate(() => caches.keys())).toEqual([`${oldCache}-next`]);
    await page.getByRole('button', { name: 'Tải lại' }).click();
    // The reload is served by the new worker. (Its Wasm is still the old one here, since only the
    // worker's build id was changed, so the banner may show again; a real new build matches.)
    await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ trên máy này' })).toBeVisible();
  } finally {
    await current.stop();
    rmSync(dist, { recursive: true, force: true });
  }
});
