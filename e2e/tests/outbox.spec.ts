import { chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../support/fixtures';
import { launchOptions } from '../support/chromium';
import { countSubmissions } from '../support/server';
import { createProfile, declareDailyHealth, waitForServiceWorker } from '../support/app';

test('offline submissions survive closing the browser and reach the server exactly once', { tag: '@scale-out' }, async ({ server }) => {
  const profileDir = mkdtempSync(join(tmpdir(), 'tokhai-profile-'));
  try {
    let context = await chromium.launchPersistentContext(profileDir, { ...launchOptions, baseURL: server.url });
    let page = await context.newPage();
    await page.goto('/');
    await waitForServiceWorker(page);
    await createProfile(page, 'Lê Thị Hoa', '1990');
    await expect(page.getByRole('link', { name: /^Lê Thị Hoa/ })).toContainText('Chưa khai báo');

    await context.setOffline(true);
    for (let n = 0; n < 3; n++) await declareDailyHealth(page, 'Lê Thị Hoa', { cough: n === 0 });
    await page.goto('/');
    await expect(page.getByRole('link', { name: '3 mục đang chờ gửi' })).toBeVisible();
    await expect(page.getByRole('link', { name: /^Lê Thị Hoa/ })).toContainText('Tờ khai đang chờ gửi');
    expect(countSubmissions(server)).toBe(0);
    await context.close();

    context = await chromium.launchPersistentContext(profileDir, { ...launchOptions, baseURL: server.url });
    page = await context.newPage();
    await page.goto('/outbox');
    await expect(page.getByText('Không có mục nào đang chờ gửi.')).toBeVisible();
    expect(countSubmissions(server, 'daily_health')).toBe(3);
    await page.goto('/');
    await expect(page.getByRole('link', { name: /^Lê Thị Hoa/ })).toContainText(/Tờ khai còn hiệu lực đến \d/);
    // Another start syncs again and must not duplicate anything.
    await page.goto('/outbox');
    await expect(page.getByText('Không có mục nào đang chờ gửi.')).toBeVisible();
    expect(countSubmissions(server)).toBe(3);
    await context.close();
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
  }
});

test('server errors and time-outs keep items pending until the server recovers', async ({ page, context, server }) => {
  await page.goto('/');
  await createProfile(page, 'Phạm Văn Nam', '1979');
  let failures = 0;
  await context.route('**/api/v1/submissions/batch', async (route) => {
    failures += 1;
    // 503 is the API's "busy, retry" (a 500 is a server bug and waits for the user instead).
    if (failures <= 2) await route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"database_unavailable","message":"the database is unavailable"}' });
    else await route.abort('timedout');
  });
  await declareDailyHealth(page, 'Phạm Văn Nam');
  await page.goto('/outbox');
  await expect(page.getByText('Đang chờ gửi')).toBeVisible();
  await expect.poll(() => failures, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
  await expect(page.getByText(/Số lần đã thử: [1-9]/)).toBeVisible();
  expect(countSubmissions(server)).toBe(0);

  await context.unroute('**/api/v1/submissions/batch');
  // Coming back online is one of the outbox's triggers.
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await expect(page.getByText('Không có mục nào đang chờ gửi.')).toBeVisible({ timeout: 20_000 });
  expect(countSubmissions(server)).toBe(1);
});

test('a 2xx without the server\'s receipt is never shown as received, and is sent again', async ({ page, context, server }) => {
  await page.goto('/');
  await createProfile(page, 'Vũ Thị Hoa', '1988');
  let answered = 0;
  await context.route('**/api/v1/submissions/batch', async (route) => {
    answered += 1;
    const { items } = route.request().postDataJSON() as { items: { id: string }[] };
    await route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ results: items.map((item) => ({ id: item.id, status: 201 })) }),
    });
  });
  await declareDailyHealth(page, 'Vũ Thị Hoa');
  await page.goto('/outbox');
  await expect.poll(() => answered, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  await expect(page.getByText('Đang chờ gửi')).toBeVisible();
  await expect(page.getByText(/Số lần đã thử: [1-9]/)).toBeVisible();
  expect(countSubmissions(server)).toBe(0);

  await context.unroute('**/api/v1/submissions/batch');
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await expect(page.getByText('Không có mục nào đang chờ gửi.')).toBeVisible({ timeout: 20_000 });
  expect(countSubmissions(server)).toBe(1);
});

test('an item the server refuses needs attention, and can be discarded after confirmation', async ({ page, context, server }) => {
  await page.goto('/');
  await createProfile(page, 'Đỗ Minh Tuấn', '1965');
  await context.route('**/api/v1/submissions/batch', async (route) => {
    const { items } = route.request().postDataJSON() as { items: { id: string }[] };
    await route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        results: items.map((item) => ({
          id: item.id,
          status: 422,
          error: {
            error: 'validation',
            message: 'some fields are invalid',
            fields: [{ field: 'person.phone', code: 'invalid_phone' }],
          },
        })),
      }),
    });
  });
  await declareDailyHealth(page, 'Đỗ Minh Tuấn');
  await page.goto('/outbox');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Cần bạn xử lý');
  // In the user's language: the status in words, never the server's own English message.
  await expect(alert).toContainText('HTTP 422');
  await expect(alert).not.toContainText('some fields are invalid');
  await expect(page.getByText('person.phone: Số di động Việt Nam')).toBeVisible();

  // The item stays until the user acts; sending again after the server accepts delivers it.
  await context.unroute('**/api/v1/submissions/batch');
  await page.getByRole('button', { name: 'Bỏ mục này' }).click();
  await page.getByRole('button', { name: 'Giữ lại' }).click();
  await page.getByRole('button', { name: 'Gửi lại' }).click();
  await expect(page.getByText('Không có mục nào đang chờ gửi.')).toBeVisible();
  expect(countSubmissions(server)).toBe(1);
});

test('discarding a refused item asks for confirmation first', async ({ page, context }) => {
  await page.goto('/');
  await createProfile(page, 'Vũ Thị Lan', '2001');
  await context.route('**/api/v1/submissions/batch', (route) =>
    route.fulfill({ status: 400, contentType: 'application/json', body: '{"error":"malformed_json","message":"bad"}' }),
  );
  await declareDailyHealth(page, 'Vũ Thị Lan');
  await page.goto('/outbox');
  await expect(page.getByRole('alert')).toContainText('HTTP 400');
  await page.getByRole('button', { name: 'Bỏ mục này' }).click();
  await page.getByRole('button', { name: 'Xác nhận bỏ (không thể hoàn tác)' }).click();
  await expect(page.getByText('Không có mục nào đang chờ gửi.')).toBeVisible();
});
