// The scale-out phase only (`cargo xtask test` runs it with two server instances on one
// PostgreSQL behind nginx): an instance killed while phones drain their outboxes loses nothing,
// and delivers nothing twice. The core flows tagged @scale-out run through the same balancer.
import { test, expect } from '../support/fixtures';
import { countSubmissions, storedIds } from '../support/server';
import { createProfile, declareDailyHealth, waitForServiceWorker } from '../support/app';

test('killing one instance during an outbox drain loses nothing: every item is delivered once, through the other', { tag: '@scale-out' }, async ({ page, context, server }) => {
  test.skip(!server.instances, 'needs the balanced pair of the scale-out phase');
  test.setTimeout(180_000);
  const queued = 6;
  await page.goto('/');
  await waitForServiceWorker(page);
  await createProfile(page, 'Đỗ Văn Nam', '1979');
  await context.setOffline(true);
  for (let n = 0; n < queued; n++) await declareDailyHealth(page, 'Đỗ Văn Nam', { cough: n % 2 === 0 });
  await page.goto('/');
  await expect(page.getByRole('link', { name: `${queued} mục đang chờ gửi` })).toBeVisible();
  expect(countSubmissions(server)).toBe(0);

  // Back online: the drain starts, and the first instance dies under it.
  const [victim, survivor] = server.instances!;
  const firstSend = page.waitForRequest((request) => request.url().includes('/api/v1/submissions') && request.method() === 'POST');
  await context.setOffline(false);
  await firstSend;
  await victim.crash();

  // Whatever was cut off is sent again (a reload syncs at once) and lands once.
  await expect(async () => {
    await page.goto('/outbox');
    await expect(page.getByText('Không có mục nào đang chờ gửi.')).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  expect(countSubmissions(server, 'daily_health')).toBe(queued);
  expect(storedIds(server).size).toBe(queued);
  expect(survivor.log()).toContain('listening on');
  const upstreams = server.upstreams!();
  expect(upstreams.filter((upstream) => upstream.endsWith(`:${survivor.port}`)).length).toBeGreaterThan(0);
});
