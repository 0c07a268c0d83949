//! How long all targets of a period take at scale: a school year with
//! 100,000 contacts, 20,000 needs and 10,000 meetings (ten attendees each),
//! one target per metric. Records are written straight into the store in
//! one transaction (the use cases would take minutes); the targets are
//! computed through the use case, three rounds.
//!
//!   cargo run --release --example targets_bench
//!   MSOHUB_BENCH_DATABASE_URL=postgres://… cargo run --release --example targets_bench
//!
//! A budget lives here, not in a timed test. The records are built from
//! JSON so that the same file also runs against older code (fields it does
//! not know are ignored there).

use chrono::{Duration, TimeZone, Utc};
use msohub_service::{Actor, DatabaseUrl, Services};
use sea_orm::{Database, TransactionTrait};
use serde_json::json;
use std::time::Instant;

const CONTACTS: usize = 100_000;
const NEEDS: usize = 20_000;
const MEETINGS: usize = 10_000;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = std::env::var("MSOHUB_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/bench.db", dir.path().display()));
    let services = Services::open(&DatabaseUrl::parse(&url)?, true).await?;
    let cli = Actor::cli();
    services.load_demo_organisations(200).await?;
    let orgs = services.organisation_names(&cli, 200).await?;
    let body = services
        .create_body(
            &cli,
            &serde_json::from_value(
                json!({"kind": "integration_council", "name": "Integrationsrat"}),
            )?,
        )
        .await?;
    let period = services
        .create_period(
            &cli,
            &serde_json::from_value(json!({"kind": "school_year", "year": "2024"}))?,
        )
        .await?;

    let t = Instant::now();
    let db = Database::connect(url.as_str()).await?;
    let tx = db.begin().await?;
    let start = Utc
        .with_ymd_and_hms(2024, 8, 1, 7, 0, 0)
        .single()
        .unwrap_or_default();
    let kinds = ["visit", "phone", "email", "video", "meeting_at_office"];
    for i in 0..CONTACTS {
        let at = start + Duration::minutes((i as i64 * 5) % (364 * 24 * 60));
        let row: msohub_store::work::InteractionRow = serde_json::from_value(json!({
            "id": uuid::Uuid::now_v7(), "kind": kinds[i % kinds.len()], "mode": "in_person",
            "status": if i % 7 == 0 { "cancelled" } else { "held" }, "subject": format!("Kontakt {i}"),
            "starts_at": at, "duration_minutes": null, "cancel_reason": null, "cancel_note": null,
            "topics": "[]", "interfaces": "[]", "notes": "", "version": 1, "deleted_at": null,
            "created_by": null, "created_at": at, "updated_at": at,
        }))?;
        let row = msohub_store::work::insert_interaction(&tx, row).await?;
        msohub_store::work::set_participants(
            &tx,
            row.id,
            &msohub_store::work::Participants {
                organisations: vec![orgs[i % orgs.len()].id],
                persons: Vec::new(),
                staff: Vec::new(),
            },
        )
        .await?;
    }
    for i in 0..NEEDS {
        let at = start + Duration::hours((i as i64 * 7) % (364 * 24));
        let resolved = i % 3 == 0;
        let row: msohub_store::work::NeedRow = serde_json::from_value(json!({
            "id": uuid::Uuid::now_v7(), "organisation_id": orgs[i % orgs.len()].id,
            "category": (["rooms", "funding", "counselling", "networking"][i % 4]),
            "description": format!("Bedarf {i}"), "source": (["interaction", "portal", "other"][i % 3]),
            "source_interaction_id": null, "status": if resolved { "addressed" } else { "open" },
            "outcome": if resolved { "erledigt" } else { "" }, "version": 1, "deleted_at": null,
            "created_at": at, "updated_at": at, "reported_by": null, "urgency": "normal",
            "raised_on": at.date_naive(),
            "resolved_on": resolved.then(|| (at + Duration::days(30)).date_naive()),
        }))?;
        msohub_store::work::insert_need(&tx, row).await?;
    }
    for i in 0..MEETINGS {
        let at = start + Duration::minutes((i as i64 * 50) % (364 * 24 * 60));
        let row: msohub_store::bodies::MeetingRow = serde_json::from_value(json!({
            "id": uuid::Uuid::now_v7(), "body_id": body.id, "title": format!("Sitzung {i}"),
            "starts_at": at, "ends_at": null, "mode": "in_person", "place": "", "video_link": "",
            "status": "held", "cancel_reason": "", "minutes": "", "minutes_status": "draft",
            "oparl_id": null, "sequence": 0, "version": 1, "deleted_at": null,
            "created_at": at, "updated_at": at,
        }))?;
        let row = msohub_store::bodies::insert_meeting(&tx, row).await?;
        let attendance = (0..10)
            .map(|k| {
                serde_json::from_value(json!({
                    "meeting_id": row.id, "attendee": format!("g:{k}"), "person_id": null,
                    "user_id": null, "on_behalf_of": orgs[(i + k) % orgs.len()].id,
                    "status": if k == 9 { "absent" } else { "present" }, "mode": "in_person",
                    "updated_at": at,
                }))
            })
            .collect::<Result<Vec<msohub_store::bodies::AttendanceRow>, _>>()?;
        msohub_store::bodies::set_attendance(&tx, row.id, attendance).await?;
    }
    tx.commit().await?;
    println!(
        "{CONTACTS} contacts, {NEEDS} needs, {MEETINGS} meetings written in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    for (n, metric) in [
        "interactions",
        "meetings_held",
        "staff_attendance_rate",
        "organisations_represented",
        "needs_addressed",
        "needs_raised",
        "events_held",
        "offers_published",
    ]
    .iter()
    .enumerate()
    {
        let input = serde_json::from_value(json!({
            "period_id": period.id, "number": (n + 1).to_string(), "title": metric,
            "metric": metric, "wanted": "10", "body_id": body.id, "organisation_kinds": ["mso"],
        }))?;
        if let Err(e) = services.create_target(&cli, &input).await {
            println!("{metric}: not known here ({e})");
        }
    }
    for round in 1..=3 {
        let t = Instant::now();
        let targets = services.targets(&cli, period.id).await?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let figures: Vec<String> = targets
            .iter()
            .map(|t| format!("{}={}", t.metric, t.actual))
            .collect();
        println!(
            "round {round}: {} targets in {ms:.0} ms ({})",
            targets.len(),
            figures.join(", ")
        );
    }
    services.close().await;
    Ok(())
}
