//! The derived tables: entities, mentions, quotes, events (with their parties),
//! written from a document's analysis in the transaction that stores it, and
//! rebuilt when a document is re-analysed.

use std::collections::BTreeSet;

use lagebild_model::Document;
use rusqlite::{params, Transaction};

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

/// Removes the derived rows of the document at `rowid`, adding the entities
/// it mentioned to `touched`.
pub(crate) fn clear(tx: &Transaction, rowid: i64, touched: &mut BTreeSet<String>) -> Result<()> {
    {
        let mut st = tx.prepare_cached("SELECT DISTINCT entity FROM mentions WHERE doc = ?1")?;
        for e in st.query_map(params![rowid], |r| r.get::<_, String>(0))? {
            touched.insert(e?);
        }
    }
    tx.prepare_cached("DELETE FROM mentions WHERE doc = ?1")?
        .execute(params![rowid])?;
    tx.prepare_cached("DELETE FROM quotes WHERE doc = ?1")?
        .execute(params![rowid])?;
    tx.prepare_cached("DELETE FROM events WHERE doc = ?1")?
        .execute(params![rowid])?;
    Ok(())
}

/// Writes the derived rows of `doc`, stored at `rowid`; adds its entities to `touched`.
pub(crate) fn write(
    tx: &Transaction,
    rowid: i64,
    doc: &Document,
    touched: &mut BTreeSet<String>,
) -> Result<()> {
    let date = doc.published.as_deref();
    {
        let mut ent = tx.prepare_cached(
            "INSERT INTO entities (id, name, type, country, sector) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, type = excluded.type,
                country = excluded.country, sector = excluded.sector",
        )?;
        let mut men = tx.prepare_cached(
            "INSERT INTO mentions (doc, entity, off_start, off_end, surface, kind, sentence, date)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for e in &doc.entities {
            ent.execute(params![e.id, e.name, e.kind, e.country, e.sector])?;
            touched.insert(e.id.clone());
            for m in &e.mentions {
                men.execute(params![
                    rowid,
                    e.id,
                    m.start as i64,
                    m.end as i64,
                    m.text,
                    m.kind,
                    sentence_of(doc, m.start),
                    date
                ])?;
            }
        }
    }
    {
        let mut q = tx.prepare_cached(
            "INSERT INTO quotes (doc, seq, speaker, speaker_text, text, cue, type, off_start, off_end, date)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for (i, qu) in doc.quotes.iter().enumerate() {
            q.execute(params![
                rowid,
                i as i64,
                qu.speaker,
                qu.speaker_text,
                qu.text,
                qu.cue,
                qu.kind,
                qu.start as i64,
                qu.end as i64,
                date
            ])?;
        }
    }
    {
        let mut ev = tx.prepare_cached(
            "INSERT INTO events (doc, seq, type, mode, context, actors, recipients, location, date, day,
                modality, claimed_by, cameo, goldstein, off_start, off_end, sentence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        )?;
        let mut party = tx.prepare_cached(
            "INSERT OR IGNORE INTO event_parties (event, role, position, entity) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (i, e) in doc.events.iter().enumerate() {
            let json = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
            ev.execute(params![
                rowid,
                i as i64,
                e.kind,
                e.mode,
                json(&e.context),
                json(&e.actors),
                json(&e.recipients),
                e.location,
                e.date,
                event_day(e.date.as_deref(), date),
                e.modality,
                e.claimed_by,
                e.cameo,
                e.goldstein.filter(|g| g.is_finite()),
                e.start as i64,
                e.end as i64,
                e.sentence
            ])?;
            let id = tx.last_insert_rowid();
            for (role, list) in [("actor", &e.actors), ("recipient", &e.recipients)] {
                for (pos, entity) in list.iter().enumerate() {
                    party.execute(params![id, role, pos as i64, entity])?;
                }
            }
        }
    }
    Ok(())
}

/// Recounts documents and mentions of the `touched` entities.
pub(crate) fn recount(tx: &Transaction, touched: &BTreeSet<String>) -> Result<()> {
    let mut st = tx.prepare_cached(
        "UPDATE entities SET
            documents = (SELECT count(DISTINCT doc) FROM mentions WHERE entity = ?1),
            mentions = (SELECT count(*) FROM mentions WHERE entity = ?1)
         WHERE id = ?1",
    )?;
    for id in touched {
        st.execute(params![id])?;
    }
    Ok(())
}

/// Fills the derived tables for every stored document (run by migration 2).
pub(crate) fn backfill(tx: &Transaction) -> Result<()> {
    let mut touched = BTreeSet::new();
    let rows: Vec<(i64, String, String)> = {
        let mut st = tx.prepare("SELECT rowid, id, analysis FROM documents ORDER BY rowid")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<std::result::Result<_, _>>()?
    };
    let n = rows.len();
    for (rowid, id, json) in rows {
        let doc: Document = serde_json::from_str(&json)
            .map_err(|source| crate::StoreError::Decode { id, source })?;
        write(tx, rowid, &doc, &mut touched)?;
    }
    recount(tx, &touched)?;
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
