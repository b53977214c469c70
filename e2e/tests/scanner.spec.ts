// Checking in by camera (DESIGN.md §3.4), with Chromium's fake camera filming videos drawn by
// support/camera.ts from the server's real signed posters: a household checks in with one scan,
// a forged poster is refused, a hard frame is read through the fallback decoder, the camera
// refused leaves the photo and short-code fallbacks, hostile photos never stop the scanner, and
// the browser's own BarcodeDetector is preferred where it exists.
import { seriousViolations } from '../support/axe';
import { test, expect } from '../support/fixtures';
import { createFullProfile, declareDailyHealth, waitForServiceWorker } from '../support/app';
import { startServer } from '../support/server';
import { browserFilming, posedFrame, qrPng, writeVideo, type Pose } from '../support/camera';
import { posterLink, registerVenue, signInWithOrganisation, visitsAt } from '../support/venue';
import { PNG } from 'pngjs';
import type { Browser, Page } from '@playwright/test';
import type { RunningServer } from '../support/server';

/// A venue of a new organisation, with its poster link and short code.
async function venueWithPoster(page: Page, server: RunningServer, phone: string) {
  await signInWithOrganisation(page, server, phone, 'Chợ Đồng Xuân');
  const venueId = await registerVenue(page, 'Cổng chợ số 1', 'Chợ');
  const venue = await (await page.request.get(`/api/v1/venues/${venueId}`)).json();
  return { venueId, poster: await posterLink(page, venueId), shortCode: venue.short_code as string };
}

/// A video of two seconds of bare paper, then `code` posed as `pose` for six seconds.
async function videoOf(page: Page, code: string, pose?: Pose): Promise<string> {
  const blank = await posedFrame(page, null);
  const shown = await posedFrame(page, await qrPng(code), pose);
  return writeVideo([blank, shown], [20, 60]);
}

let browsers: Browser[] = [];
test.afterEach(async () => {
  await Promise.all(browsers.map((browser) => browser.close()));
  browsers = [];
});

async function filming(video: string | null, server: RunningServer, allowCamera = true) {
  const { browser, context } = await browserFilming(video, server.url, allowCamera);
  browsers.push(browser);
  return context.newPage();
}

const checkInHeading = (page: Page) => page.getByRole('heading', { level: 1, name: 'Khai báo đến địa điểm' });

test('a poster in front of the camera checks a household in with one scan', async ({ page, server }) => {
  const { venueId, poster } = await venueWithPoster(page, server, '0912000901');
  const phone = await filming(await videoOf(page, poster), server);
  for (const [name, year] of [['Phan Văn Hùng', '1975'], ['Phan Thị Na', '2012']]) {
    await createFullProfile(phone, { name, year });
    await declareDailyHealth(phone, name);
  }

  await phone.goto('/');
  await phone.getByRole('link', { name: 'Quét mã QR địa điểm' }).click();
  await expect(phone.getByRole('heading', { level: 1, name: 'Quét mã QR của địa điểm' })).toBeVisible();
  await expect(phone.locator('.viewfinder')).toHaveAttribute('data-decoder', 'worker');
  expect(await seriousViolations(phone)).toEqual([]);

  await expect(checkInHeading(phone)).toBeVisible({ timeout: 15_000 });
  await phone.getByLabel('Phan Văn Hùng').check();
  await phone.getByLabel('Phan Thị Na').check();
  await phone.getByLabel('Tôi khai hộ người này').check();
  await phone.getByRole('button', { name: 'Khai báo đến' }).click();
  await expect(phone.getByRole('status')).toContainText('Đã lưu khai báo đến');
  await expect.poll(async () => (await visitsAt(page, venueId)).length).toBe(2);
  expect((await visitsAt(page, venueId)).map((visit) => visit.name).sort()).toHaveLength(2);
});

test('a forged poster is refused and a foreign code is shown, not opened; nothing is recorded', async ({ page, server }) => {
  const { venueId, poster } = await venueWithPoster(page, server, '0912000902');
  // One character of the signature changed: still well formed, no longer signed.
  const last = poster.at(-2) === 'A' ? 'B' : 'A';
  const forged = `${poster.slice(0, -2)}${last}${poster.at(-1)}`;
  const phone = await filming(await videoOf(page, forged), server);
  await createFullProfile(phone, { name: 'Vũ Thị Lan', year: '1990' });
  await declareDailyHealth(phone, 'Vũ Thị Lan');
  await phone.goto('/scan');
  await expect(phone.getByRole('alert')).toContainText('đã bị sửa hoặc giả mạo', { timeout: 15_000 });
  await expect(phone.getByRole('button', { name: 'Khai báo đến' })).toHaveCount(0);

  const foreign = await filming(await videoOf(page, 'https://shop.example/khuyen-mai'), server);
  await foreign.goto('/scan');
  const shown = foreign.getByRole('alert').filter({ hasText: 'không phải mã địa điểm của tokhai' });
  await expect(shown).toBeVisible({ timeout: 15_000 });
  await expect(shown).toContainText('https://shop.example/khuyen-mai');
  await expect(foreign).toHaveURL(/\/scan$/);
  expect(await visitsAt(page, venueId)).toEqual([]);
});

/// Decodes `png` in the page with one of the build's decoder modules, as the worker would.
async function decodeInPage(page: Page, png: Buffer, module: 'decoder' | 'decoder_fallback') {
  const { width, height, data } = PNG.sync.read(png);
  return page.evaluate(
    async ({ width, height, pixels, module }) => {
      const app = [...document.querySelectorAll('link[href], script[src]')]
        .map((element) => element.getAttribute('href') ?? element.getAttribute('src') ?? '')
        .find((url) => /\/pkg\/[^/]+\/app\.js$/.test(url))!;
      const pkg = app.slice(0, app.lastIndexOf('/') + 1);
      const decoder = await import(`${pkg}${module}.js`);
      await decoder.default({ module_or_path: `${pkg}${module}_bg.wasm` });
      const found: Uint8Array | undefined = decoder.decode(width, height, new Uint8Array(pixels));
      return found ? new TextDecoder().decode(found) : null;
    },
    { width, height, pixels: [...data], module },
  );
}

test('a hard frame that rqrr cannot read is read through the fallback decoder', async ({ page, server }) => {
  const { poster } = await venueWithPoster(page, server, '0912000903');
  // Small, tilted and faded, as a poster across a dim room: found by trying poses.
  const pose: Pose = { size: 0.42, rotateDeg: 17, fade: 0.72, background: '#9a968e' };
  const frame = await posedFrame(page, await qrPng(poster), pose);
  await page.goto('/');
  expect(await decodeInPage(page, frame, 'decoder')).toBeNull();
  expect(await decodeInPage(page, frame, 'decoder_fallback')).toBe(poster);

  const phone = await filming(writeVideo([frame], [10]), server);
  const fallbackFetched = phone.waitForRequest(/decoder_fallback_bg\.wasm$/);
  await phone.goto('/scan');
  await fallbackFetched;
  await expect(checkInHeading(phone)).toBeVisible({ timeout: 20_000 });
});

test('with the camera refused, the help screen offers a photo and the short code, and both check in', async ({ page, server }) => {
  const { venueId, poster, shortCode } = await venueWithPoster(page, server, '0912000904');
  const phone = await filming(null, server, false);
  await createFullProfile(phone, { name: 'Ngô Văn Bảy', year: '1968' });
  await declareDailyHealth(phone, 'Ngô Văn Bảy');

  await phone.goto('/scan');
  await expect(phone.getByRole('heading', { name: 'Chưa được phép dùng máy ảnh' })).toBeVisible();
  await expect(phone.getByText('Chrome trên Android')).toBeVisible();
  expect(await seriousViolations(phone)).toEqual([]);

  await phone.getByLabel('Chọn ảnh chụp áp phích').setInputFiles({
    name: 'poster.png',
    mimeType: 'image/png',
    buffer: await posedFrame(page, await qrPng(poster), { rotateDeg: 3 }),
  });
  await expect(checkInHeading(phone)).toBeVisible();
  await phone.getByRole('button', { name: 'Khai báo đến' }).click();
  await expect(phone.getByRole('status')).toContainText('Đã lưu khai báo đến');
  await phone.getByRole('button', { name: 'Khai báo ra về' }).click();
  await expect(phone.getByRole('status')).toContainText('Đã lưu khai báo ra về');

  await phone.goto('/scan');
  const typed = phone.getByLabel('Không quét được? Nhập mã:');
  await typed.fill('ZZZZ-ZZZZ');
  await phone.getByRole('button', { name: 'Khai báo vào bằng mã này' }).click();
  await expect(phone.getByText('Không có địa điểm nào có mã này')).toBeVisible();
  await expect(typed).toHaveValue('ZZZZ-ZZZZ');
  await typed.fill(`${shortCode.slice(0, 4).toLowerCase()}-${shortCode.slice(4)}`);
  await phone.getByRole('button', { name: 'Khai báo vào bằng mã này' }).click();
  await expect(checkInHeading(phone)).toBeVisible();
  await phone.getByRole('button', { name: 'Khai báo đến' }).click();
  await expect(phone.getByRole('status')).toContainText('Đã lưu khai báo đến');
  await expect.poll(async () => (await visitsAt(page, venueId)).length).toBe(2);
});

/// A PNG of `width × height` pixels made by `pixel`.
function png(width: number, height: number, pixel: (x: number, y: number) => number): Buffer {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      const grey = pixel(x, y);
      image.data.set([grey, grey, grey, 255], at);
    }
  }
  return PNG.sync.write(image);
}

test('hostile photos never stop the scanner: a poster right after each is read', async ({ page, server }) => {
  const { poster } = await venueWithPoster(page, server, '0912000905');
  const posterPhoto = await posedFrame(page, await qrPng(poster));
  const binary = new Uint8Array(2900).map((_, index) => (index * 73 + 11) % 256);
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % 256);
  const hostile: [string, Buffer, string][] = [
    ['black.png', png(640, 480, () => 0), 'Không thấy mã QR trong ảnh'],
    ['white.png', png(640, 480, () => 255), 'Không thấy mã QR trong ảnh'],
    ['noise.png', png(640, 480, noise), 'Không thấy mã QR trong ảnh'],
    ['dot.png', png(1, 1, () => 0), 'Không thấy mã QR trong ảnh'],
    ['huge.png', png(8000, 8000, (x, y) => ((x >> 6) + (y >> 6)) % 2 ? 255 : 0), 'Không thấy mã QR trong ảnh'],
    ['cut.png', posterPhoto.subarray(0, posterPhoto.length / 2), 'Không mở được tệp này như một hình ảnh'],
    // Not UTF-8: rxing reads it in the character set QR codes default to, and it is shown as text.
    ['binary.png', await qrPng(binary, 4, 'L'), 'không phải mã địa điểm của tokhai'],
  ];
  const phone = await filming(null, server, false);
  await createFullProfile(phone, { name: 'Trịnh Thị Mai', year: '1985' });
  for (const [name, buffer, message] of hostile) {
    await phone.goto('/scan');
    const picker = phone.getByLabel('Chọn ảnh chụp áp phích');
    await picker.setInputFiles({ name, mimeType: 'image/png', buffer });
    await expect(phone.getByRole('alert').filter({ hasText: message }), name).toBeVisible({ timeout: 20_000 });
    await picker.setInputFiles({ name: 'poster.png', mimeType: 'image/png', buffer: posterPhoto });
    await expect(checkInHeading(phone), `the poster after ${name}`).toBeVisible();
  }
});

test("the browser's own BarcodeDetector is preferred where it reads QR codes", async ({ page, server }) => {
  const { poster } = await venueWithPoster(page, server, '0912000906');
  const phone = await filming(writeVideo([await posedFrame(page, null)], [10]), server);
  await phone.addInitScript((url) => {
    const calls = { detect: 0 };
    (window as unknown as { __detector: typeof calls }).__detector = calls;
    class BarcodeDetector {
      static async getSupportedFormats() {
        return ['qr_code', 'ean_13'];
      }
      async detect() {
        calls.detect += 1;
        return calls.detect > 3 ? [{ rawValue: url, format: 'qr_code' }] : [];
      }
    }
    (window as unknown as { BarcodeDetector: unknown }).BarcodeDetector = BarcodeDetector;
  }, poster);
  const decoderRequests: string[] = [];
  phone.on('request', (request) => {
    if (/scanner-worker\.js|decoder(_fallback)?(_bg)?\.(js|wasm)$/.test(request.url())) decoderRequests.push(request.url());
  });
  await createFullProfile(phone, { name: 'Lý Văn Phúc', year: '1999' });
  await phone.goto('/scan');
  await expect(checkInHeading(phone)).toBeVisible();
  expect(await phone.evaluate(() => (window as unknown as { __detector: { detect: number } }).__detector.detect)).toBeGreaterThan(3);
  expect(decoderRequests).toEqual([]);
});

test('a poster opened with the server down checks in from the outbox, which delivers it once the server is back', async ({ page, server }) => {
  const { venueId, poster } = await venueWithPoster(page, server, '0912000907');
  await createFullProfile(page, { name: 'Đào Văn Lực', year: '1983' });
  await declareDailyHealth(page, 'Đào Văn Lực');
  await page.goto('/outbox');
  await expect(page.getByText('Không có mục nào đang chờ gửi.')).toBeVisible();
  await waitForServiceWorker(page);
  // The app keeps the venue keys from its start, so a poster it never saw verifies offline.
  await expect.poll(() => page.evaluate(() => localStorage.getItem('tokhai.venue-keys'))).toContain('key_id');

  await server.stop();
  await page.goto(poster);
  await page.getByRole('button', { name: 'Khai báo đến' }).click();
  await expect(page.getByRole('status')).toContainText('Đã lưu khai báo đến');
  await page.goto('/outbox');
  await expect(page.getByRole('listitem')).toHaveCount(1);

  const restarted = await startServer({ port: server.port, dataDir: server.dataDir });
  try {
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect(page.getByText('Không có mục nào đang chờ gửi.')).toBeVisible();
    expect(await visitsAt(page, venueId)).toHaveLength(1);
  } finally {
    await restarted.stop();
  }
});

test('scanning the same poster on the way out checks out; the diary lists the one visit; every screen passes axe in English', async ({ page, server }) => {
  const { venueId, poster } = await venueWithPoster(page, server, '0912000908');
  const phone = await filming(await videoOf(page, poster), server);
  await createFullProfile(phone, { name: 'Mạc Thị Hoa', year: '1994' });
  await declareDailyHealth(phone, 'Mạc Thị Hoa');
  await phone.goto('/');
  await phone.getByLabel('Ngôn ngữ').selectOption('en');

  await phone.getByRole('link', { name: 'Scan a venue QR' }).click();
  await expect(phone.getByRole('heading', { level: 1, name: "Scan the venue's QR code" })).toBeVisible();
  expect(await seriousViolations(phone)).toEqual([]);
  await expect(phone.locator('#check-in-title')).toBeVisible({ timeout: 15_000 });
  expect(await seriousViolations(phone)).toEqual([]);
  await phone.getByRole('button', { name: 'Check in' }).click();
  await expect(phone.getByRole('status')).toContainText('Check-in saved');
  expect(await seriousViolations(phone)).toEqual([]);
  await expect.poll(async () => (await visitsAt(page, venueId)).length).toBe(1);

  // On the way out, the same poster again: checked out, no second visit.
  await phone.goto('/scan');
  await expect(phone.getByRole('status').filter({ hasText: 'Check-out saved' })).toBeVisible({ timeout: 15_000 });
  await expect(phone.getByRole('button', { name: 'Check out' })).toHaveCount(0);
  await expect
    .poll(async () => (await visitsAt(page, venueId)).map((visit) => visit.left_at_ms !== null))
    .toEqual([true]);

  // (Reopening the poster's address, a reload or a restored tab, is no scan and checks nobody
  // out: diary.spec.ts opens it during a visit and finds the visit shown.)
  await phone.goto('/visits');
  const entry = phone.getByRole('listitem').filter({ hasText: 'Cổng chợ số 1' });
  await expect(entry).toContainText(/Arrived \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}/);
  await expect(entry).toContainText(/Left \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}/);
  expect(await seriousViolations(phone)).toEqual([]);

  const refused = await filming(null, server, false);
  await refused.goto('/scan');
  await refused.getByLabel('Ngôn ngữ').selectOption('en');
  await expect(refused.getByRole('heading', { name: 'The camera is not allowed' })).toBeVisible();
  expect(await seriousViolations(refused)).toEqual([]);
});

test('the camera stops while the tab is hidden and when the scanner closes, and starts again when visible', async ({ page, server }) => {
  const phone = await filming(writeVideo([await posedFrame(page, null)], [10]), server);
  await phone.goto('/scan');
  const liveTracks = () =>
    phone.evaluate(() => {
      const video = document.querySelector('.viewfinder video') as HTMLVideoElement | null;
      const stream = video?.srcObject as MediaStream | null | undefined;
      return stream ? stream.getTracks().filter((track) => track.readyState === 'live').length : 0;
    });
  await expect.poll(liveTracks).toBe(1);
  await expect(phone.getByRole('status').filter({ hasText: 'Đang tìm mã' })).toBeVisible();

  const setHidden = (hidden: boolean) =>
    phone.evaluate((hidden) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
  // Keep the stream to see its tracks end (the video lets go of it when the camera stops).
  await phone.evaluate(() => {
    const video = document.querySelector('.viewfinder video') as HTMLVideoElement;
    (window as unknown as { __stream: MediaStream }).__stream = video.srcObject as MediaStream;
  });
  const keptTracksLive = () =>
    phone.evaluate(() =>
      (window as unknown as { __stream: MediaStream }).__stream.getTracks().filter((track) => track.readyState === 'live').length,
    );
  await setHidden(true);
  await expect.poll(keptTracksLive).toBe(0);
  await expect(phone.getByRole('status').filter({ hasText: 'Máy ảnh tạm dừng' })).toBeVisible();
  await setHidden(false);
  await expect.poll(liveTracks).toBe(1);

  // Leaving the scanner by the app's own navigation stops the camera too.
  await phone.evaluate(() => {
    const video = document.querySelector('.viewfinder video') as HTMLVideoElement;
    (window as unknown as { __stream: MediaStream }).__stream = video.srcObject as MediaStream;
  });
  await phone.getByRole('link', { name: 'Hàng chờ gửi' }).click();
  await expect.poll(keptTracksLive).toBe(0);
});

test('a decoder that fails is replaced and scanning goes on', async ({ page, server }) => {
  const { poster } = await venueWithPoster(page, server, '0912000909');
  // No service worker: its precache would fetch the decoder itself.
  const { browser, context } = await browserFilming(await videoOf(page, poster), server.url, true, 'block');
  browsers.push(browser);
  // The first two workers get a decoder module that cannot start (as a trapped or corrupt
  // instance would be): each answers "failed", and the scanner replaces it with a new worker.
  let broken = 2;
  await context.route(/\/decoder_bg\.wasm$/, (route) =>
    broken-- > 0 ? route.fulfill({ status: 200, contentType: 'application/wasm', body: Buffer.from('not wasm') }) : route.continue(),
  );
  const workers: string[] = [];
  const phone = await context.newPage();
  phone.on('worker', (worker) => workers.push(worker.url()));
  await phone.goto('/scan');
  await expect(checkInHeading(phone)).toBeVisible({ timeout: 30_000 });
  expect(broken).toBeLessThan(0);
  expect(workers.length).toBeGreaterThanOrEqual(3);
});

test('a camera that fails under the scanner is started again: its track ended, or it was busy, and a poster still checks in', async ({ page, server }) => {
  const { poster } = await venueWithPoster(page, server, '0912000910');
  // Five seconds of bare paper first, so the poster is not read before the track is ended.
  const video = writeVideo([await posedFrame(page, null), await posedFrame(page, await qrPng(poster))], [50, 60]);
  const { browser, context } = await browserFilming(video, server.url, true);
  browsers.push(browser);
  // The first request for the camera finds it held by another app, as a phone's camera often is.
  await context.addInitScript(() => {
    const devices = navigator.mediaDevices;
    const real = devices.getUserMedia.bind(devices);
    const scope = window as unknown as { __cameraRequests: number };
    scope.__cameraRequests = 0;
    devices.getUserMedia = (constraints) =>
      ++scope.__cameraRequests === 1
        ? Promise.reject(new DOMException('Could not start video source', 'NotReadableError'))
        : real(constraints);
  });
  const phone = await context.newPage();
  const requests = () => phone.evaluate(() => (window as unknown as { __cameraRequests: number }).__cameraRequests);
  await phone.goto('/scan');
  await expect(phone.getByText('Máy ảnh đang được ứng dụng hoặc thẻ khác sử dụng')).toBeVisible();
  const liveTrack = () =>
    phone.evaluate(() => {
      const video = document.querySelector('.viewfinder video') as HTMLVideoElement | null;
      const track = (video?.srcObject as MediaStream | null | undefined)?.getVideoTracks()[0];
      return track?.readyState === 'live';
    });
  // Started again by itself once the camera is free.
  await expect.poll(liveTrack, { timeout: 15_000 }).toBe(true);
  const beforeEnding = await requests();
  expect(beforeEnding).toBeGreaterThanOrEqual(2);
  // The track ends under the scanner (unplugged, taken by the system): the camera is asked for
  // again, and the poster in front of it still checks in.
  await phone.evaluate(() => {
    const video = document.querySelector('.viewfinder video') as HTMLVideoElement;
    (video.srcObject as MediaStream).getVideoTracks()[0].dispatchEvent(new Event('ended'));
  });
  await expect.poll(requests, { timeout: 15_000 }).toBeGreaterThan(beforeEnding);
  await expect(checkInHeading(phone)).toBeVisible({ timeout: 30_000 });
});
