//! Other names people type for a province: short forms, and the 29 provinces merged into others
//! in July 2025 (Resolution 202/2025/QH15). Each merged province is listed under the one that now
//! holds it, as the shipped catalogue shows: its former capital is a ward there (Tam Kỳ and Hội An
//! in Đà Nẵng, Thủ Dầu Một and Vũng Tàu in Hồ Chí Minh City, …) and its old ward codes form a run
//! of that province's codes. Matched on the folded form ([`super::fold`]), like names.
//!
//! Only names that point at one province: "ĐN" (Đà Nẵng, Đồng Nai or Đắk Nông) is not here.

/// `(province code, aliases)`.
pub(super) const ALIASES: &[(u16, &[&str])] = &[
    (1, &["HN"]),
    (8, &["Hà Giang"]),
    (15, &["Yên Bái"]),
    (19, &["Bắc Kạn", "Bắc Cạn"]),
    (24, &["Bắc Giang"]),
    (25, &["Vĩnh Phúc", "Hòa Bình"]),
    (31, &["HP", "Hải Dương"]),
    (33, &["Thái Bình"]),
    (37, &["Hà Nam", "Nam Định"]),
    (44, &["Quảng Bình"]),
    (46, &["Thừa Thiên Huế", "TT Huế"]),
    (48, &["Quảng Nam"]),
    (51, &["Kon Tum"]),
    (52, &["Bình Định"]),
    (56, &["Ninh Thuận"]),
    (66, &["Phú Yên"]),
    (68, &["Đắk Nông", "Bình Thuận"]),
    (75, &["Bình Phước"]),
    (
        79,
        &[
            "HCM",
            "TP.HCM",
            "HCMC",
            "Sài Gòn",
            "Bình Dương",
            "Bà Rịa - Vũng Tàu",
            "BRVT",
            "Vũng Tàu",
            "Bà Rịa",
        ],
    ),
    (80, &["Long An"]),
    (82, &["Tiền Giang"]),
    (86, &["Bến Tre", "Trà Vinh"]),
    (91, &["Kiên Giang"]),
    (92, &["Hậu Giang", "Sóc Trăng"]),
    (96, &["Bạc Liêu"]),
];

/// The aliases of province `code`.
pub(super) fn of(code: u16) -> impl Iterator<Item = &'static str> {
    ALIASES
        .iter()
        .filter(move |(province, _)| *province == code)
        .flat_map(|(_, aliases)| aliases.iter().copied())
}
