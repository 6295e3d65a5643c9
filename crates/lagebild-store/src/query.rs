//! The read queries of both backends (and the story writes), written once
//! over [`Conn`].

use std::collections::{BTreeMap, HashMap};

use crate::db::{args, Conn, Dialect, Row, Val};
use crate::types::*;
use crate::{fts_query, Result, SearchHit, StoreError};

/// Most variants, co-occurring entities and story entities a profile lists.
const MAX_VARIANTS: usize = 50;
const MAX_COOCCURRING: usize = 30;
const MAX_STORY_ENTITIES: usize = 20;
/// Most events and quotes a story page lists.
const MAX_STORY_EVENTS: usize = 500;
const MAX_STORY_QUOTES: usize = 200;

fn lim(page: Page) -> (i64, i64) {
    // One row more than asked tells whether a next page exists.
    let limit = i64::try_from(page.limit.saturating_add(1)).unwrap_or(i64::MAX);
    (limit, i64::try_from(page.offset).unwrap_or(i64::MAX))
}

fn u(v: i64) -> u64 {
    v.max(0) as u64
}

const DOC_SUMMARY_COLUMNS: &str =
    "d.id, d.title, d.published, d.language, d.site, d.url, (SELECT story FROM story_documents WHERE doc = d.id)";

fn doc_summary(r: &Row) -> Result<DocSummary> {
    Ok(DocSummary {
        id: r.get(0)?,
        title: r.get(1)?,
        published: r.get(2)?,
        language: r.get(3)?,
        site: r.get(4)?,
        url: r.get(5)?,
        story: r.get(6)?,
    })
}

/// Maps every row with `f`.
fn map<T>(rows: Vec<Row>, f: impl Fn(&Row) -> Result<T>) -> Result<Vec<T>> {
    rows.iter().map(f).collect()
}

pub(crate) fn search_page<C: Conn>(c: &C, query: &str, page: Page) -> Result<Paged<SearchHit>> {
    let no_words = || StoreError::Query {
        query: query.to_string(),
        message: "no searchable words".into(),
    };
    let (limit, offset) = lim(page);
    let rows = match c.dialect() {
        Dialect::Sqlite => {
            let q = fts_query(query).ok_or_else(no_words)?;
            c.rows(
                "SELECT d.id, d.title, d.published, d.language,
                        snippet(documents_fts, 1, '[', ']', '…', 16), -bm25(documents_fts, 5.0, 1.0)
                 FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid
                 WHERE documents_fts MATCH ?1
                 ORDER BY bm25(documents_fts, 5.0, 1.0), d.id LIMIT ?2 OFFSET ?3",
                args![q, limit, offset],
            )?
        }
        Dialect::Postgres => {
            let q = crate::pg_tsquery(query).ok_or_else(no_words)?;
            // Each document is matched and ranked in its own language's
            // configuration; both tests can use the GIN index.
            c.rows(
                "WITH q AS (SELECT to_tsquery('lagebild_de', ?1) AS de, to_tsquery('lagebild_en', ?1) AS en)
                 SELECT d.id, d.title, d.published, d.language,
                        ts_headline(CASE WHEN d.language = 'de' THEN 'lagebild_de'::regconfig
                                         ELSE 'lagebild_en'::regconfig END,
                                    d.text, CASE WHEN d.language = 'de' THEN q.de ELSE q.en END,
                                    'StartSel=[, StopSel=], MaxWords=18, MinWords=8'),
                        ts_rank_cd(d.tsv, CASE WHEN d.language = 'de' THEN q.de ELSE q.en END)::float8 AS score
                 FROM documents d, q
                 WHERE (d.language = 'de' AND d.tsv @@ q.de) OR (d.language <> 'de' AND d.tsv @@ q.en)
                 ORDER BY score DESC, d.id LIMIT ?2 OFFSET ?3",
                args![q, limit, offset],
            )?
        }
    };
    let hits = map(rows, |r| {
        Ok(SearchHit {
            id: r.get(0)?,
            title: r.get(1)?,
            published: r.get(2)?,
            language: r.get(3)?,
            snippet: r.get(4)?,
            score: r.get(5)?,
        })
    })?;
    Ok(Paged::from_rows(hits, page))
}

pub(crate) fn documents<C: Conn>(c: &C, page: Page) -> Result<Paged<DocSummary>> {
    let (limit, offset) = lim(page);
    let rows = c.rows(
        &format!(
            "SELECT {DOC_SUMMARY_COLUMNS} FROM documents d
             ORDER BY d.published IS NULL, d.published DESC, d.id LIMIT ?1 OFFSET ?2"
        ),
        args![limit, offset],
    )?;
    Ok(Paged::from_rows(map(rows, doc_summary)?, page))
}

pub(crate) fn documents_json<C: Conn>(
    c: &C,
    after: Option<&str>,
    limit: usize,
) -> Result<Vec<(String, String)>> {
    let rows = c.rows(
        "SELECT id, analysis FROM documents WHERE id > ?1 ORDER BY id LIMIT ?2",
        args![after.unwrap_or(""), limit],
    )?;
    map(rows, |r| Ok((r.get(0)?, r.get(1)?)))
}

fn entity_record(r: &Row) -> Result<EntityRecord> {
    Ok(EntityRecord {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: r.get(2)?,
        country: r.get(3)?,
        sector: r.get(4)?,
        documents: u(r.get(5)?),
        mentions: u(r.get(6)?),
    })
}

pub(crate) fn entities<C: Conn>(c: &C, page: Page) -> Result<Paged<EntityRecord>> {
    let (limit, offset) = lim(page);
    let rows = c.rows(
        "SELECT id, name, type, country, sector, documents, mentions FROM entities
         WHERE documents > 0 ORDER BY documents DESC, id LIMIT ?1 OFFSET ?2",
        args![limit, offset],
    )?;
    Ok(Paged::from_rows(map(rows, entity_record)?, page))
}

fn buckets<C: Conn>(c: &C, sql: &str, id: &str) -> Result<Vec<Bucket>> {
    map(c.rows(sql, args![id])?, |r| {
        Ok(Bucket {
            date: r.get(0)?,
            count: u(r.get(1)?),
        })
    })
}

pub(crate) fn entity<C: Conn>(c: &C, id: &str) -> Result<Option<EntityProfile>> {
    let Some(row) = c.opt(
        "SELECT id, name, type, country, sector, documents, mentions FROM entities WHERE id = ?1",
        args![id],
    )?
    else {
        return Ok(None);
    };
    let entity = entity_record(&row)?;
    let span = c.one(
        "SELECT min(date), max(date) FROM mentions WHERE entity = ?1",
        args![id],
    )?;
    let variants = map(
        c.rows(
            "SELECT surface, count(*) FROM mentions WHERE entity = ?1
             GROUP BY surface ORDER BY count(*) DESC, surface LIMIT ?2",
            args![id, MAX_VARIANTS],
        )?,
        |r| {
            Ok(Variant {
                text: r.get(0)?,
                count: u(r.get(1)?),
            })
        },
    )?;
    let mentions_by_day = buckets(
        c,
        "SELECT date, count(*) FROM mentions WHERE entity = ?1 AND date IS NOT NULL
         GROUP BY date ORDER BY date",
        id,
    )?;
    let mentions_by_month = buckets(
        c,
        "SELECT substr(date, 1, 7), count(*) FROM mentions WHERE entity = ?1 AND date IS NOT NULL
         GROUP BY 1 ORDER BY 1",
        id,
    )?;
    let cooccurring = cooccurring(c, id)?;
    Ok(Some(EntityProfile {
        entity,
        first: span.get(0)?,
        last: span.get(1)?,
        variants,
        mentions_by_month,
        mentions_by_day,
        cooccurring,
    }))
}

pub(crate) fn mentions<C: Conn>(
    c: &C,
    entity: &str,
    from: Option<&str>,
    to: Option<&str>,
    page: Page,
) -> Result<Paged<MentionRow>> {
    let (limit, offset) = lim(page);
    let rows = c.rows(
        "SELECT d.id, d.title, d.published, m.surface, m.kind, m.off_start, m.off_end
         FROM mentions m JOIN documents d ON d.rowid = m.doc
         WHERE m.entity = ?1 AND (CAST(?2 AS TEXT) IS NULL OR m.date >= ?2)
           AND (CAST(?3 AS TEXT) IS NULL OR m.date <= ?3)
         ORDER BY m.date IS NULL, m.date DESC, d.id, m.off_start LIMIT ?4 OFFSET ?5",
        args![entity, from, to, limit, offset],
    )?;
    let rows = map(rows, |r| {
        Ok(MentionRow {
            doc: r.get(0)?,
            doc_title: r.get(1)?,
            published: r.get(2)?,
            text: r.get(3)?,
            kind: r.get(4)?,
            start: u(r.get(5)?) as usize,
            end: u(r.get(6)?) as usize,
        })
    })?;
    Ok(Paged::from_rows(rows, page))
}

/// Entities in the documents of `id`, counted by documents and by sentences
/// shared with it. Aggregated here rather than in SQL: one indexed scan of the
/// mentions of those documents, then hash sets (about 20 times faster than
/// the same counts as a SQL join on a popular entity).
fn cooccurring<C: Conn>(c: &C, id: &str) -> Result<Vec<Cooccurrence>> {
    use std::collections::HashSet;
    let rows: Vec<(String, i64, Option<i64>)> = map(
        c.rows(
            "SELECT m.entity, m.doc, m.sentence FROM mentions m
             WHERE m.doc IN (SELECT doc FROM mentions WHERE entity = ?1)",
            args![id],
        )?,
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mine: HashSet<(i64, i64)> = rows
        .iter()
        .filter(|(e, _, _)| e == id)
        .filter_map(|(_, d, s)| s.map(|s| (*d, s)))
        .collect();
    type Sets = (HashSet<i64>, HashSet<(i64, i64)>);
    let mut by: HashMap<&str, Sets> = HashMap::new();
    for (e, d, s) in &rows {
        if e == id {
            continue;
        }
        let (docs, sents) = by.entry(e.as_str()).or_default();
        docs.insert(*d);
        if let Some(s) = s {
            if mine.contains(&(*d, *s)) {
                sents.insert((*d, *s));
            }
        }
    }
    let mut counts: Vec<(&str, u64, u64)> = by
        .into_iter()
        .map(|(e, (d, s))| (e, d.len() as u64, s.len() as u64))
        .collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
    let mut out = Vec::new();
    for (e, documents, sentences) in counts {
        if out.len() == MAX_COOCCURRING {
            break;
        }
        let Some(r) = c.opt("SELECT name, type FROM entities WHERE id = ?1", args![e])? else {
            continue;
        };
        out.push(Cooccurrence {
            id: e.to_string(),
            name: r.get(0)?,
            kind: r.get(1)?,
            documents,
            sentences,
        });
    }
    Ok(out)
}

const STORY_DOCS: &str = "SELECT doc FROM story_documents WHERE story = ?";

pub(crate) fn quotes<C: Conn>(c: &C, f: &QuoteFilter, page: Page) -> Result<Paged<QuoteRow>> {
    let mut conds = Vec::new();
    let mut args: Vec<Val> = Vec::new();
    if let Some(s) = &f.speaker {
        conds.push("q.speaker = ?".to_string());
        args.push(s.into());
    }
    if let Some(d) = &f.doc {
        conds.push("d.id = ?".to_string());
        args.push(d.into());
    }
    if let Some(s) = &f.story {
        conds.push(format!("d.id IN ({STORY_DOCS})"));
        args.push(s.into());
    }
    let (limit, offset) = lim(page);
    args.push(limit.into());
    args.push(offset.into());
    let sql = format!(
        "SELECT d.id, d.title, d.published, q.speaker, e.name, q.speaker_text, q.text, q.cue, q.type,
                q.off_start, q.off_end
         FROM quotes q JOIN documents d ON d.rowid = q.doc LEFT JOIN entities e ON e.id = q.speaker
         {}
         ORDER BY d.published IS NULL, d.published DESC, d.id, q.seq LIMIT ? OFFSET ?",
        where_clause(&conds)
    );
    let rows = map(c.rows(&sql, &args)?, |r| {
        Ok(QuoteRow {
            doc: r.get(0)?,
            doc_title: r.get(1)?,
            published: r.get(2)?,
            speaker: r.get(3)?,
            speaker_name: r.get(4)?,
            speaker_text: r.get(5)?,
            text: r.get(6)?,
            cue: r.get(7)?,
            kind: r.get(8)?,
            start: u(r.get(9)?) as usize,
            end: u(r.get(10)?) as usize,
        })
    })?;
    Ok(Paged::from_rows(rows, page))
}

fn where_clause(conds: &[String]) -> String {
    if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    }
}

fn event_conditions(f: &EventFilter) -> (Vec<String>, Vec<Val>) {
    let mut conds = Vec::new();
    let mut args = Vec::new();
    let mut text = |cond: &str, v: &Option<String>, conds: &mut Vec<String>| {
        if let Some(v) = v {
            conds.push(cond.to_string());
            args.push(Val::from(v));
        }
    };
    text(
        "ev.id IN (SELECT event FROM event_parties WHERE entity = ? AND role = 'actor')",
        &f.actor,
        &mut conds,
    );
    text(
        "ev.id IN (SELECT event FROM event_parties WHERE entity = ? AND role = 'recipient')",
        &f.recipient,
        &mut conds,
    );
    text(
        "ev.id IN (SELECT event FROM event_parties WHERE entity = ?)",
        &f.party,
        &mut conds,
    );
    text("ev.type = ?", &f.kind, &mut conds);
    text(
        "ev.id IN (SELECT p.event FROM event_parties p LEFT JOIN entities e ON e.id = p.entity
                   WHERE coalesce(e.country, CASE WHEN p.entity LIKE 'gpe:%' THEN substr(p.entity, 5) END) = ?)",
        &f.country,
        &mut conds,
    );
    text("ev.day >= ?", &f.from, &mut conds);
    text("ev.day <= ?", &f.to, &mut conds);
    text("ev.modality = ?", &f.modality, &mut conds);
    text("d.id = ?", &f.doc, &mut conds);
    text(&format!("d.id IN ({STORY_DOCS})"), &f.story, &mut conds);
    (conds, args)
}

const EVENT_COLUMNS: &str =
    "ev.id, d.id, d.title, d.url, d.published, ev.type, ev.mode, ev.context,
    ev.actors, ev.recipients, ev.location, ev.date, ev.day, ev.modality, ev.claimed_by, ev.cameo,
    ev.goldstein, ev.off_start, ev.off_end, ev.sentence";

struct RawEvent {
    row: EventRow,
    actors: Vec<String>,
    recipients: Vec<String>,
}

fn raw_event(r: &Row) -> Result<RawEvent> {
    let list = |i: usize| -> Result<Vec<String>> {
        let s: String = r.get(i)?;
        Ok(serde_json::from_str(&s).unwrap_or_default())
    };
    Ok(RawEvent {
        actors: list(8)?,
        recipients: list(9)?,
        row: EventRow {
            id: r.get(0)?,
            doc: r.get(1)?,
            doc_title: r.get(2)?,
            url: r.get(3)?,
            published: r.get(4)?,
            kind: r.get(5)?,
            mode: r.get(6)?,
            context: list(7)?,
            actors: Vec::new(),
            recipients: Vec::new(),
            location: r.get(10)?,
            location_name: None,
            location_country: None,
            date: r.get(11)?,
            day: r.get(12)?,
            modality: r.get(13)?,
            claimed_by: r.get(14)?,
            cameo: r.get(15)?,
            goldstein: r.get(16)?,
            start: u(r.get(17)?) as usize,
            end: u(r.get(18)?) as usize,
            sentence: r.get(19)?,
        },
    })
}

/// Names the parties of events from the entities table.
fn resolve_parties<C: Conn>(c: &C, raw: Vec<RawEvent>) -> Result<Vec<EventRow>> {
    let mut cache: HashMap<String, Party> = HashMap::new();
    let mut party = |id: &String| -> Result<Party> {
        if let Some(p) = cache.get(id) {
            return Ok(p.clone());
        }
        let found = c.opt(
            "SELECT name, country, sector FROM entities WHERE id = ?1",
            args![id],
        )?;
        let p = match found {
            Some(r) => Party {
                id: id.clone(),
                name: Some(r.get(0)?),
                country: r.get(1)?,
                sector: r.get(2)?,
            },
            None => Party {
                id: id.clone(),
                name: None,
                country: id.strip_prefix("gpe:").map(str::to_string),
                sector: None,
            },
        };
        cache.insert(id.clone(), p.clone());
        Ok(p)
    };
    let mut out = Vec::with_capacity(raw.len());
    for mut r in raw {
        r.row.actors = r.actors.iter().map(&mut party).collect::<Result<_>>()?;
        r.row.recipients = r.recipients.iter().map(&mut party).collect::<Result<_>>()?;
        if let Some(loc) = &r.row.location {
            let p = party(loc)?;
            r.row.location_name = p.name;
            r.row.location_country = p.country;
        }
        out.push(r.row);
    }
    Ok(out)
}

pub(crate) fn events<C: Conn>(c: &C, f: &EventFilter, page: Page) -> Result<Paged<EventRow>> {
    let (conds, mut args) = event_conditions(f);
    let (limit, offset) = lim(page);
    args.push(limit.into());
    args.push(offset.into());
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM events ev JOIN documents d ON d.rowid = ev.doc {}
         ORDER BY ev.day IS NULL, ev.day, ev.id LIMIT ? OFFSET ?",
        where_clause(&conds)
    );
    let raw = map(c.rows(&sql, &args)?, raw_event)?;
    Ok(Paged::from_rows(resolve_parties(c, raw)?, page))
}

pub(crate) fn events_after<C: Conn>(
    c: &C,
    f: &EventFilter,
    after: i64,
    limit: usize,
) -> Result<Vec<EventRow>> {
    let (mut conds, mut args) = event_conditions(f);
    conds.push("ev.id > ?".into());
    args.push(after.into());
    args.push(limit.into());
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM events ev JOIN documents d ON d.rowid = ev.doc {}
         ORDER BY ev.id LIMIT ?",
        where_clause(&conds)
    );
    let raw = map(c.rows(&sql, &args)?, raw_event)?;
    resolve_parties(c, raw)
}

pub(crate) fn timeline<C: Conn>(
    c: &C,
    scope: &Scope,
    by: Granularity,
) -> Result<Vec<TimelinePoint>> {
    let len = match by {
        Granularity::Day => 10,
        Granularity::Month => 7,
    };
    // (documents, mentions, events) per bucket
    let (docs_sql, mentions_sql, events_sql, arg): (String, String, String, Option<&String>) =
        if let Some(e) = &scope.entity {
            (
                format!("SELECT substr(date, 1, {len}), count(DISTINCT doc) FROM mentions WHERE entity = ?1 AND date IS NOT NULL GROUP BY 1"),
                format!("SELECT substr(date, 1, {len}), count(*) FROM mentions WHERE entity = ?1 AND date IS NOT NULL GROUP BY 1"),
                format!("SELECT substr(day, 1, {len}), count(*) FROM events WHERE day IS NOT NULL AND id IN (SELECT event FROM event_parties WHERE entity = ?1) GROUP BY 1"),
                Some(e),
            )
        } else if let Some(s) = &scope.story {
            (
                format!("SELECT substr(d.published, 1, {len}), count(*) FROM documents d JOIN story_documents sd ON sd.doc = d.id WHERE sd.story = ?1 AND d.published IS NOT NULL GROUP BY 1"),
                format!("SELECT substr(d.published, 1, {len}), count(*) FROM mentions m JOIN documents d ON d.rowid = m.doc JOIN story_documents sd ON sd.doc = d.id WHERE sd.story = ?1 AND d.published IS NOT NULL GROUP BY 1"),
                format!("SELECT substr(ev.day, 1, {len}), count(*) FROM events ev JOIN documents d ON d.rowid = ev.doc JOIN story_documents sd ON sd.doc = d.id WHERE sd.story = ?1 AND ev.day IS NOT NULL GROUP BY 1"),
                Some(s),
            )
        } else {
            (
                format!("SELECT substr(published, 1, {len}), count(*) FROM documents WHERE published IS NOT NULL GROUP BY 1"),
                format!("SELECT substr(date, 1, {len}), count(*) FROM mentions WHERE date IS NOT NULL GROUP BY 1"),
                format!("SELECT substr(day, 1, {len}), count(*) FROM events WHERE day IS NOT NULL GROUP BY 1"),
                None,
            )
        };
    let args: Vec<Val> = arg.into_iter().map(Val::from).collect();
    let mut points: BTreeMap<String, TimelinePoint> = BTreeMap::new();
    for (which, sql) in [docs_sql, mentions_sql, events_sql].iter().enumerate() {
        for r in c.rows(sql, &args)? {
            let (date, n): (String, u64) = (r.get(0)?, u(r.get(1)?));
            let p = points.entry(date.clone()).or_insert(TimelinePoint {
                date,
                documents: 0,
                mentions: 0,
                events: 0,
            });
            match which {
                0 => p.documents = n,
                1 => p.mentions = n,
                _ => p.events = n,
            }
        }
    }
    Ok(points.into_values().collect())
}

pub(crate) fn network<C: Conn>(c: &C, scope: &Scope, max_edges: usize) -> Result<Network> {
    let max = max_edges as i64;
    let mut edges = Vec::new();
    // Event edges: actor → recipient, the lowest event id as the example.
    let (cond, arg) = if let Some(e) = &scope.entity {
        (
            "WHERE a.event IN (SELECT event FROM event_parties WHERE entity = ?1)",
            Some(e),
        )
    } else if let Some(s) = &scope.story {
        (
            "WHERE ev.doc IN (SELECT d.rowid FROM documents d JOIN story_documents sd ON sd.doc = d.id WHERE sd.story = ?1)",
            Some(s),
        )
    } else {
        ("", None)
    };
    let args: Vec<Val> = arg.into_iter().map(Val::from).collect();
    let sql = format!(
        "SELECT a.entity, r.entity, count(*), min(ev.id)
         FROM event_parties a
         JOIN event_parties r ON r.event = a.event AND r.role = 'recipient'
         JOIN events ev ON ev.id = a.event
         {cond} {} a.role = 'actor' AND a.entity <> r.entity
         GROUP BY a.entity, r.entity ORDER BY count(*) DESC, a.entity, r.entity LIMIT {max}",
        if cond.is_empty() { "WHERE" } else { "AND" }
    );
    for r in c.rows(&sql, &args)? {
        // the example: the first event of the pair
        let example = c.one(
            "SELECT ev.type, d.id, ev.off_start FROM events ev JOIN documents d ON d.rowid = ev.doc
             WHERE ev.id = ?1",
            args![r.get::<i64>(3)?],
        )?;
        edges.push(Edge {
            source: r.get(0)?,
            target: r.get(1)?,
            kind: "event".into(),
            count: u(r.get(2)?),
            event_type: example.get(0)?,
            doc: example.get(1)?,
            start: u(example.get(2)?) as usize,
        });
    }
    // Sentence edges: named in the same sentence; the first such sentence
    // (lowest document row, then sentence) as the example.
    let sentence_sql = if scope.entity.is_some() {
        Some(format!(
            "SELECT m.entity, o.entity, count(DISTINCT m.doc * 1000000 + m.sentence), min(m.doc * 1000000 + m.sentence)
             FROM mentions m JOIN mentions o ON o.doc = m.doc AND o.sentence = m.sentence AND o.entity <> m.entity
             WHERE m.entity = ?1 AND m.sentence IS NOT NULL
             GROUP BY m.entity, o.entity ORDER BY 3 DESC, o.entity LIMIT {max}"
        ))
    } else if scope.story.is_some() {
        Some(format!(
            "SELECT m.entity, o.entity, count(DISTINCT m.doc * 1000000 + m.sentence), min(m.doc * 1000000 + m.sentence)
             FROM mentions m JOIN mentions o ON o.doc = m.doc AND o.sentence = m.sentence AND o.entity > m.entity
             WHERE m.sentence IS NOT NULL
               AND m.doc IN (SELECT d.rowid FROM documents d JOIN story_documents sd ON sd.doc = d.id WHERE sd.story = ?1)
             GROUP BY m.entity, o.entity ORDER BY 3 DESC, m.entity, o.entity LIMIT {max}"
        ))
    } else {
        None
    };
    if let Some(sql) = sentence_sql {
        for r in c.rows(&sql, &args)? {
            let source: String = r.get(0)?;
            let key: i64 = r.get(3)?;
            let example = c.one(
                "SELECT d.id, min(m.off_start) FROM mentions m JOIN documents d ON d.rowid = m.doc
                 WHERE m.doc = ?1 AND m.sentence = ?2 AND m.entity = ?3 GROUP BY d.id",
                args![key / 1_000_000, key % 1_000_000, &source],
            )?;
            edges.push(Edge {
                source,
                target: r.get(1)?,
                kind: "sentence".into(),
                count: u(r.get(2)?),
                event_type: None,
                doc: example.get(0)?,
                start: u(example.get(1)?) as usize,
            });
        }
    }
    let mut ids: Vec<&String> = Vec::new();
    if let Some(e) = &scope.entity {
        ids.push(e);
    }
    for e in &edges {
        ids.push(&e.source);
        ids.push(&e.target);
    }
    let mut seen = std::collections::HashSet::new();
    let mut nodes = Vec::new();
    for id in ids {
        if !seen.insert(id.clone()) {
            continue;
        }
        let found = c.opt(
            "SELECT name, type, country FROM entities WHERE id = ?1",
            args![id],
        )?;
        let (name, kind, country) = match found {
            Some(r) => (r.get(0)?, r.get(1)?, r.get(2)?),
            None => (
                id.clone(),
                "MISC".into(),
                id.strip_prefix("gpe:").map(str::to_string),
            ),
        };
        nodes.push(Node {
            id: id.clone(),
            name,
            kind,
            country,
        });
    }
    Ok(Network { nodes, edges })
}

pub(crate) fn upsert_story<C: Conn>(c: &C, s: &StoryRecord) -> Result<()> {
    c.exec(
        "INSERT INTO stories (id, title, first, last) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET title = excluded.title, first = excluded.first, last = excluded.last",
        args![&s.id, s.title.as_deref(), s.first.as_deref(), s.last.as_deref()],
    )?;
    Ok(())
}

pub(crate) fn assign_story<C: Conn>(c: &C, doc: &str, story: &str) -> Result<()> {
    if !c.exists("SELECT 1 FROM documents WHERE id = ?1", args![doc])? {
        return Err(StoreError::UnknownId {
            what: "document",
            id: doc.into(),
        });
    }
    if !c.exists("SELECT 1 FROM stories WHERE id = ?1", args![story])? {
        return Err(StoreError::UnknownId {
            what: "story",
            id: story.into(),
        });
    }
    c.exec(
        "INSERT INTO story_documents (doc, story) VALUES (?1, ?2)
         ON CONFLICT(doc) DO UPDATE SET story = excluded.story",
        args![doc, story],
    )?;
    Ok(())
}

fn story_of<C: Conn>(
    c: &C,
    id: String,
    title: Option<String>,
    first: Option<String>,
    last: Option<String>,
) -> Result<Story> {
    let documents = c.column(
        "SELECT d.id FROM story_documents sd JOIN documents d ON d.id = sd.doc WHERE sd.story = ?1
         ORDER BY d.published IS NULL, d.published DESC, d.id",
        args![&id],
    )?;
    let entities = c.column(
        "SELECT m.entity FROM mentions m JOIN documents d ON d.rowid = m.doc
         JOIN story_documents sd ON sd.doc = d.id WHERE sd.story = ?1
         GROUP BY m.entity ORDER BY count(DISTINCT m.doc) DESC, count(*) DESC, m.entity LIMIT ?2",
        args![&id, MAX_STORY_ENTITIES],
    )?;
    Ok(Story {
        id,
        title,
        documents,
        entities,
        first,
        last,
    })
}

/// Stories with their date range (stored, else from their documents).
const STORY_HEAD: &str = "SELECT s.id, s.title, coalesce(s.first, min(d.published)) AS first_day,
            coalesce(s.last, max(d.published)) AS last_day
     FROM stories s LEFT JOIN story_documents sd ON sd.story = s.id LEFT JOIN documents d ON d.id = sd.doc";

fn story_head<C: Conn>(c: &C, r: &Row) -> Result<Story> {
    story_of(c, r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)
}

pub(crate) fn stories<C: Conn>(c: &C, page: Page) -> Result<Paged<Story>> {
    let (limit, offset) = lim(page);
    let heads = c.rows(
        &format!(
            "SELECT * FROM ({STORY_HEAD} GROUP BY s.id, s.title, s.first, s.last) h
             ORDER BY h.last_day IS NULL, h.last_day DESC, h.id LIMIT ?1 OFFSET ?2"
        ),
        args![limit, offset],
    )?;
    let rows = map(heads, |r| story_head(c, r))?;
    Ok(Paged::from_rows(rows, page))
}

pub(crate) fn story<C: Conn>(c: &C, id: &str) -> Result<Option<StoryDetail>> {
    let Some(head) = c.opt(
        &format!("{STORY_HEAD} WHERE s.id = ?1 GROUP BY s.id, s.title, s.first, s.last"),
        args![id],
    )?
    else {
        return Ok(None);
    };
    let story = story_head(c, &head)?;
    let sources = map(
        c.rows(
            &format!(
                "SELECT {DOC_SUMMARY_COLUMNS} FROM documents d JOIN story_documents sd ON sd.doc = d.id
                 WHERE sd.story = ?1 ORDER BY d.published IS NULL, d.published, d.id"
            ),
            args![id],
        )?,
        doc_summary,
    )?;
    let entity_counts = map(
        c.rows(
            "SELECT m.entity, e.name, e.type, e.country, count(DISTINCT m.doc), count(*)
             FROM mentions m JOIN documents d ON d.rowid = m.doc
             JOIN story_documents sd ON sd.doc = d.id JOIN entities e ON e.id = m.entity
             WHERE sd.story = ?1
             GROUP BY m.entity, e.name, e.type, e.country
             ORDER BY count(DISTINCT m.doc) DESC, count(*) DESC, m.entity LIMIT 50",
            args![id],
        )?,
        |r| {
            Ok(EntityCount {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: r.get(2)?,
                country: r.get(3)?,
                documents: u(r.get(4)?),
                mentions: u(r.get(5)?),
            })
        },
    )?;
    let ef = EventFilter {
        story: Some(id.to_string()),
        ..Default::default()
    };
    let timeline = events(c, &ef, Page::first(MAX_STORY_EVENTS))?.items;
    let qf = QuoteFilter {
        story: Some(id.to_string()),
        ..Default::default()
    };
    let quotes = quotes(c, &qf, Page::first(MAX_STORY_QUOTES))?.items;
    Ok(Some(StoryDetail {
        story,
        sources,
        entity_counts,
        timeline,
        quotes,
    }))
}
