//! The web interface: server-rendered pages, no scripts.

use std::fmt::Write;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lagebild_model::Document;
use lagebild_store::{EventFilter, EventRow, Network, Page, Paged, QuoteFilter, QuoteRow, Scope};

use crate::app::{read, Shared};
use crate::error::ApiError;
use crate::html::*;
use crate::params::{Params, MODALITIES};

type PageResult = Result<Response, PageError>;

/// An error answered as a page.
pub struct PageError(ApiError);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error_page(self.0)
    }
}

/// An error as a page with its status.
pub fn error_page(e: ApiError) -> Response {
    let body = format!(
        "<h1>{}</h1><p class=\"err\">{}</p><p><a href=\"/\">Back to the start</a></p>",
        e.status.as_u16(),
        esc(&e.message)
    );
    respond(e.status, page("Error", &body))
}

fn html_err(e: ApiError) -> PageError {
    PageError(e)
}

fn ok(title: &str, body: String) -> PageResult {
    Ok(respond(StatusCode::OK, page(title, &body)))
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

/// Previous/next links keeping the other parameters.
fn pager<T>(p: &Paged<T>, base: &str, keep: &[(&str, Option<&str>)]) -> String {
    let mut s = String::from("<p class=\"pager\">");
    let link = |offset: usize| {
        let off = offset.to_string();
        let mut pairs: Vec<(&str, Option<&str>)> = keep.to_vec();
        pairs.push(("offset", Some(off.as_str())));
        format!("{base}{}", query(&pairs))
    };
    if p.offset > 0 {
        let _ = write!(
            s,
            "<a rel=\"prev\" href=\"{}\">← newer</a>",
            esc(&link(p.offset.saturating_sub(p.limit)))
        );
    }
    if let Some(n) = p.next_offset {
        let _ = write!(s, "<a rel=\"next\" href=\"{}\">more →</a>", esc(&link(n)));
    }
    s.push_str("</p>");
    s
}

fn doc_list(docs: &[lagebild_store::DocSummary]) -> String {
    let mut s =
        String::from("<table class=\"docs\"><tr><th>Date</th><th>Title</th><th>Source</th></tr>");
    for d in docs {
        let _ = write!(
            s,
            "<tr><td>{}</td><td><a href=\"{}\">{}</a></td><td>{}</td></tr>",
            esc(opt(&d.published)),
            esc(&doc_href(&d.id, None)),
            esc(d.title.as_deref().unwrap_or(&d.id)),
            esc(opt(&d.site))
        );
    }
    s.push_str("</table>");
    s
}

fn party_links(ps: &[lagebild_store::Party]) -> String {
    ps.iter()
        .map(|p| {
            format!(
                "<a href=\"{}\">{}</a>",
                esc(&entity_href(&p.id)),
                esc(p.name.as_deref().unwrap_or(&p.id))
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn events_table(events: &[EventRow]) -> String {
    if events.is_empty() {
        return "<p class=\"meta\">No events.</p>".into();
    }
    let mut s = String::from(
        "<table class=\"events\"><tr><th>Day</th><th>Type</th><th>Actors</th><th>Recipients</th><th>Modality</th><th>Sentence</th></tr>",
    );
    for e in events {
        let _ = write!(
            s,
            "<tr><td>{}</td><td><span class=\"tag\">{}</span>{}</td><td>{}</td><td>{}</td><td>{}</td><td><a href=\"{}\">{}</a></td></tr>",
            esc(opt(&e.day)),
            esc(&e.kind),
            e.mode.as_deref().map(|m| format!(" <span class=\"meta\">{}</span>", esc(m))).unwrap_or_default(),
            party_links(&e.actors),
            party_links(&e.recipients),
            esc(&e.modality),
            esc(&doc_href(&e.doc, Some(e.start))),
            esc(&e.sentence)
        );
    }
    s.push_str("</table>");
    s
}

fn quotes_list(quotes: &[QuoteRow]) -> String {
    if quotes.is_empty() {
        return "<p class=\"meta\">No quotes.</p>".into();
    }
    let mut s = String::new();
    for q in quotes {
        let speaker = match (&q.speaker, &q.speaker_name, &q.speaker_text) {
            (Some(id), name, text) => format!(
                "<a href=\"{}\">{}</a>",
                esc(&entity_href(id)),
                esc(name.as_deref().or(text.as_deref()).unwrap_or(id))
            ),
            (None, _, Some(t)) => esc(t),
            _ => "unknown speaker".into(),
        };
        let _ = write!(
            s,
            "<blockquote class=\"quote\"><a href=\"{}\">{}</a><br><span class=\"meta\">— {} {} · {} · {}</span></blockquote>",
            esc(&doc_href(&q.doc, Some(q.start))),
            esc(&q.text),
            speaker,
            esc(opt(&q.cue)),
            esc(q.doc_title.as_deref().unwrap_or(&q.doc)),
            esc(opt(&q.published))
        );
    }
    s
}

fn draw_network(net: &Network, centre: Option<&str>) -> String {
    let mut order: Vec<usize> = (0..net.nodes.len()).collect();
    if let Some(c) = centre {
        order.sort_by_key(|&i| net.nodes[i].id != c);
    }
    let nodes: Vec<NetNode> = order
        .iter()
        .map(|&i| NetNode {
            id: net.nodes[i].id.clone(),
            label: net.nodes[i].name.clone(),
            kind: net.nodes[i].kind.clone(),
        })
        .collect();
    let index = |id: &str| nodes.iter().position(|n| n.id == id);
    let name = |id: &str| {
        net.nodes
            .iter()
            .find(|n| n.id == id)
            .map_or(id.to_string(), |n| n.name.clone())
    };
    let edges: Vec<NetEdge> = net
        .edges
        .iter()
        .filter_map(|e| {
            let (from, to) = (index(&e.source)?, index(&e.target)?);
            let title = if e.kind == "event" {
                format!(
                    "{} → {}: {} event(s), e.g. {}",
                    name(&e.source),
                    name(&e.target),
                    e.count,
                    e.event_type.as_deref().unwrap_or("")
                )
            } else {
                format!(
                    "{} and {}: named together in {} sentence(s)",
                    name(&e.source),
                    name(&e.target),
                    e.count
                )
            };
            Some(NetEdge {
                from,
                to,
                directed: e.kind == "event",
                count: e.count,
                title,
                href: doc_href(&e.doc, Some(e.start)),
            })
        })
        .collect();
    format!(
        "{}<p class=\"meta\">Red arrows: events (actor → recipient); dashed: named in the same sentence. Each line links to a sentence it is read from.</p>",
        network_svg(&nodes, &edges, centre.is_some())
    )
}

pub async fn home(State(app): State<Shared>, p: Params) -> PageResult {
    let page_ = p.page_with(30).map_err(html_err)?;
    let (stories, docs, ents) = read(&app, move |s| {
        let stories = s.stories(page_)?;
        let docs = if stories.items.is_empty() && page_.offset == 0 {
            Some(s.documents(Page::first(30))?)
        } else {
            None
        };
        Ok((stories, docs, s.entities(Page::first(20))?))
    })
    .await
    .map_err(html_err)?;
    let mut b = String::new();
    if stories.items.is_empty() && stories.offset == 0 {
        b.push_str("<h1>Latest documents</h1><p class=\"meta\">No stories yet: documents are grouped into stories when clustering has run.</p>");
        if let Some(d) = docs {
            if d.items.is_empty() {
                b.push_str("<p>The database is empty. Ingest articles with <code>lagebild ingest</code>.</p>");
            } else {
                b.push_str(&doc_list(&d.items));
                b.push_str("<p><a href=\"/documents\">All documents →</a></p>");
            }
        }
    } else {
        b.push_str("<h1>Current stories</h1><div class=\"grid stories\">");
        for st in &stories.items {
            let _ = write!(
                b,
                "<div class=\"card story\"><a href=\"{}\"><strong>{}</strong></a><div class=\"meta\">{} – {} · {} document(s)</div><div>",
                esc(&story_href(&st.id)),
                esc(st.title.as_deref().unwrap_or(&st.id)),
                esc(opt(&st.first)),
                esc(opt(&st.last)),
                st.documents.len()
            );
            for e in st.entities.iter().take(6) {
                let _ = write!(
                    b,
                    "<a class=\"tag\" href=\"{}\">{}</a>",
                    esc(&entity_href(e)),
                    esc(e)
                );
            }
            b.push_str("</div></div>");
        }
        b.push_str("</div>");
        b.push_str(&pager(&stories, "/", &[]));
    }
    if !ents.items.is_empty() {
        b.push_str("<h2>Most mentioned</h2><p>");
        for e in &ents.items {
            let _ = write!(
                b,
                "<a class=\"tag\" href=\"{}\">{} <span class=\"meta\">{}</span></a>",
                esc(&entity_href(&e.id)),
                esc(&e.name),
                e.documents
            );
        }
        b.push_str("</p>");
    }
    ok("Stories", b)
}

pub async fn documents(State(app): State<Shared>, p: Params) -> PageResult {
    let page_ = p.page().map_err(html_err)?;
    let docs = read(&app, move |s| s.documents(page_))
        .await
        .map_err(html_err)?;
    let mut b = String::from("<h1>Documents</h1>");
    b.push_str(&doc_list(&docs.items));
    b.push_str(&pager(&docs, "/documents", &[]));
    ok("Documents", b)
}

pub async fn entities(State(app): State<Shared>, p: Params) -> PageResult {
    let page_ = p.page().map_err(html_err)?;
    let ents = read(&app, move |s| s.entities(page_))
        .await
        .map_err(html_err)?;
    let mut b = String::from("<h1>Entities</h1><table><tr><th>Name</th><th>Type</th><th>Country</th><th>Documents</th><th>Mentions</th></tr>");
    for e in &ents.items {
        let _ = write!(
            b,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&entity_href(&e.id)),
            esc(&e.name),
            esc(&e.kind),
            esc(opt(&e.country)),
            e.documents,
            e.mentions
        );
    }
    b.push_str("</table>");
    b.push_str(&pager(&ents, "/entities", &[]));
    ok("Entities", b)
}

pub async fn story(State(app): State<Shared>, Path(id): Path<String>) -> PageResult {
    crate::api::check_id(&id).map_err(html_err)?;
    let key = id.clone();
    let (detail, net) = read(&app, move |s| {
        let d = s.story(&key)?;
        let net = s.network(
            &Scope {
                story: Some(key.clone()),
                ..Default::default()
            },
            40,
        )?;
        Ok((d, net))
    })
    .await
    .map_err(html_err)?;
    let Some(d) = detail else {
        return Err(html_err(ApiError::not_found("story", &id)));
    };
    let title = d.story.title.clone().unwrap_or_else(|| d.story.id.clone());
    let mut b = format!(
        "<h1>{}</h1><p class=\"meta\">{} – {} · {} source(s) · <a href=\"{}\">JSON</a></p>",
        esc(&title),
        esc(opt(&d.story.first)),
        esc(opt(&d.story.last)),
        d.sources.len(),
        esc(&format!("/api/stories/{}", enc(&d.story.id)))
    );
    b.push_str("<h2>Timeline</h2>");
    let mut marks: Vec<Mark> = d
        .timeline
        .iter()
        .filter_map(|e| {
            Some(Mark {
                day: e.day.clone()?,
                label: format!("{} {}: {}", opt(&e.day), e.kind, e.sentence),
                href: doc_href(&e.doc, Some(e.start)),
                tone: e.goldstein,
                document: false,
            })
        })
        .collect();
    marks.extend(d.sources.iter().filter_map(|s| {
        Some(Mark {
            day: s.published.clone()?,
            label: format!(
                "{} {}",
                opt(&s.published),
                s.title.as_deref().unwrap_or(&s.id)
            ),
            href: doc_href(&s.id, None),
            tone: None,
            document: true,
        })
    }));
    b.push_str(&timeline_svg(&marks));
    b.push_str("<p class=\"meta\">Circles: events (green cooperation, red conflict), squares: articles; each links to its sentence or article.</p>");
    b.push_str(&events_table(&d.timeline));
    b.push_str(
        "<h2>Sources</h2><table><tr><th>Date</th><th>Title</th><th>Source</th><th>URL</th></tr>",
    );
    for s in &d.sources {
        let _ = write!(
            b,
            "<tr><td>{}</td><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td></tr>",
            esc(opt(&s.published)),
            esc(&doc_href(&s.id, None)),
            esc(s.title.as_deref().unwrap_or(&s.id)),
            esc(opt(&s.site)),
            s.url.as_deref().map(ext_link).unwrap_or_default()
        );
    }
    b.push_str("</table><h2>Quotes</h2>");
    b.push_str(&quotes_list(&d.quotes));
    b.push_str("<h2>Entities</h2><p>");
    for e in &d.entity_counts {
        let _ = write!(
            b,
            "<a class=\"tag\" href=\"{}\">{} <span class=\"meta\">{}×{}</span></a>",
            esc(&entity_href(&e.id)),
            esc(&e.name),
            e.documents,
            e.mentions
        );
    }
    b.push_str("</p><h2>Network</h2>");
    b.push_str(&draw_network(&net, None));
    ok(&title, b)
}

pub async fn entity(State(app): State<Shared>, Path(id): Path<String>, p: Params) -> PageResult {
    crate::api::check_id(&id).map_err(html_err)?;
    let from = p.date("from").map_err(html_err)?;
    let to = p.date("to").map_err(html_err)?;
    let mpage = p.page_with(20).map_err(html_err)?;
    let key = id.clone();
    let (f2, t2) = (from.clone(), to.clone());
    let loaded = read(&app, move |s| {
        let Some(prof) = s.entity(&key)? else {
            return Ok(None);
        };
        let mentions = s.mentions(&key, f2.as_deref(), t2.as_deref(), mpage)?;
        let quotes = s.quotes(
            &QuoteFilter {
                speaker: Some(key.clone()),
                ..Default::default()
            },
            Page::first(20),
        )?;
        let events = s.events(
            &EventFilter {
                party: Some(key.clone()),
                ..Default::default()
            },
            Page::first(50),
        )?;
        let net = s.network(
            &Scope {
                entity: Some(key.clone()),
                ..Default::default()
            },
            30,
        )?;
        Ok(Some((prof, mentions, quotes, events, net)))
    })
    .await
    .map_err(html_err)?;
    let Some((prof, mentions, quotes, events, net)) = loaded else {
        return Err(html_err(ApiError::not_found("entity", &id)));
    };
    let e = &prof.entity;
    let mut b = format!(
        "<h1>{}</h1><p class=\"who\"><span class=\"tag\">{}</span>{}{} <span class=\"meta\">id {} · {} document(s), {} mention(s) · first {} · last {} · <a href=\"{}\">JSON</a></span></p>",
        esc(&e.name),
        esc(&e.kind),
        e.country.as_deref().map(|c| format!("<span class=\"tag\">{}</span>", esc(c))).unwrap_or_default(),
        e.sector.as_deref().map(|c| format!("<span class=\"tag\">{}</span>", esc(c))).unwrap_or_default(),
        esc(&e.id),
        e.documents,
        e.mentions,
        esc(opt(&prof.first)),
        esc(opt(&prof.last)),
        esc(&format!("/api/entities/{}", enc(&e.id)))
    );
    b.push_str("<h2>Mentions over time</h2>");
    let by_day = prof.mentions_by_day.len() <= 62;
    let bars: Vec<Bar> = if by_day {
        prof.mentions_by_day
            .iter()
            .map(|x| Bar {
                label: x.date.clone(),
                value: x.count,
                href: format!(
                    "{}{}#mentions",
                    entity_href(&e.id),
                    query(&[("from", Some(&x.date)), ("to", Some(&x.date))])
                ),
            })
            .collect()
    } else {
        prof.mentions_by_month
            .iter()
            .map(|x| Bar {
                label: x.date.clone(),
                value: x.count,
                href: format!(
                    "{}{}#mentions",
                    entity_href(&e.id),
                    query(&[
                        ("from", Some(&format!("{}-01", x.date))),
                        ("to", Some(&format!("{}-31", x.date)))
                    ])
                ),
            })
            .collect()
    };
    b.push_str(&bar_chart(&bars, "mentions"));
    b.push_str(&format!(
        "<p class=\"meta\">Mentions per {}; each bar lists its mentions below.</p>",
        if by_day { "day" } else { "month" }
    ));
    b.push_str("<h2>Variants</h2><p>");
    for v in &prof.variants {
        let _ = write!(
            b,
            "<span class=\"tag variant\">{} <span class=\"meta\">{}</span></span>",
            esc(&v.text),
            v.count
        );
    }
    b.push_str("</p>");
    b.push_str("<h2>Network</h2>");
    b.push_str(&draw_network(&net, Some(&e.id)));
    b.push_str("<h2>Quotes</h2>");
    b.push_str(&quotes_list(&quotes.items));
    b.push_str("<h2>Events</h2>");
    b.push_str(&events_table(&events.items));
    if events.next_offset.is_some() {
        let _ = write!(
            b,
            "<p><a href=\"/events{}\">All events →</a></p>",
            esc(&query(&[("party", Some(&e.id))]))
        );
    }
    b.push_str(
        "<h2>Named with</h2><table><tr><th>Entity</th><th>Documents</th><th>Sentences</th></tr>",
    );
    for c in &prof.cooccurring {
        let _ = write!(
            b,
            "<tr><td><a href=\"{}\">{}</a> <span class=\"meta\">{}</span></td><td>{}</td><td>{}</td></tr>",
            esc(&entity_href(&c.id)),
            esc(&c.name),
            esc(&c.kind),
            c.documents,
            c.sentences
        );
    }
    b.push_str("</table>");
    let _ = write!(
        b,
        "<h2 id=\"mentions\">Mentions{}</h2>",
        match (&from, &to) {
            (Some(f), Some(t)) if f == t => format!(" on {}", esc(f)),
            (Some(f), Some(t)) => format!(" from {} to {}", esc(f), esc(t)),
            _ => String::new(),
        }
    );
    b.push_str("<table><tr><th>Date</th><th>As</th><th>Document</th></tr>");
    for m in &mentions.items {
        let _ = write!(
            b,
            "<tr><td>{}</td><td><a href=\"{}\">{}</a></td><td>{}</td></tr>",
            esc(opt(&m.published)),
            esc(&doc_href(&m.doc, Some(m.start))),
            esc(&m.text),
            esc(m.doc_title.as_deref().unwrap_or(&m.doc))
        );
    }
    b.push_str("</table>");
    b.push_str(&pager(
        &mentions,
        &entity_href(&e.id),
        &[("from", from.as_deref()), ("to", to.as_deref())],
    ));
    ok(&e.name, b)
}

pub async fn events(State(app): State<Shared>, p: Params) -> PageResult {
    let f = p.event_filter().map_err(html_err)?;
    let page_ = p.page().map_err(html_err)?;
    let f2 = f.clone();
    let evs = read(&app, move |s| s.events(&f2, page_))
        .await
        .map_err(html_err)?;
    let field = |name: &str, label: &str, v: &Option<String>, ph: &str| {
        format!(
            "<label>{label}<input name=\"{name}\" value=\"{}\" placeholder=\"{ph}\"></label>",
            esc(opt(v))
        )
    };
    let mut b =
        String::from("<h1>Events</h1><form class=\"filters\" method=\"get\" action=\"/events\">");
    b.push_str(&field(
        "actor",
        "Actor",
        &f.actor,
        "entity id, e.g. gpe:RUS",
    ));
    b.push_str(&field("recipient", "Recipient", &f.recipient, "entity id"));
    b.push_str(&field("party", "Either", &f.party, "entity id"));
    b.push_str(&field("type", "Type", &f.kind, "CONSULT"));
    b.push_str(&field("country", "Country", &f.country, "RUS"));
    let _ = write!(
        b,
        "<label>From<input type=\"date\" name=\"from\" value=\"{}\"></label><label>To<input type=\"date\" name=\"to\" value=\"{}\"></label><label>Modality<select name=\"modality\"><option value=\"\">any</option>",
        esc(opt(&f.from)),
        esc(opt(&f.to))
    );
    for m in MODALITIES {
        let sel = if f.modality.as_deref() == Some(m) {
            " selected"
        } else {
            ""
        };
        let _ = write!(b, "<option{sel}>{m}</option>");
    }
    b.push_str("</select></label><button type=\"submit\">Filter</button></form>");
    let keep: Vec<(&str, Option<&str>)> = vec![
        ("actor", f.actor.as_deref()),
        ("recipient", f.recipient.as_deref()),
        ("party", f.party.as_deref()),
        ("type", f.kind.as_deref()),
        ("country", f.country.as_deref()),
        ("from", f.from.as_deref()),
        ("to", f.to.as_deref()),
        ("modality", f.modality.as_deref()),
    ];
    let q = query(&keep);
    let _ = write!(
        b,
        "<p class=\"meta\"><span id=\"event-count\">{}{}</span> event(s) shown · export: <a href=\"/api/export/events.csv{q}\">CSV</a> · <a href=\"/api/export/events.gdelt.tsv{q}\">GDELT-style TSV</a> · <a href=\"/api/events{q}\">JSON</a></p>",
        evs.items.len(),
        if evs.next_offset.is_some() { "+" } else { "" },
        q = esc(&q)
    );
    b.push_str(&events_table(&evs.items));
    b.push_str(&pager(&evs, "/events", &keep));
    ok("Events", b)
}

/// A search snippet: escaped, the `[`…`]` match markers as `<mark>`.
fn snippet_html(s: &str) -> String {
    let e = esc(s);
    if e.matches('[').count() == e.matches(']').count() {
        e.replace('[', "<mark>").replace(']', "</mark>")
    } else {
        e
    }
}

pub async fn search(State(app): State<Shared>, p: Params) -> PageResult {
    let q = p.text("q");
    let page_ = p.page_with(20).map_err(html_err)?;
    let mut b = format!(
        "<h1>Search</h1><form class=\"filters\" method=\"get\" action=\"/search\"><label>Words<input name=\"q\" value=\"{}\" size=\"40\" placeholder=\"Lawrow Moskau, Nordkor*, A OR B\"></label><button type=\"submit\">Search</button></form>",
        esc(q.as_deref().unwrap_or(""))
    );
    if let Some(q) = q {
        let q2 = q.clone();
        match read(&app, move |s| s.search_page(&q2, page_)).await {
            Ok(hits) => {
                let _ = write!(
                    b,
                    "<p class=\"meta\" id=\"hit-count\">{}{} result(s) for “{}”</p>",
                    hits.offset + hits.items.len(),
                    if hits.next_offset.is_some() { "+" } else { "" },
                    esc(&q)
                );
                for h in &hits.items {
                    let _ = write!(
                        b,
                        "<div class=\"card hit\"><a href=\"{}\"><strong>{}</strong></a> <span class=\"meta\">{} · {}</span><div>{}</div></div>",
                        esc(&doc_href(&h.id, None)),
                        esc(h.title.as_deref().unwrap_or(&h.id)),
                        esc(opt(&h.published)),
                        esc(&h.language),
                        snippet_html(&h.snippet)
                    );
                }
                b.push_str(&pager(&hits, "/search", &[("q", Some(&q))]));
            }
            Err(e) if e.status == StatusCode::BAD_REQUEST => {
                let _ = write!(b, "<p class=\"err\">{}</p>", esc(&e.message));
            }
            Err(e) => return Err(html_err(e)),
        }
    }
    ok("Search", b)
}

/// What a stretch of the text is part of.
#[derive(Clone, Copy, PartialEq)]
enum Layer<'a> {
    Entity {
        id: &'a str,
        name: &'a str,
        kind: &'a str,
    },
    Quote,
    Time,
    Focus,
}

/// The text with entity links, quote and time highlights, and the focused
/// sentence marked (`id="focus"`).
fn highlighted(doc: &Document, focus: Option<(usize, usize)>) -> String {
    let t = &doc.text;
    let ok = |s: usize, e: usize| {
        s < e && e <= t.len() && t.is_char_boundary(s) && t.is_char_boundary(e)
    };
    let mut spans: Vec<(usize, usize, Layer)> = Vec::new();
    for e in &doc.entities {
        for m in &e.mentions {
            spans.push((
                m.start,
                m.end,
                Layer::Entity {
                    id: &e.id,
                    name: &e.name,
                    kind: &e.kind,
                },
            ));
        }
    }
    for q in &doc.quotes {
        spans.push((q.start, q.end, Layer::Quote));
    }
    for tm in &doc.times {
        spans.push((tm.start, tm.end, Layer::Time));
    }
    if let Some((s, e)) = focus {
        spans.push((s, e, Layer::Focus));
    }
    spans.retain(|&(s, e, _)| ok(s, e));
    let mut cuts: Vec<usize> = spans.iter().flat_map(|&(s, e, _)| [s, e]).collect();
    cuts.push(0);
    cuts.push(t.len());
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::with_capacity(t.len() * 2);
    let mut focus_done = false;
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let piece = esc(&t[a..b]);
        let covering: Vec<Layer> = spans
            .iter()
            .filter(|&&(s, e, _)| s <= a && b <= e)
            .map(|&(_, _, l)| l)
            .collect();
        let mut open = String::new();
        let mut close = String::new();
        if covering.contains(&Layer::Focus) {
            if focus_done {
                open.push_str("<span class=\"focus\">");
            } else {
                open.push_str("<span class=\"focus\" id=\"focus\">");
                focus_done = true;
            }
            close.insert_str(0, "</span>");
        }
        if covering.contains(&Layer::Quote) {
            open.push_str("<span class=\"q\">");
            close.insert_str(0, "</span>");
        }
        if covering.contains(&Layer::Time) {
            open.push_str("<span class=\"t\">");
            close.insert_str(0, "</span>");
        }
        if let Some(Layer::Entity { id, name, kind }) =
            covering.iter().find(|l| matches!(l, Layer::Entity { .. }))
        {
            let _ = write!(
                open,
                "<a class=\"ent {}\" href=\"{}\" title=\"{}\">",
                esc(kind),
                esc(&entity_href(id)),
                esc(name)
            );
            close.insert_str(0, "</a>");
        }
        out.push_str(&open);
        out.push_str(&piece);
        out.push_str(&close);
    }
    out
}

pub async fn document(State(app): State<Shared>, Path(id): Path<String>, p: Params) -> PageResult {
    crate::api::check_id(&id).map_err(html_err)?;
    let at: Option<usize> = match p.text("at") {
        None => None,
        Some(v) => Some(v.parse().map_err(|_| {
            html_err(ApiError::bad_request(format!(
                "at must be a byte offset, not {v:?}"
            )))
        })?),
    };
    let key = id.clone();
    let (doc, events, story) = read(&app, move |s| {
        let Some(d) = s.get(&key)? else {
            return Ok((None, Vec::new(), None));
        };
        let ev = s
            .events(
                &EventFilter {
                    doc: Some(key.clone()),
                    ..Default::default()
                },
                Page::first(200),
            )?
            .items;
        let story = s.story_of(&key)?;
        Ok((Some(d), ev, story))
    })
    .await
    .map_err(html_err)?;
    let Some(doc) = doc else {
        return Err(html_err(ApiError::not_found("document", &id)));
    };
    let focus = at.map(|a| {
        doc.sentences
            .iter()
            .find(|s| s.start <= a && a < s.end)
            .map(|s| (s.start, s.end))
            .or_else(|| {
                doc.events
                    .iter()
                    .find(|e| e.start == a)
                    .map(|e| (e.start, e.end))
            })
            .unwrap_or((a, a.saturating_add(1).min(doc.text.len())))
    });
    let title = doc.title.clone().unwrap_or_else(|| doc.id.clone());
    let mut b = format!("<h1>{}</h1><p class=\"meta\">", esc(&title));
    let mut meta: Vec<String> = Vec::new();
    if let Some(d) = &doc.published {
        meta.push(esc(d));
    }
    if let Some(s) = &doc.source.site {
        meta.push(esc(s));
    }
    meta.push(format!("language {}", esc(&doc.language)));
    if let Some(u) = &doc.source.url {
        meta.push(ext_link(u));
    }
    if let Some(s) = &story {
        meta.push(format!("<a href=\"{}\">story</a>", esc(&story_href(s))));
    }
    meta.push(format!(
        "<a href=\"{}\">JSON</a>",
        esc(&format!("/api/documents/{}", enc(&doc.id)))
    ));
    b.push_str(&meta.join(" · "));
    b.push_str("</p><p class=\"legend meta\"><span class=\"ent PER\">person</span><span class=\"ent ORG\">organisation</span><span class=\"ent GPE\">place/state</span><span class=\"q\">quote</span><span class=\"t\">time</span></p>");
    let _ = write!(
        b,
        "<div class=\"text\" id=\"text\">{}</div>",
        highlighted(&doc, focus)
    );
    b.push_str("<h2>Events</h2>");
    b.push_str(&events_table(&events));
    b.push_str("<h2>Quotes</h2>");
    let quotes: Vec<QuoteRow> = doc
        .quotes
        .iter()
        .map(|q| QuoteRow {
            doc: doc.id.clone(),
            doc_title: doc.title.clone(),
            published: doc.published.clone(),
            speaker: q.speaker.clone(),
            speaker_name: q
                .speaker
                .as_ref()
                .and_then(|s| doc.entities.iter().find(|e| &e.id == s))
                .map(|e| e.name.clone()),
            speaker_text: q.speaker_text.clone(),
            text: q.text.clone(),
            cue: q.cue.clone(),
            kind: q.kind.clone(),
            start: q.start,
            end: q.end,
        })
        .collect();
    b.push_str(&quotes_list(&quotes));
    b.push_str("<h2>Entities</h2><p>");
    for e in &doc.entities {
        let _ = write!(
            b,
            "<a class=\"tag\" href=\"{}\">{} <span class=\"meta\">{} · {}×</span></a>",
            esc(&entity_href(&e.id)),
            esc(&e.name),
            esc(&e.kind),
            e.mentions.len()
        );
    }
    b.push_str("</p>");
    ok(&title, b)
}

/// A 404 page for paths outside the API.
pub async fn not_found_page() -> Response {
    error_page(ApiError::new(StatusCode::NOT_FOUND, "no such page"))
}
