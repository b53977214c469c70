// How every test starts Chromium: Debian's build (Playwright's own download fails on this machine
// kind), headless, with background networking off so it contacts nothing but the app.
import type { LaunchOptions } from '@playwright/test';

export const launchOptions: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
