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

/// Creates a profile with everything every declaration needs: gender, nationality (Vietnam by
/// default), province, ward and street.
export async function createFullProfile(
  page: Page,
  person: { name: string; year: string; phone?: string; gender?: string; ward?: [string, string] },
) {
  await page.goto('/profiles/new');
  await page.getByLabel('Họ và tên').fill(person.name);
  await page.getByLabel('Năm sinh').fill(person.year);
  if (person.phone) await page.getByLabel('Số điện thoại').fill(person.phone);
  await page.getByLabel('Giới tính').selectOption({ label: person.gender ?? 'Nữ' });
  const [search, ward] = person.ward ?? ['thu duc', 'Phường Thủ Đức'];
  await page.getByRole('combobox', { name: 'Phường / xã / đặc khu' }).fill(search);
  await page.getByRole('option', { name: new RegExp(`^${ward}`) }).first().click();
  await page.getByLabel('Số nhà, đường, thôn/ấp').fill('12 Võ Văn Ngân');
  await page.getByRole('button', { name: 'Lưu' }).click();
  await expect(page.getByRole('link', { name: new RegExp(person.name) }).first()).toBeVisible();
}

/// Files a daily health check for `name` from the home screen; agrees to the consent screen
/// when it shows. Returns once the app says the declaration is saved.
export async function declareDailyHealth(page: Page, name: string, signs: { cough?: boolean } = {}) {
  await page.goto('/');
  await page.getByRole('link', { name: `Theo dõi sức khoẻ hằng ngày: ${name}` }).click();
  const form = await agreeToConsent(page);
  if (signs.cough) await page.getByLabel('Ho', { exact: true }).check();
  await form.click();
  await expect(page.getByRole('status')).toContainText(/Đã lưu (trên máy|và đã gửi)/);
}

/// Agrees to the consent screen when it shows; returns the form's send button.
export async function agreeToConsent(page: Page) {
  const agree = page.getByRole('button', { name: 'Tôi đồng ý' });
  const send = page.getByRole('button', { name: 'Gửi tờ khai' });
  await expect(agree.or(send)).toBeVisible();
  if (await agree.isVisible()) await agree.click();
  await expect(send).toBeVisible();
  return send;
}

/// Waits until the draft of a form whose name starts with `form` holds `text` in IndexedDB, as it
/// does after any pause in typing.
export async function waitForDraft(page: Page, form: string, text: string) {
  await expect
    .poll(() =>
      page.evaluate(
        async ([form, text]) => {
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const open = indexedDB.open('tokhai');
            open.onsuccess = () => resolve(open.result);
            open.onerror = () => reject(open.error);
          });
          const drafts = await new Promise<{ form: string }[]>((resolve) => {
            const request = db.transaction('drafts').objectStore('drafts').getAll();
            request.onsuccess = () => resolve(request.result);
          });
          db.close();
          return drafts.some((draft) => draft.form.startsWith(form) && JSON.stringify(draft).includes(text));
        },
        [form, text],
      ),
    )
    .toBe(true);
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

/// Follows the home screen's link `action: name` on a profile's card, first opening the card's
/// "other declarations, history" list when the link waits behind it.
export async function openProfileAction(page: Page, action: string, name: string) {
  const link = page.getByRole('link', { name: `${action}: ${name}` });
  const more = page.getByRole('button', { name: `Khai báo khác, lịch sử: ${name}` });
  await expect(link.or(more).first()).toBeVisible();
  if (!(await link.isVisible())) await more.click();
  await link.click();
}
