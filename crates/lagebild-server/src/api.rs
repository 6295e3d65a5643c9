//! The JSON API under `/api`.

use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use lagebild_model::RawDocument;
use lagebild_store::{Granularity, Incoming, PutOutcome, QuoteFilter, Scope};
use serde_json::{json, Value};

use crate::app::{read, Shared};
use crate::error::ApiError;
use crate::params::Params;

type ApiResult = Result<Response, ApiError>;

fn ok<T: serde::Serialize>(v: T) -> ApiResult {
    Ok(Json(v).into_response())
}

/// Path ids are bounded like any parameter.
pub fn check_id(id: &str) -> Result<(), ApiError> {
    if id.is_empty() || id.len() > 1000 {
        return Err(ApiError::bad_request("id must have 1 to 1000 bytes"));
    }
    Ok(())
}

pub async fn documents(State(app): State<Shared>, p: Params) -> ApiResult {
    let page = p.page()?;
    ok(read(&app, move |s| s.documents(page)).await?)
}

pub async fn document(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult {
    check_id(&id)?;
    let key = id.clone();
    match read(&app, move |s| s.get(&key)).await? {
        Some(d) => ok(d),
        None => Err(ApiError::not_found("document", &id)),
    }
}

pub async fn entities(State(app): State<Shared>, p: Params) -> ApiResult {
    let page = p.page()?;
    ok(read(&app, move |s| s.entities(page)).await?)
}

pub async fn entity(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult {
    check_id(&id)?;
    let key = id.clone();
    match read(&app, move |s| s.entity(&key)).await? {
        Some(e) => ok(e),
        None => Err(ApiError::not_found("entity", &id)),
    }
}

pub async fn mentions(State(app): State<Shared>, Path(id): Path<String>, p: Params) -> ApiResult {
    check_id(&id)?;
    let page = p.page()?;
    let (from, to) = (p.date("from")?, p.date("to")?);
    ok(read(&app, move |s| {
        s.mentions(&id, from.as_deref(), to.as_deref(), page)
    })
    .await?)
}

pub async fn quotes(State(app): State<Shared>, p: Params) -> ApiResult {
    let page = p.page()?;
    let f = QuoteFilter {
        speaker: p.text("speaker"),
        doc: p.text("doc"),
        story: p.text("story"),
    };
    ok(read(&app, move |s| s.quotes(&f, page)).await?)
}

pub async fn events(State(app): State<Shared>, p: Params) -> ApiResult {
    let page = p.page()?;
    let f = p.event_filter()?;
    ok(read(&app, move |s| s.events(&f, page)).await?)
}

pub async fn stories(State(app): State<Shared>, p: Params) -> ApiResult {
    let page = p.page()?;
    ok(read(&app, move |s| s.stories(page)).await?)
}

pub async fn story(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult {
    check_id(&id)?;
    let key = id.clone();
    match read(&app, move |s| s.story(&key)).await? {
        Some(st) => ok(st),
        None => Err(ApiError::not_found("story", &id)),
    }
}

pub async fn search(State(app): State<Shared>, p: Params) -> ApiResult {
    let Some(q) = p.text("q") else {
        return Err(ApiError::bad_request("q (the words to find) is missing"));
    };
    let page = p.page_with(20)?;
    ok(read(&app, move |s| s.search_page(&q, page)).await?)
}

pub fn scope(p: &Params) -> Scope {
    Scope {
        entity: p.text("entity"),
        story: p.text("story"),
    }
}

pub fn granularity(p: &Params) -> Result<Granularity, ApiError> {
    match p.text("by").as_deref() {
        None | Some("day") => Ok(Granularity::Day),
        Some("month") => Ok(Granularity::Month),
        Some(o) => Err(ApiError::bad_request(format!(
            "by must be day or month, not {o:?}"
        ))),
    }
}

pub async fn timeline(State(app): State<Shared>, p: Params) -> ApiResult {
    let by = granularity(&p)?;
    let sc = scope(&p);
    ok(read(&app, move |s| s.timeline(&sc, by)).await?)
}

pub async fn network(State(app): State<Shared>, p: Params) -> ApiResult {
    let limit = p.page_with(100)?.limit;
    let sc = scope(&p);
    ok(read(&app, move |s| s.network(&sc, limit)).await?)
}

pub async fn stats(State(app): State<Shared>) -> ApiResult {
    ok(read(&app, |s| s.stats()).await?)
}

pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], crate::OPENAPI).into_response()
}

/// `POST /api/documents`: analyse and store, only with the configured token.
pub async fn ingest(State(app): State<Shared>, req: Request) -> ApiResult {
    let Some(token) = app.options.token.clone() else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "ingestion over HTTP is disabled: start the server with --token (or LAGEBILD_TOKEN)",
        ));
    };
    let (parts, body) = req.into_parts();
    authorize(&parts.headers, &token)?;
    let max = app.options.max_body;
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body larger than {max} bytes"),
        )
    };
    if let Some(len) = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    {
        if len > max as u64 {
            return Err(too_large());
        }
    }
    let bytes: Bytes = axum::body::to_bytes(body, max)
        .await
        .map_err(|_| too_large())?;
    let ctype = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let raws = parse_body(&ctype, &bytes)?;
    if raws.is_empty() {
        return Err(ApiError::bad_request("no documents in the body"));
    }
    let Some(analyzer) = app.analyzer.clone() else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "this server has no analyser",
        ));
    };
    let app2 = app.clone();
    let outcomes = tokio::task::spawn_blocking(move || {
        let incoming: Vec<Incoming> = raws
            .into_iter()
            .map(|raw| Incoming::new(analyzer(raw), None))
            .collect();
        let ids: Vec<String> = incoming.iter().map(|i| i.doc.id.clone()).collect();
        let writer = app2
            .writer
            .as_ref()
            .ok_or_else(|| ApiError::internal("no write connection"))?;
        let mut w = writer.lock().unwrap_or_else(|p| p.into_inner());
        let out = w.put_batch(&incoming).map_err(ApiError::from)?;
        Ok::<_, ApiError>(ids.into_iter().zip(out).collect::<Vec<_>>())
    })
    .await
    .map_err(|e| ApiError::internal(format!("worker failed: {e}")))??;
    let results: Vec<Value> = outcomes
        .into_iter()
        .map(|(id, o)| match o {
            PutOutcome::New => json!({"id": id, "outcome": "new"}),
            PutOutcome::Updated => json!({"id": id, "outcome": "updated"}),
            PutOutcome::Duplicate { existing } => {
                json!({"id": id, "outcome": "duplicate", "existing": existing})
            }
        })
        .collect();
    Ok((StatusCode::CREATED, Json(json!({ "results": results }))).into_response())
}

fn authorize(headers: &HeaderMap, token: &str) -> Result<(), ApiError> {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(g) if constant_time_eq(g.as_bytes(), token.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(StatusCode::UNAUTHORIZED, "wrong token")),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "Authorization: Bearer TOKEN is required",
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// JSON (one object or an array), JSON Lines, plain text or HTML.
fn parse_body(ctype: &str, bytes: &[u8]) -> Result<Vec<RawDocument>, ApiError> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| ApiError::bad_request("the body is not UTF-8"))?;
    let bad = |e: serde_json::Error| ApiError::bad_request(format!("JSON: {e}"));
    let one = |v: Value| -> Result<RawDocument, ApiError> {
        let raw: RawDocument = serde_json::from_value(v).map_err(bad)?;
        if raw.text.is_none() && raw.html.is_none() {
            return Err(ApiError::bad_request("a document needs text or html"));
        }
        Ok(raw)
    };
    match ctype {
        "application/json" => match serde_json::from_str::<Value>(text).map_err(bad)? {
            Value::Array(items) => items.into_iter().map(one).collect(),
            v => Ok(vec![one(v)?]),
        },
        "application/x-ndjson" | "application/jsonl" | "application/x-jsonlines" => text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .enumerate()
            .map(|(i, l)| {
                serde_json::from_str::<Value>(l)
                    .map_err(|e| ApiError::bad_request(format!("line {}: {e}", i + 1)))
                    .and_then(one)
            })
            .collect(),
        "text/plain" => Ok(vec![RawDocument {
            text: Some(text.to_string()),
            ..Default::default()
        }]),
        "text/html" => Ok(vec![RawDocument {
            html: Some(text.to_string()),
            ..Default::default()
        }]),
        other => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "content type {other:?} not accepted: use application/json, application/x-ndjson, text/plain or text/html"
            ),
        )),
    }
}

/// A streamed body from chunks produced on a blocking thread.
pub fn stream_body<F>(app: &Shared, produce: F) -> Body
where
    F: FnOnce(
            &dyn lagebild_store::Store,
            &tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
        ) + Send
        + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let app = app.clone();
    tokio::task::spawn_blocking(move || app.pool.with(|s| produce(s, &tx)));
    Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }))
}
