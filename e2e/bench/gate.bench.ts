// Gate mode's budgets (DESIGN.md §8): a decoded pass → its verdict painted ≤ 300 ms, read from
// the app's User Timing entries (`tokhai:gate-verdict`, from the decode to the frame after the
// verdict was drawn; for an admitted pass that includes saving the scan to the outbox). Also the
// QR versions of a live pass and a printed card, and whether 500 scans in a row make the page
// grow: JS heap after a forced garbage collection, DOM nodes, and the kept gate state.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures';
import { createProfile, declareDailyHealth, waitForServiceWorker } from '../support/app';
import { qrPng } from '../support/camera';
import { base45, credential, toBase45 } from '../support/pass';
import { dailyHealth } from '../support/submissions';
import { registerVenue, signInWithOrganisation } from '../support/venue';
import { atMost, figure } from './figures';

const SCANS = 500;
const PEOPLE = 40;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function footprint(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((entry) => entry.name === name)?.value ?? 0;
  const kept = await page.evaluate(() => (localStorage.getItem('tokhai.gate') ?? '').length);
  await cdp.detach();
  return { heapKb: metric('JSHeapUsedSize') / 1024, nodes: metric('Nodes'), keptChars: kept };
}

test('gate: decoded pass → verdict, QR versions, 500 scans in a row', async ({ page, server }) => {
  // QR versions, from the pass screen of a citizen who declared.
  await page.goto('/');
  await waitForServiceWorker(page);
  await createProfile(page, 'Nguyễn Thị Hoa', '1950');
  await declareDailyHealth(page, 'Nguyễn Thị Hoa');
  await page.goto('/');
  await page.getByRole('link', { name: 'Mã QR cá nhân: Nguyễn Thị Hoa' }).click();
  const qr = page.getByRole('img', { name: 'Mã QR cá nhân của Nguyễn Thị Hoa' });
  await expect(page.getByRole('status').filter({ hasText: /Hợp lệ đến \d/ })).toBeVisible({ timeout: 20_000 });
  const liveVersion = await qr.getAttribute('data-qr-version');
  await page.getByRole('button', { name: 'In thẻ' }).click();
  const cardVersion = await page.getByRole('article', { name: 'Thẻ in' }).getByRole('img').getAttribute('data-qr-version');

  // Printed cards of PEOPLE declarations, and forged copies, as photos for the gate's picker.
  const photos = mkdtempSync(join(tmpdir(), 'tokhai-gate-bench-'));
  const files: string[] = [];
  for (let n = 0; n < PEOPLE; n++) {
    const body = dailyHealth(randomUUID());
    body.content.body.person.profile_id = randomUUID();
    const response = await fetch(`${server.url}/api/v1/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const code = `P1.${(await response.json()).pass.card}`;
    const forgedBytes = base45(code.slice(3));
    forgedBytes[credential(forgedBytes).nameAt + 1] ^= 1;
    for (const [kind, text] of [['card', code], ['forged', `P1.${toBase45(forgedBytes)}`]]) {
      const file = join(photos, `${kind}-${n}.png`);
      writeFileSync(file, await qrPng(text));
      files.push(file);
    }
  }

  await signInWithOrganisation(page, server, '0912000041', 'Cảng Hải Phòng');
  const venueId = await registerVenue(page, 'Cổng số 3', 'Nhà máy, xí nghiệp');
  await page.goto(`/venue/${venueId}/gate`);
  await expect(page.getByRole('heading', { level: 1, name: 'Cổng kiểm soát: Cổng số 3' })).toBeVisible();
  const picker = page.getByLabel('Chọn ảnh chụp mã QR cá nhân');
  const verdict = page.getByRole('alert', { name: 'Kết quả quét' });
  const next = verdict.getByRole('button', { name: 'Quét người tiếp theo' });
  let early = { heapKb: 0, nodes: 0, keptChars: 0 };
  for (let n = 0; n < SCANS; n++) {
    await picker.setInputFiles(files[n % files.length]);
    await expect(verdict).toBeVisible();
    await next.click();
    await expect(verdict).toBeHidden();
    if (n === 49) early = await footprint(page);
  }
  const late = await footprint(page);
  const verdicts = await page.evaluate(() =>
    performance.getEntriesByName('tokhai:gate-verdict').map((entry) => entry.duration),
  );
  expect(verdicts.length).toBe(SCANS);

  const median = percentile(verdicts, 50);
  const p95 = percentile(verdicts, 95);
  figure('gate', 'decoded pass → verdict painted, median', median, 'ms', atMost(300));
  figure('gate', 'decoded pass → verdict painted, p95', p95, 'ms', atMost(300));
  figure('gate', 'on-screen pass QR version (level M)', liveVersion, '', atMost(10));
  figure('gate', 'printed card QR version (level M)', cardVersion, '', atMost(8));
  figure('gate', `heap growth, scans 50 → ${SCANS}`, late.heapKb - early.heapKb, 'KB');
  console.log(`gate: pass QR version ${liveVersion} (budget 10), printed card version ${cardVersion} (budget 8)`);
  console.log(
    `gate: decoded → verdict painted over ${SCANS} scans: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...verdicts).toFixed(1)} ms (budget 300 ms)`,
  );
  console.log(
    `gate: after 50 scans heap ${early.heapKb.toFixed(0)} KB, ${early.nodes} DOM nodes, kept state ${early.keptChars} chars; ` +
      `after ${SCANS}: heap ${late.heapKb.toFixed(0)} KB, ${late.nodes} DOM nodes, kept state ${late.keptChars} chars`,
  );
});
