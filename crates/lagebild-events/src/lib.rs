//! Political events: who did what to whom, where and when, coded in PLOVER 2.0
//! with CAMEO codes and Goldstein scores, for German and English.
//!
//! A pure function over an analysed [`Document`] (sentences, tokens, linked
//! entities, times and quotes must be there; without its token layer a document
//! yields no events): [`EventExtractor::extract`].
//!
//! How it reads a sentence:
//! 1. **Triggers** come from the lexicons (`resources/events/{de,en}.tsv`):
//!    verbs by their forms (German separable verbs with their particle later in
//!    the clause or joined to the stem), nouns (German compounds by their head:
//!    `Raketentest`).
//! 2. **Arguments** are the linked entity mentions grouped into noun phrases: a
//!    country adjective and a title merge with the name they qualify (*die
//!    nordkoreanische Außenministerin Choe Son Hui* is one argument, and so is
//!    *Japan's Foreign Minister X*; an English country adjective takes the
//!    nouns it qualifies, *the Sudanese government*); each
//!    phrase knows its governing preposition and, in German, its case as far as
//!    the article shows it (*des* genitive, *den/dem* oblique); coordinated
//!    phrases (*die USA und Südkorea*) form one group.
//! 3. **Clauses**: the sentence is cut at `;`, `:`, quotation marks and commas,
//!    and comma pieces that are only a noun phrase (appositions such as
//!    *, Sergej Schoigu,*) are glued back.
//! 4. **Roles** follow the clause's structure and the trigger's frame: the
//!    subject (German: the first nominative-looking group of the clause; English:
//!    the nearest group before the verb), the object (the next group), and
//!    prepositional groups by their preposition (*mit*, *nach*, *in*, *with*,
//!    *to*, *against*); passives (*wurde von X empfangen*, *was attacked by X*)
//!    swap subject and agent.
//! 5. **Modality**: a trigger in the complement of an accusation, denial or claim
//!    (*beschuldigen …, geliefert zu haben*; *accused X of supplying*) is
//!    `alleged` or `denied` and claimed by the accuser, its missing actor taken
//!    from the accused; negation gives `negated`, conditionals `hypothetical`,
//!    future auxiliaries `future` (cooperative acts announced for the future are
//!    coded AGREE and hostile ones THREATEN, as PLOVER asks; a negated
//!    announced cooperative act, *will not accept*, is a REJECT); *laut X*, *nach Angaben*, *according to*, or
//!    a trigger inside a quotation give `alleged`, claimed by the source or
//!    speaker.
//! 6. **Precision first**: an event needs a trigger and an actor; a noun
//!    trigger needs its own actor (*zwischen A und B*, *Russia's*, a country
//!    adjective) or a light verb (*abhalten*, *hold*) whose subject it takes;
//!    a noun is dropped when a verb trigger of the same clause already speaks.
//!    Events with the same type, actors and recipients in one sentence merge; in
//!    one document, those on the same date too.

pub mod eval;
pub mod lexicon;

use std::collections::HashMap;

use lagebild_model::{Document, Entity, Event, TokenKind};
pub use lexicon::{Embed, Goldstein, Lexicon, LexiconError, Pos, Role, Slot, Trigger};

/// The event types of PLOVER 2.0.
pub const PLOVER_TYPES: &[&str] = &[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

const DE_TSV: &str = include_str!("../../../resources/events/de.tsv");
const EN_TSV: &str = include_str!("../../../resources/events/en.tsv");
const GOLDSTEIN_TSV: &str = include_str!("../../../resources/events/goldstein.tsv");

/// The event extractor: lexicons per language, built once; `Send + Sync`.
#[derive(Debug, Clone)]
pub struct EventExtractor {
    langs: HashMap<String, Lexicon>,
    goldstein: Goldstein,
}

impl EventExtractor {
    /// The lexicon files shipped in the binary, by resource name.
    pub fn embedded_files() -> Vec<(&'static str, &'static str)> {
        vec![
            ("events/de.tsv", DE_TSV),
            ("events/en.tsv", EN_TSV),
            ("events/goldstein.tsv", GOLDSTEIN_TSV),
        ]
    }

    pub fn embedded() -> Self {
        Self::from_files(&Self::embedded_files()).expect("embedded event lexicons are valid")
    }

    /// Build from resource files: `…de.tsv`, `…en.tsv` (triggers and cues per
    /// language, named by the file's stem) and `…goldstein.tsv`.
    pub fn from_files(files: &[(&str, &str)]) -> Result<Self, LexiconError> {
        let mut langs = HashMap::new();
        let mut goldstein = Goldstein::default();
        for (name, text) in files {
            let base = name.rsplit('/').next().unwrap_or(name);
            let Some(stem) = base.strip_suffix(".tsv") else {
                continue;
            };
            if stem == "goldstein" {
                goldstein = Goldstein::parse(name, text)?;
            } else {
                langs.insert(stem.to_string(), Lexicon::parse(name, text, stem)?);
            }
        }
        Ok(EventExtractor { langs, goldstein })
    }

    /// The events of an analysed document.
    pub fn extract(&self, doc: &Document) -> Vec<Event> {
        let lang = if doc.language.starts_with("en") {
            "en"
        } else {
            "de"
        };
        let Some(lx) = self.langs.get(lang) else {
            return Vec::new();
        };
        let mentions = mention_index(doc);
        let mut events = Vec::new();
        for s in &doc.sentences {
            let sent = SentenceView::new(doc, lx, lang, s.first_token, s.end_token, &mentions);
            for raw in sent.events() {
                events.push(self.finish(doc, &sent, raw, s.start, s.end));
            }
        }
        merge_document(events)
    }

    fn finish(
        &self,
        doc: &Document,
        sent: &SentenceView,
        raw: RawEvent,
        s_start: usize,
        s_end: usize,
    ) -> Event {
        let t = &sent.lx.triggers[raw.trigger];
        let mut plover = raw.kind.clone();
        let (mut mode, mut cameo) = if raw.negated_refusal {
            (None, "120".to_string())
        } else {
            (t.mode.clone(), t.cameo.clone())
        };
        if raw.modality == "future"
            && matches!(
                plover.as_str(),
                "CONSULT" | "COOPERATE" | "AID" | "SUPPORT" | "CONCEDE" | "RETREAT"
            )
        {
            // PLOVER: an announced cooperative act is an AGREE, not the act yet.
            cameo = match plover.as_str() {
                "CONSULT" => "036",
                "AID" => "033",
                "CONCEDE" | "RETREAT" => "035",
                _ => "030",
            }
            .to_string();
            plover = "AGREE".into();
            mode = None;
        } else if raw.modality == "future"
            && matches!(
                plover.as_str(),
                "SANCTION" | "COERCE" | "ASSAULT" | "PROTEST" | "MOBILIZE"
            )
        {
            // an announced hostile act is a threat (PLOVER THREATEN), not the act
            cameo = match plover.as_str() {
                "SANCTION" => "1312",
                "COERCE" => "137",
                "ASSAULT" => "138",
                "PROTEST" => "1313",
                _ => "138",
            }
            .to_string();
            plover = "THREATEN".into();
            mode = None;
        }
        let (start, end) = raw.span;
        let date = nearest_time(doc, start, s_start, s_end);
        Event {
            kind: plover,
            mode,
            context: t.context.clone(),
            actors: raw
                .actors
                .iter()
                .map(|&e| actor_id(&doc.entities[e]))
                .collect(),
            recipients: raw
                .recipients
                .iter()
                .map(|&e| actor_id(&doc.entities[e]))
                .collect(),
            location: raw.location.map(|e| doc.entities[e].id.clone()),
            date,
            modality: raw.modality.to_string(),
            claimed_by: raw.claimed_by.map(|e| actor_id(&doc.entities[e])),
            goldstein: self.goldstein.score(&cameo),
            cameo: Some(cameo),
            start,
            end,
            sentence: doc.text[s_start..s_end].to_string(),
        }
    }
}

/// A place standing in an actor's role acts for its state: `geo:…` → `gpe:ISO3`.
fn actor_id(e: &Entity) -> String {
    if e.kind == "LOC" {
        if let Some(c) = e.country.as_deref().filter(|c| c.len() == 3) {
            return format!("gpe:{c}");
        }
    }
    e.id.clone()
}

/// The date of an event: the DATE expression of its sentence nearest to the
/// trigger (a vague `PRESENT_REF` only when nothing better is there).
fn nearest_time(doc: &Document, at: usize, s_start: usize, s_end: usize) -> Option<String> {
    doc.times
        .iter()
        .filter(|t| t.start >= s_start && t.end <= s_end && (t.kind == "DATE" || t.kind == "TIME"))
        .filter(|t| t.value.starts_with(|c: char| c.is_ascii_digit()))
        .min_by_key(|t| t.start.abs_diff(at))
        .map(|t| t.value.clone())
}

/// Entity mentions by byte start: (start, end, entity index, is a demonym).
fn mention_index(doc: &Document) -> Vec<(usize, usize, usize, bool)> {
    let mut v: Vec<(usize, usize, usize, bool)> = doc
        .entities
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            e.mentions
                .iter()
                .map(move |m| (m.start, m.end, i, m.kind == "demonym"))
        })
        .collect();
    v.sort();
    v
}

/// An event before it is turned into the contract's form.
#[derive(Debug, Clone)]
struct RawEvent {
    trigger: usize,
    /// the trigger's PLOVER type
    kind: String,
    /// a negated future cooperative act, coded as a refusal (REJECT)
    negated_refusal: bool,
    span: (usize, usize),
    actors: Vec<usize>,
    recipients: Vec<usize>,
    location: Option<usize>,
    modality: &'static str,
    claimed_by: Option<usize>,
}

impl RawEvent {
    /// An asserted event of a trigger, without parties yet.
    fn new(trigger: usize, kind: &str) -> Self {
        RawEvent {
            trigger,
            kind: kind.to_string(),
            negated_refusal: false,
            span: (0, 0),
            actors: Vec::new(),
            recipients: Vec::new(),
            location: None,
            modality: "asserted",
            claimed_by: None,
        }
    }

    /// Give the entities a role (a location takes the first, once).
    fn fill(&mut self, role: Role, ents: Vec<usize>) {
        match role {
            Role::Actor => self.actors.extend(ents),
            Role::Recipient => self.recipients.extend(ents),
            Role::Location => self.location = self.location.or(ents.first().copied()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Gov {
    None,
    Prep(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Unknown,
    Oblique,
    Genitive,
}

/// An accusing, denying or claiming trigger: (token, subject group, object
/// group, kind, clause).
type EmbedSite = (usize, Option<usize>, Option<usize>, Embed, usize);

/// A noun phrase holding entity mentions.
#[derive(Debug, Clone)]
struct Arg {
    /// first and end token (relative to the sentence)
    a: usize,
    b: usize,
    /// entity indices, the head (rightmost) last
    ents: Vec<usize>,
    head_demonym: bool,
    /// ends in common nouns after a country adjective (`Syrian parliament`)
    noun_tail: bool,
    gov: Gov,
    case: Case,
}

/// Coordinated arguments (*die USA und Südkorea*).
#[derive(Debug, Clone)]
struct Group {
    a: usize,
    b: usize,
    args: Vec<usize>,
    gov: Gov,
    case: Case,
}

struct SentenceView<'a> {
    doc: &'a Document,
    lx: &'a Lexicon,
    lang: &'a str,
    /// sentence tokens: (start, end, kind)
    toks: Vec<(usize, usize, TokenKind)>,
    lower: Vec<String>,
    args: Vec<Arg>,
    groups: Vec<Group>,
    /// clause id per token
    clause: Vec<usize>,
    /// token range of each clause (clauses are contiguous), by clause id
    clause_spans: Vec<(usize, usize)>,
}

impl<'a> SentenceView<'a> {
    fn new(
        doc: &'a Document,
        lx: &'a Lexicon,
        lang: &'a str,
        first: usize,
        end: usize,
        mentions: &[(usize, usize, usize, bool)],
    ) -> Self {
        // a document whose token layer was dropped has no events to read
        let end = end.min(doc.tokens.len());
        let toks: Vec<(usize, usize, TokenKind)> = doc.tokens[first.min(end)..end]
            .iter()
            .map(|t| (t.start, t.end, t.kind))
            .collect();
        let lower = toks
            .iter()
            .map(|&(s, e, _)| doc.text[s..e].to_lowercase())
            .collect();
        let mut v = SentenceView {
            doc,
            lx,
            lang,
            toks,
            lower,
            args: Vec::new(),
            groups: Vec::new(),
            clause: Vec::new(),
            clause_spans: Vec::new(),
        };
        v.build_args(mentions);
        v.build_groups();
        v.build_clauses();
        v
    }

    fn word(&self, i: usize) -> &str {
        let (s, e, _) = self.toks[i];
        &self.doc.text[s..e]
    }

    fn is_punct(&self, i: usize) -> bool {
        matches!(
            self.toks[i].2,
            TokenKind::Punct | TokenKind::Quote | TokenKind::Symbol
        ) && self.word(i) != "-"
    }

    fn is_cap(&self, i: usize) -> bool {
        self.word(i).chars().next().is_some_and(char::is_uppercase)
    }

    fn is_trigger_word(&self, i: usize) -> bool {
        !self.lx.lookup(&self.lower[i]).is_empty()
    }

    /// A token that may sit inside a noun phrase before its name: articles,
    /// numbers, adjectives, titles.
    fn np_internal(&self, i: usize) -> bool {
        let w = &self.lower[i];
        if self.lx.is("det", w) || self.lx.is("number", w) || self.lx.is("adj", w) {
            return true;
        }
        if self.toks[i].2 == TokenKind::Number || self.word(i) == "-" {
            return true;
        }
        if self.is_punct(i)
            || self.lx.is("prep", w)
            || self.lx.is("coord", w)
            || self.lx.is("subord", w)
            || self.lx.is("aux", w)
            || self.lx.is("negation", w)
            || self.is_trigger_word(i)
        {
            return false;
        }
        if self.is_cap(i) {
            return true;
        }
        // German adjectives: lower-case, inflected
        self.lang == "de"
            && w.chars().all(char::is_alphabetic)
            && ["e", "en", "er", "es", "em"].iter().any(|s| w.ends_with(s))
    }

    fn build_args(&mut self, mentions: &[(usize, usize, usize, bool)]) {
        let (Some(&(s0, _, _)), Some(&(_, e0, _))) = (self.toks.first(), self.toks.last()) else {
            return;
        };
        let from = mentions.partition_point(|m| m.0 < s0);
        for &(ms, me, ent, demonym) in mentions[from..].iter().take_while(|m| m.0 < e0) {
            let Some(a) = self.toks.iter().position(|t| t.0 >= ms) else {
                continue;
            };
            let b = self
                .toks
                .iter()
                .rposition(|t| t.1 <= me)
                .map_or(a + 1, |x| x + 1)
                .max(a + 1);
            if self.args.last().is_some_and(|p| p.b > a) {
                continue; // overlapping mention
            }
            // scan left over the phrase's inner words
            let mut k = a;
            let mut det: Option<String> = None;
            let mut skipped = 0;
            let mut merged = false;
            while k > 0 {
                let p = k - 1;
                if let Some(prev) = self.args.last_mut() {
                    // `Russia's Foreign Minister X`: the possessive ending is a
                    // token of its own right after the owner
                    let owner_s = prev.b == p && matches!(self.lower[p].as_str(), "'s" | "’s");
                    if prev.b == p + 1 || owner_s {
                        let possessive = self
                            .lower
                            .get(prev.b)
                            .is_some_and(|w| w == "'s" || w == "’s");
                        if (prev.head_demonym || possessive) && det.is_none() {
                            prev.b = b;
                            prev.ents.push(ent);
                            prev.head_demonym = demonym;
                            merged = true;
                        }
                        break;
                    }
                }
                if skipped < 4 && self.np_internal(p) {
                    if det.is_none() && self.lx.is("det", &self.lower[p]) {
                        det = Some(self.lower[p].clone());
                    }
                    k = p;
                    skipped += 1;
                    continue;
                }
                break;
            }
            if merged {
                continue;
            }
            let gov = if k > 0 && self.lx.is("prep", &self.lower[k - 1]) {
                Gov::Prep(self.lower[k - 1].clone())
            } else {
                Gov::None
            };
            let case = match det.as_deref() {
                Some("des" | "eines" | "zweier" | "dreier" | "vierer") => Case::Genitive,
                Some("den" | "dem" | "einen" | "einem") if self.lang == "de" => Case::Oblique,
                _ => Case::Unknown,
            };
            // English: a country adjective takes the noun it qualifies
            // (`Sudanese government`, `Romanian officials`), so that
            // coordination and roles see one phrase
            let tail = if self.lang == "en" && demonym {
                self.demonym_noun_end(b, mentions)
            } else {
                b
            };
            self.args.push(Arg {
                a: k,
                b: tail,
                ents: vec![ent],
                head_demonym: demonym,
                noun_tail: tail > b,
                gov,
                case,
            });
        }
    }

    /// The end of the common nouns (at most two) after an English country
    /// adjective ending at `b`: lower-case words that are no cue, trigger,
    /// past form or speech verb, and start no mention.
    fn demonym_noun_end(&self, b: usize, mentions: &[(usize, usize, usize, bool)]) -> usize {
        const CUES: &[&str] = &[
            "det",
            "number",
            "prep",
            "coord",
            "subord",
            "aux",
            "passive",
            "negation",
            "future",
            "hypothetical",
            "allege",
            "report",
            "light",
        ];
        let mut end = b;
        while end < self.toks.len() && end < b + 2 {
            let w = &self.lower[end];
            let noun = self.toks[end].2 == TokenKind::Word
                && w.chars().all(|c| c.is_ascii_lowercase())
                && !self.is_cap(end)
                && !CUES.iter().any(|c| self.lx.is(c, w))
                && !self.is_trigger_word(end)
                && !w.ends_with("ed")
                && !matches!(
                    w.as_str(),
                    "said" | "say" | "says" | "told" | "tell" | "tells"
                )
                && !mentions.iter().any(|m| m.0 == self.toks[end].0);
            if !noun {
                break;
            }
            end += 1;
        }
        end
    }

    fn build_groups(&mut self) {
        let mut i = 0;
        while i < self.args.len() {
            let mut g = Group {
                a: self.args[i].a,
                b: self.args[i].b,
                args: vec![i],
                gov: self.args[i].gov.clone(),
                case: self.args[i].case,
            };
            let mut j = i + 1;
            while j < self.args.len() {
                let between: Vec<&str> = (g.b..self.args[j].a)
                    .map(|k| self.lower[k].as_str())
                    .collect();
                // (a comma after `the Syrian parliament` opens an apposition)
                let last_tail =
                    self.args[*g.args.last().expect("a group has an argument")].noun_tail;
                let joins = match between.as_slice() {
                    [w] => self.lx.is("coord", w) || (*w == "," && !last_tail),
                    [",", w] => self.lx.is("coord", w),
                    _ => false,
                };
                // a second conjunct may repeat the preposition: `mit X und mit Y`
                let same_gov = self.args[j].gov == Gov::None || self.args[j].gov == g.gov;
                if joins && same_gov {
                    g.b = self.args[j].b;
                    g.args.push(j);
                    j += 1;
                } else {
                    break;
                }
            }
            self.groups.push(g);
            i = j;
        }
    }

    /// Clause ids: cut at strong punctuation, quotes and commas; glue back comma
    /// pieces that are only a noun phrase.
    fn build_clauses(&mut self) {
        let n = self.toks.len();
        let mut pieces: Vec<(usize, usize)> = Vec::new();
        let mut start = 0;
        for i in 0..n {
            let w = self.word(i);
            let cut = self.toks[i].2 == TokenKind::Quote
                || matches!(w, ";" | ":" | "," | "(" | ")" | "–" | "—")
                || (i > start && self.lx.is("subord", &self.lower[i]));
            if cut {
                if i > start {
                    pieces.push((start, i));
                }
                start = if self.lx.is("subord", &self.lower[i]) && !self.is_punct(i) {
                    i
                } else {
                    i + 1
                };
            }
        }
        if start < n {
            pieces.push((start, n));
        }
        // glue noun-phrase-only pieces to their neighbour
        let np_only = |v: &Self, (a, b): (usize, usize)| -> bool {
            (a..b).all(|k| {
                v.args.iter().any(|x| x.a <= k && k < x.b)
                    || v.np_internal(k)
                    || (v.lx.is("prep", &v.lower[k]) && !v.lx.is("subord", &v.lower[k]))
            })
        };
        let mut clause = vec![0; n];
        let mut id = 0;
        let mut prev_np = false;
        for (pi, &(a, b)) in pieces.iter().enumerate() {
            let np = np_only(self, (a, b));
            let strong_before = a > 0
                && (a - 1..a).any(|k| {
                    matches!(self.word(k), ";" | ":") || self.toks[k].2 == TokenKind::Quote
                });
            if pi > 0 && !(np || prev_np) || strong_before {
                id += 1;
            }
            for c in clause.iter_mut().take(b).skip(a) {
                *c = id;
            }
            // punctuation between pieces belongs to the earlier clause
            if let Some(&(na, _)) = pieces.get(pi + 1) {
                for c in clause.iter_mut().take(na).skip(b) {
                    *c = id;
                }
            }
            prev_np = np;
        }
        // each clause's hull: from its first to its last token
        let mut spans: Vec<Option<(usize, usize)>> = Vec::new();
        for (k, &c) in clause.iter().enumerate() {
            if spans.len() <= c {
                spans.resize(c + 1, None);
            }
            let span = spans[c].get_or_insert((k, k + 1));
            span.1 = k + 1;
        }
        let spans = spans.into_iter().map(|s| s.unwrap_or((0, 0))).collect();
        self.clause = clause;
        self.clause_spans = spans;
    }

    /// Matches of a cue kind in the token range, as token positions.
    fn cue_in(&self, kind: &str, a: usize, b: usize) -> Option<usize> {
        (a..b).find(|&i| self.lx.match_at(kind, &self.lower[..b], i).is_some())
    }

    fn clause_range(&self, i: usize) -> (usize, usize) {
        self.clause_spans[self.clause[i]]
    }

    /// Trigger occurrences: (token index, trigger index, particle token).
    fn triggers(&self) -> Vec<(usize, usize, Option<usize>)> {
        let mut out = Vec::new();
        for i in 0..self.toks.len() {
            if self.args.iter().any(|a| a.a <= i && i < a.b) && !self.is_cap(i) {
                continue;
            }
            let cands = self.lx.lookup(&self.lower[i]);
            if cands.is_empty() {
                continue;
            }
            let (_, cb) = self.clause_range(i);
            let mut best: Option<(usize, Option<usize>)> = None;
            for (t, complete) in cands {
                let tr = &self.lx.triggers[t];
                // nouns are capitalised in German; verbs are not (except first word)
                if self.lang == "de" {
                    let cap = self.is_cap(i);
                    if tr.pos == Pos::Noun && !cap {
                        continue;
                    }
                    if tr.pos == Pos::Verb && cap && i > 0 {
                        continue;
                    }
                }
                if self.args.iter().any(|a| a.a <= i && i < a.b) && tr.pos == Pos::Verb {
                    continue;
                }
                // English: `a strike`, `the attack` are nouns
                if self.lang == "en"
                    && tr.pos == Pos::Verb
                    && i > 0
                    && self.lx.is("det", &self.lower[i - 1])
                {
                    continue;
                }
                match (&tr.particle, complete) {
                    (Some(p), false) => {
                        let p = p.to_lowercase();
                        let parts: Vec<&str> = p.split(' ').collect();
                        // English phrasal verbs: particle right after (or one word later);
                        // German: particle later in the clause
                        // (German `zu` of `verurteilen … zu` may also come first)
                        let (ca, _) = self.clause_range(i);
                        let range = if self.lang == "en" {
                            i + 1..(i + 3).min(cb)
                        } else if tr.particle_anywhere {
                            ca..cb
                        } else {
                            i + 1..cb
                        };
                        let found = range.filter(|&k| k != i).find(|&k| {
                            parts
                                .iter()
                                .enumerate()
                                .all(|(o, w)| self.lower.get(k + o).is_some_and(|x| x == w))
                        });
                        if let Some(k) = found {
                            best = Some((t, Some(k)));
                            break;
                        }
                    }
                    (None, _) | (Some(_), true) => {
                        if best.is_none() {
                            best = Some((t, None));
                        }
                    }
                }
            }
            if let Some((t, part)) = best {
                out.push((i, t, part));
            }
        }
        out
    }

    fn is_passive(&self, i: usize, ca: usize) -> bool {
        if self.lang == "en" {
            // was/were/been (+ adverb) + participle
            // (`has been sharing`, `is providing` are progressive, not passive)
            !self.lower[i].ends_with("ing")
                && ((i.saturating_sub(3).max(ca)..i).any(|k| self.lx.is("passive", &self.lower[k]))
                    && self.lower[i].ends_with("ed")
                    || (i.saturating_sub(2).max(ca)..i)
                        .any(|k| self.lx.is("passive", &self.lower[k])))
        } else {
            (ca..i).any(|k| self.lx.is("passive", &self.lower[k]))
        }
    }

    fn group_entities(&self, g: &Group) -> Vec<usize> {
        let known = |e: usize| {
            let ent = &self.doc.entities[e];
            ent.country.as_deref().is_some_and(|c| !c.is_empty())
                || ent
                    .sector
                    .as_deref()
                    .is_some_and(|s| s == "IGO" || s == "NGO")
        };
        g.args
            .iter()
            .map(|&a| {
                let ents = &self.args[a].ents;
                let head = *ents.last().expect("an argument has a mention");
                // `South African leader X` with X unknown to the KB: the country
                // the phrase names is what can be said about the actor
                if known(head) {
                    head
                } else {
                    ents.iter()
                        .rev()
                        .copied()
                        .find(|&e| known(e))
                        .unwrap_or(head)
                }
            })
            .collect()
    }

    fn events(&self) -> Vec<RawEvent> {
        let trig = self.triggers();
        if trig.is_empty() || self.args.is_empty() {
            return Vec::new();
        }
        // embedding triggers: (token, actor group, accused group, kind)
        let mut out: Vec<(usize, RawEvent)> = Vec::new();
        let mut embeds: Vec<EmbedSite> = Vec::new();
        let verb_clauses: Vec<usize> = trig
            .iter()
            .filter(|(_, t, _)| self.lx.triggers[*t].pos == Pos::Verb)
            .map(|(i, _, _)| self.clause[*i])
            .collect();
        for &(i, t, particle) in &trig {
            let tr = &self.lx.triggers[t];
            let (ca, cb) = self.clause_range(i);
            let ev = match tr.pos {
                Pos::Verb => self.verb_event(i, t, ca, cb),
                Pos::Noun => {
                    // a verb of the same clause speaks for the clause, unless the
                    // noun is an occasion of its own: `bei einem Treffen mit X`
                    let light = (ca..cb).any(|k| self.lx.is("light", &self.lower[k]));
                    let occasion = self.occasion(i);
                    if verb_clauses.contains(&self.clause[i]) && !light && !occasion {
                        continue;
                    }
                    let ev = self.noun_event(i, t, ca, cb, light || occasion);
                    if occasion && ev.as_ref().is_some_and(|(e, _, _)| e.recipients.is_empty()) {
                        continue;
                    }
                    ev
                }
            };
            let Some((mut ev, subj_group, obj_group)) = ev else {
                continue;
            };
            // a separable verb's span runs to its particle (`traf … ein`)
            let other = particle.unwrap_or(i).max(i);
            ev.span = (self.toks[i].0, self.toks[other].1);
            if let Some(kind) = tr.embed {
                embeds.push((i, subj_group, obj_group, kind, self.clause[i]));
            }
            out.push((i, ev));
        }
        // modality
        let mut result = Vec::new();
        for (i, mut ev) in out {
            let (ca, cb) = self.clause_range(i);
            let tr = &self.lx.triggers[ev.trigger];
            // complement of an accusation / denial / claim
            let host = embeds.iter().rev().find(|(j, _, _, _, c)| {
                *j < i
                    && (self.clause[i] == *c || self.clause[i] == *c + 1)
                    && !(*j..i).any(|k| matches!(self.word(k), ";" | ":"))
            });
            if let Some(&(_, subj, obj, kind, _)) = host {
                if tr.embed.is_none() {
                    ev.modality = match kind {
                        Embed::Deny => "denied",
                        _ => "alleged",
                    };
                    ev.claimed_by =
                        subj.and_then(|g| self.group_entities(&self.groups[g]).first().copied());
                    if ev.actors.is_empty()
                        || ev.actors == ev.claimed_by.into_iter().collect::<Vec<_>>()
                    {
                        // the accused is the one said to have acted
                        let accused = match kind {
                            Embed::Deny => subj,
                            _ => obj,
                        };
                        if let Some(g) = accused {
                            ev.actors = self.group_entities(&self.groups[g]);
                        }
                    }
                    ev.recipients.retain(|r| !ev.actors.contains(r));
                }
            }
            if ev.modality == "asserted" {
                if tr.embed == Some(Embed::Deny) {
                    ev.modality = "denied";
                } else if self.cue_in("negation", ca, cb).is_some() {
                    ev.modality = "negated";
                } else if self.cue_in("hypothetical", ca, cb).is_some() {
                    ev.modality = "hypothetical";
                } else if self
                    .cue_in("future", ca, cb)
                    .is_some_and(|k| k < i || self.lang == "de")
                {
                    ev.modality = "future";
                } else if let Some((src, _)) = self.attribution() {
                    ev.modality = "alleged";
                    ev.claimed_by = src;
                } else if let Some(q) = self
                    .doc
                    .quotes
                    .iter()
                    .find(|q| q.start <= ev.span.0 && ev.span.1 <= q.end)
                {
                    ev.modality = "alleged";
                    ev.claimed_by = q
                        .speaker
                        .as_ref()
                        .and_then(|id| self.doc.entities.iter().position(|e| &e.id == id));
                }
            }
            if tr.speaker {
                let q = self
                    .doc
                    .quotes
                    .iter()
                    .find(|q| q.start <= ev.span.0 && ev.span.1 <= q.end);
                ev.actors = q
                    .and_then(|q| q.speaker.as_ref())
                    .and_then(|id| self.doc.entities.iter().position(|e| &e.id == id))
                    .into_iter()
                    .collect();
                ev.recipients.retain(|r| !ev.actors.contains(r));
                if ev.modality == "alleged" {
                    ev.modality = "asserted";
                    ev.claimed_by = None;
                }
            }
            if ev.modality == "negated"
                && self.cue_in("future", ca, cb).is_some()
                && matches!(
                    ev.kind.as_str(),
                    "AGREE" | "CONSULT" | "COOPERATE" | "AID" | "SUPPORT" | "CONCEDE" | "RETREAT"
                )
            {
                // `will not accept`, `wird nicht unterstützen`: a refusal
                ev.kind = "REJECT".into();
                ev.modality = "asserted";
                ev.negated_refusal = true;
            }
            if ev.actors.is_empty() {
                continue;
            }
            if tr.needs_obj && ev.recipients.is_empty() {
                continue;
            }
            result.push(ev);
        }
        merge_sentence(result)
    }

    /// `laut X`, `nach Angaben (von) X`, `X zufolge`, `according to X`,
    /// `reportedly`: (the source's entity, if named; cue position).
    fn attribution(&self) -> Option<(Option<usize>, usize)> {
        let n = self.toks.len();
        let k = self.cue_in("allege", 0, n)?;
        let len = self.lx.match_at("allege", &self.lower, k).unwrap_or(1);
        // the group right after the cue (or right before `zufolge`)
        let after = self
            .groups
            .iter()
            .find(|g| g.a >= k + len && g.a <= k + len + 3)
            .or_else(|| self.groups.iter().rev().find(|g| g.b <= k && g.b + 1 >= k));
        Some((
            after.and_then(|g| self.group_entities(g).first().copied()),
            k,
        ))
    }

    /// Subject and object groups of a verb at `i` in clause `[ca, cb)`.
    fn subject_object(&self, i: usize, ca: usize, cb: usize) -> (Option<usize>, Option<usize>) {
        let core: Vec<usize> = (0..self.groups.len())
            .filter(|&g| {
                let gr = &self.groups[g];
                gr.a >= ca && gr.b <= cb && gr.gov == Gov::None && gr.case != Case::Genitive
            })
            // nothing past a comma after the verb: `…, berichtete KCNA`
            .filter(|&g| {
                let a = self.groups[g].a;
                a < i || !(i..a).any(|k| self.word(k) == ",")
            })
            .collect();
        if self.lang == "en" {
            let subj = core.iter().rev().find(|&&g| self.groups[g].b <= i).copied();
            let obj = core.iter().find(|&&g| self.groups[g].a > i).copied();
            (subj, obj)
        } else {
            let subj = core
                .iter()
                .find(|&&g| self.groups[g].case != Case::Oblique)
                .copied();
            let obj = core.iter().find(|&&g| Some(g) != subj).copied();
            (subj, obj)
        }
    }

    /// The state of the first place named with a place preposition in the
    /// clause (an entity with a country).
    fn place_state(&self, ca: usize, cb: usize) -> Option<usize> {
        self.groups
            .iter()
            .filter(|g| g.a >= ca && g.b <= cb)
            .filter(|g| matches!(&g.gov, Gov::Prep(p) if self.lx.is("place-prep", p)))
            .flat_map(|g| self.group_entities(g))
            .find(|&e| {
                let ent = &self.doc.entities[e];
                (ent.kind == "LOC" || ent.kind == "GPE") && ent.country.is_some()
            })
    }

    /// A subject described rather than named: *Ein Gericht in Moskau
    /// verurteilte …*, *the police in Lagos arrested …*: a noun opening the
    /// clause, followed by a place phrase that gives its country.
    fn described_subject(&self, i: usize, ca: usize) -> Option<usize> {
        let mut k = ca;
        while k < i && self.lx.is("det", &self.lower[k]) {
            k += 1;
        }
        if k >= i || self.args.iter().any(|a| a.a <= k && k < a.b) {
            return None;
        }
        let g = self.groups.iter().position(|g| g.a > k && g.b <= i)?;
        let gr = &self.groups[g];
        let place_prep =
            matches!(&gr.gov, Gov::Prep(p) if matches!(p.as_str(), "in" | "aus" | "from" | "of"));
        // an infinitive complement (`… zu liefern`) has no subject of its own
        let infinitive = (i.saturating_sub(1)..(i + 2).min(self.toks.len()))
            .any(|j| j != i && (self.lower[j] == "zu" || self.lower[j] == "to"))
            || self.lower[i].contains("zu") && self.lang == "de";
        (place_prep && gr.a == k + 2 && !infinitive).then_some(g)
    }

    /// A noun trigger in a temporal phrase (`bei einem Treffen`, `during talks`):
    /// an occasion the clause's subject took part in.
    fn occasion(&self, i: usize) -> bool {
        let mut k = i;
        let mut steps = 0;
        while k > 0 && steps < 3 {
            k -= 1;
            steps += 1;
            let w = &self.lower[k];
            if self.lx.is("occasion-prep", w) {
                return true;
            }
            if !(self.lx.is("det", w) || self.lx.is("adj", w) || self.np_internal(k)) {
                return false;
            }
        }
        false
    }

    /// English subjects described by a quantity or a group noun: *Thousands of
    /// Iraqi Kurds demonstrated*, *Security forces in Guinea tortured*, *Up to
    /// 100 ethnic Albanians*: the nearest group before the verb in its clause
    /// that hangs on `of`, `in`, `from` or `to` (no verb word in between).
    fn described_subject_en(&self, i: usize, ca: usize) -> Option<usize> {
        let g = (0..self.groups.len())
            .rev()
            .find(|&g| self.groups[g].a >= ca && self.groups[g].b <= i)?;
        let gr = &self.groups[g];
        let ok =
            matches!(&gr.gov, Gov::Prep(p) if matches!(p.as_str(), "of" | "in" | "from" | "to"));
        let clear = (gr.b..i).all(|k| {
            !self.is_trigger_word(k) && !self.lx.is("subord", &self.lower[k]) && self.word(k) != ","
        });
        (ok && clear).then_some(g)
    }

    fn verb_event(
        &self,
        i: usize,
        t: usize,
        ca: usize,
        cb: usize,
    ) -> Option<(RawEvent, Option<usize>, Option<usize>)> {
        let tr = &self.lx.triggers[t];
        let (mut subj, mut obj) = self.subject_object(i, ca, cb);
        let passive = self.is_passive(i, ca);
        let agent_prep = if self.lang == "en" { "by" } else { "von" };
        let agent = (0..self.groups.len()).find(|&g| {
            let gr = &self.groups[g];
            gr.a >= ca && gr.b <= cb && gr.gov == Gov::Prep(agent_prep.into())
        });
        let mut authority = None;
        if passive {
            if let Some(a) = agent {
                obj = subj;
                subj = Some(a);
            } else if tr.role(&Slot::Prep(agent_prep.into())).is_none() {
                obj = subj;
                subj = None;
                // `X wurde in Moskau verurteilt`: courts and police act for the
                // state where they sit
                if matches!(tr.plover.as_str(), "SANCTION" | "COERCE") {
                    authority = self.place_state(ca, cb);
                }
                // the person's affiliation: `Mitarbeiter des amerikanischen Konsulats`
                if obj.is_none() {
                    obj = (0..self.groups.len()).find(|&g| {
                        let gr = &self.groups[g];
                        gr.a >= ca && gr.b <= i && gr.case == Case::Genitive
                    });
                }
            }
        }
        if subj.is_none() && !passive {
            subj = self.described_subject(i, ca);
        }
        if subj.is_none() && !passive && self.lang == "en" && !tr.speaker {
            // across an apposition: `Pakistan, a key ally of …, has refused`
            subj = (0..self.groups.len()).find(|&g| {
                let gr = &self.groups[g];
                gr.b <= ca && gr.gov == Gov::None
            });
        }
        if subj.is_none() && !passive && self.lang == "en" && !tr.speaker {
            subj = self.described_subject_en(i, ca);
        }
        let mut ev = RawEvent::new(t, &tr.plover);
        let assign = |ev: &mut RawEvent, g: usize, role: Role| {
            ev.fill(role, self.group_entities(&self.groups[g]));
        };
        if let (Some(g), Some(r)) = (subj, tr.role(&Slot::Subj)) {
            assign(&mut ev, g, r);
        }
        if let (Some(g), Some(r)) = (obj, tr.role(&Slot::Obj)) {
            assign(&mut ev, g, r);
        }
        for g in 0..self.groups.len() {
            let gr = &self.groups[g];
            if gr.a < ca || gr.b > cb || Some(g) == subj || Some(g) == obj {
                continue;
            }
            if let Gov::Prep(p) = &gr.gov {
                if passive && p == agent_prep {
                    continue;
                }
                // prepositions after the trigger (English) or anywhere in the clause (German)
                if self.lang == "en" && gr.a < i {
                    continue;
                }
                if let Some(r) = tr.role(&Slot::Prep(p.clone())) {
                    assign(&mut ev, g, r);
                } else if self.lx.is("place-prep", p) && ev.location.is_none() {
                    let e = self.group_entities(gr)[0];
                    if self.doc.entities[e].kind == "LOC" {
                        ev.location = Some(e);
                    }
                }
            }
        }
        if ev.actors.is_empty() {
            ev.actors.extend(authority);
        }
        ev.recipients.retain(|r| !ev.actors.contains(r));
        dedup(&mut ev.actors);
        dedup(&mut ev.recipients);
        Some((ev, subj, obj))
    }

    fn noun_event(
        &self,
        i: usize,
        t: usize,
        ca: usize,
        cb: usize,
        light: bool,
    ) -> Option<(RawEvent, Option<usize>, Option<usize>)> {
        let tr = &self.lx.triggers[t];
        let mut ev = RawEvent::new(t, &tr.plover);
        // a country adjective or possessive right before the noun: `nordkoreanische Raketentest`
        if let Some(a) = self
            .args
            .iter()
            .find(|a| a.b == i || (a.b + 1 == i && self.lower[a.b].ends_with('s')))
        {
            if a.head_demonym
                || self.lower.get(a.b).is_some_and(|w| w == "'s" || w == "’s")
                || self.lang == "de" && a.b == i
            {
                ev.actors.push(*a.ents.last()?);
            }
        }
        for g in 0..self.groups.len() {
            let gr = &self.groups[g];
            if gr.a <= i || gr.a > i + 6 || gr.b > cb {
                continue;
            }
            let slot = match (&gr.gov, gr.case) {
                (Gov::Prep(p), _) => Slot::Prep(p.clone()),
                (Gov::None, Case::Genitive) => Slot::Gen,
                _ => continue,
            };
            if let Some(r) = tr.role(&slot) {
                ev.fill(r, self.group_entities(gr));
            }
        }
        // `X gab die Lieferungen aus Y bekannt`: the act is X's claim about Y
        if !ev.actors.is_empty() && (ca..cb).any(|k| self.lx.is("report", &self.lower[k])) {
            let (subj, _) = self.subject_object(i, ca, cb);
            if let Some(g) = subj.filter(|&g| self.groups[g].b <= i) {
                let src = self.group_entities(&self.groups[g]);
                if !src.iter().any(|e| ev.actors.contains(e)) {
                    ev.modality = "alleged";
                    ev.claimed_by = src.first().copied();
                }
            }
        }
        if ev.actors.is_empty() && light {
            let (mut subj, _) = self.subject_object(i, ca, cb);
            if self.lang == "en" && subj.is_none_or(|g| self.groups[g].a > i) {
                subj = self.described_subject_en(i, ca);
            }
            if let Some(g) = subj {
                ev.actors = self.group_entities(&self.groups[g]);
            }
        }
        ev.recipients.retain(|r| !ev.actors.contains(r));
        dedup(&mut ev.actors);
        dedup(&mut ev.recipients);
        Some((ev, None, None))
    }
}

fn dedup(v: &mut Vec<usize>) {
    let mut seen = Vec::new();
    v.retain(|x| {
        if seen.contains(x) {
            false
        } else {
            seen.push(*x);
            true
        }
    });
}

/// Within a sentence: one event per type with the same actors (the later
/// mention adds recipients and location it lacks).
fn merge_sentence(events: Vec<RawEvent>) -> Vec<RawEvent> {
    let mut out: Vec<RawEvent> = Vec::new();
    for ev in events {
        if let Some(o) = out.iter_mut().find(|o| {
            o.trigger == ev.trigger
                || (o.actors == ev.actors && o.modality == ev.modality && o.kind == ev.kind)
        }) {
            if o.recipients.is_empty() {
                o.recipients = ev.recipients;
            }
            o.location = o.location.or(ev.location);
            continue;
        }
        out.push(ev);
    }
    out
}

/// Within a document: events of one type, actors, recipients, modality and
/// date are one event (the first mention stands for it).
fn merge_document(events: Vec<Event>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    for ev in events {
        let dup = out.iter().any(|o| {
            o.kind == ev.kind
                && o.actors == ev.actors
                && o.recipients == ev.recipients
                && o.modality == ev.modality
                && o.date == ev.date
                && o.date.is_some()
        });
        if !dup {
            out.push(ev);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use lagebild_model::{Mention, Sentence};

    #[test]
    fn lexicons_load_and_a_document_without_tokens_is_no_panic() {
        let ex = EventExtractor::embedded();
        let mut doc = Document {
            language: "de".into(),
            text: "Frankreich kritisiert Polen.".into(),
            ..Default::default()
        };
        doc.sentences.push(Sentence {
            start: 0,
            end: doc.text.len(),
            first_token: 0,
            end_token: 4,
        });
        doc.entities.push(Entity {
            id: "gpe:FRA".into(),
            name: "Frankreich".into(),
            kind: "GPE".into(),
            country: Some("FRA".into()),
            sector: None,
            mentions: vec![Mention {
                start: 0,
                end: 10,
                text: "Frankreich".into(),
                kind: "name".into(),
            }],
        });
        assert!(ex.extract(&doc).is_empty());
    }

    /// An English document of one sentence: tokens split at spaces (write
    /// punctuation apart), entities as (surface, id, country, mention kind).
    fn en_doc(text: &str, ents: &[(&str, &str, Option<&str>, &str)]) -> Document {
        let mut doc = Document {
            language: "en".into(),
            text: text.into(),
            ..Default::default()
        };
        let mut at = 0;
        for w in text.split(' ') {
            let kind = if w.chars().all(|c| c.is_ascii_punctuation()) && w != "'s" {
                TokenKind::Punct
            } else {
                TokenKind::Word
            };
            doc.tokens.push(lagebild_model::Token {
                start: at,
                end: at + w.len(),
                kind,
            });
            at += w.len() + 1;
        }
        doc.sentences.push(Sentence {
            start: 0,
            end: text.len(),
            first_token: 0,
            end_token: doc.tokens.len(),
        });
        for &(surface, id, country, kind) in ents {
            let start = text.find(surface).expect("surface in text");
            doc.entities.push(Entity {
                id: id.into(),
                name: surface.into(),
                kind: if id.starts_with("gpe:") { "GPE" } else { "PER" }.into(),
                country: country.map(str::to_string),
                sector: None,
                mentions: vec![Mention {
                    start,
                    end: start + surface.len(),
                    text: surface.into(),
                    kind: kind.into(),
                }],
            });
        }
        doc
    }

    #[test]
    fn a_possessive_owner_speaks_for_a_person_the_kb_does_not_know() {
        let ex = EventExtractor::embedded();
        let doc = en_doc(
            "Japan 's Foreign Minister Taro Tanaka criticised China .",
            &[
                ("Japan", "gpe:JPN", Some("JPN"), "name"),
                ("Taro Tanaka", "x:per:tarotanaka", None, "name"),
                ("China", "gpe:CHN", Some("CHN"), "name"),
            ],
        );
        let evs = ex.extract(&doc);
        assert_eq!(evs.len(), 1, "{evs:?}");
        assert_eq!(evs[0].actors, vec!["gpe:JPN"]);
        assert_eq!(evs[0].recipients, vec!["gpe:CHN"]);
    }

    #[test]
    fn a_country_adjective_takes_its_noun_into_coordination_not_apposition() {
        let ex = EventExtractor::embedded();
        let doc = en_doc(
            "The Sudanese government and SPLA criticised Chad .",
            &[
                ("Sudanese", "gpe:SDN", Some("SDN"), "demonym"),
                ("SPLA", "x:org:spla", None, "name"),
                ("Chad", "gpe:TCD", Some("TCD"), "name"),
            ],
        );
        let evs = ex.extract(&doc);
        assert_eq!(evs.len(), 1, "{evs:?}");
        assert_eq!(evs[0].actors, vec!["gpe:SDN", "x:org:spla"]);

        // `the Syrian parliament , Omar Haddad ,`: an apposition, two groups
        let doc = en_doc(
            "A member of the Syrian parliament , Omar Haddad , criticised Chad .",
            &[
                ("Syrian", "gpe:SYR", Some("SYR"), "demonym"),
                ("Omar Haddad", "x:per:omarhaddad", None, "name"),
                ("Chad", "gpe:TCD", Some("TCD"), "name"),
            ],
        );
        let lx = &ex.langs["en"];
        let mentions = mention_index(&doc);
        let view = SentenceView::new(&doc, lx, "en", 0, doc.tokens.len(), &mentions);
        assert_eq!(view.args[0].b, 6, "the adjective takes `parliament`");
        assert_eq!(view.groups.len(), 3, "{:?}", view.groups);
    }

    #[test]
    fn a_bad_lexicon_row_names_its_file() {
        let e =
            EventExtractor::from_files(&[("events/de.tsv", "verb\tx\t-\t-\tNOPE\t-\t01\t-\t-\n")])
                .unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("events/de.tsv", 1));
    }
}
