//! The knowledge base and the entity linker.
//!
//! The KB is data (`resources/kb/*.tsv`, see its README): countries with their
//! names, capitals, adjectives and inhabitant nouns; places; people and
//! organisations with country, sector, dated roles and spelling variants; titles
//! and offices. [`Kb::from_files`] loads any number of such files (users add their
//! own; a later row with the same id replaces an earlier one).
//!
//! Every name is indexed under its [`key::skeleton`], so spelling variants not
//! in the KB still meet (`Lawrow`/`Lavrov`/`Lawro`). [`link::Linker`] uses the KB
//! to find and resolve the entity mentions of a document.

pub mod key;
pub mod link;

use std::collections::HashMap;

/// Errors loading KB files; they name the file and line.
#[derive(Debug, thiserror::Error)]
#[error("KB file {file}, line {line}: {message}")]
pub struct KbError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// The kind of a KB row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A state (country).
    Gpe,
    /// A place (city, region, site).
    Loc,
    Per,
    Org,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Gpe => "GPE",
            Kind::Loc => "LOC",
            Kind::Per => "PER",
            Kind::Org => "ORG",
        }
    }
}

/// An office held from one year to another (`to` open while held).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub role: String,
    pub from: Option<i32>,
    pub to: Option<i32>,
}

impl Role {
    /// Whether the role was held in `year` (any year when unknown).
    pub fn held_in(&self, year: Option<i32>) -> bool {
        let Some(y) = year else {
            return self.to.is_none();
        };
        self.from.is_none_or(|f| f <= y) && self.to.is_none_or(|t| y <= t)
    }
}

/// One entity of the KB.
#[derive(Debug, Clone, PartialEq)]
pub struct KbEntity {
    pub id: String,
    pub kind: Kind,
    pub name: String,
    pub country: Option<String>,
    pub sector: Option<String>,
    pub roles: Vec<Role>,
    /// All names it goes by (the canonical one first).
    pub variants: Vec<String>,
}

/// How a name refers to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    /// A proper name (`Russland`, `Sergej Lawrow`).
    Name,
    /// A capital standing for its state (`Moskau bestreitet`).
    Capital,
    /// An adjective or inhabitant noun (`russisch`, `Russen`).
    Demonym,
}

/// An actor description coded as country and sector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorCode {
    /// The KB entity, when the description names one.
    pub id: Option<String>,
    pub country: Option<String>,
    pub sector: Option<String>,
}

/// A title or office word (`Außenministerin`, `spokesman`).
#[derive(Debug, Clone, PartialEq)]
pub struct Title {
    pub role: String,
    pub sector: Option<String>,
}

/// The knowledge base, loaded once, shared read-only.
#[derive(Debug, Default, Clone)]
pub struct Kb {
    entities: Vec<KbEntity>,
    by_id: HashMap<String, usize>,
    /// name key → (entity index, how the name refers)
    names: HashMap<String, Vec<(usize, NameKind)>>,
    /// skeleton with one letter deleted → entity indices (PER surnames and full names)
    near: HashMap<String, Vec<usize>>,
    /// folded adjective stem → country entity index
    adjectives: HashMap<String, usize>,
    /// folded title form → title
    titles: HashMap<String, Title>,
    /// folded agent noun → sector (`soldiers` → MIL)
    agents: HashMap<String, String>,
    /// The longest name in tokens, to bound n-gram search.
    max_tokens: usize,
    /// Skeletons of the first words of all names, to skip words no name starts with.
    first_words: std::collections::HashSet<String>,
    /// Every name folded (case and diacritics only), to tell a spelling variant
    /// from a mere skeleton collision.
    folded: std::collections::HashSet<String>,
}

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../resources/", $name)))),*]
    };
}

/// The KB files compiled into the binary, in loading order.
pub const EMBEDDED: &[(&str, &str)] = embedded![
    "kb/countries.tsv",
    "kb/places.tsv",
    "kb/entities.tsv",
    "kb/titles.tsv",
    "kb/agents.tsv",
];

fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split('|').map(str::trim).filter(|v| !v.is_empty())
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

impl Kb {
    /// The embedded KB.
    pub fn embedded() -> Result<Kb, KbError> {
        Kb::from_files(EMBEDDED)
    }

    /// Loads KB files given as `(name, content)`. The kind of file is told by its
    /// name: `countries`, `places`, `titles`, anything else holds entities.
    pub fn from_files(files: &[(&str, &str)]) -> Result<Kb, KbError> {
        let mut rows: Vec<KbEntity> = Vec::new();
        let mut kb = Kb::default();
        let mut adj_rows: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
        for (name, text) in files {
            let base = name.rsplit('/').next().unwrap_or(name);
            for (i, line) in text.lines().enumerate() {
                let line = line.trim_end_matches('\r');
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                let f: Vec<&str> = line.split('\t').collect();
                let err = |message: String| KbError {
                    file: name.to_string(),
                    line: i + 1,
                    message,
                };
                if base.starts_with("countries") {
                    if f.len() < 11 {
                        return Err(err(format!("expected 11 columns, found {}", f.len())));
                    }
                    let iso3 = f[0].trim().to_string();
                    let mut variants = vec![f[2].to_string()];
                    variants.extend(
                        [f[3]]
                            .into_iter()
                            .chain(split_list(f[10]))
                            .map(str::to_string),
                    );
                    let capitals: Vec<String> = [f[4], f[5]]
                        .iter()
                        .filter(|c| !c.is_empty())
                        .map(|c| c.to_string())
                        .collect();
                    let mut demonyms: Vec<String> = split_list(f[6]).map(str::to_string).collect();
                    demonyms.extend(split_list(f[8]).chain(split_list(f[9])).map(str::to_string));
                    let stems: Vec<String> = split_list(f[7]).map(str::to_string).collect();
                    adj_rows.push((format!("gpe:{iso3}"), stems, demonyms));
                    rows.push(KbEntity {
                        id: format!("gpe:{iso3}"),
                        kind: Kind::Gpe,
                        name: f[2].to_string(),
                        country: Some(iso3),
                        sector: None,
                        roles: Vec::new(),
                        variants,
                    });
                    // Capitals are indexed after all rows, as metonymy.
                    rows.last_mut()
                        .unwrap()
                        .roles
                        .extend(capitals.into_iter().map(|c| Role {
                            role: format!("capital:{c}"),
                            from: None,
                            to: None,
                        }));
                } else if base.starts_with("places") {
                    if f.len() < 6 {
                        return Err(err(format!("expected 6 columns, found {}", f.len())));
                    }
                    let mut variants = vec![f[1].to_string()];
                    if !f[2].is_empty() {
                        variants.push(f[2].to_string());
                    }
                    variants.extend(split_list(f[5]).map(str::to_string));
                    rows.push(KbEntity {
                        id: f[0].trim().to_string(),
                        kind: Kind::Loc,
                        name: f[1].to_string(),
                        country: opt(f[3]),
                        sector: None,
                        roles: Vec::new(),
                        variants,
                    });
                } else if base.starts_with("agents") {
                    if f.len() < 3 {
                        return Err(err(format!("expected 3 columns, found {}", f.len())));
                    }
                    kb.agents.insert(key::fold(f[1]), f[2].trim().to_string());
                } else if base.starts_with("titles") {
                    if f.len() < 3 {
                        return Err(err(format!("expected 4 columns, found {}", f.len())));
                    }
                    kb.titles.insert(
                        key::fold(f[1]),
                        Title {
                            role: f[2].trim().to_string(),
                            sector: f.get(3).and_then(|s| opt(s)),
                        },
                    );
                } else {
                    if f.len() < 7 {
                        return Err(err(format!("expected 7 columns, found {}", f.len())));
                    }
                    let kind = match f[1].trim() {
                        "PER" => Kind::Per,
                        "ORG" => Kind::Org,
                        "GPE" => Kind::Gpe,
                        "LOC" => Kind::Loc,
                        other => return Err(err(format!("unknown type {other:?}"))),
                    };
                    let mut roles = Vec::new();
                    for r in split_list(f[5]) {
                        roles.push(parse_role(r).ok_or_else(|| err(format!("bad role {r:?}")))?);
                    }
                    let mut variants = vec![f[2].to_string()];
                    variants.extend(split_list(f[6]).map(str::to_string));
                    rows.push(KbEntity {
                        id: f[0].trim().to_string(),
                        kind,
                        name: f[2].to_string(),
                        country: opt(f[3]),
                        sector: opt(f[4]),
                        roles,
                        variants,
                    });
                }
            }
        }
        for e in rows {
            match kb.by_id.get(&e.id) {
                Some(&i) => kb.entities[i] = e,
                None => {
                    kb.by_id.insert(e.id.clone(), kb.entities.len());
                    kb.entities.push(e);
                }
            }
        }
        kb.index(adj_rows);
        Ok(kb)
    }

    fn index(&mut self, adj_rows: Vec<(String, Vec<String>, Vec<String>)>) {
        for (i, e) in self.entities.iter().enumerate() {
            for v in &e.variants {
                let k = key::skeleton(v);
                if k.is_empty() {
                    continue;
                }
                self.max_tokens = self.max_tokens.max(v.split_whitespace().count());
                let nk = key::name_key(v);
                if let Some(first) = nk.split(' ').next() {
                    self.first_words.insert(first.to_string());
                }
                self.folded.insert(key::fold(v));
                push_unique(self.names.entry(nk).or_default(), (i, NameKind::Name));
                if e.kind == Kind::Per && k.chars().count() >= 5 {
                    for d in key::deletions(&k) {
                        push_unique(self.near.entry(d).or_default(), i);
                    }
                }
            }
            for r in &e.roles {
                if let Some(c) = r.role.strip_prefix("capital:") {
                    let nk = key::name_key(c);
                    if let Some(first) = nk.split(' ').next() {
                        self.first_words.insert(first.to_string());
                    }
                    push_unique(self.names.entry(nk).or_default(), (i, NameKind::Capital));
                }
            }
        }
        for (id, stems, demonyms) in adj_rows {
            let Some(&i) = self.by_id.get(&id) else {
                continue;
            };
            for s in stems {
                self.adjectives.insert(key::fold(&s), i);
            }
            for d in demonyms {
                let nk = key::name_key(&d);
                if let Some(first) = nk.split(' ').next() {
                    self.first_words.insert(first.to_string());
                }
                push_unique(self.names.entry(nk).or_default(), (i, NameKind::Demonym));
            }
        }
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&KbEntity> {
        self.by_id.get(id).map(|&i| &self.entities[i])
    }

    pub fn entities(&self) -> &[KbEntity] {
        &self.entities
    }

    /// Entities a name may refer to, with how it refers; exact on the skeleton.
    pub fn lookup(&self, name: &str) -> Vec<(&KbEntity, NameKind)> {
        self.lookup_key(&key::name_key(name))
    }

    /// [`Kb::lookup`] by a precomputed [`key::name_key`].
    pub fn lookup_key(&self, name_key: &str) -> Vec<(&KbEntity, NameKind)> {
        self.names
            .get(name_key)
            .map(|v| v.iter().map(|&(i, k)| (&self.entities[i], k)).collect())
            .unwrap_or_default()
    }

    /// Whether `name` is written exactly (up to case and diacritics) as a KB name.
    pub fn is_known_spelling(&self, name: &str) -> bool {
        self.folded.contains(&key::fold(name))
    }

    /// Whether some name starts with the word of this key (or its genitive
    /// without `s`).
    pub fn may_start_name_key(&self, first_key: &str) -> bool {
        self.first_words.contains(first_key)
            || first_key
                .strip_suffix('s')
                .is_some_and(|k| self.first_words.contains(k))
    }

    /// People whose name is one letter away from `name` (`Lawro` → `Lawrow`).
    pub fn lookup_near(&self, name: &str) -> Vec<&KbEntity> {
        let k = key::skeleton(name);
        if k.chars().count() < 4 {
            return Vec::new();
        }
        let mut out: Vec<usize> = Vec::new();
        for probe in std::iter::once(k.clone()).chain(key::deletions(&k)) {
            if let Some(v) = self.near.get(&probe) {
                for &i in v {
                    push_unique(&mut out, i);
                }
            }
        }
        out.into_iter().map(|i| &self.entities[i]).collect()
    }

    /// People whose name this one is with a single letter missing (`Lawro` for
    /// `Lawrow`): stricter than [`Kb::lookup_near`], for words no tagger marked
    /// as a name. Only names of five letters or more.
    pub fn lookup_missing_letter(&self, name: &str) -> Vec<&KbEntity> {
        let k = key::skeleton(name);
        if k.chars().count() < 5 {
            return Vec::new();
        }
        self.near
            .get(&k)
            .map(|v| v.iter().map(|&i| &self.entities[i]).collect())
            .unwrap_or_default()
    }

    /// The country of a German adjective (any inflection) or English adjective.
    pub fn adjective_country(&self, word: &str) -> Option<&KbEntity> {
        let f = key::fold(word);
        if let Some(&i) = self.adjectives.get(&f) {
            return Some(&self.entities[i]);
        }
        for ending in ["e", "en", "er", "es", "em"] {
            if let Some(stem) = f.strip_suffix(ending) {
                if let Some(&i) = self.adjectives.get(stem) {
                    return Some(&self.entities[i]);
                }
            }
        }
        None
    }

    /// A title or office word (`Außenministerin`, `foreign minister`).
    pub fn title(&self, words: &str) -> Option<&Title> {
        self.titles.get(&key::fold(words))
    }

    /// The person holding `role` for `country` in `year`, if exactly one does.
    pub fn holder(&self, role: &str, country: &str, year: Option<i32>) -> Option<&KbEntity> {
        let mut found = self.entities.iter().filter(|e| {
            e.kind == Kind::Per
                && e.country.as_deref() == Some(country)
                && e.roles.iter().any(|r| r.role == role && r.held_in(year))
        });
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// The sector a generic agent noun stands for (`soldiers` → MIL).
    pub fn agent_sector(&self, word: &str) -> Option<&str> {
        self.agents.get(&key::fold(word)).map(String::as_str)
    }

    /// Codes a short actor description (`Armenian Prime Minister Nikol
    /// Pashinyan`, `two Chinese warplanes`, `Chile's Defense Ministry`, `Lawrow`)
    /// as country and sector, in `year` (offices are dated). `context` may name
    /// a country the description leaves out. `None` when nothing in it is known.
    ///
    /// International bodies (KB rows without a country) get the NGEC/CAMEO
    /// pseudo-countries: `UNO` for the UN system (organisations with the role
    /// `un_system`, officials with `un_…` offices), `EUR` for EU institutions
    /// (`eu_institution`, `eu_…`/`ecb_…` offices), `IGO` for any other
    /// intergovernmental body or official.
    pub fn resolve_actor(&self, text: &str, context: &str, year: Option<i32>) -> Option<ActorCode> {
        let words: Vec<String> = text
            .split(|c: char| {
                c.is_whitespace() || (c.is_ascii_punctuation() && c != '-' && c != '\'' && c != '.')
            })
            .map(|w| w.trim_matches(|c: char| c == '.' || c == '\'').to_string())
            .filter(|w| !w.is_empty())
            .collect();
        let bare = |w: &str| -> String {
            w.strip_suffix("’s")
                .or_else(|| w.strip_suffix("'s"))
                .unwrap_or(w)
                .to_string()
        };
        let lower: Vec<String> = words.iter().map(|w| key::fold(w)).collect();
        // "ambassador to the United Nations": what follows `to` is where the
        // actor is posted, not the actor.
        let posted_from = lower
            .iter()
            .position(|w| w == "to")
            .filter(|&p| p > 0)
            .unwrap_or(words.len());
        let mut person_or_org: Option<&KbEntity> = None;
        // the word after the name of `person_or_org`
        let mut org_end = 0;
        let mut country: Option<String> = None;
        // a capital standing for its state (`Beijing said`), not after `in`
        let mut capital_as_state = false;
        let mut i = 0;
        while i < words.len() {
            let mut step = 1;
            // Names start with a capital letter (al-Qaida too): a lowercase word
            // starts none ("car-borne", "park in").
            let starts_name = words[i].chars().any(char::is_uppercase);
            for n in (1..=self.max_tokens().min(words.len() - i))
                .rev()
                .filter(|_| starts_name)
            {
                let phrase = words[i..i + n].join(" ");
                let mut cands = self.lookup(&phrase);
                if cands.is_empty() {
                    // Britain's, Chile’s
                    let last = bare(&words[i + n - 1]);
                    let stripped: Vec<&str> = words[i..i + n - 1]
                        .iter()
                        .map(String::as_str)
                        .chain([last.as_str()])
                        .collect();
                    cands = self.lookup(&stripped.join(" "));
                }
                let best = cands
                    .iter()
                    .find(|(e, _)| matches!(e.kind, Kind::Per | Kind::Org))
                    .or_else(|| cands.iter().find(|(e, _)| e.kind == Kind::Gpe))
                    .or_else(|| cands.first());
                // One word spelt unlike any KB name that runs on into a further
                // capitalised word is the start of another name ("Sayma
                // Syrenius" is not "Saeima").
                let run_on = n == 1
                    && best.is_some_and(|(e, _)| matches!(e.kind, Kind::Per | Kind::Org))
                    && words
                        .get(i + 1)
                        .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
                    && !self.is_known_spelling(&phrase)
                    && !self.is_known_spelling(&bare(&phrase));
                if run_on {
                    break;
                }
                if let Some((e, nk)) = best {
                    match e.kind {
                        Kind::Per | Kind::Org if i > posted_from => {}
                        Kind::Per | Kind::Org => {
                            if person_or_org.is_none() {
                                person_or_org = Some(e);
                                org_end = i + n;
                            }
                        }
                        _ => {
                            if country.is_none() {
                                let locative =
                                    i > 0 && link::LOCATIVE.contains(&lower[i - 1].as_str());
                                capital_as_state = *nk == NameKind::Capital && !locative;
                            }
                            country.get_or_insert_with(|| e.country.clone().unwrap_or_default());
                        }
                    }
                    step = n;
                    break;
                }
            }
            i += step;
        }
        // The head of a description is its last title or agent noun before
        // a preposition ("opposition lawmaker", "professor of law at …"); the
        // longest phrase ending at a word wins ("national guard").
        let head_end = lower
            .iter()
            .position(|w| PREPOSITIONS.contains(&w.as_str()))
            .filter(|&p| p > 0)
            .unwrap_or(words.len());
        // the sector of the longest title or agent phrase ending at word `end`
        let sector_at = |from: usize, end: usize| -> Option<(usize, String)> {
            for n in (1..=3.min(end - from)).rev() {
                let phrase = words[end - n..end]
                    .iter()
                    .map(|w| bare(w))
                    .collect::<Vec<_>>()
                    .join(" ");
                let s = self
                    .title(&phrase)
                    .and_then(|t| t.sector.clone())
                    .or_else(|| self.agent_sector(&phrase).map(str::to_string));
                if let Some(s) = s {
                    return Some((n, s));
                }
            }
            None
        };
        let sector_in = |from: usize, to: usize| -> Option<(usize, String)> {
            for end in (from + 1..=to).rev() {
                if let Some((n, s)) = sector_at(from, end) {
                    // A generic person noun takes the sector of the noun before
                    // it: "intelligence agency officer", "army spokesman".
                    let generic = n == 1 && GENERIC_HEADS.contains(&lower[end - 1].as_str());
                    if generic && end - 1 > from {
                        if let Some((_, before)) = sector_at(from, end - 1) {
                            return Some((end, before));
                        }
                    }
                    return Some((end, s));
                }
            }
            None
        };
        let head = sector_in(0, head_end).or_else(|| sector_in(head_end, words.len()));
        let mut sector = head.as_ref().map(|(_, s)| s.clone());
        // "a former White House official", "ex-president": a former office holder.
        let former = lower
            .iter()
            .any(|w| FORMER_WORDS.contains(&w.as_str()) || w.starts_with("ex "));
        for w in &words {
            if country.is_none() {
                country = self
                    .adjective_country(&bare(w))
                    .and_then(|e| e.country.clone());
            }
        }
        if country.is_none() && !context.trim().is_empty() {
            country = self
                .adjective_country(context)
                .and_then(|e| e.country.clone())
                .or_else(|| {
                    self.lookup(context)
                        .first()
                        .and_then(|(e, _)| e.country.clone())
                });
        }
        if let Some(e) = person_or_org {
            // Undated text cannot tell a former office holder from a serving one:
            // only a known year out of all of a person's offices makes them ELI.
            let held =
                year.is_none() || e.roles.is_empty() || e.roles.iter().any(|r| r.held_in(year));
            // A noun after an organisation's name is the actor ("European Union
            // legislators", "Hamas fighters"): its sector wins.
            // A generic noun ("Hamas officials") leaves the organisation's sector.
            let modified = e.kind == Kind::Org
                && head.as_ref().is_some_and(|(end, _)| {
                    *end > org_end && !GENERIC_HEADS.contains(&lower[end - 1].as_str())
                });
            // Someone whose only offices that year are seats in a legislature
            // acts as a legislator (a former minister still in parliament).
            let legislating = e.kind == Kind::Per && {
                let mut now = e.roles.iter().filter(|r| r.held_in(year)).peekable();
                now.peek().is_some() && now.all(|r| LEGISLATIVE_ROLES.contains(&r.role.as_str()))
            };
            // An armed group that holds a state's government (`government@from-to`)
            // acts as that government in those years.
            let governing = e.kind == Kind::Org
                && e.roles
                    .iter()
                    .any(|r| r.role == "government" && r.held_in(year));
            let sector = if former || (e.kind == Kind::Per && !held) {
                Some("ELI".to_string())
            } else if governing && !modified {
                Some("GOV".to_string())
            } else if legislating {
                Some("LEG".to_string())
            } else if modified {
                sector
            } else {
                e.sector.clone().or(sector)
            };
            return Some(ActorCode {
                id: Some(e.id.clone()),
                country: e
                    .country
                    .clone()
                    .or_else(|| international_code(e))
                    .or(country),
                sector,
            });
        }
        if country.is_none() && sector.is_none() {
            return None;
        }
        if former {
            sector = Some("ELI".to_string());
        } else if sector.is_none() && capital_as_state {
            sector = Some("GOV".to_string());
        }
        Some(ActorCode {
            id: None,
            country: country.filter(|c| !c.is_empty()),
            sector,
        })
    }

    /// The longest KB name, in words.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens.max(1)
    }
}

/// Prepositions that end the head of an actor description.
const PREPOSITIONS: &[&str] = &[
    "of", "at", "in", "to", "for", "from", "with", "on", "by", "des", "der", "von", "aus", "bei",
    "fuer",
];

/// Person nouns that say little of their own sector: the noun before them
/// tells it ("police officer", "army spokesman", "party member").
const GENERIC_HEADS: &[&str] = &[
    "officer",
    "officers",
    "official",
    "officials",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "member",
    "members",
    "employee",
    "employees",
    "staff",
    "source",
    "sources",
    "sprecher",
    "sprecherin",
    "mitarbeiter",
    "mitglied",
    "mitglieder",
];

/// Offices that are seats in a legislature.
const LEGISLATIVE_ROLES: &[&str] = &[
    "legislator",
    "parliament_speaker",
    "senate_majority_leader",
    "senator",
];

/// Words that make an actor a former office holder (CAMEO `ELI`).
const FORMER_WORDS: &[&str] = &[
    "former",
    "retired",
    "ex",
    "onetime",
    "erstwhile",
    "ehemalige",
    "ehemaliger",
    "ehemaligen",
    "frueherer",
    "fruehere",
    "frueheren",
    "einstige",
    "einstiger",
    "einstigen",
];

/// The NGEC pseudo-country of an international body or official that has no
/// country in the KB: `UNO` for the UN system, `EUR` for the EU, `IGO` for
/// other intergovernmental bodies and international courts.
fn international_code(e: &KbEntity) -> Option<String> {
    if e.country.is_some() || !matches!(e.sector.as_deref(), Some("IGO" | "JUD")) {
        return None;
    }
    let has = |p: &[&str]| {
        e.roles
            .iter()
            .any(|r| p.iter().any(|p| r.role.starts_with(p)))
    };
    let code = if has(&["un_"]) {
        "UNO"
    } else if has(&["eu_", "ecb_"]) {
        "EUR"
    } else {
        "IGO"
    };
    Some(code.to_string())
}

fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// `role@2004-`, `role@2012-2024`, `role`.
fn parse_role(s: &str) -> Option<Role> {
    let (role, years) = match s.split_once('@') {
        Some((r, y)) => (r, Some(y)),
        None => (s, None),
    };
    if role.is_empty() {
        return None;
    }
    let (from, to) = match years {
        None => (None, None),
        Some(y) => {
            let (a, b) = y.split_once('-').unwrap_or((y, y));
            let p = |x: &str| -> Option<Option<i32>> {
                let x = x.trim();
                if x.is_empty() {
                    Some(None)
                } else {
                    x.parse().ok().map(Some)
                }
            };
            (p(a)?, p(b)?)
        }
    };
    Some(Role {
        role: role.to_string(),
        from,
        to,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const COUNTRIES: &str = "# test\nRUS\tRU\tRussia\tRussland\tMoscow\tMoskau\tRussian\trussisch\tRussian|Russians\tRusse|Russen\tRussian Federation\n";
    const PEOPLE: &str = "per:sergei-lavrov\tPER\tSergei Lavrov\tRUS\tGOV\tforeign_minister@2004-\tSergej Lawrow|Lawrow|Lavrov\nper:x-old\tPER\tAlt Minister\tRUS\tGOV\tforeign_minister@1990-2003\t\n";
    const TITLES: &str =
        "de\tAußenminister\tforeign_minister\tGOV\nen\tforeign minister\tforeign_minister\tGOV\n";

    fn kb() -> Kb {
        Kb::from_files(&[
            ("kb/countries.tsv", COUNTRIES),
            ("kb/entities.tsv", PEOPLE),
            ("kb/titles.tsv", TITLES),
        ])
        .unwrap()
    }

    #[test]
    fn names_variants_and_near_misses() {
        let kb = kb();
        let ids = |v: Vec<(&KbEntity, NameKind)>| {
            v.iter()
                .map(|(e, k)| (e.id.clone(), *k))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(kb.lookup("Lawrow")),
            vec![("per:sergei-lavrov".to_string(), NameKind::Name)]
        );
        assert_eq!(
            ids(kb.lookup("Sergey Lavrov")),
            vec![("per:sergei-lavrov".to_string(), NameKind::Name)]
        );
        assert_eq!(
            ids(kb.lookup("Moskau")),
            vec![("gpe:RUS".to_string(), NameKind::Capital)]
        );
        assert_eq!(
            ids(kb.lookup("Russen")),
            vec![("gpe:RUS".to_string(), NameKind::Demonym)]
        );
        assert_eq!(kb.lookup_near("Lawro")[0].id, "per:sergei-lavrov");
        assert_eq!(kb.adjective_country("russischen").unwrap().id, "gpe:RUS");
        assert!(kb.adjective_country("rot").is_none());
    }

    #[test]
    fn titles_and_office_holders_by_year() {
        let kb = kb();
        assert_eq!(kb.title("Außenminister").unwrap().role, "foreign_minister");
        assert_eq!(
            kb.holder("foreign_minister", "RUS", Some(2024)).unwrap().id,
            "per:sergei-lavrov"
        );
        assert_eq!(
            kb.holder("foreign_minister", "RUS", Some(1995)).unwrap().id,
            "per:x-old"
        );
        assert!(kb.holder("foreign_minister", "USA", Some(2024)).is_none());
    }

    #[test]
    fn later_rows_replace_and_errors_name_the_line() {
        let user = "per:sergei-lavrov\tPER\tS. Lavrov\tRUS\tGOV\t\tLavrov\n";
        let kb = Kb::from_files(&[("kb/entities.tsv", PEOPLE), ("my/people.tsv", user)]).unwrap();
        assert_eq!(kb.get("per:sergei-lavrov").unwrap().name, "S. Lavrov");
        let bad = Kb::from_files(&[("my/people.tsv", "# c\nper:a\tPER\tA\n")]).unwrap_err();
        assert_eq!((bad.file.as_str(), bad.line), ("my/people.tsv", 2));
        let bad = Kb::from_files(&[("my/people.tsv", "per:a\tXYZ\tA\t\t\t\t\n")]).unwrap_err();
        assert!(bad.message.contains("XYZ"));
    }

    #[test]
    fn actor_descriptions_are_coded() {
        let agents = "en\tsoldiers\tMIL\nen\twarplanes\tMIL\n";
        let kb = Kb::from_files(&[
            ("kb/countries.tsv", COUNTRIES),
            ("kb/entities.tsv", PEOPLE),
            ("kb/titles.tsv", TITLES),
            ("kb/agents.tsv", agents),
        ])
        .unwrap();
        let code = |t: &str, y| kb.resolve_actor(t, "", y).map(|c| (c.country, c.sector));
        assert_eq!(
            code("two Russian warplanes", None),
            Some((Some("RUS".into()), Some("MIL".into())))
        );
        assert_eq!(
            code("Russia's foreign minister", None),
            Some((Some("RUS".into()), Some("GOV".into())))
        );
        assert_eq!(
            code("Sergey Lavrov", Some(2020)),
            Some((Some("RUS".into()), Some("GOV".into())))
        );
        assert_eq!(
            code("Alt Minister", Some(2020)),
            Some((Some("RUS".into()), Some("ELI".into())))
        );
        // Undated: a former office holder keeps the sector of his entity row.
        assert_eq!(
            code("Alt Minister", None),
            Some((Some("RUS".into()), Some("GOV".into())))
        );
        assert_eq!(code("a cat named Frank", None), None);
        assert_eq!(
            kb.resolve_actor("foreign minister", "Russian", None)
                .unwrap()
                .country
                .as_deref(),
            Some("RUS")
        );
    }

    /// A KB for the actor-coding rules: two states, the UN, the EU, an
    /// international court and a bank, with titles and agent nouns.
    fn actor_kb() -> Kb {
        let countries = "RUS\tRU\tRussia\tRussland\tMoscow\tMoskau\tRussian\trussisch\tRussian|Russians\tRusse|Russen\tRussian Federation\nCAF\tCF\tCentral African Republic\tZentralafrikanische Republik\tBangui\tBangui\tCentral African\tzentralafrikanisch\t\t\tCAR\n";
        let orgs = "org:un-security-council\tORG\tUN Security Council\t\tIGO\tun_system@1945-\tSecurity Council\norg:eu\tORG\tEuropean Union\t\tIGO\teu_institution@1993-\tEU\norg:imf\tORG\tInternational Monetary Fund\t\tIGO\t\tIMF\norg:icc\tORG\tInternational Criminal Court\t\tJUD\t\tICC\norg:hamas\tORG\tHamas\tPSE\tREB\t\t\nper:un-chief\tPER\tAn Official\t\tIGO\tun_secretary_general@2017-\t\n";
        let titles = "en\tambassador\tambassador\tGOV\nen\tlawmaker\tlegislator\tLEG\nen\tofficial\tofficial\tGOV\n";
        let agents = "en\topposition\tOPP\nen\tyouths\tCVL\nen\tlegislators\tLEG\nen\tfighters\tREB\nen\tnational guard\tMIL\nen\tguard\tCOP\n";
        Kb::from_files(&[
            ("kb/countries.tsv", countries),
            ("kb/entities.tsv", orgs),
            ("kb/titles.tsv", titles),
            ("kb/agents.tsv", agents),
        ])
        .unwrap()
    }

    fn coded(kb: &Kb, t: &str) -> (Option<String>, Option<String>) {
        kb.resolve_actor(t, "", None)
            .map(|c| (c.country, c.sector))
            .unwrap_or_default()
    }

    fn pair(c: &str, s: &str) -> (Option<String>, Option<String>) {
        (
            (!c.is_empty()).then(|| c.to_string()),
            (!s.is_empty()).then(|| s.to_string()),
        )
    }

    #[test]
    fn international_bodies_get_ngec_pseudo_countries() {
        let kb = actor_kb();
        assert_eq!(coded(&kb, "the Security Council"), pair("UNO", "IGO"));
        assert_eq!(coded(&kb, "An Official"), pair("UNO", "IGO"));
        assert_eq!(coded(&kb, "the European Union"), pair("EUR", "IGO"));
        assert_eq!(coded(&kb, "the IMF"), pair("IGO", "IGO"));
        assert_eq!(coded(&kb, "the ICC"), pair("IGO", "JUD"));
        // a body with a country keeps it
        assert_eq!(coded(&kb, "Hamas"), pair("PSE", "REB"));
    }

    #[test]
    fn a_capital_standing_alone_is_its_government() {
        let kb = actor_kb();
        assert_eq!(coded(&kb, "Moscow"), pair("RUS", "GOV"));
        assert_eq!(coded(&kb, "MOSCOW"), pair("RUS", "GOV"));
        assert_eq!(coded(&kb, "Russia"), pair("RUS", ""));
        assert_eq!(coded(&kb, "youths in Moscow"), pair("RUS", "CVL"));
        assert_eq!(coded(&kb, "a crowd in Moscow"), pair("RUS", ""));
    }

    #[test]
    fn former_office_holders_are_elites() {
        let kb = actor_kb();
        assert_eq!(coded(&kb, "a former Russian official"), pair("RUS", "ELI"));
        assert_eq!(coded(&kb, "ex-lawmaker from Russia"), pair("RUS", "ELI"));
        assert_eq!(coded(&kb, "a Russian official"), pair("RUS", "GOV"));
    }

    #[test]
    fn lowercase_words_start_no_name() {
        let kb = actor_kb();
        // `car` is not the Central African Republic (CAR)
        assert_eq!(coded(&kb, "car - borne youths"), pair("", "CVL"));
        assert_eq!(coded(&kb, "the CAR"), pair("CAF", ""));
    }

    #[test]
    fn the_body_an_envoy_is_posted_to_is_not_the_actor() {
        let kb = actor_kb();
        assert_eq!(
            coded(&kb, "Russian Ambassador to the Security Council"),
            pair("RUS", "GOV")
        );
    }

    #[test]
    fn the_head_noun_codes_the_sector() {
        let kb = actor_kb();
        assert_eq!(coded(&kb, "an opposition lawmaker"), pair("", "LEG"));
        assert_eq!(coded(&kb, "Russian National Guard"), pair("RUS", "MIL"));
        assert_eq!(
            coded(&kb, "the lawmaker of the opposition"),
            pair("", "LEG")
        );
        // a noun after an organisation's name is the actor
        assert_eq!(coded(&kb, "European Union legislators"), pair("EUR", "LEG"));
        assert_eq!(coded(&kb, "Hamas fighters"), pair("PSE", "REB"));
        // … but a generic one leaves the organisation's sector
        assert_eq!(coded(&kb, "European Union official"), pair("EUR", "IGO"));
        assert_eq!(coded(&kb, "EU"), pair("EUR", "IGO"));
    }

    #[test]
    fn a_word_running_on_into_an_unknown_name_is_not_a_kb_name() {
        let kb = Kb::from_files(&[
            ("kb/countries.tsv", COUNTRIES),
            ("kb/entities.tsv", "org:saeima\tORG\tSaeima\tLVA\tLEG\t\t\n"),
        ])
        .unwrap();
        assert!(kb
            .resolve_actor("Sayma Syrenius Cephus", "", None)
            .is_none());
        // the name as spelt in the KB, or a variant alone, still links
        assert!(kb.resolve_actor("Saeima Speaker", "", None).is_some());
        assert!(kb.resolve_actor("Sayma", "", None).is_some());
    }

    #[test]
    fn members_of_a_legislature_without_other_office_are_legislators() {
        let people = "per:a\tPER\tAnn Example\tRUS\tGOV\tforeign_minister@2010-2015|legislator@2010-\t\nper:b\tPER\tBen Example\tRUS\tGOV\tforeign_minister@2016-|legislator@2010-\t\n";
        let kb = Kb::from_files(&[("kb/countries.tsv", COUNTRIES), ("kb/entities.tsv", people)])
            .unwrap();
        let sector = |t: &str, y| kb.resolve_actor(t, "", y).and_then(|c| c.sector);
        assert_eq!(sector("Ann Example", Some(2020)).as_deref(), Some("LEG"));
        assert_eq!(sector("Ann Example", Some(2012)).as_deref(), Some("GOV"));
        assert_eq!(sector("Ben Example", Some(2020)).as_deref(), Some("GOV"));
    }

    #[test]
    fn an_armed_group_in_power_is_the_government() {
        let orgs = "org:t\tORG\tTaliban\tAFG\tREB\tgovernment@1996-2001|government@2021-\t\n";
        let kb = Kb::from_files(&[("kb/entities.tsv", orgs)]).unwrap();
        let sector = |y| kb.resolve_actor("Taliban", "", y).and_then(|c| c.sector);
        assert_eq!(sector(Some(2022)).as_deref(), Some("GOV"));
        assert_eq!(sector(Some(1998)).as_deref(), Some("GOV"));
        assert_eq!(sector(Some(2010)).as_deref(), Some("REB"));
    }

    #[test]
    fn a_generic_person_noun_takes_the_sector_of_the_noun_before_it() {
        let agents = "en\tofficer\tCOP\nen\tintelligence agency\tSPY\nen\tarmy\tMIL\nen\tspokesman\tGOV\nen\tlawmaker\tLEG\nen\topposition\tOPP\n";
        let kb =
            Kb::from_files(&[("kb/countries.tsv", COUNTRIES), ("kb/agents.tsv", agents)]).unwrap();
        let sector = |t: &str| kb.resolve_actor(t, "", None).and_then(|c| c.sector);
        assert_eq!(
            sector("a Russian intelligence agency officer").as_deref(),
            Some("SPY")
        );
        assert_eq!(sector("an army spokesman").as_deref(), Some("MIL"));
        assert_eq!(sector("a Russian officer").as_deref(), Some("COP"));
        // a head noun with a sector of its own keeps it
        assert_eq!(sector("an opposition lawmaker").as_deref(), Some("LEG"));
    }

    #[test]
    fn role_syntax() {
        assert_eq!(parse_role("a@2012-2024").unwrap().to, Some(2024));
        assert_eq!(parse_role("a@2012-").unwrap().to, None);
        assert!(parse_role("a@x-").is_none());
        assert!(parse_role("").is_none());
    }
}
