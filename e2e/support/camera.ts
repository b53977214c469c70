// A fake rear camera for the scanner tests: Chromium films a y4m video instead of a camera
// (`--use-file-for-fake-video-capture`). The videos are drawn here: a QR code rendered by the
// `qrcode` package into a page, posed as a phone would see it (scaled, tilted, dimmed) and
// screenshot, then written in the y4m format directly (a header, then raw 4:2:0 frames).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { launchOptions } from './chromium';

export const VIDEO_WIDTH = 640;
export const VIDEO_HEIGHT = 480;

/// How the code appears in front of the camera.
export interface Pose {
  /// The code's width as a share of the frame's height (1 = as tall as the frame).
  size?: number;
  rotateDeg?: number;
  /// 0–1: how far the code's dark modules are lifted toward the paper's grey.
  fade?: number;
  background?: string;
}

/// A PNG of `content` (text, or bytes for a binary code) as a QR, at level M unless told.
export async function qrPng(content: string | Uint8Array, scale = 8, level: 'L' | 'M' = 'M'): Promise<Buffer> {
  const segments =
    typeof content === 'string' ? content : [{ data: content, mode: 'byte' as const }];
  return QRCode.toBuffer(segments as string, { errorCorrectionLevel: level, margin: 4, scale });
}

/// A screenshot, `VIDEO_WIDTH × VIDEO_HEIGHT`, of `png` posed as `pose` says (or of the paper
/// alone when `png` is null), drawn in a blank page of `beside`'s context (the app's own pages
/// keep their Content-Security-Policy, which refuses inline styles).
export async function posedFrame(beside: Page, png: Buffer | null, pose: Pose = {}): Promise<Buffer> {
  const { size = 0.7, rotateDeg = 4, fade = 0, background = '#c8c4bc' } = pose;
  const page = await beside.context().newPage();
  await page.setViewportSize({ width: VIDEO_WIDTH, height: VIDEO_HEIGHT });
  const image = png
    ? `<img src="data:image/png;base64,${png.toString('base64')}" style="width:${size * VIDEO_HEIGHT}px;
        transform:rotate(${rotateDeg}deg);opacity:${1 - fade};image-rendering:auto">`
    : '';
  await page.setContent(`<!doctype html><body style="margin:0;height:100vh;display:grid;place-items:center;
      background:${background}">${image}</body>`);
  const shot = await page.screenshot({ type: 'png' });
  await page.close();
  return shot;
}

/// Writes a y4m video of `frames` (PNG screenshots), each repeated `repeat[i]` times at 10 fps,
/// and returns its path. Chromium plays it in a loop.
export function writeVideo(frames: Buffer[], repeat: number[]): string {
  const header = Buffer.from(`YUV4MPEG2 W${VIDEO_WIDTH} H${VIDEO_HEIGHT} F10:1 Ip A1:1 C420jpeg\n`);
  const chunks: Buffer[] = [header];
  frames.forEach((frame, index) => {
    const yuv = i420(PNG.sync.read(frame));
    for (let n = 0; n < repeat[index]; n++) chunks.push(Buffer.from('FRAME\n'), yuv);
  });
  const path = join(mkdtempSync(join(tmpdir(), 'tokhai-camera-')), 'camera.y4m');
  writeFileSync(path, Buffer.concat(chunks));
  return path;
}

/// RGBA → planar 4:2:0 (BT.601, full range as JPEG uses).
function i420(png: PNG): Buffer {
  const { width, height, data } = png;
  const out = Buffer.alloc(width * height * 1.5);
  const chroma = width * height;
  const quarter = (width / 2) * (height / 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      const [r, g, b] = [data[at], data[at + 1], data[at + 2]];
      out[y * width + x] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      if (y % 2 === 0 && x % 2 === 0) {
        const c = (y / 2) * (width / 2) + x / 2;
        out[chroma + c] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
        out[chroma + quarter + c] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
      }
    }
  }
  return out;
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

/// A Chromium whose camera films `video`, with a context for the app at `baseURL`; the camera
/// is allowed unless `allowCamera` is false (then every permission prompt is refused).
export async function browserFilming(
  video: string | null,
  baseURL: string,
  allowCamera = true,
  serviceWorkers: 'allow' | 'block' = 'allow',
): Promise<{ browser: Browser; context: BrowserContext }> {
  const args = [...(launchOptions.args ?? []), '--use-fake-device-for-media-stream'];
  if (video) args.push(`--use-file-for-fake-video-capture=${video}`);
  if (!allowCamera) args.push('--deny-permission-prompts');
  const browser = await chromium.launch({ ...launchOptions, args });
  const context = await browser.newContext({
    baseURL,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    serviceWorkers,
    permissions: allowCamera ? ['camera'] : [],
    viewport: { width: 360, height: 800 },
    hasTouch: true,
    isMobile: true,
  });
  return { browser, context };
}
