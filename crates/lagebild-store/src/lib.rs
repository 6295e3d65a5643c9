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

mod derived;
mod query;
mod sqlite;
mod types;

pub use sqlite::{SqliteStore, SCHEMA_VERSION};
pub use types::*;

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
    #[error("no {what} with id {id:?}")]
    UnknownId { what: &'static str, id: String },
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

    /// Full-text search, best first (ties by id), one page.
    fn search_page(&self, query: &str, page: Page) -> Result<Paged<SearchHit>>;
    /// Documents, newest first (by publication date, undated last, then id).
    fn documents(&self, page: Page) -> Result<Paged<DocSummary>>;
    /// Stored analysis JSON of documents in id order after `after`: for exports.
    fn documents_json(&self, after: Option<&str>, limit: usize) -> Result<Vec<(String, String)>>;
    /// Entities, most documents first (then id).
    fn entities(&self, page: Page) -> Result<Paged<EntityRecord>>;
    /// One entity with its variants, mentions over time and co-occurring entities.
    fn entity(&self, id: &str) -> Result<Option<EntityProfile>>;
    /// Mentions of an entity, newest first, optionally within dates (`YYYY-MM-DD`, inclusive).
    fn mentions(
        &self,
        entity: &str,
        from: Option<&str>,
        to: Option<&str>,
        page: Page,
    ) -> Result<Paged<MentionRow>>;
    /// Quotes, newest document first (then document, position).
    fn quotes(&self, filter: &QuoteFilter, page: Page) -> Result<Paged<QuoteRow>>;
    /// Events, by day (undated last), then id.
    fn events(&self, filter: &EventFilter, page: Page) -> Result<Paged<EventRow>>;
    /// Events with an id greater than `after`, in id order: for exports.
    fn events_after(&self, filter: &EventFilter, after: i64, limit: usize)
        -> Result<Vec<EventRow>>;
    /// Documents, mentions and events per period.
    fn timeline(&self, scope: &Scope, by: Granularity) -> Result<Vec<TimelinePoint>>;
    /// Actors and who acts on whom (events), or who is named with whom (sentences).
    fn network(&self, scope: &Scope, max_edges: usize) -> Result<Network>;

    /// Create or change a story (its documents are kept).
    fn upsert_story(&mut self, story: &StoryRecord) -> Result<()>;
    /// Put a document into a story (out of any other it was in).
    fn assign_story(&mut self, doc_id: &str, story_id: &str) -> Result<()>;
    /// Replace all stories at once (what a clustering run writes), in one transaction.
    fn replace_stories(&mut self, stories: &[(StoryRecord, Vec<String>)]) -> Result<()>;
    /// Record near-duplicate links (`duplicate_of` in each document's stored
    /// analysis; `None` clears it), in one transaction.
    fn set_duplicates(&mut self, links: &[(String, Option<String>)]) -> Result<()>;
    /// The story a document is in.
    fn story_of(&self, doc_id: &str) -> Result<Option<String>>;
    /// Stories, latest last date first (then id).
    fn stories(&self, page: Page) -> Result<Paged<Story>>;
    /// One story with its sources, entities, events and quotes.
    fn story(&self, id: &str) -> Result<Option<StoryDetail>>;
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
