// Steps through the app that many tests share, by accessible names (Vietnamese UI).
import { expect, type Page } from '@playwright/test';

export async function createProfile(page: Page, name: string, year: string, phone = '') {
  await page.goto('/profiles/new');
  await page.getByLabel('Họ và tên').fill(name);
  await page.getByLabel('Năm sinh').fill(year);
  if (phone) await page.getByLabel('Số điện thoại').fill(phone);
  await page.getByRole('button', { name: 'Lưu' }).click();
  await expect(page.getByRole('link', { name: new RegExp(name) }).first()).toBeVisible();
}

/// Files a daily health check for `name` from the home screen; agrees to the consent screen
/// when it shows. Returns once the app says the declaration is saved.
export async function declareDailyHealth(page: Page, name: string, signs: { cough?: boolean } = {}) {
  await page.goto('/');
  await page.getByRole('link', { name: `Khai báo sức khoẻ hôm nay: ${name}` }).click();
  const agree = page.getByRole('button', { name: 'Tôi đồng ý' });
  const form = page.getByRole('button', { name: 'Gửi tờ khai' });
  await expect(agree.or(form)).toBeVisible();
  if (await agree.isVisible()) await agree.click();
  if (signs.cough) await page.getByLabel('Ho', { exact: true }).check();
  await form.click();
  await expect(page.getByRole('status')).toContainText('Đã lưu trên máy');
}

export async function waitForServiceWorker(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
      );
    }
  });
}
