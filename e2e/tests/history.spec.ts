import { test, expect } from '../support/fixtures';
import { createProfile, declareDailyHealth, openProfileAction } from '../support/app';
import { dailyHealth } from '../support/submissions';

test('history lists a person’s declarations with receipts and forgets delivered ones after 21 days', async ({ page }) => {
  await createProfile(page, 'Mai Anh Thư', '2012');
  await declareDailyHealth(page, 'Mai Anh Thư', { cough: true });

  // A delivered declaration from 30 days ago, as an older version of the app would have left it.
  const profileId = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('tokhai');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const profiles = await new Promise<{ id: string }[]>((resolve) => {
      const request = db.transaction('profiles').objectStore('profiles').getAll();
      request.onsuccess = () => resolve(request.result);
    });
    db.close();
    return profiles[0].id;
  });
  const old = dailyHealth();
  old.created_at_ms = Date.now() - 30 * 24 * 3_600_000;
  old.content.body.person.profile_id = profileId;
  await page.evaluate(async (record) => {
    const db = await new Promise<IDBDatabase>((resolve) => {
      const open = indexedDB.open('tokhai');
      open.onsuccess = () => resolve(open.result);
    });
    await new Promise<void>((resolve) => {
      const transaction = db.transaction('declarations', 'readwrite');
      transaction.objectStore('declarations').put(record);
      transaction.oncomplete = () => resolve();
    });
    db.close();
  }, { id: old.id, profile_id: profileId, submission: old, receipt: { id: old.id, received_at_ms: old.created_at_ms } });

  await page.goto('/');
  await openProfileAction(page, 'Lịch sử khai báo', 'Mai Anh Thư');
  await expect(page.getByRole('heading', { level: 1, name: 'Lịch sử khai báo' })).toBeVisible();
  const entries = page.getByRole('listitem');
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText('Theo dõi sức khoẻ hằng ngày');
  await expect(entries.first()).toContainText('Máy chủ đã nhận lúc');
});
