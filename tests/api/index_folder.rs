//! Search indexes kept in a folder (`--index-dir`): a restart opens them
//! and catches up from the change feed instead of rebuilding; a folder
//! that holds nothing usable is rebuilt while the server answers, and is
//! never searched before; each node keeps its own.

use crate::helpers::TestApp;
use crate::on_both_databases;
use msohub_service::Actor;
use msohub_service::directory::{DirectoryQuery, DirectoryResults};
use msohub_service::organisations::OrganisationInput;
use msohub_service::search::SearchStart;
use std::time::{Duration, Instant};

on_both_databases!(
    a_restart_opens_the_kept_index_and_catches_up_with_what_changed_meanwhile,
    a_folder_without_a_usable_index_is_rebuilt_and_not_searched_before,
    an_index_folder_of_another_database_is_never_searched,
    two_nodes_with_their_own_folders_converge_and_cannot_share_one,
    an_unusable_folder_leaves_the_indexes_in_memory_and_the_server_answering,
    an_index_far_behind_catches_up_in_the_background_in_batches,
    a_restored_copy_of_the_database_does_not_take_the_originals_index,
);

async fn listed(app: &TestApp, name: &str) -> uuid::Uuid {
    app.services
        .create_organisation(
            &Actor::cli(),
            &OrganisationInput {
                name: name.to_owned(),
                kind: "mso".to_owned(),
                is_public: true,
                ..Default::default()
            },
        )
        .await
        .expect("organisation")
        .id
}

/// The public directory's first page for `text` (through the index only:
/// without one it finds nothing).
async fn directory(services: &msohub_service::Services, text: &str) -> DirectoryResults {
    services
        .search_directory(
            &DirectoryQuery {
                text: text.to_owned(),
                page: 1,
                ..DirectoryQuery::default()
            },
            "de",
        )
        .await
        .expect("search")
}

/// What the public directory of `node` finds for `text`.
async fn public_hits(node: &TestApp, text: &str) -> Vec<String> {
    let results = directory(&node.services, text).await;
    results.hits.into_iter().map(|h| h.title).collect()
}

/// Waits until `node`'s directory finds `text` (a background rebuild or
/// the feed follower), at most `within`.
async fn found_within(node: &TestApp, text: &str, within: Duration) -> bool {
    let started = Instant::now();
    loop {
        if !public_hits(node, text).await.is_empty() {
            return true;
        }
        if started.elapsed() > within {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn a_restart_opens_the_kept_index_and_catches_up_with_what_changed_meanwhile(app: TestApp) {
    let folder = tempfile::tempdir().unwrap();
    listed(&app, "Kulturverein Anatolien").await;
    let node = app.node_with_index_folder(folder.path()).await;
    assert_eq!(
        node.search_start,
        Some(SearchStart::Rebuild),
        "a new folder is filled"
    );
    assert!(found_within(&node, "Anatolien", Duration::from_secs(10)).await);
    node.stop().await;

    // Written while the node is down: found as soon as it is up again.
    listed(&app, "Eritreischer Chor Asmara").await;
    let node = app.node_with_index_folder(folder.path()).await;
    let Some(SearchStart::Opened { caught_up }) = node.search_start else {
        panic!(
            "the kept index is opened, not rebuilt: {:?}",
            node.search_start
        )
    };
    assert!(
        caught_up >= 1,
        "the change made meanwhile came from the feed"
    );
    assert!(!node.services.search_warming());
    assert_eq!(
        public_hits(&node, "Asmara").await,
        ["Eritreischer Chor Asmara"]
    );
    assert_eq!(
        public_hits(&node, "Anatolien").await,
        ["Kulturverein Anatolien"]
    );
    node.stop().await;

    // Nothing changed: opened again as it was.
    let node = app.node_with_index_folder(folder.path()).await;
    assert_eq!(
        node.search_start,
        Some(SearchStart::Opened { caught_up: 0 })
    );
    assert_eq!(
        public_hits(&node, "Asmara").await,
        ["Eritreischer Chor Asmara"]
    );
}

async fn a_folder_without_a_usable_index_is_rebuilt_and_not_searched_before(app: TestApp) {
    listed(&app, "Kulturverein Anatolien").await;
    let folder = tempfile::tempdir().unwrap();
    for part in ["staff", "public"] {
        std::fs::create_dir_all(folder.path().join(part)).unwrap();
        std::fs::write(folder.path().join(part).join("meta.json"), b"{ cut").unwrap();
    }
    // The service as the server holds it between opening the folder and
    // the end of the background rebuild.
    let mut services = msohub_service::Services::open(
        &msohub_service::DatabaseUrl::parse(&app.db.url).unwrap(),
        false,
    )
    .await
    .unwrap();
    assert_eq!(
        services.open_search(folder.path()).await.unwrap(),
        SearchStart::Rebuild
    );
    assert!(services.search_warming());
    let warming = directory(&services, "Anatolien").await;
    assert!(warming.warming && warming.hits.is_empty() && warming.total == 0);
    assert_eq!(
        services.feed_position(),
        None,
        "no public page is cached as current"
    );
    // Staff lists answer from the database meanwhile.
    let staff = services
        .list_organisations(
            &Actor::cli(),
            &msohub_service::organisations::OrgQuery {
                text: "Kulturverein Anatolien".to_owned(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(
        staff
            .items
            .iter()
            .any(|o| o.name == "Kulturverein Anatolien")
    );
    assert_eq!(services.rebuild_search().await.unwrap(), 1);
    assert!(!services.search_warming());
    let found = directory(&services, "Anatolien").await;
    assert_eq!(found.total, 1);
    services.close().await;

    // The page says so while it warms: a node on a damaged folder.
    let damaged = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(damaged.path().join("public")).unwrap();
    std::fs::write(damaged.path().join("public").join("meta.json"), b"[]").unwrap();
    let node = app.node_with_index_folder(damaged.path()).await;
    assert_eq!(node.search_start, Some(SearchStart::Rebuild));
    assert!(found_within(&node, "Anatolien", Duration::from_secs(10)).await);
}

async fn an_index_folder_of_another_database_is_never_searched(app: TestApp) {
    let folder = tempfile::tempdir().unwrap();
    listed(&app, "Verein Geheimer Name").await;
    let node = app.node_with_index_folder(folder.path()).await;
    assert!(found_within(&node, "Geheimer", Duration::from_secs(10)).await);
    node.stop().await;

    // Another database (a restore into a new one, another office's file)
    // with a change feed of the same length: the stamp names the feed's
    // entry by its time, which differs.
    let other = TestApp::spawn_configured(
        <crate::helpers::TestDb as crate::helpers::Fresh>::fresh(app.db.kind).await,
        {
            let folder = folder.path().to_owned();
            move |s| s.search_index = msohub::startup::IndexPlace::Folder(folder)
        },
    )
    .await;
    assert_eq!(other.search_start, Some(SearchStart::Rebuild));
    listed(&other, "Anderer Verein").await;
    assert!(found_within(&other, "Anderer", Duration::from_secs(10)).await);
    assert!(public_hits(&other, "Geheimer").await.is_empty());
}

async fn two_nodes_with_their_own_folders_converge_and_cannot_share_one(app: TestApp) {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = app.node_with_index_folder(a.path()).await;
    let second = app.node_with_index_folder(b.path()).await;
    listed(&first, "Ukrainischer Elternrat").await;
    assert!(
        found_within(&second, "Elternrat", Duration::from_secs(2)).await,
        "not found on the second node within 2 s"
    );
    assert!(found_within(&first, "Elternrat", Duration::from_secs(2)).await);

    // A third node given the first one's folder is refused, naming it.
    let mut settings = msohub::startup::Settings::new("127.0.0.1:0", &app.db.url);
    settings.search_index = msohub::startup::IndexPlace::Folder(a.path().to_owned());
    let Err(err) = msohub::startup::Application::build(&settings).await else {
        panic!("a shared index folder must be refused")
    };
    let message = err.to_string();
    assert!(
        message.contains("in use by another msohub process"),
        "{message}"
    );
    assert!(
        message.contains(&a.path().display().to_string()),
        "{message}"
    );
}

async fn an_unusable_folder_leaves_the_indexes_in_memory_and_the_server_answering(app: TestApp) {
    listed(&app, "Kulturverein Anatolien").await;
    // A folder that cannot be made (a file is in its way; permissions do
    // not stop the root user the tests may run as).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a-file"), b"x").unwrap();
    let node = app
        .node_with_index_folder(&dir.path().join("a-file").join("index"))
        .await;
    assert_eq!(node.search_start, Some(SearchStart::Rebuild));
    assert!(found_within(&node, "Anatolien", Duration::from_secs(10)).await);
    let response = node.client.get(node.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

async fn an_index_far_behind_catches_up_in_the_background_in_batches(app: TestApp) {
    let folder = tempfile::tempdir().unwrap();
    listed(&app, "Kulturverein Anatolien").await;
    let node = app.node_with_index_folder(folder.path()).await;
    assert!(found_within(&node, "Anatolien", Duration::from_secs(10)).await);
    node.stop().await;

    // A large import while the node is down: more than it applies before
    // listening.
    let inputs: Vec<OrganisationInput> = (0..5_200)
        .map(|i| OrganisationInput {
            name: format!("Elternnetzwerk Nummer {i}"),
            kind: "mso".to_owned(),
            is_public: true,
            ..Default::default()
        })
        .collect();
    app.services
        .create_organisations(&Actor::cli(), &inputs, false)
        .await
        .unwrap();
    listed(&app, "Eritreischer Chor Asmara").await;

    let node = app.node_with_index_folder(folder.path()).await;
    let Some(SearchStart::CatchUp { behind }) = node.search_start else {
        panic!("opened far behind: {:?}", node.search_start)
    };
    assert!(behind > 5_000, "{behind}");
    // The server answers meanwhile; the stale index is not searched.
    assert!(
        node.services.search_warming() || !public_hits(&node, "Asmara").await.is_empty(),
        "a stale index is never searched as if it were current"
    );
    assert!(found_within(&node, "Asmara", Duration::from_secs(60)).await);
    assert!(!node.services.search_warming());
    let results = directory(&node.services, "Elternnetzwerk").await;
    assert_eq!(
        results.total, 5_200,
        "every imported organisation was applied"
    );
    node.stop().await;

    // The stamp committed after catching up: the next start opens as it
    // is.
    let node = app.node_with_index_folder(folder.path()).await;
    assert_eq!(
        node.search_start,
        Some(SearchStart::Opened { caught_up: 0 })
    );
}

async fn a_restored_copy_of_the_database_does_not_take_the_originals_index(app: TestApp) {
    use crate::helpers::{Fresh, TestDb};
    let folder = tempfile::tempdir().unwrap();
    listed(&app, "Kulturverein Anatolien").await;
    let node = app.node_with_index_folder(folder.path()).await;
    assert!(found_within(&node, "Anatolien", Duration::from_secs(10)).await);
    node.stop().await;
    // The index is stamped with exactly the position the backup ends at:
    // its feed entries, positions and times are the restored copy's too.
    // Had the original moved on after the backup, the index could hold
    // records the copy does not; it must never be taken for the copy's.
    let mut archive = std::io::Cursor::new(Vec::new());
    app.services.backup(&mut archive).await.unwrap();
    // A database is born at the second of its first migration.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let copy = <TestDb as Fresh>::fresh(app.db.kind).await;
    let services = msohub_service::Services::open(
        &msohub_service::DatabaseUrl::parse(&copy.url).unwrap(),
        true,
    )
    .await
    .unwrap();
    services
        .restore(std::io::Cursor::new(archive.into_inner()))
        .await
        .unwrap();
    services.close().await;

    let node = TestApp::spawn_configured(copy, |s| {
        s.search_index = msohub::startup::IndexPlace::Folder(folder.path().to_owned());
    })
    .await;
    assert_eq!(node.search_start, Some(SearchStart::Rebuild));
    assert!(found_within(&node, "Anatolien", Duration::from_secs(10)).await);
}
