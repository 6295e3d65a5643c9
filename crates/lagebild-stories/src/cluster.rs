//! Online story clustering.
//!
//! A *unit* is a document, or one segment of a document that has several (a
//! live blog): each segment clusters on its own. A unit is a sparse vector of
//! language-independent features (canonical entity ids, event types with their
//! actors, dates mentioned) and same-language content terms, plus a day (the
//! publication date). A story keeps the sum of its members' vectors (its
//! centroid, pruned to the strongest [`CENTROID_MAX`] features) and its date
//! range. See the crate documentation for the scoring and the thresholds.

use std::collections::{BTreeMap, HashMap};

use lagebild_model::Document;
use serde::{Deserialize, Serialize};

use crate::text::{self, hash_str};
use crate::Config;

/// Features kept in a story's centroid.
pub const CENTROID_MAX: usize = 200;
/// Features of a member kept for choosing the story's most central member.
const MEMBER_MAX: usize = 24;
/// Content terms kept per unit (the most frequent).
const TERMS_MAX: usize = 48;
/// Blocking keys of a unit (its strongest facts and terms) and of a story.
const UNIT_FACT_KEYS: usize = 32;
const STORY_FACT_KEYS: usize = 48;
const TERM_KEYS: usize = 8;
/// Most recent stories read from one blocking posting list.
const POSTING_SCAN: usize = 256;
/// Stories scored per unit (those sharing the most blocking keys).
const CANDIDATES: usize = 48;
/// Timeline entries kept per story.
const TIMELINE_MAX: usize = 500;

/// Weight of each feature kind in the unit vector (before idf).
const W_ENTITY: f32 = 1.0;
/// States (`gpe:`): named in most international news, they say where a story
/// is, hardly which one.
const W_STATE: f32 = 0.4;
const W_EVENT_TYPE: f32 = 0.3;
const W_EVENT: f32 = 0.7;
const W_DAY: f32 = 0.6;
const W_MONTH: f32 = 0.3;
const W_TERM: f32 = 0.35;

/// One event of a story's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEvent {
    /// TIMEX3 value of the event's date, else the unit's publication date.
    pub date: Option<String>,
    /// PLOVER type.
    #[serde(rename = "type")]
    pub kind: String,
    pub actors: Vec<String>,
    pub recipients: Vec<String>,
    pub doc_id: String,
    /// The sentence it was read from (cut to 300 bytes).
    pub sentence: String,
}

/// A clustering unit: a document or one of its segments. Serialisable, so it
/// can be stored and replayed without re-analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    /// The document id, or `DOC#N` for segment `N` (from 1) of a segmented one.
    pub id: String,
    pub doc_id: String,
    /// Index of the segment in `Document::segments`, for segment units.
    pub segment: Option<usize>,
    pub title: String,
    pub language: String,
    /// Publication day (days since 1970-01-01); for an undated document the
    /// day estimated from its own dates (see `day_estimated`).
    pub day: Option<i32>,
    /// Whether `day` is an estimate: the document has no publication date, and
    /// a year-less date it mentions (`14. Januar`, `XXXX-01-14`) was placed
    /// in the first year after the latest absolute date it mentions.
    #[serde(default)]
    pub day_estimated: bool,
    /// Features and their weights, sorted by feature.
    pub features: Vec<(String, f32)>,
    pub events: Vec<TimelineEvent>,
}

/// The clustering units of a document: one per segment when it has two or
/// more, else the whole document.
pub fn units(doc: &Document) -> Vec<Unit> {
    let published = doc.published.as_deref().and_then(text::day_number);
    let (day, estimated) = match published {
        Some(d) => (Some(d), false),
        None => (estimate_day(doc), true),
    };
    let day_estimated = estimated && day.is_some();
    if doc.segments.len() >= 2 {
        doc.segments
            .iter()
            .enumerate()
            .filter(|(_, s)| s.start < s.end && s.end <= doc.text.len())
            .map(|(i, s)| {
                unit_of(
                    doc,
                    format!("{}#{}", doc.id, i + 1),
                    Some(i),
                    s.start,
                    s.end,
                    s.title.as_deref(),
                    day,
                )
            })
            .map(|u| Unit { day_estimated, ..u })
            .collect()
    } else {
        vec![unit_of(
            doc,
            doc.id.clone(),
            None,
            0,
            doc.text.len(),
            doc.title.as_deref(),
            day,
        )]
        .into_iter()
        .map(|u| Unit { day_estimated, ..u })
        .collect()
    }
}

fn unit_of(
    doc: &Document,
    id: String,
    segment: Option<usize>,
    start: usize,
    end: usize,
    title: Option<&str>,
    day: Option<i32>,
) -> Unit {
    let inside = |s: usize, e: usize| s >= start && e <= end;
    let body = doc.text.get(start..end).unwrap_or("");
    let mut f: BTreeMap<String, f32> = BTreeMap::new();
    for e in &doc.entities {
        let n = e.mentions.iter().filter(|m| inside(m.start, m.end)).count();
        // A segmented document's entities count only where they are mentioned;
        // an entity without mentions belongs to the whole document.
        let n = if n == 0 && segment.is_none() { 1 } else { n };
        if n > 0 {
            let w = if e.id.starts_with("gpe:") {
                W_STATE
            } else {
                W_ENTITY
            };
            *f.entry(format!("e:{}", e.id)).or_default() += w * tf(n);
        }
    }
    let mut dates: BTreeMap<String, usize> = BTreeMap::new();
    for t in doc.times.iter().filter(|t| inside(t.start, t.end)) {
        if text::day_number(&t.value).is_some() {
            *dates.entry(format!("d:{}", &t.value[..10])).or_default() += 1;
            *dates.entry(format!("m:{}", &t.value[..7])).or_default() += 1;
        } else if is_month(&t.value) {
            *dates.entry(format!("m:{}", &t.value[..7])).or_default() += 1;
        }
    }
    for (k, n) in dates {
        let w = if k.starts_with("d:") { W_DAY } else { W_MONTH };
        *f.entry(k).or_default() += w * tf(n);
    }
    let mut events = Vec::new();
    for ev in doc.events.iter().filter(|e| inside(e.start, e.end)) {
        *f.entry(format!("v:{}", ev.kind)).or_default() += W_EVENT_TYPE;
        let mut parts: Vec<&str> = ev
            .actors
            .iter()
            .chain(&ev.recipients)
            .map(String::as_str)
            .collect();
        parts.sort_unstable();
        parts.dedup();
        if !parts.is_empty() {
            *f.entry(format!("va:{}|{}", ev.kind, parts.join("|")))
                .or_default() += W_EVENT;
        }
        events.push(TimelineEvent {
            date: ev.date.clone().or_else(|| doc.published.clone()),
            kind: ev.kind.clone(),
            actors: ev.actors.clone(),
            recipients: ev.recipients.clone(),
            doc_id: doc.id.clone(),
            sentence: cut(&ev.sentence, 300).to_string(),
        });
    }
    let mut terms: HashMap<String, usize> = HashMap::new();
    for w in text::words(body) {
        if let Some(t) = text::term(&w) {
            *terms.entry(t).or_default() += 1;
        }
    }
    let mut terms: Vec<(String, usize)> = terms.into_iter().collect();
    terms.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (t, n) in terms.into_iter().take(TERMS_MAX) {
        f.insert(format!("w:{}:{t}", doc.language), W_TERM * tf(n));
    }
    let title = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| {
            let first = body.trim_start().lines().next().unwrap_or("");
            cut(first, 120).trim().to_string()
        });
    Unit {
        id,
        doc_id: doc.id.clone(),
        segment,
        title,
        language: doc.language.clone(),
        day,
        day_estimated: false,
        features: f.into_iter().collect(),
        events,
    }
}

/// The day of an undated document, estimated from what it mentions: a
/// year-less day (`XXXX-01-14`) placed on its first occurrence after the
/// latest absolute month or day it mentions (news mention the recent past:
/// an article that names November 2023 and "14 January" was written in or
/// after January 2024). The latest such day, or `None`.
pub fn estimate_day(doc: &Document) -> Option<i32> {
    let anchor = doc
        .times
        .iter()
        .filter_map(|t| {
            let v = t.value.as_str();
            text::day_number(v).or_else(|| {
                // A month: its first day (the earliest the article can refer to).
                is_month(v.get(..7)?)
                    .then(|| text::day_number(&format!("{}-01", &v[..7])))
                    .flatten()
            })
        })
        .max()?;
    let anchor_year: i32 = text::date_string(anchor).get(..4)?.parse().ok()?;
    doc.times
        .iter()
        .filter_map(|t| {
            let md = t.value.strip_prefix("XXXX-")?;
            let md = md.get(..5)?;
            (anchor_year..=anchor_year + 1)
                .filter_map(|y| text::day_number(&format!("{y:04}-{md}")))
                .find(|&d| d >= anchor)
        })
        .max()
}

fn tf(n: usize) -> f32 {
    1.0 + (n.max(1) as f32).ln()
}

fn is_month(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 7 && b[4] == b'-' && b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit)
}

/// The first `max` bytes of `s`, cut at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut i = max;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    &s[..i]
}

/// A sparse vector: (feature id, weight), sorted by feature id.
type Vector = Vec<(u32, f32)>;

#[derive(Debug, Clone)]
struct Member {
    unit_id: String,
    doc_id: String,
    title: String,
    duplicate: bool,
    vec: Vector,
}

#[derive(Debug, Clone)]
struct StoryState {
    id: String,
    first: Option<i32>,
    last: Option<i32>,
    centroid: Vector,
    members: Vec<Member>,
    timeline: Vec<TimelineEvent>,
    /// Blocking keys this story is registered under: (feature, week or
    /// `UNDATED`), sorted.
    registered: Vec<(u32, i32)>,
}

const UNDATED: i32 = i32::MIN;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dup {
    No,
    Into(u32),
    ByContent,
}
/// Days outside a story's range that cost nothing (coverage of one event
/// runs over a few days).
const GRACE_DAYS: i32 = 2;
const FACT: u8 = 0;
const EVENT_TYPE: u8 = 1;
const TERM: u8 = 2;

/// A story as shown to users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// Stable id: derived from the first unit that joined.
    pub id: String,
    /// The title of the most central member (closest to the centroid).
    pub title: String,
    /// Document ids in the order they joined (duplicates included).
    pub documents: Vec<String>,
    /// Unit ids (documents or `DOC#N` segments) in the order they joined.
    pub units: Vec<String>,
    /// Distinct documents that are not near-duplicates of another: the honest
    /// count of sources.
    pub sources: usize,
    /// Main entities, strongest first.
    pub entities: Vec<String>,
    /// First and last publication date (`YYYY-MM-DD`).
    pub first: Option<String>,
    pub last: Option<String>,
    /// Events ordered by date (undated last), then by arrival.
    pub timeline: Vec<TimelineEvent>,
}

/// Where one unit went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub unit_id: String,
    pub doc_id: String,
    pub segment: Option<usize>,
    pub story: String,
    /// Whether the unit started the story.
    pub new_story: bool,
    /// Similarity to the story it joined (0 for a new story).
    pub score: f32,
}

/// The online clusterer. Feed units in arrival order; every call is
/// deterministic given the order of the calls.
#[derive(Debug, Clone)]
pub struct Clusterer {
    cfg: Config,
    names: HashMap<String, u32>,
    /// Feature id → name.
    name_list: Vec<String>,
    /// Feature id → its kind (`FACT`, `EVENT_TYPE`, `TERM`).
    kind: Vec<u8>,
    df: Vec<u32>,
    /// Units counted in `df` (duplicates are not).
    n: u32,
    stories: Vec<StoryState>,
    by_id: HashMap<String, u32>,
    /// Unit id → story index, for every unit seen.
    unit_story: HashMap<String, u32>,
    /// (feature, week) → stories; week `UNDATED` for undated stories.
    block: Postings,
    /// feature → stories, for the look-up of undated units.
    block_any: Postings,
}

impl Clusterer {
    pub fn new(cfg: Config) -> Clusterer {
        Clusterer {
            cfg,
            names: HashMap::new(),
            name_list: Vec::new(),
            kind: Vec::new(),
            df: Vec::new(),
            n: 0,
            stories: Vec::new(),
            by_id: HashMap::new(),
            unit_story: HashMap::new(),
            block: Postings::default(),
            block_any: Postings::default(),
        }
    }

    /// Number of stories.
    pub fn len(&self) -> usize {
        self.stories.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }

    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.names.get(name) {
            return i;
        }
        let i = self.df.len() as u32;
        self.names.insert(name.to_string(), i);
        self.name_list.push(name.to_string());
        self.kind.push(if name.starts_with("v:") {
            EVENT_TYPE
        } else if name.starts_with("w:") {
            TERM
        } else {
            FACT
        });
        self.df.push(0);
        i
    }

    fn idf(&self, f: u32) -> f32 {
        let df = self.df.get(f as usize).copied().unwrap_or(0) as f32;
        (1.0 + (self.n as f32 + 1.0) / (df + 1.0)).ln()
    }

    fn vector(&mut self, unit: &Unit) -> Vector {
        let mut v: Vector = unit
            .features
            .iter()
            .filter(|(_, w)| w.is_finite() && *w > 0.0)
            .map(|(name, w)| (self.intern(name), *w))
            .collect();
        v.sort_unstable_by_key(|x| x.0);
        v.dedup_by_key(|x| x.0);
        v
    }

    /// Cosine of two vectors under the current idf.
    fn cosine(&self, a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
        let norm = |v: &[(u32, f32)]| -> f32 {
            v.iter()
                .map(|&(f, w)| {
                    let x = w * self.idf(f);
                    x * x
                })
                .sum::<f32>()
                .sqrt()
        };
        let (na, nb) = (norm(a), norm(b));
        if na == 0.0 || nb == 0.0 {
            return 0.0;
        }
        let (mut i, mut j, mut dot) = (0, 0, 0.0f32);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let idf = self.idf(a[i].0);
                    dot += a[i].1 * b[j].1 * idf * idf;
                    i += 1;
                    j += 1;
                }
            }
        }
        dot / (na * nb)
    }

    /// The strongest features of a vector under the current idf (blocking
    /// keys). Event types alone are too common to block on.
    fn top_keys(&self, v: &[(u32, f32)], k: usize) -> Vec<u32> {
        self.top_of_kind(v, k, None)
    }

    fn top_of_kind(&self, v: &[(u32, f32)], k: usize, kind: Option<u8>) -> Vec<u32> {
        let mut s: Vec<(f32, u32)> = v
            .iter()
            .filter(|(f, _)| {
                kind.is_none_or(|k| self.kind.get(*f as usize).copied().unwrap_or(FACT) == k)
            })
            .map(|&(f, w)| (w * self.idf(f), f))
            .collect();
        s.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        s.into_iter().take(k).map(|x| x.1).collect()
    }

    /// Blocking keys: the strongest facts (entities, events with actors,
    /// dates) and the strongest content terms; bare event types are too
    /// common to block on.
    fn block_keys(&self, v: &[(u32, f32)], facts: usize) -> Vec<u32> {
        let mut k = self.top_of_kind(v, facts, Some(FACT));
        k.extend(self.top_of_kind(v, TERM_KEYS, Some(TERM)));
        k
    }

    fn week(day: i32) -> i32 {
        day.div_euclid(7)
    }

    /// Candidate stories for a unit: those registered under its blocking keys
    /// in the weeks of its time window (or anywhere, for an undated unit),
    /// ranked by the number of keys shared.
    fn candidates(&self, keys: &[u32], day: Option<i32>) -> Vec<u32> {
        let mut hits: HashMap<u32, u32> = HashMap::new();
        let mut take = |list: &Postings, key: u64| {
            for s in list.iter(key).take(POSTING_SCAN) {
                *hits.entry(s).or_default() += 1;
            }
        };
        for &k in keys {
            match day {
                Some(d) => {
                    let w = self.cfg.story_window_days;
                    for week in Self::week(d - w)..=Self::week(d + w) {
                        take(&self.block, week_key(k, week));
                    }
                    take(&self.block, week_key(k, UNDATED));
                }
                None => take(&self.block_any, u64::from(k)),
            }
        }
        let mut c: Vec<(u32, u32)> = hits.into_iter().collect();
        // Most shared keys first; then the most recent story.
        c.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
        c.into_iter().take(CANDIDATES).map(|x| x.0).collect()
    }

    /// Time factor of a unit's day against a story's date range: 1 inside it
    /// and up to 2 days outside, falling linearly to 0.6 at the window's
    /// edge, 0 beyond. Undated on either side: `Config::undated_factor`.
    fn time_factor(&self, day: Option<i32>, estimated: bool, s: &StoryState) -> f32 {
        let f = self.time_factor_days(day, s);
        if estimated {
            f * self.cfg.estimated_factor
        } else {
            f
        }
    }

    fn time_factor_days(&self, day: Option<i32>, s: &StoryState) -> f32 {
        match (day, s.first, s.last) {
            (Some(d), Some(a), Some(b)) => {
                let gap = (a - d).max(d - b).max(0);
                let w = self.cfg.story_window_days.max(1);
                let grace = GRACE_DAYS.min(w - 1);
                if gap > w {
                    0.0
                } else if gap <= grace {
                    1.0
                } else {
                    1.0 - 0.4 * (gap - grace) as f32 / (w - grace) as f32
                }
            }
            _ => self.cfg.undated_factor,
        }
    }

    /// The story a unit joins (index and score), if any reaches the threshold.
    fn best_story(
        &self,
        v: &[(u32, f32)],
        day: Option<i32>,
        estimated: bool,
    ) -> Option<(u32, f32)> {
        let keys = self.block_keys(v, UNIT_FACT_KEYS);
        let mut best: Option<(u32, f32)> = None;
        for s in self.candidates(&keys, day) {
            let st = &self.stories[s as usize];
            let tfac = self.time_factor(day, estimated, st);
            if tfac == 0.0 {
                continue;
            }
            let score = self.cosine(v, &st.centroid) * tfac;
            if score >= self.cfg.story_threshold
                && best.is_none_or(|(b, bs)| score > bs || (score == bs && s < b))
            {
                best = Some((s, score));
            }
        }
        best
    }

    /// The candidate stories a unit would be compared with, and its scores
    /// against them (cosine, time factor), without adding it: for explaining
    /// and tuning. New feature names are treated as unseen.
    pub fn explain(&self, unit: &Unit) -> Vec<(String, f32, f32)> {
        // Unseen features get ids past the known ones (document frequency 0).
        let mut unseen = u32::MAX;
        let mut v: Vector = unit
            .features
            .iter()
            .filter(|(_, w)| w.is_finite() && *w > 0.0)
            .map(|(n, w)| match self.names.get(n) {
                Some(&i) => (i, *w),
                None => {
                    unseen -= 1;
                    (unseen, *w)
                }
            })
            .collect();
        v.sort_unstable_by_key(|x| x.0);
        v.dedup_by_key(|x| x.0);
        let keys = self.block_keys(&v, UNIT_FACT_KEYS);
        self.candidates(&keys, unit.day)
            .into_iter()
            .map(|s| {
                let st = &self.stories[s as usize];
                (
                    st.id.clone(),
                    self.cosine(&v, &st.centroid),
                    self.time_factor(unit.day, unit.day_estimated, st),
                )
            })
            .collect()
    }

    /// Adds a unit: it joins the best story or starts one. A unit id seen
    /// before is not added again; its story is returned.
    pub fn add(&mut self, unit: &Unit) -> Assignment {
        self.add_inner(unit, Dup::No)
    }

    /// Adds a near-duplicate unit to the story of the unit it copies
    /// (`original_unit`); it counts as a member but changes neither the
    /// centroid nor the document frequencies. With `None` (or an unknown
    /// original) the unit joins the best story by content as a duplicate
    /// member, or starts one as an ordinary unit when none matches.
    pub fn add_duplicate(&mut self, unit: &Unit, original_unit: Option<&str>) -> Assignment {
        match original_unit.and_then(|o| self.unit_story.get(o).copied()) {
            Some(s) => self.add_inner(unit, Dup::Into(s)),
            None => self.add_inner(unit, Dup::ByContent),
        }
    }

    /// The story of a unit seen before.
    pub fn story_of(&self, unit_id: &str) -> Option<&str> {
        self.unit_story
            .get(unit_id)
            .map(|&s| self.stories[s as usize].id.as_str())
    }

    fn add_inner(&mut self, unit: &Unit, dup: Dup) -> Assignment {
        let assignment = |s: &StoryState, new_story, score| Assignment {
            unit_id: unit.id.clone(),
            doc_id: unit.doc_id.clone(),
            segment: unit.segment,
            story: s.id.clone(),
            new_story,
            score,
        };
        if let Some(&s) = self.unit_story.get(&unit.id) {
            return assignment(&self.stories[s as usize], false, 0.0);
        }
        let v = self.vector(unit);
        let (target, score) = match dup {
            Dup::Into(s) => (Some(s), 1.0),
            Dup::No | Dup::ByContent => match self.best_story(&v, unit.day, unit.day_estimated) {
                Some((s, sc)) => (Some(s), sc),
                None => (None, 0.0),
            },
        };
        // A duplicate that found no story of its original's starts one as an
        // ordinary member.
        let duplicate = dup != Dup::No && target.is_some();
        if !duplicate {
            self.n += 1;
            for &(f, _) in &v {
                self.df[f as usize] += 1;
            }
        }
        let s = match target {
            Some(s) => s,
            None => {
                let s = self.stories.len() as u32;
                let mut id = format!("s{:016x}", hash_str(&unit.id));
                // Ids are hashes of unit ids; a clash (practically never) is
                // resolved deterministically.
                while self.by_id.contains_key(&id) {
                    id = format!("s{:016x}", hash_str(&id));
                }
                self.by_id.insert(id.clone(), s);
                self.stories.push(StoryState {
                    id,
                    first: None,
                    last: None,
                    centroid: Vec::new(),
                    members: Vec::new(),
                    timeline: Vec::new(),
                    registered: Vec::new(),
                });
                s
            }
        };
        let member_vec = {
            let mut m = v.clone();
            if m.len() > MEMBER_MAX {
                let keep = self.top_keys(&m, MEMBER_MAX);
                m.retain(|(f, _)| keep.contains(f));
            }
            m
        };
        {
            let st = &mut self.stories[s as usize];
            if let Some(d) = unit.day {
                st.first = Some(st.first.map_or(d, |a| a.min(d)));
                st.last = Some(st.last.map_or(d, |b| b.max(d)));
            }
            st.members.push(Member {
                unit_id: unit.id.clone(),
                doc_id: unit.doc_id.clone(),
                title: unit.title.clone(),
                duplicate,
                vec: member_vec,
            });
            if !duplicate {
                for ev in &unit.events {
                    if st.timeline.len() < TIMELINE_MAX {
                        st.timeline.push(ev.clone());
                    }
                }
            }
        }
        if !duplicate {
            let merged = merge(&self.stories[s as usize].centroid, &v);
            let merged = if merged.len() > CENTROID_MAX {
                let keep = self.top_keys(&merged, CENTROID_MAX);
                let mut keep_sorted = keep;
                keep_sorted.sort_unstable();
                merged
                    .into_iter()
                    .filter(|(f, _)| keep_sorted.binary_search(f).is_ok())
                    .collect()
            } else {
                merged
            };
            self.stories[s as usize].centroid = merged;
            self.register(s);
        }
        self.unit_story.insert(unit.id.clone(), s);
        let st = &self.stories[s as usize];
        assignment(st, target.is_none(), score)
    }

    /// Registers a story under the blocking keys of its centroid for the weeks
    /// of its date range (widened by the window on the look-up side).
    fn register(&mut self, s: u32) {
        let st = &self.stories[s as usize];
        let keys = self.block_keys(&st.centroid, STORY_FACT_KEYS);
        let weeks: Vec<i32> = match (st.first, st.last) {
            (Some(a), Some(b)) => (Self::week(a)..=Self::week(b)).collect(),
            _ => vec![UNDATED],
        };
        let mut new = Vec::new();
        for &k in &keys {
            for &w in &weeks {
                if st.registered.binary_search(&(k, w)).is_err() {
                    new.push((k, w));
                }
            }
        }
        let mut new_any: Vec<u32> = keys
            .iter()
            .copied()
            .filter(|k| !st.registered.iter().any(|(f, _)| f == k))
            .collect();
        new_any.dedup();
        for &(k, w) in &new {
            self.block.push(week_key(k, w), s);
        }
        for k in new_any {
            self.block_any.push(u64::from(k), s);
        }
        let st = &mut self.stories[s as usize];
        st.registered.extend(new);
        st.registered.sort_unstable();
    }

    fn summary(&self, st: &StoryState) -> Story {
        let mut best: Option<(f32, usize)> = None;
        for (i, m) in st.members.iter().enumerate() {
            if m.duplicate {
                continue;
            }
            let c = self.cosine(&m.vec, &st.centroid);
            if best.is_none_or(|(b, _)| c > b) {
                best = Some((c, i));
            }
        }
        let title = best
            .map(|(_, i)| st.members[i].title.clone())
            .or_else(|| st.members.first().map(|m| m.title.clone()))
            .unwrap_or_default();
        let mut documents: Vec<String> = Vec::new();
        let mut sources: Vec<&str> = Vec::new();
        for m in &st.members {
            if !documents.contains(&m.doc_id) {
                documents.push(m.doc_id.clone());
            }
            if !m.duplicate && !sources.contains(&m.doc_id.as_str()) {
                sources.push(&m.doc_id);
            }
        }
        let mut ents: Vec<(f32, &str)> = st
            .centroid
            .iter()
            .filter_map(|&(f, w)| {
                let name = self.name_list.get(f as usize)?;
                name.strip_prefix("e:").map(|id| (w, id))
            })
            .collect();
        ents.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        let mut timeline = st.timeline.clone();
        timeline.sort_by(|a, b| match (&a.date, &b.date) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        Story {
            id: st.id.clone(),
            title,
            documents,
            units: st.members.iter().map(|m| m.unit_id.clone()).collect(),
            sources: sources.len(),
            entities: ents
                .into_iter()
                .take(10)
                .map(|(_, id)| id.to_string())
                .collect(),
            first: st.first.map(text::date_string),
            last: st.last.map(text::date_string),
            timeline,
        }
    }

    /// All stories, in the order they were started.
    pub fn stories(&self) -> Vec<Story> {
        self.stories.iter().map(|st| self.summary(st)).collect()
    }

    /// One story by id.
    pub fn story(&self, id: &str) -> Option<Story> {
        let &s = self.by_id.get(id)?;
        Some(self.summary(&self.stories[s as usize]))
    }
}

fn week_key(feature: u32, week: i32) -> u64 {
    (u64::from(feature) << 32) | u64::from(week as u32)
}

/// Posting lists as chains through one vector (newest first): about 20 bytes
/// per posting, where a map of small vectors would take three times that.
#[derive(Debug, Clone, Default)]
struct Postings {
    head: HashMap<u64, u32>,
    /// (story, next cell or `u32::MAX`)
    cells: Vec<(u32, u32)>,
}

impl Postings {
    fn push(&mut self, key: u64, story: u32) {
        let cell = self.cells.len() as u32;
        let next = self.head.insert(key, cell).unwrap_or(u32::MAX);
        self.cells.push((story, next));
    }

    fn iter(&self, key: u64) -> impl Iterator<Item = u32> + '_ {
        let mut at = self.head.get(&key).copied().unwrap_or(u32::MAX);
        std::iter::from_fn(move || {
            let &(story, next) = self.cells.get(at as usize)?;
            at = next;
            Some(story)
        })
    }
}

/// The sum of two sorted sparse vectors.
fn merge(a: &[(u32, f32)], b: &[(u32, f32)]) -> Vector {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j >= b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i >= a.len() || b[j].0 < a[i].0 {
            out.push(b[j]);
            j += 1;
        } else {
            out.push((a[i].0, a[i].1 + b[j].1));
            i += 1;
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{doc, entity, event, time};
    use crate::{recluster, Config, Engine};

    /// Reports (each worded differently) of meetings of two invented
    /// ministers in Vienna.
    const REPORTS: [&str; 3] = [
        "Außenministerin Amelie Korvath hat am Mittwoch ihren Amtskollegen Pavel Strunz in \
         Wien empfangen. Korvath und Strunz sprachen über Gaslieferungen und die \
         Donauschifffahrt. Strunz lobte die Gespräche als offen.",
        "Beim Besuch von Pavel Strunz in Wien ging es gestern vor allem um Energie. Korvath \
         sagte nach dem Treffen, man habe Fortschritte bei den Gaslieferungen erzielt; \
         Beobachter sprachen von einem Neustart zwischen beiden Ländern.",
        "Wieder in Wien: Strunz und Korvath unterzeichneten am Dienstag ein Abkommen über \
         Grenzkontrollen. Die Opposition kritisierte, dass das Parlament nicht eingebunden \
         wurde. Korvath verteidigte den Vertrag.",
    ];

    /// A meeting report `n` (of [`REPORTS`]), published on `date`.
    fn meeting(id: &str, date: &str, n: usize) -> Document {
        let text = REPORTS[n].to_string();
        let day_text = ["am Mittwoch", "gestern", "am Dienstag"][n];
        let mut d = doc(id, "de", Some(date), &text);
        entity(&mut d, "per:korvath", "Korvath");
        entity(&mut d, "per:strunz", "Strunz");
        entity(&mut d, "geo:vienna", "Wien");
        entity(&mut d, "gpe:AUT", "Wien");
        time(&mut d, day_text, date);
        event(&mut d, "CONSULT", &["per:korvath"], &["per:strunz"], date);
        d
    }

    /// Something else entirely, in the same country and week.
    fn floods(id: &str, date: &str) -> Document {
        let text = "Nach tagelangem Regen sind in der Steiermark mehrere Bäche über die Ufer \
                    getreten. Die Feuerwehr pumpte Keller aus, in Leoben wurde eine Schule \
                    geschlossen. Der Landeshauptmann kündigte Soforthilfe an.";
        let mut d = doc(id, "de", Some(date), text);
        entity(&mut d, "geo:leoben", "Leoben");
        entity(&mut d, "geo:styria", "Steiermark");
        entity(&mut d, "gpe:AUT", "Steiermark");
        d
    }

    fn partition(e: &Engine) -> Vec<Vec<String>> {
        let mut p: Vec<Vec<String>> = e.stories().into_iter().map(|s| s.units).collect();
        p.iter_mut().for_each(|v| v.sort());
        p.sort();
        p
    }

    #[test]
    fn same_ministers_months_apart_are_two_stories() {
        let mut e = Engine::new(Config::default());
        let a = e.add(&meeting("a1", "2024-01-10", 0));
        let b = e.add(&meeting("a2", "2024-01-11", 1));
        let c = e.add(&floods("f1", "2024-01-11"));
        let d = e.add(&meeting("b1", "2024-11-05", 2));
        assert!(a.assignments[0].new_story);
        assert_eq!(b.assignments[0].story, a.assignments[0].story);
        assert!(b.assignments[0].score >= Config::default().story_threshold);
        assert_ne!(c.assignments[0].story, a.assignments[0].story);
        assert!(d.assignments[0].new_story, "{:?}", d.assignments);
        assert_eq!(partition(&e), [vec!["a1", "a2"], vec!["b1"], vec!["f1"]]);
        let s = e.story(&a.assignments[0].story).unwrap();
        assert_eq!(s.first.as_deref(), Some("2024-01-10"));
        assert_eq!(s.last.as_deref(), Some("2024-01-11"));
        assert_eq!(s.sources, 2);
        // The people first; the state, named in everything, weighs least.
        let mut people = s.entities[..2].to_vec();
        people.sort();
        assert_eq!(people, ["per:korvath", "per:strunz"]);
        assert_eq!(s.entities.last().map(String::as_str), Some("gpe:AUT"));
        assert_eq!(s.timeline.len(), 2);
        assert_eq!(s.timeline[0].date.as_deref(), Some("2024-01-10"));
        assert!(
            s.title.starts_with("Außenministerin Amelie Korvath")
                || s.title.starts_with("Beim Besuch")
        );
        assert!(a.duplicate_of.is_none() && b.duplicate_of.is_none() && d.duplicate_of.is_none());
    }

    #[test]
    fn live_blog_segments_cluster_on_their_own() {
        use lagebild_model::Segment;
        let m = meeting("x", "2024-01-10", 0);
        let f = floods("y", "2024-01-10");
        let text = format!("{}\n\n{}", m.text, f.text);
        let off = m.text.len() + 2;
        let mut blog = doc("blog", "de", Some("2024-01-10"), &text);
        blog.segments = vec![
            Segment {
                start: 0,
                end: m.text.len(),
                title: Some("Korvath trifft Strunz".into()),
            },
            Segment {
                start: off,
                end: text.len(),
                title: Some("Hochwasser".into()),
            },
        ];
        entity(&mut blog, "per:korvath", "Korvath");
        entity(&mut blog, "per:strunz", "Strunz");
        entity(&mut blog, "geo:leoben", "Leoben");
        entity(&mut blog, "geo:styria", "Steiermark");
        let units = units(&blog);
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].id, "blog#1");
        assert!(units[0].features.iter().any(|(k, _)| k == "e:per:korvath"));
        assert!(!units[0].features.iter().any(|(k, _)| k == "e:geo:leoben"));
        let mut e = Engine::new(Config::default());
        let o = e.add(&blog);
        assert_ne!(o.assignments[0].story, o.assignments[1].story);
        let later = e.add(&floods("f2", "2024-01-11"));
        assert_eq!(later.assignments[0].story, o.assignments[1].story);
        assert_eq!(e.story_of("blog#2"), Some(o.assignments[1].story.as_str()));
        let s = e.story(&o.assignments[1].story).unwrap();
        assert_eq!(s.title, "Hochwasser");
        assert_eq!(s.units, ["blog#2", "f2"]);
    }

    #[test]
    fn duplicates_join_their_original_without_counting() {
        let mut e = Engine::new(Config::default());
        let a = meeting("a1", "2024-01-10", 0);
        let mut copy = a.clone();
        copy.id = "a1-copy".into();
        let oa = e.add(&a);
        let oc = e.add(&copy);
        assert_eq!(
            oc.duplicate_of.as_ref().map(|m| m.original.as_str()),
            Some("a1")
        );
        assert_eq!(oc.assignments[0].story, oa.assignments[0].story);
        let s = e.story(&oa.assignments[0].story).unwrap();
        assert_eq!(s.documents, ["a1", "a1-copy"]);
        assert_eq!(s.sources, 1);
        assert_eq!(s.timeline.len(), 1);
        // Adding the same document again changes nothing.
        let again = e.add(&a);
        assert_eq!(again.assignments[0].story, oa.assignments[0].story);
        assert_eq!(e.story(&oa.assignments[0].story).unwrap().units.len(), 2);
    }

    #[test]
    fn results_are_deterministic_and_recluster_ignores_input_order() {
        let docs = vec![
            meeting("a1", "2024-01-10", 0),
            floods("f1", "2024-01-11"),
            meeting("b1", "2024-11-05", 2),
            meeting("a2", "2024-01-11", 1),
            floods("f2", "2024-01-12"),
        ];
        let (e1, _) = recluster(Config::default(), &docs);
        let mut rev = docs.clone();
        rev.reverse();
        let (e2, _) = recluster(Config::default(), &rev);
        assert_eq!(e1.stories(), e2.stories());
        assert_eq!(
            partition(&e1),
            [vec!["a1", "a2"], vec!["b1"], vec!["f1", "f2"]]
        );
        // Rebuilt from stored fingerprints (through JSON), in ingest order.
        let fps: Vec<crate::DocFingerprint> = docs.iter().map(crate::DocFingerprint::of).collect();
        let json = serde_json::to_string(&fps).unwrap();
        let back: Vec<crate::DocFingerprint> = serde_json::from_str(&json).unwrap();
        let mut online = Engine::new(Config::default());
        for d in &docs {
            online.add(d);
        }
        let (replayed, _) = Engine::replay(Config::default(), &back);
        assert_eq!(online.stories(), replayed.stories());
    }

    #[test]
    fn undated_documents_get_a_day_from_what_they_mention() {
        let mut d = doc(
            "u",
            "de",
            None,
            "Im November 2023 wurde verhandelt, am 14. Januar kam sie an.",
        );
        time(&mut d, "November 2023", "2023-11");
        time(&mut d, "14. Januar", "XXXX-01-14");
        assert_eq!(
            estimate_day(&d).map(text::date_string).as_deref(),
            Some("2024-01-14")
        );
        let u = &units(&d)[0];
        assert!(u.day_estimated);
        // Without an absolute date nothing is estimated.
        d.times.remove(0);
        assert_eq!(estimate_day(&d), None);
        assert_eq!(units(&d)[0].day, None);
    }

    #[test]
    fn bad_input_does_not_panic() {
        use lagebild_model::Segment;
        let mut d = doc("z", "de", Some("not a date"), "");
        d.segments = vec![
            Segment {
                start: 5,
                end: 2,
                title: None,
            },
            Segment {
                start: 0,
                end: 99,
                title: None,
            },
        ];
        time(&mut d, "", "2024-13-45");
        let mut e = Engine::new(Config::default());
        let o = e.add(&d);
        assert!(o.assignments.is_empty());
        let mut d2 = doc("z2", "de", None, "Ä");
        d2.segments = vec![Segment {
            start: 0,
            end: 1,
            title: None,
        }];
        let o = e.add(&d2);
        assert_eq!(o.assignments.len(), 1);
    }
}
