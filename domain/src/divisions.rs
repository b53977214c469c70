//! Vietnam's administrative divisions since July 2025: 34 provinces and their 3,321 communes and
//! wards (two levels). The catalogue is a separate asset (`public/data/divisions.json`, generated
//! by `cargo xtask divisions`), cached for offline use and searched here without diacritics:
//! "thu duc" finds "Phường Thủ Đức".

use serde::Deserialize;

use crate::profile::Address;
use crate::validation::{Checker, ErrorCode, FieldError};

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
    folded: String,
}

/// A province or centrally governed city, with its wards.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "(u16, String, Vec<Ward>)")]
pub struct Province {
    pub code: u16,
    pub name: String,
    pub wards: Vec<Ward>,
    folded: String,
}

/// The whole catalogue, as shipped: `[[province code, name, [[ward code, name], …]], …]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Catalogue {
    pub provinces: Vec<Province>,
}

impl From<(u32, String)> for Ward {
    fn from((code, name): (u32, String)) -> Self {
        let folded = fold(&name);
        Ward { code, name, folded }
    }
}

impl From<(u16, String, Vec<Ward>)> for Province {
    fn from((code, name, wards): (u16, String, Vec<Ward>)) -> Self {
        let folded = fold(&name);
        Province {
            code,
            name,
            wards,
            folded,
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

/// How well a folded name matches a folded query; `None` when it does not. Higher is better.
fn score(name: &str, query: &str) -> Option<u8> {
    if query.is_empty() {
        return Some(0);
    }
    let words: Vec<&str> = name.split(' ').collect();
    let tokens: Vec<&str> = query.split(' ').collect();
    // The query's words start consecutive words of the name: "thu duc" in "phuong thu duc".
    let consecutive = (0..words.len()).any(|start| {
        tokens.len() <= words.len() - start
            && tokens
                .iter()
                .zip(&words[start..])
                .all(|(token, word)| word.starts_with(token))
    });
    if consecutive {
        let exact_tail = name.ends_with(query)
            && (name.len() == query.len() || name.as_bytes()[name.len() - query.len() - 1] == b' ');
        return Some(if exact_tail { 3 } else { 2 });
    }
    // Typed without spaces ("thuduc", "hanoi").
    let compact_name: String = name.split(' ').collect();
    let compact_query: String = query.split(' ').collect();
    compact_name.contains(&compact_query).then_some(1)
}

fn ranked<'a, T>(
    candidates: impl Iterator<Item = (&'a str, T)>,
    query: &str,
    limit: usize,
) -> Vec<T> {
    let query = fold(query);
    let mut hits: Vec<(u8, &str, T)> = candidates
        .filter_map(|(folded, item)| score(folded, &query).map(|score| (score, folded, item)))
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

    /// Provinces whose name matches `query`, best first.
    pub fn search_provinces(&self, query: &str, limit: usize) -> Vec<&Province> {
        ranked(
            self.provinces
                .iter()
                .map(|province| (province.folded.as_str(), province)),
            query,
            limit,
        )
    }

    /// Wards matching `query`, in one province or in all, best first.
    pub fn search_wards(
        &self,
        province: Option<u16>,
        query: &str,
        limit: usize,
    ) -> Vec<(&Province, &Ward)> {
        ranked(
            self.provinces
                .iter()
                .filter(|candidate| province.is_none_or(|code| candidate.code == code))
                .flat_map(|province| {
                    province
                        .wards
                        .iter()
                        .map(move |ward| (ward.folded.as_str(), (province, ward)))
                }),
            query,
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
        assert!(score("phuong an", "an") > score("phuong an khanh", "an"));
        assert_eq!(score("phuong thu duc", "duc thu"), None);
    }

    proptest! {
        #[test]
        fn folding_is_idempotent_and_ascii_for_vietnamese(s in "[a-zA-ZàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđĐ ]{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
            prop_assert!(once.is_ascii());
        }

        #[test]
        fn search_never_panics(query in "\\PC{0,30}") {
            let catalogue = Catalogue { provinces: vec![Province::from((1, "Hà Nội".to_owned(), vec![Ward::from((7, "Phường Ba Đình".to_owned()))]))] };
            let _ = catalogue.search_wards(None, &query, 10);
            let _ = catalogue.search_provinces(&query, 10);
        }
    }
}
