import AxeBuilder from '@axe-core/playwright';
import { test, expect } from '../support/fixtures';
import { createProfile, declareDailyHealth } from '../support/app';
import type { Page } from '@playwright/test';

/// Serious and critical axe violations on the page as it is now, described for the report.
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

for (const lang of ['vi', 'en'] as const) {
  test(`no serious or critical axe violations on any screen (${lang})`, async ({ page }) => {
    await createProfile(page, 'Nguyễn Văn An', '1985', '0912345678');
    await declareDailyHealth(page, 'Nguyễn Văn An');
    await page.goto('/');
    if (lang === 'en') await page.getByLabel('Ngôn ngữ').selectOption('en');

    const screens: [string, string][] = [['home', '/'], ['new profile', '/profiles/new'], ['outbox', '/outbox']];
    const profileLink = await page.getByRole('link', { name: /^Nguyễn Văn An/ }).getAttribute('href');
    screens.push(['edit profile', profileLink!], ['daily declaration', `${profileLink}/daily`], ['history', `${profileLink}/history`], ['not found', '/nope']);

    const found: string[] = [];
    for (const [name, path] of screens) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      found.push(...(await seriousViolations(page)).map((violation) => `${name}: ${violation}`));
    }
    // A form with errors showing, and an open combobox.
    await page.goto('/profiles/new');
    await page.getByRole('button', { name: lang === 'vi' ? 'Lưu' : 'Save' }).click();
    await page.getByRole('combobox', { name: lang === 'vi' ? 'Tỉnh / thành phố' : 'Province / city' }).fill('ha');
    found.push(...(await seriousViolations(page)).map((violation) => `form with errors: ${violation}`));
    expect(found).toEqual([]);
  });
}
