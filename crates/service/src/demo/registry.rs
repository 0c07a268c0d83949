//! Demo organisations of Lindenau: sixty hand-written ones (communities,
//! kinds and districts a city of 150,000 in North Rhine-Westphalia has), and
//! as many generated ones as a benchmark asks for. All names are invented.

use crate::organisations::OrganisationInput;

use super::organisations::ORGANISATIONS;

const DISTRICTS: &[(&str, &str, &str)] = &[
    ("Altstadt", "33098", "Marktstraße"),
    ("Nordstadt", "33102", "Bahnhofstraße"),
    ("Südviertel", "33100", "Südring"),
    ("Weststadt", "33106", "Westernstraße"),
    ("Oststadt", "33104", "Ostwall"),
    ("Hafen", "33108", "Kaistraße"),
    ("Kirchfeld", "33110", "Kirchweg"),
    ("Lindenhöhe", "33112", "Lindenallee"),
    ("Sennefeld", "33114", "Sennestraße"),
];

/// A small deterministic generator (no randomness: the demo is the same on
/// every machine, so screenshots and figures compare).
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() as usize) % items.len()]
    }
}

fn input_for(i: usize, rng: &mut Lcg) -> OrganisationInput {
    let (name, kind, legal, community, languages, topics, groups, district) =
        if i < ORGANISATIONS.len() {
            let o = ORGANISATIONS[i];
            (o.0.to_owned(), o.1, o.2, o.3, o.4, o.5, o.6, o.7)
        } else {
            let base = rng.pick(ORGANISATIONS);
            let prefix = rng.pick(&[
                "Verein",
                "Initiative",
                "Treffpunkt",
                "Forum",
                "Netzwerk",
                "Zentrum",
                "Kreis",
                "Bund",
            ]);
            let theme = rng.pick(&[
                "Kultur",
                "Bildung",
                "Begegnung",
                "Jugend",
                "Frauen",
                "Eltern",
                "Sport",
                "Musik",
                "Sprache",
                "Nachbarschaft",
            ]);
            let place = rng.pick(DISTRICTS).0;
            (
                format!("{prefix} für {theme} {place} {}", i + 1),
                base.1,
                base.2,
                base.3,
                base.4,
                base.5,
                base.6,
                place,
            )
        };
    let (_, postcode, street) = DISTRICTS
        .iter()
        .find(|d| d.0 == district)
        .copied()
        .unwrap_or(DISTRICTS[0]);
    let number = 1 + rng.next() % 120;
    // The languages as a person writes them: "Persisch, Paschtu und Deutsch".
    let names: Vec<&str> = languages
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| msohub_domain::offers::language_name(c, false).unwrap_or(c))
        .collect();
    let spoken = match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} und {last}", rest.join(", ")),
        None => "Deutsch".to_owned(),
    };
    let description = format!(
        "{name} ist in Lindenau-{district} aktiv. Der Verein bietet Begegnung, Beratung und Angebote für {} auf {spoken}.",
        match groups.split(',').next().unwrap_or("everyone") {
            "children" => "Kinder",
            "youth" => "Jugendliche",
            "women" => "Frauen",
            "families" => "Familien",
            "seniors" => "ältere Menschen",
            "refugees" | "newcomers" => "Neuzugewanderte",
            _ => "alle Interessierten",
        }
    );
    let slug: String = name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(24)
        .collect();
    OrganisationInput {
        name: name.clone(),
        kind: kind.to_owned(),
        legal_status: legal.to_owned(),
        register_court: if legal == "ev" {
            "Amtsgericht Lindenau".to_owned()
        } else {
            String::new()
        },
        register_number: if legal == "ev" {
            format!("VR {}", 1000 + (i * 37) % 8000)
        } else {
            String::new()
        },
        founding_year: (1965 + (rng.next() % 58) as i32).to_string(),
        member_count: if kind == "mso" {
            (12 + rng.next() % 400).to_string()
        } else {
            String::new()
        },
        origins: community.to_owned(),
        languages: languages.to_owned(),
        topics: topics.split(',').map(str::to_owned).collect(),
        target_groups: groups.split(',').map(str::to_owned).collect(),
        street: format!("{street} {number}"),
        postcode: postcode.to_owned(),
        city: "Lindenau".to_owned(),
        district: district.to_owned(),
        latitude: format!("{:.5}", 51.70 + (rng.next() % 600) as f64 / 10_000.0),
        longitude: format!("{:.5}", 8.70 + (rng.next() % 900) as f64 / 10_000.0),
        website: format!("www.{slug}.example"),
        email: format!("kontakt@{slug}.example"),
        phone: format!("05251 {}", 100_000 + rng.next() % 899_999),
        description,
        internal_notes: if i.is_multiple_of(7) {
            "Vorstand wechselt im Frühjahr; neue Ansprechperson erfragen.".to_owned()
        } else {
            String::new()
        },
        is_public: i % 9 != 4,
        public_parts: vec![
            "description".into(),
            "address".into(),
            "contact".into(),
            "languages".into(),
        ],
        alternate_names: if i.is_multiple_of(5) {
            format!("{} e.V.", name.split(' ').next().unwrap_or("Verein"))
        } else {
            String::new()
        },
        version: 0,
    }
}

/// The demo set: the sixty above, then generated ones up to `count`.
pub fn organisations(count: usize) -> Vec<OrganisationInput> {
    let mut rng = Lcg(20_210_614);
    (0..count).map(|i| input_for(i, &mut rng)).collect()
}

/// The office itself, listed as a public body ("our office").
pub fn own_office() -> OrganisationInput {
    OrganisationInput {
        name: "Kommunales Integrationszentrum Lindenau".into(),
        kind: "public_body".into(),
        legal_status: "public_law".into(),
        languages: "de, en, tr, ar".into(),
        topics: vec!["participation".into(), "counselling".into(), "education".into()],
        target_groups: vec!["everyone".into()],
        street: "Am Rathausplatz 1".into(),
        postcode: "33098".into(),
        city: "Lindenau".into(),
        district: "Altstadt".into(),
        website: "www.lindenau.example/integration".into(),
        email: "integration@lindenau.example".into(),
        phone: "05251 88-0".into(),
        description: "Das Kommunale Integrationszentrum Lindenau koordiniert die Zusammenarbeit mit den Migrantenselbstorganisationen der Stadt, berät und vernetzt.".into(),
        is_public: true,
        public_parts: vec!["description".into(), "address".into(), "contact".into(), "languages".into()],
        ..OrganisationInput::default()
    }
}

/// Given and family names for the demo's contact persons (invented,
/// mixed as the city's communities are).
const GIVEN: &[&str] = &[
    "Ayşe", "Mehmet", "Rana", "Omar", "Olena", "Piotr", "Maria", "Giorgos", "Fatima", "Kofi",
    "Lan", "Tharini", "Amir", "Elif", "Svetlana", "Dragan", "Leila", "Youssef", "Ana", "Nadia",
];
const FAMILY: &[&str] = &[
    "Yılmaz",
    "Kaya",
    "Haddad",
    "Al-Masri",
    "Kowalenko",
    "Nowak",
    "Rossi",
    "Papadopoulos",
    "Benali",
    "Mensah",
    "Nguyen",
    "Sivakumar",
    "Rahimi",
    "Demir",
    "Iwanowa",
    "Petrović",
    "Karimi",
    "El Amrani",
    "Costa",
    "Hashemi",
];
const ROLES: &[&str] = &[
    "Vorsitzende/r",
    "Stellvertretung",
    "Kassenwart/in",
    "Jugendleitung",
    "Ansprechperson",
];

/// (given, family, role, with public-listing consent) for organisation `i`.
pub fn contact_for(i: usize) -> (String, String, String, bool) {
    (
        GIVEN[(i * 7) % GIVEN.len()].to_owned(),
        FAMILY[(i * 11 + 3) % FAMILY.len()].to_owned(),
        ROLES[i % ROLES.len()].to_owned(),
        i % 4 != 1,
    )
}
