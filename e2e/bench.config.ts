import { defineConfig } from '@playwright/test';
import { launchOptions } from './support/chromium';

// `cargo xtask bench outbox`: measurements in Chromium, printed, never asserted against budgets.
export default defineConfig({
  testDir: './bench',
  testMatch: '*.bench.ts',
  outputDir: './test-results/bench',
  timeout: 300_000,
  workers: 1,
  reporter: 'list',
  use: {
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    launchOptions,
  },
});
