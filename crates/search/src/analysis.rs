//! Text analysis: how organisation text and user input become index terms.
//!
//! Owns the tokenizer chains registered on the index and the helpers that run
//! the *same* chains over user input, so a query term can only ever match a
//! term produced the same way at index time.
//!
//! Invariants:
//! - Every chain starts with [`WordTokenizer`] and [`Normalise`], so word
//!   boundaries, lower-casing and the dotted/dotless-i handling are identical
//!   across fields and between documents and queries.
//! - Stemming runs *before* ASCII folding: the Snowball stemmers were written
//!   for the native spelling (the Turkish one checks vowel harmony on ı/ö/ü),
//!   and folding afterwards makes the stored terms diacritic-free so a query
//!   typed without diacritics meets them. German is the exception: its
//!   stemmer turns ä/ö/ü into a/o/u itself, so folding first changes nothing
//!   there and lets the compound splitter ([`Decompound`]) see one spelling
//!   ("Elterncafé" and "Elterncafe" alike).
//! - The German chain keeps every word and adds the parts of the compounds
//!   it knows: "Deutschkurs" is indexed as deutschkurs, deutsch and kurs.
//! - Tokens longer than [`MAX_TOKEN_BYTES`] are dropped everywhere; they are
//!   noise (pasted URLs, base64) and would make fuzzy automata expensive.

use std::mem;
use std::str::CharIndices;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, RawTokenizer, RemoveLongFilter, Stemmer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

/// Stemmed + folded text (name, alternate names, description), one per language.
pub(crate) const TEXT_DE: &str = "msohub_text_de";
pub(crate) const TEXT_EN: &str = "msohub_text_en";
pub(crate) const TEXT_TR: &str = "msohub_text_tr";
/// Folded words of the name without stemming: exact and fuzzy name matches.
pub(crate) const NAME_WORDS: &str = "msohub_name_words";
/// Leading characters of each folded name word: search-as-you-type prefixes.
pub(crate) const NAME_EDGE: &str = "msohub_name_edge";
/// Inner substrings of each folded name word: parts of German compounds.
pub(crate) const NAME_NGRAM: &str = "msohub_name_ngram";

/// RemoveLongFilter keeps tokens strictly shorter than this many bytes.
pub(crate) const MAX_TOKEN_BYTES: usize = 64;
/// Edge n-grams cover prefixes up to this many characters; a longer query word
/// still matches through the whole-word field.
pub(crate) const EDGE_MAX_CHARS: usize = 20;
/// Inner n-gram lengths: 3 is the shortest part of a compound worth matching
/// ("bau", "rat"); 15 bounds the index size.
pub(crate) const NGRAM_MIN_CHARS: usize = 3;
pub(crate) const NGRAM_MAX_CHARS: usize = 15;

/// Words no query needs to find: a query word among them is optional
/// while other words are there, and no taxonomy label is found by one.
/// Folded, in the directory's six languages.
const STOP_WORDS: &[&str] = &[
    // German
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "und", "oder", "fur", "mit",
    "von", "vom", "zum", "zur", "im", "in", "am", "an", "auf", "aus", "bei", "bis", "fuer", "zu",
    "ich", "wir", "sie", "auch", "wo", "wie", "was", // English
    "the", "a", "an", "and", "or", "for", "of", "with", "to", "at", "on", "my", "where",
    // Turkish
    "ve", "ile", "icin", "bir", "veya", // Russian, Ukrainian
    "и", "в", "на", "для", "с", "і", "та", "й", "у", "з", // Arabic
    "و", "في", "من", "على", "مع", "إلى", "الى",
];

/// Whether a folded word is one of [`STOP_WORDS`] or a single character.
pub(crate) fn is_stop_word(folded: &str) -> bool {
    folded.chars().count() < 2 || STOP_WORDS.contains(&folded)
}

/// The shared front of every folded chain; a macro because the concrete
/// filter wrapper types are not all exported by tantivy, and boxing the chain
/// would add a dynamic call per token on the indexing hot path.
macro_rules! folded_builder {
    () => {
        TextAnalyzer::builder(WordTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(Normalise)
            .filter(AsciiFoldingFilter)
    };
}

/// Registers every chain used by the schema on the index's tokenizer manager.
pub(crate) fn register(manager: &TokenizerManager) {
    manager.register(TEXT_DE, german());
    manager.register(TEXT_EN, stemmed(Language::English));
    manager.register(TEXT_TR, stemmed(Language::Turkish));
    manager.register(NAME_WORDS, folded());
    manager.register(
        NAME_EDGE,
        folded_builder!()
            .filter(Ngrams {
                min_chars: 1,
                max_chars: EDGE_MAX_CHARS,
                edge_only: true,
            })
            .build(),
    );
    manager.register(
        NAME_NGRAM,
        folded_builder!()
            .filter(Ngrams {
                min_chars: NGRAM_MIN_CHARS,
                max_chars: NGRAM_MAX_CHARS,
                edge_only: false,
            })
            .build(),
    );
}

/// Lower-cased, folded words without stemming.
pub(crate) fn folded() -> TextAnalyzer {
    folded_builder!().build()
}

/// German text: folded, every word and the parts of its compounds, stemmed.
pub(crate) fn german() -> TextAnalyzer {
    folded_builder!()
        .filter(Decompound)
        .filter(Stemmer::new(Language::German))
        .filter(SEnding)
        .build()
}

/// Lower-cased, stemmed, then folded words for one language.
pub(crate) fn stemmed(language: Language) -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(Normalise)
        .filter(Stemmer::new(language))
        .filter(AsciiFoldingFilter)
        .build()
}

/// The whole string lower-cased and folded, for sorting names the way a
/// German reader expects ("Ärzte" next to "Arbeit", case ignored).
pub(crate) fn sort_key(text: &str) -> String {
    let mut analyzer = TextAnalyzer::builder(RawTokenizer::default())
        .filter(Normalise)
        .filter(AsciiFoldingFilter)
        .build();
    let mut stream = analyzer.token_stream(text.trim());
    let mut key = String::new();
    while let Some(token) = stream.next() {
        key.push_str(&token.text);
    }
    key
}

/// The analyzers needed to turn user words into query terms; cloned per
/// search because tantivy analyzers need `&mut` to run.
#[derive(Clone)]
pub(crate) struct QueryAnalyzers {
    /// The German chain; its first term of a word is the whole word's.
    pub(crate) de: TextAnalyzer,
    pub(crate) en: TextAnalyzer,
    pub(crate) tr: TextAnalyzer,
    /// For matching taxonomy labels in the other directory languages.
    pub(crate) ru: TextAnalyzer,
    pub(crate) ar: TextAnalyzer,
    pub(crate) folded: TextAnalyzer,
}

impl QueryAnalyzers {
    pub(crate) fn new() -> Self {
        QueryAnalyzers {
            de: german(),
            en: stemmed(Language::English),
            tr: stemmed(Language::Turkish),
            ru: stemmed(Language::Russian),
            ar: stemmed(Language::Arabic),
            folded: folded(),
        }
    }

    /// The word's terms under every language's rules, each marked with its
    /// language (`de:kurs`, `en:cours`, …): what a taxonomy label and a
    /// query word must share to match. With `parts`, the German parts of a
    /// compound count too.
    pub(crate) fn label_terms(&mut self, word: &str, parts: bool) -> Vec<String> {
        let mut terms = Vec::new();
        let mut push = |term: String| {
            if !terms.contains(&term) {
                terms.push(term);
            }
        };
        let mut stream = self.de.token_stream(word);
        let mut first = true;
        while let Some(token) = stream.next() {
            if first || parts {
                push(format!("de:{}", token.text));
            }
            first = false;
        }
        for (prefix, analyzer) in [
            ("en", &mut self.en),
            ("tr", &mut self.tr),
            ("ru", &mut self.ru),
            ("ar", &mut self.ar),
            ("f", &mut self.folded),
        ] {
            if let Some(term) = single_term(analyzer, word) {
                push(format!("{prefix}:{term}"));
            }
        }
        terms
    }
}

/// Runs `analyzer` over one user word and returns its single term, if any
/// survives (over-long words do not).
pub(crate) fn single_term(analyzer: &mut TextAnalyzer, word: &str) -> Option<String> {
    let mut stream = analyzer.token_stream(word);
    stream
        .next()
        .map(|token| token.text.clone())
        .filter(|term| !term.is_empty())
}

/// Splits user input into words exactly as the index does, keeping at most
/// `max` distinct words (by folded form) so a pasted essay costs no more than
/// a short query.
pub(crate) fn user_words(text: &str, max: usize) -> Vec<String> {
    let mut tokenizer = WordTokenizer::default();
    let mut folded = folded();
    let mut stream = tokenizer.token_stream(text);
    let mut seen: Vec<String> = Vec::new();
    let mut words = Vec::new();
    while words.len() < max && stream.advance() {
        let word = stream.token().text.clone();
        // An over-long word has no folded form; it is kept (and later finds
        // nothing) rather than silently turning the search into "list all".
        let key = single_term(&mut folded, &word).unwrap_or_else(|| word.clone());
        if !seen.contains(&key) {
            seen.push(key);
            words.push(word);
        }
    }
    words
}

fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// Splits on anything that is not alphanumeric, like tantivy's
/// `SimpleTokenizer`, except that combining diacritics stay inside the word:
/// text in decomposed form (NFD, e.g. pasted from a PDF) would otherwise
/// split "Schu\u{308}ler" into "Schu" and "ler".
#[derive(Clone, Default)]
pub(crate) struct WordTokenizer {
    token: Token,
}

pub(crate) struct WordStream<'a> {
    text: &'a str,
    chars: CharIndices<'a>,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            chars: text.char_indices(),
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        // A word starts only at an alphanumeric character, so a stray
        // combining mark after punctuation never makes an empty term.
        while let Some((start, c)) = self.chars.next() {
            if !c.is_alphanumeric() {
                continue;
            }
            let mut end = self.text.len();
            for (offset, c) in self.chars.by_ref() {
                if !(c.is_alphanumeric() || is_combining_mark(c)) {
                    end = offset;
                    break;
                }
            }
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.text.push_str(&self.text[start..end]);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Lower-cases and drops combining diacritics.
///
/// Unlike tantivy's `LowerCaser` it maps Turkish "İ" to plain "i": the
/// Unicode lower case of "İ" is "i" + U+0307, which no folding removes, so
/// "İstanbul" would never meet "istanbul".
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Normalise;

#[derive(Clone)]
pub(crate) struct NormaliseFilter<T> {
    inner: T,
}

pub(crate) struct NormaliseStream<S> {
    tail: S,
    buffer: String,
}

impl TokenFilter for Normalise {
    type Tokenizer<T: Tokenizer> = NormaliseFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> NormaliseFilter<T> {
        NormaliseFilter { inner }
    }
}

impl<T: Tokenizer> Tokenizer for NormaliseFilter<T> {
    type TokenStream<'a> = NormaliseStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        NormaliseStream {
            tail: self.inner.token_stream(text),
            buffer: String::new(),
        }
    }
}

impl<S: TokenStream> TokenStream for NormaliseStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if token.text.is_ascii() {
            token.text.make_ascii_lowercase();
        } else {
            self.buffer.clear();
            for c in token.text.chars() {
                match c {
                    'İ' => self.buffer.push('i'),
                    c if is_combining_mark(c) => {}
                    c => self.buffer.extend(c.to_lowercase()),
                }
            }
            mem::swap(&mut token.text, &mut self.buffer);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Removes an -s the German stemmer left behind after taking off an -e
/// ("Kurse" → kurs, while "Kurs" → kur), under the stemmer's own rule for
/// -s (after b, d, f, g, h, k, l, m, n, r, t), so singular and plural meet.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct SEnding;

#[derive(Clone)]
pub(crate) struct SEndingFilter<T> {
    inner: T,
}

pub(crate) struct SEndingStream<S> {
    tail: S,
}

impl TokenFilter for SEnding {
    type Tokenizer<T: Tokenizer> = SEndingFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> SEndingFilter<T> {
        SEndingFilter { inner }
    }
}

impl<T: Tokenizer> Tokenizer for SEndingFilter<T> {
    type TokenStream<'a> = SEndingStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        SEndingStream {
            tail: self.inner.token_stream(text),
        }
    }
}

impl<S: TokenStream> TokenStream for SEndingStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let text = &mut self.tail.token_mut().text;
        let bytes = text.as_bytes();
        if bytes.len() >= 4
            && bytes[bytes.len() - 1] == b's'
            && b"bdfghklmnrt".contains(&bytes[bytes.len() - 2])
        {
            text.pop();
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Adds the parts of each German compound after the compound itself, at
/// its position (see `compound.rs`); expects folded, lower-cased words.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Decompound;

#[derive(Clone)]
pub(crate) struct DecompoundFilter<T> {
    inner: T,
}

pub(crate) struct DecompoundStream<S> {
    tail: S,
    /// The parts of the current word still to emit, last first.
    parts: Vec<String>,
    token: Token,
}

impl TokenFilter for Decompound {
    type Tokenizer<T: Tokenizer> = DecompoundFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> DecompoundFilter<T> {
        DecompoundFilter { inner }
    }
}

impl<T: Tokenizer> Tokenizer for DecompoundFilter<T> {
    type TokenStream<'a> = DecompoundStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        DecompoundStream {
            tail: self.inner.token_stream(text),
            parts: Vec::new(),
            token: Token::default(),
        }
    }
}

impl<S: TokenStream> TokenStream for DecompoundStream<S> {
    fn advance(&mut self) -> bool {
        if let Some(part) = self.parts.pop() {
            let source = self.tail.token();
            self.token.text.clear();
            self.token.text.push_str(&part);
            self.token.offset_from = source.offset_from;
            self.token.offset_to = source.offset_to;
            self.token.position = source.position;
            self.token.position_length = 1;
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let source = self.tail.token();
        self.token.clone_from(source);
        if let Some(parts) = crate::compound::Dictionary::german().split(&source.text) {
            self.parts
                .extend(parts.into_iter().rev().map(str::to_owned));
        }
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Emits character n-grams of each incoming token (not across tokens, unlike
/// tantivy's `NgramTokenizer`, so "kultur verein" yields no "r v" grams).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ngrams {
    min_chars: usize,
    max_chars: usize,
    /// Only grams starting at the first character (prefixes).
    edge_only: bool,
}

#[derive(Clone)]
pub(crate) struct NgramFilter<T> {
    inner: T,
    config: Ngrams,
}

pub(crate) struct NgramStream<S> {
    tail: S,
    config: Ngrams,
    token: Token,
    /// The current source word and the byte offset of each char boundary
    /// (including the end), so grams are cut on characters, not bytes.
    source: String,
    boundaries: Vec<usize>,
    start: usize,
    len: usize,
}

impl TokenFilter for Ngrams {
    type Tokenizer<T: Tokenizer> = NgramFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> NgramFilter<T> {
        NgramFilter {
            inner,
            config: self,
        }
    }
}

impl<T: Tokenizer> Tokenizer for NgramFilter<T> {
    type TokenStream<'a> = NgramStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        NgramStream {
            tail: self.inner.token_stream(text),
            config: self.config,
            token: Token::default(),
            source: String::new(),
            boundaries: Vec::new(),
            start: 0,
            len: 0,
        }
    }
}

impl<S: TokenStream> NgramStream<S> {
    /// Byte range of the next gram of the current source word, if any.
    fn next_gram(&mut self) -> Option<(usize, usize)> {
        let chars = self.boundaries.len().saturating_sub(1);
        loop {
            if self.config.edge_only && self.start > 0 {
                return None;
            }
            if self.start + self.config.min_chars > chars {
                return None;
            }
            if self.len <= self.config.max_chars && self.start + self.len <= chars {
                let range = (
                    self.boundaries[self.start],
                    self.boundaries[self.start + self.len],
                );
                self.len += 1;
                return Some(range);
            }
            self.start += 1;
            self.len = self.config.min_chars;
        }
    }
}

impl<S: TokenStream> TokenStream for NgramStream<S> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some((from, to)) = self.next_gram() {
                let source = self.tail.token();
                self.token.text.clear();
                self.token.text.push_str(&self.source[from..to]);
                self.token.offset_from = source.offset_from;
                self.token.offset_to = source.offset_to;
                self.token.position = source.position;
                self.token.position_length = 1;
                return true;
            }
            if !self.tail.advance() {
                return false;
            }
            self.source.clear();
            self.source.push_str(&self.tail.token().text);
            self.boundaries.clear();
            self.boundaries
                .extend(self.source.char_indices().map(|(offset, _)| offset));
            self.boundaries.push(self.source.len());
            self.start = 0;
            self.len = self.config.min_chars.max(1);
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn german_umlauts_fold_and_stem_to_the_same_term() {
        let de = || stemmed(Language::German);
        assert_eq!(terms(de(), "Schüler"), terms(de(), "Schule"));
        assert_eq!(terms(de(), "Schüler"), terms(de(), "schuler"));
        assert_eq!(terms(de(), "Straße"), terms(de(), "strasse"));
    }

    #[test]
    fn german_text_keeps_compounds_and_adds_their_parts() {
        assert_eq!(
            terms(german(), "Deutschkurse im Elterncafé"),
            vec![
                "deutschkur",
                "deutsch",
                "kur",
                "im",
                "elterncaf",
                "elt",
                "caf"
            ]
        );
        assert_eq!(
            terms(german(), "Elterncafe"),
            terms(german(), "Elterncafé"),
            "with and without the accent"
        );
        assert_eq!(terms(german(), "Kurs Kurse Kurses"), ["kur"; 3]);
        assert_eq!(terms(german(), "Haus"), ["haus"]);
        // The parts of a compound meet the words written apart.
        let apart = terms(german(), "Hausaufgaben Hilfe");
        for term in terms(german(), "Hausaufgabenhilfe").iter().skip(1) {
            assert!(apart.contains(term), "{term} in {apart:?}");
        }
    }

    #[test]
    fn label_terms_carry_their_language() {
        let mut analyzers = QueryAnalyzers::new();
        let whole = analyzers.label_terms("Sprachkurs", false);
        assert!(whole.contains(&"de:sprachkur".to_owned()), "{whole:?}");
        assert!(!whole.contains(&"de:kur".to_owned()));
        let parts = analyzers.label_terms("Sprachkurs", true);
        assert!(parts.contains(&"de:kur".to_owned()), "{parts:?}");
        let russian = analyzers.label_terms("курсы", false);
        assert_eq!(
            russian.iter().find(|t| t.starts_with("ru:")),
            analyzers
                .label_terms("курс", false)
                .iter()
                .find(|t| t.starts_with("ru:"))
        );
    }

    #[test]
    fn stop_words_and_single_letters_are_known() {
        for word in ["und", "fur", "s", "ve", "и", "و", "the"] {
            assert!(is_stop_word(word), "{word}");
        }
        assert!(!is_stop_word("kurs"));
    }

    #[test]
    fn turkish_letters_fold_to_ascii() {
        assert_eq!(
            terms(folded(), "İSTANBUL Işık şğçöü ĞÜŞ"),
            vec!["istanbul", "isik", "sgcou", "gus"]
        );
        // Stemmed on the native spelling, stored without diacritics.
        let stemmed_tr = terms(stemmed(Language::Turkish), "kültürü");
        assert!(stemmed_tr.iter().all(|t| t.is_ascii()), "{stemmed_tr:?}");
    }

    #[test]
    fn english_is_stemmed() {
        assert_eq!(
            terms(stemmed(Language::English), "Women's Networks"),
            vec!["women", "s", "network"]
        );
    }

    #[test]
    fn decomposed_text_matches_composed_text() {
        assert_eq!(terms(folded(), "Schu\u{308}ler"), vec!["schuler"]);
        assert_eq!(terms(folded(), "\u{308}abc"), vec!["abc"]);
    }

    #[test]
    fn ngrams_stay_inside_words_and_cut_on_characters() {
        let analyzer = folded_builder!()
            .filter(Ngrams {
                min_chars: 3,
                max_chars: 4,
                edge_only: false,
            })
            .build();
        assert_eq!(
            terms(analyzer, "Büro ab"),
            vec!["bur", "buro", "uro"],
            "two-letter words yield nothing, grams never span words"
        );
        let edge = folded_builder!()
            .filter(Ngrams {
                min_chars: 1,
                max_chars: 20,
                edge_only: true,
            })
            .build();
        assert_eq!(
            terms(edge, "Kult ır"),
            vec!["k", "ku", "kul", "kult", "i", "ir"]
        );
    }

    #[test]
    fn user_words_are_capped_and_deduplicated() {
        assert_eq!(
            user_words("Schüler schuler SCHÜLER, \"Verein\" AND (x)", 12),
            vec!["Schüler", "Verein", "AND", "x"]
        );
        assert_eq!(user_words(&"wort ".repeat(1000), 12).len(), 1);
        let many: String = (0..100).map(|i| format!("w{i} ")).collect();
        assert_eq!(user_words(&many, 12).len(), 12);
        assert!(user_words("!!! 🙂 ~*^ ()[]{}", 12).is_empty());
    }

    #[test]
    fn sort_key_ignores_case_and_diacritics() {
        assert_eq!(sort_key("  Ärztinnen-Netz "), "arztinnen-netz");
        assert!(sort_key("ağaç") < sort_key("Ahorn"));
    }
}
