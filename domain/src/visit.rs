//! Visits (DESIGN.md §3.4, §4): a person checks in at a venue by scanning its poster, and out
//! when leaving. What a venue may see of its visitors is masked here, and its CSV export is made
//! safe here, so that the server's views and exports cannot differ.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::date::Date;
use crate::declaration::Person;
use crate::divisions::fold;
use crate::poster::{ScannedPoster, VenueType};
use crate::profile::{Address, Profile, ProfileFields};
use crate::validation::{Checker, ErrorCode, FieldError};

/// Arriving or leaving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Arrival,
    Departure,
}

/// Who checks in: only what a venue's visitor list needs (DESIGN.md §7, data minimisation),
/// never the rest of the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Visitor {
    pub profile_id: Uuid,
    pub full_name: String,
    pub year_of_birth: u16,
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

impl From<&Profile> for Visitor {
    fn from(profile: &Profile) -> Self {
        Visitor {
            profile_id: profile.id,
            full_name: profile.fields.full_name.clone(),
            year_of_birth: profile.fields.year_of_birth,
            phone: profile.fields.phone.clone(),
            id_number: profile.fields.id_number.clone(),
        }
    }
}

impl Visitor {
    /// The same checks as the profile form's, on these fields.
    fn check(&self, checker: &mut Checker, today: Date) {
        Person {
            profile_id: self.profile_id,
            details: ProfileFields {
                full_name: self.full_name.clone(),
                year_of_birth: self.year_of_birth,
                phone: self.phone.clone(),
                address: Address::default(),
                id_number: self.id_number.clone(),
                gender: None,
                email: None,
                insurance_number: None,
                nationality: None,
            },
        }
        .check_details(checker, today, "visitor");
    }
}

/// One check-in or check-out, sent through the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    pub visitor: Visitor,
    /// Made by someone else on the device for this person.
    pub on_behalf: bool,
    /// The poster code as scanned (`1.<payload>.<signature>`, without the URL around it).
    pub poster: String,
    /// Shared by the arrival and the departure of one visit.
    pub visit_id: Uuid,
    pub direction: Direction,
}

/// Longest poster code accepted (a version 10 QR holds far less).
pub const POSTER_MAX_CHARS: usize = 400;

impl CheckIn {
    /// Checks the person and that the poster code is well formed; the server also checks its
    /// signature and that the poster is current.
    pub fn validate(&self, today: Date) -> Result<(), Vec<FieldError>> {
        let mut checker = Checker::default();
        self.visitor.check(&mut checker, today);
        checker.check(
            "poster",
            if self.poster.len() > POSTER_MAX_CHARS {
                Err(ErrorCode::TooLong {
                    max: POSTER_MAX_CHARS,
                })
            } else {
                ScannedPoster::parse(&self.poster)
                    .map(drop)
                    .map_err(|_| ErrorCode::UnknownChoice)
            },
        );
        checker.finish(|| Some(()))
    }
}

/// A name as venues see it: the family name in full, the other names as initials, in capitals
/// (`Nguyễn Văn An` → `NGUYỄN V. A`).
pub fn mask_name(name: &str) -> String {
    let words: Vec<String> = name.split_whitespace().map(str::to_uppercase).collect();
    let initial = |word: &String| word.chars().next().map(String::from).unwrap_or_default();
    match words.as_slice() {
        [] => String::new(),
        [only] => only.clone(),
        [family, middle @ .., given] => {
            let mut parts = vec![family.clone()];
            parts.extend(middle.iter().map(|word| format!("{}.", initial(word))));
            parts.push(initial(given));
            parts.join(" ")
        }
    }
}

/// A phone number as venues see it: the first and last two digits (`0912345610` → `09******10`).
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().collect();
    if digits.len() <= 4 {
        return "*".repeat(digits.len());
    }
    let (head, rest) = digits.split_at(2);
    let (middle, tail) = rest.split_at(rest.len() - 2);
    format!(
        "{}{}{}",
        head.iter().collect::<String>(),
        "*".repeat(middle.len()),
        tail.iter().collect::<String>()
    )
}

/// An ID or passport number as venues see it: the last three characters (`******509`).
pub fn mask_document(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    let shown = chars.len().min(3);
    format!(
        "******{}",
        chars[chars.len() - shown..].iter().collect::<String>()
    )
}

/// How much of its visitors a venue's list and export show (DESIGN.md §4, §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitorView {
    /// `NGUYỄN V. A`, `09******10`, `******509`: every venue, unless the authority granted more.
    Masked,
    /// Full names and phone numbers. ID numbers stay masked: venue views and exports never
    /// contain them (DESIGN.md §7).
    Full,
}

impl VisitorView {
    /// The view of a venue of `venue_type`, where `granted` says whether the health authority
    /// granted it full access. The type alone, which the venue's manager chooses, never unmasks:
    /// full access needs both a kind of venue that may have it (hospitals, checkpoints) and the
    /// authority's grant.
    pub fn of(venue_type: VenueType, granted: bool) -> VisitorView {
        if granted && venue_type.sees_full_visitor_data() {
            VisitorView::Full
        } else {
            VisitorView::Masked
        }
    }

    pub fn is_full(self) -> bool {
        self == VisitorView::Full
    }

    /// The visitor's name, phone and ID number as this view shows them.
    pub fn show(self, visitor: &Visitor) -> (String, Option<String>, Option<String>) {
        let id_number = visitor.id_number.as_deref().map(mask_document);
        match self {
            VisitorView::Full => (visitor.full_name.clone(), visitor.phone.clone(), id_number),
            VisitorView::Masked => (
                mask_name(&visitor.full_name),
                visitor.phone.as_deref().map(mask_phone),
                id_number,
            ),
        }
    }
}

/// One visit in a venue's list: the arrival and the departure that share a visit id, and the
/// visitor as the venue's view shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListedVisit {
    pub visit_id: Uuid,
    pub arrived_at_ms: Option<i64>,
    pub left_at_ms: Option<i64>,
    pub name: String,
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

impl ListedVisit {
    /// The time the list orders by: the arrival, else the departure.
    pub fn time_ms(&self) -> Option<i64> {
        self.arrived_at_ms.or(self.left_at_ms)
    }
}

/// One arrival or departure at a venue, with the visitor as the venue's view shows them: from a
/// check-in the visitor made, or a gate scan of their pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitEvent {
    pub visit_id: Uuid,
    pub direction: Direction,
    pub at_ms: i64,
    pub name: String,
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

impl CheckIn {
    /// The check-in, received at `at_ms`, as `view` shows it.
    pub fn event(&self, at_ms: i64, view: VisitorView) -> VisitEvent {
        let (name, phone, id_number) = view.show(&self.visitor);
        VisitEvent {
            visit_id: self.visit_id,
            direction: self.direction,
            at_ms,
            name,
            phone,
            id_number,
        }
    }
}

/// Pairs arrivals and departures into visits, in the order each visit first appears: an
/// arrival and a departure with the same visit id are one visit, and the visitor is shown as
/// the visit's first event names them.
pub fn pair_visits(events: impl IntoIterator<Item = VisitEvent>) -> Vec<ListedVisit> {
    let mut visits: Vec<ListedVisit> = Vec::new();
    let mut index: HashMap<Uuid, usize> = HashMap::new();
    for event in events {
        let position = *index.entry(event.visit_id).or_insert_with(|| {
            visits.push(ListedVisit {
                visit_id: event.visit_id,
                arrived_at_ms: None,
                left_at_ms: None,
                name: event.name,
                phone: event.phone,
                id_number: event.id_number,
            });
            visits.len() - 1
        });
        let visit = &mut visits[position];
        match event.direction {
            Direction::Arrival => visit.arrived_at_ms = Some(event.at_ms),
            Direction::Departure => visit.left_at_ms = Some(event.at_ms),
        }
    }
    visits
}

/// Keeps the visits whose name or phone, as shown, contains `query`, ignoring case and
/// Vietnamese diacritics (`nguyen` finds `NGUYỄN V. A`). An empty query keeps them all.
pub fn search_visits(visits: &mut Vec<ListedVisit>, query: &str) {
    let needle = fold(query);
    if needle.is_empty() {
        return;
    }
    visits.retain(|visit| {
        fold(&visit.name).contains(needle.as_str())
            || visit
                .phone
                .as_deref()
                .is_some_and(|phone| phone.contains(needle.as_str()))
    });
}

/// The orders of a venue's visitor list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VisitOrder {
    /// Newest arrival (or departure, for a visit without an arrival) first.
    #[default]
    NewestFirst,
    /// By name as shown, ignoring case and diacritics.
    ByName,
}

impl VisitOrder {
    /// `name` is by name; anything else (`time`, nothing) newest first.
    pub fn from_name(name: Option<&str>) -> VisitOrder {
        if name == Some("name") {
            VisitOrder::ByName
        } else {
            VisitOrder::NewestFirst
        }
    }
}

/// Sorts `visits` in `order`; ties go by visit id, so that pages never overlap.
pub fn sort_visits(visits: &mut [ListedVisit], order: VisitOrder) {
    match order {
        VisitOrder::ByName => visits.sort_by(|a, b| {
            fold(&a.name)
                .cmp(&fold(&b.name))
                .then(a.visit_id.cmp(&b.visit_id))
        }),
        VisitOrder::NewestFirst => visits.sort_by(|a, b| {
            b.time_ms()
                .cmp(&a.time_ms())
                .then(a.visit_id.cmp(&b.visit_id))
        }),
    }
}

/// One CSV field (RFC 4180), made inert for spreadsheets: text that a spreadsheet would read as
/// a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, also after leading
/// spaces) gets a leading apostrophe, and fields with separators, quotes or line breaks are
/// quoted with inner quotes doubled.
pub fn csv_field(text: &str) -> String {
    let trigger = |c: char| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r');
    let first_visible = text.trim_start_matches(' ').chars().next();
    let neutral = if text.starts_with(trigger) || first_visible.is_some_and(trigger) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if neutral.contains([',', '"', '\n', '\r', '\t']) || neutral.starts_with(' ') {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

/// One CSV line of `fields`, ended with CRLF as RFC 4180 asks.
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields
        .iter()
        .map(|field| csv_field(field.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(check_ins: impl IntoIterator<Item = (CheckIn, i64)>) -> Vec<VisitEvent> {
        check_ins
            .into_iter()
            .map(|(check_in, at_ms)| check_in.event(at_ms, VisitorView::Masked))
            .collect()
    }
    use proptest::prelude::*;

    #[test]
    fn a_check_in_carries_only_what_the_venue_list_needs() {
        let profile = Profile {
            id: Uuid::from_u128(1),
            fields: ProfileFields {
                full_name: "Nguyễn Văn An".into(),
                year_of_birth: 1985,
                phone: Some("0912345678".into()),
                address: Address {
                    province: Some(79),
                    ward: None,
                    street: "12 Võ Văn Ngân".into(),
                },
                id_number: Some("079085001234".into()),
                gender: Some(crate::profile::Gender::Male),
                email: Some("an@example.vn".into()),
                insurance_number: Some("DN4797912345678".into()),
                nationality: Some("VN".into()),
            },
        };
        let check_in = CheckIn {
            visitor: Visitor::from(&profile),
            on_behalf: false,
            poster: "1.x.y".into(),
            visit_id: Uuid::from_u128(2),
            direction: Direction::Arrival,
        };
        let json = serde_json::to_string(&check_in).unwrap();
        for private in ["Võ Văn Ngân", "an@example.vn", "DN4797912345678", "male"] {
            assert!(!json.contains(private), "{private} in {json}");
        }
        // The poster is checked; the visitor's fields are checked like a profile's.
        let today = Date::parse("2026-11-22").unwrap();
        let errors = check_in.validate(today).unwrap_err();
        assert_eq!(errors[0].field, "poster");
        let unclean = CheckIn {
            visitor: Visitor {
                phone: Some("12345".into()),
                ..check_in.visitor.clone()
            },
            ..check_in
        };
        assert_eq!(
            unclean.validate(today).unwrap_err()[0].field,
            "visitor.phone"
        );
    }

    #[test]
    fn names_phones_and_documents_are_masked() {
        assert_eq!(mask_name("Nguyễn Văn An"), "NGUYỄN V. A");
        assert_eq!(mask_name("  Trần Thị Bình  Minh "), "TRẦN T. B. M");
        assert_eq!(mask_name("Lê An"), "LÊ A");
        assert_eq!(mask_name("Kim"), "KIM");
        assert_eq!(mask_name(""), "");
        assert_eq!(mask_phone("0912345610"), "09******10");
        assert_eq!(mask_phone("123"), "***");
        assert_eq!(mask_document("079085001509"), "******509");
        assert_eq!(mask_document("M1"), "******M1");
    }

    #[test]
    fn spreadsheet_formulas_are_neutralised() {
        assert_eq!(
            csv_field(r#"=HYPERLINK("http://x")"#),
            r#""'=HYPERLINK(""http://x"")""#
        );
        assert_eq!(csv_field("+1+1"), "'+1+1");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("-2"), "'-2");
        assert_eq!(csv_field("\t=1"), "\"'\t=1\"");
        assert_eq!(csv_field("\r=1"), "\"'\r=1\"");
        assert_eq!(csv_field("  =1"), "'  =1");
        assert_eq!(csv_field("Nguyễn, An"), "\"Nguyễn, An\"");
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_line(&["a", "b,c"]), "a,\"b,c\"\r\n");
    }

    fn visit_check_in(name: &str, visit: u128, direction: Direction) -> CheckIn {
        CheckIn {
            visitor: Visitor {
                profile_id: Uuid::from_u128(visit),
                full_name: name.into(),
                year_of_birth: 1990,
                phone: Some("0912345610".into()),
                id_number: Some("079085001509".into()),
            },
            on_behalf: false,
            poster: "1.x.y".into(),
            visit_id: Uuid::from_u128(visit),
            direction,
        }
    }

    #[test]
    fn only_a_granted_hospital_or_checkpoint_sees_full_names() {
        for venue_type in VenueType::ALL {
            assert_eq!(VisitorView::of(venue_type, false), VisitorView::Masked);
        }
        assert_eq!(VisitorView::of(VenueType::Clinic, true), VisitorView::Full);
        assert_eq!(
            VisitorView::of(VenueType::QuarantineCheckpoint, true),
            VisitorView::Full
        );
        assert_eq!(
            VisitorView::of(VenueType::Market, true),
            VisitorView::Masked
        );
        let visitor = visit_check_in("Nguyễn Văn An", 1, Direction::Arrival).visitor;
        assert_eq!(
            VisitorView::Masked.show(&visitor),
            (
                "NGUYỄN V. A".into(),
                Some("09******10".into()),
                Some("******509".into())
            )
        );
        // Even a full view never shows the ID number (DESIGN.md §7).
        assert_eq!(
            VisitorView::Full.show(&visitor),
            (
                "Nguyễn Văn An".into(),
                Some("0912345610".into()),
                Some("******509".into())
            )
        );
    }

    #[test]
    fn arrivals_and_departures_pair_into_visits() {
        let visits = pair_visits(masked([
            (visit_check_in("Nguyễn Văn An", 1, Direction::Arrival), 100),
            (
                visit_check_in("Trần Thị Bình", 2, Direction::Departure),
                150,
            ),
            (
                visit_check_in("Nguyễn Văn An", 1, Direction::Departure),
                200,
            ),
        ]));
        assert_eq!(visits.len(), 2);
        assert_eq!(visits[0].visit_id, Uuid::from_u128(1));
        assert_eq!(visits[0].name, "NGUYỄN V. A");
        assert_eq!(
            (visits[0].arrived_at_ms, visits[0].left_at_ms),
            (Some(100), Some(200))
        );
        assert_eq!(
            (visits[1].arrived_at_ms, visits[1].left_at_ms),
            (None, Some(150))
        );
    }

    #[test]
    fn visits_are_searched_and_sorted() {
        let mut visits = pair_visits(masked([
            (visit_check_in("Nguyễn Văn An", 1, Direction::Arrival), 100),
            (visit_check_in("Trần Thị Bình", 2, Direction::Arrival), 300),
            (visit_check_in("Lê Văn Cường", 3, Direction::Departure), 200),
        ]));
        sort_visits(&mut visits, VisitOrder::from_name(None));
        let names = |visits: &[ListedVisit]| -> Vec<String> {
            visits.iter().map(|visit| visit.name.clone()).collect()
        };
        assert_eq!(names(&visits), ["TRẦN T. B", "LÊ V. C", "NGUYỄN V. A"]);
        sort_visits(&mut visits, VisitOrder::from_name(Some("name")));
        assert_eq!(names(&visits), ["LÊ V. C", "NGUYỄN V. A", "TRẦN T. B"]);
        assert_eq!(VisitOrder::from_name(Some("time")), VisitOrder::NewestFirst);

        let mut found = visits.clone();
        search_visits(&mut found, "nguyen");
        assert_eq!(names(&found), ["NGUYỄN V. A"]);
        let mut by_phone = visits.clone();
        search_visits(&mut by_phone, "10");
        assert_eq!(by_phone.len(), 3, "the shown phone ends in 10");
        let mut hidden = visits.clone();
        search_visits(&mut hidden, "345");
        assert!(hidden.is_empty(), "masked digits cannot be searched");
        let mut all = visits.clone();
        search_visits(&mut all, "  ");
        assert_eq!(all, visits);
    }

    proptest! {
        #[test]
        fn no_field_can_start_a_formula(text in "\\PC{0,30}|[=+@\\-\\t\\r ].{0,10}") {
            let field = csv_field(&text);
            let unquoted = field.strip_prefix('"').unwrap_or(&field);
            let first = unquoted.trim_start_matches(' ').chars().next();
            prop_assert!(!matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')), "{field:?}");
        }

        #[test]
        fn pairing_sorting_and_searching_keep_every_visit_once(
            rows in proptest::collection::vec((0u128..6, any::<bool>(), -1_000i64..1_000, "\\PC{0,12}"), 0..24),
            query in "\\PC{0,4}",
            by_name in any::<bool>(),
        ) {
            let check_ins = rows.iter().map(|(visit, arrival, at, name)| {
                let direction = if *arrival { Direction::Arrival } else { Direction::Departure };
                (visit_check_in(name, *visit, direction), *at)
            });
            let mut visits = pair_visits(masked(check_ins));
            let mut ids: Vec<Uuid> = visits.iter().map(|visit| visit.visit_id).collect();
            ids.sort();
            ids.dedup();
            prop_assert_eq!(ids.len(), visits.len());
            for visit in &visits {
                let times = |arrival: bool| rows.iter().rev().find(|(id, direction, _, _)| {
                    Uuid::from_u128(*id) == visit.visit_id && *direction == arrival
                }).map(|(_, _, at, _)| *at);
                prop_assert_eq!(visit.arrived_at_ms, times(true));
                prop_assert_eq!(visit.left_at_ms, times(false));
            }
            let order = if by_name { VisitOrder::ByName } else { VisitOrder::NewestFirst };
            let before = visits.len();
            search_visits(&mut visits, &query);
            prop_assert!(visits.len() <= before);
            sort_visits(&mut visits, order);
            for pair in visits.windows(2) {
                if by_name {
                    prop_assert!(fold(&pair[0].name) <= fold(&pair[1].name));
                } else {
                    prop_assert!(pair[0].time_ms() >= pair[1].time_ms());
                }
            }
        }

        #[test]
        fn masking_never_panics(text in "\\PC{0,40}") {
            let _ = (mask_name(&text), mask_phone(&text), mask_document(&text));
        }
    }
}
