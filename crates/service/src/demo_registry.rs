//! Demo organisations of Lindenau: sixty hand-written ones (communities,
//! kinds and districts a city of 150,000 in North Rhine-Westphalia has), and
//! as many generated ones as a benchmark asks for. All names are invented.

use crate::organisations::OrganisationInput;

/// (name, kind, legal status, community, languages, topics, target groups, district)
type DemoOrganisation = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const ORGANISATIONS: &[DemoOrganisation] = &[
    (
        "Deutsch-Türkischer Kulturverein Lindenau",
        "mso",
        "ev",
        "türkeistämmig",
        "tr, de",
        "culture,education",
        "families,youth",
        "Nordstadt",
    ),
    (
        "Türkisch-Islamische Gemeinde Lindenau-Nord",
        "faith_community",
        "ev",
        "türkeistämmig",
        "tr, de",
        "religion,youth",
        "everyone",
        "Nordstadt",
    ),
    (
        "Kurdisches Gemeinschaftszentrum Mesopotamien",
        "mso",
        "ev",
        "kurdisch",
        "ku, tr, ar, de",
        "culture,counselling",
        "families",
        "Oststadt",
    ),
    (
        "Syrischer Elternverein Jasmin",
        "mso",
        "ev",
        "syrisch",
        "ar, de",
        "education,youth",
        "children,families",
        "Weststadt",
    ),
    (
        "Afghanischer Frauenverein Lindenau",
        "mso",
        "ev",
        "afghanisch",
        "fa, ps, de",
        "women,language",
        "women",
        "Südviertel",
    ),
    (
        "Polnische Katholische Mission St. Hedwig",
        "faith_community",
        "public_law",
        "polnisch",
        "pl, de",
        "religion,culture",
        "everyone",
        "Altstadt",
    ),
    (
        "Russischsprachiger Kulturverein Mosaik",
        "mso",
        "ev",
        "russischsprachig",
        "ru, uk, de",
        "culture,seniors",
        "seniors",
        "Lindenhöhe",
    ),
    (
        "Ukrainischer Verein Sonnenblume",
        "mso",
        "ev",
        "ukrainisch",
        "uk, ru, de",
        "refugees,counselling",
        "refugees,newcomers",
        "Kirchfeld",
    ),
    (
        "Griechische Gemeinde Lindenau",
        "mso",
        "ev",
        "griechisch",
        "el, de",
        "culture,seniors",
        "seniors,families",
        "Altstadt",
    ),
    (
        "Italienischer Kulturkreis Dante",
        "mso",
        "ev",
        "italienisch",
        "it, de",
        "culture,language",
        "everyone",
        "Altstadt",
    ),
    (
        "Marokkanischer Bildungsverein Al-Amal",
        "mso",
        "ev",
        "marokkanisch",
        "ar, fr, de",
        "education,youth",
        "youth",
        "Nordstadt",
    ),
    (
        "Eritreische Gemeinschaft Lindenau",
        "mso",
        "initiative",
        "eritreisch",
        "ti, ar, de",
        "refugees,participation",
        "refugees",
        "Hafen",
    ),
    (
        "Ghanaische Union Lindenau",
        "mso",
        "ev",
        "ghanaisch",
        "tw, en, de",
        "culture,participation",
        "families",
        "Oststadt",
    ),
    (
        "Vietnamesischer Verein Lotus",
        "mso",
        "ev",
        "vietnamesisch",
        "vi, de",
        "culture,education",
        "children,families",
        "Weststadt",
    ),
    (
        "Tamilischer Kulturverein Lindenau",
        "mso",
        "ev",
        "tamilisch",
        "ta, de",
        "culture,language",
        "children",
        "Sennefeld",
    ),
    (
        "Bosnisch-Herzegowinischer Kulturverein",
        "mso",
        "ev",
        "bosnisch",
        "bs, de",
        "culture,sports",
        "youth",
        "Südviertel",
    ),
    (
        "Albanischer Verein Iliria",
        "mso",
        "ev",
        "albanisch",
        "sq, de",
        "culture,education",
        "families",
        "Nordstadt",
    ),
    (
        "Spanische Elternvereinigung Lindenau",
        "mso",
        "ev",
        "spanisch",
        "es, de",
        "education,language",
        "children,families",
        "Lindenhöhe",
    ),
    (
        "Portugiesisches Zentrum Lindenau",
        "mso",
        "ev",
        "portugiesisch",
        "pt, de",
        "culture,seniors",
        "seniors",
        "Hafen",
    ),
    (
        "Kongolesische Gemeinschaft Lindenau",
        "mso",
        "initiative",
        "kongolesisch",
        "fr, ln, de",
        "participation,counselling",
        "newcomers",
        "Oststadt",
    ),
    (
        "Irakischer Kulturverein Babylon",
        "mso",
        "ev",
        "irakisch",
        "ar, ku, de",
        "culture,refugees",
        "refugees,families",
        "Weststadt",
    ),
    (
        "Iranischer Kulturverein Simorgh",
        "mso",
        "ev",
        "iranisch",
        "fa, de",
        "culture,language",
        "everyone",
        "Altstadt",
    ),
    (
        "Rumänischer Verein Dor",
        "mso",
        "ev",
        "rumänisch",
        "ro, de",
        "labour,counselling",
        "newcomers",
        "Kirchfeld",
    ),
    (
        "Bulgarischer Kulturverein Rodina",
        "mso",
        "ev",
        "bulgarisch",
        "bg, de",
        "culture,labour",
        "newcomers,families",
        "Hafen",
    ),
    (
        "Roma-Selbsthilfe Lindenau",
        "mso",
        "ev",
        "Roma",
        "de, sr, ro",
        "education,counselling",
        "children,families",
        "Nordstadt",
    ),
    (
        "Sudanesischer Verein Nil",
        "mso",
        "initiative",
        "sudanesisch",
        "ar, en, de",
        "refugees,participation",
        "refugees",
        "Oststadt",
    ),
    (
        "Somalischer Frauenkreis Hoyo",
        "mso",
        "initiative",
        "somalisch",
        "so, de",
        "women,health",
        "women",
        "Südviertel",
    ),
    (
        "Nigerianische Gemeinschaft Lindenau",
        "mso",
        "ev",
        "nigerianisch",
        "en, yo, ig, de",
        "culture,participation",
        "everyone",
        "Weststadt",
    ),
    (
        "Alevitische Gemeinde Lindenau",
        "faith_community",
        "ev",
        "alevitisch",
        "tr, ku, de",
        "religion,culture",
        "everyone",
        "Kirchfeld",
    ),
    (
        "Ezidisches Kulturzentrum Lindenau",
        "faith_community",
        "ev",
        "ezidisch",
        "ku, de",
        "religion,women",
        "families",
        "Sennefeld",
    ),
    (
        "Arabischer Elternverein Brücke",
        "mso",
        "ev",
        "arabischsprachig",
        "ar, de",
        "education,language",
        "children",
        "Nordstadt",
    ),
    (
        "Kroatische Katholische Gemeinde",
        "faith_community",
        "public_law",
        "kroatisch",
        "hr, de",
        "religion,culture",
        "everyone",
        "Altstadt",
    ),
    (
        "Serbischer Kulturverein Vuk Karadžić",
        "mso",
        "ev",
        "serbisch",
        "sr, de",
        "culture,youth",
        "youth",
        "Lindenhöhe",
    ),
    (
        "Chinesischer Studierendenverein Lindenau",
        "mso",
        "ev",
        "chinesisch",
        "zh, de, en",
        "education,participation",
        "youth",
        "Lindenhöhe",
    ),
    (
        "Indischer Kulturverein Namaste",
        "mso",
        "ev",
        "indisch",
        "hi, ta, en, de",
        "culture,sports",
        "families",
        "Sennefeld",
    ),
    (
        "Pakistanische Gemeinschaft Lindenau",
        "mso",
        "initiative",
        "pakistanisch",
        "ur, en, de",
        "religion,participation",
        "everyone",
        "Weststadt",
    ),
    (
        "Libanesischer Familienverein Zeder",
        "mso",
        "ev",
        "libanesisch",
        "ar, fr, de",
        "education,youth",
        "families",
        "Nordstadt",
    ),
    (
        "Palästinensischer Kulturverein Olive",
        "mso",
        "ev",
        "palästinensisch",
        "ar, de",
        "culture,women",
        "women,families",
        "Oststadt",
    ),
    (
        "Kasachisch-Deutscher Heimatverein",
        "mso",
        "ev",
        "russlanddeutsch",
        "ru, kk, de",
        "culture,seniors",
        "seniors",
        "Lindenhöhe",
    ),
    (
        "Armenischer Kulturverein Ararat",
        "mso",
        "ev",
        "armenisch",
        "hy, ru, de",
        "culture,religion",
        "everyone",
        "Altstadt",
    ),
    (
        "Georgischer Verein Lindenau",
        "mso",
        "initiative",
        "georgisch",
        "ka, ru, de",
        "culture,language",
        "newcomers",
        "Kirchfeld",
    ),
    (
        "Tunesischer Verein Karthago",
        "mso",
        "ev",
        "tunesisch",
        "ar, fr, de",
        "labour,youth",
        "youth",
        "Hafen",
    ),
    (
        "Äthiopische Gemeinschaft Abugida",
        "mso",
        "initiative",
        "äthiopisch",
        "am, de",
        "culture,refugees",
        "refugees",
        "Südviertel",
    ),
    (
        "Kamerunischer Verein Lindenau",
        "mso",
        "ev",
        "kamerunisch",
        "fr, en, de",
        "education,labour",
        "youth,newcomers",
        "Oststadt",
    ),
    (
        "Mädchen- und Frauentreff Interkulturell",
        "mso",
        "ev",
        "gemischt",
        "de, tr, ar, ru",
        "women,counselling",
        "women",
        "Weststadt",
    ),
    (
        "Jugendverband Neue Generation Lindenau",
        "mso",
        "ev",
        "gemischt",
        "de, tr, ar",
        "youth,sports",
        "youth",
        "Nordstadt",
    ),
    (
        "Interkultureller Sportverein Lindenau 09",
        "mso",
        "ev",
        "gemischt",
        "de, tr, ar, ku",
        "sports,youth",
        "youth,children",
        "Südviertel",
    ),
    (
        "Interkultureller Garten Lindenau",
        "other",
        "initiative",
        "gemischt",
        "de, ar, fa",
        "participation,health",
        "everyone",
        "Sennefeld",
    ),
    (
        "Netzwerk Migrantinnen in Arbeit",
        "mso",
        "ev",
        "gemischt",
        "de, ru, pl, tr",
        "labour,women",
        "women,newcomers",
        "Altstadt",
    ),
    (
        "Seniorentreff Heimat und Fremde",
        "mso",
        "ev",
        "gemischt",
        "de, ru, tr, el",
        "seniors,health",
        "seniors",
        "Kirchfeld",
    ),
    (
        "Dolmetscherpool Lindenau",
        "other",
        "initiative",
        "gemischt",
        "de, ar, fa, tr, ru, uk",
        "counselling,participation",
        "newcomers",
        "Altstadt",
    ),
    (
        "Elternnetzwerk Lindenau-West",
        "mso",
        "initiative",
        "gemischt",
        "de, ar, tr",
        "education,participation",
        "families",
        "Weststadt",
    ),
    (
        "Caritasverband Lindenau",
        "welfare",
        "ev",
        "",
        "de, ar, ru, uk",
        "counselling,refugees",
        "everyone",
        "Altstadt",
    ),
    (
        "Diakonie Lindenau – Migrationsdienst",
        "welfare",
        "ev",
        "",
        "de, fa, ar, tr",
        "counselling,labour",
        "newcomers,refugees",
        "Altstadt",
    ),
    (
        "AWO Integrationsagentur Lindenau",
        "welfare",
        "ev",
        "",
        "de, tr, ru",
        "counselling,education",
        "everyone",
        "Nordstadt",
    ),
    (
        "DRK Kreisverband Lindenau – Flüchtlingshilfe",
        "welfare",
        "ev",
        "",
        "de, ar, uk",
        "refugees,health",
        "refugees",
        "Hafen",
    ),
    (
        "Jobcenter Lindenau – Team Migration",
        "public_body",
        "public_law",
        "",
        "de, ar, uk, ru",
        "labour,counselling",
        "newcomers",
        "Altstadt",
    ),
    (
        "Volkshochschule Lindenau – Integrationskurse",
        "public_body",
        "public_law",
        "",
        "de",
        "language,education",
        "newcomers",
        "Altstadt",
    ),
    (
        "Hochschule Lindenau – Forschungsstelle Migration",
        "research",
        "public_law",
        "",
        "de, en",
        "education,participation",
        "everyone",
        "Lindenhöhe",
    ),
    (
        "Katholische Hochschule Lindenau – Projekt Religiöse Gemeinden im Alter",
        "research",
        "public_law",
        "",
        "de",
        "religion,seniors",
        "seniors",
        "Lindenhöhe",
    ),
];

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
    let description = format!(
        "{name} ist in Lindenau-{district} aktiv. Der Verein bietet Begegnung, Beratung und Angebote für {} in den Sprachen {languages}.",
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
