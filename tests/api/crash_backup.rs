//! Crashes during backup and restore (issue 21, item 4): `msohub backup`
//! and `msohub restore` are killed with SIGKILL at 20 random moments each
//! (seeded: `MSOHUB_CRASH_SEED`, default 21), between the start of the
//! process and a little after an uninterrupted run would have ended.
//! Afterwards the backup file is either absent or a valid archive equal
//! to the database (never a truncated file under the name), and the
//! restore's target is either absent/empty or complete — and the next
//! restore finishes what the killed one did not (or refuses a complete
//! target), ending with every table equal to the archive's.

use crate::helpers::{Fresh, Kind, TestDb};
use crate::on_both_databases;
use msohub_service::backup::{self, TableEntry};
use msohub_service::{DatabaseUrl, Services};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

on_both_databases!(backup_and_restore_survive_sigkill);

const RUNS: usize = 20;

/// xorshift64*: the same moments on every machine for a seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

fn msohub(args: &[&str], database_url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_msohub"));
    cmd.args(args)
        .env("MSOHUB_DATABASE_URL", database_url)
        .env("MSOHUB_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Runs to the end; returns (succeeded, stderr, how long it took).
fn run(args: &[&str], database_url: &str) -> (bool, String, Duration) {
    let started = Instant::now();
    let out = msohub(args, database_url).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        started.elapsed(),
    )
}

/// Starts and kills with SIGKILL after `after`.
async fn killed(args: &[&str], database_url: &str, after: Duration) {
    let mut child = msohub(args, database_url).spawn().unwrap();
    tokio::time::sleep(after).await;
    let _ = child.kill();
    let _ = child.wait();
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Target {
    /// No database file, or one without its schema yet.
    Absent,
    /// Migrated, no data (what a new database looks like).
    Empty,
    Complete,
}

/// What a killed restore left: anything else fails the test.
async fn inspect(url: &DatabaseUrl, expected: &[TableEntry]) -> Target {
    if let DatabaseUrl::Sqlite(file) = url
        && !file.exists()
    {
        return Target::Absent;
    }
    let services = Services::open(url, false).await.unwrap();
    let state = match services.table_checksums().await {
        Ok(now) if now == expected => Target::Complete,
        Ok(now) => {
            let data: Vec<_> = now
                .iter()
                .filter(|t| t.rows > 0 && t.name != "taxonomy_term" && t.name != "project")
                .collect();
            assert!(data.is_empty(), "a half-restored database: {data:?}");
            Target::Empty
        }
        // Killed while migrating: tables are missing, so no data is there.
        Err(_) => Target::Absent,
    };
    services.close().await;
    state
}

async fn new_target(kind: Kind, dir: &std::path::Path, i: usize) -> (String, Option<TestDb>) {
    match kind {
        Kind::Sqlite => (
            format!("sqlite://{}", dir.join(format!("restore-{i}.db")).display()),
            None,
        ),
        Kind::Postgres => {
            let db = TestDb::fresh(Kind::Postgres).await;
            (db.url.clone(), Some(db))
        }
    }
}

async fn drop_database(db: Option<TestDb>) {
    let (Some(db), Some(admin)) = (db, crate::helpers::postgres_url()) else {
        return;
    };
    use sea_orm::ConnectionTrait;
    let name = reqwest::Url::parse(&db.url).unwrap().path()[1..].to_owned();
    let conn = sea_orm::Database::connect(admin.as_str()).await.unwrap();
    let _ = conn
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await;
    let _ = conn.close().await;
}

async fn backup_and_restore_survive_sigkill(db: TestDb) {
    let seed = std::env::var("MSOHUB_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(21u64);
    let mut rng = Rng(seed.max(1));
    let url = DatabaseUrl::parse(&db.url).unwrap();
    let source = Services::open(&url, true).await.unwrap();
    source.load_demo().await.unwrap();
    let expected = source.table_checksums().await.unwrap();
    source.close().await;
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full.zip");
    let full_arg = full.to_str().unwrap();

    // --- backup ---------------------------------------------------------
    let (ok, err, took) = run(&["backup", full_arg], &db.url);
    assert!(ok, "{err}");
    let window = took.as_millis() as u64 * 11 / 10;
    let (mut valid, mut absent) = (0, 0);
    for i in 0..RUNS {
        let file = dir.path().join(format!("killed-{i}.zip"));
        let after = Duration::from_millis(rng.below(window));
        killed(&["backup", file.to_str().unwrap()], &db.url, after).await;
        if file.exists() {
            let checked = backup::file::check_file(&file).unwrap_or_else(|e| {
                panic!(
                    "run {i} (killed after {after:?}) left an invalid archive: {}",
                    backup::message(&e)
                )
            });
            assert_eq!(checked.manifest.tables, expected, "run {i}");
            valid += 1;
        } else {
            absent += 1;
        }
    }
    eprintln!(
        "backup ({:?}, seed {seed}): one run {took:?}; {RUNS} killed: {valid} valid, {absent} absent, 0 invalid",
        db.kind
    );

    // --- restore --------------------------------------------------------
    let (target, made) = new_target(db.kind, dir.path(), RUNS).await;
    let (ok, err, took) = run(&["restore", full_arg], &target);
    assert!(ok, "{err}");
    let target_url = DatabaseUrl::parse(&target).unwrap();
    assert_eq!(inspect(&target_url, &expected).await, Target::Complete);
    drop_database(made).await;
    let window = took.as_millis() as u64 * 11 / 10;
    let mut seen = std::collections::BTreeMap::new();
    for i in 0..RUNS {
        let (target, made) = new_target(db.kind, dir.path(), i).await;
        let target_url = DatabaseUrl::parse(&target).unwrap();
        let after = Duration::from_millis(rng.below(window));
        killed(&["restore", full_arg], &target, after).await;
        let state = inspect(&target_url, &expected).await;
        *seen.entry(format!("{state:?}")).or_insert(0) += 1;
        // The next attempt finishes the job, or refuses a complete target.
        let (ok, err, _) = run(&["restore", full_arg], &target);
        if state == Target::Complete {
            assert!(!ok && err.contains("not empty"), "run {i}: {err}");
        } else {
            assert!(ok, "run {i} ({state:?} after {after:?}): {err}");
        }
        assert_eq!(
            inspect(&target_url, &expected).await,
            Target::Complete,
            "run {i}"
        );
        drop_database(made).await;
    }
    eprintln!(
        "restore ({:?}, seed {seed}): one run {took:?}; {RUNS} killed: {seen:?}, 0 half-restored",
        db.kind
    );
}
