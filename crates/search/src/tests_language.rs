//! Behaviour tests of what people type: German compounds, synonyms, the
//! taxonomy's labels in six languages, "did you mean", and input that is
//! no search at all.

use uuid::Uuid;

use crate::{Label, OfferDoc, OrganisationDoc, Query, SearchIndex, Synonyms};

fn offer(title: &str, description: &str, category: &str) -> OfferDoc {
    OfferDoc {
        id: Uuid::now_v7(),
        title: title.to_owned(),
        description: description.to_owned(),
        category: category.to_owned(),
        public: true,
        ..OfferDoc::default()
    }
}

fn index_of(offers: &[OfferDoc]) -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    index.upsert_offers(offers).unwrap();
    index
}

fn find(index: &SearchIndex, text: &str) -> Vec<Uuid> {
    index
        .search(&Query::text(text))
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id)
        .collect()
}

fn sorted(mut ids: Vec<Uuid>) -> Vec<Uuid> {
    ids.sort();
    ids
}

/// The built-in labels of two categories and a target group, as the
/// service hands them over (German, English, then the ftl translations).
fn labels() -> Vec<Label> {
    let label = |facet: &str, code: &str, texts: &[&str]| Label {
        facet: facet.to_owned(),
        code: code.to_owned(),
        labels: texts.iter().map(|t| (*t).to_owned()).collect(),
    };
    vec![
        label(
            "category",
            "language_course",
            &[
                "Sprachkurs",
                "Language course",
                "Dil kursu",
                "دورة لغة",
                "Языковой курс",
                "Мовний курс",
            ],
        ),
        label(
            "category",
            "homework_help",
            &[
                "Hausaufgabenhilfe",
                "Homework help",
                "Ödev yardımı",
                "المساعدة في الواجبات المدرسية",
                "Помощь с домашними заданиями",
                "Допомога з домашніми завданнями",
            ],
        ),
        label(
            "target_group",
            "women",
            &["Frauen", "Women", "Kadınlar", "النساء", "Женщины", "Жінки"],
        ),
    ]
}

#[test]
fn a_compound_finds_its_parts_written_apart_and_the_other_way_round() {
    let apart = offer("Kurs: Deutsch für den Alltag", "", "other");
    let whole = offer("Deutschkurs am Abend", "", "other");
    let dance = offer("Tanzkurs", "Salsa und Tango", "culture");
    let index = index_of(&[apart.clone(), whole.clone(), dance.clone()]);
    let found = find(&index, "Deutschkurs");
    assert_eq!(found[0], whole.id, "the compound itself first");
    assert_eq!(sorted(found), sorted(vec![apart.id, whole.id]));
    assert_eq!(
        sorted(find(&index, "Deutsch Kurs")),
        sorted(vec![apart.id, whole.id])
    );
    assert_eq!(find(&index, "Kurs").len(), 3, "a part finds every compound");

    let help = offer("Hausaufgaben Hilfe", "", "homework_help");
    let together = offer(
        "Hausaufgabenhilfe für Grundschulkinder",
        "",
        "homework_help",
    );
    let index = index_of(&[help.clone(), together.clone()]);
    let both = sorted(vec![help.id, together.id]);
    assert_eq!(sorted(find(&index, "Hausaufgabenhilfe")), both);
    assert_eq!(sorted(find(&index, "Hausaufgaben Hilfe")), both);
    assert_eq!(sorted(find(&index, "hausaufgabenhilfen")), both);
}

#[test]
fn parts_of_compounds_in_descriptions_count_too() {
    let cafe = offer(
        "Treffpunkt Eltern",
        "Unser Elterncafé ist offen.",
        "parents",
    );
    let group = offer("Gulistan", "Eine Frauengruppe für Austausch", "other");
    let index = index_of(&[cafe.clone(), group.clone()]);
    assert_eq!(find(&index, "Elterncafe"), vec![cafe.id]);
    assert_eq!(find(&index, "Eltern Café"), vec![cafe.id]);
    assert_eq!(find(&index, "Frauen Gruppe"), vec![group.id]);
    assert_eq!(find(&index, "Gruppe"), vec![group.id]);
}

#[test]
fn a_compound_nothing_has_whole_finds_what_has_one_part() {
    let group = offer("Frauentreff Gulistan", "", "other");
    let index = index_of(&[group.clone(), offer("Sportverein", "", "sport")]);
    assert_eq!(find(&index, "Frauengruppe"), vec![group.id]);
}

#[test]
fn labels_of_categories_and_target_groups_find_their_documents_in_every_language() {
    let cafe = offer("Sprachcafé", "Deutsch üben bei Tee", "language_course");
    let women = OfferDoc {
        target_groups: vec!["women".to_owned()],
        ..offer("Gulistan", "Treffen am Freitag", "other")
    };
    let homework = offer("Lernstube", "Montags und mittwochs", "homework_help");
    let index = index_of(&[cafe.clone(), women.clone(), homework.clone()]);
    assert!(find(&index, "language course").is_empty(), "no labels yet");
    index.set_labels(labels());
    for text in [
        "language course",
        "Sprachkurse",
        "Dil kursu",
        "دورة لغة",
        "языковые курсы",
        "мовний курс",
        "Deutschkurs",
    ] {
        assert_eq!(find(&index, text), vec![cafe.id], "{text}");
    }
    for text in ["women", "Frauen", "kadınlar", "النساء", "женщины", "жінки"] {
        assert_eq!(find(&index, text), vec![women.id], "{text}");
    }
    for text in ["homework help", "ödev yardımı", "Hausaufgabenhilfe"] {
        assert_eq!(find(&index, text), vec![homework.id], "{text}");
    }
    assert_eq!(find(&index, "Beratnug Frauen"), vec![women.id]);
    // A label's "und", "and", "ve" finds nothing by itself.
    let parents = offer("Elterntreff", "", "parents");
    index.upsert_offers(std::slice::from_ref(&parents)).unwrap();
    index.set_labels(vec![Label {
        facet: "category".to_owned(),
        code: "parents".to_owned(),
        labels: vec![
            "Eltern und Familie".to_owned(),
            "Parents and families".to_owned(),
        ],
    }]);
    assert_eq!(find(&index, "und"), vec![homework.id], "its own text only");
    assert!(find(&index, "and").is_empty());
    assert_eq!(find(&index, "Familie"), vec![parents.id]);
}

#[test]
fn a_word_of_a_synonym_group_finds_the_other_members_once() {
    let course = offer("Alphabetisierung", "", "other");
    let cafe = offer("Sprachcafé", "", "other");
    let homework = offer("Lernhilfe", "", "other");
    let index = index_of(&[course.clone(), cafe.clone(), homework.clone()]);
    assert!(find(&index, "Deutschkurs").is_empty());
    index.set_synonyms(
        Synonyms::parse(
            "Deutschkurs, Sprachkurs, Alphabetisierung\nSprachkurs, Sprachcafé\nNachhilfe, Lernhilfe\nLernhilfe, Nachhilfe",
        )
        .unwrap(),
    );
    assert_eq!(find(&index, "Deutschkurs"), vec![course.id]);
    assert_eq!(find(&index, "deutschkurse"), vec![course.id]);
    assert_eq!(
        sorted(find(&index, "Sprachkurs")),
        sorted(vec![course.id, cafe.id]),
        "a member of two groups finds both groups"
    );
    assert_eq!(
        find(&index, "Nachhilfe"),
        vec![homework.id],
        "loops are harmless"
    );
    // Several words make one member.
    index.set_synonyms(Synonyms::parse("Deutsch lernen, Alphabetisierung").unwrap());
    assert_eq!(find(&index, "Deutsch lernen"), vec![course.id]);
    assert!(
        find(&index, "Deutschkurs").is_empty(),
        "replaced, not added"
    );
    index.set_synonyms(Synonyms::default());
    assert!(!find(&index, "Deutsch lernen").contains(&course.id));
}

#[test]
fn a_search_that_finds_nothing_suggests_a_spelling_that_finds_something() {
    let cafe = offer(
        "Elterncafé Weststadt",
        "Kaffee und Gespräche über Schule",
        "parents",
    );
    let index = index_of(std::slice::from_ref(&cafe));
    index.set_labels(labels());
    let search = |text: &str| index.search(&Query::text(text)).unwrap();
    let none = search("Gesprüche");
    assert_eq!(none.total, 0);
    assert_eq!(none.suggestion.as_deref(), Some("gesprache"));
    assert_eq!(search("gesprache").total, 1);
    assert_eq!(
        search("Gesprüche Schulle").suggestion.as_deref(),
        Some("gesprache schule")
    );
    // Two slips in a seven-letter word: too many for a match, not for a
    // suggestion.
    assert_eq!(search("Kaffoo").total, 0);
    assert_eq!(search("Kaffoo").suggestion.as_deref(), Some("kaffee"));
    // Label words are known too, but only suggested where they find.
    assert_eq!(search("Languoge").suggestion, None);
    let found = search("Elterncafe");
    assert!(found.total > 0 && found.suggestion.is_none());
    assert_eq!(search("xyzxyzxyz").suggestion, None);
    // Nothing public is suggested from what is not public.
    let public_only = index
        .search(&Query {
            public_only: true,
            categories: vec!["sport".into()],
            ..Query::text("Gesprüche")
        })
        .unwrap();
    assert_eq!(
        public_only.suggestion, None,
        "the suggestion must find something"
    );
}

#[test]
fn stop_words_and_letters_are_optional_unless_they_are_all_there_is() {
    let group = OfferDoc {
        alternate_titles: vec!["Women's group".to_owned()],
        ..offer("Frauengruppe", "Für alle Frauen", "women")
    };
    let other = offer(
        "Sprachcafé",
        "Für alle, die Deutsch lernen",
        "language_course",
    );
    let index = index_of(&[group.clone(), other.clone()]);
    assert_eq!(find(&index, "women's group"), vec![group.id]);
    assert_eq!(find(&index, "eine Gruppe für Frauen"), vec![group.id]);
    assert_eq!(
        find(&index, "für alle").len(),
        2,
        "only stop words: searched as they are"
    );
    assert!(find(&index, "und oder").is_empty());
}

#[test]
fn bad_input_answers_without_failing() {
    let index = index_of(&[offer("Deutschkurs", "Kurs <b>fett</b>", "language_course")]);
    index.set_labels(labels());
    index.set_synonyms(Synonyms::parse("Deutschkurs, Sprachkurs").unwrap());
    let long = "Deutschkurs ".repeat(450);
    let inputs = [
        "<script>alert(1)</script>",
        "<b>Deutschkurs</b>",
        "Deutsch AND Kurs",
        "Deutsch OR Kurs",
        "\"Deutsch Kurs\"",
        "(Deutsch) : * ~ ^ - +",
        "title:Deutschkurs~2^3",
        "-Deutschkurs +Sprachkurs",
        "der die das und",
        "deutsch kurs",
        long.as_str(),
        &"Deutschkursdeutschkursdeutschkursdeutschkurs".repeat(3),
        &"ä".repeat(5000),
    ];
    for text in inputs {
        let results = index
            .search(&Query::text(text))
            .unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert!(results.hits.len() <= results.total, "{text:?}");
    }
    for text in [
        "<b>Deutschkurs</b>",
        "Deutsch AND Kurs",
        "\"Deutsch Kurs\"",
        "deutsch kurs",
    ] {
        assert_eq!(find(&index, text).len(), 1, "{text}");
    }
    assert_eq!(find(&index, &long).len(), 1);
    assert_eq!(
        find(&index, "fett").len(),
        1,
        "markup is text like any other"
    );
}

#[test]
fn organisations_are_found_by_their_topics_labels() {
    let index = SearchIndex::in_memory().unwrap();
    let club = OrganisationDoc {
        id: Uuid::now_v7(),
        name: "Verein Anadolu".to_owned(),
        kind: "mso".to_owned(),
        topics: vec!["sports".to_owned()],
        public: true,
        ..OrganisationDoc::default()
    };
    index.upsert(std::slice::from_ref(&club)).unwrap();
    index.set_labels(vec![Label {
        facet: "topic".to_owned(),
        code: "sports".to_owned(),
        labels: vec!["Sport".to_owned(), "Sports".to_owned(), "Spor".to_owned()],
    }]);
    assert_eq!(find(&index, "Spor"), vec![club.id]);
    assert_eq!(find(&index, "sports"), vec![club.id]);
}
