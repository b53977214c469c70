// The personal pass (DESIGN.md §3.3, §5.2; docs/formats.md): pending before the declaration
// reaches the server, then the server's credential stamped and signed by this browser's
// non-extractable key. Codes are read off the screen with jsQR (a decoder that is not ours), and
// both signatures are checked with Node's crypto against the published keys.
import { execFileSync } from 'node:child_process';
import { createPublicKey, ECDH, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures';
import { createProfile, declareDailyHealth, waitForServiceWorker } from '../support/app';
import { base45, credential, expectNoPersonalData, readCode } from '../support/pass';

const base64url = (text: string) => Buffer.from(text, 'base64url');

function deviceKey(holder: number, key: Buffer): { key: KeyObject; dsaEncoding?: 'ieee-p1363' } {
  if (holder === 1) {
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key]);
    return { key: createPublicKey({ key: spki, format: 'der', type: 'spki' }) };
  }
  const point = ECDH.convertKey(key, 'prime256v1', undefined, undefined, 'uncompressed') as Buffer;
  const spki = Buffer.concat([Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex'), point]);
  return { key: createPublicKey({ key: spki, format: 'der', type: 'spki' }), dsaEncoding: 'ieee-p1363' };
}

async function passKey(page: Page, keyId: number): Promise<KeyObject> {
  const keys = await (await page.request.get('/api/v1/keys')).json();
  const key = keys.keys.find((k: { key_id: number; use?: string }) => k.key_id === keyId && k.use === 'pass');
  expect(key, `pass key ${keyId} is published`).toBeTruthy();
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), base64url(key.public_key)]);
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

test('the pass is pending offline, then a signed code this browser stamps every minute, and prints as a card', async ({ page, context }) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  await createProfile(page, 'Nguyễn Thị Hoa', '1950');

  // Declared without a network: the pass says pending, in words and in the code.
  await context.setOffline(true);
  await declareDailyHealth(page, 'Nguyễn Thị Hoa');
  await page.goto('/');
  await page.getByRole('link', { name: 'Mã QR cá nhân: Nguyễn Thị Hoa' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mã QR cá nhân' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Chờ xác nhận: tờ khai chưa đến máy chủ' })).toBeVisible();
  const qr = page.getByRole('img', { name: 'Mã QR cá nhân của Nguyễn Thị Hoa' });
  const pending = await readCode(qr);
  expect(pending.startsWith('P1.')).toBe(true);
  const pendingBytes = base45(pending.slice(3));
  expect(pendingBytes[0]).toBe(0xfe);
  expect(pendingBytes.subarray(2).toString('utf8')).toBe('NGUYỄN T. H');

  // Back online, the outbox delivers and the receipt's credential replaces the pending code.
  await context.setOffline(false);
  await expect(page.getByRole('status').filter({ hasText: /Hợp lệ đến \d/ })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('Mã đổi mỗi phút, nên ảnh chụp màn hình không dùng được.', { exact: false })).toBeVisible();
  const live = await readCode(qr);
  expectNoPersonalData(live, 'Nguyễn Thị Hoa', ['1950']);
  expect(Number(await qr.getAttribute('data-qr-version'))).toBeLessThanOrEqual(10);
  const bytes = base45(live.slice(3));
  const issued = credential(bytes);
  expect([1, 2]).toContain(issued.holder);
  expect(issued.name).toBe('NGUYỄN T. H');
  expect(issued.validUntil * 1000).toBeGreaterThan(Date.now() + 23 * 3_600_000);
  const signed = bytes.subarray(0, issued.length + 64);
  const serverSignature = bytes.subarray(issued.length, issued.length + 64);
  const message = Buffer.concat([Buffer.from('tokhai/pass/v1\0'), bytes.subarray(0, issued.length)]);
  expect(verify(null, message, await passKey(page, issued.keyId), serverSignature)).toBe(true);
  // The stamp: a time within the last minutes, signed by the key the declaration sent.
  const shownAt = bytes.readUInt32BE(issued.length + 64);
  expect(Math.abs(shownAt - Date.now() / 1000)).toBeLessThan(120);
  expect(bytes.length).toBe(issued.length + 64 + 4 + 64);
  const stamp = Buffer.concat([Buffer.from('tokhai/pass-stamp/v1\0'), signed, bytes.subarray(issued.length + 64, issued.length + 68)]);
  const device = deviceKey(issued.holder, issued.deviceKey);
  expect(verify(issued.holder === 1 ? null : 'sha256', stamp, device, bytes.subarray(issued.length + 68))).toBe(true);
  // The private key never leaves the browser: IndexedDB holds a non-extractable CryptoKey.
  const extractable = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve) => {
      const open = indexedDB.open('tokhai');
      open.onsuccess = () => resolve(open.result);
    });
    const key = await new Promise<CryptoKey>((resolve) => {
      const request = db.transaction('device_keys').objectStore('device_keys').get('pass-private');
      request.onsuccess = () => resolve(request.result);
    });
    db.close();
    return key.extractable;
  });
  expect(extractable).toBe(false);

  // The printed card: the credential alone, marked as such.
  await page.getByRole('button', { name: 'In thẻ' }).click();
  const card = page.getByRole('article', { name: 'Thẻ in' });
  await expect(card).toContainText('NGUYỄN T. H');
  const cardCode = await readCode(card.getByRole('img'));
  expectNoPersonalData(cardCode, 'Nguyễn Thị Hoa', ['1950']);
  const cardBytes = base45(cardCode.slice(3));
  const printed = credential(cardBytes);
  expect(printed.holder).toBe(0);
  expect(cardBytes.length).toBe(printed.length + 64);
  expect(cardBytes.subarray(1, 13)).toEqual(bytes.subarray(1, 13));
  expect(Number(await card.getByRole('img').getAttribute('data-qr-version'))).toBeLessThanOrEqual(8);
  await page.emulateMedia({ media: 'print' });
  await expect(card).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Mã QR cá nhân' })).toBeHidden();

  // Printed, each size is one page of exactly that size (PDF points: mm × 72 / 25.4).
  const dir = mkdtempSync(join(tmpdir(), 'tokhai-card-'));
  try {
    for (const [size, width, height] of [
      ['Thẻ 85,6 × 54 mm', 242.65, 153.07],
      ['Giấy A6 (105 × 148 mm)', 297.64, 419.53],
    ] as const) {
      await page.emulateMedia({ media: 'screen' });
      await page.getByRole('radio', { name: size }).check();
      await page.emulateMedia({ media: 'print' });
      const file = join(dir, 'card.pdf');
      await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true });
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      expect(/Pages:\s+(\d+)/.exec(info)![1], `${size}: pages`).toBe('1');
      const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!;
      expect(Number(w), `${size}: width`).toBeCloseTo(width, 0);
      expect(Number(h), `${size}: height`).toBeCloseTo(height, 0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
