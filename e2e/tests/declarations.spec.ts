// Every kind of declaration, for oneself and for a family member, through the outbox to the
// server (issue: health declarations, first acceptance line).
import { test, expect } from '../support/fixtures';
import { agreeToConsent, createFullProfile, openProfileAction } from '../support/app';
import { storedDeclarations } from '../support/server';
import type { Page } from '@playwright/test';

const SELF = 'Nguyễn Văn An';
const MOTHER = 'Trần Thị Bình';

/// Today as an `<input type="date">` value, in the browser's time zone.
async function today(page: Page): Promise<string> {
  return page.evaluate(() => {
    const now = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  });
}

/// Opens the declaration of `kind` for `name` from the home screen.
async function open(page: Page, kind: string, name: string) {
  await page.goto('/');
  await openProfileAction(page, kind, name);
  return agreeToConsent(page);
}

/// Types `search` into the combobox `name` (within `scope`) and picks the option `option`.
async function choose(scope: Page | ReturnType<Page['getByRole']>, name: string, search: string, option: string) {
  await scope.getByRole('combobox', { name }).fill(search);
  await scope.getByRole('option', { name: option, exact: true }).click();
}

async function saved(page: Page) {
  await expect(page.getByRole('status')).toContainText(/Đã lưu (trên máy|và đã gửi)/);
}

test('self and family declare every kind; the server holds each once with its kind and proxy flag', { tag: '@scale-out' }, async ({ page, server }) => {
  await createFullProfile(page, { name: SELF, year: '1985', phone: '0912345678', gender: 'Nam' });
  await createFullProfile(page, { name: MOTHER, year: '1948', ward: ['hoan kiem', 'Phường Hoàn Kiếm'] });
  const date = await today(page);

  // All-citizen for oneself: places, a sign, and the sworn-truth commitment, which is required.
  let send = await open(page, 'Khai báo y tế toàn dân', SELF);
  await expect(page.getByLabel('Tôi khai hộ người này')).not.toBeChecked();
  await choose(page, 'Tỉnh/thành phố đã đến trong 14 ngày qua', 'ha noi', 'Thành phố Hà Nội');
  await choose(page, 'Quốc gia/vùng lãnh thổ đã đến trong 14 ngày qua', 'han quoc', 'Hàn Quốc');
  await expect(page.getByRole('list', { name: 'Tỉnh/thành phố đã đến trong 14 ngày qua' })).toContainText('Thành phố Hà Nội');
  await expect(page.getByRole('button', { name: 'Bỏ Hàn Quốc' })).toBeVisible();
  await page.getByRole('group', { name: /^Trong 14 ngày qua, có thấy/ }).getByLabel('Sốt').check();
  await page.getByRole('group', { name: /bệnh nào sau đây/ }).getByLabel('Huyết áp cao').check();
  await send.click();
  await expect(page.getByText('Vui lòng cam kết khai báo trung thực trước khi gửi.')).toBeVisible();
  await expect(page.getByLabel('Sốt', { exact: true })).toBeChecked();
  await page.getByLabel(/^Tôi cam kết những thông tin trên là đúng sự thật/).check();
  await send.click();
  await saved(page);

  // All-citizen for the mother: the device is her son's, so "on her behalf" is already ticked.
  send = await open(page, 'Khai báo y tế toàn dân', MOTHER);
  await expect(page.getByLabel('Tôi khai hộ người này')).toBeChecked();
  await page.getByLabel(/^Tôi cam kết/).check();
  await send.click();
  await saved(page);

  // Domestic move: a flight needs its number.
  send = await open(page, 'Khai báo di chuyển nội địa', SELF);
  await page.getByRole('radio', { name: 'Tàu bay' }).check();
  await send.click();
  await expect(page.getByLabel(/^Số hiệu phương tiện/)).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel(/^Số hiệu phương tiện/).fill('VN 213');
  await page.getByLabel('Số ghế').fill('12A');
  await choose(page.getByRole('group', { name: 'Nơi đi' }), 'Tỉnh / thành phố', 'ha noi', 'Thành phố Hà Nội');
  await choose(page.getByRole('group', { name: 'Nơi đến' }), 'Tỉnh / thành phố', 'ho chi minh', 'Thành phố Hồ Chí Minh');
  await page.getByLabel('Ngày khởi hành').fill(date);
  await send.click();
  await saved(page);

  // Entry: the passport and the address start from the profile.
  send = await open(page, 'Khai báo y tế nhập cảnh', SELF);
  const quarantine = page.getByRole('group', { name: /^Địa chỉ nơi ở/ });
  await expect(quarantine.getByLabel('Số nhà, đường, thôn/ấp')).toHaveValue('12 Võ Văn Ngân');
  await page.getByLabel('Cửa khẩu').fill('Sân bay quốc tế Tân Sơn Nhất');
  await page.getByLabel('Số hộ chiếu').fill('C1234567');
  await page.getByRole('radio', { name: 'Tàu bay' }).check();
  await page.getByLabel(/^Số hiệu phương tiện/).fill('KE 479');
  await choose(page, 'Khởi hành từ quốc gia/vùng lãnh thổ', 'korea', 'Hàn Quốc');
  await page.getByLabel('Ngày nhập cảnh').fill(date);
  await choose(page, 'Quốc gia/vùng lãnh thổ đã đến trong 21 ngày qua', 'nhat', 'Nhật Bản');
  await send.click();
  await saved(page);

  // Daily health tracking and a report.
  send = await open(page, 'Theo dõi sức khoẻ hằng ngày', SELF);
  await page.getByLabel('Ho', { exact: true }).check();
  await send.click();
  await saved(page);

  send = await open(page, 'Phản ánh thông tin', SELF);
  await send.click();
  await expect(page.getByText('Vui lòng điền thông tin này.').first()).toBeVisible();
  await page.getByLabel('Trường hợp nghi ngờ mắc bệnh').check();
  await choose(page.getByRole('group', { name: 'Địa điểm xảy ra' }), 'Tỉnh / thành phố', 'ho chi minh', 'Thành phố Hồ Chí Minh');
  await page.getByLabel('Thời gian phát hiện').fill(date);
  await page.getByLabel('Nội dung phản ánh khác').fill('Người ho nhiều ở chợ, không đeo khẩu trang');
  await send.click();
  await saved(page);

  // Delivered: both people are valid, and the server holds each declaration exactly once.
  await page.goto('/');
  const cards = page.getByRole('link', { name: /Tờ khai còn hiệu lực đến/ });
  await expect(cards).toHaveCount(2);
  await expect(page.getByRole('link', { name: new RegExp(`^${SELF}.*còn hiệu lực`) })).toBeVisible();
  await expect(page.getByRole('link', { name: new RegExp(`^${MOTHER}.*còn hiệu lực`) })).toBeVisible();
  await expect.poll(() => storedDeclarations(server)).toEqual([
    `all_citizen false ${SELF}`,
    `all_citizen true ${MOTHER}`,
    `daily_health false ${SELF}`,
    `domestic_move false ${SELF}`,
    `entry false ${SELF}`,
    `report false ${SELF}`,
  ]);

  // The history names each kind.
  await openProfileAction(page, 'Lịch sử khai báo', SELF);
  await expect(page.getByRole('listitem')).toHaveCount(5);
  await expect(page.getByRole('list')).toContainText('Khai báo y tế nhập cảnh');
});

test('a declaration that needs more from the profile says what and links to it', async ({ page }) => {
  await page.goto('/profiles/new');
  await page.getByLabel('Họ và tên').fill('Bé Na');
  await page.getByLabel('Năm sinh').fill('2020');
  await page.getByRole('button', { name: 'Lưu' }).click();
  await open(page, 'Theo dõi sức khoẻ hằng ngày', 'Bé Na');
  await page.goto('/');
  await openProfileAction(page, 'Khai báo y tế toàn dân', 'Bé Na');
  const notice = page.getByRole('alert');
  await expect(notice).toContainText('Tờ khai này cần thêm thông tin trong hồ sơ');
  await expect(notice).toContainText('Giới tính');
  await expect(notice).toContainText('Phường / xã / đặc khu');
  await page.getByRole('link', { name: 'Bổ sung hồ sơ' }).click();
  await expect(page.getByLabel('Họ và tên')).toHaveValue('Bé Na');
});

test('country pickers work in English and find countries without diacritics', async ({ page }) => {
  await page.goto('/profiles/new');
  await page.getByLabel('Ngôn ngữ').selectOption('en');
  const nationality = page.getByRole('combobox', { name: 'Nationality' });
  await expect(nationality).toHaveValue('Vietnam');
  await nationality.fill('korea');
  await page.getByRole('option', { name: 'South Korea', exact: true }).click();
  await expect(nationality).toHaveValue('South Korea');
  await page.getByLabel('Language').selectOption('vi');
  await expect(page.getByRole('combobox', { name: 'Quốc tịch' })).toHaveValue('Hàn Quốc');
});

test('the declaration forms speak Chinese and Korean, errors included', async ({ page }) => {
  await createFullProfile(page, { name: 'Kim Min-jun', year: '1990' });
  await open(page, 'Khai báo y tế nhập cảnh', 'Kim Min-jun');
  for (const [lang, title, gate, send, required] of [
    ['zh', '入境健康申报', '口岸', '提交申报', '请填写此项。'],
    ['ko', '입국 건강 신고', '입국 검문소', '신고서 제출', '이 항목을 입력하세요.'],
  ]) {
    await page.getByRole('combobox', { name: /Ngôn ngữ|Language|语言|언어/ }).selectOption(lang);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    await page.getByLabel(gate).fill('');
    await page.getByRole('button', { name: send }).click();
    await expect(page.getByText(required).first()).toBeVisible();
  }
});
