//! The stages that wrap the layer crates: tokens and sentences, entity linking,
//! temporal expressions.

use std::sync::Arc;

use lagebild_kb::{link::Linker, Kb};
use lagebild_model::{Document, Provenance};
use lagebild_time::{Mode, TimeTagger};

use crate::{segment::Segmenter, Stage};

/// Tokens and sentences.
pub struct SegmentStage {
    pub segmenter: &'static Segmenter,
}

impl Stage for SegmentStage {
    fn name(&self) -> &'static str {
        "segment"
    }
    fn run(&self, doc: &mut Document) {
        let tokens = self.segmenter.tokenize(&doc.text);
        doc.sentences = self.segmenter.sentences(&doc.text, &tokens, &doc.language);
        doc.tokens = tokens;
    }
}

/// Named-entity spans from the shipped taggers (German and English); other
/// languages get none. The spans go to the internal `ner` layer for linking.
pub struct NerStage {
    pub models: Vec<(String, lagebild_ner::NerModel)>,
}

impl Stage for NerStage {
    fn name(&self) -> &'static str {
        "ner"
    }
    fn run(&self, doc: &mut Document) {
        let Some((_, model)) = self.models.iter().find(|(l, _)| *l == doc.language) else {
            return;
        };
        doc.ner = model
            .tag(&doc.text, &doc.tokens, &doc.sentences)
            .into_iter()
            .map(|(start, end, label)| lagebild_model::NerSpan { start, end, label })
            .collect();
    }
}

/// Entities: KB names, NER spans, demonyms and titles resolved to entities.
pub struct LinkStage {
    pub kb: Arc<Kb>,
}

impl Stage for LinkStage {
    fn name(&self) -> &'static str {
        "link"
    }
    fn run(&self, doc: &mut Document) {
        let ner: Vec<(usize, usize, String)> = doc
            .ner
            .iter()
            .map(|n| (n.start, n.end, n.label.clone()))
            .collect();
        doc.entities = Linker::new(&self.kb).link(doc, &ner);
    }
}

/// Temporal expressions, normalised against the publication date (inferred
/// from the text when the input gave none).
pub struct TimeStage {
    pub tagger: TimeTagger,
    /// A fixed mode, or `None` to choose per document.
    pub mode: Option<Mode>,
}

impl Stage for TimeStage {
    fn name(&self) -> &'static str {
        "time"
    }
    fn run(&self, doc: &mut Document) {
        if doc.published.is_none() {
            if let Some((date, how)) = self.tagger.infer_dct(&doc.text, &doc.language) {
                doc.published = Some(date);
                doc.provenance.push(Provenance {
                    field: "published".into(),
                    how: format!("inferred from the text ({how})"),
                });
            }
        }
        let sentences: Vec<(usize, usize)> =
            doc.sentences.iter().map(|s| (s.start, s.end)).collect();
        let dct = doc.published.as_deref();
        let mode = self
            .mode
            .unwrap_or_else(|| self.tagger.choose_mode(&doc.text, &doc.language, dct));
        doc.times = self
            .tagger
            .tag(&doc.text, &sentences, &doc.language, dct, mode);
    }
}

/// Quotations (direct, indirect, reported) with cue and speaker; speakers that
/// overlap or stand beside an entity mention take its id.
pub struct QuoteStage {
    pub extractor: lagebild_quotes::QuoteExtractor,
}

impl Stage for QuoteStage {
    fn name(&self) -> &'static str {
        "quotes"
    }
    fn run(&self, doc: &mut Document) {
        let atts = self.extractor.extract(doc);
        doc.quotes = lagebild_quotes::to_quotes(doc, &atts);
    }
}

/// Political events (PLOVER 2.0 + CAMEO) from the sentences, entities, times
/// and quotes of the document.
pub struct EventStage {
    pub extractor: lagebild_events::EventExtractor,
}

impl Stage for EventStage {
    fn name(&self) -> &'static str {
        "events"
    }
    fn run(&self, doc: &mut Document) {
        doc.events = self.extractor.extract(doc);
    }
}
