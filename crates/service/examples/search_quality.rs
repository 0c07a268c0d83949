//! How often the public directory's first result is a relevant one, for the
//! queries people type (`crates/search/quality/queries.txt`), on the demo
//! city: loads the demo into a scratch SQLite database, builds the search
//! indexes as the server does at start, runs every query and prints each
//! first result and the count of relevant ones.
//!
//!   cargo run --example search_quality -p msohub-service
//!
//! A measurement, not a test: nothing fails when the count drops.

use msohub_domain::organisation::fold;
use msohub_service::directory::{DirectoryHit, DirectoryQuery};
use msohub_service::{DatabaseUrl, Services};

const QUERIES: &str = include_str!("../../search/quality/queries.txt");

/// One condition of a criterion: `key=value` or `text~word`.
fn holds(condition: &str, hit: &DirectoryHit) -> bool {
    if let Some((key, value)) = condition.split_once('=') {
        let value = value.trim();
        match key.trim() {
            "category" => hit.entity == "offer" && hit.kind == value,
            "kind" => hit.entity == "organisation" && hit.kind == value,
            "entity" => hit.entity == value,
            "language" => hit.languages.iter().any(|l| l == value),
            other => panic!("unknown condition {other}"),
        }
    } else if let Some((_, word)) = condition.split_once('~') {
        fold(&format!("{} {}", hit.title, hit.summary)).contains(&fold(word.trim()))
    } else {
        panic!("unreadable condition {condition}")
    }
}

/// Alternatives joined by ` or `, each conditions joined by ` and `.
fn relevant(criterion: &str, hit: &DirectoryHit) -> bool {
    criterion
        .split(" or ")
        .any(|alternative| alternative.split(" and ").all(|c| holds(c, hit)))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("msohub-search-quality-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}/quality.db?mode=rwc", dir.display());
    let mut services = Services::open(&DatabaseUrl::parse(&url)?, true).await?;
    services.load_demo().await?;
    services.start_search().await?;

    let mut total = 0;
    let mut good = 0;
    for line in QUERIES.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.splitn(3, " | ").collect();
        let [text, lang, criterion] = parts[..] else {
            panic!("unreadable line: {line}");
        };
        let results = services
            .search_directory(
                &DirectoryQuery {
                    text: text.to_owned(),
                    page: 1,
                    ..DirectoryQuery::default()
                },
                lang,
            )
            .await?;
        total += 1;
        let first = results.hits.first();
        let ok = first.is_some_and(|hit| relevant(criterion, hit));
        if ok {
            good += 1;
        }
        println!(
            "{} {text:<24} [{lang}] {:>3} hits, first: {}",
            if ok { "ok  " } else { "MISS" },
            results.total,
            first.map_or("–".to_owned(), |h| format!(
                "{} ({} {}, {})",
                h.title,
                h.entity,
                h.kind,
                h.languages.join(",")
            )),
        );
    }
    println!("\n{good}/{total} queries find a relevant first result");
    services.close().await;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
