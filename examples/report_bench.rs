//! How long the yearly report takes at scale: a school year with 10,000
//! contacts and 500 meetings (five bodies, ten attendees each), 8 projects
//! and 40 targets (a mix of metrics: contacts, the bodies' attendance,
//! meetings and organisations represented, needs, events, offers, manual
//! figures), on top of the demo data. Prints the time to compute the
//! targets, to list the items beyond the targets, to generate the report's
//! data (the whole period and one chapter), and to render HTML, PDF, DOCX
//! and ODT, and the sizes.
//!
//!   cargo run --release --example report_bench
//!   MSOHUB_BENCH_DATABASE_URL=postgres://… cargo run --release --example report_bench
//!
//! A budget lives here, not in a timed test.

use msohub_service::interactions::InteractionInput;
use msohub_service::meetings::{AttendanceInput, MeetingInput};
use msohub_service::projects::ProjectInput;
use msohub_service::report::Lang;
use msohub_service::targets::TargetInput;
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

    // Eight projects with 40 targets in all, spread over them.
    let t = Instant::now();
    let mut projects = services.projects(&cli).await?;
    let names = [
        "Bildung",
        "Integrationskurse",
        "Interkulturelle Öffnung der Verwaltung",
        "Ehrenamt und Engagement",
        "Arbeitsmarkt",
        "Gesundheit und Pflege",
        "Sport und Freizeit",
    ];
    for name in names {
        if projects.len() >= 8 {
            break;
        }
        if projects.iter().any(|p| p.name == name) {
            continue;
        }
        let counts = match projects.len() % 3 {
            0 => vec!["contacts".to_owned()],
            1 => vec!["contacts".to_owned(), "meetings".to_owned()],
            _ => vec!["meetings".to_owned(), "events".to_owned()],
        };
        services
            .create_project(
                &cli,
                &ProjectInput {
                    name: name.into(),
                    description: format!("Das Handlungsfeld {name} im Rahmen des KI."),
                    chart_counts: counts,
                    ..Default::default()
                },
            )
            .await?;
        projects = services.projects(&cli).await?;
    }
    let existing = services.targets(&cli, period.id).await?.len();
    for i in existing..40 {
        let project = &projects[i % projects.len()];
        let body = bodies[i % bodies.len()].id.to_string();
        let (metric, title) = match i % 9 {
            0 => ("interactions", "Besuche bei Migrantenorganisationen"),
            1 => ("staff_attendance_rate", "Teilnahme an den Sitzungen"),
            2 => ("meetings_held", "Sitzungen des Gremiums"),
            3 => ("organisations_represented", "Organisationen vertreten"),
            4 => ("needs_addressed", "Bedarfe erfüllt"),
            5 => ("needs_raised", "Bedarfe gemeldet"),
            6 => ("events_held", "Eigene Veranstaltungen"),
            7 => ("offers_published", "Angebote veröffentlicht"),
            _ => ("manual", "Elterncafés"),
        };
        let body_metric = matches!(
            metric,
            "staff_attendance_rate" | "meetings_held" | "organisations_represented"
        );
        services
            .create_target(
                &cli,
                &TargetInput {
                    period_id: period.id.to_string(),
                    project_id: project.id.to_string(),
                    number: (i + 1).to_string(),
                    title: format!("{title} ({})", i + 1),
                    metric: metric.into(),
                    kinds: if metric == "interactions" {
                        vec![kinds[i % kinds.len()].into()]
                    } else {
                        Vec::new()
                    },
                    organisation_kinds: if metric == "interactions" && i % 2 == 0 {
                        vec!["mso".into()]
                    } else {
                        Vec::new()
                    },
                    body_id: if body_metric { body } else { String::new() },
                    wanted: if metric == "staff_attendance_rate" {
                        "100".into()
                    } else {
                        (5 + i * 7 % 40).to_string()
                    },
                    manual_value: if metric == "manual" {
                        (i % 6).to_string()
                    } else {
                        String::new()
                    },
                    ..Default::default()
                },
            )
            .await?;
    }
    let targets = services.targets(&cli, period.id).await?;
    println!(
        "{} projects, {} targets: {:.1} s",
        projects.len(),
        targets.len(),
        t.elapsed().as_secs_f64()
    );
    let chapter = projects
        .iter()
        .max_by_key(|p| targets.iter().filter(|t| t.project_id == p.id).count())
        .map(|p| p.id)
        .ok_or_else(|| anyhow::anyhow!("no project"))?;

    let letterhead = msohub_docs::report::letterhead(services.letterhead(&cli).await?);
    for round in 0..3 {
        let t = Instant::now();
        let targets = services.targets(&cli, period.id).await?;
        let targets_ms = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let beyond = services.beyond_items(&cli, period.id, Lang::De).await?;
        let beyond_ms = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let report = services.report(&cli, period.id, Lang::De, None).await?;
        let report_ms = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let one = services
            .report(&cli, period.id, Lang::De, Some(chapter))
            .await?;
        let chapter_ms = t.elapsed().as_secs_f64() * 1000.0;
        println!(
            "round {round}: {} targets computed in {targets_ms:.0} ms; {} beyond items in \
             {beyond_ms:.0} ms; report data: whole period ({} chapters) {report_ms:.0} ms, \
             one chapter ({} targets) {chapter_ms:.0} ms",
            targets.len(),
            beyond.len(),
            report.chapters.len(),
            one.chapters.first().map_or(0, |c| c.targets.len()),
        );
        for (what, report) in [("whole period", &report), ("one chapter", &one)] {
            let mut line = format!("  {what}:");
            for format in ["html", "pdf", "docx", "odt"] {
                let t = Instant::now();
                let file =
                    msohub_docs::report::render(report.clone(), format, &[], Some(&letterhead))?;
                line.push_str(&format!(
                    " {format} {:.0} ms, {} bytes;",
                    t.elapsed().as_secs_f64() * 1000.0,
                    file.bytes.len()
                ));
            }
            println!("{}", line.trim_end_matches(';'));
        }
    }
    services.close().await;
    Ok(())
}
