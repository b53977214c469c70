// The app split: every screen is a chunk loaded on first use; each one opens on a first visit and
// offline once the service worker has precached the build; a chunk that cannot be fetched offers
// a retry; languages other than Vietnamese are fetched on demand and work offline once used; and
// index.html paints the header and a home skeleton before any Wasm has arrived.
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { test, expect } from '../support/fixtures';
import { waitForServiceWorker } from '../support/app';
import { posterLink, registerVenue, signInWithOrganisation } from '../support/venue';
import type { Page } from '@playwright/test';

const SOME_ID = '00000000-0000-4000-8000-000000000000';

/// Every route of app/src/routes.rs, with what its screen shows on a fresh device, signed out,
/// online and offline (the venue side needs the server; the citizen side does not).
const OFFLINE = 'Không kết nối được máy chủ';
const SCREENS: [string, string, string?][] = [
  ['/', 'Hồ sơ trên máy này'],
  ['/profiles/new', 'Hồ sơ mới'],
  [`/profiles/${SOME_ID}`, 'Không tìm thấy hồ sơ này trên máy'],
  [`/profiles/${SOME_ID}/declare/all-citizen`, 'Trước khi khai báo'],
  [`/profiles/${SOME_ID}/history`, 'Không tìm thấy hồ sơ này trên máy'],
  ['/outbox', 'Hàng chờ gửi'],
  ['/my-data', 'Dữ liệu của bạn'],
  ['/c#1.AAAA.AAAA', 'Khai báo đến địa điểm'],
  ['/visits', 'Nhật ký đi lại'],
  ['/venue', 'Đăng nhập cho cơ sở', OFFLINE],
  ['/venue/new', 'Đăng ký điểm kiểm soát'],
  [`/venue/${SOME_ID}/poster`, 'Máy chủ chưa xử lý được yêu cầu', OFFLINE],
  [`/venue/${SOME_ID}/visitors`, 'Danh sách khách đến'],
  ['/venue/staff', 'Thành viên tổ chức'],
  ['/alerts', 'Chưa có cảnh báo nào'],
  ['/officer', 'Đăng nhập cho cơ sở', OFFLINE],
  ['/officer/statistics', 'Đăng nhập cho cơ sở', OFFLINE],
  ['/officer/cases', 'Đăng nhập cho cơ sở', OFFLINE],
  ['/install', 'Cài ứng dụng lên màn hình chính'],
];

/// Errors the page logs, and uncaught exceptions.
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    // The screens only a signed-in member can use (poster, visitors, staff) ask the API for
    // their data and get a 401, which Chromium logs as a failed resource. `/venue` itself asks
    // /api/v1/venue-access, which always answers 200 (walkthrough.spec.ts checks it).
    if (message.type() === 'error' && !message.text().includes('status of 401')) {
      errors.push(`${page.url()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  return errors;
}

async function opens(page: Page, path: string, shows: string) {
  await page.goto(path);
  // The Wasm has taken over from the static first paint, and the screen's chunks are there.
  await expect(page.locator('#static-paint')).toHaveCount(0);
  await expect(page.locator('main')).toContainText(shows);
  await expect(page.locator('main')).not.toContainText('Không tải được màn hình này');
}

test('every screen opens on a first visit, and again offline once the app is precached', async ({ browser, server }) => {
  for (const [path, shows] of SCREENS) {
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await opens(page, path, shows);
    expect(errors, `console errors on ${path}`).toEqual([]);
    await context.close();
  }

  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await page.goto('/');
  await waitForServiceWorker(page);
  await context.setOffline(true);
  for (const [path, online, offline] of SCREENS) await opens(page, path, offline ?? online);
  await context.close();
});

test('a screen whose chunk cannot be fetched offers a retry that works once the network is back', async ({ browser, server }) => {
  // No service worker: the test's interception must see every chunk request.
  const context = await browser.newContext({ baseURL: server.url, serviceWorkers: 'block' });
  const page = await context.newPage();
  const chunk = /\/pkg\/[0-9a-f]+\/(?!app_bg)[^/]+\.wasm$/;
  await page.route(chunk, (route) => route.abort('internetdisconnected'));
  await page.goto('/outbox');
  await expect(page.getByRole('heading', { level: 1, name: 'Không tải được màn hình này' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Kiểm tra kết nối mạng');

  await page.unroute(chunk);
  await page.getByRole('button', { name: 'Thử lại' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hàng chờ gửi' })).toBeVisible();
  // Moving on to another screen loads its chunk as usual.
  await page.getByRole('link', { name: 'Tờ khai y tế' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ trên máy này' })).toBeVisible();
  await context.close();
});

test('Chinese, chosen online, still switches back and forth offline', async ({ page }) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  await page.getByLabel('Ngôn ngữ').selectOption({ label: '中文' });
  await expect(page.getByRole('heading', { level: 1, name: '本设备上的档案' })).toBeVisible();

  await page.context().setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '本设备上的档案' })).toBeVisible();
  await page.getByLabel('语言').selectOption({ label: 'Tiếng Việt' });
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ trên máy này' })).toBeVisible();
  await page.getByLabel('Ngôn ngữ').selectOption({ label: '中文' });
  await expect(page.getByRole('heading', { level: 1, name: '本设备上的档案' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh');
});

test('index.html paints the header and a home skeleton before the Wasm arrives', async ({ page }) => {
  // Hold the main module back: what shows is index.html and the CSS alone.
  await page.route(/\/pkg\/[0-9a-f]+\/app_bg\.wasm$/, () => {});
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ trên máy này' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Tờ khai y tế' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Điều hướng chính' })).toBeVisible();
  mkdirSync('artifacts', { recursive: true });
  await page.screenshot({ path: 'artifacts/static-first-paint.png', fullPage: true });
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => v.id)).toEqual([]);
});

test('a first visit to a new phone fetches the keys but not the outbox engine, and a poster still verifies offline afterwards', async ({ browser, server }) => {
  const venueContext = await browser.newContext({ baseURL: server.url });
  const manager = await venueContext.newPage();
  await signInWithOrganisation(manager, server, '0912000777', 'Quán cơm Bình Dân');
  const poster = await posterLink(manager, await registerVenue(manager, 'Quán cơm số 1', 'Nhà hàng, quán ăn'));
  await venueContext.close();

  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  const modules: string[] = [];
  page.on('request', (request) => modules.push(new URL(request.url()).pathname));
  const keys = page.waitForResponse((response) => response.url().endsWith('/api/v1/keys'));
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ trên máy này' })).toBeVisible();
  expect((await keys).status()).toBe(200);
  await waitForServiceWorker(page);
  expect(modules.filter((path) => path.endsWith('/split_outbox_engine.wasm'))).toEqual([]);

  // Offline, the poster is verified with the keys that first visit kept.
  await context.setOffline(true);
  await page.goto(poster);
  await expect(page.getByRole('heading', { level: 1, name: 'Khai báo đến địa điểm' })).toBeVisible();
  await expect(page.getByText('Quán cơm số 1')).toBeVisible();
  // Verified, not refused: the phone only asks for a profile to check in with.
  await expect(page.getByRole('alert')).toHaveText('Thêm hồ sơ của bạn trước, rồi quét lại mã QR.');

  // The device now has its database: from the next start on, the engine runs.
  await context.setOffline(false);
  await page.goto('/');
  await expect.poll(() => modules.some((path) => path.endsWith('/split_outbox_engine.wasm'))).toBe(true);
  await context.close();
});
