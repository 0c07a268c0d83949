//! Builds the public directory at city scale for a load test: the demo with
//! 20,000 organisations, plus 200,000 offers spread over them (nine in ten
//! public, every fourth with a Turkish translation). Then prints the
//! database URL to start the server on, and the pages to measure.
//!
//!   cargo run --release --example directory_bench -- /tmp/dirbench
//!   target/release/msohub serve --database-url sqlite:///tmp/dirbench/bench.db
//!   scripts/bench-directory http://127.0.0.1:8080   # wrk, 10 s per page
//!
//! Offers are written straight into the table in transactions of 5,000
//! (the service layer would validate and audit each one, which is what the
//! offer tests measure); the server builds its indexes from them at start.

use msohub_service::{DatabaseUrl, Services};
use msohub_store::offers::{OfferRow, insert_offer};
use sea_orm::TransactionTrait;
use std::time::Instant;

const OFFERS: usize = 200_000;
const ORGANISATIONS: usize = 20_000;

const TITLES: &[(&str, &str)] = &[
    ("language_course", "Deutschkurs"),
    ("homework_help", "Hausaufgabenhilfe"),
    ("parents", "Elterncafé"),
    ("counselling", "Sozialberatung"),
    ("culture", "Kulturabend"),
    ("sport", "Fußballtraining"),
    ("women", "Frauenfrühstück"),
    ("youth", "Jugendtreff"),
    ("religion", "Gesprächskreis"),
    ("other", "Computerkurs"),
];
const GROUPS: &[&str] = &["families", "youth", "women", "everyone"];
const LANGUAGES: &[&str] = &["de", "tr", "ar", "ru", "uk", "fa", "pl", "ro", "ku", "en"];

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/dirbench".to_owned());
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{dir}/bench.db");
    let t = Instant::now();
    let services = Services::open(&DatabaseUrl::parse(&format!("{url}?mode=rwc"))?, true).await?;
    services.load_demo_with(ORGANISATIONS).await?;
    services.close().await;
    println!(
        "demo with {ORGANISATIONS} organisations: {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let store = msohub_store::Store::connect(&DatabaseUrl::parse(&url)?).await?;
    let conn = store.conn();
    let orgs = msohub_store::organisations::all_live(conn).await?;
    let t = Instant::now();
    let now = chrono::Utc::now();
    for chunk in (0..OFFERS).collect::<Vec<_>>().chunks(5_000) {
        let tx = conn.begin().await?;
        for &i in chunk {
            let (category, word) = TITLES[i % TITLES.len()];
            let org = &orgs[i % orgs.len()];
            let title = format!("{word} {} {}", org.district.clone().unwrap_or_default(), i);
            let langs = [LANGUAGES[i % LANGUAGES.len()], "de"];
            let translations = if i % 4 == 0 {
                serde_json::json!({"tr": {"title": format!("{word} (tr) {i}"), "description": "Herkese açık."}})
                    .to_string()
            } else {
                "{}".to_owned()
            };
            insert_offer(
                &tx,
                OfferRow {
                    id: uuid::Uuid::now_v7(),
                    organisation_id: org.id,
                    search_text: msohub_domain::organisation::fold(&title),
                    title,
                    description: format!(
                        "{word} für alle Interessierten, jede Woche. Angebot Nummer {i} von {}.",
                        org.name
                    ),
                    category: category.to_owned(),
                    target_groups: serde_json::json!([GROUPS[i % GROUPS.len()]]).to_string(),
                    age_min: None,
                    age_max: None,
                    languages: serde_json::json!(langs).to_string(),
                    cost_kind: if i % 3 == 0 { "free" } else { "amount" }.to_owned(),
                    cost_text: if i % 3 == 0 {
                        String::new()
                    } else {
                        "3 €".to_owned()
                    },
                    registration_required: i % 2 == 0,
                    registration_how: String::new(),
                    accessibility: String::new(),
                    location_kind: if i % 5 == 0 { "online" } else { "organisation" }.to_owned(),
                    street: String::new(),
                    postcode: String::new(),
                    city: String::new(),
                    online_link: if i % 5 == 0 {
                        "https://meet.example/x".to_owned()
                    } else {
                        String::new()
                    },
                    schedule_rrule: "FREQ=WEEKLY;BYDAY=TU".to_owned(),
                    schedule_text: "dienstags".to_owned(),
                    starts_time: Some("16:00".to_owned()),
                    ends_time: Some("18:00".to_owned()),
                    valid_from: None,
                    valid_to: None,
                    status: "active".to_owned(),
                    contact_person_id: None,
                    is_public: i % 10 != 7,
                    translations,
                    version: 1,
                    deleted_at: None,
                    created_at: now,
                    updated_at: now,
                },
            )
            .await?;
        }
        tx.commit().await?;
    }
    println!(
        "{OFFERS} offers written: {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let some_org = orgs
        .iter()
        .find(|o| o.is_public)
        .map(|o| o.id)
        .unwrap_or_default();
    println!("database: {url}");
    println!("organisation page: /de/organisations/{some_org}");
    Ok(())
}
