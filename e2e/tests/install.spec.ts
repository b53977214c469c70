// The install page: how to add the app to the home screen on each system, the browser's own
// dialog behind a button where the browser offers one, and the poster's second QR pointing here.
import { test, expect } from '../support/fixtures';
import { seriousViolations } from '../support/axe';
import { readCode } from '../support/pass';

test('the install page explains each system, passes axe, and offers the browser\'s dialog once beforeinstallprompt fires', async ({ page, server }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Thêm tokhai vào màn hình chính' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cài ứng dụng lên màn hình chính' })).toBeVisible();
  for (const name of ['Điện thoại Android (Chrome)', 'iPhone và iPad (Safari)', 'Máy tính (Chrome, Edge)']) {
    await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  }
  await expect(page.getByRole('img', { name: /nút Chia sẻ/ })).toBeVisible();
  // No offer from the browser yet: no button.
  await expect(page.getByRole('button', { name: 'Cài ứng dụng' })).toHaveCount(0);
  expect(await seriousViolations(page), 'axe on /install').toEqual([]);

  // The browser offers installation (as Chrome does once the app qualifies).
  await page.evaluate(() => {
    const offer = new Event('beforeinstallprompt', { cancelable: true });
    Object.assign(offer, {
      prompt: () => {
        (window as unknown as { __prompted: boolean }).__prompted = true;
        return Promise.resolve();
      },
      userChoice: Promise.resolve({ outcome: 'accepted', platform: 'web' }),
    });
    window.dispatchEvent(offer);
  });
  const install = page.getByRole('button', { name: 'Cài ứng dụng' });
  await expect(install).toBeVisible();
  expect(await seriousViolations(page), 'axe on /install with the button').toEqual([]);
  await install.click();
  expect(await page.evaluate(() => (window as unknown as { __prompted?: boolean }).__prompted)).toBe(true);
  await expect(page.getByRole('status').filter({ hasText: 'Ứng dụng đã được cài trên máy này.' })).toBeVisible();
  await expect(install).toHaveCount(0);

  await page.getByLabel('Ngôn ngữ').selectOption('en');
  await expect(page.getByRole('heading', { level: 1, name: 'Install the app on your home screen' })).toBeVisible();
  expect(await seriousViolations(page), 'axe on /install in English').toEqual([]);

  // The poster's second QR opens this page.
  await page.goto('/api/v1/install-qr');
  expect(await readCode(page.locator('svg'))).toBe(`${server.url}/install`);
});
