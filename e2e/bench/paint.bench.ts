// `cargo xtask bench paint`: a first visit on a throttled "cheap phone" (150 ms latency,
// 1.6 Mbit/s down, 750 kbit/s up, CPU ×4, through Chromium's DevTools protocol): when the first
// text of `/` appears (first contentful paint), when the home screen is usable, and the total
// blocking time of the profile form (long tasks beyond 50 ms, from navigation until the form
// takes input). Printed, never asserted.
import { test, expect, type Page } from '@playwright/test';
import { serverForThisFile } from './server';
import { atMost, figure } from './figures';

const server = serverForThisFile();

async function throttled(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}

/// Long tasks are recorded from the first script on, so none is missed before the app starts.
async function recordLongTasks(page: Page) {
  await page.addInitScript(() => {
    const tasks: number[] = [];
    (window as unknown as { __longTasks: number[] }).__longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
}

const RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

test('first visit on a throttled phone', async ({ browser }) => {
  const firstText: number[] = [];
  const usable: number[] = [];
  const blocking: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const context = await browser.newContext({ baseURL: server.url, serviceWorkers: 'block' });
    const page = await context.newPage();
    await throttled(page);
    const started = Date.now();
    await page.goto('/');
    await expect(page.getByRole('link', { name: 'Thêm hồ sơ' })).toBeVisible({ timeout: 60_000 });
    usable.push(Date.now() - started);
    firstText.push(
      await page.evaluate(
        () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
      ),
    );
    await context.close();

    const formContext = await browser.newContext({ baseURL: server.url, serviceWorkers: 'block' });
    const form = await formContext.newPage();
    await recordLongTasks(form);
    await throttled(form);
    await form.goto('/profiles/new');
    await expect(form.getByLabel('Họ và tên')).toBeEditable({ timeout: 60_000 });
    await form.waitForLoadState('networkidle');
    blocking.push(
      await form.evaluate(() =>
        (window as unknown as { __longTasks: number[] }).__longTasks.reduce(
          (sum, duration) => sum + Math.max(0, duration - 50),
          0,
        ),
      ),
    );
    await formContext.close();
  }
  const show = (values: number[]) => `median ${median(values).toFixed(0)} ms (runs: ${values.map((v) => v.toFixed(0)).join(', ')})`;
  figure('paint', '/ first text, throttled phone (median)', median(firstText), 'ms', atMost(1500));
  figure('paint', '/ home usable, throttled phone (median)', median(usable), 'ms');
  figure('paint', '/profiles/new total blocking time (median)', median(blocking), 'ms', atMost(200));
  console.log(`\nthrottled first visit (150 ms, 1.6 Mbit/s, CPU ×4), ${RUNS} runs each:`);
  console.log(`  /  first text (FCP)          ${show(firstText)}   target < 1500 ms`);
  console.log(`  /  home usable ("add profile") ${show(usable)}`);
  console.log(`  /profiles/new  total blocking time ${show(blocking)}   target < 200 ms`);
});
