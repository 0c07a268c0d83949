//! The binary itself: `--help`, `migrate`, `demo`, `serve`, and clear
//! one-line errors for bad start-up input.

use crate::helpers::TestDb;
use crate::on_both_databases;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn msohub() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_msohub"));
    cmd.env_remove("MSOHUB_DATABASE_URL")
        .env_remove("MSOHUB_BIND")
        .env("MSOHUB_LOG", "warn");
    cmd
}

/// Runs the binary and returns (success, stdout, stderr).
fn run(cmd: &mut Command) -> (bool, String, String) {
    let out = cmd.output().expect("the binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A failed start: non-zero exit, one clear line, no panic trace.
fn assert_clear_failure(cmd: &mut Command, expected: &str) {
    let (ok, _stdout, stderr) = run(cmd);
    assert!(!ok, "should fail: {stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected, got:\n{stderr}");
    assert!(lines[0].starts_with("msohub: error: "), "{stderr}");
    assert!(
        lines[0].contains(expected),
        "expected {expected:?} in {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn help_lists_every_setting_with_its_environment_variable() {
    let (ok, stdout, _) = run(msohub().args(["serve", "--help"]));
    assert!(ok);
    for needle in [
        "--bind",
        "MSOHUB_BIND",
        "--database-url",
        "MSOHUB_DATABASE_URL",
        "--demo",
        "MSOHUB_DEMO",
        "--log",
        "MSOHUB_LOG",
    ] {
        assert!(stdout.contains(needle), "{needle} missing in\n{stdout}");
    }
    let (ok, stdout, _) = run(msohub().arg("--help"));
    assert!(ok);
    for sub in ["serve", "migrate", "demo"] {
        assert!(stdout.contains(sub), "{sub} missing in\n{stdout}");
    }
}

#[test]
fn a_malformed_database_url_is_named() {
    assert_clear_failure(
        msohub().args(["migrate", "--database-url", "mysql://localhost/x"]),
        "is not valid",
    );
    assert_clear_failure(
        msohub().args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--database-url",
            "postgres://",
        ]),
        "is not valid",
    );
}

#[test]
fn an_unreachable_database_is_named_without_its_password() {
    let start = Instant::now();
    let (ok, _, stderr) = run(msohub().args([
        "serve",
        "--bind",
        "127.0.0.1:0",
        "--database-url",
        "postgres://app:topsecret@127.0.0.1:1/msohub",
    ]));
    assert!(!ok);
    assert!(
        stderr.contains("cannot connect to the database"),
        "{stderr}"
    );
    assert!(stderr.to_lowercase().contains("refused"), "{stderr}");
    assert!(!stderr.contains("topsecret"), "{stderr}");
    assert!(start.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_port_in_use_is_named() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/x.db", dir.path().display());
    assert_clear_failure(
        msohub().args(["serve", "--bind", &addr, "--database-url", &url]),
        &format!("cannot listen on {addr}"),
    );
    assert_clear_failure(
        msohub().args(["serve", "--bind", "not-an-address", "--database-url", &url]),
        "is not valid",
    );
}

#[test]
fn an_unwritable_data_folder_is_named() {
    // /proc refuses new folders even to root, so this holds in CI too.
    assert_clear_failure(
        msohub().args([
            "migrate",
            "--database-url",
            "sqlite:///proc/msohub-test/x.db",
        ]),
        "cannot use the data folder /proc/msohub-test",
    );
}

on_both_databases!(
    migrate_and_demo_from_the_command_line,
    serve_answers_its_first_request,
    reindex_builds_the_index_folder_and_refuses_one_in_use
);

async fn reindex_builds_the_index_folder_and_refuses_one_in_use(db: TestDb) {
    let url = db.url.clone();
    tokio::task::spawn_blocking(move || {
        let (ok, _, stderr) = run(msohub().args(["demo", "--database-url", &url]));
        assert!(ok, "{stderr}");
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("index");
        let folder_arg = folder.display().to_string();
        let reindex = || {
            let mut cmd = msohub();
            cmd.args([
                "reindex",
                "--database-url",
                &url,
                "--index-dir",
                &folder_arg,
            ]);
            cmd
        };
        let (ok, stdout, stderr) = run(&mut reindex());
        assert!(ok, "{stderr}");
        assert!(
            stdout.contains("organisations and offers indexed"),
            "{stdout}"
        );
        // What it wrote is what a server opens: the stamp matches.
        let staff = msohub_search::SearchIndex::open(&folder.join("staff")).unwrap();
        assert!(staff.stamp.is_some(), "stamped");
        assert!(!staff.index.is_empty());
        // Held (as by a running server): refused in one line, naming why.
        assert_clear_failure(&mut reindex(), "in use by a running msohub server");
        drop(staff);
        assert!(run(&mut reindex()).0, "free again");
    })
    .await
    .unwrap();
}

async fn migrate_and_demo_from_the_command_line(db: TestDb) {
    let url = db.url.clone();
    tokio::task::spawn_blocking(move || {
        let (ok, stdout, stderr) = run(msohub().args(["migrate", "--database-url", &url]));
        assert!(ok, "{stderr}");
        assert!(stdout.contains("applied m0001_foundation"), "{stdout}");
        let (ok, stdout, _) = run(msohub().args(["migrate", "--database-url", &url]));
        assert!(ok);
        assert!(stdout.contains("already up to date"), "{stdout}");
        let (ok, stdout, stderr) = run(msohub().args(["demo"]).env("MSOHUB_DATABASE_URL", &url));
        assert!(ok, "{stderr}");
        assert!(
            stdout.contains("Kommunales Integrationszentrum Lindenau"),
            "{stdout}"
        );
        // Demo data never goes into a database that holds data.
        assert_clear_failure(msohub().args(["demo", "--database-url", &url]), "not empty");
        // The demo's current school year, reported from the command line.
        let period = msohub_service::targets::school_year_of(msohub_service::time::today());
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bericht.md");
        let (ok, stdout, stderr) = run(msohub().args([
            "report",
            "--period",
            &period,
            "--format",
            "md",
            "--output",
            file.to_str().unwrap(),
            "--database-url",
            &url,
        ]));
        assert!(ok, "{stderr}");
        assert!(stdout.contains("written to"), "{stdout}");
        let md = std::fs::read_to_string(&file).unwrap();
        assert!(md.starts_with(&format!("# Sachbericht {period}")), "{md}");
        // Every organisation out, as JSON and as CSV for German Excel.
        let json_file = dir.path().join("orgs.json");
        let (ok, _, stderr) = run(msohub().args([
            "export",
            "organisations",
            "--format",
            "json",
            "--output",
            json_file.to_str().unwrap(),
            "--database-url",
            &url,
        ]));
        assert!(ok, "{stderr}");
        assert!(stderr.contains("written to"), "{stderr}");
        let orgs: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&json_file).unwrap()).unwrap();
        assert!(orgs.as_array().unwrap().len() >= 60, "the demo's organisations");
        // Invitations into the portal: a contact person by e-mail address,
        // for an organisation they belong to; the link is printed once
        // (no mail server here). Someone with an account already is
        // refused, an unknown address named.
        let (ok, people, stderr) = run(msohub().args([
            "export", "persons", "--format", "json", "--database-url", &url,
        ]));
        assert!(ok, "{stderr}");
        let people: serde_json::Value = serde_json::from_str(&people).unwrap();
        let pick = |i: usize| {
            let p = &people.as_array().unwrap()[i];
            (
                p["email"].as_str().unwrap().to_owned(),
                p["affiliations"][0]["organisation_id"].as_str().unwrap().to_owned(),
            )
        };
        let all = people.as_array().unwrap();
        // (Demo names repeat, so the person is named by id; the e-mail
        // path is taken below.)
        let (person, org) = all
            .iter()
            .find(|p| {
                p["affiliations"][0]["organisation_id"].is_string()
                    && !stdout_has_account(&url, p["email"].as_str().unwrap_or_default())
            })
            .map(|p| {
                (
                    p["id"].as_str().unwrap().to_owned(),
                    p["affiliations"][0]["organisation_id"].as_str().unwrap().to_owned(),
                )
            })
            .expect("a contact person without an account");
        let (ok, out, stderr) = run(msohub().args([
            "invite", &person, "--organisation", &org, "--database-url", &url,
        ]));
        assert!(ok, "{stderr}");
        let last = out.lines().last().unwrap_or_default();
        assert!(last.contains("/portal/") && last.contains("/invitation/"), "{out}");
        assert_clear_failure(
            msohub().args(["invite", "niemand@mail.example", "--organisation", &org, "--database-url", &url]),
            "no person with the e-mail address niemand@mail.example",
        );
        let (_, ayse_org) = (0..10)
            .map(pick)
            .find(|(e, _)| e == "ayse.almasri@mail.example")
            .expect("the demo's first representative");
        assert_clear_failure(
            msohub().args(["invite", "ayse.almasri@mail.example", "--organisation", &ayse_org, "--database-url", &url]),
            "person-has-account",
        );
        let (ok, csv, stderr) = run(msohub().args([
            "export", "offers", "--format", "csv", "--style", "machine", "--database-url", &url,
        ]));
        assert!(ok, "{stderr}");
        assert!(csv.starts_with("\u{feff}id;"), "{csv:.200}");
        // For people unless asked otherwise: headers and labels in words.
        let (ok, csv, stderr) = run(msohub().args([
            "export", "offers", "--format", "csv", "--lang", "en", "--database-url", &url,
        ]));
        assert!(ok, "{stderr}");
        assert!(csv.starts_with("\u{feff}Title;Organisation;Category;"), "{csv:.200}");
        assert_clear_failure(
            msohub().args(["export", "users", "--database-url", &url]),
            "cannot export \"users\"",
        );
        assert_clear_failure(
            msohub().args(["export", "events", "--format", "xlsx", "--database-url", &url]),
            "give --output FILE",
        );
        // Import: a dry run writes nothing; the commit adds the rows; a file
        // with an error imports nothing and names the row.
        let list = dir.path().join("neue-vereine.csv");
        std::fs::write(&list, "Vereinsname;PLZ;Ort\nCLI-Verein Eins;01067;Dresden\nCLI-Verein Zwei;04109;Leipzig\n").unwrap();
        let (ok, _, stderr) = run(msohub().args([
            "import", "organisations", list.to_str().unwrap(), "--dry-run", "--database-url", &url,
        ]));
        assert!(ok, "{stderr}");
        assert!(stderr.contains("dry run, nothing written: 2 would be created"), "{stderr}");
        assert!(stderr.contains("Vereinsname → name"), "{stderr}");
        let (ok, _, stderr) = run(msohub().args([
            "import", "organisations", list.to_str().unwrap(), "--database-url", &url,
        ]));
        assert!(ok, "{stderr}");
        assert!(stderr.contains("imported organisations: 2 created, 0 updated"), "{stderr}");
        let (ok, _, stderr) = run(msohub().args([
            "import", "organisations", list.to_str().unwrap(), "--on-match", "skip", "--database-url", &url,
        ]));
        assert!(ok, "{stderr}");
        assert!(stderr.contains("0 created, 0 updated, 2 skipped"), "{stderr}");
        std::fs::write(&list, "Vereinsname;PLZ\nGuter Verein;01067\nSchlechter Verein;1067\n").unwrap();
        let (ok, _, stderr) = run(msohub().args([
            "import", "organisations", list.to_str().unwrap(), "--database-url", &url,
        ]));
        assert!(!ok);
        assert!(stderr.contains("row 3, column B (PLZ): error: Eine Postleitzahl hat fünf Ziffern."), "{stderr}");
        assert!(stderr.contains("1 errors in neue-vereine.csv: nothing was imported"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_clear_failure(
            msohub().args(["import", "users", list.to_str().unwrap(), "--database-url", &url]),
            "cannot import \"users\"",
        );
        // Backup and restore into a new SQLite file; a second restore into
        // the same (now filled) database is refused.
        let archive = dir.path().join("backup.zip");
        let (ok, stdout, stderr) = run(msohub().args([
            "backup",
            archive.to_str().unwrap(),
            "--database-url",
            &url,
        ]));
        assert!(ok, "{stderr}");
        assert!(stdout.contains(&format!("backup of {} tables", msohub_store::backup::TABLES.len())), "{stdout}");
        assert!(stdout.contains("read back: every table's rows and checksum match"), "{stdout}");
        // Checked without a database: what it holds, or why it is none.
        let (ok, stdout, stderr) = run(msohub().args(["restore", "--check", archive.to_str().unwrap()]));
        assert!(ok, "{stderr}");
        assert!(stdout.contains("a valid msohub backup") && stdout.contains("schema version"), "{stdout}");
        assert_clear_failure(
            msohub().args(["restore", "--check", list.to_str().unwrap()]),
            "not a backup archive",
        );
        let target = format!("sqlite://{}/restored.db", dir.path().display());
        let (ok, stdout, stderr) = run(msohub().args([
            "restore",
            archive.to_str().unwrap(),
            "--database-url",
            &target,
        ]));
        assert!(ok, "{stderr}");
        assert!(stdout.contains("every table matches its checksum"), "{stdout}");
        assert_clear_failure(
            msohub().args(["restore", archive.to_str().unwrap(), "--database-url", &target]),
            "the database is not empty",
        );
        assert_clear_failure(
            msohub().args(["backup", archive.to_str().unwrap(), "--database-url", &url]),
            "cannot create",
        );
        assert!(
            md.contains("### Ziel 1: Mindestens sechs Besuche bei Migrantenorganisationen"),
            "{md}"
        );
        assert!(md.contains("Die angestrebten Ziele wurden"), "{md}");
        let (ok, stdout, _) = run(msohub().args([
            "report",
            "--period",
            &period,
            "--format",
            "html",
            "--database-url",
            &url,
        ]));
        assert!(ok);
        assert!(
            stdout.contains("<h1 class=\"kern-heading-x-large\" id=\"report-title\">"),
            "{stdout}"
        );
        assert_clear_failure(
            msohub().args(["report", "--period", "1999/00", "--database-url", &url]),
            "no period",
        );
        assert_clear_failure(
            msohub().args([
                "report",
                "--period",
                &period,
                "--format",
                "pdf",
                "--database-url",
                &url,
            ]),
            "--output",
        );
        assert_clear_failure(
            msohub().args([
                "report", "--period", &period, "--format", "rtf", "--database-url", &url,
            ]),
            "not known",
        );
        // The demo holds the seed's year 2020/21, finalised once; its PDF
        // reads like the seed report.
        let pdf = dir.path().join("bericht.pdf");
        let (ok, stdout, stderr) = run(msohub().args([
            "report",
            "--period",
            "2020/21",
            "--format",
            "pdf",
            "--output",
            pdf.to_str().unwrap(),
            "--database-url",
            &url,
        ]));
        assert!(ok, "{stderr}");
        assert!(stdout.contains("bytes)"), "{stdout}");
        let text = msohub_typeset::pdf_text(&std::fs::read(&pdf).unwrap()).unwrap();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for fact in [
            "Sachbericht 2020/21",
            "0 von 6 Besuchen – nicht erreicht",
            "Kontaktbeschränkungen",
            "Arbeitskreis Migrantenorganisationen (gegründet am 01.09.2020; Zweck: Austausch der Migrantenorganisationen untereinander und mit dem KI; Bedarfe bündeln, gemeinsame Vorhaben planen): 2 Sitzungen – 14.09.2020 in Präsenz, 24.11.2020 digital; 7 Organisationen vertreten",
            "1 von 3 Sitzungen (33 %) – teilweise erreicht",
            "Die angestrebten Ziele wurden teilweise erreicht.",
            "Eine Mitarbeiterin des KI war bis Ende 2020 Mitglied des Gremiums",
            "Das KI organisierte die Veranstaltung „Verleihung des Integrationspreises 2021“ (März 2021).",
            "Lindenau, im Juli 2021",
        ] {
            assert!(text.contains(fact), "missing {fact:?} in {text}");
        }
        let (ok, stdout, stderr) = run(msohub().args([
            "report", "--period", "2020/21", "--finalise", "--note", "Korrektur", "--database-url", &url,
        ]));
        assert!(ok, "{stderr}");
        assert!(stdout.contains("finalised as version 2"), "{stdout}");
        let (ok, stdout, _) = run(msohub().args([
            "report", "--period", "2020/21", "--frozen", "1", "--format", "md", "--lang", "en", "--database-url", &url,
        ]));
        assert!(ok);
        assert!(stdout.contains("**The targets were partly met.**"), "{stdout}");
        assert_clear_failure(
            msohub().args([
                "report", "--period", "2020/21", "--frozen", "9", "--database-url", &url,
            ]),
            "has no version 9",
        );
    })
    .await
    .unwrap();
    // A survey's answers and personal links from the command line.
    let services = msohub_service::Services::open(
        &msohub_service::DatabaseUrl::parse(&db.url).unwrap(),
        false,
    )
    .await
    .unwrap();
    let survey = services
        .list_surveys(&msohub_service::Actor::cli())
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.sent_at.is_some())
        .expect("the demo's sent survey");
    services.close().await;
    let url = db.url.clone();
    tokio::task::spawn_blocking(move || {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("antworten.xlsx");
        let id = survey.id.to_string();
        let (ok, _, stderr) = run(msohub().args([
            "survey",
            "export",
            &id,
            "--output",
            file.to_str().unwrap(),
            "--database-url",
            &url,
        ]));
        assert!(ok, "{stderr}");
        let bytes = std::fs::read(&file).unwrap();
        assert!(bytes.starts_with(b"PK"), "an XLSX (zip) file");
        let (ok, stdout, stderr) =
            run(msohub().args(["survey", "links", &id, "--database-url", &url]));
        assert!(ok, "{stderr}");
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), survey.recipients, "{stdout}");
        assert!(
            lines
                .iter()
                .all(|l| l.contains("\t") && l.contains("/portal/de/survey-link/"))
        );
        assert_clear_failure(
            msohub().args([
                "survey",
                "links",
                &uuid::Uuid::now_v7().to_string(),
                "--database-url",
                &url,
            ]),
            "no such record",
        );
    })
    .await
    .unwrap();
}

/// Kills the server when the test ends, even when it fails half-way (a
/// stray server would keep the test runner's output pipe open).
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn serve_answers_its_first_request(db: TestDb) {
    let child = msohub()
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .env("MSOHUB_DATABASE_URL", &db.url)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut child = KillOnDrop(child);
    let stdout = child.0.stdout.take().unwrap();
    let (line, notices) = tokio::task::spawn_blocking(move || {
        let mut reader = BufReader::new(stdout);
        let mut notices = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap() == 0 {
                return (line, notices);
            }
            if line.contains("listening on") {
                return (line, notices);
            }
            notices.push_str(&line);
        }
    })
    .await
    .unwrap();
    // Demo sign-ins are printed for the person trying msohub out.
    assert!(
        notices.contains("demo sign-in (admin): m.berger@ki-lindenau.example"),
        "{notices}"
    );
    let address = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    let health = reqwest::get(format!("{address}/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
    let home = reqwest::get(format!("{address}/de/")).await.unwrap();
    assert!(home.text().await.unwrap().contains("Lindenau"));
    // SIGTERM stops it cleanly.
    let _ = Command::new("kill").arg(child.0.id().to_string()).status();
    let status = child.0.wait().unwrap();
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
}

/// Whether an account exists for this address (`msohub user list`).
fn stdout_has_account(url: &str, email: &str) -> bool {
    let (_, out, _) = run(msohub().args(["user", "list", "--database-url", url]));
    out.contains(email)
}
