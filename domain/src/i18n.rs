//! The translation catalogue: every user-facing string of tokhai, in every supported language.
//!
//! A macro keeps each string's translations side by side, so a key without a translation in some
//! language does not compile, and `Text::ALL` lets tests check the whole catalogue.

use serde::{Deserialize, Serialize};

use crate::validation::ErrorCode;

/// A user interface language. Vietnamese is the default (DESIGN.md §1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
    /// Simplified Chinese and Korean, as tokhaiyte.vn offered them for travellers and workers.
    Zh,
    Ko,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::Vi, Lang::En, Lang::Zh, Lang::Ko];

    /// BCP 47 tag, as used in `<html lang>` and stored preferences.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
            Lang::Zh => "zh",
            Lang::Ko => "ko",
        }
    }

    /// Reads a BCP 47 tag such as `en-GB` by its primary language subtag.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.tag() == primary)
    }

    /// The language's name in itself, as shown in the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Vi => "Tiếng Việt",
            Lang::En => "English",
            Lang::Zh => "中文",
            Lang::Ko => "한국어",
        }
    }
}

macro_rules! catalogue {
    ($($key:ident { vi: $vi:literal, en: $en:literal, zh: $zh:literal, ko: $ko:literal $(,)? })*) => {
        /// A user-facing string, translated with [`Text::in_lang`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Text { $($key),* }

        impl Text {
            pub const ALL: &'static [Text] = &[$(Text::$key),*];

            pub fn in_lang(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::Vi => match self { $(Text::$key => $vi),* },
                    Lang::En => match self { $(Text::$key => $en),* },
                    Lang::Zh => match self { $(Text::$key => $zh),* },
                    Lang::Ko => match self { $(Text::$key => $ko),* },
                }
            }
        }
    };
}

catalogue! {
    AppName {
        vi: "Tờ khai y tế",
        en: "Health declaration",
        zh: "健康申报",
        ko: "건강 신고",
    }
    SkipToContent {
        vi: "Bỏ qua, đến nội dung chính",
        en: "Skip to main content",
        zh: "跳到主要内容",
        ko: "본문으로 건너뛰기",
    }
    MainNavigation {
        vi: "Điều hướng chính",
        en: "Main navigation",
        zh: "主导航",
        ko: "주 메뉴",
    }
    Language {
        vi: "Ngôn ngữ",
        en: "Language",
        zh: "语言",
        ko: "언어",
    }
    Version {
        vi: "Phiên bản",
        en: "Version",
        zh: "版本",
        ko: "버전",
    }
    Loading {
        vi: "Đang tải…",
        en: "Loading…",
        zh: "正在加载…",
        ko: "불러오는 중…",
    }
    HomeTitle {
        vi: "Hồ sơ trên máy này",
        en: "Profiles on this device",
        zh: "本设备上的档案",
        ko: "이 기기의 프로필",
    }
    HomeIntro {
        vi: "Khai báo cho bản thân và cho người thân (người già, trẻ em) từ cùng một điện thoại. Dữ liệu được lưu trên máy này.",
        en: "Declare for yourself and for family members (elderly people, children) from one phone. The data stays on this device.",
        zh: "用一部手机为自己和家人（老人、儿童）申报。数据保存在本设备上。",
        ko: "휴대폰 하나로 본인과 가족(노인, 어린이)을 신고하세요. 데이터는 이 기기에 보관됩니다.",
    }
    NoProfilesYet {
        vi: "Chưa có hồ sơ nào. Hãy thêm hồ sơ của bạn trước, sau đó thêm người thân.",
        en: "No profiles yet. Add your own profile first, then your family members.",
        zh: "还没有档案。请先添加您自己的档案，再添加家人。",
        ko: "아직 프로필이 없습니다. 먼저 본인 프로필을 추가한 다음 가족을 추가하세요.",
    }
    AddProfile {
        vi: "Thêm hồ sơ",
        en: "Add a profile",
        zh: "添加档案",
        ko: "프로필 추가",
    }
    BornIn {
        vi: "Năm sinh",
        en: "Born",
        zh: "出生年份",
        ko: "출생 연도",
    }
    NewProfileTitle {
        vi: "Hồ sơ mới",
        en: "New profile",
        zh: "新档案",
        ko: "새 프로필",
    }
    EditProfileTitle {
        vi: "Sửa hồ sơ",
        en: "Edit profile",
        zh: "编辑档案",
        ko: "프로필 수정",
    }
    ProfileFormIntro {
        vi: "Thông tin này được dùng để điền sẵn tờ khai. Sửa hồ sơ không làm thay đổi các tờ khai đã gửi.",
        en: "This information pre-fills your declarations. Editing a profile never changes declarations already sent.",
        zh: "这些信息用于预填申报表。修改档案不会改变已提交的申报。",
        ko: "이 정보는 신고서를 미리 채우는 데 사용됩니다. 프로필을 수정해도 이미 보낸 신고는 바뀌지 않습니다.",
    }
    FullName {
        vi: "Họ và tên",
        en: "Full name",
        zh: "姓名",
        ko: "성명",
    }
    YearOfBirth {
        vi: "Năm sinh",
        en: "Year of birth",
        zh: "出生年份",
        ko: "출생 연도",
    }
    PhoneNumber {
        vi: "Số điện thoại",
        en: "Phone number",
        zh: "电话号码",
        ko: "전화번호",
    }
    PhoneOptionalHint {
        vi: "Không bắt buộc (trẻ em, người già có thể không có). Ví dụ: 0912 345 678",
        en: "Optional (children and elderly people may have none). Example: 0912 345 678",
        zh: "选填（儿童和老人可能没有）。例如：0912 345 678",
        ko: "선택 사항(어린이와 노인은 없을 수 있음). 예: 0912 345 678",
    }
    Save {
        vi: "Lưu",
        en: "Save",
        zh: "保存",
        ko: "저장",
    }
    Saving {
        vi: "Đang lưu…",
        en: "Saving…",
        zh: "正在保存…",
        ko: "저장 중…",
    }
    Cancel {
        vi: "Huỷ",
        en: "Cancel",
        zh: "取消",
        ko: "취소",
    }
    FixHighlightedFields {
        vi: "Vui lòng sửa các ô được đánh dấu. Những gì bạn đã nhập vẫn được giữ nguyên.",
        en: "Please correct the highlighted fields. Everything you typed has been kept.",
        zh: "请更正标出的栏位。您输入的内容都已保留。",
        ko: "표시된 항목을 고쳐 주세요. 입력한 내용은 모두 그대로 있습니다.",
    }
    ProfileNotFound {
        vi: "Không tìm thấy hồ sơ này trên máy. Có thể nó đã bị xoá.",
        en: "This profile is not on this device. It may have been deleted.",
        zh: "本设备上没有这个档案，可能已被删除。",
        ko: "이 기기에 이 프로필이 없습니다. 삭제되었을 수 있습니다.",
    }
    CouldNotSave {
        vi: "Không lưu được vào bộ nhớ của máy. Những gì bạn đã nhập vẫn còn; hãy thử lại.",
        en: "Could not save to this device's storage. What you typed is still here; please try again.",
        zh: "无法保存到本设备。您输入的内容仍在此处，请重试。",
        ko: "이 기기에 저장하지 못했습니다. 입력한 내용은 그대로 있으니 다시 시도하세요.",
    }
    CouldNotRead {
        vi: "Không đọc được dữ liệu đã lưu trên máy.",
        en: "Could not read the data stored on this device.",
        zh: "无法读取本设备上保存的数据。",
        ko: "이 기기에 저장된 데이터를 읽지 못했습니다.",
    }
    StorageUnavailableTitle {
        vi: "Trình duyệt không cho phép lưu dữ liệu",
        en: "This browser does not allow storing data",
        zh: "此浏览器不允许存储数据",
        ko: "이 브라우저는 데이터 저장을 허용하지 않습니다",
    }
    StorageUnavailableBody {
        vi: "Trình duyệt đang chặn bộ nhớ của trang (ví dụ: chế độ ẩn danh hoặc đã chặn dữ liệu trang web), nên hồ sơ và tờ khai không thể được giữ lại. Hãy mở ứng dụng trong cửa sổ trình duyệt thông thường, hoặc cho phép dữ liệu trang web trong cài đặt trình duyệt, rồi tải lại trang.",
        en: "The browser is blocking this site's storage (for example private browsing, or site data blocked), so profiles and declarations cannot be kept. Open the app in a normal browser window, or allow site data in the browser settings, then reload the page.",
        zh: "浏览器阻止了本网站的存储（例如无痕模式或已阻止网站数据），因此无法保存档案和申报。请在普通浏览器窗口中打开本应用，或在浏览器设置中允许网站数据，然后重新加载页面。",
        ko: "브라우저가 이 사이트의 저장소를 막고 있어(예: 시크릿 모드, 사이트 데이터 차단) 프로필과 신고를 보관할 수 없습니다. 일반 브라우저 창에서 앱을 열거나 브라우저 설정에서 사이트 데이터를 허용한 뒤 페이지를 새로 고치세요.",
    }
    Reload {
        vi: "Tải lại",
        en: "Reload",
        zh: "重新加载",
        ko: "새로 고침",
    }
    NotFoundTitle {
        vi: "Không tìm thấy trang",
        en: "Page not found",
        zh: "找不到页面",
        ko: "페이지를 찾을 수 없습니다",
    }
    NotFoundBody {
        vi: "Địa chỉ bạn mở không có trong ứng dụng.",
        en: "The address you opened does not exist in this app.",
        zh: "您打开的地址在本应用中不存在。",
        ko: "연 주소가 이 앱에 없습니다.",
    }
    BackToHome {
        vi: "Về trang chủ",
        en: "Back to home",
        zh: "返回首页",
        ko: "홈으로",
    }
    UpdateReady {
        vi: "Đã có phiên bản mới của ứng dụng.",
        en: "A new version of the app is ready.",
        zh: "应用的新版本已就绪。",
        ko: "새 버전의 앱이 준비되었습니다.",
    }
    NavOutbox {
        vi: "Hàng chờ gửi",
        en: "Outbox",
        zh: "待发送",
        ko: "보낼 항목",
    }
    ItemsWaiting {
        vi: "mục đang chờ gửi",
        en: "item(s) waiting to be sent",
        zh: "项等待发送",
        ko: "개 항목이 전송을 기다리는 중",
    }
    OutboxTitle {
        vi: "Hàng chờ gửi",
        en: "Outbox",
        zh: "待发送",
        ko: "보낼 항목",
    }
    OutboxIntro {
        vi: "Mọi thứ bạn gửi được lưu trên máy này trước, rồi tự động gửi đi khi có mạng. Không mục nào bị mất hay bị gửi hai lần.",
        en: "Everything you submit is saved on this device first, then sent automatically when there is a network. Nothing is lost or sent twice.",
        zh: "您提交的所有内容都会先保存在本设备上，有网络时自动发送。不会丢失，也不会重复发送。",
        ko: "제출한 모든 내용은 먼저 이 기기에 저장되고 네트워크가 있을 때 자동으로 전송됩니다. 잃어버리거나 두 번 보내지 않습니다.",
    }
    OutboxEmpty {
        vi: "Không có mục nào đang chờ gửi.",
        en: "Nothing is waiting to be sent.",
        zh: "没有等待发送的内容。",
        ko: "전송을 기다리는 항목이 없습니다.",
    }
    StatePending {
        vi: "Đang chờ gửi",
        en: "Waiting to be sent",
        zh: "等待发送",
        ko: "전송 대기 중",
    }
    Attempts {
        vi: "Số lần đã thử",
        en: "Attempts",
        zh: "尝试次数",
        ko: "시도 횟수",
    }
    LastError {
        vi: "Lỗi gần nhất",
        en: "Last error",
        zh: "最近的错误",
        ko: "마지막 오류",
    }
    StateNeedsAttention {
        vi: "Cần bạn xử lý: máy chủ đã từ chối mục này",
        en: "Needs your attention: the server refused this item",
        zh: "需要您处理：服务器拒绝了此项",
        ko: "확인 필요: 서버가 이 항목을 거부했습니다",
    }
    RetryItem {
        vi: "Gửi lại",
        en: "Send again",
        zh: "重新发送",
        ko: "다시 보내기",
    }
    DiscardItem {
        vi: "Bỏ mục này",
        en: "Discard this item",
        zh: "放弃此项",
        ko: "이 항목 버리기",
    }
    ConfirmDiscard {
        vi: "Xác nhận bỏ (không thể hoàn tác)",
        en: "Confirm discard (cannot be undone)",
        zh: "确认放弃（无法撤销）",
        ko: "버리기 확인(되돌릴 수 없음)",
    }
    KeepItem {
        vi: "Giữ lại",
        en: "Keep it",
        zh: "保留",
        ko: "유지",
    }
    StoragePersisted {
        vi: "Trình duyệt đã cho phép lưu trữ lâu dài: dữ liệu không bị tự động xoá khi máy thiếu dung lượng.",
        en: "The browser granted persistent storage: data is not cleared automatically when the device runs low on space.",
        zh: "浏览器已允许持久存储：设备空间不足时数据不会被自动清除。",
        ko: "브라우저가 영구 저장소를 허용했습니다. 기기 공간이 부족해도 데이터가 자동으로 지워지지 않습니다.",
    }
    StorageNotPersisted {
        vi: "Trình duyệt chưa cho phép lưu trữ lâu dài. Dữ liệu vẫn được lưu, nhưng có thể bị xoá khi máy thiếu dung lượng. Thêm ứng dụng vào màn hình chính giúp được cấp quyền này.",
        en: "The browser has not granted persistent storage. Data is still saved, but may be cleared when the device runs low on space. Adding the app to the home screen helps get this permission.",
        zh: "浏览器尚未允许持久存储。数据仍会保存，但设备空间不足时可能被清除。将应用添加到主屏幕有助于获得此权限。",
        ko: "브라우저가 아직 영구 저장소를 허용하지 않았습니다. 데이터는 저장되지만 기기 공간이 부족하면 지워질 수 있습니다. 앱을 홈 화면에 추가하면 이 권한을 받는 데 도움이 됩니다.",
    }
    KindDailyHealth {
        vi: "Theo dõi sức khoẻ hằng ngày",
        en: "Daily health check",
        zh: "每日健康监测",
        ko: "일일 건강 확인",
    }
    DeclaringFor {
        vi: "Người được khai báo",
        en: "Declaring for",
        zh: "申报对象",
        ko: "신고 대상",
    }
    SymptomsLegend {
        vi: "Hôm nay có dấu hiệu nào sau đây không?",
        en: "Any of these signs today?",
        zh: "今天是否有以下症状？",
        ko: "오늘 다음 증상이 있습니까?",
    }
    Fever {
        vi: "Sốt",
        en: "Fever",
        zh: "发烧",
        ko: "발열",
    }
    Cough {
        vi: "Ho",
        en: "Cough",
        zh: "咳嗽",
        ko: "기침",
    }
    ShortnessOfBreath {
        vi: "Khó thở",
        en: "Shortness of breath",
        zh: "呼吸困难",
        ko: "호흡 곤란",
    }
    OtherSigns {
        vi: "Dấu hiệu khác (nếu có)",
        en: "Other signs (if any)",
        zh: "其他症状（如有）",
        ko: "기타 증상(있는 경우)",
    }
    OnBehalf {
        vi: "Tôi khai hộ người này",
        en: "I am declaring on this person's behalf",
        zh: "我代此人申报",
        ko: "이 사람을 대신해 신고합니다",
    }
    FalseDeclarationWarning {
        vi: "Khai báo thông tin sai sự thật là vi phạm pháp luật Việt Nam và có thể bị xử lý hình sự.",
        en: "Making a false declaration violates Vietnamese law and may be prosecuted.",
        zh: "虚假申报违反越南法律，可能被追究刑事责任。",
        ko: "허위 신고는 베트남 법률 위반이며 형사 처벌을 받을 수 있습니다.",
    }
    SubmitDeclaration {
        vi: "Gửi tờ khai",
        en: "Submit declaration",
        zh: "提交申报",
        ko: "신고서 제출",
    }
    SavedWillSend {
        vi: "Đã lưu trên máy. Tờ khai sẽ được gửi ngay khi có mạng.",
        en: "Saved on this device. It will be sent as soon as there is a network.",
        zh: "已保存在本设备上，有网络时将立即发送。",
        ko: "이 기기에 저장했습니다. 네트워크가 연결되는 즉시 전송됩니다.",
    }
    ConsentTitle {
        vi: "Trước khi khai báo",
        en: "Before you declare",
        zh: "申报之前",
        ko: "신고하기 전에",
    }
    ConsentWhat {
        vi: "Thu thập gì: họ tên, năm sinh, số điện thoại của người được khai báo và các câu trả lời về sức khoẻ.",
        en: "What is collected: the declared person's name, year of birth, phone number and health answers.",
        zh: "收集的内容：被申报人的姓名、出生年份、电话号码和健康问题的回答。",
        ko: "수집 항목: 신고 대상자의 성명, 출생 연도, 전화번호와 건강 관련 답변.",
    }
    ConsentWhy {
        vi: "Để làm gì: chỉ để phòng, chống dịch (truy vết, cảnh báo tiếp xúc), theo quy định về bảo vệ dữ liệu cá nhân.",
        en: "Why: only for epidemic control (tracing, exposure alerts), under the personal data protection rules.",
        zh: "目的：仅用于防疫（追踪、接触提醒），遵守个人数据保护规定。",
        ko: "목적: 개인정보 보호 규정에 따라 방역(추적, 접촉 알림)에만 사용합니다.",
    }
    ConsentHowLong {
        vi: "Lưu bao lâu: 21 ngày, trên máy này và trên máy chủ; sau đó tự động xoá.",
        en: "For how long: 21 days, on this device and on the server; then deleted automatically.",
        zh: "保存期限：在本设备和服务器上保存21天，之后自动删除。",
        ko: "보관 기간: 이 기기와 서버에 21일 동안 보관한 뒤 자동으로 삭제합니다.",
    }
    ConsentWho {
        vi: "Ai được xem: cơ quan y tế có thẩm quyền. Địa điểm bạn đến chỉ thấy thông tin đã được che bớt, không thấy câu trả lời sức khoẻ.",
        en: "Who sees it: the competent health authority. Venues you visit see only masked details, never health answers.",
        zh: "谁能看到：有权的卫生机关。您到访的场所只能看到部分隐藏的信息，看不到健康回答。",
        ko: "열람자: 권한 있는 보건 당국. 방문한 장소는 일부 가려진 정보만 보며 건강 답변은 볼 수 없습니다.",
    }
    ConsentAgree {
        vi: "Tôi đồng ý",
        en: "I agree",
        zh: "我同意",
        ko: "동의합니다",
    }
    Province {
        vi: "Tỉnh / thành phố",
        en: "Province / city",
        zh: "省 / 市",
        ko: "성 / 시",
    }
    Ward {
        vi: "Phường / xã / đặc khu",
        en: "Ward / commune",
        zh: "坊 / 社 / 特区",
        ko: "방 / 사 / 특구",
    }
    Street {
        vi: "Số nhà, đường, thôn/ấp",
        en: "House number, street, hamlet",
        zh: "门牌号、街道、村",
        ko: "번지, 도로, 마을",
    }
    PlaceSearchHint {
        vi: "Gõ để tìm, không cần dấu (ví dụ: thu duc). Dùng phím mũi tên và Enter để chọn.",
        en: "Type to search; accents are optional (e.g. thu duc). Use the arrow keys and Enter to choose.",
        zh: "输入以搜索，可不带声调（例如：thu duc）。用方向键和回车键选择。",
        ko: "입력하여 검색하세요. 성조 없이 입력해도 됩니다(예: thu duc). 화살표 키와 Enter로 선택하세요.",
    }
    NoMatches {
        vi: "Không tìm thấy.",
        en: "No matches.",
        zh: "没有找到。",
        ko: "찾을 수 없습니다.",
    }
    CatalogueUnavailable {
        vi: "Không tải được danh mục tỉnh và xã. Hãy kết nối mạng một lần để tải; sau đó danh mục dùng được cả khi mất mạng.",
        en: "Could not load the list of provinces and wards. Connect once to download it; after that it works offline.",
        zh: "无法加载省和社的列表。请联网一次以下载；之后离线也可使用。",
        ko: "성과 사 목록을 불러오지 못했습니다. 한 번 네트워크에 연결해 내려받으면 이후에는 오프라인에서도 사용할 수 있습니다.",
    }
    IdNumber {
        vi: "Số CCCD / CMND / hộ chiếu",
        en: "ID card (CCCD) or passport number",
        zh: "身份证（CCCD）或护照号码",
        ko: "신분증(CCCD) 또는 여권 번호",
    }
    Gender {
        vi: "Giới tính",
        en: "Gender",
        zh: "性别",
        ko: "성별",
    }
    GenderUnset {
        vi: "Không chọn",
        en: "Not given",
        zh: "不填",
        ko: "선택 안 함",
    }
    GenderMale {
        vi: "Nam",
        en: "Male",
        zh: "男",
        ko: "남",
    }
    GenderFemale {
        vi: "Nữ",
        en: "Female",
        zh: "女",
        ko: "여",
    }
    GenderOther {
        vi: "Khác",
        en: "Other",
        zh: "其他",
        ko: "기타",
    }
    Email {
        vi: "Thư điện tử (email)",
        en: "Email",
        zh: "电子邮件",
        ko: "이메일",
    }
    InsuranceNumber {
        vi: "Số thẻ bảo hiểm y tế",
        en: "Health insurance card number",
        zh: "医疗保险卡号",
        ko: "건강보험증 번호",
    }
    OptionalField {
        vi: "Không bắt buộc.",
        en: "Optional.",
        zh: "选填。",
        ko: "선택 사항.",
    }
    DeleteProfile {
        vi: "Xoá hồ sơ này",
        en: "Delete this profile",
        zh: "删除此档案",
        ko: "이 프로필 삭제",
    }
    ConfirmDeleteProfile {
        vi: "Xác nhận xoá hồ sơ và dữ liệu của người này trên máy (không thể hoàn tác)",
        en: "Confirm deleting this person's profile and data on this device (cannot be undone)",
        zh: "确认删除此人在本设备上的档案和数据（无法撤销）",
        ko: "이 기기에서 이 사람의 프로필과 데이터 삭제 확인(되돌릴 수 없음)",
    }
    StatusNotDeclared {
        vi: "Chưa khai báo",
        en: "Not declared yet",
        zh: "尚未申报",
        ko: "아직 신고하지 않음",
    }
    StatusPending {
        vi: "Tờ khai đang chờ gửi",
        en: "Declaration waiting to be sent",
        zh: "申报等待发送",
        ko: "신고 전송 대기 중",
    }
    StatusValidUntil {
        vi: "Tờ khai còn hiệu lực đến",
        en: "Declaration valid until",
        zh: "申报有效期至",
        ko: "신고 유효 기한",
    }
    StatusExpired {
        vi: "Tờ khai đã hết hạn, hãy khai báo lại",
        en: "Declaration expired, please declare again",
        zh: "申报已过期，请重新申报",
        ko: "신고가 만료되었습니다. 다시 신고하세요",
    }
    HistoryAction {
        vi: "Lịch sử khai báo",
        en: "Declaration history",
        zh: "申报记录",
        ko: "신고 기록",
    }
    HistoryTitle {
        vi: "Lịch sử khai báo",
        en: "Declaration history",
        zh: "申报记录",
        ko: "신고 기록",
    }
    HistoryIntro {
        vi: "Các tờ khai đã làm trên máy này trong 21 ngày gần nhất. Tờ khai cũ hơn được tự động xoá.",
        en: "Declarations made on this device in the last 21 days. Older ones are deleted automatically.",
        zh: "本设备上最近21天的申报。更早的记录会被自动删除。",
        ko: "최근 21일 동안 이 기기에서 한 신고입니다. 더 오래된 신고는 자동으로 삭제됩니다.",
    }
    HistoryEmpty {
        vi: "Chưa có tờ khai nào.",
        en: "No declarations yet.",
        zh: "还没有申报。",
        ko: "아직 신고가 없습니다.",
    }
    ReceivedByServer {
        vi: "Máy chủ đã nhận lúc",
        en: "Received by the server at",
        zh: "服务器接收时间",
        ko: "서버 수신 시각",
    }
    MadeOnBehalf {
        vi: "Khai hộ",
        en: "Made on this person's behalf",
        zh: "代此人申报",
        ko: "대리 신고",
    }
    DraftRestored {
        vi: "Đã khôi phục những gì bạn nhập dở lần trước.",
        en: "What you had typed last time has been restored.",
        zh: "已恢复您上次未完成的输入。",
        ko: "지난번에 입력하던 내용을 복원했습니다.",
    }
    SameAsLastTime {
        vi: "Điền giống lần khai trước",
        en: "Same answers as last time",
        zh: "与上次相同",
        ko: "지난번과 같은 답변",
    }
    KindAllCitizen {
        vi: "Khai báo y tế toàn dân",
        en: "All-citizen health declaration",
        zh: "全民健康申报",
        ko: "전 국민 건강 신고",
    }
    KindDomesticMove {
        vi: "Khai báo di chuyển nội địa",
        en: "Domestic travel declaration",
        zh: "国内出行申报",
        ko: "국내 이동 신고",
    }
    KindEntry {
        vi: "Khai báo y tế nhập cảnh",
        en: "Entry health declaration",
        zh: "入境健康申报",
        ko: "입국 건강 신고",
    }
    KindReport {
        vi: "Phản ánh thông tin",
        en: "Report a case",
        zh: "信息反映",
        ko: "사례 신고",
    }
    ChooseDeclaration {
        vi: "Khai báo mới",
        en: "New declaration",
        zh: "新申报",
        ko: "새 신고",
    }
    Pneumonia {
        vi: "Viêm phổi",
        en: "Pneumonia",
        zh: "肺炎",
        ko: "폐렴",
    }
    SoreThroat {
        vi: "Đau họng",
        en: "Sore throat",
        zh: "咽喉痛",
        ko: "인후통",
    }
    Fatigue {
        vi: "Mệt mỏi",
        en: "Fatigue",
        zh: "乏力",
        ko: "피로",
    }
    Symptoms14Legend {
        vi: "Trong 14 ngày qua, có thấy xuất hiện dấu hiệu nào sau đây không?",
        en: "In the last 14 days, have you had any of these signs?",
        zh: "过去14天内，是否出现以下症状？",
        ko: "지난 14일 동안 다음 증상이 있었습니까?",
    }
    EntrySymptomsLegend {
        vi: "Hiện tại có dấu hiệu nào sau đây không?",
        en: "Do you have any of these signs now?",
        zh: "目前是否有以下症状？",
        ko: "현재 다음 증상이 있습니까?",
    }
    ContactsLegend {
        vi: "Trong 14 ngày qua, có tiếp xúc với:",
        en: "In the last 14 days, have you been in contact with:",
        zh: "过去14天内，是否接触过：",
        ko: "지난 14일 동안 다음 사람과 접촉했습니까?",
    }
    ContactCase {
        vi: "Người bệnh hoặc nghi ngờ mắc bệnh COVID-19",
        en: "A confirmed or suspected COVID-19 case",
        zh: "COVID-19确诊或疑似病例",
        ko: "코로나19 확진자 또는 의심 환자",
    }
    ContactFromCountry {
        vi: "Người từ nước có bệnh COVID-19",
        en: "Someone from a country with COVID-19 cases",
        zh: "来自有COVID-19病例国家的人",
        ko: "코로나19 발생 국가에서 온 사람",
    }
    ContactWithSymptoms {
        vi: "Người có biểu hiện sốt, ho, khó thở, viêm phổi",
        en: "Someone with fever, cough, shortness of breath or pneumonia",
        zh: "有发烧、咳嗽、呼吸困难或肺炎症状的人",
        ko: "발열, 기침, 호흡곤란 또는 폐렴 증상이 있는 사람",
    }
    ConditionsLegend {
        vi: "Hiện tại có mắc bệnh nào sau đây không?",
        en: "Do you currently have any of these conditions?",
        zh: "目前是否患有以下疾病？",
        ko: "현재 다음 질환이 있습니까?",
    }
    ConditionLiver {
        vi: "Bệnh gan mãn tính",
        en: "Chronic liver disease",
        zh: "慢性肝病",
        ko: "만성 간 질환",
    }
    ConditionBlood {
        vi: "Bệnh máu mãn tính",
        en: "Chronic blood disease",
        zh: "慢性血液病",
        ko: "만성 혈액 질환",
    }
    ConditionLung {
        vi: "Bệnh phổi mãn tính",
        en: "Chronic lung disease",
        zh: "慢性肺病",
        ko: "만성 폐 질환",
    }
    ConditionKidney {
        vi: "Bệnh thận mãn tính",
        en: "Chronic kidney disease",
        zh: "慢性肾病",
        ko: "만성 신장 질환",
    }
    ConditionHeart {
        vi: "Bệnh tim mạch",
        en: "Heart disease",
        zh: "心血管疾病",
        ko: "심혈관 질환",
    }
    ConditionBloodPressure {
        vi: "Huyết áp cao",
        en: "High blood pressure",
        zh: "高血压",
        ko: "고혈압",
    }
    ConditionImmunodeficiency {
        vi: "Suy giảm miễn dịch (HIV)",
        en: "HIV or immunodeficiency",
        zh: "免疫缺陷（HIV）",
        ko: "면역 결핍(HIV)",
    }
    ConditionTransplant {
        vi: "Người nhận ghép tạng, thủy xương",
        en: "Organ or bone-marrow transplant recipient",
        zh: "器官或骨髓移植者",
        ko: "장기 또는 골수 이식 환자",
    }
    ConditionDiabetes {
        vi: "Tiểu đường",
        en: "Diabetes",
        zh: "糖尿病",
        ko: "당뇨병",
    }
    ConditionCancer {
        vi: "Ung thư",
        en: "Cancer",
        zh: "癌症",
        ko: "암",
    }
    ConditionPregnancy {
        vi: "Có thai",
        en: "Pregnancy",
        zh: "怀孕",
        ko: "임신",
    }
    VisitedProvinces14 {
        vi: "Tỉnh/thành phố đã đến trong 14 ngày qua",
        en: "Provinces visited in the last 14 days",
        zh: "过去14天内去过的省市",
        ko: "지난 14일 동안 방문한 성·시",
    }
    VisitedCountries14 {
        vi: "Quốc gia/vùng lãnh thổ đã đến trong 14 ngày qua",
        en: "Countries or territories visited in the last 14 days",
        zh: "过去14天内去过的国家或地区",
        ko: "지난 14일 동안 방문한 국가·지역",
    }
    VisitedCountries21 {
        vi: "Quốc gia/vùng lãnh thổ đã đến trong 21 ngày qua",
        en: "Countries or territories visited in the last 21 days",
        zh: "过去21天内去过的国家或地区",
        ko: "지난 21일 동안 방문한 국가·지역",
    }
    AddPlaceHint {
        vi: "Gõ để tìm rồi chọn; có thể chọn nhiều nơi.",
        en: "Type to search, then choose; you can add several.",
        zh: "输入以搜索并选择，可添加多个。",
        ko: "입력하여 검색한 후 선택하세요. 여러 곳을 추가할 수 있습니다.",
    }
    RemoveChoice {
        vi: "Bỏ",
        en: "Remove",
        zh: "移除",
        ko: "삭제",
    }
    NoneChosen {
        vi: "Chưa chọn nơi nào.",
        en: "Nothing chosen.",
        zh: "尚未选择。",
        ko: "선택한 항목이 없습니다.",
    }
    SwornTruth {
        vi: "Tôi cam kết những thông tin trên là đúng sự thật, tôi hiểu rằng cung cấp sai thông tin có thể dẫn đến những hậu quả nghiêm trọng.",
        en: "I swear that the information above is true and understand that false information can have serious consequences.",
        zh: "我保证以上信息真实，并了解提供虚假信息可能导致严重后果。",
        ko: "위 정보가 사실임을 서약하며, 허위 정보 제공 시 심각한 결과가 따를 수 있음을 이해합니다.",
    }
    Vehicle {
        vi: "Phương tiện",
        en: "Means of travel",
        zh: "交通工具",
        ko: "교통수단",
    }
    VehiclePlane {
        vi: "Tàu bay",
        en: "Plane",
        zh: "飞机",
        ko: "비행기",
    }
    VehicleTrain {
        vi: "Tàu hỏa",
        en: "Train",
        zh: "火车",
        ko: "기차",
    }
    VehicleBus {
        vi: "Xe khách",
        en: "Coach or bus",
        zh: "长途汽车",
        ko: "버스",
    }
    VehicleCar {
        vi: "Ô tô",
        en: "Car",
        zh: "汽车",
        ko: "승용차",
    }
    VehicleShip {
        vi: "Tàu thuyền",
        en: "Ship or boat",
        zh: "船",
        ko: "선박",
    }
    VehicleOther {
        vi: "Khác",
        en: "Other",
        zh: "其他",
        ko: "기타",
    }
    VehicleNumber {
        vi: "Số hiệu phương tiện (số chuyến bay, biển số)",
        en: "Vehicle number (flight number, plate)",
        zh: "交通工具编号（航班号、车牌号）",
        ko: "교통수단 번호(항공편명, 차량 번호)",
    }
    VehicleNumberHint {
        vi: "Bắt buộc với tàu bay, ví dụ VN213.",
        en: "Required for a flight, e.g. VN213.",
        zh: "乘坐飞机时必填，例如VN213。",
        ko: "비행기는 필수입니다. 예: VN213.",
    }
    Seat {
        vi: "Số ghế",
        en: "Seat",
        zh: "座位号",
        ko: "좌석 번호",
    }
    DepartureLegend {
        vi: "Nơi đi",
        en: "Departure",
        zh: "出发地",
        ko: "출발지",
    }
    DestinationLegend {
        vi: "Nơi đến",
        en: "Destination",
        zh: "目的地",
        ko: "목적지",
    }
    TravelDate {
        vi: "Ngày khởi hành",
        en: "Date of travel",
        zh: "出发日期",
        ko: "출발 날짜",
    }
    BorderGate {
        vi: "Cửa khẩu",
        en: "Border gate",
        zh: "口岸",
        ko: "입국 검문소",
    }
    BorderGateHint {
        vi: "Sân bay, cửa khẩu đường bộ hoặc cảng biển nơi nhập cảnh.",
        en: "The airport, land border or seaport of entry.",
        zh: "入境的机场、陆路口岸或海港。",
        ko: "입국한 공항, 육로 검문소 또는 항구.",
    }
    PassportNumber {
        vi: "Số hộ chiếu",
        en: "Passport number",
        zh: "护照号码",
        ko: "여권 번호",
    }
    DepartureCountry {
        vi: "Khởi hành từ quốc gia/vùng lãnh thổ",
        en: "Country of departure",
        zh: "出发国家或地区",
        ko: "출발 국가·지역",
    }
    EntryDate {
        vi: "Ngày nhập cảnh",
        en: "Date of entry",
        zh: "入境日期",
        ko: "입국 날짜",
    }
    QuarantineLegend {
        vi: "Địa chỉ nơi ở (cách ly, liên lạc) tại Việt Nam",
        en: "Address in Vietnam (quarantine or contact)",
        zh: "在越南的地址（隔离或联系地址）",
        ko: "베트남 내 주소(격리 또는 연락처)",
    }
    ReportSubjectsLegend {
        vi: "Phản ánh về",
        en: "What are you reporting?",
        zh: "反映内容",
        ko: "신고 내용",
    }
    ReportSuspectedCase {
        vi: "Trường hợp nghi ngờ mắc bệnh",
        en: "A suspected case",
        zh: "疑似病例",
        ko: "의심 환자",
    }
    ReportArrival {
        vi: "Người đi từ vùng dịch về",
        en: "Someone arriving from an outbreak area",
        zh: "从疫区返回的人",
        ko: "발생 지역에서 온 사람",
    }
    ReportContact {
        vi: "Người tiếp xúc với các trường hợp trên",
        en: "Someone in contact with such people",
        zh: "与上述人员有接触的人",
        ko: "위 사람과 접촉한 사람",
    }
    ReportIllegalEntry {
        vi: "Nhập cảnh trái phép",
        en: "Illegal entry",
        zh: "非法入境",
        ko: "불법 입국",
    }
    ReportPlaceLegend {
        vi: "Địa điểm xảy ra",
        en: "Where it happened",
        zh: "发生地点",
        ko: "발생 장소",
    }
    ObservedOn {
        vi: "Thời gian phát hiện",
        en: "Date noticed",
        zh: "发现日期",
        ko: "발견 날짜",
    }
    ReportDetails {
        vi: "Nội dung phản ánh khác",
        en: "Other details",
        zh: "其他反映内容",
        ko: "기타 내용",
    }
    ReportIntro {
        vi: "Thông tin được gửi tới cơ quan y tế; phản ánh không thay đổi trạng thái khai báo của bạn.",
        en: "This goes to the health authority; a report does not change your declaration status.",
        zh: "信息将发送给卫生部门；反映不会改变您的申报状态。",
        ko: "이 정보는 보건 당국에 전달되며, 신고는 본인의 신고 상태를 바꾸지 않습니다.",
    }
    Nationality {
        vi: "Quốc tịch",
        en: "Nationality",
        zh: "国籍",
        ko: "국적",
    }
    CountriesUnavailable {
        vi: "Chưa tải được danh sách quốc gia. Hãy kết nối mạng một lần rồi thử lại.",
        en: "The country list is not available yet. Connect to the network once and try again.",
        zh: "国家列表尚未加载。请联网一次后重试。",
        ko: "국가 목록을 아직 불러오지 못했습니다. 한 번 네트워크에 연결한 후 다시 시도하세요.",
    }
    ProfileIncomplete {
        vi: "Tờ khai này cần thêm thông tin trong hồ sơ:",
        en: "This declaration needs more from the profile:",
        zh: "此申报需要在档案中补充：",
        ko: "이 신고에는 프로필에 다음 정보가 더 필요합니다:",
    }
    CompleteProfile {
        vi: "Bổ sung hồ sơ",
        en: "Complete the profile",
        zh: "补充档案",
        ko: "프로필 보완",
    }
    VenueArea {
        vi: "Dành cho cơ sở",
        en: "For venues",
        zh: "场所管理",
        ko: "시설 관리",
    }
    SignInTitle {
        vi: "Đăng nhập cho cơ sở",
        en: "Sign in for venues",
        zh: "场所登录",
        ko: "시설 로그인",
    }
    SignInIntro {
        vi: "Quản lý và nhân viên điểm kiểm soát đăng nhập bằng số điện thoại. Người dân khai báo không cần tài khoản.",
        en: "Venue managers and staff sign in with their phone number. Citizens need no account to declare.",
        zh: "场所管理员和员工使用手机号登录。民众申报无需账户。",
        ko: "시설 관리자와 직원은 휴대폰 번호로 로그인합니다. 시민은 신고에 계정이 필요 없습니다.",
    }
    SendCode {
        vi: "Gửi mã đăng nhập",
        en: "Send sign-in code",
        zh: "发送登录码",
        ko: "로그인 코드 보내기",
    }
    CodeSent {
        vi: "Mã đăng nhập đã được gửi tới số điện thoại này, có hiệu lực 5 phút.",
        en: "A sign-in code was sent to this phone; it is valid for 5 minutes.",
        zh: "登录码已发送至该手机，5分钟内有效。",
        ko: "로그인 코드를 이 휴대폰으로 보냈습니다. 5분간 유효합니다.",
    }
    SignInCode {
        vi: "Mã đăng nhập (6 chữ số)",
        en: "Sign-in code (6 digits)",
        zh: "登录码（6位数字）",
        ko: "로그인 코드(6자리)",
    }
    SignIn {
        vi: "Đăng nhập",
        en: "Sign in",
        zh: "登录",
        ko: "로그인",
    }
    SignOut {
        vi: "Đăng xuất",
        en: "Sign out",
        zh: "退出登录",
        ko: "로그아웃",
    }
    WrongCode {
        vi: "Mã không đúng.",
        en: "That code is not right.",
        zh: "登录码不正确。",
        ko: "코드가 올바르지 않습니다.",
    }
    CodeExpired {
        vi: "Mã đã hết hạn. Hãy yêu cầu mã mới.",
        en: "The code has expired. Ask for a new one.",
        zh: "登录码已过期，请重新获取。",
        ko: "코드가 만료되었습니다. 새 코드를 요청하세요.",
    }
    CodeLocked {
        vi: "Mã này đã dùng hoặc bị khoá sau nhiều lần nhập sai. Hãy yêu cầu mã mới.",
        en: "This code is used up or locked after too many wrong tries. Ask for a new one.",
        zh: "该登录码已使用或因多次输错被锁定，请重新获取。",
        ko: "이 코드는 이미 사용되었거나 여러 번 틀려 잠겼습니다. 새 코드를 요청하세요.",
    }
    TooManyCodes {
        vi: "Đã yêu cầu quá nhiều mã. Hãy thử lại sau ít phút.",
        en: "Too many codes were asked for. Try again in a few minutes.",
        zh: "请求登录码次数过多，请稍后再试。",
        ko: "코드 요청이 너무 많습니다. 잠시 후 다시 시도하세요.",
    }
    ServerProblem {
        vi: "Máy chủ chưa xử lý được yêu cầu. Hãy thử lại.",
        en: "The server could not do that. Try again.",
        zh: "服务器暂时无法处理，请重试。",
        ko: "서버가 요청을 처리하지 못했습니다. 다시 시도하세요.",
    }
    NetworkProblem {
        vi: "Không kết nối được máy chủ. Hãy thử lại khi có mạng.",
        en: "The server cannot be reached. Try again when you are online.",
        zh: "无法连接服务器，请联网后重试。",
        ko: "서버에 연결할 수 없습니다. 온라인 상태에서 다시 시도하세요.",
    }
    OrganisationTitle {
        vi: "Tổ chức của bạn",
        en: "Your organisation",
        zh: "您的机构",
        ko: "내 기관",
    }
    OrganisationIntro {
        vi: "Tạo tổ chức (công ty, cơ quan, cửa hàng) để đăng ký các điểm kiểm soát của mình.",
        en: "Create your organisation (company, office, shop) to register its control points.",
        zh: "创建您的机构（公司、单位、商店）以登记其检查点。",
        ko: "기관(회사, 관공서, 상점)을 만들어 검문 지점을 등록하세요.",
    }
    OrganisationName {
        vi: "Tên tổ chức",
        en: "Organisation name",
        zh: "机构名称",
        ko: "기관 이름",
    }
    CreateOrganisation {
        vi: "Tạo tổ chức",
        en: "Create organisation",
        zh: "创建机构",
        ko: "기관 만들기",
    }
    VenuesTitle {
        vi: "Điểm kiểm soát",
        en: "Control points",
        zh: "检查点",
        ko: "검문 지점",
    }
    NoVenuesYet {
        vi: "Chưa có điểm kiểm soát nào.",
        en: "No control points yet.",
        zh: "尚无检查点。",
        ko: "아직 검문 지점이 없습니다.",
    }
    RegisterVenue {
        vi: "Đăng ký điểm kiểm soát",
        en: "Register a control point",
        zh: "登记检查点",
        ko: "검문 지점 등록",
    }
    VenueName {
        vi: "Tên điểm kiểm soát",
        en: "Control point name",
        zh: "检查点名称",
        ko: "검문 지점 이름",
    }
    VenueNameHint {
        vi: "Mỗi lối vào hoặc đơn vị đăng ký một điểm riêng.",
        en: "Each entrance or unit registers its own.",
        zh: "每个入口或单位单独登记。",
        ko: "출입구나 부서마다 따로 등록합니다.",
    }
    VenueTypeLabel {
        vi: "Loại hình",
        en: "Type",
        zh: "类型",
        ko: "유형",
    }
    VenueOffice {
        vi: "Cơ quan, công sở",
        en: "Office",
        zh: "机关单位",
        ko: "관공서·사무실",
    }
    VenueFactory {
        vi: "Nhà máy, xí nghiệp",
        en: "Factory",
        zh: "工厂",
        ko: "공장",
    }
    VenueShop {
        vi: "Cửa hàng, siêu thị",
        en: "Shop or supermarket",
        zh: "商店、超市",
        ko: "상점·마트",
    }
    VenueMarket {
        vi: "Chợ",
        en: "Market",
        zh: "市场",
        ko: "시장",
    }
    VenueSchool {
        vi: "Trường học",
        en: "School",
        zh: "学校",
        ko: "학교",
    }
    VenueClinic {
        vi: "Bệnh viện, phòng khám",
        en: "Hospital or clinic",
        zh: "医院、诊所",
        ko: "병원·의원",
    }
    VenueTransport {
        vi: "Nhà ga, bến xe, sân bay",
        en: "Station or airport",
        zh: "车站、机场",
        ko: "역·터미널·공항",
    }
    VenueRestaurant {
        vi: "Nhà hàng, quán ăn",
        en: "Restaurant",
        zh: "餐馆",
        ko: "식당",
    }
    VenueHotel {
        vi: "Khách sạn, cơ sở lưu trú",
        en: "Hotel or lodging",
        zh: "酒店、住宿",
        ko: "호텔·숙박",
    }
    VenueOther {
        vi: "Loại hình khác",
        en: "Other",
        zh: "其他",
        ko: "기타",
    }
    VenueQuarantine {
        vi: "Chốt kiểm soát dịch",
        en: "Quarantine checkpoint",
        zh: "防疫检查站",
        ko: "방역 검문소",
    }
    VenuePhone {
        vi: "Số điện thoại liên hệ",
        en: "Contact phone",
        zh: "联系电话",
        ko: "연락처",
    }
    VenueIntro {
        vi: "Giới thiệu ngắn",
        en: "Short description",
        zh: "简介",
        ko: "간단한 소개",
    }
    DefaultStay {
        vi: "Thời gian lưu lại mặc định (phút)",
        en: "Default stay (minutes)",
        zh: "默认停留时间（分钟）",
        ko: "기본 체류 시간(분)",
    }
    DefaultStayHint {
        vi: "Dùng khi khách không khai báo lúc ra về.",
        en: "Used when a visitor does not check out.",
        zh: "访客未签退时使用。",
        ko: "방문자가 체크아웃하지 않을 때 사용합니다.",
    }
    UseMyLocation {
        vi: "Lưu vị trí hiện tại (GPS)",
        en: "Save current position (GPS)",
        zh: "保存当前位置（GPS）",
        ko: "현재 위치 저장(GPS)",
    }
    LocationSaved {
        vi: "Đã lưu vị trí",
        en: "Position saved",
        zh: "已保存位置",
        ko: "위치가 저장되었습니다",
    }
    LocationUnavailable {
        vi: "Không lấy được vị trí; có thể bỏ qua.",
        en: "The position is not available; you can skip it.",
        zh: "无法获取位置，可以跳过。",
        ko: "위치를 가져올 수 없습니다. 건너뛰어도 됩니다.",
    }
    PosterAction {
        vi: "Áp phích QR",
        en: "QR poster",
        zh: "二维码海报",
        ko: "QR 포스터",
    }
    PosterHowTo {
        vi: "Quét mã QR bằng ứng dụng tokhai hoặc camera điện thoại để khai báo khi đến và khi về.",
        en: "Scan this QR code with the tokhai app or your phone camera to check in when you arrive and out when you leave.",
        zh: "用tokhai应用或手机相机扫描此二维码，到达和离开时登记。",
        ko: "tokhai 앱이나 휴대폰 카메라로 이 QR 코드를 스캔해 도착과 출발을 기록하세요.",
    }
    ShortCodeLabel {
        vi: "Không quét được? Nhập mã:",
        en: "Cannot scan? Type the code:",
        zh: "无法扫描？请输入代码：",
        ko: "스캔이 안 되나요? 코드를 입력하세요:",
    }
    InstallQrLabel {
        vi: "Chưa có ứng dụng? Quét để mở tokhai.",
        en: "No app yet? Scan to open tokhai.",
        zh: "还没有应用？扫描打开tokhai。",
        ko: "앱이 없나요? 스캔하여 tokhai를 여세요.",
    }
    PosterQrAlt {
        vi: "Mã QR khai báo của điểm kiểm soát",
        en: "Check-in QR code of the control point",
        zh: "检查点登记二维码",
        ko: "검문 지점 체크인 QR 코드",
    }
    InstallQrAlt {
        vi: "Mã QR mở ứng dụng tokhai",
        en: "QR code that opens the tokhai app",
        zh: "打开tokhai应用的二维码",
        ko: "tokhai 앱을 여는 QR 코드",
    }
    PrintPoster {
        vi: "In áp phích",
        en: "Print poster",
        zh: "打印海报",
        ko: "포스터 인쇄",
    }
    ReissuePoster {
        vi: "Cấp áp phích mới",
        en: "Issue a new poster",
        zh: "重新签发海报",
        ko: "새 포스터 발급",
    }
    ConfirmReissue {
        vi: "Cấp mới — áp phích cũ sẽ không dùng được nữa",
        en: "Issue it — the old poster will stop working",
        zh: "确认签发——旧海报将失效",
        ko: "발급 — 기존 포스터는 더 이상 쓸 수 없습니다",
    }
    KeepPoster {
        vi: "Giữ áp phích hiện tại",
        en: "Keep the current poster",
        zh: "保留当前海报",
        ko: "현재 포스터 유지",
    }
    KindCheckIn {
        vi: "Khai báo đến/đi địa điểm",
        en: "Venue check-in",
        zh: "场所登记",
        ko: "장소 체크인",
    }
    VisitorsAction {
        vi: "Khách đến",
        en: "Visitors",
        zh: "访客",
        ko: "방문자",
    }
    VisitorsTitle {
        vi: "Danh sách khách đến",
        en: "Visitor list",
        zh: "访客名单",
        ko: "방문자 목록",
    }
    FromDate {
        vi: "Từ ngày",
        en: "From",
        zh: "从",
        ko: "시작일",
    }
    ToDate {
        vi: "Đến ngày",
        en: "To",
        zh: "至",
        ko: "종료일",
    }
    SearchVisitors {
        vi: "Tìm theo tên hoặc số điện thoại",
        en: "Search by name or phone",
        zh: "按姓名或电话搜索",
        ko: "이름 또는 전화번호로 검색",
    }
    SortBy {
        vi: "Sắp xếp",
        en: "Sort by",
        zh: "排序",
        ko: "정렬",
    }
    SortByTime {
        vi: "Mới đến trước",
        en: "Latest arrival first",
        zh: "最新到达优先",
        ko: "최근 도착 순",
    }
    SortByName {
        vi: "Theo tên",
        en: "By name",
        zh: "按姓名",
        ko: "이름 순",
    }
    ApplyFilters {
        vi: "Lọc",
        en: "Filter",
        zh: "筛选",
        ko: "필터",
    }
    ColumnArrived {
        vi: "Giờ đến",
        en: "Arrived",
        zh: "到达时间",
        ko: "도착",
    }
    ColumnLeft {
        vi: "Giờ về",
        en: "Left",
        zh: "离开时间",
        ko: "출발",
    }
    ColumnName {
        vi: "Họ tên",
        en: "Name",
        zh: "姓名",
        ko: "이름",
    }
    ColumnPhone {
        vi: "Điện thoại",
        en: "Phone",
        zh: "电话",
        ko: "전화",
    }
    ColumnDocument {
        vi: "Giấy tờ",
        en: "ID",
        zh: "证件",
        ko: "신분증",
    }
    NoVisitors {
        vi: "Chưa có khách nào trong khoảng này.",
        en: "No visitors in this range.",
        zh: "此范围内没有访客。",
        ko: "이 범위에 방문자가 없습니다.",
    }
    PreviousPage {
        vi: "Trang trước",
        en: "Previous page",
        zh: "上一页",
        ko: "이전 페이지",
    }
    NextPage {
        vi: "Trang sau",
        en: "Next page",
        zh: "下一页",
        ko: "다음 페이지",
    }
    PageLabel {
        vi: "Trang",
        en: "Page",
        zh: "页",
        ko: "페이지",
    }
    ExportCsv {
        vi: "Tải danh sách (CSV)",
        en: "Download the list (CSV)",
        zh: "下载名单（CSV）",
        ko: "목록 다운로드(CSV)",
    }
    MaskedNotice {
        vi: "Thông tin cá nhân được che một phần để bảo vệ người đến.",
        en: "Personal details are partly hidden to protect visitors.",
        zh: "为保护访客，个人信息已部分隐藏。",
        ko: "방문자 보호를 위해 개인 정보 일부를 가렸습니다.",
    }
    UnmaskedNotice {
        vi: "Cơ sở y tế, chốt kiểm soát: hiển thị đầy đủ; mỗi lần xem hoặc tải đều được ghi vào nhật ký kiểm tra.",
        en: "Hospital or checkpoint: shown in full; every view and download is written to the audit log.",
        zh: "医疗机构或检查站：完整显示；每次查看或下载都会记入审计日志。",
        ko: "병원·검문소: 전체 표시되며, 조회와 다운로드는 모두 감사 기록에 남습니다.",
    }
    StaffAction {
        vi: "Nhân viên",
        en: "Staff",
        zh: "员工",
        ko: "직원",
    }
    StaffTitle {
        vi: "Thành viên tổ chức",
        en: "Organisation members",
        zh: "机构成员",
        ko: "기관 구성원",
    }
    AddStaff {
        vi: "Thêm thành viên",
        en: "Add member",
        zh: "添加成员",
        ko: "구성원 추가",
    }
    RoleLabel {
        vi: "Vai trò",
        en: "Role",
        zh: "角色",
        ko: "역할",
    }
    RoleManager {
        vi: "Quản lý",
        en: "Manager",
        zh: "管理员",
        ko: "관리자",
    }
    RoleStaff {
        vi: "Nhân viên",
        en: "Staff member",
        zh: "员工",
        ko: "직원",
    }
    RemoveStaff {
        vi: "Xoá khỏi tổ chức",
        en: "Remove from the organisation",
        zh: "移出机构",
        ko: "기관에서 제거",
    }
    ConfirmRemoveStaff {
        vi: "Xoá — người này không vào được nữa",
        en: "Remove — they lose access",
        zh: "确认移除——此人将无法访问",
        ko: "제거 — 더 이상 접근할 수 없습니다",
    }
    KeepStaff {
        vi: "Giữ lại",
        en: "Keep",
        zh: "保留",
        ko: "유지",
    }
    AlreadyMember {
        vi: "Số điện thoại này đã thuộc một tổ chức.",
        en: "This phone already belongs to an organisation.",
        zh: "该手机号已属于某个机构。",
        ko: "이 전화번호는 이미 기관에 속해 있습니다.",
    }
    ManagersOnly {
        vi: "Chỉ người quản lý được làm việc này.",
        en: "Only managers can do this.",
        zh: "只有管理员可以执行此操作。",
        ko: "관리자만 할 수 있습니다.",
    }
    CheckInTitle {
        vi: "Khai báo đến địa điểm",
        en: "Check in at a venue",
        zh: "场所登记",
        ko: "장소 체크인",
    }
    CheckInWho {
        vi: "Ai đến địa điểm này?",
        en: "Who is arriving here?",
        zh: "谁到达此处？",
        ko: "누가 도착했습니까?",
    }
    CheckInAction {
        vi: "Khai báo đến",
        en: "Check in",
        zh: "登记到达",
        ko: "체크인",
    }
    CheckOutAction {
        vi: "Khai báo ra về",
        en: "Check out",
        zh: "登记离开",
        ko: "체크아웃",
    }
    CheckedIn {
        vi: "Đã lưu khai báo đến; sẽ gửi khi có mạng.",
        en: "Check-in saved; it will be sent when online.",
        zh: "到达登记已保存，联网后发送。",
        ko: "체크인이 저장되었으며 온라인일 때 전송됩니다.",
    }
    CheckedOut {
        vi: "Đã lưu khai báo ra về.",
        en: "Check-out saved.",
        zh: "离开登记已保存。",
        ko: "체크아웃이 저장되었습니다.",
    }
    ChooseSomeone {
        vi: "Hãy chọn ít nhất một người.",
        en: "Choose at least one person.",
        zh: "请至少选择一人。",
        ko: "한 명 이상 선택하세요.",
    }
    NoProfilesForCheckIn {
        vi: "Thêm hồ sơ của bạn trước, rồi quét lại mã QR.",
        en: "Add your profile first, then scan the QR code again.",
        zh: "请先添加档案，然后重新扫描二维码。",
        ko: "먼저 프로필을 추가한 후 QR 코드를 다시 스캔하세요.",
    }
    PosterNotRecognised {
        vi: "Đây không phải mã QR khai báo của tokhai.",
        en: "This is not a tokhai check-in code.",
        zh: "这不是tokhai登记二维码。",
        ko: "tokhai 체크인 코드가 아닙니다.",
    }
    PosterNewerVersion {
        vi: "Mã này dành cho phiên bản mới hơn của ứng dụng. Hãy tải lại ứng dụng.",
        en: "This code is for a newer version of the app. Reload the app.",
        zh: "此代码适用于更新版本的应用，请重新加载应用。",
        ko: "새 버전 앱용 코드입니다. 앱을 다시 불러오세요.",
    }
    PosterDamaged {
        vi: "Mã QR bị hỏng hoặc không đầy đủ. Hãy quét lại.",
        en: "The QR code is damaged or incomplete. Scan it again.",
        zh: "二维码已损坏或不完整，请重新扫描。",
        ko: "QR 코드가 손상되었거나 불완전합니다. 다시 스캔하세요.",
    }
    PosterUnknownKey {
        vi: "Chưa kiểm tra được mã này; hãy kết nối mạng một lần rồi thử lại.",
        en: "This code cannot be checked yet; connect to the network once and try again.",
        zh: "暂无法验证此代码，请联网一次后重试。",
        ko: "아직 이 코드를 확인할 수 없습니다. 한 번 네트워크에 연결한 후 다시 시도하세요.",
    }
    PosterForged {
        vi: "Mã QR không hợp lệ: đã bị sửa hoặc giả mạo. Đừng khai báo tại đây và báo cho nhân viên.",
        en: "Invalid QR code: edited or forged. Do not check in here; tell the staff.",
        zh: "二维码无效：已被篡改或伪造。请勿在此登记并告知工作人员。",
        ko: "유효하지 않은 QR 코드입니다(변조 또는 위조). 여기서 체크인하지 말고 직원에게 알리세요.",
    }
    SignInSms {
        vi: "tokhai: ma dang nhap (het han sau 5 phut):",
        en: "tokhai: sign-in code (valid 5 minutes):",
        zh: "tokhai：登录码（5分钟内有效）：",
        ko: "tokhai: 로그인 코드(5분간 유효):",
    }
    SelectPlaceholder {
        vi: "Chọn…",
        en: "Choose…",
        zh: "请选择…",
        ko: "선택…",
    }
}

/// The translated sentence for a field error, with its parameters filled in.
pub fn error_message(lang: Lang, code: &ErrorCode) -> String {
    match (lang, code) {
        (Lang::Vi, ErrorCode::Required) => "Vui lòng điền thông tin này.".into(),
        (Lang::En, ErrorCode::Required) => "Please fill in this field.".into(),
        (Lang::Zh, ErrorCode::Required) => "请填写此项。".into(),
        (Lang::Ko, ErrorCode::Required) => "이 항목을 입력하세요.".into(),
        (Lang::Zh, ErrorCode::TooLong { max }) => format!("最多{max}个字符。"),
        (Lang::Ko, ErrorCode::TooLong { max }) => format!("최대 {max}자입니다."),
        (Lang::Zh, ErrorCode::ControlCharacters) => "包含不允许的字符。".into(),
        (Lang::Ko, ErrorCode::ControlCharacters) => "허용되지 않는 문자가 있습니다.".into(),
        (Lang::Zh, ErrorCode::NotANumber) => "请输入数字。".into(),
        (Lang::Ko, ErrorCode::NotANumber) => "숫자를 입력하세요.".into(),
        (Lang::Zh, ErrorCode::OutOfRange { min, max }) => format!("必须在{min}到{max}之间。"),
        (Lang::Ko, ErrorCode::OutOfRange { min, max }) => {
            format!("{min}에서 {max} 사이여야 합니다.")
        }
        (Lang::Zh, ErrorCode::InvalidPhone) => {
            "越南手机号码为以0（或+84）开头的10位数字，例如0912 345 678。".into()
        }
        (Lang::Ko, ErrorCode::InvalidPhone) => {
            "베트남 휴대폰 번호는 0(또는 +84)으로 시작하는 10자리입니다. 예: 0912 345 678.".into()
        }
        (Lang::Zh, ErrorCode::InvalidEmail) => "电子邮件地址无效，例如：name@example.com。".into(),
        (Lang::Ko, ErrorCode::InvalidEmail) => {
            "올바른 이메일 주소가 아닙니다. 예: name@example.com.".into()
        }
        (Lang::Zh, ErrorCode::InvalidDocumentNumber { min, max }) => {
            format!("只能包含字母和数字，{min}到{max}个。")
        }
        (Lang::Ko, ErrorCode::InvalidDocumentNumber { min, max }) => {
            format!("문자와 숫자만 {min}~{max}자 입력하세요.")
        }
        (Lang::Vi, ErrorCode::TooLong { max }) => format!("Tối đa {max} ký tự."),
        (Lang::En, ErrorCode::TooLong { max }) => format!("At most {max} characters."),
        (Lang::Vi, ErrorCode::ControlCharacters) => "Có ký tự không hợp lệ.".into(),
        (Lang::En, ErrorCode::ControlCharacters) => {
            "Contains characters that are not allowed.".into()
        }
        (Lang::Vi, ErrorCode::NotANumber) => "Vui lòng nhập số.".into(),
        (Lang::En, ErrorCode::NotANumber) => "Please enter a number.".into(),
        (Lang::Vi, ErrorCode::OutOfRange { min, max }) => format!("Phải từ {min} đến {max}."),
        (Lang::En, ErrorCode::OutOfRange { min, max }) => format!("Must be from {min} to {max}."),
        (Lang::Vi, ErrorCode::InvalidPhone) => {
            "Số di động Việt Nam gồm 10 chữ số bắt đầu bằng 0 (hoặc +84), ví dụ 0912 345 678."
                .into()
        }
        (Lang::Vi, ErrorCode::InvalidEmail) => {
            "Địa chỉ email chưa đúng, ví dụ: ten@example.com.".into()
        }
        (Lang::En, ErrorCode::InvalidEmail) => {
            "This is not a valid email address, e.g. name@example.com.".into()
        }
        (Lang::Vi, ErrorCode::InvalidDocumentNumber { min, max }) => {
            format!("Chỉ gồm chữ và số, từ {min} đến {max} ký tự.")
        }
        (Lang::En, ErrorCode::InvalidDocumentNumber { min, max }) => {
            format!("Letters and digits only, {min} to {max} of them.")
        }
        (Lang::En, ErrorCode::InvalidPhone) => {
            "A Vietnamese mobile number has 10 digits starting with 0 (or +84), e.g. 0912 345 678."
                .into()
        }
        (Lang::Vi, ErrorCode::InvalidDate) => "Ngày không hợp lệ.".into(),
        (Lang::En, ErrorCode::InvalidDate) => "This is not a valid date.".into(),
        (Lang::Zh, ErrorCode::InvalidDate) => "日期无效。".into(),
        (Lang::Ko, ErrorCode::InvalidDate) => "올바른 날짜가 아닙니다.".into(),
        (Lang::Vi, ErrorCode::DateOutOfRange { earliest, latest }) => {
            let day = |date: &crate::date::Date| {
                let (year, month, day) = date.civil();
                format!("{day:02}/{month:02}/{year}")
            };
            format!("Phải từ {} đến {}.", day(earliest), day(latest))
        }
        (Lang::En, ErrorCode::DateOutOfRange { earliest, latest }) => {
            format!("Must be from {earliest} to {latest}.")
        }
        (Lang::Zh, ErrorCode::DateOutOfRange { earliest, latest }) => {
            format!("必须在{earliest}到{latest}之间。")
        }
        (Lang::Ko, ErrorCode::DateOutOfRange { earliest, latest }) => {
            format!("{earliest}에서 {latest} 사이여야 합니다.")
        }
        (Lang::Vi, ErrorCode::UnknownChoice) => "Vui lòng chọn trong danh sách.".into(),
        (Lang::En, ErrorCode::UnknownChoice) => "Please choose from the list.".into(),
        (Lang::Zh, ErrorCode::UnknownChoice) => "请从列表中选择。".into(),
        (Lang::Ko, ErrorCode::UnknownChoice) => "목록에서 선택하세요.".into(),
        (Lang::Vi, ErrorCode::TooMany { max }) => format!("Chọn tối đa {max} mục."),
        (Lang::En, ErrorCode::TooMany { max }) => format!("Choose at most {max}."),
        (Lang::Zh, ErrorCode::TooMany { max }) => format!("最多选择{max}项。"),
        (Lang::Ko, ErrorCode::TooMany { max }) => format!("최대 {max}개까지 선택하세요."),
        (Lang::Vi, ErrorCode::MustAccept) => {
            "Vui lòng cam kết khai báo trung thực trước khi gửi.".into()
        }
        (Lang::En, ErrorCode::MustAccept) => {
            "Please confirm that your declaration is true before sending.".into()
        }
        (Lang::Zh, ErrorCode::MustAccept) => "提交前请确认所申报信息真实。".into(),
        (Lang::Ko, ErrorCode::MustAccept) => {
            "제출하기 전에 신고 내용이 사실임을 확인하세요.".into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_is_translated_in_every_language() {
        for &text in Text::ALL {
            for lang in Lang::ALL {
                let s = text.in_lang(lang);
                assert!(!s.trim().is_empty(), "{text:?} is empty in {lang:?}");
                assert_eq!(s, s.trim(), "{text:?} in {lang:?} has outer spaces");
            }
        }
    }

    #[test]
    fn vietnamese_and_english_differ() {
        // A string identical in both languages is almost always a missed translation.
        for &text in Text::ALL {
            assert_ne!(text.in_lang(Lang::Vi), text.in_lang(Lang::En), "{text:?}");
        }
    }

    #[test]
    fn every_language_has_its_own_words() {
        // Apart from a few shared forms ("Email"), each language must really be translated.
        for lang in [Lang::Zh, Lang::Ko] {
            let copied = Text::ALL
                .iter()
                .filter(|text| text.in_lang(lang) == text.in_lang(Lang::En))
                .count();
            assert!(copied <= 1, "{lang:?} copies {copied} English strings");
        }
    }

    #[test]
    fn tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("VI_vn"), Some(Lang::Vi));
        assert_eq!(Lang::from_tag("zh-Hans-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("ko-KR"), Some(Lang::Ko));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn error_messages_carry_their_parameters() {
        let code = ErrorCode::OutOfRange {
            min: 1900,
            max: 2026,
        };
        for lang in Lang::ALL {
            let message = error_message(lang, &code);
            assert!(message.contains("1900") && message.contains("2026"));
        }
    }
}
