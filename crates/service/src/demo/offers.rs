//! Demo offers: what the demo's organisations and the office offer week by
//! week (language cafés, homework help, a women's group, counselling in
//! Arabic, Turkish, Russian and Ukrainian …). All invented.

use crate::offers::{OfferInput, Translation};
use crate::{Actor, Error, Services};
use std::collections::BTreeMap;

/// One demo offer (the organisation by its name; empty for the office).
struct Demo {
    organisation: &'static str,
    title: &'static str,
    description: &'static str,
    category: &'static str,
    target_groups: &'static [&'static str],
    ages: (&'static str, &'static str),
    languages: &'static [&'static str],
    rrule: &'static str,
    schedule_text: &'static str,
    times: (&'static str, &'static str),
    /// (cost kind, cost text)
    cost: (&'static str, &'static str),
    /// (location kind, street, postcode, city, online link)
    place: (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ),
    registration: Option<&'static str>,
    status: &'static str,
    is_public: bool,
    /// (language, title)
    translations: &'static [(&'static str, &'static str)],
}

const AT_HOME: (&str, &str, &str, &str, &str) = ("organisation", "", "", "", "");

const OFFERS: &[Demo] = &[
    Demo {
        organisation: "Deutsch-Türkischer Kulturverein Lindenau",
        title: "Sprachcafé Deutsch–Türkisch",
        description: "Ungezwungen Deutsch üben bei Tee und Gebäck. Für alle, die Deutsch lernen oder ihr Türkisch auffrischen möchten.",
        category: "language_course",
        target_groups: &["newcomers", "everyone"],
        ages: ("16", ""),
        languages: &["de", "tr"],
        rrule: "FREQ=WEEKLY;BYDAY=TU",
        schedule_text: "dienstags 17–19 Uhr",
        times: ("17:00", "19:00"),
        cost: ("free", ""),
        place: AT_HOME,
        registration: None,
        status: "active",
        is_public: true,
        translations: &[
            ("en", "Language café German–Turkish"),
            ("tr", "Almanca–Türkçe dil kafesi"),
        ],
    },
    Demo {
        organisation: "Deutsch-Türkischer Kulturverein Lindenau",
        title: "Sozialberatung auf Türkisch",
        description: "Hilfe bei Briefen von Ämtern, Anträgen und Fragen zu Schule und Arbeit – auf Türkisch und Deutsch.",
        category: "counselling",
        target_groups: &["families", "seniors"],
        ages: ("", ""),
        languages: &["tr", "de"],
        rrule: "FREQ=WEEKLY;BYDAY=TH",
        schedule_text: "donnerstags 10–12 Uhr",
        times: ("10:00", "12:00"),
        cost: ("free", ""),
        place: AT_HOME,
        registration: Some("Termin telefonisch oder in der offenen Sprechstunde"),
        status: "active",
        is_public: true,
        translations: &[("tr", "Türkçe sosyal danışmanlık")],
    },
    Demo {
        organisation: "Syrischer Elternverein Jasmin",
        title: "Hausaufgabenhilfe für Grundschulkinder",
        description: "Ehrenamtliche Lernpatinnen und -paten helfen bei den Hausaufgaben und beim Lesen.",
        category: "homework_help",
        target_groups: &["children"],
        ages: ("6", "10"),
        languages: &["ar", "de"],
        rrule: "FREQ=WEEKLY;BYDAY=MO,WE",
        schedule_text: "montags und mittwochs 15–17 Uhr",
        times: ("15:00", "17:00"),
        cost: ("free", ""),
        place: (
            "other",
            "Lindenstraße 12 (Gemeindehaus)",
            "33102",
            "Lindenau",
            "",
        ),
        registration: Some("Anmeldung über die Eltern beim Verein"),
        status: "active",
        is_public: true,
        translations: &[
            ("ar", "مساعدة في الواجبات المدرسية"),
            ("en", "Homework help"),
        ],
    },
    Demo {
        organisation: "Syrischer Elternverein Jasmin",
        title: "Beratung auf Arabisch: Schule und Kita",
        description: "Eltern erfahren, wie Schule und Kita in Deutschland funktionieren, und bekommen Hilfe bei der Anmeldung.",
        category: "parents",
        target_groups: &["families", "newcomers"],
        ages: ("", ""),
        languages: &["ar", "de"],
        rrule: "FREQ=MONTHLY;BYDAY=1SA",
        schedule_text: "jeden ersten Samstag im Monat, 11–13 Uhr",
        times: ("11:00", "13:00"),
        cost: ("free", ""),
        place: AT_HOME,
        registration: None,
        status: "active",
        is_public: true,
        translations: &[("ar", "استشارة باللغة العربية: المدرسة والحضانة")],
    },
    Demo {
        organisation: "Afghanischer Frauenverein Lindenau",
        title: "Frauentreff Gulistan",
        description: "Ein geschützter Raum für Frauen: Austausch, Ausflüge, Informationen zu Gesundheit und Beruf.",
        category: "women",
        target_groups: &["women"],
        ages: ("18", ""),
        languages: &["fa", "ps", "de"],
        rrule: "FREQ=WEEKLY;BYDAY=FR",
        schedule_text: "freitags 10–12 Uhr",
        times: ("10:00", "12:00"),
        cost: ("free", ""),
        place: AT_HOME,
        registration: None,
        status: "active",
        is_public: true,
        translations: &[("en", "Women's group Gulistan")],
    },
    Demo {
        organisation: "Russischsprachiger Kulturverein Mosaik",
        title: "Beratung auf Russisch für Seniorinnen und Senioren",
        description: "Fragen zu Rente, Pflege und Gesundheit – auf Russisch.",
        category: "counselling",
        target_groups: &["seniors"],
        ages: ("60", ""),
        languages: &["ru", "de"],
        rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        schedule_text: "jeden zweiten Mittwoch, 14–16 Uhr",
        times: ("14:00", "16:00"),
        cost: ("free", ""),
        place: AT_HOME,
        registration: Some("Anmeldung erbeten, telefonisch beim Verein"),
        status: "active",
        is_public: true,
        translations: &[("ru", "Консультация на русском языке для пожилых людей")],
    },
    Demo {
        organisation: "Russischsprachiger Kulturverein Mosaik",
        title: "Chor Mosaik",
        description: "Russische, ukrainische und deutsche Lieder; neue Stimmen sind willkommen.",
        category: "culture",
        target_groups: &["everyone"],
        ages: ("", ""),
        languages: &["ru", "uk", "de"],
        rrule: "FREQ=WEEKLY;BYDAY=TH",
        schedule_text: "donnerstags 18–20 Uhr",
        times: ("18:00", "20:00"),
        cost: ("amount", "10 € im Monat"),
        place: AT_HOME,
        registration: None,
        status: "active",
        is_public: true,
        translations: &[],
    },
    Demo {
        organisation: "Ukrainischer Verein Sonnenblume",
        title: "Beratung für Geflüchtete aus der Ukraine",
        description: "Aufenthalt, Jobcenter, Wohnungssuche: Beratung auf Ukrainisch und Russisch.",
        category: "counselling",
        target_groups: &["refugees", "newcomers"],
        ages: ("", ""),
        languages: &["uk", "ru", "de"],
        rrule: "FREQ=WEEKLY;BYDAY=MO,TH",
        schedule_text: "montags und donnerstags 9–12 Uhr",
        times: ("09:00", "12:00"),
        cost: ("free", ""),
        place: AT_HOME,
        registration: None,
        status: "active",
        is_public: true,
        translations: &[
            ("uk", "Консультації для біженців з України"),
            ("en", "Counselling for refugees from Ukraine"),
        ],
    },
    Demo {
        organisation: "Ukrainischer Verein Sonnenblume",
        title: "Online-Sprechstunde Anerkennung von Abschlüssen",
        description: "Wie werden Berufs- und Studienabschlüsse anerkannt? Fragen per Video.",
        category: "counselling",
        target_groups: &["refugees"],
        ages: ("18", ""),
        languages: &["uk", "de"],
        rrule: "FREQ=MONTHLY;BYDAY=-1TU",
        schedule_text: "am letzten Dienstag im Monat, 18 Uhr",
        times: ("18:00", "19:30"),
        cost: ("free", ""),
        place: (
            "online",
            "",
            "",
            "",
            "https://video.sonnenblume-lindenau.example/sprechstunde",
        ),
        registration: Some("Anmeldung per E-Mail; der Link kommt mit der Bestätigung"),
        status: "active",
        is_public: true,
        translations: &[],
    },
    Demo {
        organisation: "Kurdisches Gemeinschaftszentrum Mesopotamien",
        title: "Kurdischer Volkstanz für Jugendliche",
        description: "Tanzgruppe mit Auftritten bei Stadtfesten.",
        category: "youth",
        target_groups: &["youth"],
        ages: ("12", "21"),
        languages: &["ku", "de"],
        rrule: "FREQ=WEEKLY;BYDAY=SA",
        schedule_text: "samstags 14–16 Uhr",
        times: ("14:00", "16:00"),
        cost: ("free", ""),
        place: AT_HOME,
        registration: None,
        status: "paused",
        is_public: false,
        translations: &[],
    },
    Demo {
        organisation: "Italienischer Kulturkreis Dante",
        title: "Italienisch für Kinder",
        description: "Herkunftssprachlicher Unterricht in kleinen Gruppen.",
        category: "language_course",
        target_groups: &["children"],
        ages: ("6", "14"),
        languages: &["it"],
        rrule: "FREQ=WEEKLY;BYDAY=WE",
        schedule_text: "mittwochs 16–17:30 Uhr",
        times: ("16:00", "17:30"),
        cost: ("amount", "15 € im Monat"),
        place: (
            "other",
            "Schulstraße 4 (Grundschule am Park)",
            "33100",
            "Lindenau",
            "",
        ),
        registration: Some("Anmeldung zum Schuljahr beim Verein"),
        status: "active",
        is_public: true,
        translations: &[],
    },
    Demo {
        organisation: "Interkultureller Sportverein Lindenau 09",
        title: "Schwimmkurs für Frauen",
        description: "Schwimmen lernen unter Frauen, mit Trainerin.",
        category: "sport",
        target_groups: &["women"],
        ages: ("16", ""),
        languages: &["de", "ar", "tr"],
        rrule: "FREQ=WEEKLY;BYDAY=SU;COUNT=10",
        schedule_text: "sonntags 9–10 Uhr, zehn Termine",
        times: ("09:00", "10:00"),
        cost: ("on_request", ""),
        place: ("other", "Badweg 1 (Hallenbad Süd)", "33104", "Lindenau", ""),
        registration: Some("Anmeldung erforderlich, begrenzte Plätze"),
        status: "active",
        is_public: true,
        translations: &[],
    },
];

/// The office's own offers.
const OFFICE_OFFERS: &[Demo] = &[
    Demo {
        organisation: "",
        title: "Offene Sprechstunde für Migrantenorganisationen",
        description: "Beratung zu Vereinsgründung, Fördermitteln und Räumen.",
        category: "counselling",
        target_groups: &["everyone"],
        ages: ("", ""),
        languages: &["de", "en", "tr"],
        rrule: "FREQ=WEEKLY;BYDAY=WE",
        schedule_text: "mittwochs 14–16 Uhr",
        times: ("14:00", "16:00"),
        cost: ("free", ""),
        place: AT_HOME,
        registration: None,
        status: "active",
        is_public: true,
        translations: &[
            ("en", "Open office hours for migrant organisations"),
            ("tr", "Göçmen dernekleri için açık danışma saati"),
        ],
    },
    Demo {
        organisation: "",
        title: "Fördermittel-Werkstatt",
        description: "Gemeinsam Anträge schreiben: vom Projektplan bis zum Verwendungsnachweis.",
        category: "other",
        target_groups: &["everyone"],
        ages: ("", ""),
        languages: &["de"],
        rrule: "FREQ=MONTHLY;BYDAY=2TH",
        schedule_text: "jeden zweiten Donnerstag im Monat, 18–20 Uhr",
        times: ("18:00", "20:00"),
        cost: ("free", ""),
        place: AT_HOME,
        registration: Some("Anmeldung per E-Mail an das KI"),
        status: "active",
        is_public: true,
        translations: &[],
    },
    Demo {
        organisation: "",
        title: "Elterncafé Bildungssystem",
        description: "Informationen zu Schulformen und Übergängen, mit Sprachmittlung.",
        category: "parents",
        target_groups: &["families"],
        ages: ("", ""),
        languages: &["de", "ar", "uk"],
        rrule: "FREQ=MONTHLY;BYMONTHDAY=15",
        schedule_text: "am 15. jedes Monats, 10 Uhr",
        times: ("10:00", "11:30"),
        cost: ("free", ""),
        place: (
            "online",
            "",
            "",
            "",
            "https://meet.lindenau.example/elterncafe",
        ),
        registration: None,
        status: "ended",
        is_public: false,
        translations: &[],
    },
];

fn input(d: &Demo, organisation_id: String, valid_from: &str) -> OfferInput {
    let s = |v: &str| v.to_owned();
    let list = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    let translations: BTreeMap<String, Translation> = d
        .translations
        .iter()
        .map(|(lang, title)| {
            (
                (*lang).to_owned(),
                Translation {
                    title: (*title).to_owned(),
                    description: String::new(),
                },
            )
        })
        .collect();
    OfferInput {
        organisation_id,
        title: s(d.title),
        description: s(d.description),
        category: s(d.category),
        target_groups: list(d.target_groups),
        age_min: s(d.ages.0),
        age_max: s(d.ages.1),
        languages: list(d.languages),
        cost_kind: s(d.cost.0),
        cost_text: s(d.cost.1),
        registration_required: d.registration.is_some(),
        registration_how: d.registration.map(s).unwrap_or_default(),
        accessibility: String::new(),
        location_kind: s(d.place.0),
        street: s(d.place.1),
        postcode: s(d.place.2),
        city: s(d.place.3),
        online_link: s(d.place.4),
        schedule_rrule: s(d.rrule),
        schedule_text: s(d.schedule_text),
        starts_time: s(d.times.0),
        ends_time: s(d.times.1),
        valid_from: s(valid_from),
        valid_to: String::new(),
        status: s(d.status),
        contact_person_id: String::new(),
        is_public: d.is_public,
        translations,
        version: 0,
    }
}

impl Services {
    /// About twelve offers of the demo organisations (those present) and
    /// three of the office itself (the organisation named like the office).
    /// Returns how many were created. Public so tests can fill a registry.
    pub async fn load_demo_offers(&self) -> Result<usize, Error> {
        let cli = Actor::cli();
        let orgs = self.organisation_names(&cli, 5_000).await?;
        let office_name = self.office().await?.name;
        let valid_from = (crate::time::today() - chrono::Duration::days(180)).to_string();
        let mut created = 0;
        for d in OFFERS {
            let Some(org) = orgs.iter().find(|o| o.name == d.organisation) else {
                continue;
            };
            self.create_offer(&cli, &input(d, org.id.to_string(), &valid_from))
                .await?;
            created += 1;
        }
        if let Some(office) = orgs.iter().find(|o| o.name == office_name) {
            for d in OFFICE_OFFERS {
                let mut i = input(d, office.id.to_string(), &valid_from);
                if d.status == "ended" {
                    i.valid_to = (crate::time::today() - chrono::Duration::days(30)).to_string();
                }
                self.create_offer(&cli, &i).await?;
                created += 1;
            }
        }
        Ok(created)
    }
}
