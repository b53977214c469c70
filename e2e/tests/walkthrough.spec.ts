// What a first-time user tripped over in a walkthrough on a phone-sized screen (issue #11): one
// test per defect, at 360×800 with touch, with screenshots of the fixed screens in Vietnamese and
// Korean under e2e/artifacts/walkthrough/.
import { seriousViolations } from '../support/axe';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../support/fixtures';
import { agreeToConsent, createFullProfile, createProfile, openProfileAction } from '../support/app';
import { posterLink, registerVenue, signInWithOrganisation } from '../support/venue';
import type { Page } from '@playwright/test';

test.use({ viewport: { width: 360, height: 800 }, hasTouch: true, isMobile: true });

const ARTIFACTS = join(__dirname, '..', 'artifacts', 'walkthrough');
const LANGUAGES = ['vi', 'en', 'zh', 'ko'] as const;
type Lang = (typeof LANGUAGES)[number];

async function screenshot(page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/// Switches the interface language with the switch in the header, whatever language it shows.
async function switchTo(page: Page, lang: Lang) {
  await page.locator('#language').selectOption(lang);
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
}

/// Axe on the current screen in all four languages, and screenshots in vi and ko.
async function checkInEveryLanguage(page: Page, name: string) {
  const found: string[] = [];
  for (const lang of LANGUAGES) {
    await switchTo(page, lang);
    found.push(...(await seriousViolations(page)).map((violation) => `${lang}: ${violation}`));
    if (lang === 'vi' || lang === 'ko') await screenshot(page, `${name}-${lang}`);
  }
  await switchTo(page, 'vi');
  expect(found, `axe on ${name}`).toEqual([]);
}

/// Nothing on the page is wider than the phone's screen.
async function fitsTheScreen(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Hà', 'Khánh', 'Lan', 'Minh', 'Nga', 'Phúc'];

test('1. the visitor list pages through 120 visitors and is readable at 360 px', async ({ page, server }) => {
  await signInWithOrganisation(page, server, '0912000701', 'Chợ Đồng Xuân');
  const venueId = await registerVenue(page, 'Cổng chính chợ', 'Chợ');
  const code = (await posterLink(page, venueId)).split('#')[1];
  const items = SURNAMES.flatMap((surname) => GIVEN.map((given) => `${surname} Văn ${given}`)).map((name, n) => ({
    id: crypto.randomUUID(),
    created_at_ms: Date.now() - n * 1000,
    content: { kind: 'check_in', body: {
      visitor: { profile_id: crypto.randomUUID(), full_name: name, year_of_birth: 1990, phone: '0912345678', id_number: '079085001509' },
      on_behalf: false, poster: code, visit_id: crypto.randomUUID(), direction: 'arrival',
    } },
  }));
  expect(items).toHaveLength(120);
  const response = await page.request.post('/api/v1/submissions/batch', { data: { items } });
  expect(response.status()).toBe(200);

  await page.goto(`/venue/${venueId}/visitors`);
  const pager = page.getByRole('navigation', { name: 'Trang' });
  await expect(pager).toContainText('Trang 1/3');
  await expect(pager.getByRole('button', { name: 'Trang trước' })).toBeDisabled();
  await expect(pager.getByRole('button', { name: 'Trang đầu' })).toBeDisabled();
  await pager.getByRole('button', { name: 'Trang sau' }).click();
  await expect(pager).toContainText('Trang 2/3');
  await pager.getByRole('button', { name: 'Trang cuối' }).click();
  await expect(pager).toContainText('Trang 3/3');
  await expect(pager.getByRole('button', { name: 'Trang sau' })).toBeDisabled();
  const rows = page.getByRole('table').getByRole('row');
  // 120 = 50 + 50 + 20, and the header row.
  await expect(rows).toHaveCount(21);
  await pager.getByRole('button', { name: 'Trang đầu' }).click();
  await expect(pager).toContainText('Trang 1/3');
  await expect(rows).toHaveCount(51);

  // Each visitor's five values are all on the screen, each labelled by its column.
  await fitsTheScreen(page);
  const first = rows.nth(1);
  for (let cell = 0; cell < 5; cell++) {
    const box = (await first.getByRole('cell').nth(cell).boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
  }
  await expect(first.getByRole('cell').nth(3)).toContainText('09******78');
  await checkInEveryLanguage(page, 'visitors');
});

test('2. a refused save moves focus to the first invalid field, on screen, on every form', async ({ page }) => {
  await page.goto('/profiles/new');
  await page.getByRole('button', { name: 'Lưu' }).click();
  const name = page.getByLabel('Họ và tên');
  await expect(name).toBeFocused();
  await expect(name).toBeInViewport();
  await expect(page.getByRole('alert').first()).toContainText('Vui lòng sửa các ô được đánh dấu');

  // Further down a long form: the all-citizen declaration's commitment, below the fold.
  await createFullProfile(page, { name: 'Nguyễn Thị Mai', year: '1990' });
  await openProfileAction(page, 'Khai báo y tế toàn dân', 'Nguyễn Thị Mai');
  const send = await agreeToConsent(page);
  await send.click();
  const sworn = page.getByLabel(/^Tôi cam kết/);
  await expect(sworn).toBeFocused();
  await expect(sworn).toBeInViewport();
  await screenshot(page, 'refused-declaration-vi');
});

test('3. place search finds the short and former names people type', async ({ page }) => {
  await page.goto('/profiles/new');
  const province = page.getByRole('combobox', { name: 'Tỉnh / thành phố' });
  for (const typed of ['hcm', 'tp hcm', 'sai gon', 'saigon', 'Sài Gòn']) {
    await province.fill(typed);
    await expect(page.getByRole('listbox').getByRole('option').first(), typed).toHaveText('Thành phố Hồ Chí Minh');
  }
  await province.fill('');
  const ward = page.getByRole('combobox', { name: 'Phường / xã / đặc khu' });
  await ward.fill('thu duc');
  await expect(page.getByRole('listbox').getByRole('option').first()).toHaveText(/^Phường Thủ Đức/);
  await expect(page.getByRole('listbox').getByRole('option')).toHaveCount(1);
  await screenshot(page, 'place-search-vi');
});

test('4 and 5. the status follows the delivered declaration, and every message says what happened', async ({ page, context }) => {
  await createFullProfile(page, { name: 'Trần Văn Hùng', year: '1980' });
  await openProfileAction(page, 'Khai báo y tế toàn dân', 'Trần Văn Hùng');
  const send = await agreeToConsent(page);
  await page.getByLabel(/^Tôi cam kết/).check();
  await send.click();
  // Delivered at once, and said so.
  await expect(page.getByRole('status')).toHaveText('Đã lưu và đã gửi: máy chủ đã nhận.');

  // No network for the daily check: saved, and waiting for the network, in those words.
  await context.route('**/api/v1/submissions/batch', (route) => route.abort('internetdisconnected'));
  await page.getByRole('link', { name: 'Về trang chủ' }).click();
  await page.getByRole('link', { name: 'Theo dõi sức khoẻ hằng ngày: Trần Văn Hùng' }).click();
  await page.getByRole('button', { name: 'Gửi tờ khai' }).click();
  await expect(page.getByRole('status')).toContainText('sẽ tự động gửi khi có mạng');

  // Home: still valid, with the newer one waiting beside it.
  await page.getByRole('link', { name: 'Về trang chủ' }).click();
  const card = page.getByRole('link', { name: /^Trần Văn Hùng/ });
  await expect(card).toContainText(/Tờ khai còn hiệu lực đến \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  await expect(card).toContainText('Có tờ khai mới hơn đang chờ gửi');
  await expect(card).not.toContainText('Tờ khai đang chờ gửi');
  await checkInEveryLanguage(page, 'home-valid-and-waiting');

  // The outbox says why in words, in every language; never the browser's TypeError.
  await page.getByRole('link', { name: 'Hàng chờ gửi' }).click();
  const expected: Record<Lang, string> = {
    vi: 'không kết nối được máy chủ',
    en: 'the server could not be reached',
    zh: '无法连接服务器',
    ko: '서버에 연결할 수 없었습니다',
  };
  for (const lang of LANGUAGES) {
    await switchTo(page, lang);
    await expect(page.locator('main')).toContainText(expected[lang]);
    await expect(page.locator('main')).not.toContainText(/TypeError|Failed to fetch|HTTP 0/);
  }
  await switchTo(page, 'vi');
  await checkInEveryLanguage(page, 'outbox-offline');
});

test('6. Korean and Chinese group titles wrap inside their boxes, between words', async ({ page }) => {
  await createFullProfile(page, { name: 'Kim Min Su', year: '1988' });
  await page.evaluate(() => localStorage.setItem('tokhai.consent', '999'));
  const profile = await page.getByRole('link', { name: /^Kim Min Su/ }).getAttribute('href');
  for (const lang of ['ko', 'zh'] as const) {
    await page.goto(`${profile}/declare/all-citizen`);
    await switchTo(page, lang);
    await expect(page.locator('fieldset').first()).toBeVisible();
    const escaping = await page.locator('fieldset').evaluateAll((fieldsets) =>
      fieldsets.flatMap((fieldset) => {
        const legend = fieldset.querySelector(':scope > legend');
        if (!legend) return [];
        const box = fieldset.getBoundingClientRect();
        const title = legend.getBoundingClientRect();
        const border = parseFloat(getComputedStyle(fieldset).borderTopWidth);
        const inside = title.top >= box.top + border && title.left >= box.left && title.right <= box.right;
        return inside ? [] : [legend.textContent];
      }),
    );
    expect(escaping, `${lang} titles on or over their box's border`).toEqual([]);
    await fitsTheScreen(page);
    if (lang === 'ko') {
      expect(await page.evaluate(() => getComputedStyle(document.body).wordBreak)).toBe('keep-all');
    }
    await screenshot(page, `all-citizen-form-${lang}`);
    expect(await seriousViolations(page)).toEqual([]);
  }
});

test('7. dates are unambiguous in every language, in Vietnam time', async ({ page }) => {
  await createFullProfile(page, { name: 'Lê Thị Thu', year: '1975' });
  await page.getByRole('link', { name: 'Theo dõi sức khoẻ hằng ngày: Lê Thị Thu' }).click();
  await (await agreeToConsent(page)).click();
  await expect(page.getByRole('status')).toHaveText('Đã lưu và đã gửi: máy chủ đã nhận.');
  await page.getByRole('link', { name: 'Về trang chủ' }).click();
  const card = page.getByRole('link', { name: /^Lê Thị Thu/ });
  const month = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
  const patterns: Record<Lang, RegExp> = {
    vi: /\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/,
    en: new RegExp(`\\b\\d{1,2} (${month}) \\d{4}, \\d{2}:\\d{2}`),
    zh: /\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/,
    ko: /\d{4}년 \d{1,2}월 \d{1,2}일 \d{2}:\d{2}/,
  };
  // Tomorrow in Vietnam, for a declaration valid 24 hours.
  const until = new Date(Date.now() + 24 * 3600 * 1000);
  const day = Number(new Intl.DateTimeFormat('en-GB', { day: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(until));
  for (const lang of LANGUAGES) {
    await switchTo(page, lang);
    await expect(card).toContainText(patterns[lang]);
    await expect(card).not.toContainText(/\d{1,2}\/\d{1,2}\/\d{2}\b(?!\d)/);
  }
  await switchTo(page, 'en');
  await expect(card).toContainText(new RegExp(`until ${day} (${month}) \\d{4}`));
  await switchTo(page, 'vi');
});

test('8. A4 and A5 posters each print on one page', async ({ page, server }) => {
  await signInWithOrganisation(page, server, '0912000702', 'Bến xe Miền Đông');
  const venueId = await registerVenue(page, 'Cổng số 2 bến xe khách liên tỉnh Miền Đông mới', 'Nhà ga, bến xe, sân bay');
  await page.goto(`/venue/${venueId}/poster`);
  await expect(page.getByRole('img', { name: /QR/ }).first()).toBeVisible();
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const format of ['A4', 'A5'] as const) {
    const file = join(ARTIFACTS, `poster-${format}.pdf`);
    await page.pdf({ path: file, format, printBackground: true });
    const pages = /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1];
    expect(pages, `${format} pages`).toBe('1');
  }
});

test('9. names stop at their limit as typed, and emoji are refused in names', async ({ page }) => {
  await page.goto('/profiles/new');
  const name = page.getByLabel('Họ và tên');
  await name.fill('A'.repeat(500));
  await expect(name).toHaveValue('A'.repeat(100));
  await name.fill('Bé Na 😀');
  await page.getByLabel('Năm sinh').fill('2019');
  await page.getByRole('button', { name: 'Lưu' }).click();
  await expect(name).toBeFocused();
  await expect(page.getByText('Họ tên chỉ gồm chữ cái, dấu cách')).toBeVisible();
  await expect(name).toHaveValue('Bé Na 😀');
  await checkInEveryLanguage(page, 'name-refused');
  await name.fill('Bé Na');
  await page.getByRole('button', { name: 'Lưu' }).click();
  await expect(page.getByRole('link', { name: /^Bé Na/ })).toBeVisible();
});

test('10. consent can be declined: the app stays usable and says what declaring needs', async ({ page }) => {
  await createProfile(page, 'Phan Văn Long', '1970');
  await openProfileAction(page, 'Khai báo y tế toàn dân', 'Phan Văn Long');
  await page.getByRole('button', { name: 'Để sau' }).click();
  await expect(page.getByRole('status')).toContainText('cần sự đồng ý của bạn');
  await expect(page.getByRole('button', { name: 'Gửi tờ khai' })).toHaveCount(0);
  await checkInEveryLanguage(page, 'consent-declined');
  await page.getByRole('link', { name: 'Về trang chủ' }).click();
  await expect(page.getByRole('link', { name: /^Phan Văn Long/ })).toBeVisible();
  await page.getByRole('link', { name: 'Dành cho cơ sở' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // Nothing was stored: the next declaration asks again.
  await page.goto('/');
  await page.getByRole('link', { name: 'Theo dõi sức khoẻ hằng ngày: Phan Văn Long' }).click();
  await expect(page.getByRole('button', { name: 'Tôi đồng ý' })).toBeVisible();
});

test('11. "delete everything" empties the device after a warning, and the server erases what it sent', async ({ page, context }) => {
  await createFullProfile(page, { name: 'Võ Thị Sáu', year: '1952' });
  await page.getByRole('link', { name: 'Theo dõi sức khoẻ hằng ngày: Võ Thị Sáu' }).click();
  await (await agreeToConsent(page)).click();
  await expect(page.getByRole('status')).toHaveText('Đã lưu và đã gửi: máy chủ đã nhận.');
  const device = await page.evaluate(() => localStorage.getItem('tokhai.device'));
  const listed = async () =>
    (await (await page.request.get('/api/v1/declarations', { headers: { 'X-Tokhai-Device': device! } })).json()).declarations;
  expect(await listed()).toHaveLength(1);

  // One more, unsent: the page warns that it would be lost.
  await context.route('**/api/v1/submissions/batch', (route) => route.abort('internetdisconnected'));
  await page.getByRole('link', { name: 'Về trang chủ' }).click();
  await page.getByRole('link', { name: 'Theo dõi sức khoẻ hằng ngày: Võ Thị Sáu' }).click();
  await page.getByRole('button', { name: 'Gửi tờ khai' }).click();
  await expect(page.getByRole('status')).toContainText('sẽ tự động gửi khi có mạng');
  await page.getByRole('link', { name: 'Dữ liệu của bạn' }).click();
  await expect(page.getByText('Máy này đang lưu 1 hồ sơ và 2 tờ khai.')).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Có 1 mục chưa gửi tới máy chủ');
  await expect(page.getByLabel(/^Đồng thời yêu cầu máy chủ xoá/)).toBeChecked();
  await checkInEveryLanguage(page, 'my-data');
  await page.getByRole('button', { name: 'Xoá mọi thứ trên máy này' }).click();
  await page.getByRole('button', { name: 'Xoá — không thể hoàn tác' }).click();
  const done = page.getByRole('status');
  await expect(done).toContainText('Đã xoá mọi thứ trên máy này.');
  await expect(done).toContainText('sẽ tự động gửi khi có mạng');
  await expect(page.getByText('Máy này đang lưu 0 hồ sơ và 0 tờ khai.')).toBeVisible();

  // The network is back: the request goes through the outbox and the server honours it.
  await context.unroute('**/api/v1/submissions/batch');
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await expect(done).toContainText('Máy chủ đã xoá những gì máy này đã gửi.');
  await screenshot(page, 'my-data-erased-vi');
  expect(await listed()).toEqual([]);
  await page.getByRole('link', { name: 'Hàng chờ gửi' }).click();
  await expect(page.getByText('Không có mục nào đang chờ gửi.')).toBeVisible();
  await page.getByRole('link', { name: 'Tờ khai y tế', exact: true }).click();
  await expect(page.getByText('Chưa có hồ sơ nào')).toBeVisible();
});

test('12. opening /venue signed out logs no console error', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/venue');
  await expect(page.getByRole('button', { name: 'Gửi mã đăng nhập' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Gửi mã đăng nhập' })).toBeVisible();
  expect(errors).toEqual([]);
});
