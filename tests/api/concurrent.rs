//! Concurrent writers through the API: 16 writers at once against the same
//! organisation, the same meeting's attendance and the same report texts,
//! each doing read-modify-write with the version it read and trying again
//! after a 409 until its writes have landed. The end state must hold every
//! acknowledged write (no lost update) and nothing else, and every refused
//! write must have been refused with 409 (no 500, no "database is locked").

use crate::helpers::TestApp;
use crate::on_both_databases;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeMap;

on_both_databases!(sixteen_writers_lose_no_update_and_are_refused_only_with_409);

/// Writers per target.
const WRITERS: usize = 16;
/// Writes each writer lands.
const WRITES: usize = 5;
/// A writer that needs more attempts than this for one write is stuck.
const PATIENCE: usize = 500;

/// What one writer saw.
#[derive(Default)]
struct Tally {
    attempts: usize,
    /// The tokens of the writes acknowledged with 200.
    acknowledged: Vec<String>,
    conflicts: usize,
    /// Any other answer: (status, body).
    other: Vec<(u16, String)>,
}

/// Which shared record the writers fight over.
#[derive(Clone, Copy, Debug)]
enum Target {
    /// `member_count` + 1 per write (PATCH with `version`).
    Organisation,
    /// One more attendee per write (PUT of the whole list with `version`).
    Attendance,
    /// One more token in the introduction per write (PUT with `version`).
    ReportTexts,
}

/// The shared records and what the writers add.
struct Fixture {
    organisation: String,
    meeting: String,
    period: String,
    /// Per writer, the persons it adds to the attendance list, in order.
    attendees: Vec<Vec<String>>,
}

async fn sixteen_writers_lose_no_update_and_are_refused_only_with_409(app: TestApp) {
    app.sign_in("staff").await;
    let fixture = fixture(&app).await;
    let app = std::sync::Arc::new(app);
    let fixture = std::sync::Arc::new(fixture);
    // All 48 writers run at once: 16 per target, the three targets at the
    // same time (on SQLite they share one write lock).
    let mut handles = Vec::new();
    for target in [
        Target::Organisation,
        Target::Attendance,
        Target::ReportTexts,
    ] {
        for writer in 0..WRITERS {
            let (app, fixture) = (app.clone(), fixture.clone());
            handles.push((
                target,
                tokio::spawn(async move { write(&app, &fixture, target, writer).await }),
            ));
        }
    }
    let mut tallies: BTreeMap<String, Vec<Tally>> = BTreeMap::new();
    for (target, handle) in handles {
        let tally = handle.await.expect("the writer ran to its end");
        tallies
            .entry(format!("{target:?}"))
            .or_default()
            .push(tally);
    }
    let database = format!("{:?}", app.db.kind);
    let state = end_state(&app, &fixture).await;
    let mut lost_any = Vec::new();
    for (target, t) in &tallies {
        let sum = |f: fn(&Tally) -> usize| t.iter().map(f).sum::<usize>();
        let mut acknowledged: Vec<String> = t
            .iter()
            .flat_map(|t| t.acknowledged.iter().cloned())
            .collect();
        acknowledged.sort();
        let (stored, version) = &state[target];
        // Acknowledged but not in the end state: lost updates. In the end
        // state but not acknowledged: a refused write that changed something.
        let lost = missing(&acknowledged, stored);
        let unacknowledged = missing(stored, &acknowledged);
        eprintln!(
            "concurrent writers on {database}, {target}: {WRITERS} writers, {} writes attempted, {} acknowledged, {} refused with 409, {} other answers; end state {} writes (version {version}), {lost} lost, {unacknowledged} not acknowledged",
            sum(|t| t.attempts),
            acknowledged.len(),
            sum(|t| t.conflicts),
            sum(|t| t.other.len()),
            stored.len(),
        );
        if stored != &acknowledged {
            lost_any.push(format!(
                "{target}: acknowledged {acknowledged:?}, stored {stored:?}"
            ));
        }
        // Each acknowledged write made one version (the texts start at 0,
        // the organisation and the meeting at 1).
        let first = i64::from(target != "ReportTexts");
        let expected = first + i64::try_from(acknowledged.len()).unwrap();
        if *version != expected {
            lost_any.push(format!("{target}: version {version}, expected {expected}"));
        }
    }
    // Every refused write was refused with 409, nothing else.
    let other: Vec<_> = tallies
        .iter()
        .flat_map(|(target, t)| {
            t.iter()
                .flat_map(move |t| t.other.iter().map(move |o| (target, o)))
        })
        .collect();
    assert!(
        other.is_empty(),
        "answers other than 200 and 409: {other:?}"
    );
    // No lost update, and nothing refused landed.
    assert!(lost_any.is_empty(), "lost updates: {lost_any:#?}");
    for t in tallies.values().flatten() {
        assert_eq!(
            t.acknowledged.len(),
            WRITES,
            "every writer landed its writes"
        );
        assert_eq!(t.attempts, WRITES + t.conflicts, "every attempt counted");
    }
}

/// How many of `these` (counted with repetitions) `those` lack.
fn missing(these: &[String], those: &[String]) -> usize {
    let mut left: BTreeMap<&str, usize> = BTreeMap::new();
    for t in those {
        *left.entry(t).or_default() += 1;
    }
    these
        .iter()
        .filter(|t| match left.get_mut(t.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .count()
}

/// Per target, what the end state holds (sorted tokens; for the
/// organisation's counter, as many `+1` as it counts) and its version.
async fn end_state(app: &TestApp, fixture: &Fixture) -> BTreeMap<String, (Vec<String>, i64)> {
    let mut state = BTreeMap::new();
    let org = app
        .get_json(&format!("/api/v1/organisations/{}", fixture.organisation))
        .await;
    let count = usize::try_from(org["member_count"].as_i64().unwrap()).unwrap();
    state.insert(
        format!("{:?}", Target::Organisation),
        (
            vec!["+1".to_owned(); count],
            org["version"].as_i64().unwrap(),
        ),
    );
    let got = app
        .get_json(&format!("/api/v1/meetings/{}/attendance", fixture.meeting))
        .await;
    let mut present: Vec<String> = got["attendance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["attendee"].as_str().unwrap().to_owned())
        .collect();
    present.sort();
    state.insert(
        format!("{:?}", Target::Attendance),
        (present, got["version"].as_i64().unwrap()),
    );
    let texts = app
        .get_json(&format!("/api/v1/periods/{}/report/texts", fixture.period))
        .await;
    let mut tokens: Vec<String> = texts["introduction"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    tokens.sort();
    state.insert(
        format!("{:?}", Target::ReportTexts),
        (tokens, texts["version"].as_i64().unwrap()),
    );
    state
}

/// An organisation, a held meeting of a body with a person per write to
/// record, and a period without texts yet.
async fn fixture(app: &TestApp) -> Fixture {
    let org = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Verein der Schreibenden", "kind": "mso", "member_count": 0}),
        )
        .await;
    let body = app
        .created(
            "/api/v1/bodies",
            json!({"name": "Arbeitskreis Gleichzeitigkeit", "kind": "working_group"}),
        )
        .await;
    let starts_at = (msohub_service::time::today() - chrono::Duration::days(3))
        .format("%Y-%m-%dT18:00")
        .to_string();
    let meeting = app
        .created(
            "/api/v1/meetings",
            json!({"body_id": body["id"], "title": "Sitzung", "starts_at": starts_at,
                   "mode": "in_person", "status": "held"}),
        )
        .await;
    let cli = msohub_service::Actor::cli();
    let mut attendees = Vec::new();
    for writer in 0..WRITERS {
        let mut mine = Vec::new();
        for write in 0..WRITES {
            let person = app
                .services
                .create_person(
                    &cli,
                    &msohub_service::people::PersonInput {
                        given_name: format!("Gast {writer}"),
                        family_name: format!("Nummer {write}"),
                        ..Default::default()
                    },
                )
                .await
                .expect("fixture person");
            mine.push(format!("p:{}", person.id));
        }
        attendees.push(mine);
    }
    let period = app
        .created(
            "/api/v1/periods",
            json!({"kind": "calendar_year", "year": "2021"}),
        )
        .await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_owned();
    Fixture {
        organisation: id(&org),
        meeting: id(&meeting),
        period: id(&period),
        attendees,
    }
}

/// One writer: reads, changes what it read, writes with the version it
/// read; after a 409 it reads again. Stops when `WRITES` writes landed.
async fn write(app: &TestApp, fixture: &Fixture, target: Target, writer: usize) -> Tally {
    let mut tally = Tally::default();
    for n in 0..WRITES {
        let mut tries = 0;
        loop {
            tries += 1;
            assert!(
                tries <= PATIENCE,
                "{target:?} writer {writer} got no write through in {PATIENCE} attempts"
            );
            let (token, method, path, body) = match target {
                Target::Organisation => {
                    let path = format!("/api/v1/organisations/{}", fixture.organisation);
                    let org = app.get_json(&path).await;
                    let count = org["member_count"].as_i64().unwrap();
                    let body = json!({"version": org["version"], "member_count": count + 1});
                    ("+1".to_owned(), Method::PATCH, path, body)
                }
                Target::Attendance => {
                    let path = format!("/api/v1/meetings/{}/attendance", fixture.meeting);
                    let got = app.get_json(&path).await;
                    let token = fixture.attendees[writer][n].clone();
                    let mut list: Vec<Value> = got["attendance"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|a| json!({"attendee": a["attendee"], "status": a["status"], "mode": a["mode"]}))
                        .collect();
                    list.push(json!({"attendee": token, "status": "present"}));
                    let body = json!({"version": got["version"], "attendance": list});
                    (token, Method::PUT, path, body)
                }
                Target::ReportTexts => {
                    let path = format!("/api/v1/periods/{}/report/texts", fixture.period);
                    let texts = app.get_json(&path).await;
                    let token = format!("w{writer}.{n}");
                    let introduction =
                        format!("{} {token}", texts["introduction"].as_str().unwrap());
                    let body = json!({"version": texts["version"], "introduction": introduction});
                    (token, Method::PUT, path, body)
                }
            };
            tally.attempts += 1;
            let r = app
                .client
                .request(method, app.url(&path))
                .json(&body)
                .send()
                .await
                .expect("request answered");
            match r.status().as_u16() {
                200 => {
                    tally.acknowledged.push(token);
                    break;
                }
                409 => tally.conflicts += 1,
                status => {
                    let text = r.text().await.unwrap_or_default();
                    tally.other.push((status, text));
                    // Not acknowledged; give up on this writer so the
                    // test ends and reports it.
                    return tally;
                }
            }
        }
    }
    tally
}
