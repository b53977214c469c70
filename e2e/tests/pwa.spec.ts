import { chromium } from '@playwright/test';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
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

/// A second deployment made from the first: every file of `from` copied to a new directory,
/// with the build's fingerprint replaced by another of the same length everywhere (the package
/// directory's name, the build id in sw.js and inside the Wasm, the paths in index.html and the
/// loaders), so its assets live at other URLs, as a real new build's do. Precompressed copies
/// are left out (the server then sends the files as they are).
function nextBuild(from: string): { dist: string; pkg: string } {
  const dist = mkdtempSync(join(tmpdir(), 'tokhai-dist-b-'));
  const [old] = readdirSync(join(from, 'pkg'));
  const next = [...old].map((c) => ((parseInt(c, 16) + 1) % 16).toString(16)).join('');
  const rewrite = (dir: string, out: string) => {
    mkdirSync(out, { recursive: true });
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const name = entry.name === old ? next : entry.name;
      if (entry.isDirectory()) {
        rewrite(join(dir, entry.name), join(out, name));
      } else if (!/\.(br|gz)$/.test(name)) {
        const bytes = readFileSync(join(dir, entry.name));
        let text = bytes.toString('latin1');
        text = text.split(old).join(next).split(old.slice(0, 8)).join(next.slice(0, 8));
        writeFileSync(join(out, name), Buffer.from(text, 'latin1'));
      }
    }
  };
  rewrite(from, dist);
  // Deployed within the same second as A, the worst case for Last-Modified (one-second
  // precision): B's index.html carries A's date, so only a precache that ignores validators
  // stores B's. The worker itself is dated later, as the browser's update check needs.
  const { mtime } = statSync(join(from, 'index.html'));
  utimesSync(join(dist, 'index.html'), mtime, mtime);
  const later = new Date(Date.now() + 60_000);
  utimesSync(join(dist, 'sw.js'), later, later);
  return { dist, pkg: `/pkg/${next}/` };
}

test('a new deployment is offered, taken only when the person agrees, and never mixed with the open one', async ({ page, server }) => {
  test.setTimeout(120_000);
  // Build A, served from a copy; build B made from it, as the next deployment.
  const distA = mkdtempSync(join(tmpdir(), 'tokhai-dist-a-'));
  cpSync(process.env.TOKHAI_DIST!, distA, { recursive: true });
  const pkgA = `/pkg/${readdirSync(join(distA, 'pkg'))[0]}/`;
  const { dist: distB, pkg: pkgB } = nextBuild(distA);
  await server.stop();
  let current = await startServer({ port: server.port, dataDir: server.dataDir, dist: distA });
  const failed: string[] = [];
  const fetched: { url: string; phase: string }[] = [];
  let phase = 'A';
  page.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.url()} ${response.status()}`);
    const path = new URL(response.url()).pathname;
    if (path.startsWith('/pkg/')) fetched.push({ url: path, phase });
  });
  try {
    await page.goto(current.url);
    await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ trên máy này' })).toBeVisible();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
      }
    });
    const [cacheA] = await page.evaluate(() => caches.keys());
    expect(cacheA).toMatch(/^tokhai-/);

    // B is deployed while A stays open; the open app looks again when the tab is shown.
    await current.stop();
    current = await startServer({ port: server.port, dataDir: server.dataDir, dist: distB });
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    const banner = page.getByRole('status').filter({ hasText: 'Đã có phiên bản mới' });
    await expect(banner).toBeVisible({ timeout: 20_000 });
    // Not agreed yet: A keeps running, and a screen it has not opened before still gets A's
    // chunks (from A's cache: the server has only B's now).
    expect(await page.evaluate(() => caches.keys())).toEqual(expect.arrayContaining([cacheA]));
    await page.getByRole('link', { name: 'Dành cho cơ sở', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.getByRole('link', { name: 'Hàng chờ gửi', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(fetched.filter((entry) => !entry.url.startsWith(pkgA))).toEqual([]);

    // Agreed: B takes over, A's cache goes, and from then on only B's files load.
    phase = 'B';
    const reloaded = page.waitForEvent('load');
    await banner.getByRole('button', { name: 'Tải lại' }).click();
    await reloaded;
    // The same screen, now from B.
    await expect(page.getByRole('heading', { level: 1, name: 'Hàng chờ gửi' })).toBeVisible();
    await expect.poll(() => page.evaluate(() => caches.keys())).toEqual([expect.not.stringMatching(`^${cacheA}$`)]);
    await expect(page.getByRole('status').filter({ hasText: 'Đã có phiên bản mới' })).toHaveCount(0);
    await page.getByRole('link', { name: 'Dành cho cơ sở', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const afterSwitch = fetched.filter((entry) => entry.phase === 'B');
    expect(afterSwitch.length).toBeGreaterThan(0);
    expect(afterSwitch.filter((entry) => !entry.url.startsWith(pkgB))).toEqual([]);
    expect(failed).toEqual([]);
  } finally {
    await current.stop();
    rmSync(distA, { recursive: true, force: true });
    rmSync(distB, { recursive: true, force: true });
  }
});
