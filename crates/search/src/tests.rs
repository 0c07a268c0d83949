//! Behaviour tests of the public API: what a user of the staff UI or the
//! public directory would notice. Unit tests of the parts live beside them.

use uuid::Uuid;

use crate::{Doc, OfferDoc, OrganisationDoc, Query, Results, SearchIndex};

fn org(name: &str, description: &str) -> OrganisationDoc {
    OrganisationDoc {
        id: Uuid::now_v7(),
        name: name.to_owned(),
        description: description.to_owned(),
        kind: "mso".to_owned(),
        public: true,
        ..OrganisationDoc::default()
    }
}

fn index_of(docs: &[OrganisationDoc]) -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    index.upsert(docs).unwrap();
    index
}

fn ids(results: &Results) -> Vec<Uuid> {
    results.hits.iter().map(|hit| hit.id).collect()
}

fn find(index: &SearchIndex, text: &str) -> Vec<Uuid> {
    ids(&index.search(&Query::text(text)).unwrap())
}

fn facet(results: &Results, name: &str) -> Vec<(String, u64)> {
    results.facets[name].clone()
}

fn counts(pairs: &[(&str, u64)]) -> Vec<(String, u64)> {
    pairs.iter().map(|&(v, c)| (v.to_owned(), c)).collect()
}

#[test]
fn the_index_handle_can_be_shared_between_threads() {
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<SearchIndex>();

    let index = index_of(&[org("Kulturverein Anatolien", "")]);
    let clone = index.clone();
    let found = std::thread::spawn(move || find(&clone, "anatolien"))
        .join()
        .unwrap();
    assert_eq!(found.len(), 1);
}

#[test]
fn german_stemming_and_folding_find_schueler_when_searching_schule() {
    let school = org(
        "Elternnetzwerk Nord",
        "Hausaufgabenhilfe für Schüler der Grundschule",
    );
    let other = org("Sportclub Süd", "Fußball für alle");
    let index = index_of(&[school.clone(), other]);
    assert_eq!(find(&index, "Schule"), vec![school.id]);
    assert_eq!(find(&index, "schuler"), vec![school.id]);
    assert_eq!(find(&index, "FUSSBALL").len(), 1, "ß folds to ss");
}

#[test]
fn english_and_turkish_text_are_stemmed_and_folded() {
    let english = org("Women's Network", "Supporting families and newcomers");
    let turkish = org("Türk Kadınlar Derneği", "Kültür ve eğitim çalışmaları");
    let index = index_of(&[english.clone(), turkish.clone()]);
    assert_eq!(find(&index, "family"), vec![english.id]);
    assert_eq!(find(&index, "networks"), vec![english.id]);
    assert_eq!(find(&index, "kadinlar dernegi"), vec![turkish.id]);
    assert_eq!(find(&index, "KADINLAR"), vec![turkish.id]);
    assert_eq!(find(&index, "egitim"), vec![turkish.id]);
    assert_eq!(
        find(&index, "çalışma"),
        vec![turkish.id],
        "Turkish suffix stemmed"
    );
}

#[test]
fn prefixes_and_parts_of_compound_names_match_while_typing() {
    let kultur = org("Kulturverein Anatolien", "");
    let sport = org("Sportverein Eintracht", "");
    let index = index_of(&[kultur.clone(), sport.clone()]);
    assert_eq!(find(&index, "kultur"), vec![kultur.id]);
    assert_eq!(find(&index, "kult"), vec![kultur.id]);
    assert_eq!(find(&index, "Kulturv"), vec![kultur.id]);
    assert_eq!(find(&index, "ku"), vec![kultur.id]);
    assert_eq!(find(&index, "kultur anat"), vec![kultur.id]);
    let mut vereine = find(&index, "verein");
    vereine.sort();
    let mut both = vec![kultur.id, sport.id];
    both.sort();
    assert_eq!(vereine, both, "'verein' inside both compounds");
}

#[test]
fn alternate_names_are_searchable() {
    let mut doc = org("Deutsch-Türkischer Freundschaftsverein", "");
    doc.alternate_names = vec!["DTF".to_owned()];
    let index = index_of(&[doc.clone()]);
    assert_eq!(find(&index, "dtf"), vec![doc.id]);
}

#[test]
fn typos_in_names_are_tolerated() {
    let kultur = org("Kulturverein Anatolien", "");
    let index = index_of(&[kultur.clone(), org("Sportclub Süd", "")]);
    assert_eq!(
        find(&index, "Kulturverien"),
        vec![kultur.id],
        "transposition"
    );
    assert_eq!(find(&index, "Kulturvrein"), vec![kultur.id], "deletion");
    assert_eq!(find(&index, "Anatolein"), vec![kultur.id]);
    assert_eq!(find(&index, "Kulturverian Anat"), vec![kultur.id]);
    assert!(
        find(&index, "sop").is_empty(),
        "words under four letters are not fuzzy"
    );
}

#[test]
fn exact_beats_prefix_beats_fuzzy() {
    let exact = org("Kultur Nord", "");
    let prefix = org("Kulturverein", "");
    let fuzzy = org("Kultar Haus", "");
    let index = index_of(&[fuzzy.clone(), prefix.clone(), exact.clone()]);
    assert_eq!(find(&index, "kultur"), vec![exact.id, prefix.id, fuzzy.id]);
}

#[test]
fn name_matches_rank_above_description_matches() {
    let in_name = org("Nachbarschaftshilfe Ost", "Wir helfen im Alltag.");
    let in_description = org(
        "Sportclub Ost",
        "Gemeinsam mit der Nachbarschaftshilfe organisieren wir Feste.",
    );
    let index = index_of(&[in_description.clone(), in_name.clone()]);
    assert_eq!(
        find(&index, "Nachbarschaftshilfe"),
        vec![in_name.id, in_description.id]
    );
    assert_eq!(
        find(&index, "nachbar"),
        vec![in_name.id],
        "prefixes only on names"
    );
}

#[test]
fn odd_input_never_fails() {
    let index = index_of(&[
        org("Kulturverein Anatolien", "Schüler"),
        org("Sportclub", ""),
    ]);
    let long = "Kultur ".repeat(800);
    let inputs = [
        "\"",
        "\"Kultur",
        "\"Kultur verein\"",
        "AND",
        "OR NOT",
        "+ - : ^ ( ) [ ] { } ~ *",
        "kultur AND NOT sport",
        "name:kultur",
        "kult*",
        "kultur~2",
        "kultur^10",
        "[a TO z]",
        "{ }",
        "(((",
        "\\",
        "'; DROP TABLE organisations; --",
        "!!!???...",
        "🙂🙂🙂",
        "Kultur 🙂",
        "\u{0}\u{1}\u{7f}",
        "\u{308}\u{308}",
        "ا",
        "İ",
        "   ",
        long.as_str(),
        &"x".repeat(5000),
        &"ü".repeat(3000),
    ];
    for text in inputs {
        for public_only in [false, true] {
            let query = Query {
                text: text.to_owned(),
                public_only,
                ..Query::default()
            };
            let results = index
                .search(&query)
                .unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert!(results.hits.len() <= results.total);
            assert_eq!(results.facets.len(), 10);
        }
    }
    assert_eq!(find(&index, "\"Kultur verein\"").len(), 1);
    assert_eq!(
        find(&index, "kultur AND NOT sport").len(),
        2,
        "operators are plain words; no document has them all, so any word counts"
    );
    assert_eq!(find(&index, &long).len(), 1);
    assert!(find(&index, &"x".repeat(5000)).is_empty());
    assert_eq!(
        find(&index, "!!! 🙂").len(),
        2,
        "no words at all is an empty search"
    );
}

#[test]
fn no_document_with_all_words_falls_back_to_any_word() {
    let kultur = org("Kulturverein Anatolien", "");
    let frauen = org("Frauenverein", "");
    let index = index_of(&[kultur.clone(), frauen.clone()]);
    assert_eq!(find(&index, "kultur anatolien"), vec![kultur.id]);
    assert_eq!(
        find(&index, "kultur anatolien frauen"),
        vec![kultur.id, frauen.id],
        "two words beat one"
    );
}

#[test]
fn empty_text_lists_filtered_documents_by_name() {
    let names = ["zeta", "Beta", "Ärzte ohne Grenzen", "alpha", "Ahorn"];
    let docs: Vec<_> = names.iter().map(|n| org(n, "")).collect();
    let index = index_of(&docs);
    let results = index.search(&Query::default()).unwrap();
    let by_id = |id: Uuid| docs.iter().find(|d| d.id == id).unwrap().name.clone();
    let listed: Vec<String> = results.hits.iter().map(|h| by_id(h.id)).collect();
    assert_eq!(
        listed,
        vec!["Ahorn", "alpha", "Ärzte ohne Grenzen", "Beta", "zeta"]
    );
    assert_eq!(results.total, 5);
    assert_eq!(facet(&results, "kind"), counts(&[("mso", 5)]));
    assert!(results.hits.iter().all(|h| h.score == 0.0));
}

#[test]
fn pages_are_cut_from_the_whole_ranking() {
    let docs: Vec<_> = (0..30)
        .map(|i| org(&format!("Verein {i:02}"), ""))
        .collect();
    let index = index_of(&docs);
    let page = |offset, limit| {
        index
            .search(&Query {
                offset,
                limit,
                ..Query::default()
            })
            .unwrap()
    };
    let first = page(0, 10);
    let second = page(10, 10);
    assert_eq!(first.total, 30);
    assert_eq!(
        ids(&first),
        docs[0..10].iter().map(|d| d.id).collect::<Vec<_>>()
    );
    assert_eq!(
        ids(&second),
        docs[10..20].iter().map(|d| d.id).collect::<Vec<_>>()
    );
    assert!(page(100, 10).hits.is_empty());
    assert_eq!(page(0, 0).total, 30, "limit 0 still counts");
    assert_eq!(page(usize::MAX, usize::MAX).total, 30);
}

fn faceted_docs() -> Vec<OrganisationDoc> {
    let make =
        |name: &str, kind: &str, topics: &[&str], district: &str, public: bool| OrganisationDoc {
            kind: kind.to_owned(),
            topics: topics.iter().map(|t| (*t).to_owned()).collect(),
            district: Some(district.to_owned()),
            languages: vec!["de".to_owned(), "tr".to_owned()],
            origins: vec!["TR".to_owned()],
            public,
            ..org(name, "Verein")
        };
    vec![
        make("A", "mso", &["education", "culture"], "Nord", true),
        make("B", "mso", &["education"], "Süd", true),
        make("C", "welfare", &["culture"], "Nord", true),
        make("D", "welfare", &["sport"], "Nord", false),
        make("E", "faith", &["culture", "education"], "Ost", true),
    ]
}

#[test]
fn filters_or_within_and_across() {
    let docs = faceted_docs();
    let index = index_of(&docs);
    let names = |q: Query| {
        let results = index.search(&q).unwrap();
        results
            .hits
            .iter()
            .map(|h| docs.iter().find(|d| d.id == h.id).unwrap().name.clone())
            .collect::<Vec<_>>()
    };
    let q = |kinds: &[&str], topics: &[&str]| Query {
        kinds: kinds.iter().map(|s| (*s).to_owned()).collect(),
        topics: topics.iter().map(|s| (*s).to_owned()).collect(),
        ..Query::default()
    };
    assert_eq!(names(q(&["mso", "faith"], &[])), vec!["A", "B", "E"]);
    assert_eq!(
        names(q(&[], &["sport", "culture"])),
        vec!["A", "C", "D", "E"]
    );
    assert_eq!(names(q(&["welfare"], &["culture"])), vec!["C"]);
    assert_eq!(names(q(&["nonexistent"], &[])), Vec::<String>::new());
    assert_eq!(names(q(&[""], &[])).len(), 5, "empty value means any");
    let with_text = Query {
        text: "verein".to_owned(),
        ..q(&["welfare"], &[])
    };
    assert_eq!(names(with_text), vec!["C", "D"]);
}

#[test]
fn facet_counts_ignore_their_own_filter_but_apply_the_others() {
    let index = index_of(&faceted_docs());
    let all = index.search(&Query::default()).unwrap();
    assert_eq!(
        facet(&all, "kind"),
        counts(&[("mso", 2), ("welfare", 2), ("faith", 1)])
    );
    assert_eq!(
        facet(&all, "topic"),
        counts(&[("culture", 3), ("education", 3), ("sport", 1)])
    );
    assert_eq!(facet(&all, "language"), counts(&[("de", 5), ("tr", 5)]));
    assert_eq!(
        facet(&all, "district"),
        counts(&[("Nord", 3), ("Ost", 1), ("Süd", 1)])
    );
    assert_eq!(facet(&all, "origin"), counts(&[("TR", 5)]));

    let welfare = index
        .search(&Query {
            kinds: vec!["welfare".to_owned()],
            ..Query::default()
        })
        .unwrap();
    assert_eq!(welfare.total, 2);
    assert_eq!(
        facet(&welfare, "kind"),
        counts(&[("mso", 2), ("welfare", 2), ("faith", 1)]),
        "siblings stay visible"
    );
    assert_eq!(
        facet(&welfare, "topic"),
        counts(&[("culture", 1), ("sport", 1)])
    );
    assert_eq!(facet(&welfare, "district"), counts(&[("Nord", 2)]));

    let welfare_nord_culture = index
        .search(&Query {
            kinds: vec!["welfare".to_owned()],
            topics: vec!["culture".to_owned()],
            ..Query::default()
        })
        .unwrap();
    assert_eq!(welfare_nord_culture.total, 1);
    assert_eq!(
        facet(&welfare_nord_culture, "kind"),
        counts(&[("faith", 1), ("mso", 1), ("welfare", 1)]),
        "kinds among culture documents"
    );
    assert_eq!(
        facet(&welfare_nord_culture, "topic"),
        counts(&[("culture", 1), ("sport", 1)]),
        "topics among welfare documents"
    );
}

#[test]
fn facets_are_always_present_even_when_nothing_matches() {
    let index = SearchIndex::in_memory().unwrap();
    let results = index.search(&Query::text("nichts")).unwrap();
    assert_eq!(results.total, 0);
    let keys: Vec<&str> = results.facets.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec![
            "category",
            "cost",
            "district",
            "entity",
            "kind",
            "language",
            "mode",
            "origin",
            "target_group",
            "topic"
        ]
    );
    assert!(results.facets.values().all(Vec::is_empty));
}

#[test]
fn public_only_hides_internal_documents() {
    let index = index_of(&faceted_docs());
    let public = Query {
        public_only: true,
        ..Query::default()
    };
    let results = index.search(&public).unwrap();
    assert_eq!(results.total, 4);
    assert_eq!(
        facet(&results, "topic"),
        counts(&[("culture", 3), ("education", 3)])
    );
    let text = index
        .search(&Query {
            text: "verein".to_owned(),
            ..public
        })
        .unwrap();
    assert_eq!(text.total, 4);
    assert_eq!(index.search(&Query::text("verein")).unwrap().total, 5);
}

#[test]
fn upsert_replaces_and_delete_removes_immediately() {
    let mut doc = org("Kulturverein Anatolien", "");
    let other = org("Sportclub", "");
    let index = index_of(&[doc.clone(), other.clone()]);
    assert_eq!(index.len(), 2);

    doc.name = "Elternverein Mitte".to_owned();
    index.upsert(std::slice::from_ref(&doc)).unwrap();
    index.upsert(std::slice::from_ref(&doc)).unwrap();
    assert_eq!(index.len(), 2, "no duplicates");
    assert!(find(&index, "anatolien").is_empty(), "old text is gone");
    assert_eq!(find(&index, "eltern"), vec![doc.id]);

    doc.public = false;
    index.upsert(&[doc.clone(), doc.clone()]).unwrap();
    assert_eq!(index.len(), 2, "duplicates within one batch: last wins");
    let public = index
        .search(&Query {
            public_only: true,
            ..Query::default()
        })
        .unwrap();
    assert_eq!(ids(&public), vec![other.id]);

    index.delete(doc.id).unwrap();
    assert_eq!(index.len(), 1);
    assert!(find(&index, "eltern").is_empty());
    index.delete(doc.id).unwrap();
    index.delete(Uuid::now_v7()).unwrap();
    assert_eq!(index.len(), 1);
}

#[test]
fn rebuild_replaces_everything_in_one_go() {
    let index = index_of(&[org("Alter Verein", "")]);
    for i in 0..20 {
        index.upsert(&[org(&format!("Verein {i}"), "")]).unwrap();
    }
    let fresh: Vec<_> = (0..50)
        .map(|i| org(&format!("Neuer Verein {i}"), ""))
        .collect();
    index
        .rebuild(fresh.clone().into_iter().map(Doc::from))
        .unwrap();
    assert_eq!(index.len(), 50);
    assert!(find(&index, "alter").is_empty());
    assert_eq!(index.search(&Query::text("neuer")).unwrap().total, 50);
    index.rebuild(std::iter::empty()).unwrap();
    assert!(index.is_empty());
}

#[test]
fn hits_carry_scores_best_first() {
    let index = index_of(&[org("Kultur Nord", ""), org("Kulturverein", "")]);
    let results = index.search(&Query::text("kultur")).unwrap();
    assert_eq!(results.hits.len(), 2);
    assert!(results.hits[0].score > results.hits[1].score);
    assert!(results.hits[1].score > 0.0);
}

fn offer(title: &str, category: &str, free: bool, online: bool) -> OfferDoc {
    OfferDoc {
        id: Uuid::now_v7(),
        title: title.to_owned(),
        category: category.to_owned(),
        languages: vec!["tr".to_owned()],
        district: Some("Mitte".to_owned()),
        free,
        online,
        public: true,
        ..OfferDoc::default()
    }
}

#[test]
fn offers_share_the_index_with_their_own_facets() {
    let index = SearchIndex::in_memory().unwrap();
    index
        .upsert(&[org("Deutsch-Türkischer Kulturverein", "")])
        .unwrap();
    let course = OfferDoc {
        alternate_titles: vec!["Almanca kursu".to_owned()],
        organisation_name: "Deutsch-Türkischer Kulturverein".to_owned(),
        target_groups: vec!["women".to_owned()],
        ..offer("Deutschkurs für Frauen", "language_course", true, false)
    };
    let private = OfferDoc {
        public: false,
        ..offer("Deutschkurs intern", "language_course", true, true)
    };
    index
        .upsert_offers(&[
            course.clone(),
            private.clone(),
            offer("Hausaufgabenhilfe online", "homework_help", false, true),
        ])
        .unwrap();
    assert_eq!(index.len(), 4);

    // Entity filter: the staff's organisation search sees no offers.
    let orgs = index
        .search(&Query {
            entities: vec!["organisation".into()],
            ..Query::text("Kulturverein")
        })
        .unwrap();
    assert_eq!(orgs.total, 1);

    // A public search finds the offer by its title, its translation and its
    // organisation's name, never the private one.
    for text in ["Deutschkurs", "Almanca", "Kulturverein"] {
        let r = index
            .search(&Query {
                entities: vec!["offer".into()],
                public_only: true,
                ..Query::text(text)
            })
            .unwrap();
        let ids: Vec<Uuid> = r.hits.iter().map(|h| h.id).collect();
        assert_eq!(ids, vec![course.id], "{text}");
    }

    // Free and online are facets with disjunctive counts.
    let free = index
        .search(&Query {
            costs: vec!["free".into()],
            public_only: true,
            ..Query::default()
        })
        .unwrap();
    assert_eq!(free.total, 1);
    assert_eq!(facet(&free, "entity"), counts(&[("offer", 1)]));
    assert_eq!(facet(&free, "cost"), counts(&[("free", 1)]));
    assert_eq!(facet(&free, "mode"), counts(&[]));
    let online = index
        .search(&Query {
            modes: vec!["online".into()],
            categories: vec!["homework_help".into()],
            public_only: true,
            ..Query::default()
        })
        .unwrap();
    assert_eq!(online.total, 1);
    assert_eq!(facet(&online, "category"), counts(&[("homework_help", 1)]));
    let women = index
        .search(&Query {
            target_groups: vec!["women".into()],
            ..Query::default()
        })
        .unwrap();
    assert_eq!(women.total, 1);

    index.delete_many(&[course.id, private.id]).unwrap();
    assert_eq!(index.len(), 2);
}
