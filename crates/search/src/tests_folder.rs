//! The index kept in a folder: what survives a restart, and what happens
//! to a folder that cannot be used as it is.

use crate::{Error, OrganisationDoc, Query, SearchIndex};
use uuid::Uuid;

fn org(name: &str) -> OrganisationDoc {
    OrganisationDoc {
        id: Uuid::now_v7(),
        name: name.to_owned(),
        kind: "mso".to_owned(),
        public: true,
        ..OrganisationDoc::default()
    }
}

fn found(index: &SearchIndex, text: &str) -> usize {
    index.search(&Query::text(text)).unwrap().total
}

#[test]
fn an_index_in_a_folder_keeps_its_documents_and_stamp_across_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let opened = SearchIndex::open(dir.path()).unwrap();
    assert!(opened.stamp.is_none(), "a new folder holds no index yet");
    assert!(opened.index.is_empty());
    opened.index.set_stamp("42 feed-entry").unwrap();
    opened
        .index
        .upsert(&[org("Kulturverein Anatolien")])
        .unwrap();
    drop(opened);

    let reopened = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(reopened.stamp.as_deref(), Some("42 feed-entry"));
    assert_eq!(reopened.index.stamp(), "42 feed-entry");
    assert_eq!(found(&reopened.index, "anatolien"), 1);
    // Later commits carry the stamp on until it is changed.
    reopened
        .index
        .upsert(&[org("Elternnetzwerk Nord")])
        .unwrap();
    drop(reopened);
    let again = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(again.stamp.as_deref(), Some("42 feed-entry"));
    assert_eq!(again.index.len(), 2);
}

#[test]
fn a_second_process_on_the_same_folder_is_refused_with_the_folder_named() {
    let dir = tempfile::tempdir().unwrap();
    let first = SearchIndex::open(dir.path()).unwrap();
    first
        .index
        .upsert(&[org("Kulturverein Anatolien")])
        .unwrap();
    let Err(err) = SearchIndex::open(dir.path()) else {
        panic!("a second opener must be refused")
    };
    assert!(matches!(err, Error::InUse(_)), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&dir.path().display().to_string()),
        "{message}"
    );
    assert!(message.contains("--index-dir"), "{message}");
    // The first is untouched by the attempt.
    assert_eq!(found(&first.index, "anatolien"), 1);
    drop(first);
    assert!(
        SearchIndex::open(dir.path()).is_ok(),
        "free again once closed"
    );
}

#[test]
fn a_damaged_or_foreign_folder_is_emptied_and_starts_without_a_stamp() {
    // Files that are no index at all.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("meta.json"), b"{ not json").unwrap();
    std::fs::write(dir.path().join("notes.txt"), b"left by someone").unwrap();
    let opened = SearchIndex::open(dir.path()).unwrap();
    assert!(opened.stamp.is_none());
    assert!(opened.index.is_empty());
    assert!(!dir.path().join("notes.txt").exists());
    opened
        .index
        .upsert(&[org("Kulturverein Anatolien")])
        .unwrap();
    assert_eq!(found(&opened.index, "anatolien"), 1);
    drop(opened);

    // A segment file cut short after the commit that listed it.
    let dir = tempfile::tempdir().unwrap();
    {
        let opened = SearchIndex::open(dir.path()).unwrap();
        opened.index.set_stamp("7 x").unwrap();
        let docs: Vec<_> = (0..200).map(|i| org(&format!("Verein {i}"))).collect();
        opened.index.upsert(&docs).unwrap();
    }
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "idx" || e == "term") {
            std::fs::write(&path, b"cut").unwrap();
        }
    }
    let opened = SearchIndex::open(dir.path()).unwrap();
    assert!(opened.stamp.is_none(), "a damaged index is not trusted");
    assert!(opened.index.is_empty());
}

#[test]
fn a_staged_stamp_is_written_with_the_next_commit_or_when_flushed() {
    let dir = tempfile::tempdir().unwrap();
    let opened = SearchIndex::open(dir.path()).unwrap();
    opened.index.set_stamp("1 a").unwrap();
    opened.index.stage_stamp("2 b").unwrap();
    let stamp_on_disk = |index: SearchIndex| {
        drop(index);
        let reopened = SearchIndex::open(dir.path()).unwrap();
        (reopened.stamp.clone(), reopened.index)
    };
    let (stamp, index) = stamp_on_disk(opened.index);
    assert_eq!(stamp.as_deref(), Some("1 a"), "staged only, not written");
    index.stage_stamp("2 b").unwrap();
    index.upsert(&[org("Kulturverein Anatolien")]).unwrap();
    let (stamp, index) = stamp_on_disk(index);
    assert_eq!(stamp.as_deref(), Some("2 b"), "carried by the next commit");
    index.stage_stamp("3 c").unwrap();
    index.flush_stamp().unwrap();
    let (stamp, index) = stamp_on_disk(index);
    assert_eq!(stamp.as_deref(), Some("3 c"), "flushed");
    assert_eq!(found(&index, "anatolien"), 1);
}

#[test]
fn a_rebuild_leaves_one_segment() {
    let index = SearchIndex::in_memory().unwrap();
    for i in 0..5 {
        index.upsert(&[org(&format!("Verein {i}"))]).unwrap();
    }
    assert!(index.segments() > 1);
    let docs = (0..500).map(|i| crate::Doc::from(org(&format!("Verein Nummer {i}"))));
    index.rebuild(docs).unwrap();
    assert_eq!(index.segments(), 1);
    assert_eq!(index.len(), 500);
    assert_eq!(index.search(&Query::text("Nummer")).unwrap().total, 500);
}

/// A process killed in a commit leaves the files it had written (a delete
/// file named after the segment and the opstamp among them) without the
/// meta that would name them: the next process reaches the same opstamp
/// and must not trip over them.
#[test]
fn files_of_a_commit_cut_short_do_not_block_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let committed = tempfile::tempdir().unwrap();
    let doc = org("Kulturverein Anatolien");
    let opened = SearchIndex::open(dir.path()).unwrap();
    // Another document keeps the first segment alive after the delete.
    opened
        .index
        .upsert(
            &std::iter::once(doc.clone())
                .chain((0..20).map(|i| org(&format!("Chor {i}"))))
                .collect::<Vec<_>>(),
        )
        .unwrap();
    drop(opened);
    let copy = |from: &std::path::Path, to: &std::path::Path, meta: bool| {
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            let name = name.to_str().unwrap();
            if name.ends_with(".lock") || (!meta && name == "meta.json") {
                continue;
            }
            std::fs::copy(entry.path(), to.join(name)).unwrap();
        }
    };
    copy(dir.path(), committed.path(), true);
    // The replace that is "killed": its files, but the old meta.
    let opened = SearchIndex::open(dir.path()).unwrap();
    let renamed = OrganisationDoc {
        name: "Kulturverein Anatolien Lindenau".to_owned(),
        ..doc.clone()
    };
    opened.index.upsert(std::slice::from_ref(&renamed)).unwrap();
    drop(opened);
    copy(dir.path(), committed.path(), false);

    let restarted = SearchIndex::open(committed.path()).unwrap();
    assert_eq!(
        found(&restarted.index, "lindenau"),
        0,
        "the cut commit is not there"
    );
    restarted.index.upsert(&[renamed]).unwrap();
    assert_eq!(found(&restarted.index, "lindenau"), 1);
    assert_eq!(found(&restarted.index, "anatolien"), 1);
}
