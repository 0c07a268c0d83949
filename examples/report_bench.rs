//! How long the yearly report takes at scale: a school year with 10,000
//! contacts and 500 meetings (five bodies, ten attendees each), on top of
//! the demo data. Prints the time to compute the targets, to generate the
//! report's data, and to render HTML, PDF, DOCX and ODT, and the sizes.
//!
//!   cargo run --release --example report_bench
//!   MSOHUB_BENCH_DATABASE_URL=postgres://… cargo run --release --example report_bench
//!
//! A budget lives here, not in a timed test.

use msohub_service::interactions::InteractionInput;
use msohub_service::meetings::{AttendanceInput, MeetingInput};
use msohub_service::report::Lang;
use msohub_service::{Actor, DatabaseUrl, Services};
use std::time::Instant;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = std::env::var("MSOHUB_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/bench.db", dir.path().display()));
    let services = Services::open(&DatabaseUrl::parse(&url)?, true).await?;
    let cli = Actor::cli();
    let t = Instant::now();
    services.load_demo_with(200).await?;
    println!("demo data: {:.1} s", t.elapsed().as_secs_f64());
    let period = services
        .periods(&cli)
        .await?
        .into_iter()
        .find(|p| p.name == "2020/21")
        .ok_or_else(|| anyhow::anyhow!("the demo has no 2020/21"))?;
    let orgs = services.organisation_names(&cli, 200).await?;

    let t = Instant::now();
    let kinds = ["visit", "phone", "email", "video", "meeting_at_office"];
    for i in 0..10_000usize {
        let day = period.starts_on + chrono::Duration::days((i % 360) as i64);
        let cancelled = i % 7 == 0;
        services
            .create_interaction(
                &cli,
                &InteractionInput {
                    subject: format!("Kontakt {i}"),
                    kind: kinds[i % kinds.len()].into(),
                    mode: "in_person".into(),
                    status: if cancelled { "cancelled" } else { "held" }.into(),
                    cancel_reason: if cancelled {
                        "scheduling".into()
                    } else {
                        String::new()
                    },
                    starts_at: format!("{day}T{:02}:00", 8 + i % 10),
                    organisations: vec![orgs[i % orgs.len()].id.to_string()],
                    ..Default::default()
                },
            )
            .await?;
    }
    println!(
        "10,000 contacts entered: {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let bodies = services.list_bodies(&cli, false).await?;
    let mut persons = Vec::new();
    for o in orgs.iter().take(40) {
        if let Some((_, p)) = services
            .organisation_people(&cli, o.id)
            .await?
            .into_iter()
            .next()
        {
            persons.push((o.id, p.id));
        }
    }
    for i in 0..500usize {
        let body = &bodies[i % bodies.len()];
        let day = period.starts_on + chrono::Duration::days((i % 360) as i64);
        let m = services
            .create_meeting(
                &cli,
                &MeetingInput {
                    body_id: body.id.to_string(),
                    title: format!("Sitzung {i}"),
                    starts_at: format!("{day}T17:00"),
                    mode: "in_person".into(),
                    place: "Rathaus".into(),
                    status: "held".into(),
                    ..Default::default()
                },
            )
            .await?;
        let attendance: Vec<AttendanceInput> = persons
            .iter()
            .skip(i % 30)
            .take(10)
            .map(|(org, p)| AttendanceInput {
                attendee: format!("p:{p}"),
                status: "guest".into(),
                mode: "in_person".into(),
                on_behalf_of: org.to_string(),
            })
            .collect();
        services
            .set_attendance(&cli, m.id, m.version, &attendance)
            .await?;
    }
    println!(
        "500 meetings with attendance entered: {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let letterhead = msohub_docs::report::letterhead(services.letterhead(&cli).await?);
    for round in 0..3 {
        let t = Instant::now();
        let targets = services.targets(&cli, period.id).await?;
        let targets_ms = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let report = services.report(&cli, period.id, Lang::De, None).await?;
        let report_ms = t.elapsed().as_secs_f64() * 1000.0;
        let mut line = format!(
            "round {round}: {} targets computed in {targets_ms:.0} ms; report data in {report_ms:.0} ms",
            targets.len()
        );
        for format in ["html", "pdf", "docx", "odt"] {
            let t = Instant::now();
            let file = msohub_docs::report::render(report.clone(), format, &[], Some(&letterhead))?;
            line.push_str(&format!(
                "; {format} {:.0} ms, {} bytes",
                t.elapsed().as_secs_f64() * 1000.0,
                file.bytes.len()
            ));
        }
        println!("{line}");
    }
    services.close().await;
    Ok(())
}
