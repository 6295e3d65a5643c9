//! Storage for analysed documents.
//!
//! One trait, [`Store`], and its default backend, [`SqliteStore`]: a single file,
//! schema versioned by ordered migrations (`PRAGMA user_version`), writes in
//! transactions, full-text search with SQLite's FTS5.
//!
//! Why FTS5 and not tantivy: the index lives in the same file and the same
//! transaction as the documents, so a crash can never leave the two apart, there
//! is nothing to rebuild or lock separately, and it costs no extra dependency (the
//! bundled SQLite already compiles it in). Ranking is BM25 in both.
//!
//! Re-ingesting an article is a no-op: every document carries the hash of its
//! clean text ([`lagebild_model::content_hash`]) under a unique index, and the
//! hash of the raw input bytes, so a resumed ingest can skip inputs it has
//! already stored before analysing them again.

mod sqlite;

pub use sqlite::SqliteStore;

use lagebild_model::Document;

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("database {path} has schema version {found}, newer than this program knows ({known}); upgrade lagebild")]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("stored document {id} does not decode: {source}")]
    Decode {
        id: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("search query {query:?}: {message}")]
    Query { query: String, message: String },
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// What storing one document did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PutOutcome {
    /// A new document was stored.
    New,
    /// The same text was stored before (under this id); nothing changed.
    Duplicate { existing: String },
    /// A document with the same id but other text was replaced.
    Updated,
}

/// A document to store, with the hash of the raw input it came from.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub doc: Document,
    pub raw_hash: Option<String>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchHit {
    pub id: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub language: String,
    /// A piece of the text around the matches, matches within `[` `]`.
    pub snippet: String,
    /// BM25 score (lower is better in SQLite's convention; here negated so higher is better).
    pub score: f64,
}

/// Counts over the store.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Stats {
    pub documents: u64,
    pub bytes_of_text: u64,
    pub languages: Vec<(String, u64)>,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    pub schema_version: i64,
}

/// The storage interface the shells program against.
pub trait Store {
    /// Store documents in one transaction: all or none.
    fn put_batch(&mut self, docs: &[Incoming]) -> Result<Vec<PutOutcome>>;
    /// Whether a raw input with this hash was stored before.
    fn has_raw(&self, raw_hash: &str) -> Result<bool>;
    /// A stored document by id.
    fn get(&self, id: &str) -> Result<Option<Document>>;
    /// Full-text search, best first.
    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>>;
    fn stats(&self) -> Result<Stats>;
}

/// Turns what a user typed into an FTS5 query: each word quoted (so that
/// punctuation cannot break the syntax), all words required; a trailing `*`
/// keeps its prefix meaning, and `OR` between words is kept.
pub fn fts_query(input: &str) -> Option<String> {
    let mut parts = Vec::new();
    for raw in input.split_whitespace() {
        if raw == "OR" {
            if !parts.is_empty() {
                parts.push("OR".to_string());
            }
            continue;
        }
        let prefix = raw.ends_with('*');
        let word: String = raw
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '\'')
            .collect();
        let word = word.trim_matches(['-', '\'']);
        if word.is_empty() {
            continue;
        }
        let quoted = format!("\"{}\"", word.replace('"', "\"\""));
        parts.push(if prefix { format!("{quoted}*") } else { quoted });
    }
    while parts.last().map(String::as_str) == Some("OR") {
        parts.pop();
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_query_quotes_words_and_keeps_prefix_and_or() {
        assert_eq!(
            fts_query("Lawrow Moskau").as_deref(),
            Some("\"Lawrow\" \"Moskau\"")
        );
        assert_eq!(
            fts_query("Nordkor* OR DVRK").as_deref(),
            Some("\"Nordkor\"* OR \"DVRK\"")
        );
        assert_eq!(
            fts_query("\"; DROP TABLE x; --").as_deref(),
            Some("\"DROP\" \"TABLE\" \"x\"")
        );
        assert_eq!(fts_query("  ** () ").as_deref(), None);
        assert_eq!(
            fts_query("Kim Jong-un").as_deref(),
            Some("\"Kim\" \"Jong-un\"")
        );
    }
}
