//! Benchmark of the organisation index at the size of a large city's
//! registry and beyond: 20,000 generated organisations with German-ish names,
//! plausible descriptions and facet values.
//!
//! Reports the bulk rebuild time, latency percentiles of 1,000 mixed
//! searches (one word, two words, prefix, typo, filter-only), single-document
//! upsert latency (the change-feed path) and resident memory.
//! Run with `cargo bench -p msohub-search`; the data are generated from a
//! fixed seed, so runs are comparable.

use std::error::Error;
use std::time::{Duration, Instant};

use msohub_search::{OrganisationDoc, Query, SearchIndex};

const ORGANISATIONS: usize = 20_000;
const SEARCHES: usize = 1_000;
const UPSERTS: usize = 200;

const ADJECTIVES: &[&str] = &[
    "Deutsch-Türkischer",
    "Afrikanischer",
    "Arabischer",
    "Polnischer",
    "Griechischer",
    "Kurdischer",
    "Syrischer",
    "Russischsprachiger",
    "Internationaler",
    "Interkultureller",
    "Eritreischer",
    "Vietnamesischer",
    "Italienischer",
    "Ukrainischer",
    "Iranischer",
    "Afghanischer",
];
const STEMS: &[&str] = &[
    "Kultur",
    "Sport",
    "Eltern",
    "Frauen",
    "Jugend",
    "Bildungs",
    "Integrations",
    "Nachbarschafts",
    "Freundschafts",
    "Musik",
    "Tanz",
    "Theater",
    "Gemeinde",
    "Hilfs",
    "Begegnungs",
    "Senioren",
    "Studierenden",
    "Arbeiter",
    "Förder",
    "Heimat",
];
const SUFFIXES: &[&str] = &[
    "verein",
    "zentrum",
    "netzwerk",
    "initiative",
    "gemeinschaft",
    "bund",
    "kreis",
    "forum",
    "haus",
    "treff",
    "werk",
    "akademie",
];
const PLACES: &[&str] = &[
    "Nord",
    "Süd",
    "Mitte",
    "Ost",
    "West",
    "Anatolien",
    "Rheinland",
    "am Ring",
    "Altstadt",
    "Neustadt",
    "Hafen",
    "Ehrenfeld",
    "Kalk",
    "Lindenthal",
    "Mülheim",
    "Porz",
];
const ACTIVITIES: &[&str] = &[
    "Hausaufgabenhilfe für Schülerinnen und Schüler",
    "Sprachkurse in Deutsch und Türkisch",
    "Beratung für Geflüchtete und Neuzugewanderte",
    "Frauenfrühstück jeden Donnerstag",
    "Fußballtraining für Kinder und Jugendliche",
    "Folkloretanz und Musikunterricht",
    "Begleitung bei Behördengängen",
    "interkulturelle Feste im Stadtteil",
    "Seniorennachmittage mit Kaffee und Kuchen",
    "Nachhilfe in Mathematik und Englisch",
    "Elternabende zu Schule und Ausbildung",
    "Gesundheitsinformationen in mehreren Sprachen",
    "Computerkurse für Einsteiger",
    "Unterstützung bei der Arbeitssuche",
    "Theaterprojekte mit Jugendlichen",
    "Kochabende mit Gerichten aus aller Welt",
];
const OPENINGS: &[&str] = &[
    "Unser Verein bietet",
    "Wir organisieren",
    "Seit vielen Jahren gibt es bei uns",
    "Die Gemeinschaft engagiert sich für",
    "Ehrenamtliche bieten",
];
const KINDS: &[&str] = &[
    "mso",
    "welfare",
    "public_body",
    "research",
    "faith_community",
    "other",
];
const TOPICS: &[&str] = &[
    "education",
    "culture",
    "sport",
    "health",
    "women",
    "youth",
    "seniors",
    "refugees",
    "language",
    "work",
    "religion",
    "music",
    "counselling",
    "family",
    "housing",
    "anti_racism",
    "politics",
    "environment",
    "arts",
    "digital",
];
const LANGUAGES: &[&str] = &[
    "de", "tr", "ar", "en", "ru", "pl", "fa", "ku", "el", "it", "uk", "ti", "vi", "fr", "es",
];
const ORIGINS: &[&str] = &[
    "TR", "SY", "IQ", "AF", "IR", "PL", "RU", "UA", "GR", "IT", "ER", "VN", "MA", "TN", "NG", "GH",
    "CM", "SN", "KZ", "XK", "RS", "BA", "LB", "PS", "ET",
];
const DISTRICTS: &[&str] = &[
    "Innenstadt",
    "Rodenkirchen",
    "Lindenthal",
    "Ehrenfeld",
    "Nippes",
    "Chorweiler",
    "Porz",
    "Kalk",
    "Mülheim",
];

/// xorshift64*: deterministic, dependency-free, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn some(&mut self, items: &[&str], min: usize, max: usize) -> Vec<String> {
        let count = min + self.below(max - min + 1);
        let mut out: Vec<String> = Vec::new();
        while out.len() < count {
            let item = self.pick(items).to_owned();
            if !out.contains(&item) {
                out.push(item);
            }
        }
        out
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

fn organisation(rng: &mut Rng, n: usize) -> OrganisationDoc {
    let compound = format!("{}{}", rng.pick(STEMS), rng.pick(SUFFIXES));
    let name = match rng.below(4) {
        0 => format!("{} {compound} e.V.", rng.pick(ADJECTIVES)),
        1 => format!("{compound} {}", rng.pick(PLACES)),
        2 => format!(
            "{} {compound} {} {n}",
            rng.pick(ADJECTIVES),
            rng.pick(PLACES)
        ),
        _ => format!("{compound} {n}"),
    };
    let alternate_names = if rng.chance(20) {
        let acronym: String = name
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .filter(|c| c.is_uppercase())
            .collect();
        vec![acronym]
    } else {
        Vec::new()
    };
    let sentences = 2 + rng.below(3);
    let description = (0..sentences)
        .map(|_| format!("{} {}.", rng.pick(OPENINGS), rng.pick(ACTIVITIES)))
        .collect::<Vec<_>>()
        .join(" ");
    let (hi, lo) = (rng.next(), rng.next());
    OrganisationDoc {
        id: uuid::Uuid::from_u64_pair(hi, lo),
        name,
        alternate_names,
        description,
        kind: rng.pick(KINDS).to_owned(),
        district: rng.chance(90).then(|| rng.pick(DISTRICTS).to_owned()),
        languages: rng.some(LANGUAGES, 1, 3),
        topics: rng.some(TOPICS, 1, 3),
        target_groups: rng.some(&["children", "women", "seniors", "families"], 0, 2),
        origins: rng.some(ORIGINS, 1, 2),
        city: Some("Köln".to_owned()),
        public: rng.chance(85),
    }
}

/// Swaps two neighbouring letters in the middle of a word: a typical typo.
fn typo(word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let at = chars.len() / 2;
    if at + 1 < chars.len() {
        chars.swap(at, at + 1);
    }
    chars.into_iter().collect()
}

fn name_word(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(STEMS), rng.pick(SUFFIXES))
}

fn description_word(rng: &mut Rng) -> String {
    let sentence = rng.pick(ACTIVITIES);
    let words: Vec<&str> = sentence
        .split_whitespace()
        .filter(|w| w.len() > 3)
        .collect();
    words[rng.below(words.len())].to_owned()
}

fn mixed_query(rng: &mut Rng, i: usize) -> (&'static str, Query) {
    let query = |text: String| Query::text(text);
    match i % 5 {
        0 => (
            "1 word",
            query(if rng.chance(50) {
                name_word(rng)
            } else {
                description_word(rng)
            }),
        ),
        1 => (
            "2 words",
            query(format!("{} {}", rng.pick(STEMS), rng.pick(PLACES))),
        ),
        2 => {
            let word = name_word(rng);
            let len = 3 + rng.below(3);
            ("prefix", query(word.chars().take(len).collect()))
        }
        3 => ("typo", query(typo(&name_word(rng)))),
        _ => (
            "filter only",
            Query {
                topics: rng.some(TOPICS, 1, 2),
                districts: if rng.chance(50) {
                    vec![rng.pick(DISTRICTS).to_owned()]
                } else {
                    Vec::new()
                },
                public_only: rng.chance(50),
                ..Query::default()
            },
        ),
    }
}

fn resident_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn report(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let total: Duration = samples.iter().sum();
    println!(
        "{label:<14} n={:<5} mean={:>8.3?} p50={:>8.3?} p99={:>8.3?} max={:>8.3?}",
        samples.len(),
        total / samples.len().max(1) as u32,
        percentile(&samples, 0.50),
        percentile(&samples, 0.99),
        samples.last().copied().unwrap_or_default(),
    );
}

fn main() -> Result<(), Box<dyn Error>> {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not and
    // only wants to know the target builds and runs.
    let quick = !std::env::args().any(|a| a == "--bench");
    let organisations = if quick { 500 } else { ORGANISATIONS };
    let searches = if quick { 50 } else { SEARCHES };

    let rss_start = resident_mib();
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let docs: Vec<OrganisationDoc> = (0..organisations)
        .map(|n| organisation(&mut rng, n))
        .collect();
    let rss_docs = resident_mib();

    let index = SearchIndex::in_memory()?;
    let started = Instant::now();
    index.rebuild(docs.iter().cloned().map(msohub_search::Doc::from))?;
    let rebuild = started.elapsed();
    println!(
        "rebuild        {} organisations in {rebuild:.2?} ({:.0} docs/s), {} searchable",
        organisations,
        organisations as f64 / rebuild.as_secs_f64(),
        index.len()
    );
    let rss_index = resident_mib();

    // Warm-up: the first fuzzy queries build the Levenshtein automaton
    // tables once per process.
    for text in ["kulturverien", "kult", "verein schule"] {
        index.search(&Query::text(text))?;
    }

    let mut by_kind: Vec<(&str, Vec<Duration>)> = Vec::new();
    let mut all = Vec::with_capacity(searches);
    let mut found = 0usize;
    for i in 0..searches {
        let (kind, query) = mixed_query(&mut rng, i);
        let started = Instant::now();
        let results = index.search(&query)?;
        let took = started.elapsed();
        found += usize::from(results.total > 0);
        all.push(took);
        match by_kind.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, samples)) => samples.push(took),
            None => by_kind.push((kind, vec![took])),
        }
    }
    report("all searches", all);
    for (kind, samples) in by_kind {
        report(kind, samples);
    }
    println!("searches with at least one hit: {found}/{searches}");

    // A look at quality, not just speed: the best names for a few inputs.
    for text in [
        "kultur",
        "Kulturverien",
        "verein nord",
        "schule",
        "dtk",
        "kurd",
    ] {
        let results = index.search(&Query {
            limit: 3,
            ..Query::text(text)
        })?;
        let names: Vec<&str> = results
            .hits
            .iter()
            .filter_map(|hit| docs.iter().find(|d| d.id == hit.id))
            .map(|d| d.name.as_str())
            .collect();
        println!("{text:<14} {:>5} results, top: {names:?}", results.total);
    }

    let mut upserts = Vec::with_capacity(UPSERTS);
    for i in 0..if quick { 20 } else { UPSERTS } {
        let mut doc = docs[rng.below(docs.len())].clone();
        doc.name = format!("{} (geändert {i})", doc.name);
        let started = Instant::now();
        index.upsert(std::slice::from_ref(&doc))?;
        upserts.push(started.elapsed());
    }
    report("upsert 1 doc", upserts);
    println!("documents after upserts: {}", index.len());

    match (rss_start, rss_docs, rss_index, resident_mib()) {
        (Some(start), Some(docs), Some(index), Some(end)) => println!(
            "RSS MiB        start {start:.1}, generated docs {docs:.1}, after rebuild {index:.1}, end {end:.1}"
        ),
        _ => println!("RSS            not available on this platform"),
    }
    Ok(())
}
