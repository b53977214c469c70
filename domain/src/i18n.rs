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
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// BCP 47 tag, as used in `<html lang>` and stored preferences.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
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
        }
    }
}

macro_rules! catalogue {
    ($($key:ident { vi: $vi:literal, en: $en:literal $(,)? })*) => {
        /// A user-facing string, translated with [`Text::in_lang`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Text { $($key),* }

        impl Text {
            pub const ALL: &'static [Text] = &[$(Text::$key),*];

            pub fn in_lang(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::Vi => match self { $(Text::$key => $vi),* },
                    Lang::En => match self { $(Text::$key => $en),* },
                }
            }
        }
    };
}

catalogue! {
    AppName { vi: "Tờ khai y tế", en: "Health declaration" }
    SkipToContent { vi: "Bỏ qua, đến nội dung chính", en: "Skip to main content" }
    MainNavigation { vi: "Điều hướng chính", en: "Main navigation" }
    Language { vi: "Ngôn ngữ", en: "Language" }
    Version { vi: "Phiên bản", en: "Version" }
    Loading { vi: "Đang tải…", en: "Loading…" }

    HomeTitle { vi: "Hồ sơ trên máy này", en: "Profiles on this device" }
    HomeIntro {
        vi: "Khai báo cho bản thân và cho người thân (người già, trẻ em) từ cùng một điện thoại. Dữ liệu được lưu trên máy này.",
        en: "Declare for yourself and for family members (elderly people, children) from one phone. The data stays on this device.",
    }
    NoProfilesYet {
        vi: "Chưa có hồ sơ nào. Hãy thêm hồ sơ của bạn trước, sau đó thêm người thân.",
        en: "No profiles yet. Add your own profile first, then your family members.",
    }
    AddProfile { vi: "Thêm hồ sơ", en: "Add a profile" }
    BornIn { vi: "Năm sinh", en: "Born" }

    NewProfileTitle { vi: "Hồ sơ mới", en: "New profile" }
    EditProfileTitle { vi: "Sửa hồ sơ", en: "Edit profile" }
    ProfileFormIntro {
        vi: "Thông tin này được dùng để điền sẵn tờ khai. Sửa hồ sơ không làm thay đổi các tờ khai đã gửi.",
        en: "This information pre-fills your declarations. Editing a profile never changes declarations already sent.",
    }
    FullName { vi: "Họ và tên", en: "Full name" }
    YearOfBirth { vi: "Năm sinh", en: "Year of birth" }
    PhoneNumber { vi: "Số điện thoại", en: "Phone number" }
    PhoneOptionalHint {
        vi: "Không bắt buộc (trẻ em, người già có thể không có). Ví dụ: 0912 345 678",
        en: "Optional (children and elderly people may have none). Example: 0912 345 678",
    }
    Save { vi: "Lưu", en: "Save" }
    Saving { vi: "Đang lưu…", en: "Saving…" }
    Cancel { vi: "Huỷ", en: "Cancel" }
    FixHighlightedFields {
        vi: "Vui lòng sửa các ô được đánh dấu. Những gì bạn đã nhập vẫn được giữ nguyên.",
        en: "Please correct the highlighted fields. Everything you typed has been kept.",
    }
    ProfileNotFound {
        vi: "Không tìm thấy hồ sơ này trên máy. Có thể nó đã bị xoá.",
        en: "This profile is not on this device. It may have been deleted.",
    }
    CouldNotSave {
        vi: "Không lưu được vào bộ nhớ của máy. Những gì bạn đã nhập vẫn còn; hãy thử lại.",
        en: "Could not save to this device's storage. What you typed is still here; please try again.",
    }
    CouldNotRead {
        vi: "Không đọc được dữ liệu đã lưu trên máy.",
        en: "Could not read the data stored on this device.",
    }

    StorageUnavailableTitle {
        vi: "Trình duyệt không cho phép lưu dữ liệu",
        en: "This browser does not allow storing data",
    }
    StorageUnavailableBody {
        vi: "Trình duyệt đang chặn bộ nhớ của trang (ví dụ: chế độ ẩn danh hoặc đã chặn dữ liệu trang web), nên hồ sơ và tờ khai không thể được giữ lại. Hãy mở ứng dụng trong cửa sổ trình duyệt thông thường, hoặc cho phép dữ liệu trang web trong cài đặt trình duyệt, rồi tải lại trang.",
        en: "The browser is blocking this site's storage (for example private browsing, or site data blocked), so profiles and declarations cannot be kept. Open the app in a normal browser window, or allow site data in the browser settings, then reload the page.",
    }
    Reload { vi: "Tải lại", en: "Reload" }

    NotFoundTitle { vi: "Không tìm thấy trang", en: "Page not found" }
    NotFoundBody {
        vi: "Địa chỉ bạn mở không có trong ứng dụng.",
        en: "The address you opened does not exist in this app.",
    }
    BackToHome { vi: "Về trang chủ", en: "Back to home" }

    UpdateReady {
        vi: "Đã có phiên bản mới của ứng dụng.",
        en: "A new version of the app is ready.",
    }

    NavOutbox { vi: "Hàng chờ gửi", en: "Outbox" }
    ItemsWaiting { vi: "mục đang chờ gửi", en: "item(s) waiting to be sent" }
    OutboxTitle { vi: "Hàng chờ gửi", en: "Outbox" }
    OutboxIntro {
        vi: "Mọi thứ bạn gửi được lưu trên máy này trước, rồi tự động gửi đi khi có mạng. Không mục nào bị mất hay bị gửi hai lần.",
        en: "Everything you submit is saved on this device first, then sent automatically when there is a network. Nothing is lost or sent twice.",
    }
    OutboxEmpty { vi: "Không có mục nào đang chờ gửi.", en: "Nothing is waiting to be sent." }
    StatePending { vi: "Đang chờ gửi", en: "Waiting to be sent" }
    Attempts { vi: "Số lần đã thử", en: "Attempts" }
    LastError { vi: "Lỗi gần nhất", en: "Last error" }
    StateNeedsAttention { vi: "Cần bạn xử lý: máy chủ đã từ chối mục này", en: "Needs your attention: the server refused this item" }
    RetryItem { vi: "Gửi lại", en: "Send again" }
    DiscardItem { vi: "Bỏ mục này", en: "Discard this item" }
    ConfirmDiscard { vi: "Xác nhận bỏ (không thể hoàn tác)", en: "Confirm discard (cannot be undone)" }
    KeepItem { vi: "Giữ lại", en: "Keep it" }
    StoragePersisted {
        vi: "Trình duyệt đã cho phép lưu trữ lâu dài: dữ liệu không bị tự động xoá khi máy thiếu dung lượng.",
        en: "The browser granted persistent storage: data is not cleared automatically when the device runs low on space.",
    }
    StorageNotPersisted {
        vi: "Trình duyệt chưa cho phép lưu trữ lâu dài. Dữ liệu vẫn được lưu, nhưng có thể bị xoá khi máy thiếu dung lượng. Thêm ứng dụng vào màn hình chính giúp được cấp quyền này.",
        en: "The browser has not granted persistent storage. Data is still saved, but may be cleared when the device runs low on space. Adding the app to the home screen helps get this permission.",
    }
    KindDailyHealth { vi: "Theo dõi sức khoẻ hằng ngày", en: "Daily health check" }
    DailyHealthAction { vi: "Khai báo sức khoẻ hôm nay", en: "Today's health check" }
    DeclaringFor { vi: "Người được khai báo", en: "Declaring for" }
    SymptomsLegend { vi: "Hôm nay có dấu hiệu nào sau đây không?", en: "Any of these signs today?" }
    Fever { vi: "Sốt", en: "Fever" }
    Cough { vi: "Ho", en: "Cough" }
    ShortnessOfBreath { vi: "Khó thở", en: "Shortness of breath" }
    OtherSigns { vi: "Dấu hiệu khác (nếu có)", en: "Other signs (if any)" }
    OnBehalf { vi: "Tôi khai hộ người này", en: "I am declaring on this person's behalf" }
    FalseDeclarationWarning {
        vi: "Khai báo thông tin sai sự thật là vi phạm pháp luật Việt Nam và có thể bị xử lý hình sự.",
        en: "Making a false declaration violates Vietnamese law and may be prosecuted.",
    }
    SubmitDeclaration { vi: "Gửi tờ khai", en: "Submit declaration" }
    SavedWillSend {
        vi: "Đã lưu trên máy. Tờ khai sẽ được gửi ngay khi có mạng.",
        en: "Saved on this device. It will be sent as soon as there is a network.",
    }
    ConsentTitle { vi: "Trước khi khai báo", en: "Before you declare" }
    ConsentWhat {
        vi: "Thu thập gì: họ tên, năm sinh, số điện thoại của người được khai báo và các câu trả lời về sức khoẻ.",
        en: "What is collected: the declared person's name, year of birth, phone number and health answers.",
    }
    ConsentWhy {
        vi: "Để làm gì: chỉ để phòng, chống dịch (truy vết, cảnh báo tiếp xúc), theo quy định về bảo vệ dữ liệu cá nhân.",
        en: "Why: only for epidemic control (tracing, exposure alerts), under the personal data protection rules.",
    }
    ConsentHowLong {
        vi: "Lưu bao lâu: 21 ngày, trên máy này và trên máy chủ; sau đó tự động xoá.",
        en: "For how long: 21 days, on this device and on the server; then deleted automatically.",
    }
    ConsentWho {
        vi: "Ai được xem: cơ quan y tế có thẩm quyền. Địa điểm bạn đến chỉ thấy thông tin đã được che bớt, không thấy câu trả lời sức khoẻ.",
        en: "Who sees it: the competent health authority. Venues you visit see only masked details, never health answers.",
    }
    ConsentAgree { vi: "Tôi đồng ý", en: "I agree" }
    Province { vi: "Tỉnh / thành phố", en: "Province / city" }
    Ward { vi: "Phường / xã / đặc khu", en: "Ward / commune" }
    Street { vi: "Số nhà, đường, thôn/ấp", en: "House number, street, hamlet" }
    PlaceSearchHint {
        vi: "Gõ để tìm, không cần dấu (ví dụ: thu duc). Dùng phím mũi tên và Enter để chọn.",
        en: "Type to search; accents are optional (e.g. thu duc). Use the arrow keys and Enter to choose.",
    }
    ChooseProvinceFirst { vi: "Hãy chọn tỉnh / thành phố trước.", en: "Choose the province first." }
    NoMatches { vi: "Không tìm thấy.", en: "No matches." }
    CatalogueUnavailable {
        vi: "Không tải được danh mục tỉnh và xã. Hãy kết nối mạng một lần để tải; sau đó danh mục dùng được cả khi mất mạng.",
        en: "Could not load the list of provinces and wards. Connect once to download it; after that it works offline.",
    }
    IdNumber { vi: "Số CCCD / CMND / hộ chiếu", en: "ID card (CCCD) or passport number" }
    Gender { vi: "Giới tính", en: "Gender" }
    GenderUnset { vi: "Không chọn", en: "Not given" }
    GenderMale { vi: "Nam", en: "Male" }
    GenderFemale { vi: "Nữ", en: "Female" }
    GenderOther { vi: "Khác", en: "Other" }
    Email { vi: "Thư điện tử (email)", en: "Email" }
    InsuranceNumber { vi: "Số thẻ bảo hiểm y tế", en: "Health insurance card number" }
    OptionalField { vi: "Không bắt buộc.", en: "Optional." }
    DeleteProfile { vi: "Xoá hồ sơ này", en: "Delete this profile" }
    ConfirmDeleteProfile {
        vi: "Xác nhận xoá hồ sơ và dữ liệu của người này trên máy (không thể hoàn tác)",
        en: "Confirm deleting this person's profile and data on this device (cannot be undone)",
    }
    StatusNotDeclared { vi: "Chưa khai báo", en: "Not declared yet" }
    StatusPending { vi: "Tờ khai đang chờ gửi", en: "Declaration waiting to be sent" }
    StatusValidUntil { vi: "Tờ khai còn hiệu lực đến", en: "Declaration valid until" }
    StatusExpired { vi: "Tờ khai đã hết hạn, hãy khai báo lại", en: "Declaration expired, please declare again" }
    HistoryAction { vi: "Lịch sử khai báo", en: "Declaration history" }
    HistoryTitle { vi: "Lịch sử khai báo", en: "Declaration history" }
    HistoryIntro {
        vi: "Các tờ khai đã làm trên máy này trong 21 ngày gần nhất. Tờ khai cũ hơn được tự động xoá.",
        en: "Declarations made on this device in the last 21 days. Older ones are deleted automatically.",
    }
    HistoryEmpty { vi: "Chưa có tờ khai nào.", en: "No declarations yet." }
    ReceivedByServer { vi: "Máy chủ đã nhận lúc", en: "Received by the server at" }
    MadeOnBehalf { vi: "Khai hộ", en: "Made on this person's behalf" }
}

/// The translated sentence for a field error, with its parameters filled in.
pub fn error_message(lang: Lang, code: &ErrorCode) -> String {
    match (lang, code) {
        (Lang::Vi, ErrorCode::Required) => "Vui lòng điền thông tin này.".into(),
        (Lang::En, ErrorCode::Required) => "Please fill in this field.".into(),
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
    fn tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("VI_vn"), Some(Lang::Vi));
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
