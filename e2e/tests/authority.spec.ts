// The health authority (DESIGN.md §3.5, §4; issue 14): an officer, granted by the server's
// command, publishes an exposure event for a venue and time a citizen checked in at; the
// citizen's phone, in another browser context, matches it against its own diary and alerts once,
// sends nothing about it, and never alerts for an event withdrawn before it synced. The officer's
// statistics count the check-in for the right province and day (chart, tables and CSV agree),
// and a case lookup shows the visitors in full and lands in the officer's own trail.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Request } from '@playwright/test';
import { test, expect } from '../support/fixtures';
import { createFullProfile, declareDailyHealth } from '../support/app';
import { seriousViolations } from '../support/axe';
import { grantOfficer, posterLink, registerVenue, signInAsOfficer, signInWithOrganisation, visitsAt } from '../support/venue';

const OFFICER = '0912000990';
const CITIZEN = 'Phạm Thị Lan';
const VENUE = 'Chợ Đồng Xuân';

/// `ms` as a `datetime-local` value in Vietnam time (UTC+7).
function vietnamInput(ms: number): string {
  return new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16);
}

/// Today in Vietnam, `YYYY-MM-DD`.
function vietnamToday(): string {
  return new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
}

async function axeClean(page: Page, screen: string) {
  expect(await seriousViolations(page), `axe on ${screen}`).toEqual([]);
}

async function inBothLanguages(page: Page, screen: string) {
  await axeClean(page, `${screen} (vi)`);
  await page.getByLabel('Ngôn ngữ').selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await axeClean(page, `${screen} (en)`);
  await page.getByLabel('Language').selectOption('vi');
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
}

/// Publishes an event at the venue from the officer's form; returns once the server lists
/// `listed` events.
async function publish(officer: Page, level: string, adviceVi: string, listed: number) {
  const now = Date.now();
  await officer.getByLabel('Tìm điểm kiểm soát (tên hoặc mã ngắn)').fill('dong xuan');
  await officer.getByRole('button', { name: 'Tìm', exact: true }).click();
  await officer.getByRole('button', { name: new RegExp(`^Chọn ${VENUE}`) }).click();
  await officer.getByLabel('Bắt đầu (giờ Việt Nam)').fill(vietnamInput(now - 3_600_000));
  await officer.getByLabel('Kết thúc (giờ Việt Nam)').fill(vietnamInput(now));
  await officer.getByLabel('Mức cảnh báo').selectOption({ label: level });
  await officer.getByLabel('Lời dặn (tiếng Việt)').fill(adviceVi);
  await officer.getByLabel('Lời dặn (tiếng Anh)').fill('Follow the advice of your local health station.');
  await officer.getByRole('button', { name: 'Công bố' }).click();
  await expect(officer.getByRole('status').filter({ hasText: 'Đã lưu.' })).toBeVisible();
  await expect.poll(async () => (await (await officer.request.get('/api/v1/officer/exposures')).json()).length).toBe(listed);
}

test('an exposure event alerts the citizen once, matched on the phone; a withdrawn one never alerts', { tag: '@scale-out' }, async ({ page, browser, server }) => {
  test.setTimeout(180_000);
  // The venue, and a citizen who checks in there by its poster.
  await signInWithOrganisation(page, server, '0912000991', 'Ban quản lý chợ');
  const venueId = await registerVenue(page, VENUE, 'Chợ');
  const poster = await posterLink(page, venueId);
  const citizenContext = await browser.newContext({ baseURL: server.url });
  const citizen = await citizenContext.newPage();
  await createFullProfile(citizen, { name: CITIZEN, year: '1988' });
  await declareDailyHealth(citizen, CITIZEN);
  await citizen.goto(poster);
  await citizen.getByRole('button', { name: 'Khai báo đến' }).click();
  await expect(citizen.getByRole('status').first()).toContainText('Đã lưu khai báo đến');
  // After the first check-in, and not before, notifications are offered.
  await expect(citizen.getByRole('button', { name: 'Báo cho tôi bằng thông báo khi có nguy cơ' })).toBeVisible();
  await expect.poll(async () => (await visitsAt(page, venueId)).length).toBe(1);
  await citizen.goto('/');
  await expect(citizen.getByRole('heading', { name: 'Bạn có thể đã tiếp xúc với nguồn lây' })).toHaveCount(0);

  // The officer: refused until the command grants the role.
  const officerContext = await browser.newContext({ baseURL: server.url });
  const officer = await officerContext.newPage();
  await signInAsOfficer(officer, server, OFFICER);
  await expect(officer.getByRole('alert')).toContainText('chưa được cấp quyền cán bộ y tế');
  grantOfficer(server, OFFICER);
  await officer.reload();
  await expect(officer.getByRole('heading', { level: 1, name: 'Sự kiện có nguy cơ lây nhiễm' })).toBeVisible();

  // Published and withdrawn while the citizen's app is not looking.
  await publish(officer, 'Đi xét nghiệm', 'Sự kiện nhầm, sẽ thu hồi.', 1);
  await officer.getByRole('button', { name: `Thu hồi sự kiện tại ${VENUE}` }).click();
  await expect(officer.getByText('Đã thu hồi')).toBeVisible();
  await expect(officer.getByRole('button', { name: `Thu hồi sự kiện tại ${VENUE}` })).toHaveCount(0);
  // The real one.
  await publish(officer, 'Cách ly và gọi đường dây nóng', 'Ở nhà, gọi trạm y tế phường để được lấy mẫu.', 2);
  await inBothLanguages(officer, 'the exposure events screen');
  // Edited before the citizen syncs: the phone gets the edited advice.
  const edited = 'Ở nhà, gọi trạm y tế phường để được lấy mẫu tại nhà.';
  await officer.getByRole('button', { name: `Sửa sự kiện tại ${VENUE}` }).click();
  await expect(officer.getByRole('heading', { name: 'Sửa sự kiện' })).toBeVisible();
  await expect(officer.getByLabel('Lời dặn (tiếng Việt)')).toHaveValue('Ở nhà, gọi trạm y tế phường để được lấy mẫu.');
  await expect(officer.getByLabel('Mức cảnh báo')).toHaveValue('isolate');
  await officer.getByLabel('Lời dặn (tiếng Việt)').fill(edited);
  await officer.getByRole('button', { name: 'Lưu thay đổi' }).click();
  await expect.poll(async () => (await (await officer.request.get('/api/v1/officer/exposures')).json())[0].advice_vi).toBe(edited);
  await expect(officer.getByRole('heading', { name: 'Sửa sự kiện' })).toHaveCount(0);
  const events = await (await officer.request.get('/api/v1/officer/exposures')).json();
  const eventIds: string[] = events.map((event: { event_id: string }) => event.event_id);
  expect(eventIds).toHaveLength(2);

  // The citizen's app starts: it fetches the list, and sends nothing after that.
  const sent: Request[] = [];
  citizen.on('request', (request) => sent.push(request));
  const fetched = citizen.waitForResponse((response) => response.url().includes('/api/v1/exposures?since='));
  await citizen.reload();
  const listResponse = await fetched;
  const alert = citizen.getByRole('article', { name: 'Bạn có thể đã tiếp xúc với nguồn lây' });
  await expect(alert).toHaveCount(1, { timeout: 20_000 });
  await expect(alert).toContainText(VENUE);
  await expect(alert).toContainText('Hãy ở nhà, tránh tiếp xúc với người khác');
  await expect(alert).toContainText(edited);
  await expect(alert).not.toContainText('Sự kiện nhầm');
  await expect(alert.getByRole('link', { name: 'Gọi đường dây nóng 1900 9095' })).toHaveAttribute('href', 'tel:19009095');
  await inBothLanguages(citizen, 'the alert');
  await citizen.waitForTimeout(1_000);
  const afterList = sent.slice(sent.findIndex((request) => request === listResponse.request()) + 1);
  for (const request of afterList) {
    expect(request.method(), `${request.method()} ${request.url()} after the list`).toBe('GET');
    for (const id of [...eventIds, venueId]) expect(request.url()).not.toContain(id);
  }
  expect(afterList.filter((request) => request.url().includes('/api/') && !/\/api\/v1\/(keys|policy|exposures)/.test(request.url()))).toEqual([]);

  // Read, then a reload: no alert again, but it stays listed.
  await alert.getByRole('button', { name: 'Tôi đã đọc' }).click();
  await expect(alert).toHaveCount(0);
  const again = citizen.waitForResponse((response) => response.url().includes('/api/v1/exposures?since='));
  await citizen.reload();
  await again;
  await citizen.waitForTimeout(1_000);
  await expect(citizen.getByRole('heading', { name: 'Bạn có thể đã tiếp xúc với nguồn lây' })).toHaveCount(0);
  await citizen.getByRole('link', { name: 'Cảnh báo tiếp xúc (1)' }).click();
  await expect(citizen.getByRole('heading', { level: 1, name: 'Cảnh báo tiếp xúc' })).toBeVisible();
  await expect(citizen.getByRole('article')).toHaveCount(1);
  await inBothLanguages(citizen, 'the alerts screen');
  await citizenContext.close();
  await officerContext.close();
});

test('statistics count the check-in for its province and day (chart, tables and CSV agree), and a case lookup is audited in the officer\'s trail', async ({ page, browser, server }) => {
  test.setTimeout(180_000);
  await signInWithOrganisation(page, server, '0912000992', 'Ban quản lý chợ');
  const venueId = await registerVenue(page, VENUE, 'Chợ');
  const citizenContext = await browser.newContext({ baseURL: server.url });
  const citizen = await citizenContext.newPage();
  await createFullProfile(citizen, { name: CITIZEN, year: '1988', phone: '0987654321' });
  await declareDailyHealth(citizen, CITIZEN);
  await citizen.goto(await posterLink(page, venueId));
  await citizen.getByRole('button', { name: 'Khai báo đến' }).click();
  await expect(citizen.getByRole('status').first()).toContainText('Đã lưu khai báo đến');
  await expect.poll(async () => (await visitsAt(page, venueId)).length).toBe(1);
  await citizenContext.close();

  grantOfficer(server, OFFICER);
  const officerContext = await browser.newContext({ baseURL: server.url });
  const officer = await officerContext.newPage();
  await signInAsOfficer(officer, server, OFFICER);
  await officer.getByRole('link', { name: 'Thống kê' }).click();
  await expect(officer.getByRole('heading', { level: 1, name: 'Thống kê' })).toBeVisible();
  const today = vietnamToday();
  // Per province and day: the venue in Hà Nội with its check-in; the declaration in HCMC, the
  // citizen's province.
  const rows = officer.locator('#province-rows tbody tr');
  await expect(rows.filter({ hasText: 'Thành phố Hà Nội' })).toHaveText(new RegExp(`${today}\\s*Thành phố Hà Nội\\s*1\\s*1\\s*0`));
  await expect(rows.filter({ hasText: 'Thành phố Hồ Chí Minh' })).toHaveText(new RegExp(`${today}\\s*Thành phố Hồ Chí Minh\\s*0\\s*0\\s*1`));
  // The chart's bars say what the daily table says, for every day shown.
  const daily = officer.locator('#daily-totals tbody tr');
  await expect(daily).toHaveCount(14);
  for (const [bar, column] of [['bar-check-ins', 2], ['bar-declarations', 3]] as const) {
    const charted = await officer.locator(`rect.${bar}`).evaluateAll((rects) => rects.map((rect) => [rect.getAttribute('data-day'), rect.getAttribute('data-value')]));
    const tabled = await daily.evaluateAll((trs, column) => trs.map((tr) => [tr.children[0].textContent, tr.children[column].textContent]), column);
    expect(charted).toEqual(tabled);
  }
  await expect(officer.getByRole('img', { name: `${today}: 1 lượt quét mã` })).toHaveCount(1);
  // Chosen province: Hồ Chí Minh City has the declaration and no check-in.
  await officer.getByLabel('Biểu đồ của tỉnh, thành phố').selectOption({ label: 'Thành phố Hồ Chí Minh' });
  await expect(officer.getByRole('img', { name: `${today}: 0 lượt quét mã` })).toHaveCount(1);
  await expect(officer.getByRole('img', { name: `${today}: 1 tờ khai` })).toHaveCount(1);
  await inBothLanguages(officer, 'the statistics screen');

  // The CSV has the same counts and opens in LibreOffice without a formula cell.
  const csv = await (await officer.request.get(`/api/v1/officer/statistics.csv?from=${today}&to=${today}`)).text();
  expect(csv).toContain(`${today},1,Thành phố Hà Nội,1,1,0`);
  expect(csv).toContain(`${today},79,Thành phố Hồ Chí Minh,0,0,1`);
  const dir = mkdtempSync(join(tmpdir(), 'tokhai-statistics-'));
  writeFileSync(join(dir, 'statistics.csv'), csv);
  execFileSync('soffice', ['--headless', '--norestore', '--infilter=CSV:44,34,76', '--convert-to', 'fods', '--outdir', dir, join(dir, 'statistics.csv')], {
    env: { ...process.env, HOME: dir },
  });
  const sheet = readFileSync(join(dir, 'statistics.fods'), 'utf8');
  expect(sheet).toContain('Thành phố Hà Nội');
  expect(sheet).not.toContain('table:formula');

  // A case lookup: refused without a case reference, then the visitors in full, audited.
  await officer.getByRole('link', { name: 'Tra cứu theo ca bệnh' }).click();
  await expect(officer.getByRole('heading', { level: 1, name: 'Tra cứu theo ca bệnh' })).toBeVisible();
  await expect(officer.getByText('Bạn chưa tra cứu lần nào.')).toBeVisible();
  await officer.getByLabel('Tìm điểm kiểm soát (tên hoặc mã ngắn)').fill('dong xuan');
  await officer.getByRole('button', { name: 'Tìm', exact: true }).click();
  await officer.getByRole('button', { name: new RegExp(`^Chọn ${VENUE}`) }).click();
  await officer.getByRole('button', { name: 'Xem danh sách khách' }).click();
  await expect(officer.getByLabel('Mã hồ sơ ca bệnh')).toHaveAttribute('aria-invalid', 'true');
  await officer.getByLabel('Mã hồ sơ ca bệnh').fill('HN-F0-0142');
  await officer.getByRole('button', { name: 'Xem danh sách khách' }).click();
  const visitors = officer.locator('#case-visitors');
  await expect(visitors).toContainText(CITIZEN);
  await expect(visitors).toContainText('0987654321');
  const trail = officer.locator('#case-trail tbody tr');
  await expect(trail).toHaveCount(1);
  await expect(trail).toContainText('HN-F0-0142');
  await expect(trail).toContainText(VENUE);
  await inBothLanguages(officer, 'the case lookup screen');
  await officerContext.close();
});
