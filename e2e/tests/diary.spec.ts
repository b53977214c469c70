// The visits diary (DESIGN.md §3.4): a household checks in with one poster, opening the poster
// again shows the open visit instead of a second one, checking in elsewhere closes it, and a
// forgotten visit closes itself at the venue's default stay; the server sees each as one visit.
import { seriousViolations } from '../support/axe';
import { test, expect } from '../support/fixtures';
import { agreeToConsent, createFullProfile, declareDailyHealth } from '../support/app';
import { posterLink, registerVenue, signInWithOrganisation, visitsAt } from '../support/venue';
import type { Page } from '@playwright/test';

test('a household checks in with one scan, cannot start a second visit there, and checks out', async ({ page, server }) => {
  await signInWithOrganisation(page, server, '0912000801', 'Siêu thị Hạnh Phúc');
  const venueId = await registerVenue(page, 'Quầy thu ngân', 'Cửa hàng, siêu thị');
  const poster = await posterLink(page, venueId);
  for (const [name, year] of [['Lê Văn Tám', '1980'], ['Lê Thị Bé', '2015']]) {
    await createFullProfile(page, { name, year });
    await declareDailyHealth(page, name);
  }

  await page.goto(poster);
  await page.getByLabel('Lê Văn Tám').check();
  await page.getByLabel('Lê Thị Bé').check();
  await page.getByLabel('Tôi khai hộ người này').check();
  await page.getByRole('button', { name: 'Khai báo đến' }).click();
  await expect(page.getByRole('status')).toContainText('Đã lưu khai báo đến');
  await expect(page.locator('.visit-open')).toContainText('Lê Thị Bé, Lê Văn Tám');
  expect(await seriousViolations(page)).toEqual([]);

  // The poster again, later: the open visit, not a second check-in.
  await page.goto('/');
  await page.goto(poster);
  await expect(page.getByRole('status')).toContainText('Bạn đang khai báo có mặt ở đây');
  await expect(page.getByRole('button', { name: 'Khai báo đến' })).toHaveCount(0);
  await expect.poll(async () => (await visitsAt(page, venueId)).length).toBe(2);

  await page.getByRole('button', { name: 'Khai báo ra về' }).click();
  await expect(page.getByRole('status')).toContainText('Đã lưu khai báo ra về');
  await expect
    .poll(async () => (await visitsAt(page, venueId)).filter((visit) => visit.left_at_ms !== null).length)
    .toBe(2);
  expect(await visitsAt(page, venueId)).toHaveLength(2);

  await page.goto('/visits');
  const entry = page.getByRole('listitem').filter({ hasText: 'Quầy thu ngân' });
  await expect(entry).toContainText('Lê Thị Bé, Lê Văn Tám');
  await expect(entry).toContainText(/Đến lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  await expect(entry).toContainText(/Ra về lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  expect(await seriousViolations(page)).toEqual([]);
});

test('checking in elsewhere closes the open visit; a forgotten one closes at the default stay', async ({ page, server }) => {
  await signInWithOrganisation(page, server, '0912000802', 'Công ty Dệt Nam Định');
  const gate = await registerVenue(page, 'Cổng nhà máy', 'Nhà máy, xí nghiệp');
  const canteen = await registerVenue(page, 'Nhà ăn ca', 'Nhà hàng, quán ăn');
  await createFullProfile(page, { name: 'Đinh Thị Hạnh', year: '1992' });
  await declareDailyHealth(page, 'Đinh Thị Hạnh');

  await page.goto(await posterLink(page, gate));
  await page.getByRole('button', { name: 'Khai báo đến' }).click();
  await expect(page.getByRole('status')).toContainText('Đã lưu khai báo đến');
  await page.goto('/');
  await page.goto(await posterLink(page, canteen));
  await page.getByRole('button', { name: 'Khai báo đến' }).click();
  await expect(page.getByRole('status')).toContainText('Đã lưu khai báo đến');

  await page.goto('/visits');
  await expect(page.getByRole('listitem').filter({ hasText: 'Cổng nhà máy' })).toContainText(
    'Tự động khai báo ra về khi khai báo đến nơi khác.',
  );
  await expect(page.getByRole('listitem').filter({ hasText: 'Nhà ăn ca' })).toContainText('Đang ở đây');
  await expect.poll(async () => (await visitsAt(page, gate))[0]?.left_at_ms ?? null).not.toBeNull();

  // Nobody checks out of the canteen: two hours later (its default stay is an hour) the diary
  // shows it closed at arrival + 60 minutes, and the departure reaches the server.
  await page.clock.setFixedTime(Date.now() + 2 * 3600 * 1000);
  await page.goto('/visits');
  const canteenVisit = page.getByRole('listitem').filter({ hasText: 'Nhà ăn ca' });
  await expect(canteenVisit).toContainText('Tự động khai báo ra về khi hết thời gian lưu lại thông thường.');
  const stays = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('tokhai');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const visits = await new Promise<{ venue_name: string; arrived_at_ms: number; left_at_ms: number }[]>((resolve) => {
      const request = db.transaction('visits').objectStore('visits').getAll();
      request.onsuccess = () => resolve(request.result);
    });
    db.close();
    return visits.map((visit) => ({ venue: visit.venue_name, arrived: visit.arrived_at_ms, stay: visit.left_at_ms - visit.arrived_at_ms }));
  });
  // A forgotten visit never runs past the midnight (Vietnam time) after its arrival, so a run
  // late in the evening expects the shorter stay.
  const canteenStay = stays.find((visit) => visit.venue === 'Nhà ăn ca');
  const vietnamOffset = 7 * 3600 * 1000;
  const day = 24 * 3600 * 1000;
  const untilMidnight = day - ((canteenStay!.arrived + vietnamOffset) % day);
  expect(canteenStay?.stay).toBe(Math.min(60 * 60 * 1000, untilMidnight));
  await expect.poll(async () => (await visitsAt(page, canteen))[0]?.left_at_ms ?? null).not.toBeNull();
});

test('a person without a valid declaration declares first; the check-in then completes by itself, offline too', async ({ page, context, server }) => {
  await signInWithOrganisation(page, server, '0912000803', 'Trường Tiểu học Kim Đồng');
  const school = await registerVenue(page, 'Cổng trường', 'Trường học');
  const poster = await posterLink(page, school);
  await createFullProfile(page, { name: 'Hà Văn Nam', year: '1986' });

  // Offline from here: both the declaration and the check-in wait in the outbox, in that order.
  await context.route('**/api/v1/submissions/batch', (route) => route.abort('internetdisconnected'));
  await page.goto(poster);
  await page.getByRole('button', { name: 'Khai báo đến' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Trước khi khai báo|Khai báo y tế toàn dân/);
  const send = await agreeToConsent(page);
  await expect(page.getByText('Cần khai báo y tế trước khi khai báo đến địa điểm')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByLabel(/^Tôi cam kết/).check();
  await send.click();
  await expect(page.getByRole('status')).toContainText('Đã lưu khai báo đến');
  await expect(page.locator('.visit-open')).toContainText('Hà Văn Nam');
  await page.goto('/outbox');
  const queued = page.getByRole('listitem');
  await expect(queued).toHaveCount(2);
  await expect(queued.nth(0)).toContainText('Khai báo y tế toàn dân');
  await expect(queued.nth(1)).toContainText('Khai báo đến/đi địa điểm');

  // Back online: the server gets the declaration and the visit.
  await context.unroute('**/api/v1/submissions/batch');
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await expect(page.getByText('Không có mục nào đang chờ gửi.')).toBeVisible();
  expect(await visitsAt(page, school)).toHaveLength(1);
});

test('a declaration past its validity sends the person to the form; after saving, the check-in exists without another scan', async ({ page, server }) => {
  await signInWithOrganisation(page, server, '0912000806', 'Bưu điện Trung tâm');
  const office = await registerVenue(page, 'Quầy giao dịch', 'Cơ quan, công sở');
  const poster = await posterLink(page, office);
  await createFullProfile(page, { name: 'Tạ Văn Khoa', year: '1971' });
  // The daily check was made two days ago: it was valid for 24 hours. (The clock runs on from
  // there, so that the outbox's retries come due as they would.)
  await page.clock.setSystemTime(Date.now() - 2 * 24 * 3600 * 1000);
  await declareDailyHealth(page, 'Tạ Văn Khoa');
  await page.goto('/outbox');
  await expect(page.getByText('Không có mục nào đang chờ gửi.')).toBeVisible({ timeout: 30_000 });
  await page.clock.setSystemTime(Date.now());
  await page.goto('/');
  await expect(page.getByText('Tờ khai đã hết hạn, hãy khai báo lại')).toBeVisible();
  await page.goto(poster);
  await page.getByRole('button', { name: 'Khai báo đến' }).click();
  await expect(page.getByText('Cần khai báo y tế trước khi khai báo đến địa điểm')).toBeVisible();
  const send = await agreeToConsent(page);
  await page.getByLabel(/^Tôi cam kết/).check();
  await send.click();
  await expect(page.getByRole('status')).toContainText('Đã lưu khai báo đến');
  await expect(page.locator('.visit-open')).toContainText('Tạ Văn Khoa');
  await expect.poll(async () => (await visitsAt(page, office)).length).toBe(1);
});

test('visits older than 21 days leave the diary when the app next starts', async ({ page, server }) => {
  await signInWithOrganisation(page, server, '0912000804', 'Nhà văn hoá khu phố 3');
  const hall = await registerVenue(page, 'Hội trường', 'Loại hình khác');
  await createFullProfile(page, { name: 'Cao Thị Yến', year: '1960' });
  await declareDailyHealth(page, 'Cao Thị Yến');
  await page.goto(await posterLink(page, hall));
  await page.getByRole('button', { name: 'Khai báo đến' }).click();
  await expect(page.getByRole('status')).toContainText('Đã lưu khai báo đến');
  await page.goto('/visits');
  await expect(page.getByRole('listitem')).toHaveCount(1);

  await page.clock.setFixedTime(Date.now() + 22 * 24 * 3600 * 1000);
  await page.goto('/visits');
  await expect(page.getByText('Chưa có lần đến nào.')).toBeVisible();
});

/// `ms` as a `datetime-local` value in Vietnam time.
function vietnamInput(ms: number): string {
  return new Date(ms + 7 * 3600 * 1000).toISOString().slice(0, 16);
}

test('a visit time corrected in the diary reaches the server; an impossible one is refused and kept as typed', async ({ page, server }) => {
  await signInWithOrganisation(page, server, '0912000805', 'Nhà văn hoá khu phố 3');
  const hall = await registerVenue(page, 'Hội trường', 'Loại hình khác');
  await createFullProfile(page, { name: 'Quách Thị Yến', year: '1979' });
  await declareDailyHealth(page, 'Quách Thị Yến');
  await page.goto(await posterLink(page, hall));
  await page.getByRole('button', { name: 'Khai báo đến' }).click();
  await expect(page.getByRole('status')).toContainText('Đã lưu khai báo đến');
  await page.getByRole('button', { name: 'Khai báo ra về' }).click();
  await expect(page.getByRole('status')).toContainText('Đã lưu khai báo ra về');
  await expect.poll(async () => (await visitsAt(page, hall))[0]?.left_at_ms ?? null).not.toBeNull();
  const [recorded] = await visitsAt(page, hall);

  await page.goto('/visits');
  await page.getByRole('button', { name: 'Sửa giờ: Hội trường' }).click();
  const [arrived, left] = [page.getByLabel('Giờ đến'), page.getByLabel('Giờ về')];
  await expect(arrived).toHaveValue(vietnamInput(recorded.arrived_at_ms!));
  const shownLeft = await left.inputValue();
  const before = vietnamInput(recorded.arrived_at_ms! - 10 * 60 * 1000);
  await left.fill(before);
  await page.getByRole('button', { name: 'Lưu giờ đã sửa' }).click();
  await expect(page.getByRole('alert')).toContainText('Giờ về phải sau giờ đến.');
  await expect(left).toHaveValue(before);
  expect(await seriousViolations(page)).toEqual([]);

  // Really arrived 40 minutes earlier than the scan says; the departure stays as recorded.
  const corrected = Math.floor(recorded.arrived_at_ms! / 60000) * 60000 - 40 * 60 * 1000;
  await left.fill(shownLeft);
  await arrived.fill(vietnamInput(corrected));
  await page.getByRole('button', { name: 'Lưu giờ đã sửa' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Đã lưu giờ đã sửa' })).toBeVisible();
  await expect.poll(async () => (await visitsAt(page, hall))[0]?.arrived_at_ms).toBe(corrected);
  expect((await visitsAt(page, hall))[0].left_at_ms).toBe(recorded.left_at_ms);
  const shown = new Date(corrected + 7 * 3600 * 1000).toISOString();
  await expect(page.getByRole('listitem').filter({ hasText: 'Hội trường' })).toContainText(
    `Đến lúc ${shown.slice(8, 10)}/${shown.slice(5, 7)}/${shown.slice(0, 4)} ${shown.slice(11, 16)}`,
  );
});
