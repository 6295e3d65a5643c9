//! The derived tables: entities, mentions, quotes, events (with their parties),
//! written from a document's analysis in the transaction that stores it, and
//! rebuilt when a document is re-analysed.

use std::collections::BTreeSet;

use lagebild_model::Document;

use crate::db::{args, Conn};

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
pub(crate) fn clear<C: Conn>(c: &C, rowid: i64, touched: &mut BTreeSet<String>) -> Result<()> {
    touched.extend(c.column::<String>(
        "SELECT DISTINCT entity FROM mentions WHERE doc = ?1",
        args![rowid],
    )?);
    c.exec("DELETE FROM mentions WHERE doc = ?1", args![rowid])?;
    c.exec("DELETE FROM quotes WHERE doc = ?1", args![rowid])?;
    c.exec("DELETE FROM events WHERE doc = ?1", args![rowid])?;
    Ok(())
}

fn json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// Writes the derived rows of `doc`, stored at `rowid`; adds its entities to `touched`.
pub(crate) fn write<C: Conn>(
    c: &C,
    rowid: i64,
    doc: &Document,
    touched: &mut BTreeSet<String>,
) -> Result<()> {
    let date = doc.published.as_deref();
    for e in &doc.entities {
        c.exec(
            "INSERT INTO entities (id, name, type, country, sector) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, type = excluded.type,
                country = excluded.country, sector = excluded.sector",
            args![
                &e.id,
                &e.name,
                &e.kind,
                e.country.as_deref(),
                e.sector.as_deref()
            ],
        )?;
        touched.insert(e.id.clone());
        for m in &e.mentions {
            c.exec(
                "INSERT INTO mentions (doc, entity, off_start, off_end, surface, kind, sentence, date)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                args![
                    rowid,
                    &e.id,
                    m.start,
                    m.end,
                    &m.text,
                    &m.kind,
                    sentence_of(doc, m.start),
                    date
                ],
            )?;
        }
    }
    for (i, qu) in doc.quotes.iter().enumerate() {
        c.exec(
            "INSERT INTO quotes (doc, seq, speaker, speaker_text, text, cue, type, off_start, off_end, date)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            args![
                rowid,
                i,
                qu.speaker.as_deref(),
                qu.speaker_text.as_deref(),
                &qu.text,
                qu.cue.as_deref(),
                &qu.kind,
                qu.start,
                qu.end,
                date
            ],
        )?;
    }
    for (i, e) in doc.events.iter().enumerate() {
        let id: i64 = c
            .one(
                "INSERT INTO events (doc, seq, type, mode, context, actors, recipients, location, date, day,
                    modality, claimed_by, cameo, goldstein, off_start, off_end, sentence)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
                 RETURNING id",
                args![
                    rowid,
                    i,
                    &e.kind,
                    e.mode.as_deref(),
                    json(&e.context),
                    json(&e.actors),
                    json(&e.recipients),
                    e.location.as_deref(),
                    e.date.as_deref(),
                    event_day(e.date.as_deref(), date),
                    &e.modality,
                    e.claimed_by.as_deref(),
                    e.cameo.as_deref(),
                    e.goldstein.filter(|g| g.is_finite()),
                    e.start,
                    e.end,
                    &e.sentence
                ],
            )?
            .get(0)?;
        for (role, list) in [("actor", &e.actors), ("recipient", &e.recipients)] {
            for (pos, entity) in list.iter().enumerate() {
                c.exec(
                    "INSERT INTO event_parties (event, role, position, entity) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT DO NOTHING",
                    args![id, role, pos, entity],
                )?;
            }
        }
    }
    Ok(())
}

/// Recounts documents and mentions of the `touched` entities.
pub(crate) fn recount<C: Conn>(c: &C, touched: &BTreeSet<String>) -> Result<()> {
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
        write(c, rowid, &doc, &mut touched)?;
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
