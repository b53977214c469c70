//! Vietnam's administrative divisions since July 2025: 34 provinces and their 3,321 communes and
//! wards (two levels). The catalogue is a separate asset (`public/data/divisions.json`, generated
//! by `cargo xtask divisions`), cached for offline use and searched here without diacritics:
//! "thu duc" finds "Phường Thủ Đức".

use serde::Deserialize;

use crate::profile::Address;
use crate::validation::{Checker, ErrorCode, FieldError};

mod aliases;

/// The codes of the 34 provinces, sorted, compiled in so that both ends can check a province
/// answer without the catalogue (the asset lists the same codes, checked by a test).
pub const PROVINCE_CODES: [u16; 34] = [
    1, 4, 8, 11, 12, 14, 15, 19, 20, 22, 24, 25, 31, 33, 37, 38, 40, 42, 44, 46, 48, 51, 52, 56,
    66, 68, 75, 79, 80, 82, 86, 91, 92, 96,
];

/// Checks a province code against the list.
pub fn province_code(code: u16) -> Result<(), ErrorCode> {
    PROVINCE_CODES
        .binary_search(&code)
        .map(|_| ())
        .map_err(|_| ErrorCode::UnknownChoice)
}

/// A commune, ward or special zone.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "(u32, String)")]
pub struct Ward {
    pub code: u32,
    pub name: String,
    key: Key,
}

/// A province or centrally governed city, with its wards.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "(u16, String, Vec<Ward>)")]
pub struct Province {
    pub code: u16,
    pub name: String,
    pub wards: Vec<Ward>,
    key: Key,
    /// Short and former names ([`aliases`]).
    aliases: Vec<Key>,
}

/// The whole catalogue, as shipped: `[[province code, name, [[ward code, name], …]], …]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Catalogue {
    pub provinces: Vec<Province>,
}

impl From<(u32, String)> for Ward {
    fn from((code, name): (u32, String)) -> Self {
        let key = Key::new(&name);
        Ward { code, name, key }
    }
}

impl From<(u16, String, Vec<Ward>)> for Province {
    fn from((code, name, wards): (u16, String, Vec<Ward>)) -> Self {
        Province {
            code,
            key: Key::new(&name),
            aliases: aliases::of(code).map(Key::new).collect(),
            name,
            wards,
        }
    }
}

impl Catalogue {
    /// Checks that `ward` is one of `province`'s communes or wards.
    pub fn check_ward(&self, province: u16, ward: u32) -> Result<(), ErrorCode> {
        let known = self
            .provinces
            .iter()
            .find(|candidate| candidate.code == province)
            .is_some_and(|province| province.wards.iter().any(|known| known.code == ward));
        if known {
            Ok(())
        } else {
            Err(ErrorCode::UnknownChoice)
        }
    }

    /// Checks the ward of each address (named by its field path, empty for a profile's own)
    /// against its province. The
    /// province itself is checked by each form's own rules, which need no catalogue.
    pub fn check_addresses<'a>(
        &self,
        addresses: impl IntoIterator<Item = (&'a str, &'a Address)>,
    ) -> Result<(), Vec<FieldError>> {
        let mut checker = Checker::default();
        for (path, address) in addresses {
            if let (Some(province), Some(ward)) = (address.province, address.ward) {
                let field = if path.is_empty() {
                    "ward".to_owned()
                } else {
                    format!("{path}.ward")
                };
                checker.check(&field, self.check_ward(province, ward));
            }
        }
        checker.finish(|| Some(()))
    }
}

const ACCENTED: &str = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ";
const PLAIN: &str = "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd";

/// Lower case, Vietnamese diacritics removed (đ → d), punctuation as spaces, white space folded:
/// the form in which names and queries are compared.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = ACCENTED
            .chars()
            .position(|accented| accented == c)
            .and_then(|index| PLAIN.chars().nth(index))
            .unwrap_or(c);
        if c.is_alphanumeric() {
            folded.push(c);
            space = false;
        } else if !space {
            folded.push(' ');
            space = true;
        }
    }
    if folded.ends_with(' ') {
        folded.pop();
    }
    folded
}

/// Administrative words a name or a query may start with, folded, and what each stands for.
/// A name drops its own when searched ("Thành phố Huế" is found as "hue"); a query drops one when
/// it fits the candidate ("tp hcm", "p thu duc").
const PREFIXES: [(&str, &str); 8] = [
    ("thanh pho", "thanh pho"),
    ("tp", "thanh pho"),
    ("tinh", "tinh"),
    ("phuong", "phuong"),
    ("p", "phuong"),
    ("xa", "xa"),
    ("x", "xa"),
    ("dac khu", "dac khu"),
];

/// What a folded text starts with, if anything of [`PREFIXES`] followed by more words: the
/// prefix's meaning and the rest.
fn split_prefix(folded: &str) -> Option<(&'static str, &str)> {
    PREFIXES.iter().find_map(|&(written, meaning)| {
        let rest = folded.strip_prefix(written)?.strip_prefix(' ')?;
        (!rest.is_empty()).then_some((meaning, rest))
    })
}

/// A name in the forms it is searched by.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    /// Folded ([`fold`]): "phuong thu duc".
    folded: String,
    /// Where the name proper starts in `folded`, after its administrative prefix ("thu duc").
    bare: usize,
    /// `folded` without spaces: "phuongthuduc".
    compact: String,
}

impl Key {
    fn new(name: &str) -> Key {
        let folded = fold(name);
        let bare = split_prefix(&folded).map_or(0, |(_, rest)| folded.len() - rest.len());
        let compact = folded.split(' ').collect();
        Key {
            folded,
            bare,
            compact,
        }
    }

    fn bare(&self) -> &str {
        &self.folded[self.bare..]
    }

    /// The administrative prefix of the name, folded ("phuong"), or "" when it has none.
    fn kind(&self) -> &str {
        self.folded[..self.bare].trim_end()
    }

    /// How well a query (folded, and without its spaces) matches this name; `None` when it does
    /// not. Higher is better: 4 the whole name, with or without its prefix or spaces ("thu duc",
    /// "phuong thu duc", "thuduc"); 3 its start ("thu d"); 2 the start of a later word ("duc");
    /// 1 anywhere once spaces are ignored ("uduc"). Every word of the query but the last must be
    /// a whole word of the name: "thu duc" is not "Thượng Đức".
    fn tier(&self, query: &str, compact_query: &str) -> Option<u8> {
        let (name, bare) = (self.folded.as_str(), self.bare());
        if name == query
            || bare == query
            || self.compact == compact_query
            || bare
                .bytes()
                .filter(|&byte| byte != b' ')
                .eq(compact_query.bytes())
        {
            Some(4)
        } else if name.starts_with(query) || bare.starts_with(query) {
            Some(3)
        } else if name
            .match_indices(query)
            .any(|(at, _)| at > 0 && name.as_bytes()[at - 1] == b' ')
        {
            Some(2)
        } else {
            self.compact.contains(compact_query).then_some(1)
        }
    }
}

/// A folded query, and the same without an administrative prefix ("tp hcm" → "hcm").
struct Query {
    forms: Vec<(Option<&'static str>, String, String)>,
}

impl Query {
    fn new(query: &str) -> Query {
        let folded = fold(query);
        let form = |kind, text: &str| (kind, text.to_owned(), text.split(' ').collect());
        let mut forms = vec![form(None, &folded)];
        if let Some((kind, rest)) = split_prefix(&folded) {
            forms.push(form(Some(kind), rest));
        }
        Query { forms }
    }

    /// The best score of a candidate's `name` and `aliases`, names before aliases of the same
    /// tier; every candidate scores 0 for an empty query. `fits` says whether a query may drop its
    /// administrative prefix (of that meaning) for this candidate.
    fn score(&self, name: &Key, aliases: &[Key], fits: impl Fn(&str) -> bool) -> Option<u8> {
        if self.forms[0].1.is_empty() {
            return Some(0);
        }
        let mut best = None;
        for (kind, text, compact) in &self.forms {
            if kind.is_some_and(|kind| !fits(kind)) {
                continue;
            }
            best = best.max(name.tier(text, compact).map(|tier| tier * 2 + 1));
            for alias in aliases {
                best = best.max(alias.tier(text, compact).map(|tier| tier * 2));
            }
        }
        best
    }
}

/// The candidates matching `query`, best first, then in the order of their names (without their
/// prefixes), then in catalogue order.
fn ranked<'a, T>(
    candidates: impl Iterator<Item = (&'a Key, Option<u8>, T)>,
    limit: usize,
) -> Vec<T> {
    let mut hits: Vec<(u8, &str, T)> = candidates
        .filter_map(|(key, score, item)| score.map(|score| (score, key.bare(), item)))
        .collect();
    hits.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    hits.into_iter()
        .take(limit)
        .map(|(_, _, item)| item)
        .collect()
}

impl Catalogue {
    pub fn province(&self, code: u16) -> Option<&Province> {
        self.provinces.iter().find(|province| province.code == code)
    }

    /// Provinces whose name or alias matches `query`, best first: whole names ("ha noi",
    /// "tp hcm", "sai gon") before names that start with it, before names with a later word that
    /// starts with it, before names that contain it once spaces are ignored.
    pub fn search_provinces(&self, query: &str, limit: usize) -> Vec<&Province> {
        let query = Query::new(query);
        let fits = |kind: &str| kind == "thanh pho" || kind == "tinh";
        ranked(
            self.provinces.iter().map(|province| {
                let score = query.score(&province.key, &province.aliases, fits);
                (&province.key, score, province)
            }),
            limit,
        )
    }

    /// Wards matching `query`, in one province or in all, best first (as
    /// [`Catalogue::search_provinces`], without aliases).
    pub fn search_wards(
        &self,
        province: Option<u16>,
        query: &str,
        limit: usize,
    ) -> Vec<(&Province, &Ward)> {
        let query = Query::new(query);
        ranked(
            self.provinces
                .iter()
                .filter(|candidate| province.is_none_or(|code| candidate.code == code))
                .flat_map(|province| province.wards.iter().map(move |ward| (province, ward)))
                .map(|(province, ward)| {
                    let score = query.score(&ward.key, &[], |kind| kind == ward.key.kind());
                    (&ward.key, score, (province, ward))
                }),
            limit,
        )
    }
}

impl Province {
    pub fn ward(&self, code: u32) -> Option<&Ward> {
        self.wards.iter().find(|ward| ward.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn shipped() -> Catalogue {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../public/data/divisions.json");
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn a_ward_must_belong_to_its_province() {
        let catalogue = shipped();
        let hanoi = &catalogue.provinces[0];
        let other = &catalogue.provinces[1];
        let ward = hanoi.wards[0].code;
        assert_eq!(catalogue.check_ward(hanoi.code, ward), Ok(()));
        assert_eq!(
            catalogue.check_ward(other.code, ward),
            Err(ErrorCode::UnknownChoice)
        );
        for ward in [1, 1 << 24, u32::MAX] {
            assert_eq!(
                catalogue.check_ward(hanoi.code, ward),
                Err(ErrorCode::UnknownChoice)
            );
        }
        let address = |ward| Address {
            province: Some(hanoi.code),
            ward: Some(ward),
            street: String::new(),
        };
        let (good, bad) = (address(ward), address(u32::MAX));
        assert_eq!(
            catalogue.check_addresses([("person.address", &good)]),
            Ok(())
        );
        let errors = catalogue
            .check_addresses([("person.address", &good), ("answers.departure", &bad)])
            .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "answers.departure.ward");
    }

    #[test]
    fn compiled_province_codes_match_the_catalogue() {
        let mut codes: Vec<u16> = shipped().provinces.iter().map(|p| p.code).collect();
        codes.sort_unstable();
        assert_eq!(codes, PROVINCE_CODES);
        assert_eq!(province_code(79), Ok(()));
        assert_eq!(province_code(2), Err(ErrorCode::UnknownChoice));
    }

    #[test]
    fn folding_removes_vietnamese_diacritics() {
        assert_eq!(fold("Phường Thủ Đức"), "phuong thu duc");
        assert_eq!(fold("  Thành phố   Hà Nội "), "thanh pho ha noi");
        assert_eq!(fold("ĐẶC KHU Côn Đảo"), "dac khu con dao");
        assert_eq!(fold("Xã Ea H'leo"), "xa ea h leo");
        assert_eq!(ACCENTED.chars().count(), PLAIN.chars().count());
    }

    #[test]
    fn shipped_catalogue_is_complete() {
        let catalogue = shipped();
        assert_eq!(catalogue.provinces.len(), 34);
        let wards: usize = catalogue.provinces.iter().map(|p| p.wards.len()).sum();
        assert_eq!(wards, 3_321);
    }

    #[test]
    fn finds_places_without_diacritics() {
        let catalogue = shipped();
        let hits = catalogue.search_wards(None, "thu duc", 5);
        assert_eq!(hits[0].1.name, "Phường Thủ Đức");
        assert_eq!(hits[0].0.name, "Thành phố Hồ Chí Minh");
        assert_eq!(
            catalogue.search_provinces("ha noi", 3)[0].name,
            "Thành phố Hà Nội"
        );
        assert_eq!(
            catalogue.search_provinces("hanoi", 3)[0].name,
            "Thành phố Hà Nội"
        );
        assert_eq!(
            catalogue.search_provinces("Hà Nội", 3)[0].name,
            "Thành phố Hà Nội"
        );
        let hcm = catalogue.search_provinces("ho chi minh", 1)[0].code;
        assert!(catalogue
            .search_wards(Some(hcm), "thuduc", 5)
            .iter()
            .any(|(_, ward)| ward.name == "Phường Thủ Đức"));
        assert!(catalogue.search_wards(Some(1), "thu duc", 5).is_empty());
    }

    #[test]
    fn exact_names_rank_before_longer_ones() {
        let tier = |name: &str, query: &str| Key::new(name).tier(query, &query.replace(' ', ""));
        assert!(tier("Phường An", "an") > tier("Phường An Khánh", "an"));
        assert_eq!(tier("Phường Thủ Đức", "thu duc"), Some(4));
        assert_eq!(tier("Phường Thủ Đức", "phuong thu duc"), Some(4));
        assert_eq!(tier("Phường Thủ Đức", "thuduc"), Some(4));
        assert_eq!(tier("Phường Thủ Đức", "thu d"), Some(3));
        assert_eq!(tier("Phường Thủ Đức", "duc"), Some(2));
        assert_eq!(tier("Phường Thủ Đức", "huduc"), Some(1));
        assert_eq!(tier("Phường Thủ Đức", "duc thu"), None);
        // Only the last word may be unfinished.
        assert_eq!(tier("Xã Thượng Đức", "thu duc"), None);
        assert_eq!(Key::new("Đặc khu Côn Đảo").bare(), "con dao");
        assert_eq!(Key::new("Đặc khu Côn Đảo").kind(), "dac khu");
        assert_eq!(Key::new("Đồng Nai").kind(), "");
    }

    /// The names of the first `n` provinces found for `query`.
    fn provinces(catalogue: &Catalogue, query: &str, n: usize) -> Vec<String> {
        catalogue
            .search_provinces(query, n)
            .into_iter()
            .map(|province| province.name.clone())
            .collect()
    }

    #[test]
    fn short_names_of_ho_chi_minh_city_find_it_first() {
        let catalogue = shipped();
        for query in [
            "hcm",
            "HCM",
            "tp hcm",
            "TP HCM",
            "tphcm",
            "TPHCM",
            "tp.hcm",
            "TP. HCM",
            "thành phố HCM",
            "hcmc",
            "sai gon",
            "Sài Gòn",
            "saigon",
            "ho chi minh",
            "Hồ Chí Minh",
            "tp ho chi minh",
            "thanh pho ho chi minh",
            "hochiminh",
        ] {
            assert_eq!(
                provinces(&catalogue, query, 5).first().map(String::as_str),
                Some("Thành phố Hồ Chí Minh"),
                "{query}"
            );
        }
        // Typing on: the start of a name or an alias.
        for query in ["ho chi", "sai g", "tp hc"] {
            assert_eq!(
                provinces(&catalogue, query, 5)[0],
                "Thành phố Hồ Chí Minh",
                "{query}"
            );
        }
    }

    #[test]
    fn short_and_former_names_find_the_province_that_holds_them() {
        let catalogue = shipped();
        for (query, name) in [
            ("hn", "Thành phố Hà Nội"),
            ("ha noi", "Thành phố Hà Nội"),
            ("hanoi", "Thành phố Hà Nội"),
            ("Hà Nội", "Thành phố Hà Nội"),
            ("tp ha noi", "Thành phố Hà Nội"),
            ("hue", "Thành phố Huế"),
            ("Huế", "Thành phố Huế"),
            ("tt hue", "Thành phố Huế"),
            ("TT-Huế", "Thành phố Huế"),
            ("thua thien hue", "Thành phố Huế"),
            ("Thừa Thiên Huế", "Thành phố Huế"),
            ("hp", "Thành phố Hải Phòng"),
            ("da nang", "Thành phố Đà Nẵng"),
            ("danang", "Thành phố Đà Nẵng"),
            ("brvt", "Thành phố Hồ Chí Minh"),
            ("vung tau", "Thành phố Hồ Chí Minh"),
            ("Vũng Tàu", "Thành phố Hồ Chí Minh"),
            ("ba ria", "Thành phố Hồ Chí Minh"),
            ("Bà Rịa - Vũng Tàu", "Thành phố Hồ Chí Minh"),
            ("binh duong", "Thành phố Hồ Chí Minh"),
            ("quang nam", "Thành phố Đà Nẵng"),
            ("hai duong", "Thành phố Hải Phòng"),
            ("nam dinh", "Ninh Bình"),
            ("ha giang", "Tuyên Quang"),
            ("kon tum", "Quảng Ngãi"),
            ("binh dinh", "Gia Lai"),
            ("phu yen", "Đắk Lắk"),
            ("dak nong", "Lâm Đồng"),
            ("long an", "Tây Ninh"),
            ("tien giang", "Đồng Tháp"),
            ("ben tre", "Vĩnh Long"),
            ("soc trang", "Thành phố Cần Thơ"),
            ("bac lieu", "Cà Mau"),
            ("kien giang", "An Giang"),
            ("tinh nghe an", "Nghệ An"),
            ("nghe an", "Nghệ An"),
        ] {
            assert_eq!(
                provinces(&catalogue, query, 5).first().map(String::as_str),
                Some(name),
                "{query}"
            );
        }
        // A province's own name comes before another's alias: "ha" starts "Hà Nội", "Hà Tĩnh" and
        // "Hải Phòng", then those of the former "Hậu Giang", "Hà Nam" and "Hà Giang".
        assert_eq!(
            provinces(&catalogue, "ha", 6),
            [
                "Thành phố Hà Nội",
                "Hà Tĩnh",
                "Thành phố Hải Phòng",
                "Thành phố Cần Thơ",
                "Ninh Bình",
                "Tuyên Quang"
            ]
        );
    }

    #[test]
    fn aliases_are_unambiguous_and_name_real_provinces() {
        let catalogue = shipped();
        let mut seen = std::collections::HashMap::new();
        for &(code, names) in aliases::ALIASES {
            assert!(PROVINCE_CODES.contains(&code), "{code}");
            for alias in names {
                let key = Key::new(alias);
                assert!(!key.folded.is_empty(), "{alias}");
                assert_eq!(seen.insert(key.compact.clone(), code), None, "{alias}");
                // No alias is the name of another province.
                for province in &catalogue.provinces {
                    assert!(
                        province.code == code
                            || (province.key.bare() != key.bare()
                                && province.key.compact != key.compact),
                        "{alias} is {}",
                        province.name
                    );
                }
                let found = catalogue.search_provinces(alias, 1);
                assert_eq!(found[0].code, code, "{alias}");
            }
        }
    }

    #[test]
    fn thu_duc_is_the_ward_of_thu_duc() {
        let catalogue = shipped();
        for query in [
            "thu duc",
            "Thủ Đức",
            "thuduc",
            "phuong thu duc",
            "p thu duc",
        ] {
            let hits = catalogue.search_wards(None, query, 5);
            assert_eq!(hits.len(), 1, "{query}: {hits:?}");
            assert_eq!(hits[0].1.name, "Phường Thủ Đức");
            assert_eq!(hits[0].0.name, "Thành phố Hồ Chí Minh");
        }
        // "Thượng Đức" is no "Thủ Đức".
        let hits = catalogue.search_wards(None, "thu duc", 10);
        assert!(hits.iter().all(|(_, ward)| ward.name == "Phường Thủ Đức"));
        // A prefix that is not the ward's own does not drop.
        assert!(catalogue.search_wards(None, "xa thu duc", 5).is_empty());
        let typing = catalogue.search_wards(Some(79), "thu d", 5);
        assert_eq!(typing[0].1.name, "Phường Thủ Dầu Một");
        assert_eq!(typing[1].1.name, "Phường Thủ Đức");
    }

    #[test]
    fn every_name_finds_itself_first() {
        let catalogue = shipped();
        for province in &catalogue.provinces {
            for query in [&province.name, province.key.bare()] {
                assert_eq!(catalogue.search_provinces(query, 1)[0].code, province.code);
            }
            for ward in &province.wards {
                for query in [&ward.name, ward.key.bare()] {
                    let hits = catalogue.search_wards(Some(province.code), query, 1);
                    assert_eq!(hits[0].1.key.bare(), ward.key.bare(), "{}", ward.name);
                }
            }
        }
    }

    #[test]
    fn unrelated_queries_find_nothing() {
        let catalogue = shipped();
        for query in [
            "london",
            "xyz",
            "qwerty",
            "new york",
            "zzz",
            "tp london",
            "12345",
        ] {
            assert_eq!(
                provinces(&catalogue, query, 5),
                Vec::<String>::new(),
                "{query}"
            );
            assert!(catalogue.search_wards(None, query, 5).is_empty(), "{query}");
        }
        // Nor do provinces answer a ward's name, or wards an alias.
        assert!(catalogue.search_provinces("thu duc", 5).is_empty());
        assert!(catalogue.search_wards(None, "hcm", 5).is_empty());
        assert!(catalogue.search_wards(None, "tphcm", 5).is_empty());
    }

    #[test]
    fn an_empty_query_lists_everything_by_name() {
        let catalogue = shipped();
        let all = provinces(&catalogue, "", 40);
        assert_eq!(all.len(), 34);
        assert_eq!(all[0], "An Giang");
        assert_eq!(catalogue.search_wards(Some(46), " ", 100).len(), 40);
    }

    proptest! {
        #[test]
        fn folding_is_idempotent_and_ascii_for_vietnamese(s in "[a-zA-ZàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđĐ ]{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
            prop_assert!(once.is_ascii());
        }

        #[test]
        fn search_never_panics(query in "\\PC{0,30}|(tp|p|x|xa|phuong|thanh pho|tinh|dac khu) \\PC{0,10}") {
            let ward = |code, name: &str| Ward::from((code, name.to_owned()));
            let catalogue = Catalogue {
                provinces: vec![
                    Province::from((1, "Hà Nội".to_owned(), vec![ward(7, "Phường Ba Đình")])),
                    Province::from((
                        79,
                        "Thành phố Hồ Chí Minh".to_owned(),
                        vec![ward(26800, "Phường Thủ Đức"), ward(26000, "Đặc khu Côn Đảo"), ward(1, "Xã X")],
                    )),
                ],
            };
            let wards = catalogue.search_wards(None, &query, 10);
            prop_assert!(wards.len() <= 4);
            let provinces = catalogue.search_provinces(&query, 1);
            prop_assert!(provinces.len() <= 1);
        }
    }
}
