import { seriousViolations } from '../support/axe';
import { test, expect } from '../support/fixtures';
import { createFullProfile, declareDailyHealth } from '../support/app';
import type { Page } from '@playwright/test';

/// Serious and critical axe violations on the page as it is now, described for the report.
for (const lang of ['vi', 'en'] as const) {
  test(`no serious or critical axe violations on any screen (${lang})`, async ({ page }) => {
    await createFullProfile(page, { name: 'Nguyễn Văn An', year: '1985', phone: '0912345678' });
    await declareDailyHealth(page, 'Nguyễn Văn An');
    await page.goto('/');
    if (lang === 'en') await page.getByLabel('Ngôn ngữ').selectOption('en');

    const screens: [string, string][] = [['home', '/'], ['new profile', '/profiles/new'], ['outbox', '/outbox']];
    const profileLink = await page.getByRole('link', { name: /^Nguyễn Văn An/ }).getAttribute('href');
    screens.push(['edit profile', profileLink!], ['history', `${profileLink}/history`], ['pass', `${profileLink}/pass`], ['not found', '/nope']);
    for (const kind of ['all-citizen', 'domestic-move', 'entry', 'daily', 'report']) {
      screens.push([`${kind} declaration`, `${profileLink}/declare/${kind}`]);
    }

    const found: string[] = [];
    for (const [name, path] of screens) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      found.push(...(await seriousViolations(page)).map((violation) => `${name}: ${violation}`));
    }
    // The pass's printed card view.
    await page.goto(`${profileLink}/pass`);
    await page.getByRole('button', { name: lang === 'vi' ? 'In thẻ' : 'Print card' }).click();
    await expect(page.getByRole('article', { name: lang === 'vi' ? 'Thẻ in' : 'Printed card' })).toBeVisible();
    found.push(...(await seriousViolations(page)).map((violation) => `printed card: ${violation}`));
    // A form with errors showing, and an open combobox.
    await page.goto('/profiles/new');
    await page.getByRole('button', { name: lang === 'vi' ? 'Lưu' : 'Save' }).click();
    await page.getByRole('combobox', { name: lang === 'vi' ? 'Tỉnh / thành phố' : 'Province / city' }).fill('ha');
    found.push(...(await seriousViolations(page)).map((violation) => `form with errors: ${violation}`));
    // Declaration forms with every error showing.
    for (const kind of ['all-citizen', 'entry']) {
      await page.goto(`${profileLink}/declare/${kind}`);
      await page.getByRole('button', { name: lang === 'vi' ? 'Gửi tờ khai' : 'Submit declaration' }).click();
      await expect(page.getByRole('alert')).toBeVisible();
      found.push(...(await seriousViolations(page)).map((violation) => `${kind} with errors: ${violation}`));
    }
    expect(found).toEqual([]);
  });
}
