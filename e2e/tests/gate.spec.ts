// Gate mode (DESIGN.md §4, issue 13): a citizen's pass, read off their screen, filmed by the
// staff phone's camera with the network cut; verified on the staff phone, recorded through the
// outbox, and in the venue's visitor list once the network is back. Stale, printed, expired and
// forged codes each get their own verdict; a chip ID card's QR is recorded masked, a visitor
// without their phone by number and the one-time code sent to it, and a visitor with neither is
// declared for on the spot on the staff phone.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures';
import { agreeToConsent, createProfile, declareDailyHealth, waitForServiceWorker } from '../support/app';
import { seriousViolations } from '../support/axe';
import { browserFilming, posedFrame, qrPng, writeVideo } from '../support/camera';
import { base45, credential, expectNoPersonalData, readCode, toBase45 } from '../support/pass';
import { codeFromLog, registerVenue, signInWithOrganisation, visitsAt } from '../support/venue';

const NAME = 'Nguyễn Thị Hoa';
const PERSONAL = ['1950', '0912345678', '2345678'];

async function axeClean(page: Page, screen: string) {
  expect(await seriousViolations(page), `axe on ${screen}`).toEqual([]);
}

test('gate mode verifies passes offline, records arrivals and departures for the visitor list, and refuses stale, expired and forged codes', { tag: '@scale-out' }, async ({
  page,
  server,
}) => {
  test.setTimeout(240_000);
  // The citizen declares online and opens the pass.
  await page.goto('/');
  await waitForServiceWorker(page);
  await createProfile(page, NAME, '1950', '0912345678');
  await declareDailyHealth(page, NAME);
  await page.goto('/');
  await page.getByRole('link', { name: `Mã QR cá nhân: ${NAME}` }).click();
  await expect(page.getByRole('status').filter({ hasText: /Hợp lệ đến \d/ })).toBeVisible({ timeout: 20_000 });
  const qr = page.getByRole('img', { name: `Mã QR cá nhân của ${NAME}` });
  const live = await readCode(qr);
  expectNoPersonalData(live, NAME, PERSONAL);
  await page.getByRole('button', { name: 'In thẻ' }).click();
  const card = await readCode(page.getByRole('article', { name: 'Thẻ in' }).getByRole('img'));
  expectNoPersonalData(card, NAME, PERSONAL);
  // A code captured ten minutes ago: the same pass shown with the phone's clock ten minutes back.
  await page.clock.setFixedTime(new Date(Date.now() - 10 * 60_000));
  await page.reload();
  const stale = await readCode(qr);
  expect(stale).not.toBe(live);
  expectNoPersonalData(stale, NAME, PERSONAL);
  // A forged card: the masked name edited, the server's signature left as it was.
  const forgedBytes = base45(card.slice(3));
  forgedBytes[credential(forgedBytes).nameAt + 1] = 'M'.charCodeAt(0);
  const forged = `P1.${toBase45(forgedBytes)}`;
  expect(base45(forged.slice(3))).toEqual(forgedBytes);

  // The staff phone films the citizen's screen; the camera is allowed only once the network is cut.
  const video = writeVideo([await posedFrame(page, await qrPng(live), { size: 0.85, rotateDeg: 0 })], [20]);
  const { browser, context: staff } = await browserFilming(video, server.url, false);
  try {
    const gate = await staff.newPage();
    await signInWithOrganisation(gate, server, '0912000031', 'Công ty May Hoà Bình');
    const venueId = await registerVenue(gate, 'Cổng nhà máy', 'Nhà máy, xí nghiệp');
    await waitForServiceWorker(gate);
    await gate.goto('/venue');
    await gate.getByRole('link', { name: 'Cổng kiểm soát: Cổng nhà máy' }).click();
    const title = gate.getByRole('heading', { level: 1, name: 'Cổng kiểm soát: Cổng nhà máy' });
    await expect(title).toBeVisible();
    const count = gate.getByRole('status').filter({ hasText: 'Đang ở trong hôm nay:' });
    await expect(count).toHaveText('Đang ở trong hôm nay: 0');

    await staff.setOffline(true);
    await staff.grantPermissions(['camera']);
    await gate.reload();
    await expect(title).toBeVisible();
    const verdict = gate.getByRole('alert', { name: 'Kết quả quét' });
    await expect(verdict).toContainText('HỢP LỆ', { timeout: 30_000 });
    await expect(verdict).toContainText('NGUYỄN T. H');
    await expect(verdict).toContainText('Đã ghi: vào');
    await axeClean(gate, 'a valid verdict');
    await verdict.getByRole('button', { name: 'Quét người tiếp theo' }).click();
    await expect(count).toHaveText('Đang ở trong hôm nay: 1');
    // The camera still sees the same phone for a few seconds more: one presentation, one arrival.
    await gate.waitForTimeout(4_000);
    await expect(verdict).toBeHidden();

    await staff.setOffline(false);
    await expect
      .poll(async () => (await visitsAt(gate, venueId)).map((visit) => [visit.name, visit.left_at_ms]), { timeout: 30_000 })
      .toEqual([['NGUYỄN T. H', null]]);

    // Without the camera, codes are presented as photos; two minutes later, a second scan of the
    // same pass (its printed card) is the departure.
    await staff.clearPermissions();
    await gate.clock.setFixedTime(new Date(Date.now() + 2 * 60_000));
    await gate.reload();
    await expect(title).toBeVisible();
    await axeClean(gate, 'the gate screen');
    const photos = mkdtempSync(join(tmpdir(), 'tokhai-gate-'));
    let shown = 0;
    const present = async (code: string) => {
      const file = join(photos, `${shown++}.png`);
      writeFileSync(file, await qrPng(code));
      await gate.getByLabel('Chọn ảnh chụp mã QR cá nhân').setInputFiles(file);
      await expect(verdict).toBeVisible({ timeout: 15_000 });
    };
    const next = async () => {
      await verdict.getByRole('button', { name: 'Quét người tiếp theo' }).click();
      await expect(verdict).toBeHidden();
    };

    await present(stale);
    await expect(verdict).toContainText('KHÔNG HỢP LỆ');
    await expect(verdict).toContainText('Mã đã cũ (quá 5 phút)');
    await axeClean(gate, 'an invalid verdict');
    await next();

    await present(card);
    await expect(verdict).toContainText('HỢP LỆ');
    await expect(verdict).toContainText('Thẻ in');
    await expect(verdict).toContainText('Đã ghi: ra');
    await next();
    await expect(count).toHaveText('Đang ở trong hôm nay: 0');
    await expect
      .poll(async () => (await visitsAt(gate, venueId))[0]?.left_at_ms ?? null, { timeout: 30_000 })
      .not.toBeNull();

    await present(forged);
    await expect(verdict).toContainText('KHÔNG HỢP LỆ');
    await expect(verdict).toContainText('Mã không hợp lệ: đã bị sửa hoặc giả mạo.');
    await next();

    // A visitor without a phone: the QR code on the back of their chip ID card, kept masked.
    await present(readFileSync(join(__dirname, '../../docs/vectors/cccd-qr.txt'), 'utf8'));
    await expect(verdict).toContainText('CĂN CƯỚC CÔNG DÂN');
    await expect(verdict).toContainText('NGUYỄN V. A');
    await expect(verdict).toContainText('******509');
    await expect(verdict).toContainText('Đã ghi: vào');
    await axeClean(gate, 'an ID card verdict');
    await next();
    await expect(count).toHaveText('Đang ở trong hôm nay: 1');
    await expect
      .poll(async () => (await visitsAt(gate, venueId)).map((visit) => visit.name).sort(), { timeout: 30_000 })
      .toEqual(['NGUYỄN T. H', 'NGUYỄN V. A']);
    const listed = JSON.stringify(await visitsAt(gate, venueId));
    for (const kept_out of ['Võ Văn Ngân', '079085001509', 'Văn An', '1985']) expect(listed).not.toContain(kept_out);

    // A visitor who left their phone at home: found by their number, confirmed with the code sent to it.
    await gate.getByLabel('Số điện thoại của khách').fill('0987654321');
    await gate.getByRole('button', { name: 'Gửi mã cho khách' }).click();
    const noDeclaration = gate.getByRole('alert').filter({ hasText: 'Không có tờ khai nào với số điện thoại này.' });
    await expect(noDeclaration.getByRole('button', { name: 'Khai hộ trên máy này' })).toBeVisible();
    await gate.getByLabel('Số điện thoại của khách').fill('0912 345 678');
    await gate.getByRole('button', { name: 'Gửi mã cho khách' }).click();
    await expect(gate.getByRole('status').filter({ hasText: 'Đã gửi mã tới 09******78 (NGUYỄN T. H).' })).toBeVisible();
    await gate.getByLabel('Mã khách nhận được (6 chữ số)').fill(await codeFromLog(server, '0912345678', 'gate check-in'));
    await axeClean(gate, 'the phone path');
    await gate.getByRole('button', { name: 'Xác nhận và ghi' }).click();
    await expect(verdict).toContainText('ĐÃ XÁC NHẬN QUA SỐ ĐIỆN THOẠI');
    await expect(verdict).toContainText('NGUYỄN T. H');
    await expect(verdict).toContainText('09******78');
    await expect(verdict).toContainText('Đã ghi: vào');
    await next();
    await expect(count).toHaveText('Đang ở trong hôm nay: 2');
    const byPhone = (await visitsAt(gate, venueId)).find((visit) => (visit as { phone?: string }).phone === '09******78');
    expect(byPhone?.name).toBe('NGUYỄN T. H');

    // Three days on, the declaration has expired: amber, with since when, in English too.
    await gate.clock.setFixedTime(new Date(Date.now() + 3 * 24 * 3_600_000));
    await gate.reload();
    await present(card);
    await expect(verdict).toContainText('HẾT HẠN');
    await expect(verdict).toContainText('Hết hạn từ');
    await expect(verdict).toHaveClass(/verdict-expired/);
    await next();
    await gate.goto('/');
    await gate.getByLabel('Ngôn ngữ').selectOption('en');
    await gate.goto(`/venue/${venueId}/gate`);
    await expect(gate.getByRole('heading', { level: 1, name: 'Gate mode: Cổng nhà máy' })).toBeVisible();
    await axeClean(gate, 'the gate screen (en)');
    const verdictEn = gate.getByRole('alert', { name: 'Scan result' });
    const file = join(photos, 'en.png');
    writeFileSync(file, await qrPng(card));
    await gate.getByLabel('Choose a photo of the personal QR code').setInputFiles(file);
    await expect(verdictEn).toContainText('EXPIRED');
    await expect(verdictEn).toContainText('Expired since');
    await axeClean(gate, 'an expired verdict (en)');
    expect((await visitsAt(gate, venueId)).length).toBe(3);
  } finally {
    await browser.close();
  }
});

test('a visitor with neither phone nor card is declared for on the staff phone, offline, recorded at the gate, and their profile leaves the phone', async ({ page, server }) => {
  test.setTimeout(120_000);
  const visitor = 'Trần Văn Bình';
  await page.goto('/');
  await waitForServiceWorker(page);
  await signInWithOrganisation(page, server, '0912000032', 'Chợ Bến Thành');
  const venueId = await registerVenue(page, 'Cổng chợ', 'Chợ');
  await page.goto(`/venue/${venueId}/gate`);
  const title = page.getByRole('heading', { level: 1, name: 'Cổng kiểm soát: Cổng chợ' });
  await expect(title).toBeVisible();

  // With the network cut: the declaration and the scan wait in the outbox, declaration first.
  await page.context().setOffline(true);
  await page.getByRole('button', { name: 'Khai hộ khách không có điện thoại' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ mới' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Đang khai hộ một khách tại cổng.' })).toBeVisible();
  await page.getByLabel('Họ và tên').fill(visitor);
  await page.getByLabel('Năm sinh').fill('1962');
  await page.getByLabel('Giới tính').selectOption({ label: 'Nam' });
  await page.getByRole('combobox', { name: 'Phường / xã / đặc khu' }).fill('ben thanh');
  await page.getByRole('option', { name: /^Phường Bến Thành/ }).first().click();
  await page.getByLabel('Số nhà, đường, thôn/ấp').fill('45 Lê Lợi');
  await page.getByRole('button', { name: 'Lưu' }).click();

  // Straight on to the declaration, made on the visitor's behalf.
  const send = await agreeToConsent(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Khai báo y tế toàn dân' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Đang khai hộ một khách tại cổng.' })).toBeVisible();
  await expect(page.getByLabel('Tôi khai hộ người này')).toBeChecked();
  await expect(page.getByText(visitor, { exact: true })).toBeVisible();
  await page.getByLabel(/^Tôi cam kết/).check();
  await send.click();

  // Back at the gate: recorded in, masked, and the profile is gone from the phone.
  await expect(title).toBeVisible();
  const verdict = page.getByRole('alert', { name: 'Kết quả quét' });
  await expect(verdict).toContainText('ĐÃ KHAI HỘ TẠI CỔNG');
  await expect(verdict).toContainText('TRẦN V. B');
  await expect(verdict).toContainText('Đã ghi: vào');
  expect(await seriousViolations(page), 'axe on a declared-at-the-gate verdict').toEqual([]);
  await verdict.getByRole('button', { name: 'Quét người tiếp theo' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Đang ở trong hôm nay:' })).toHaveText('Đang ở trong hôm nay: 1');
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ trên máy này' })).toBeVisible();
  await expect(page.getByText(visitor)).toHaveCount(0);

  // Online again: the declaration and the scan reach the server; the list shows the masked name.
  await page.context().setOffline(false);
  await expect
    .poll(async () => (await visitsAt(page, venueId)).map((visit) => visit.name), { timeout: 30_000 })
    .toEqual(['TRẦN V. B']);
  // The declaration may come in a later attempt than the scan (each item keeps its own backoff).
  const declarations = () => server.rows("SELECT body FROM submissions WHERE kind = 'all_citizen'");
  await expect.poll(() => declarations().length, { timeout: 30_000 }).toBe(1);
  expect(JSON.stringify(declarations())).toContain(visitor);
  // A later profile made on the phone is not sent to the gate.
  await page.goto('/profiles/new');
  await expect(page.getByRole('status').filter({ hasText: 'Đang khai hộ một khách tại cổng.' })).toHaveCount(0);
});
