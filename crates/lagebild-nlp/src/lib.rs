//! The analysis core of Lagebild: a pure function from a raw document to an
//! analysed one.
//!
//! No files, network, database, async or global mutable state live here. A
//! [`Pipeline`] is built once from [`Resources`] (lexicons and rules as TSV data,
//! embedded in the binary and overridable by the caller) and then maps
//! [`RawDocument`]s to [`Document`]s; it is `Send + Sync`, so callers run it over
//! many documents in parallel.
//!
//! Analysis happens in two steps:
//! 1. **prepare** — HTML is turned into text ([`lagebild_html`]), the text is
//!    cleaned ([`clean`]): boilerplate removed and recorded, title, date and
//!    segments picked up. This fixes the document's immutable `text`.
//! 2. **stages** — named [`Stage`]s each add a stand-off layer over that text:
//!    `language`, `segment` (tokens and sentences), and the later layers.

pub mod clean;
pub mod dates;
pub mod lang;
pub mod resources;
pub mod segment;
pub mod stages;

pub use lagebild_model::content_hash;
use lagebild_model::{Document, Provenance, RawDocument, Segment, Source};
pub use lagebild_time::Mode as TimeMode;
pub use resources::{ResourceError, Resources};

/// One step of the analysis: reads earlier layers of the document, adds its own.
/// A stage never edits `doc.text`.
pub trait Stage: Send + Sync {
    /// A short stable name (`language`, `segment`, …).
    fn name(&self) -> &'static str;
    fn run(&self, doc: &mut Document);
}

/// Settings of a pipeline run that are not resources.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Publication date (`YYYY-MM-DD`) for documents that carry none.
    pub default_published: Option<String>,
    /// Serialise the token layer with the document.
    pub keep_tokens: bool,
    /// Resolve relative dates against the publication date (`News`) or the last
    /// date mentioned (`Narrative`); `None` chooses per document.
    pub time_mode: Option<TimeMode>,
}

/// The analysis pipeline: prepare, then the stages in order.
pub struct Pipeline {
    cleaner: clean::Cleaner,
    stages: Vec<Box<dyn Stage>>,
    options: Options,
}

impl Pipeline {
    /// The default pipeline over the embedded resources.
    pub fn new(options: Options) -> Result<Self, ResourceError> {
        Self::with_resources(&Resources::embedded(), options)
    }

    /// The default pipeline over the given resources.
    pub fn with_resources(res: &Resources, options: Options) -> Result<Self, ResourceError> {
        let cleaner = clean::Cleaner::from_resources(res)?;
        let kb =
            lagebild_kb::Kb::from_files(&res.with_prefix("kb/")).map_err(|e| ResourceError {
                file: e.file,
                line: e.line,
                message: e.message,
            })?;
        let tagger =
            lagebild_time::TimeTagger::from_files(&res.with_prefix("time/")).map_err(|e| {
                ResourceError {
                    file: "time/".into(),
                    line: 0,
                    message: e.to_string(),
                }
            })?;
        let extractor = lagebild_quotes::QuoteExtractor::from_files(&res.with_prefix("quotes/"))
            .map_err(|e| ResourceError {
                file: "quotes/".into(),
                line: 0,
                message: e.to_string(),
            })?;
        let events = lagebild_events::EventExtractor::from_files(&res.with_prefix("events/"))
            .map_err(|e| ResourceError {
                file: e.file,
                line: e.line,
                message: e.message,
            })?;
        let stages: Vec<Box<dyn Stage>> = vec![
            Box::new(lang::LanguageStage::from_resources(res)?),
            Box::new(stages::SegmentStage {
                segmenter: segment::Segmenter::embedded(),
            }),
            Box::new(stages::NerStage {
                models: ["de", "en"]
                    .iter()
                    .filter_map(|l| lagebild_ner::builtin(l).map(|m| (l.to_string(), m)))
                    .collect(),
            }),
            Box::new(stages::LinkStage {
                kb: std::sync::Arc::new(kb),
            }),
            Box::new(stages::TimeStage {
                tagger,
                mode: options.time_mode,
            }),
            Box::new(stages::QuoteStage { extractor }),
            Box::new(stages::EventStage { extractor: events }),
        ];
        Ok(Pipeline {
            cleaner,
            stages,
            options,
        })
    }

    /// The names of the stages, in the order they run.
    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }

    /// Prepare a raw document: extract, clean, pick up metadata. No layers yet.
    pub fn prepare(&self, raw: RawDocument) -> Document {
        let mut provenance = Vec::new();
        let (body, page) = match raw.html.as_deref() {
            Some(html) => {
                let ex = lagebild_html::extract(html);
                (ex.text.clone(), Some(ex))
            }
            None => (raw.text.clone().unwrap_or_default(), None),
        };
        let given_title =
            non_empty(raw.title).or_else(|| page.as_ref().and_then(|p| p.title.clone()));
        let cleaned = self.cleaner.clean_with_title(&body, given_title.as_deref());
        let title = given_title.or(cleaned.title);
        let mut published = valid_date(raw.published.as_deref());
        if published.is_some() {
            provenance.push(prov("published", "input"));
        }
        if published.is_none() {
            if let Some(d) = page
                .as_ref()
                .and_then(|p| valid_date(p.published.as_deref()))
            {
                published = Some(d);
                provenance.push(prov("published", "html metadata"));
            }
        }
        if published.is_none() {
            if let Some((d, how)) = cleaned.published {
                published = Some(d);
                provenance.push(prov("published", &how));
            }
        }
        if published.is_none() {
            if let Some(d) = valid_date(self.options.default_published.as_deref()) {
                published = Some(d);
                provenance.push(prov("published", "default (--published)"));
            }
        }
        let url = non_empty(raw.url).or_else(|| page.as_ref().and_then(|p| p.url.clone()));
        let site = non_empty(raw.source)
            .or_else(|| page.as_ref().and_then(|p| p.site.clone()))
            .or_else(|| url.as_deref().and_then(site_of_url));
        let language = non_empty(raw.language)
            .or_else(|| page.as_ref().and_then(|p| p.language.clone()))
            .unwrap_or_default();
        if !language.is_empty() {
            provenance.push(prov("language", "input"));
        }
        let id = non_empty(raw.id).unwrap_or_else(|| content_hash(&cleaned.text));
        let segments = if cleaned.segments.is_empty() && !cleaned.text.is_empty() {
            vec![Segment {
                start: 0,
                end: cleaned.text.len(),
                title: title.clone(),
            }]
        } else {
            cleaned.segments
        };
        Document {
            id,
            source: Source {
                path: raw.path,
                url,
                site,
            },
            language,
            title,
            published,
            text: cleaned.text,
            segments,
            removed: cleaned.removed,
            provenance,
            ..Default::default()
        }
    }

    /// Analyse one raw document: prepare, then run every stage.
    pub fn analyze(&self, raw: RawDocument) -> Document {
        let mut doc = self.prepare(raw);
        for stage in &self.stages {
            stage.run(&mut doc);
        }
        if !self.options.keep_tokens {
            doc.tokens = Vec::new();
        }
        doc
    }
}

fn prov(field: &str, how: &str) -> Provenance {
    Provenance {
        field: field.to_string(),
        how: how.to_string(),
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn valid_date(s: Option<&str>) -> Option<String> {
    let s = s?.trim();
    let d = s.get(..10).unwrap_or(s);
    dates::parse_iso(d).map(|d| d.to_string())
}

/// The host of a URL without `www.`, as a site name.
fn site_of_url(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_from_url() {
        assert_eq!(
            site_of_url("https://www.Example.org/a/b?c").as_deref(),
            Some("example.org")
        );
        assert_eq!(site_of_url("not a url"), None);
    }

    #[test]
    fn input_metadata_wins_and_default_date_applies() {
        let p = Pipeline::new(Options {
            default_published: Some("2024-11-02".into()),
            ..Default::default()
        })
        .unwrap();
        let doc = p.analyze(RawDocument {
            id: Some("a1".into()),
            text: Some(
                "Der Minister reiste am Dienstag nach Berlin. Dort traf er seinen Kollegen.".into(),
            ),
            ..Default::default()
        });
        assert_eq!(doc.id, "a1");
        assert_eq!(doc.published.as_deref(), Some("2024-11-02"));
        assert_eq!(doc.language, "de");
        assert!(doc.tokens.is_empty(), "tokens are dropped unless kept");
        let doc = p.analyze(RawDocument {
            text: Some("Some text.".into()),
            published: Some("2023-05-06T10:00:00Z".into()),
            ..Default::default()
        });
        assert_eq!(doc.published.as_deref(), Some("2023-05-06"));
    }
}
