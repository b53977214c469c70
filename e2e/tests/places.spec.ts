import { test, expect } from '../support/fixtures';
import { waitForServiceWorker } from '../support/app';

test('the ward picker finds "Phường Thủ Đức" from "thu duc" offline, by keyboard', async ({ page, server }) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  await server.stop();

  await page.goto('/profiles/new');
  await page.getByLabel('Họ và tên').fill('Hồ Văn Tư');
  await page.getByLabel('Năm sinh').fill('1972');
  const ward = page.getByRole('combobox', { name: 'Phường / xã / đặc khu' });
  await ward.fill('thu duc');
  const option = page.getByRole('option', { name: 'Phường Thủ Đức — Thành phố Hồ Chí Minh' });
  await expect(option).toBeVisible();
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await ward.press('Enter');
  await expect(ward).toHaveValue('Phường Thủ Đức');
  await expect(page.getByRole('combobox', { name: 'Tỉnh / thành phố' })).toHaveValue('Thành phố Hồ Chí Minh');
  await page.getByLabel('Số nhà, đường, thôn/ấp').fill('12 Võ Văn Ngân');
  await page.getByRole('button', { name: 'Lưu' }).click();

  await page.getByRole('link', { name: /^Hồ Văn Tư/ }).click();
  await expect(page.getByRole('combobox', { name: 'Phường / xã / đặc khu' })).toHaveValue('Phường Thủ Đức');
  await expect(page.getByLabel('Số nhà, đường, thôn/ấp')).toHaveValue('12 Võ Văn Ngân');
});

test('a province chosen first narrows the wards; arrows move through the options', async ({ page }) => {
  await page.goto('/profiles/new');
  const province = page.getByRole('combobox', { name: 'Tỉnh / thành phố' });
  await province.fill('ha noi');
  await page.getByRole('option', { name: 'Thành phố Hà Nội' }).click();
  await expect(province).toHaveValue('Thành phố Hà Nội');

  const ward = page.getByRole('combobox', { name: 'Phường / xã / đặc khu' });
  await ward.fill('thu duc');
  await expect(page.getByText('Không tìm thấy.')).toBeVisible();
  await ward.fill('hoan kiem');
  await expect(page.getByRole('option', { name: 'Phường Hoàn Kiếm' })).toBeVisible();
  await ward.press('ArrowDown');
  await ward.press('ArrowUp');
  await ward.press('Enter');
  await expect(ward).toHaveValue('Phường Hoàn Kiếm');
  await ward.press('Escape');
});
