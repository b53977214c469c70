// The venue side: sign in with the development code from the server log, create an organisation,
// register a control point, print its poster, and check the poster's QR independently: decoded
// with jsQR from the rendered page and verified against the published key with Node's Ed25519.
import { seriousViolations } from '../support/axe';
import { createPublicKey, verify } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { test, expect } from '../support/fixtures';
import { createFullProfile, declareDailyHealth, waitForDraft } from '../support/app';
import { codeFromLog, posterLink, registerVenue, signInWithOrganisation } from '../support/venue';
import type { Page } from '@playwright/test';

function base64url(text: string): Buffer {
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

test('a manager signs in, registers a control point and prints a poster whose QR verifies', { tag: '@scale-out' }, async ({ page, server }) => {
  const found: string[] = [];
  await page.goto('/');
  await page.getByRole('link', { name: 'Dành cho cơ sở' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Đăng nhập cho cơ sở' })).toBeVisible();
  found.push(...(await seriousViolations(page)).map((v) => `sign-in: ${v}`));

  await page.getByLabel('Số điện thoại').fill('0912 345 678');
  await page.getByRole('button', { name: 'Gửi mã đăng nhập' }).click();
  await expect(page.getByRole('status')).toContainText('Mã đăng nhập đã được gửi');
  const code = await codeFromLog(server, '0912345678');
  await page.getByLabel('Mã đăng nhập (6 chữ số)').fill(code === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('Mã không đúng.');
  await page.getByLabel('Mã đăng nhập (6 chữ số)').fill(code);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();

  await page.getByLabel('Tên tổ chức').fill('Ban quản lý chợ Bến Thành');
  await page.getByRole('button', { name: 'Tạo tổ chức' }).click();
  await expect(page.getByText('Chưa có điểm kiểm soát nào.')).toBeVisible();
  await page.getByRole('link', { name: 'Đăng ký điểm kiểm soát' }).click();

  // Registration: errors first, then a complete form.
  const register = page.getByRole('button', { name: 'Đăng ký điểm kiểm soát' });
  await register.click();
  await expect(page.getByLabel('Tên điểm kiểm soát')).toHaveAttribute('aria-invalid', 'true');
  found.push(...(await seriousViolations(page)).map((v) => `registration with errors: ${v}`));
  await page.getByLabel('Tên điểm kiểm soát').fill('Chợ Bến Thành cổng 1');
  // A reload mid-way keeps what was typed.
  await waitForDraft(page, 'venue:new', 'Chợ Bến Thành cổng 1');
  await page.reload();
  await expect(page.getByLabel('Tên điểm kiểm soát')).toHaveValue('Chợ Bến Thành cổng 1');
  await page.getByLabel('Loại hình').selectOption({ label: 'Chợ' });
  await page.getByRole('combobox', { name: 'Tỉnh / thành phố' }).fill('ho chi minh');
  await page.getByRole('option', { name: 'Thành phố Hồ Chí Minh', exact: true }).click();
  await page.getByLabel('Số nhà, đường, thôn/ấp').fill('Lê Lợi');
  await page.getByLabel('Thời gian lưu lại mặc định (phút)').fill('45');
  await register.click();

  // The poster.
  await expect(page.getByRole('heading', { level: 1, name: 'Chợ Bến Thành cổng 1' })).toBeVisible();
  const qr = page.getByRole('img', { name: 'Mã QR khai báo của điểm kiểm soát' });
  await expect(qr).toBeVisible();
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(page.getByText('Scan this QR code with the tokhai app')).toBeVisible();
  const shortCode = await page.getByText(/^[2-9A-HJKMNP-Z]{8}$/).textContent();
  expect(shortCode).toBeTruthy();
  found.push(...(await seriousViolations(page)).map((v) => `poster: ${v}`));

  const artefacts = join(__dirname, '..', 'artifacts');
  mkdirSync(artefacts, { recursive: true });
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: join(artefacts, 'poster-print.png'), fullPage: true });
  await expect(page.getByRole('button', { name: 'In áp phích' })).toBeHidden();

  // Decode the QR as a camera would see it, with a decoder that is not ours.
  const png = PNG.sync.read(await qr.screenshot());
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(decoded, 'jsQR found the code').not.toBeNull();
  const url = decoded!.data;
  expect(url.startsWith(`${server.url}/c#1.`)).toBe(true);

  // Verify the signature with the published key.
  const keys = await (await page.request.get('/api/v1/keys')).json();
  const [, payloadText, signatureText] = url.split('#')[1].split('.');
  const payload = base64url(payloadText);
  const keyId = payload.readUInt16BE(16);
  const key = keys.keys.find((k: { key_id: number }) => k.key_id === keyId);
  expect(key, `key ${keyId} is published`).toBeTruthy();
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), base64url(key.public_key)]);
  const publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const message = Buffer.concat([Buffer.from('tokhai/poster/v1\0'), payload]);
  expect(verify(null, message, publicKey, base64url(signatureText))).toBe(true);
  const edited = Buffer.from(message);
  edited[edited.length - 1] ^= 1;
  expect(verify(null, edited, publicKey, base64url(signatureText))).toBe(false);
  // The short name, province and type are in the payload.
  expect(payload.subarray(30).toString('utf8')).toBe('Chợ Bến Thành cổng 1');
  expect(payload[22]).toBe(79);
  expect(payload[26]).toBe(4);

  // The short code resolves to the same poster.
  const resolved = await (await page.request.get(`/api/v1/posters/${shortCode}`)).json();
  expect(resolved.poster_url).toBe(url);

  expect(found).toEqual([]);
});

test('visitors are listed masked and exported; another organisation gets 404 for all of it', async ({ page, server, browser }) => {
  await signInWithOrganisation(page, server, '0912000111', 'Công ty May Sông Hồng');
  const venueId = await registerVenue(page, 'Cổng B nhà máy', 'Nhà máy, xí nghiệp');
  const venue = await (await page.request.get(`/api/v1/venues/${venueId}`)).json();
  const code = venue.poster_url.split('#')[1];

  // Two visitors check in through the submissions endpoint, as the app's outbox sends them.
  for (const [name, phone] of [['Nguyễn Văn An', '0912345610'], ['Trần Thị Bình', null]]) {
    const response = await page.request.post('/api/v1/submissions', {
      data: {
        id: crypto.randomUUID(),
        created_at_ms: Date.now(),
        content: { kind: 'check_in', body: {
          visitor: { profile_id: crypto.randomUUID(), full_name: name, year_of_birth: 1990, phone, id_number: '079085001509' },
          on_behalf: false, poster: code, visit_id: crypto.randomUUID(), direction: 'arrival',
        } },
      },
    });
    expect(response.status()).toBe(201);
  }

  await page.goto('/venue');
  await page.getByRole('link', { name: 'Khách đến: Cổng B nhà máy' }).click();
  const table = page.getByRole('table', { name: /Danh sách khách đến/ });
  await expect(table).toContainText('NGUYỄN V. A');
  await expect(table).toContainText('09******10');
  await expect(table).toContainText('******509');
  await expect(table).not.toContainText('Nguyễn Văn An');
  await expect(page.getByText('Thông tin cá nhân được che một phần')).toBeVisible();
  await page.getByLabel('Tìm theo tên hoặc số điện thoại').fill('nguyen');
  await page.getByRole('button', { name: 'Lọc' }).click();
  await expect(table.getByRole('row')).toHaveCount(2);
  expect(await seriousViolations(page)).toEqual([]);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Tải danh sách (CSV)' }).click(),
  ]);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv).toContain('NGUYỄN V. A');

  // Staff: add one, see them listed.
  await page.goto('/venue/staff');
  await page.getByLabel('Số điện thoại').fill('0912000222');
  await page.getByRole('button', { name: 'Thêm thành viên' }).click();
  const members = page.getByRole('list', { name: 'Thành viên tổ chức' });
  await expect(members).toContainText('0912000222');
  expect(await seriousViolations(page)).toEqual([]);
  await members.getByRole('listitem').filter({ hasText: '0912000222' }).getByRole('button', { name: 'Xoá khỏi tổ chức' }).click();
  await page.getByRole('button', { name: /^Xoá — người này không vào được nữa/ }).click();
  await expect(members).not.toContainText('0912000222');
  await expect(members).toContainText('0912000111');

  // Manager B, in a browser of their own, cannot reach any of A's data.
  const other = await browser.newContext({ baseURL: server.url });
  const pageB = await other.newPage();
  await signInWithOrganisation(pageB, server, '0912000333', 'Cửa hàng Minh Anh');
  const organisationA = (await (await page.request.get('/api/v1/organisation')).json()).organisation_id;
  expect((await pageB.request.post(`/api/v1/venues/${venueId}/visitors`, { data: {} })).status()).toBe(404);
  expect((await pageB.request.get(`/api/v1/venues/${venueId}/visitors.csv`)).status()).toBe(404);
  expect((await pageB.request.post(`/api/v1/organisations/${organisationA}/members`, {
    data: { phone: '0912000444', role: 'staff' },
  })).status()).toBe(404);
  await pageB.goto(`/venue/${venueId}/visitors`);
  await expect(pageB.getByRole('alert')).toBeVisible();
  await expect(pageB.getByRole('table')).toHaveCount(0);
  await other.close();
});

test('a poster link checks a citizen in and out offline-verified; a forged poster is refused', { tag: '@scale-out' }, async ({ page, server }) => {
  await signInWithOrganisation(page, server, '0912000555', 'Nhà sách Tiền Phong');
  const venueId = await registerVenue(page, 'Nhà sách cổng chính', 'Cửa hàng, siêu thị');
  const posterUrl = await posterLink(page, venueId);
  await createFullProfile(page, { name: 'Phạm Thị Hoa', year: '1979', phone: '0987654310' });
  await declareDailyHealth(page, 'Phạm Thị Hoa');

  await page.goto(posterUrl);
  await expect(page.getByRole('heading', { level: 1, name: 'Khai báo đến địa điểm' })).toBeVisible();
  await expect(page.getByText('Nhà sách cổng chính')).toBeVisible();
  await expect(page.getByLabel('Phạm Thị Hoa')).toBeChecked();
  await page.getByRole('button', { name: 'Khai báo đến' }).click();
  await expect(page.getByRole('status')).toContainText('Đã lưu khai báo đến');
  await page.getByRole('button', { name: 'Khai báo ra về' }).click();
  await expect(page.getByRole('status')).toContainText('Đã lưu khai báo ra về');
  expect(await seriousViolations(page)).toEqual([]);

  // Delivered through the outbox; the venue sees one visit with both times, masked.
  await page.goto(`/venue/${venueId}/visitors`);
  const row = page.getByRole('row', { name: /PHẠM T\. H/ });
  await expect(row).toBeVisible();
  await expect(row).toContainText('09******10');
  await expect(row.getByRole('cell')).toHaveCount(5);
  await expect(row.getByRole('cell').nth(1)).not.toBeEmpty();

  // One edited character in the venue id: the phone refuses it without asking anyone.
  const [origin, code] = posterUrl.split('#');
  const [version, payload, signature] = code.split('.');
  const edited = payload.slice(0, 3) + (payload[3] === 'A' ? 'B' : 'A') + payload.slice(4);
  await page.goto(`${origin}#${version}.${edited}.${signature}`);
  await expect(page.getByRole('alert')).toContainText('Mã QR không hợp lệ: đã bị sửa hoặc giả mạo');
  await expect(page.getByRole('button', { name: 'Khai báo đến' })).toHaveCount(0);
});
