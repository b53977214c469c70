// `cargo xtask bench size`: which files a first visit downloads, per screen and along the
// first-time path, recorded in Chromium with the service worker blocked (its background precache
// comes after the first visit and is reported apart). xtask turns the list of URLs into brotli
// bytes from dist/ and prints the table; nothing here is asserted against a budget.
import { writeFileSync } from 'node:fs';
import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { serverForThisFile } from './server';
import { posterLink, registerVenue, signInWithOrganisation } from '../support/venue';

const SOME_ID = '00000000-0000-4000-8000-000000000000';

/// A first visit to each screen, by the split name of app/src/routes.rs.
const SCREENS: [string, string][] = [
  ['home', '/'],
  ['new_profile', '/profiles/new'],
  ['edit_profile', `/profiles/${SOME_ID}`],
  ['declare', `/profiles/${SOME_ID}/declare/all-citizen`],
  ['history', `/profiles/${SOME_ID}/history`],
  ['outbox', '/outbox'],
  ['my_data', '/my-data'],
  ['scan', '/scan'],
  ['check_in', '/c#1.AAAA.AAAA'],
  ['visits', '/visits'],
  ['venue_home', '/venue'],
  ['register_venue', '/venue/new'],
  ['poster', `/venue/${SOME_ID}/poster`],
  ['visitors', `/venue/${SOME_ID}/visitors`],
  ['staff', '/venue/staff'],
];

const report: { name: string; urls: string[] }[] = [];
const server = serverForThisFile(() =>
  writeFileSync(process.env.TOKHAI_SIZE_REPORT ?? 'size-report.json', JSON.stringify(report, null, 2)),
);

/// A context like a new phone's: empty caches, and no service worker, whose precache would
/// otherwise download the whole app during the visit.
async function firstVisit(browser: import('@playwright/test').Browser): Promise<[BrowserContext, string[]]> {
  const context = await browser.newContext({ baseURL: server.url, serviceWorkers: 'block' });
  const urls: string[] = [];
  context.on('requestfinished', (request) => urls.push(new URL(request.url()).pathname));
  return [context, urls];
}

/// The Wasm has replaced the static first paint and the screen's chunks have arrived.
async function settled(page: Page) {
  await expect(page.locator('#static-paint')).toHaveCount(0);
  await page.waitForLoadState('networkidle');
  await expect(page.getByText('Đang tải…')).toHaveCount(0);
}

test('first visit of each screen', async ({ browser }) => {
  for (const [name, path] of SCREENS) {
    const [context, urls] = await firstVisit(browser);
    const page = await context.newPage();
    await page.goto(path);
    await settled(page);
    report.push({ name, urls: [...urls] });
    await context.close();
  }
});

test('first-time path: poster link → new profile → consent → all-citizen declaration → check-in', async ({ browser }) => {
  const venueContext = await browser.newContext({ baseURL: server.url });
  const manager = await venueContext.newPage();
  await signInWithOrganisation(manager, server, '0912000999', 'Siêu thị Bench');
  const poster = await posterLink(manager, await registerVenue(manager, 'Siêu thị cổng 1', 'Cửa hàng, siêu thị'));
  await venueContext.close();

  const [context, urls] = await firstVisit(browser);
  const page = await context.newPage();
  await page.goto(poster);
  await settled(page);
  await page.goto('/profiles/new');
  await page.getByLabel('Họ và tên').fill('Nguyễn Thị Bench');
  await page.getByLabel('Năm sinh').fill('1990');
  await page.getByLabel('Giới tính').selectOption({ label: 'Nữ' });
  await page.getByRole('combobox', { name: 'Phường / xã / đặc khu' }).fill('thu duc');
  await page.getByRole('option', { name: /^Phường Thủ Đức/ }).first().click();
  await page.getByLabel('Số nhà, đường, thôn/ấp').fill('12 Võ Văn Ngân');
  await page.getByRole('button', { name: 'Lưu' }).click();
  const profile = page.getByRole('link', { name: /Nguyễn Thị Bench/ }).first();
  await expect(profile).toBeVisible();
  const id = /\/profiles\/([^/]+)/.exec((await profile.getAttribute('href')) ?? '')![1];
  await page.goto(`/profiles/${id}/declare/all-citizen`);
  await page.getByRole('button', { name: 'Tôi đồng ý' }).click();
  await expect(page.getByRole('button', { name: 'Gửi tờ khai' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  await page.goto(poster);
  await settled(page);
  report.push({ name: 'first-time path', urls: [...urls] });
  await context.close();
});
