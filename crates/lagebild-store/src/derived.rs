//! The derived tables: entities, mentions, quotes, events (with their parties),
//! written from a document's analysis in the transaction that stores it, and
//! rebuilt when a document is re-analysed.

use std::collections::{BTreeMap, BTreeSet};

use lagebild_model::Document;

use crate::db::{args, insert_rows, multi_row, Conn, Val};

use crate::Result;

/// Migration 2: the derived tables and stories. Filled for documents stored
/// before it by [`backfill`].
pub(crate) const MIGRATION_2: &str = r#"
    CREATE TABLE entities (
        id        TEXT PRIMARY KEY,
        name      TEXT NOT NULL,
        type      TEXT NOT NULL,
        country   TEXT,
        sector    TEXT,
        documents INTEGER NOT NULL DEFAULT 0,
        mentions  INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX entities_rank ON entities(documents DESC, id);
    CREATE TABLE mentions (
        doc      INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        entity   TEXT NOT NULL,
        off_start INTEGER NOT NULL,
        off_end  INTEGER NOT NULL,
        surface  TEXT NOT NULL,
        kind     TEXT NOT NULL,
        sentence INTEGER,
        date     TEXT
    );
    CREATE INDEX mentions_entity ON mentions(entity, date);
    CREATE INDEX mentions_doc ON mentions(doc, sentence);
    CREATE TABLE quotes (
        doc          INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        seq          INTEGER NOT NULL,
        speaker      TEXT,
        speaker_text TEXT,
        text         TEXT NOT NULL,
        cue          TEXT,
        type         TEXT NOT NULL,
        off_start    INTEGER NOT NULL,
        off_end      INTEGER NOT NULL,
        date         TEXT,
        PRIMARY KEY (doc, seq)
    );
    CREATE INDEX quotes_speaker ON quotes(speaker, date);
    CREATE TABLE events (
        id         INTEGER PRIMARY KEY,
        doc        INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        type       TEXT NOT NULL,
        mode       TEXT,
        context    TEXT NOT NULL,
        actors     TEXT NOT NULL,
        recipients TEXT NOT NULL,
        location   TEXT,
        date       TEXT,
        day        TEXT,
        modality   TEXT NOT NULL,
        claimed_by TEXT,
        cameo      TEXT,
        goldstein  REAL,
        off_start  INTEGER NOT NULL,
        off_end    INTEGER NOT NULL,
        sentence   TEXT NOT NULL
    );
    CREATE INDEX events_doc ON events(doc);
    CREATE INDEX events_day ON events(day, id);
    CREATE INDEX events_type ON events(type, day);
    CREATE TABLE event_parties (
        event    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        role     TEXT NOT NULL CHECK (role IN ('actor', 'recipient')),
        position INTEGER NOT NULL,
        entity   TEXT NOT NULL,
        PRIMARY KEY (event, role, position)
    );
    CREATE INDEX event_parties_entity ON event_parties(entity, role);
    CREATE TABLE stories (
        id    TEXT PRIMARY KEY,
        title TEXT,
        first TEXT,
        last  TEXT
    );
    CREATE TABLE story_documents (
        doc   TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE ON UPDATE CASCADE,
        story TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE
    );
    CREATE INDEX story_documents_story ON story_documents(story);
"#;

/// The day an event is filed under: its own date when that is a day, else the
/// document's publication date.
fn event_day(date: Option<&str>, published: Option<&str>) -> Option<String> {
    let is_day = |s: &str| {
        let b = s.as_bytes();
        b.len() >= 10
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4] == b'-'
            && b[5..7].iter().all(u8::is_ascii_digit)
            && b[7] == b'-'
            && b[8..10].iter().all(u8::is_ascii_digit)
    };
    match date {
        Some(d) if is_day(d) => Some(d[..10].to_string()),
        _ => published.filter(|p| is_day(p)).map(|p| p[..10].to_string()),
    }
}

/// The index of the sentence that contains byte `offset`.
fn sentence_of(doc: &Document, offset: usize) -> Option<i64> {
    let i = doc.sentences.partition_point(|s| s.start <= offset);
    (i > 0 && offset < doc.sentences[i - 1].end.max(doc.sentences[i - 1].start + 1))
        .then(|| (i - 1) as i64)
}

/// Changes of entities' document and mention counts, applied once per
/// transaction by [`apply_counts`] (in id order).
pub(crate) type Counts = BTreeMap<String, (i64, i64)>;

/// Removes the derived rows of the document at `rowid`, taking its mentions
/// off the entities' counts.
pub(crate) fn clear<C: Conn>(c: &C, rowid: i64, counts: &mut Counts) -> Result<()> {
    for r in c.rows(
        "SELECT entity, count(*) FROM mentions WHERE doc = ?1 GROUP BY entity",
        args![rowid],
    )? {
        let e = counts.entry(r.get(0)?).or_default();
        e.0 -= 1;
        e.1 -= r.get::<i64>(1)?;
    }
    c.exec("DELETE FROM mentions WHERE doc = ?1", args![rowid])?;
    c.exec("DELETE FROM quotes WHERE doc = ?1", args![rowid])?;
    c.exec("DELETE FROM events WHERE doc = ?1", args![rowid])?;
    Ok(())
}

/// Adds the counted changes to the entities, in id order, in a few
/// statements (not one per entity, and without recounting an entity's
/// mentions over the whole store).
pub(crate) fn apply_counts<C: Conn>(c: &C, counts: &Counts) -> Result<()> {
    let values: Vec<Val> = counts
        .iter()
        .filter(|(_, d)| **d != (0, 0))
        .flat_map(|(id, (docs, mentions))| [Val::from(id), Val::from(*docs), Val::from(*mentions)])
        .collect();
    multi_row(
        c,
        "UPDATE entities SET documents = entities.documents + v.column2,
            mentions = entities.mentions + v.column3
         FROM (VALUES",
        "(?, CAST(? AS BIGINT), CAST(? AS BIGINT))",
        3,
        &values,
        ") AS v WHERE entities.id = v.column1",
    )?;
    Ok(())
}

fn json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// Creates or updates the entities of `docs` (the last document's name and
/// type win), in id order: concurrent writers then lock entity rows in one
/// order and cannot deadlock on them.
pub(crate) fn upsert_entities<C: Conn>(c: &C, docs: &[&Document]) -> Result<()> {
    let mut all: BTreeMap<&str, &lagebild_model::Entity> = BTreeMap::new();
    for d in docs {
        for e in &d.entities {
            all.insert(&e.id, e);
        }
    }
    let values: Vec<Val> = all
        .values()
        .flat_map(|e| {
            [
                Val::from(&e.id),
                Val::from(&e.name),
                Val::from(&e.kind),
                Val::from(e.country.as_deref()),
                Val::from(e.sector.as_deref()),
            ]
        })
        .collect();
    insert_rows(
        c,
        "entities (id, name, type, country, sector)",
        5,
        &values,
        "ON CONFLICT(id) DO UPDATE SET name = excluded.name, type = excluded.type,
            country = excluded.country, sector = excluded.sector",
    )?;
    Ok(())
}

/// Writes the derived rows of `doc`, stored at `rowid` (its entities are
/// written by [`upsert_entities`] first); adds its mentions to `counts`.
pub(crate) fn write<C: Conn>(c: &C, rowid: i64, doc: &Document, counts: &mut Counts) -> Result<()> {
    let date = doc.published.as_deref();
    let mut mentions = Vec::new();
    let mut seen = BTreeSet::new();
    for e in &doc.entities {
        let n = counts.entry(e.id.clone()).or_default();
        // a document counts for an entity it has a mention of (as a recount
        // over the mentions table would)
        if !e.mentions.is_empty() && seen.insert(e.id.as_str()) {
            n.0 += 1;
        }
        n.1 += e.mentions.len() as i64;
        for m in &e.mentions {
            mentions.extend([
                Val::from(rowid),
                Val::from(&e.id),
                Val::from(m.start),
                Val::from(m.end),
                Val::from(&m.text),
                Val::from(&m.kind),
                Val::from(sentence_of(doc, m.start)),
                Val::from(date),
            ]);
        }
    }
    insert_rows(
        c,
        "mentions (doc, entity, off_start, off_end, surface, kind, sentence, date)",
        8,
        &mentions,
        "",
    )?;
    let quotes: Vec<Val> = doc
        .quotes
        .iter()
        .enumerate()
        .flat_map(|(i, qu)| {
            [
                Val::from(rowid),
                Val::from(i),
                Val::from(qu.speaker.as_deref()),
                Val::from(qu.speaker_text.as_deref()),
                Val::from(&qu.text),
                Val::from(qu.cue.as_deref()),
                Val::from(&qu.kind),
                Val::from(qu.start),
                Val::from(qu.end),
                Val::from(date),
            ]
        })
        .collect();
    insert_rows(
        c,
        "quotes (doc, seq, speaker, speaker_text, text, cue, type, off_start, off_end, date)",
        10,
        &quotes,
        "",
    )?;
    let events: Vec<Val> = doc
        .events
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            [
                Val::from(rowid),
                Val::from(i),
                Val::from(&e.kind),
                Val::from(e.mode.as_deref()),
                Val::from(json(&e.context)),
                Val::from(json(&e.actors)),
                Val::from(json(&e.recipients)),
                Val::from(e.location.as_deref()),
                Val::from(e.date.as_deref()),
                Val::from(event_day(e.date.as_deref(), date)),
                Val::from(&e.modality),
                Val::from(e.claimed_by.as_deref()),
                Val::from(e.cameo.as_deref()),
                Val::from(e.goldstein.filter(|g| g.is_finite())),
                Val::from(e.start),
                Val::from(e.end),
                Val::from(&e.sentence),
            ]
        })
        .collect();
    let ids = insert_rows(
        c,
        "events (doc, seq, type, mode, context, actors, recipients, location, date, day,
            modality, claimed_by, cameo, goldstein, off_start, off_end, sentence)",
        17,
        &events,
        "RETURNING id, seq",
    )?;
    let mut parties = Vec::new();
    for r in ids {
        let (id, seq): (i64, i64) = (r.get(0)?, r.get(1)?);
        let Some(e) = usize::try_from(seq).ok().and_then(|i| doc.events.get(i)) else {
            continue;
        };
        for (role, list) in [("actor", &e.actors), ("recipient", &e.recipients)] {
            for (pos, entity) in list.iter().enumerate() {
                parties.extend([
                    Val::from(id),
                    Val::from(role),
                    Val::from(pos),
                    Val::from(entity),
                ]);
            }
        }
    }
    insert_rows(
        c,
        "event_parties (event, role, position, entity)",
        4,
        &parties,
        "ON CONFLICT DO NOTHING",
    )?;
    Ok(())
}

/// Recounts documents and mentions of the `touched` entities from the
/// mentions table (migration 2's backfill).
fn recount<C: Conn>(c: &C, touched: &BTreeSet<String>) -> Result<()> {
    for id in touched {
        c.exec(
            "UPDATE entities SET
                documents = (SELECT count(DISTINCT doc) FROM mentions WHERE entity = ?1),
                mentions = (SELECT count(*) FROM mentions WHERE entity = ?1)
             WHERE id = ?1",
            args![id],
        )?;
    }
    Ok(())
}

/// Fills the derived tables for every stored document (run by migration 2).
pub(crate) fn backfill<C: Conn>(c: &C) -> Result<()> {
    let mut touched = BTreeSet::new();
    let rows = c.rows(
        "SELECT rowid, id, analysis FROM documents ORDER BY rowid",
        &[],
    )?;
    let n = rows.len();
    for r in rows {
        let (rowid, id, json): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let doc: Document = serde_json::from_str(&json)
            .map_err(|source| crate::StoreError::Decode { id, source })?;
        upsert_entities(c, &[&doc])?;
        let mut counts = Counts::new();
        write(c, rowid, &doc, &mut counts)?;
        touched.extend(counts.into_keys());
    }
    recount(c, &touched)?;
    tracing::info!(documents = n, "derived tables filled");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_day_prefers_a_day_value() {
        assert_eq!(
            event_day(Some("2024-11-02"), Some("2024-11-05")).as_deref(),
            Some("2024-11-02")
        );
        assert_eq!(
            event_day(Some("2024-11"), Some("2024-11-05")).as_deref(),
            Some("2024-11-05")
        );
        assert_eq!(event_day(Some("PRESENT_REF"), None), None);
        assert_eq!(
            event_day(Some("2024-11-02T10:00"), None).as_deref(),
            Some("2024-11-02")
        );
    }
}
