import { test, expect } from '../support/fixtures';

test('creates a profile that survives a reload, and switches to English', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ trên máy này' })).toBeVisible();
  await expect(page.getByText(/Phiên bản \d+\.\d+\.\d+\+[0-9a-f]{8}/)).toBeVisible();

  await page.getByRole('link', { name: 'Thêm hồ sơ' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ mới' })).toBeVisible();
  await page.getByLabel('Họ và tên').fill('Nguyễn Văn An');
  await page.getByLabel('Năm sinh').fill('1985');
  await page.getByLabel('Số điện thoại').fill('+84 912 345 678');
  await page.getByRole('button', { name: 'Lưu' }).click();

  const card = page.getByRole('link', { name: /^Nguyễn Văn An/ });
  await expect(card).toBeVisible();
  await page.reload();
  await expect(card).toBeVisible();
  await expect(card).toContainText('1985');

  // Editing keeps the id: still one profile, with the new year.
  await card.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sửa hồ sơ' })).toBeVisible();
  await expect(page.getByLabel('Số điện thoại')).toHaveValue('0912345678');
  await page.getByLabel('Năm sinh').fill('1986');
  await page.getByRole('button', { name: 'Lưu' }).click();
  await expect(page.getByRole('link', { name: /^Nguyễn Văn An/ })).toHaveCount(1);
  await expect(page.getByRole('link', { name: /^Nguyễn Văn An/ })).toContainText('1986');

  await page.getByLabel('Ngôn ngữ').selectOption('en');
  await expect(page.getByRole('heading', { level: 1, name: 'Profiles on this device' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Add a profile' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // The choice is remembered.
  await page.reload();
  await expect(page.getByLabel('Language')).toHaveValue('en');

});

test('shows field errors next to the fields and keeps what was typed', async ({ page }) => {
  await page.goto('/profiles/new');
  await page.getByLabel('Năm sinh').fill('1899');
  await page.getByLabel('Số điện thoại').fill('12345');
  await page.getByLabel('Thư điện tử (email)').fill('a@');
  await page.getByLabel('Số CCCD / CMND / hộ chiếu').fill('079085001234');
  await page.getByRole('button', { name: 'Lưu' }).click();

  await expect(page.getByRole('alert')).toContainText('Vui lòng sửa các ô được đánh dấu');
  await expect(page.locator('[aria-invalid="true"]')).toHaveCount(4);
  await expect(page.getByLabel('Thư điện tử (email)')).toHaveAccessibleDescription(/Không bắt buộc\. Địa chỉ email chưa đúng/);
  await expect(page.getByLabel('Số CCCD / CMND / hộ chiếu')).toHaveValue('079085001234');
  const name = page.getByLabel('Họ và tên');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAccessibleDescription('Vui lòng điền thông tin này.');
  await expect(page.getByLabel('Năm sinh')).toHaveAccessibleDescription(/Phải từ 1900 đến 20\d\d/);
  await expect(page.getByLabel('Năm sinh')).toHaveValue('1899');
  await expect(page.getByLabel('Số điện thoại')).toHaveValue('12345');
  await expect(page.getByLabel('Số điện thoại')).toHaveAccessibleDescription(/Số di động Việt Nam/);

  // Errors follow the language switch; input is untouched.
  await page.getByLabel('Ngôn ngữ').selectOption('en');
  await expect(page.getByLabel('Year of birth')).toHaveAccessibleDescription(/Must be from 1900 to 20\d\d/);
  await expect(page.getByLabel('Year of birth')).toHaveValue('1899');
  await expect(page.getByLabel('Email')).toHaveAccessibleDescription(/Optional\. This is not a valid email address/);
  await expect(page.getByLabel('Full name')).toHaveAccessibleDescription('Please fill in this field.');
  await expect(page.getByLabel('Phone number')).toHaveAccessibleDescription(/A Vietnamese mobile number/);

  // Nothing was stored.
  await page.goto('/');
  await expect(page.getByText('No profiles yet.', { exact: false })).toBeVisible();
});

test('a name made of markup is refused as a name, shown as typed and never run', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const name = '<img src=x onerror=alert(1)>';
  await page.goto('/profiles/new');
  await page.getByLabel('Họ và tên').fill(name);
  await page.getByLabel('Năm sinh').fill('1990');
  await page.getByRole('button', { name: 'Lưu' }).click();
  await expect(page.getByText('Họ tên chỉ gồm chữ cái, dấu cách')).toBeVisible();
  await expect(page.getByLabel('Họ và tên')).toHaveValue(name);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

test('an unknown address shows the in-app not-found page', async ({ page }) => {
  await page.goto('/no/such/screen');
  await expect(page.getByRole('heading', { level: 1, name: 'Không tìm thấy trang' })).toBeVisible();
  await page.getByRole('link', { name: 'Về trang chủ' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ trên máy này' })).toBeVisible();
});

test('blocked IndexedDB shows a clear message instead of a blank page', async ({ page }) => {
  await page.addInitScript(() => {
    // What private modes and "block site data" settings do: access to the factory throws.
    Object.defineProperty(window, 'indexedDB', {
      get() {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      },
    });
  });
  await page.goto('/');
  await expect(page.getByRole('alert')).toContainText('Trình duyệt không cho phép lưu dữ liệu');
  await expect(page.getByRole('button', { name: 'Tải lại' })).toBeVisible();
});

test('an unknown profile id says so', async ({ page }) => {
  await page.goto('/profiles/8a6e0804-2bd0-4672-b79d-d97027f9071a');
  await expect(page.getByRole('alert')).toContainText('Không tìm thấy hồ sơ này');
});

test('profile documents and gender are kept, and a profile can be deleted after confirmation', async ({ page }) => {
  await page.goto('/profiles/new');
  await page.getByLabel('Họ và tên').fill('Trịnh Thu Hà');
  await page.getByLabel('Năm sinh').fill('1958');
  await page.getByLabel('Số CCCD / CMND / hộ chiếu').fill('0790 8500 1234');
  await page.getByLabel('Giới tính').selectOption({ label: 'Nữ' });
  await page.getByLabel('Số thẻ bảo hiểm y tế').fill('dn4797912345678');
  await page.getByRole('button', { name: 'Lưu' }).click();

  await page.getByRole('link', { name: /^Trịnh Thu Hà/ }).click();
  await expect(page.getByLabel('Số CCCD / CMND / hộ chiếu')).toHaveValue('079085001234');
  await expect(page.getByLabel('Giới tính')).toHaveValue('female');
  await expect(page.getByLabel('Số thẻ bảo hiểm y tế')).toHaveValue('DN4797912345678');

  await page.getByRole('button', { name: 'Xoá hồ sơ này' }).click();
  await page.getByRole('button', { name: 'Huỷ' }).click();
  await page.getByRole('button', { name: 'Xoá hồ sơ này' }).click();
  await page.getByRole('button', { name: /Xác nhận xoá hồ sơ/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ trên máy này' })).toBeVisible();
  await expect(page.getByRole('link', { name: /^Trịnh Thu Hà/ })).toHaveCount(0);
});

test('Chinese and Korean translate the forms and their errors', async ({ page }) => {
  await page.goto('/profiles/new');
  await page.getByLabel('Ngôn ngữ').selectOption('zh');
  await expect(page.getByRole('heading', { level: 1, name: '新档案' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh');
  await page.getByLabel('出生年份').fill('1899');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByLabel('姓名')).toHaveAccessibleDescription('请填写此项。');
  await expect(page.getByLabel('出生年份')).toHaveAccessibleDescription(/必须在1900到20\d\d之间/);

  await page.getByLabel('语言').selectOption('ko');
  await expect(page.getByRole('heading', { level: 1, name: '새 프로필' })).toBeVisible();
  await expect(page.getByLabel('성명')).toHaveAccessibleDescription('이 항목을 입력하세요.');
  await expect(page.getByLabel('출생 연도')).toHaveValue('1899');
});
