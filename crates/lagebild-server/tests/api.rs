//! The server in-process (tower `oneshot`): every route of the OpenAPI
//! description answers; paging; errors with their status codes; the ingest
//! token; body and rate limits; exports; and hostile article text escaped on
//! every page.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use lagebild_model::{Document, Entity, Event, Mention, Quote, RawDocument, Sentence, Source};
use lagebild_server::{router, App, DynStore, Options, StoreFactory};
use lagebild_store::{Incoming, SqliteStore, Store, StoryRecord};
use serde_json::Value;
use tower::ServiceExt;

struct TempDb(PathBuf);

impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_db(name: &str) -> (TempDb, PathBuf) {
    let dir = std::env::temp_dir().join(format!("lagebild-server-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("t.db");
    (TempDb(dir), path)
}

fn mention(text: &str, form: &str) -> Vec<Mention> {
    text.match_indices(form)
        .map(|(at, _)| Mention {
            start: at,
            end: at + form.len(),
            text: form.into(),
            kind: "name".into(),
        })
        .collect()
}

fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '.' {
            out.push(Sentence {
                start,
                end: i + 1,
                first_token: 0,
                end_token: 0,
            });
            start = (i + 2).min(text.len());
        }
    }
    out
}

const HOSTILE_TITLE: &str = "<script>window.__pwned=1</script>Gipfel";
const HOSTILE_TEXT: &str =
    "Hans <Müller> & Co sagte: \"><img src=x onerror=alert(1)> ist gut. Moskau sagte ab.";
const HOSTILE_NAME: &str = "<b>Müller & \"Co\"</b>";

fn corpus() -> Vec<Incoming> {
    let t1 = "Lawrow traf Choe in Moskau. Russland sagte Hilfe zu.";
    let d1 = Document {
        id: "d1".into(),
        language: "de".into(),
        title: Some("Treffen in Moskau".into()),
        published: Some("2024-10-30".into()),
        source: Source {
            url: Some("https://news.example.org/a".into()),
            site: Some("Example".into()),
            path: None,
        },
        text: t1.into(),
        sentences: sentences(t1),
        entities: vec![
            Entity {
                id: "per:lawrow".into(),
                name: "Sergej Lawrow".into(),
                kind: "PER".into(),
                country: Some("RUS".into()),
                sector: Some("GOV".into()),
                mentions: mention(t1, "Lawrow"),
            },
            Entity {
                id: "per:choe".into(),
                name: "Choe Son-hui".into(),
                kind: "PER".into(),
                country: Some("PRK".into()),
                sector: Some("GOV".into()),
                mentions: mention(t1, "Choe"),
            },
            Entity {
                id: "gpe:RUS".into(),
                name: "Russland".into(),
                kind: "GPE".into(),
                country: Some("RUS".into()),
                sector: None,
                mentions: [mention(t1, "Moskau"), mention(t1, "Russland")].concat(),
            },
        ],
        events: vec![Event {
            kind: "CONSULT".into(),
            mode: Some("visit".into()),
            context: vec![],
            actors: vec!["per:lawrow".into()],
            recipients: vec!["per:choe".into()],
            location: Some("gpe:RUS".into()),
            date: Some("2024-10-29".into()),
            modality: "asserted".into(),
            claimed_by: None,
            cameo: Some("036".into()),
            goldstein: Some(4.0),
            start: 0,
            end: 27,
            sentence: "Lawrow traf Choe in Moskau.".into(),
        }],
        ..Default::default()
    };
    let t2 = "Lawrow sagte: Wir helfen. Mehr nicht.";
    let d2 = Document {
        id: "d2".into(),
        language: "de".into(),
        title: Some("Lawrow spricht".into()),
        published: Some("2024-11-02".into()),
        text: t2.into(),
        sentences: sentences(t2),
        entities: vec![Entity {
            id: "per:lawrow".into(),
            name: "Sergej Lawrow".into(),
            kind: "PER".into(),
            country: Some("RUS".into()),
            sector: Some("GOV".into()),
            mentions: mention(t2, "Lawrow"),
        }],
        quotes: vec![Quote {
            text: "Wir helfen.".into(),
            start: 14,
            end: 25,
            kind: "direct".into(),
            speaker: Some("per:lawrow".into()),
            speaker_text: Some("Lawrow".into()),
            cue: Some("sagte".into()),
        }],
        ..Default::default()
    };
    let t3 = HOSTILE_TEXT;
    let q_start = t3.find("\"><img").unwrap();
    let q_end = t3.find(" ist gut.").unwrap();
    let d3 = Document {
        id: "evil\"><script>".into(),
        language: "de".into(),
        title: Some(HOSTILE_TITLE.into()),
        published: Some("2024-11-03".into()),
        source: Source {
            url: Some("javascript:window.__pwned=1".into()),
            site: Some("<i>site</i>".into()),
            path: None,
        },
        text: t3.into(),
        sentences: sentences(t3),
        entities: vec![Entity {
            id: "x:ORG:<evil>".into(),
            name: HOSTILE_NAME.into(),
            kind: "ORG\"><script>".into(),
            country: None,
            sector: None,
            mentions: mention(t3, "Hans <Müller> & Co"),
        }],
        quotes: vec![Quote {
            text: t3[q_start..q_end].into(),
            start: q_start,
            end: q_end,
            kind: "direct".into(),
            speaker: Some("x:ORG:<evil>".into()),
            speaker_text: None,
            cue: Some("<sagte>".into()),
        }],
        events: vec![Event {
            kind: "REJECT".into(),
            mode: None,
            context: vec![],
            actors: vec!["x:ORG:<evil>".into()],
            recipients: vec!["per:lawrow".into()],
            location: None,
            date: None,
            modality: "denied".into(),
            claimed_by: None,
            cameo: Some("=cmd|' /C calc'!A0".into()),
            goldstein: Some(-4.0),
            start: 0,
            end: 10,
            sentence: "<script>window.__pwned=1</script>".into(),
        }],
        ..Default::default()
    };
    for d in [&d1, &d2, &d3] {
        assert_eq!(d.validate(), Ok(()), "{}", d.id);
    }
    [d1, d2, d3]
        .into_iter()
        .map(|doc| Incoming::new(doc, None))
        .collect()
}

fn setup(name: &str, options: Options) -> (TempDb, axum::Router) {
    let (guard, path) = temp_db(name);
    {
        let mut s = SqliteStore::open(&path).unwrap();
        s.put_batch(&corpus()).unwrap();
        s.upsert_story(&StoryRecord {
            id: "s1".into(),
            title: Some("Lawrow & <Choe>".into()),
            first: None,
            last: None,
        })
        .unwrap();
        s.assign_story("d1", "s1").unwrap();
        s.assign_story("d2", "s1").unwrap();
        s.assign_story("evil\"><script>", "s1").unwrap();
    }
    let p = path.clone();
    let factory: StoreFactory = Arc::new(move || Ok(Box::new(SqliteStore::open(&p)?) as DynStore));
    // A stand-in analyser: the text as it is, no layers.
    let analyzer: lagebild_server::Analyzer = Arc::new(|raw: RawDocument| {
        let text = raw.text.or(raw.html).unwrap_or_default();
        Document {
            id: raw
                .id
                .unwrap_or_else(|| lagebild_model::content_hash(&text)),
            language: raw.language.unwrap_or_else(|| "de".into()),
            title: raw.title,
            published: raw.published,
            text,
            ..Default::default()
        }
    });
    let app = App::new(factory, Some(analyzer), options).unwrap();
    (guard, router(app))
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

async fn send(app: &axum::Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    Reply {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn get(app: &axum::Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

fn opts() -> Options {
    Options {
        rate_per_minute: 0,
        ..Default::default()
    }
}

#[tokio::test]
async fn every_route_of_the_openapi_description_answers() {
    let (_g, app) = setup("openapi", opts());
    let spec: Value = serde_json::from_str(lagebild_server::OPENAPI).unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    let paths = spec["paths"].as_object().unwrap();
    assert!(paths.len() >= 17, "{}", paths.len());
    for (path, ops) in paths {
        let id = if path.starts_with("/api/documents") {
            "d1"
        } else if path.starts_with("/api/entities") {
            "per:lawrow"
        } else {
            "s1"
        };
        let uri = path.replace("{id}", id);
        let uri = if uri == "/api/search" {
            "/api/search?q=Lawrow".to_string()
        } else {
            uri
        };
        if ops.get("get").is_some() {
            let r = get(&app, &uri).await;
            assert_eq!(r.status, StatusCode::OK, "GET {uri}: {}", r.body);
        }
        if ops.get("post").is_some() {
            let r = send(&app, Request::post(&uri).body(Body::empty()).unwrap()).await;
            assert_eq!(
                r.status,
                StatusCode::FORBIDDEN,
                "POST {uri} without a token: {}",
                r.body
            );
        }
    }
    // and the routes of the router are all in the description
    for route in [
        "/api/documents/{id}",
        "/api/entities/{id}/mentions",
        "/api/export/events.gdelt.tsv",
        "/api/network",
        "/api/timeline",
    ] {
        assert!(paths.contains_key(route), "{route}");
    }
}

#[tokio::test]
async fn json_routes_return_the_data() {
    let (_g, app) = setup("data", opts());
    let e = get(&app, "/api/entities/per:lawrow").await.json();
    assert_eq!(e["name"], "Sergej Lawrow");
    assert_eq!(e["documents"], 2);
    assert_eq!(e["variants"][0]["text"], "Lawrow");
    assert_eq!(e["mentions_by_month"].as_array().unwrap().len(), 2);
    let co: Vec<&str> = e["cooccurring"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(co, vec!["gpe:RUS", "per:choe"]);
    let q = get(&app, "/api/quotes?speaker=per:lawrow").await.json();
    assert_eq!(q["items"][0]["text"], "Wir helfen.");
    let ev = get(&app, "/api/events?actor=per:lawrow&country=prk&from=2024-10-01&to=2024-10-31&modality=asserted&type=consult").await.json();
    assert_eq!(ev["items"].as_array().unwrap().len(), 1, "{ev}");
    assert_eq!(ev["items"][0]["location_name"], "Russland");
    let none = get(&app, "/api/events?recipient=per:lawrow&modality=asserted")
        .await
        .json();
    assert_eq!(none["items"].as_array().unwrap().len(), 0);
    let st = get(&app, "/api/stories").await.json();
    assert_eq!(st["items"][0]["id"], "s1");
    assert_eq!(st["items"][0]["documents"].as_array().unwrap().len(), 3);
    let sd = get(&app, "/api/stories/s1").await.json();
    assert_eq!(sd["timeline"][0]["type"], "CONSULT");
    assert_eq!(sd["sources"][0]["id"], "d1");
    let hits = get(&app, "/api/search?q=Moskau").await.json();
    assert_eq!(hits["items"].as_array().unwrap().len(), 2);
    let tl = get(&app, "/api/timeline?entity=per:lawrow&by=month")
        .await
        .json();
    assert_eq!(tl.as_array().unwrap().len(), 2);
    let net = get(&app, "/api/network?entity=per:lawrow").await.json();
    let kinds: Vec<&str> = net["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"event") && kinds.contains(&"sentence"),
        "{net}"
    );
    let doc = get(&app, "/api/documents/d1").await.json();
    assert_eq!(doc["entities"].as_array().unwrap().len(), 3);
    let hostile = get(&app, "/api/documents/evil%22%3E%3Cscript%3E").await;
    assert_eq!(hostile.status, StatusCode::OK);
    assert_eq!(hostile.json()["title"], HOSTILE_TITLE);
    assert_eq!(hostile.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
}

#[tokio::test]
async fn lists_page_in_a_stable_order() {
    let (_g, app) = setup("paging", opts());
    let all = get(&app, "/api/documents").await.json();
    let ids: Vec<String> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, vec!["evil\"><script>", "d2", "d1"], "newest first");
    let p1 = get(&app, "/api/documents?limit=2").await.json();
    assert_eq!(p1["next_offset"], 2);
    let p2 = get(&app, "/api/documents?limit=2&offset=2").await.json();
    assert!(p2["next_offset"].is_null());
    let mut paged: Vec<String> = Vec::new();
    for p in [&p1, &p2] {
        paged.extend(
            p["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["id"].as_str().unwrap().to_string()),
        );
    }
    assert_eq!(paged, ids);
    assert_eq!(
        get(&app, "/api/documents?limit=2").await.body,
        get(&app, "/api/documents?limit=2").await.body
    );
}

#[tokio::test]
async fn errors_are_json_with_the_right_status() {
    let (_g, app) = setup("errors", opts());
    for (uri, status) in [
        ("/api/documents?limit=0", 400),
        ("/api/documents?limit=501", 400),
        ("/api/documents?offset=-1", 400),
        ("/api/documents?limit=abc", 400),
        ("/api/events?from=yesterday", 400),
        ("/api/events?from=2024-12-01&to=2024-11-01", 400),
        ("/api/events?country=RUSS", 400),
        ("/api/events?modality=maybe", 400),
        ("/api/search", 400),
        ("/api/search?q=()", 400),
        ("/api/timeline?by=week", 400),
        ("/api/documents/nope", 404),
        ("/api/entities/nope", 404),
        ("/api/stories/nope", 404),
        ("/api/nothing", 404),
    ] {
        let r = get(&app, uri).await;
        assert_eq!(r.status.as_u16(), status, "{uri}: {}", r.body);
        let j = r.json();
        assert_eq!(j["error"]["status"], status, "{uri}");
        assert!(!j["error"]["message"].as_str().unwrap().is_empty());
    }
    let r = send(
        &app,
        Request::delete("/api/documents")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    // pages answer errors as pages
    let r = get(&app, "/entities/nope").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("<html"));
    let r = get(&app, "/events?from=bad").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

fn post(uri: &str, ctype: &str, auth: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut b = Request::post(uri).header(header::CONTENT_TYPE, ctype);
    if let Some(a) = auth {
        b = b.header(header::AUTHORIZATION, a);
    }
    b.body(body.into()).unwrap()
}

#[tokio::test]
async fn ingest_needs_the_token_and_respects_the_body_limit() {
    let (_g, app) = setup(
        "ingest",
        Options {
            token: Some("s3cret".into()),
            max_body: 2000,
            rate_per_minute: 0,
            readers: 2,
            loopback_hosts: false,
        },
    );
    let doc = r#"{"id": "new1", "text": "Ein neuer Text über Moskau.", "published": "2024-11-09"}"#;
    let r = send(&app, post("/api/documents", "application/json", None, doc)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers[header::WWW_AUTHENTICATE], "Bearer");
    let r = send(
        &app,
        post(
            "/api/documents",
            "application/json",
            Some("Bearer wrong"),
            doc,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = send(
        &app,
        post(
            "/api/documents",
            "application/json",
            Some("Bearer s3cret"),
            doc,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["results"][0]["outcome"], "new");
    let r = get(&app, "/api/documents/new1").await;
    assert_eq!(r.json()["published"], "2024-11-09");
    // again: a duplicate
    let r = send(
        &app,
        post(
            "/api/documents",
            "application/json",
            Some("Bearer s3cret"),
            doc,
        ),
    )
    .await;
    assert_eq!(r.json()["results"][0]["outcome"], "duplicate");
    // plain text and JSON Lines
    let r = send(
        &app,
        post(
            "/api/documents",
            "text/plain; charset=utf-8",
            Some("Bearer s3cret"),
            "Nur Text hier.",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let lines = "{\"text\": \"Erste Zeile.\"}\n{\"text\": \"Zweite Zeile.\"}\n";
    let r = send(
        &app,
        post(
            "/api/documents",
            "application/x-ndjson",
            Some("Bearer s3cret"),
            lines,
        ),
    )
    .await;
    assert_eq!(r.json()["results"].as_array().unwrap().len(), 2);
    // errors
    let big = format!("{{\"text\": \"{}\"}}", "x".repeat(3000));
    let r = send(
        &app,
        post(
            "/api/documents",
            "application/json",
            Some("Bearer s3cret"),
            big,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert_eq!(r.json()["error"]["status"], 413);
    let r = send(
        &app,
        post("/api/documents", "image/png", Some("Bearer s3cret"), "x"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = send(
        &app,
        post(
            "/api/documents",
            "application/json",
            Some("Bearer s3cret"),
            "{\"title\": \"no text\"}",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = send(
        &app,
        post(
            "/api/documents",
            "application/json",
            Some("Bearer s3cret"),
            "{not json",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn clients_over_the_rate_are_told_to_wait() {
    let (_g, app) = setup(
        "rate",
        Options {
            rate_per_minute: 2,
            ..Default::default()
        },
    );
    assert_eq!(get(&app, "/api/stats").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/api/stats").await.status, StatusCode::OK);
    let r = get(&app, "/api/stats").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.json()["error"]["status"], 429);
    let wait: u64 = r.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
}

#[tokio::test]
async fn a_loopback_server_refuses_other_host_names() {
    let (_g, app) = setup(
        "hosts",
        Options {
            rate_per_minute: 0,
            loopback_hosts: true,
            ..Default::default()
        },
    );
    let req = |host: &str| {
        Request::get("/api/stats")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(
        send(&app, req("127.0.0.1:8080")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        send(&app, req("localhost:8080")).await.status,
        StatusCode::OK
    );
    let r = send(&app, req("rebound.evil.example:8080")).await;
    assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST);
    assert_eq!(r.json()["error"]["status"], 421);
}

#[tokio::test]
async fn exports_stream_every_row() {
    let (_g, app) = setup("export", opts());
    let r = get(&app, "/api/export/documents.jsonl").await;
    assert_eq!(r.status, StatusCode::OK);
    let docs: Vec<Document> = r
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 3);
    assert!(docs.iter().any(|d| d.id == "d1" && d.events.len() == 1));

    let r = get(&app, "/api/export/events.csv").await;
    assert!(r.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let lines: Vec<&str> = r.body.lines().collect();
    assert_eq!(lines.len(), 3, "{}", r.body);
    assert!(lines[0].starts_with("id,day,date,type"));
    assert!(lines[1].contains("CONSULT") && lines[1].contains("Sergej Lawrow"));
    assert!(
        lines[2].contains(",'=cmd|"),
        "a formula in a cell is defused: {}",
        lines[2]
    );
    let only = get(&app, "/api/export/events.csv?type=REJECT").await;
    assert_eq!(only.body.lines().count(), 2);

    let r = get(&app, "/api/export/events.gdelt.tsv").await;
    let rows: Vec<Vec<&str>> = r.body.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 3);
    let head = &rows[0];
    assert!(
        rows.iter().all(|r| r.len() == head.len()),
        "same number of columns"
    );
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let consult = &rows[1];
    assert_eq!(consult[col("SQLDATE")], "20241029");
    assert_eq!(consult[col("Actor1Code")], "RUSGOV");
    assert_eq!(consult[col("Actor1Name")], "SERGEJ LAWROW");
    assert_eq!(consult[col("Actor2CountryCode")], "PRK");
    assert_eq!(consult[col("EventCode")], "036");
    assert_eq!(consult[col("EventRootCode")], "03");
    assert_eq!(consult[col("QuadClass")], "1");
    assert_eq!(consult[col("GoldsteinScale")], "4.0");
    assert_eq!(consult[col("ActionGeo_FullName")], "Russland");
    assert_eq!(consult[col("SOURCEURL")], "https://news.example.org/a");
}

/// No page lets article text, names, ids, URLs or the query out unescaped.
#[tokio::test]
async fn hostile_text_is_escaped_on_every_page() {
    let (_g, app) = setup("hostile", opts());
    let pages = [
        "/",
        "/documents",
        "/entities",
        "/documents/evil%22%3E%3Cscript%3E",
        "/documents/evil%22%3E%3Cscript%3E?at=5",
        "/entities/x:ORG:%3Cevil%3E",
        "/entities/per:lawrow",
        "/stories/s1",
        "/events",
        "/events?actor=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E",
        "/search?q=Moskau",
        "/search?q=%22%3E%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E",
        "/search?q=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E",
    ];
    for uri in pages {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
        let b = &r.body;
        assert!(!b.contains("<script"), "{uri}: raw <script");
        assert!(!b.contains("<img"), "{uri}: raw <img");
        assert!(!b.contains("<b>"), "{uri}: raw <b>");
        assert!(!b.contains("<i>"), "{uri}: raw <i>");
        assert!(
            !b.to_ascii_lowercase().contains("href=\"javascript:"),
            "{uri}: javascript: link"
        );
        assert!(
            !b.contains("onerror=alert(1)>"),
            "{uri}: attribute broken out of"
        );
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'") && !csp.contains("script-src"),
            "{csp}"
        );
    }
    let doc = get(&app, "/documents/evil%22%3E%3Cscript%3E").await.body;
    assert!(
        doc.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;Gipfel"),
        "title shown as text"
    );
    assert!(
        doc.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        "text shown as text"
    );
    assert!(doc.contains("<span class=\"unsafe-url\">javascript:window.__pwned=1</span>"));
    assert!(
        doc.contains("href=\"/entities/x:ORG:%3Cevil%3E\""),
        "entity link encoded"
    );
    let ent = get(&app, "/entities/x:ORG:%3Cevil%3E").await.body;
    assert!(
        ent.contains("&lt;b&gt;Müller &amp; &quot;Co&quot;&lt;/b&gt;"),
        "name escaped"
    );
    let story = get(&app, "/stories/s1").await.body;
    assert!(story.contains("Lawrow &amp; &lt;Choe&gt;"));
}

#[tokio::test]
async fn pages_draw_and_link_to_sentences() {
    let (_g, app) = setup("pages", opts());
    let home = get(&app, "/").await.body;
    assert!(
        home.contains("href=\"/stories/s1\""),
        "home lists the story"
    );
    let story = get(&app, "/stories/s1").await.body;
    assert!(story.contains("<svg class=\"timeline\""));
    assert!(
        story.contains("href=\"/documents/d1?at=0#focus\""),
        "event links to its sentence"
    );
    assert!(story.contains("<svg class=\"network\""));
    assert!(story.contains("https://news.example.org/a\" rel=\"noopener"));
    let ent = get(&app, "/entities/per:lawrow").await.body;
    assert!(ent.contains("<svg class=\"chart\""));
    assert!(
        ent.contains("href=\"/entities/per:lawrow?from=2024-10-30&amp;to=2024-10-30#mentions\""),
        "a bar lists its mentions"
    );
    assert!(ent.contains("<svg class=\"network\""));
    assert!(
        ent.contains("class=\"edge\" href=\"/documents/d1?at=0#focus\""),
        "an edge links to its sentence"
    );
    assert!(ent.contains("Wir helfen."), "its quotes");
    let filtered = get(&app, "/entities/per:lawrow?from=2024-11-02&to=2024-11-02")
        .await
        .body;
    assert!(filtered.contains("Mentions on 2024-11-02"));
    assert!(
        !filtered.contains("Treffen in Moskau</td>"),
        "only the chosen day's mentions"
    );
    let doc = get(&app, "/documents/d1?at=30").await.body;
    assert!(
        doc.contains("<span class=\"focus\" id=\"focus\">Russland")
            || doc.contains("<span class=\"focus\" id=\"focus\"><a class=\"ent GPE\""),
        "{doc}"
    );
    let ev = get(&app, "/events?type=consult&country=prk").await.body;
    assert!(ev.contains("<span id=\"event-count\">1</span>"), "{ev}");
    assert!(ev.contains("value=\"PRK\""));
    let search = get(&app, "/search?q=Moskau").await.body;
    assert!(search.contains("<mark>Moskau</mark>"));
}
