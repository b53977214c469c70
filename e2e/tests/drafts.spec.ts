import { test, expect } from '../support/fixtures';
import { createProfile, declareDailyHealth, waitForDraft } from '../support/app';

test('a half-filled profile form survives a reload', async ({ page }) => {
  await page.goto('/profiles/new');
  await page.getByLabel('Họ và tên').fill('Lý Thị Mai');
  await page.getByLabel('Năm sinh').fill('19');
  await waitForDraft(page, 'profile:new', '"19"');
  await page.reload();
  await expect(page.getByText('Đã khôi phục những gì bạn nhập dở lần trước.')).toBeVisible();
  await expect(page.getByLabel('Họ và tên')).toHaveValue('Lý Thị Mai');
  await expect(page.getByLabel('Năm sinh')).toHaveValue('19');
  await page.getByLabel('Năm sinh').fill('1999');
  await page.getByRole('button', { name: 'Lưu' }).click();
  await expect(page.getByRole('link', { name: /^Lý Thị Mai/ })).toBeVisible();
  // Saved: the next new profile starts empty.
  await page.goto('/profiles/new');
  await expect(page.getByLabel('Họ và tên')).toHaveValue('');
  await expect(page.getByText('Đã khôi phục')).toHaveCount(0);
});

test('daily answers survive a reload, and are reused only when asked', async ({ page }) => {
  await createProfile(page, 'Đinh Văn Khoa', '1977');
  await page.getByRole('link', { name: 'Theo dõi sức khoẻ hằng ngày: Đinh Văn Khoa' }).click();
  await page.getByRole('button', { name: 'Tôi đồng ý' }).click();
  await expect(page.getByRole('button', { name: 'Điền giống lần khai trước' })).toHaveCount(0);
  await page.getByLabel('Ho', { exact: true }).check();
  await page.getByLabel('Dấu hiệu khác (nếu có)').fill('đau họng');
  await waitForDraft(page, 'daily_health:', 'đau họng');
  await page.reload();
  await expect(page.getByLabel('Ho', { exact: true })).toBeChecked();
  await expect(page.getByLabel('Dấu hiệu khác (nếu có)')).toHaveValue('đau họng');
  await page.getByRole('button', { name: 'Gửi tờ khai' }).click();
  await expect(page.getByRole('status')).toContainText(/Đã lưu (trên máy|và đã gửi)/);

  // The next day's form starts blank; "same as last time" copies the answers on request.
  await page.goto('/');
  await page.getByRole('link', { name: 'Theo dõi sức khoẻ hằng ngày: Đinh Văn Khoa' }).click();
  await expect(page.getByLabel('Ho', { exact: true })).not.toBeChecked();
  await expect(page.getByLabel('Dấu hiệu khác (nếu có)')).toHaveValue('');
  await page.getByRole('button', { name: 'Điền giống lần khai trước' }).click();
  await expect(page.getByLabel('Ho', { exact: true })).toBeChecked();
  await expect(page.getByLabel('Dấu hiệu khác (nếu có)')).toHaveValue('đau họng');
});

test('deleting a profile deletes its history and its drafts from the device', async ({ page }) => {
  await createProfile(page, 'Đặng Văn Tú', '1970');
  await createProfile(page, 'Đặng Thị Mơ', '1972');
  await declareDailyHealth(page, 'Đặng Văn Tú', { cough: true });
  await declareDailyHealth(page, 'Đặng Thị Mơ');
  await page.goto('/');
  await page.getByRole('link', { name: 'Theo dõi sức khoẻ hằng ngày: Đặng Văn Tú' }).click();
  await page.getByLabel('Dấu hiệu khác (nếu có)').fill('sổ mũi');
  await waitForDraft(page, 'daily_health:', 'sổ mũi');

  await page.goto('/');
  await page.getByRole('link', { name: /^Đặng Văn Tú/ }).click();
  await page.getByRole('button', { name: 'Xoá hồ sơ này' }).click();
  await page.getByRole('button', { name: /Xác nhận xoá hồ sơ/ }).click();
  await expect(page.getByRole('link', { name: /^Đặng Văn Tú/ })).toHaveCount(0);

  const kept = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve) => {
      const open = indexedDB.open('tokhai');
      open.onsuccess = () => resolve(open.result);
    });
    const all = (store: string) =>
      new Promise<unknown[]>((resolve) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
      });
    const text = JSON.stringify({ declarations: await all('declarations'), drafts: await all('drafts') });
    db.close();
    return text;
  });
  expect(kept).not.toContain('Đặng Văn Tú');
  expect(kept).not.toContain('sổ mũi');
  // The other person's history is untouched.
  expect(kept).toContain('Đặng Thị Mơ');
});
