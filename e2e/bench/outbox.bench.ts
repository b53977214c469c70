// The outbox's budgets (DESIGN.md §8): tap "send" → "saved" (strict durability) p95 ≤ 30 ms, and
// draining 1,000 queued items to a local server ≤ 3 s. Read from the app's User Timing entries.
import { randomUUID } from 'node:crypto';
import { test, expect } from '../support/fixtures';
import { countSubmissions } from '../support/server';
import { createProfile, waitForServiceWorker } from '../support/app';
import { dailyHealth } from '../support/submissions';
import { atMost, figure } from './figures';

const SENDS = 40;
const QUEUED = 1_000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

test('outbox: send → saved, and draining 1,000 queued items', async ({ page: firstPage, context, server }) => {
  let page = firstPage;
  await page.goto('/');
  await waitForServiceWorker(page);
  await createProfile(page, 'Nguyễn Văn An', '1985');

  // Client-side navigation only, so the page's timing entries accumulate.
  const daily = page.getByRole('link', { name: 'Theo dõi sức khoẻ hằng ngày: Nguyễn Văn An' });
  await daily.click();
  await page.getByRole('button', { name: 'Tôi đồng ý' }).click();
  for (let n = 0; n < SENDS; n++) {
    if (n > 0) await daily.click();
    await page.getByRole('button', { name: 'Gửi tờ khai' }).click();
    await expect(page.getByRole('status')).toContainText(/Đã lưu (trên máy|và đã gửi)/);
    await page.getByRole('link', { name: 'Về trang chủ' }).click();
  }
  const saved = await page.evaluate(() =>
    performance.getEntriesByName('tokhai:outbox-saved').map((entry) => entry.duration),
  );
  expect(saved.length).toBe(SENDS);
  await expect.poll(() => countSubmissions(server)).toBe(SENDS);

  // Queue 1,000 items while offline, written in the app's own IndexedDB format.
  await context.setOffline(true);
  const items = Array.from({ length: QUEUED }, () => {
    const submission = dailyHealth(randomUUID());
    return {
      id: submission.id,
      submission,
      state: { state: 'pending', attempts: 0, next_attempt_at_ms: 0, last_error: null },
    };
  });
  await page.evaluate(async (queued) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('tokhai');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    await new Promise<void>((resolve, reject) => {
      const transaction = db.transaction('outbox', 'readwrite');
      for (const item of queued) transaction.objectStore('outbox').put(item);
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
    });
    db.close();
  }, items);
  // A fresh page, online from its first instant, measures the drain from start-up.
  await page.close();
  await context.setOffline(false);
  page = await context.newPage();
  await page.goto('/outbox');
  await expect
    .poll(() => page.evaluate(() => performance.getEntriesByName('tokhai:outbox-drained').length), {
      timeout: 120_000,
    })
    .toBeGreaterThan(0);
  const drain = await page.evaluate(() => {
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const drained = performance.getEntriesByName('tokhai:outbox-drained')[0].startTime;
    return { sinceNavigation: drained, sinceAppReady: drained - navigation.domContentLoadedEventEnd };
  });
  expect(countSubmissions(server)).toBe(SENDS + QUEUED);

  figure('outbox', 'send → saved p95', percentile(saved, 95), 'ms', atMost(30));
  figure('outbox', `drain ${QUEUED} queued items (from page ready)`, drain.sinceAppReady, 'ms', atMost(3000));
  console.log(`\noutbox, Chromium on this machine:`);
  console.log(
    `  send → saved (strict durability), ${SENDS} sends: p50 ${percentile(saved, 50).toFixed(1)} ms, ` +
      `p95 ${percentile(saved, 95).toFixed(1)} ms, max ${Math.max(...saved).toFixed(1)} ms (budget p95 ≤ 30 ms)`,
  );
  console.log(
    `  drain ${QUEUED} queued items: ${(drain.sinceAppReady / 1000).toFixed(2)} s after the page was ready ` +
      `(${(drain.sinceNavigation / 1000).toFixed(2)} s after navigation start; budget ≤ 3 s)`,
  );
});
