//! Exports: all documents as JSON Lines, events as CSV and as a GDELT-style
//! tab-separated events table. Streamed in chunks, keyed by id, so that memory
//! stays flat however large the database is.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use lagebild_store::{EventFilter, EventRow, Party};
use tokio::sync::mpsc::Sender;

use crate::api::stream_body;
use crate::app::Shared;
use crate::error::ApiError;
use crate::params::Params;

const CHUNK: usize = 500;

type Tx = Sender<Result<Bytes, std::io::Error>>;

fn send(tx: &Tx, s: String) -> bool {
    tx.blocking_send(Ok(Bytes::from(s))).is_ok()
}

fn fail(tx: &Tx, e: impl std::fmt::Display) {
    tracing::error!(error = %e, "export failed");
    let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
}

fn attachment(ctype: &'static str, name: &'static str, body: axum::body::Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, ctype),
            (
                header::CONTENT_DISPOSITION,
                match name {
                    "documents.jsonl" => "attachment; filename=\"documents.jsonl\"",
                    "events.csv" => "attachment; filename=\"events.csv\"",
                    _ => "attachment; filename=\"events.gdelt.tsv\"",
                },
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn documents_jsonl(State(app): State<Shared>) -> Response {
    let body = stream_body(&app, |s, tx| {
        let mut after: Option<String> = None;
        loop {
            match s.documents_json(after.as_deref(), CHUNK) {
                Ok(rows) if rows.is_empty() => return,
                Ok(rows) => {
                    let mut out = String::new();
                    for (_, json) in &rows {
                        out.push_str(json);
                        out.push('\n');
                    }
                    after = rows.last().map(|(id, _)| id.clone());
                    if !send(tx, out) {
                        return;
                    }
                }
                Err(e) => return fail(tx, e),
            }
        }
    });
    attachment(
        "application/x-ndjson; charset=utf-8",
        "documents.jsonl",
        body,
    )
}

fn stream_events(
    app: &Shared,
    f: EventFilter,
    header_line: String,
    row: fn(&EventRow) -> String,
) -> axum::body::Body {
    stream_body(app, move |s, tx| {
        if !send(tx, header_line) {
            return;
        }
        let mut after = 0;
        loop {
            match s.events_after(&f, after, CHUNK) {
                Ok(rows) if rows.is_empty() => return,
                Ok(rows) => {
                    let mut out = String::new();
                    for r in &rows {
                        out.push_str(&row(r));
                    }
                    after = rows.last().map_or(after, |r| r.id);
                    if !send(tx, out) {
                        return;
                    }
                }
                Err(e) => return fail(tx, e),
            }
        }
    })
}

pub async fn events_csv(State(app): State<Shared>, p: Params) -> Result<Response, ApiError> {
    let f = p.event_filter()?;
    let head = "id,day,date,type,mode,modality,actors,actor_names,recipients,recipient_names,location,cameo,goldstein,claimed_by,doc,url,sentence\r\n";
    let body = stream_events(&app, f, head.to_string(), csv_row);
    Ok(attachment("text/csv; charset=utf-8", "events.csv", body))
}

pub async fn events_gdelt(State(app): State<Shared>, p: Params) -> Result<Response, ApiError> {
    let f = p.event_filter()?;
    let body = stream_events(&app, f, GDELT_COLUMNS.join("\t") + "\n", gdelt_row);
    Ok(attachment(
        "text/tab-separated-values; charset=utf-8",
        "events.gdelt.tsv",
        body,
    ))
}

/// A CSV field: quoted when needed; text that a spreadsheet would run as a
/// formula is prefixed with `'`.
fn csv_text(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn ids(ps: &[Party]) -> String {
    ps.iter()
        .map(|p| p.id.as_str())
        .collect::<Vec<_>>()
        .join("|")
}

fn names(ps: &[Party]) -> String {
    ps.iter()
        .map(|p| p.name.as_deref().unwrap_or(&p.id))
        .collect::<Vec<_>>()
        .join("|")
}

fn csv_row(e: &EventRow) -> String {
    let o = |s: &Option<String>| csv_text(s.as_deref().unwrap_or(""));
    let fields = [
        e.id.to_string(),
        o(&e.day),
        o(&e.date),
        csv_text(&e.kind),
        o(&e.mode),
        csv_text(&e.modality),
        csv_text(&ids(&e.actors)),
        csv_text(&names(&e.actors)),
        csv_text(&ids(&e.recipients)),
        csv_text(&names(&e.recipients)),
        o(&e.location),
        o(&e.cameo),
        e.goldstein.map(|g| g.to_string()).unwrap_or_default(),
        o(&e.claimed_by),
        csv_text(&e.doc),
        o(&e.url),
        csv_text(&e.sentence),
    ];
    fields.join(",") + "\r\n"
}

/// The columns, named and ordered after GDELT's event table where it has one
/// (`Actor1Code` = country + sector, as CAMEO actor codes are), then ours.
pub const GDELT_COLUMNS: &[&str] = &[
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "DATEADDED",
    "SOURCEURL",
    "PLOVERType",
    "Modality",
    "DocumentId",
];

/// A TSV field: tabs and line breaks become spaces.
fn tsv(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn actor_code(p: &Party) -> String {
    format!(
        "{}{}",
        p.country.as_deref().unwrap_or(""),
        p.sector.as_deref().unwrap_or("")
    )
}

/// CAMEO root code → GDELT's QuadClass: 1 verbal cooperation, 2 material
/// cooperation, 3 verbal conflict, 4 material conflict.
pub fn quad_class(root: &str) -> Option<u8> {
    let n: u8 = root.parse().ok()?;
    Some(match n {
        1..=5 => 1,
        6..=8 => 2,
        9..=13 => 3,
        14..=20 => 4,
        _ => return None,
    })
}

fn gdelt_row(e: &EventRow) -> String {
    let day = e.day.as_deref().unwrap_or("").replace('-', "");
    let a1 = e.actors.first();
    let a2 = e.recipients.first();
    let code = |p: Option<&Party>| p.map(actor_code).unwrap_or_default();
    let name = |p: Option<&Party>| {
        p.map(|p| p.name.as_deref().unwrap_or(&p.id).to_uppercase())
            .unwrap_or_default()
    };
    let country = |p: Option<&Party>| p.and_then(|p| p.country.clone()).unwrap_or_default();
    let cameo = e.cameo.clone().unwrap_or_default();
    let base = cameo.chars().take(3).collect::<String>();
    let root = cameo.chars().take(2).collect::<String>();
    let fields = [
        e.id.to_string(),
        day.clone(),
        day.chars().take(6).collect(),
        day.chars().take(4).collect(),
        code(a1),
        name(a1),
        country(a1),
        code(a2),
        name(a2),
        country(a2),
        "1".into(),
        cameo.clone(),
        base,
        root.clone(),
        quad_class(&root).map(|q| q.to_string()).unwrap_or_default(),
        e.goldstein.map(|g| format!("{g:.1}")).unwrap_or_default(),
        "1".into(),
        "1".into(),
        "1".into(),
        e.location_name.clone().unwrap_or_default(),
        e.location_country.clone().unwrap_or_default(),
        e.published.as_deref().unwrap_or("").replace('-', ""),
        e.url.clone().unwrap_or_default(),
        e.kind.clone(),
        e.modality.clone(),
        e.doc.clone(),
    ];
    fields.iter().map(|f| tsv(f)).collect::<Vec<_>>().join("\t") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_text("a,b"), "\"a,b\"");
        assert_eq!(csv_text("say \"x\""), "\"say \"\"x\"\"\"");
        assert_eq!(csv_text("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_text("plain"), "plain");
    }

    #[test]
    fn quad_classes_follow_cameo_roots() {
        assert_eq!(quad_class("03"), Some(1));
        assert_eq!(quad_class("07"), Some(2));
        assert_eq!(quad_class("11"), Some(3));
        assert_eq!(quad_class("19"), Some(4));
        assert_eq!(quad_class(""), None);
    }
}
