// Steps on the venue side that tests and benchmarks share, by accessible names (Vietnamese UI).
import { execFileSync } from 'node:child_process';
import { expect, type Page } from '@playwright/test';
import type { RunningServer } from './server';

/// The last development code the server logged for `phone` (logged masked, `09******78`):
/// a sign-in code, or a gate check-in code sent to a visitor.
export async function codeFromLog(server: RunningServer, phone: string, purpose: 'sign-in' | 'gate check-in' = 'sign-in'): Promise<string> {
  const masked = `${phone.slice(0, 2)}\\*{6}${phone.slice(-2)}`;
  const pattern = new RegExp(`${purpose} code for ${masked} is (\\d{6})`, 'g');
  let code = '';
  await expect
    .poll(() => {
      const matches = [...server.log().matchAll(pattern)];
      code = matches.length ? matches[matches.length - 1][1] : '';
      return code;
    })
    .not.toBe('');
  return code;
}

/// Signs `phone` in on the venue screen and creates an organisation named `organisation`.
export async function signInWithOrganisation(page: Page, server: RunningServer, phone: string, organisation: string) {
  await page.goto('/venue');
  await page.getByLabel('Số điện thoại').fill(phone);
  await page.getByRole('button', { name: 'Gửi mã đăng nhập' }).click();
  await expect(page.getByRole('status')).toContainText('Mã đăng nhập đã được gửi');
  await page.getByLabel('Mã đăng nhập (6 chữ số)').fill(await codeFromLog(server, phone));
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await page.getByLabel('Tên tổ chức').fill(organisation);
  await page.getByRole('button', { name: 'Tạo tổ chức' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Điểm kiểm soát' })).toBeVisible();
}

/// Registers a control point from the venue screen; returns its id (from the poster's address).
export async function registerVenue(page: Page, name: string, type: string): Promise<string> {
  await page.goto('/venue');
  await page.getByRole('link', { name: 'Đăng ký điểm kiểm soát' }).click();
  await page.getByLabel('Tên điểm kiểm soát').fill(name);
  await page.getByLabel('Loại hình').selectOption({ label: type });
  await page.getByRole('combobox', { name: 'Tỉnh / thành phố' }).fill('ha noi');
  await page.getByRole('option', { name: 'Thành phố Hà Nội', exact: true }).click();
  await page.getByLabel('Số nhà, đường, thôn/ấp').fill('1 Tràng Tiền');
  await page.getByRole('button', { name: 'Đăng ký điểm kiểm soát' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  return /\/venue\/([^/]+)\/poster/.exec(page.url())![1];
}

/// The poster link (`/c#…`) of a registered control point, as its QR code carries it.
export async function posterLink(page: Page, venueId: string): Promise<string> {
  const venue = await (await page.request.get(`/api/v1/venues/${venueId}`)).json();
  return venue.poster_url;
}

/// A venue's visitor list as the API gives its manager (the page's context is signed in).
export async function visitsAt(page: Page, venueId: string) {
  const response = await page.request.post(`/api/v1/venues/${venueId}/visitors`, { data: {} });
  expect(response.status()).toBe(200);
  return (await response.json()).visitors as { name: string; arrived_at_ms: number | null; left_at_ms: number | null }[];
}

/// Grants the health officer role to `phone` with the server's administrator command, on the
/// running server's own database: the only way the role is ever given.
export function grantOfficer(server: RunningServer, phone: string) {
  execFileSync(process.env.TOKHAI_SERVER_BIN!, ['grant-officer', phone], {
    env: { ...process.env, ...server.env, RUST_LOG: 'warn' },
    encoding: 'utf8',
  });
}

/// Signs `phone` in on the officer screens.
export async function signInAsOfficer(page: Page, server: RunningServer, phone: string) {
  await page.goto('/officer');
  await page.getByLabel('Số điện thoại').fill(phone);
  await page.getByRole('button', { name: 'Gửi mã đăng nhập' }).click();
  await expect(page.getByRole('status')).toContainText('Mã đăng nhập đã được gửi');
  await page.getByLabel('Mã đăng nhập (6 chữ số)').fill(await codeFromLog(server, phone));
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
}
