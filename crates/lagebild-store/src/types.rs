//! The rows the query methods of [`crate::Store`] return. All serialise to the
//! JSON the HTTP API serves, so their field names are part of that API.

use serde::Serialize;

/// A window of a list: `limit` items from `offset` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: usize,
    pub offset: usize,
}

impl Page {
    pub fn new(limit: usize, offset: usize) -> Self {
        Page { limit, offset }
    }
    /// The first `limit` items.
    pub fn first(limit: usize) -> Self {
        Page { limit, offset: 0 }
    }
}

/// One page of a list, in a stable order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub offset: usize,
    pub limit: usize,
    /// The offset of the next page, when there is one.
    pub next_offset: Option<usize>,
}

impl<T> Paged<T> {
    /// Builds a page from up to `limit + 1` fetched rows (the extra row only
    /// tells that there is a next page).
    pub fn from_rows(mut rows: Vec<T>, page: Page) -> Self {
        let more = rows.len() > page.limit;
        rows.truncate(page.limit);
        Paged {
            items: rows,
            offset: page.offset,
            limit: page.limit,
            next_offset: more.then_some(page.offset + page.limit),
        }
    }
}

/// A document in a list (no text, no layers).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocSummary {
    pub id: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub language: String,
    pub site: Option<String>,
    pub url: Option<String>,
    /// The story the document belongs to, if any.
    pub story: Option<String>,
}

/// An entity as stored: the last analysed name and type for its id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityRecord {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub country: Option<String>,
    pub sector: Option<String>,
    /// Documents that mention it.
    pub documents: u64,
    /// Mentions over all documents.
    pub mentions: u64,
}

/// A spelling of an entity and how often it occurs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub text: String,
    pub count: u64,
}

/// A count in a period (`YYYY-MM-DD` or `YYYY-MM`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bucket {
    pub date: String,
    pub count: u64,
}

/// An entity that occurs together with another one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cooccurrence {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// Documents that mention both.
    pub documents: u64,
    /// Sentences that mention both.
    pub sentences: u64,
}

/// Everything the entity page shows that is not a list of its own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityProfile {
    #[serde(flatten)]
    pub entity: EntityRecord,
    /// The first and last publication date of a document that mentions it.
    pub first: Option<String>,
    pub last: Option<String>,
    /// Distinct surface forms, most frequent first.
    pub variants: Vec<Variant>,
    pub mentions_by_month: Vec<Bucket>,
    pub mentions_by_day: Vec<Bucket>,
    /// Entities in the same documents, most shared documents first.
    pub cooccurring: Vec<Cooccurrence>,
}

/// One mention of an entity, with its document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MentionRow {
    pub doc: String,
    pub doc_title: Option<String>,
    pub published: Option<String>,
    pub text: String,
    pub kind: String,
    pub start: usize,
    pub end: usize,
}

/// A stored quotation with the document it is from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuoteRow {
    pub doc: String,
    pub doc_title: Option<String>,
    pub published: Option<String>,
    pub speaker: Option<String>,
    /// The speaker entity's name, when the speaker is known.
    pub speaker_name: Option<String>,
    pub speaker_text: Option<String>,
    pub text: String,
    pub cue: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub start: usize,
    pub end: usize,
}

/// Which quotes to list; all fields optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuoteFilter {
    /// Speaker entity id.
    pub speaker: Option<String>,
    /// Document id.
    pub doc: Option<String>,
    /// Story id.
    pub story: Option<String>,
}

/// Which events to list; all fields optional, all given ones must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    /// Entity id among the actors.
    pub actor: Option<String>,
    /// Entity id among the recipients.
    pub recipient: Option<String>,
    /// Entity id among actors or recipients.
    pub party: Option<String>,
    /// PLOVER event type (`CONSULT`).
    pub kind: Option<String>,
    /// ISO 3166-1 alpha-3 country of an actor or recipient.
    pub country: Option<String>,
    /// First and last day (`YYYY-MM-DD`, inclusive) of the event's date (its
    /// own when it is a day, else its document's publication date).
    pub from: Option<String>,
    pub to: Option<String>,
    pub modality: Option<String>,
    pub doc: Option<String>,
    pub story: Option<String>,
}

/// An actor or recipient of an event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Party {
    pub id: String,
    /// The entity's name when it is known to the store.
    pub name: Option<String>,
    pub country: Option<String>,
    pub sector: Option<String>,
}

/// A stored event with the document it is from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRow {
    /// Store-assigned number, stable while the document is not re-analysed.
    pub id: i64,
    pub doc: String,
    pub doc_title: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub mode: Option<String>,
    pub context: Vec<String>,
    pub actors: Vec<Party>,
    pub recipients: Vec<Party>,
    pub location: Option<String>,
    /// The location entity's name and country, when known to the store.
    pub location_name: Option<String>,
    pub location_country: Option<String>,
    /// TIMEX3 value as analysed.
    pub date: Option<String>,
    /// The day it is filed under: `date` when it is a day, else the
    /// publication date.
    pub day: Option<String>,
    pub modality: String,
    pub claimed_by: Option<String>,
    pub cameo: Option<String>,
    pub goldstein: Option<f64>,
    pub start: usize,
    pub end: usize,
    pub sentence: String,
}

/// A story as written by clustering.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryRecord {
    pub id: String,
    pub title: Option<String>,
    /// First and last date; when `None`, the lists take them from the documents.
    pub first: Option<String>,
    pub last: Option<String>,
}

/// A story in the contract's shape (`lagebild stories --json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Story {
    pub id: String,
    pub title: Option<String>,
    /// Document ids, newest first.
    pub documents: Vec<String>,
    /// Entity ids, most documents first (at most 20).
    pub entities: Vec<String>,
    pub first: Option<String>,
    pub last: Option<String>,
}

/// An entity with its count in some scope (a story).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityCount {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub country: Option<String>,
    pub documents: u64,
    pub mentions: u64,
}

/// A story with what its page shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryDetail {
    #[serde(flatten)]
    pub story: Story,
    /// Its documents (the sources), oldest first.
    pub sources: Vec<DocSummary>,
    /// Its entities, most documents first.
    pub entity_counts: Vec<EntityCount>,
    /// Its events in time order.
    pub timeline: Vec<EventRow>,
    pub quotes: Vec<QuoteRow>,
}

/// What a timeline or network is drawn over.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    pub entity: Option<String>,
    pub story: Option<String>,
}

/// Bucket size of a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    Day,
    Month,
}

/// Counts in one period of a timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelinePoint {
    pub date: String,
    pub documents: u64,
    pub mentions: u64,
    pub events: u64,
}

/// A node of an actor network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub country: Option<String>,
}

/// An edge of an actor network: events from `source` to `target`, or the two
/// named in the same sentence; `doc`/`start` point at one sentence it is read from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edge {
    pub source: String,
    pub target: String,
    /// `event` (directed, actor → recipient) or `sentence` (co-occurrence).
    pub kind: String,
    pub count: u64,
    /// For event edges, the PLOVER type of the example event.
    pub event_type: Option<String>,
    pub doc: String,
    pub start: usize,
}

/// An actor network.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Network {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}
