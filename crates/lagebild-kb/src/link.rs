//! The entity linker: finds the mentions of a document and resolves each to an
//! entity, across spelling variants, languages and mention kinds.
//!
//! Mentions come from three places, longest first, never overlapping:
//! 1. KB names matched over token n-grams (`Sergej Lawrow`, `DVRK`, genitive
//!    `Lawrows`), with capitals standing for their state unless a locative
//!    preposition makes them the city (`Moskau bestreitet` → Russia; `in Moskau`
//!    → Moscow);
//! 2. spans of the NER layer (given by the caller), linked through the KB when a
//!    name matches exactly or one letter off (`Lawro`), else to a document-local
//!    full name with the same surname, else to a stable id of their own;
//! 3. country adjectives (`nordkoreanische`, `Russian`) and titles (`der
//!    russische Außenminister`, `Kreml-Sprecher`), resolved to the office holder
//!    in the year of the document, or to the person the text introduced with
//!    that title; a tagged name outside the KB right after a title (`Serbian
//!    President X`) holds it and takes the title's country, or, with no country
//!    said, the one country the text is set in.

use std::collections::HashMap;

use lagebild_model::{Document, Entity, Mention, TokenKind};

use crate::{key, Kb, KbEntity, Kind, NameKind};

/// Words after which a capital is the city, not its government (the linker's
/// metonymy and the actor coder's capital-as-government rule).
pub(crate) const LOCATIVE: &[&str] = &[
    "in", "nach", "aus", "bei", "im", "vor", "über", "durch", "um", "nahe", "von", "zwischen",
    "to", "from", "at", "near", "into", "outside", "inside", "via",
];

/// Words that make a title a former one.
const FORMER: &[&str] = &["ehemalig", "frueher", "einstig", "damalig", "former", "ex"];

/// A mention found in the text, before grouping.
#[derive(Debug, Clone)]
struct Found {
    start: usize,
    end: usize,
    kind: &'static str,
    id: String,
    /// For entities outside the KB.
    local: Option<(String, String)>, // (type, surface name)
    /// For people outside the KB introduced with a national title (`Serbian
    /// President X`): the country and sector the title gives them.
    affil: Option<(String, Option<String>)>,
}

/// Records a mention and marks its span taken.
fn add(
    found: &mut Vec<Found>,
    taken: &mut [bool],
    start: usize,
    end: usize,
    kind: &'static str,
    id: String,
) {
    found.push(Found {
        start,
        end,
        kind,
        id,
        local: None,
        affil: None,
    });
    taken[start..end].fill(true);
}

/// Resolves mentions to entities with a KB.
pub struct Linker<'a> {
    kb: &'a Kb,
}

impl<'a> Linker<'a> {
    pub fn new(kb: &'a Kb) -> Self {
        Linker { kb }
    }

    /// The entities of a document. `ner` holds `(start, end, type)` spans of a
    /// named-entity tagger over `doc.text` (types PER, ORG, LOC, MISC, and
    /// LOCderiv for country adjectives); it may be empty.
    pub fn link(&self, doc: &Document, ner: &[(usize, usize, String)]) -> Vec<Entity> {
        let text = doc.text.as_str();
        let year = doc
            .published
            .as_deref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok());
        let words: Vec<(usize, usize)> = doc
            .tokens
            .iter()
            .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
            .map(|t| (t.start, t.end))
            .collect();
        let english = doc.language.starts_with("en");
        // Bytes already covered by a mention: checking a span costs its length.
        let mut taken: Vec<bool> = vec![false; text.len()];
        let mut found: Vec<Found> = Vec::new();
        let free = |taken: &[bool], s: usize, e: usize| {
            taken.get(s..e).is_some_and(|t| !t.contains(&true))
        };

        // 1. KB names over token n-grams, longest first; the name key of an
        // n-gram is the keys of its words joined by spaces.
        let keys: Vec<String> = words
            .iter()
            .map(|&(s, e)| key::name_key(&text[s..e]))
            .collect();
        let max_n = self.kb.max_tokens().min(8);
        let mut i = 0;
        while i < words.len() {
            let mut matched = 0;
            let w0 = &text[words[i].0..words[i].1];
            if !w0.chars().next().is_some_and(char::is_uppercase) {
                i += 1;
                continue;
            }
            let first = keys[i].split(' ').next().unwrap_or("");
            let starts = self.kb.may_start_name_key(first);
            for n in (1..=max_n.min(words.len() - i)).rev().filter(|_| starts) {
                let (s, e) = (words[i].0, words[i + n - 1].1);
                if !free(&taken, s, e) {
                    continue;
                }
                // The words of a name stand next to each other, on one line.
                let joined = (i..i + n - 1).all(|j| {
                    let gap = &text[words[j].1..words[j + 1].0];
                    !gap.is_empty() && gap.chars().all(|c| c == ' ')
                });
                if !joined {
                    continue;
                }
                let nkey = keys[i..i + n].join(" ");
                if let Some((id, kind)) = self.resolve_keyed(text, s, &text[s..e], &nkey) {
                    if n == 1 && english && self.first_of_unknown_name(text, &words, i, &id) {
                        continue;
                    }
                    found.push(Found {
                        start: s,
                        end: e,
                        kind,
                        id,
                        local: None,
                        affil: None,
                    });
                    taken[s..e].fill(true);
                    matched = n;
                    break;
                }
            }
            if matched == 0 {
                // A surname with a letter lost (`Lawro`), when exactly one person fits.
                let people = self.kb.lookup_missing_letter(w0);
                if people.len() == 1 && free(&taken, words[i].0, words[i].1) {
                    let (s, e) = words[i];
                    add(&mut found, &mut taken, s, e, "name", people[0].id.clone());
                }
            }
            i += matched.max(1);
        }

        // 1b. A capitalised word that is the surname of a KB person the text
        // named in full before ("Choe" after "Choe Son Hui") is that person.
        // surname key → (where the full name ends, id), in text order
        let mut surnames: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        for f in &found {
            if let Some(p) = self.kb.get(&f.id).filter(|p| p.kind == Kind::Per) {
                let full = &text[f.start..f.end];
                if full.split_whitespace().count() > 1 {
                    let nk = key::name_key(full);
                    for part in [nk.split(' ').next(), nk.rsplit(' ').next()]
                        .into_iter()
                        .flatten()
                    {
                        if !part.is_empty() {
                            surnames
                                .entry(part.to_string())
                                .or_default()
                                .push((f.end, p.id.clone()));
                        }
                    }
                }
            }
        }
        for (wi, &(s, e)) in words.iter().enumerate() {
            let w = &text[s..e];
            if !w.chars().next().is_some_and(char::is_uppercase)
                || w.chars().count() < 3
                || !free(&taken, s, e)
            {
                continue;
            }
            let k = &keys[wi];
            let k2 = k.strip_suffix('s').unwrap_or(k);
            let mut ids = [k.as_str(), k2]
                .into_iter()
                .filter_map(|k| surnames.get(k))
                .flat_map(|v| {
                    v.iter()
                        .filter(|(from, _)| *from <= s)
                        .map(|(_, id)| id.as_str())
                });
            if let Some(id) = ids.next() {
                let id = id.to_string();
                if ids.all(|other| other == id) {
                    add(&mut found, &mut taken, s, e, "name", id);
                }
            }
        }

        // People found so far, by start, for titles next to a name.
        let mut people: Vec<(usize, usize, String)> = found
            .iter()
            .filter(|f| f.id.starts_with("per:"))
            .map(|f| (f.start, f.end, f.id.clone()))
            .collect();
        people.sort();

        // 2. Titles: an office word, its country from an adjective, a genitive
        // or a compound before it, or a genitive after it ("Sprecher des
        // Nationalen Sicherheitsrats der USA").
        let mut role_memory: HashMap<(String, Option<String>), String> = HashMap::new();
        // Tagger people not in the KB, for a title right before them: by start.
        let mut ner_people: Vec<(usize, usize)> = ner
            .iter()
            .filter(|(s, e, ty)| ty == "PER" && s < e && free(&taken, *s, *e))
            .map(|(s, e, _)| (*s, *e))
            .collect();
        ner_people.sort();
        // start of a tagged person → (country, sector) of the title before it
        let mut titled: HashMap<usize, (String, Option<String>)> = HashMap::new();
        // start of a tagged person → sector of a national title without a
        // country before it (`President X`)
        let mut untitled: HashMap<usize, Option<String>> = HashMap::new();
        for (wi, &(s, e)) in words.iter().enumerate() {
            let w = &text[s..e];
            // a two-word title whose last word is none alone (`Foreign Secretary`)
            let pair = wi
                .checked_sub(1)
                .map(|j| words[j])
                .filter(|&(a, b)| &text[b..s] == " " && b > a)
                .and_then(|(a, _)| self.kb.title(&text[a..e]).map(|t| (a, t)));
            let (title, prefix_country, s, tw) = match self.kb.title(w) {
                Some(t) => (t, None, s, wi),
                None => match (w.split_once('-'), pair) {
                    (Some((pre, rest)), _) => match self.kb.title(rest) {
                        Some(t) => (t, self.country_of(pre), s, wi),
                        None => continue,
                    },
                    (None, Some((a, t))) => (t, None, a, wi - 1),
                    (None, None) => continue,
                },
            };
            let before = &words[tw.saturating_sub(3)..tw];
            // "der ehemalige Verteidigungsminister": not the one in office.
            let former = before.iter().any(|&(a, b)| {
                let f = key::fold(&text[a..b]);
                FORMER.iter().any(|p| f.starts_with(p))
            });
            let sentence_end = text[e..]
                .find(['.', '!', '?', '\n'])
                .map_or(text.len(), |k| e + k);
            let country_before = prefix_country.or_else(|| {
                before
                    .iter()
                    .rev()
                    .find_map(|&(a, b)| self.country_of(&text[a..b]))
            });
            let country = country_before.clone().or_else(|| {
                words[wi + 1..(wi + 6).min(words.len())]
                    .iter()
                    .take_while(|&&(a, _)| a < sentence_end)
                    .find_map(|&(a, b)| self.country_of(&text[a..b]))
            });
            // A person named right before or after the title (apposition, or the
            // title in front of the name) is the holder: remember, don't link.
            let at = people.partition_point(|p| p.0 < e);
            let after = people
                .get(at)
                .filter(|p| p.0 < sentence_end && p.0 - e <= 80);
            let before = at
                .checked_sub(1)
                .and_then(|i| people.get(i))
                .filter(|p| p.1 <= s && text[p.1..s].trim() == ",");
            if let Some(p) = after.or(before) {
                role_memory.insert((title.role.clone(), country.clone()), p.2.clone());
                continue;
            }
            // A tagged name right after the title (`Serbian President Vojislav
            // Kostunica`), or one that holds it: that person holds the office,
            // not whoever the KB knows in it; the title's country is theirs.
            let next = ner_people.partition_point(|p| p.1 <= s);
            if let Some(&(ps, _)) = ner_people.get(next).filter(|p| {
                (p.0 <= s && e <= p.1)
                    || (p.0 >= e && text[e..p.0].chars().all(|c| c == ' ' || c == '.'))
            }) {
                match country_before {
                    Some(c) => {
                        titled.insert(ps, (c, title.sector.clone()));
                    }
                    None if title.sector.as_deref() != Some("IGO") => {
                        untitled.insert(ps, title.sector.clone());
                    }
                    None => {}
                }
                continue;
            }
            if former || !free(&taken, s, e) {
                continue;
            }
            let person = country
                .as_deref()
                .and_then(|c| self.kb.holder(&title.role, c, year))
                .map(|p| p.id.clone())
                .or_else(|| {
                    role_memory
                        .get(&(title.role.clone(), country.clone()))
                        .cloned()
                })
                .or_else(|| {
                    // No country said: the one person the text gave this role.
                    let mut same = role_memory.iter().filter(|((r, _), _)| *r == title.role);
                    match (country.is_none(), same.next(), same.next()) {
                        (true, Some((_, id)), None) => Some(id.clone()),
                        _ => None,
                    }
                });
            if let Some(id) = person {
                add(&mut found, &mut taken, s, e, "title", id);
            }
        }

        // 3. NER spans not already covered.
        let mut local_people: Vec<(String, String)> = Vec::new(); // (surname skeleton, id)
        let mut ner_sorted: Vec<&(usize, usize, String)> = ner.iter().collect();
        ner_sorted.sort_by_key(|(s, _, _)| *s);
        for (s, e, ty) in ner_sorted {
            let (s, e) = (*s, *e);
            if e > text.len()
                || s >= e
                || !text.is_char_boundary(s)
                || !text.is_char_boundary(e)
                || !free(&taken, s, e)
            {
                continue;
            }
            let surface = &text[s..e];
            // A country adjective is a demonym whatever the tagger called it.
            if let Some(c) = self.adjective(surface) {
                add(&mut found, &mut taken, s, e, "demonym", c.id.clone());
                continue;
            }
            if ty.ends_with("deriv") || ty.ends_with("part") {
                continue;
            }
            let id = self
                .resolve_name(text, s, surface)
                .map(|(id, _)| id)
                .or_else(|| {
                    if ty != "PER" {
                        return None;
                    }
                    let near = self.kb.lookup_near(surface);
                    (near.len() == 1).then(|| near[0].id.clone())
                });
            if let Some(id) = id {
                add(&mut found, &mut taken, s, e, "name", id);
                continue;
            }
            let ty = match ty.as_str() {
                "PER" | "ORG" | "LOC" => ty.as_str(),
                _ => "MISC",
            };
            // Outside the KB, keep only what the tagger is likely right about:
            // names of several words, acronyms, and single-word people who join
            // a full name given earlier. When in doubt, emit nothing.
            let multi = surface.split_whitespace().count() > 1;
            let acronym = surface.chars().count() >= 2
                && surface
                    .chars()
                    .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '-');
            let joins_earlier = ty == "PER" && {
                let k = key::skeleton(surface.trim_end_matches('s'));
                let k2 = key::skeleton(surface);
                local_people.iter().any(|(sur, _)| *sur == k || *sur == k2)
            };
            if !(multi || acronym || joins_earlier) {
                continue;
            }
            let skel = key::skeleton(surface.trim_end_matches("s"));
            let last = surface
                .split_whitespace()
                .last()
                .map(key::skeleton)
                .unwrap_or_default();
            let id = if ty == "PER" {
                let earlier = local_people
                    .iter()
                    .find(|(sur, _)| *sur == last || *sur == skel)
                    .map(|(_, id)| id.clone());
                match (multi, earlier) {
                    (false, Some(id)) => id,
                    _ => {
                        let id = format!("x:per:{}", key::skeleton(surface));
                        local_people.push((last, id.clone()));
                        id
                    }
                }
            } else {
                format!("x:{}:{}", ty.to_lowercase(), key::skeleton(surface))
            };
            found.push(Found {
                start: s,
                end: e,
                kind: "name",
                id,
                local: Some((ty.to_string(), surface.to_string())),
                affil: if ty == "PER" {
                    titled.get(&s).cloned()
                } else {
                    None
                },
            });
            taken[s..e].fill(true);
        }

        // 4. Country adjectives anywhere (lower case in German).
        for &(s, e) in &words {
            if !free(&taken, s, e) {
                continue;
            }
            let w = &text[s..e];
            let parts: Vec<&str> = if w.contains('-') {
                w.split('-').collect()
            } else {
                vec![w]
            };
            if parts.len() > 1 {
                // nordkoreanisch-russischen: one mention per part
                let mut off = s;
                for p in parts {
                    if let Some(c) = self.adjective(p) {
                        found.push(Found {
                            start: off,
                            end: off + p.len(),
                            kind: "demonym",
                            id: c.id.clone(),
                            local: None,
                            affil: None,
                        });
                    }
                    off += p.len() + 1;
                }
                continue;
            }
            if let Some(c) = self.adjective(w) {
                add(&mut found, &mut taken, s, e, "demonym", c.id.clone());
            }
        }

        // 5. A person the text introduced with a national title but no country
        // (`President X`) holds that office in the one country the text sets
        // its story in, if there is just one.
        if !untitled.is_empty() {
            if let Some(c) = self.setting_country(text, &found) {
                for f in found.iter_mut() {
                    if f.id.starts_with("x:per:") {
                        if let Some(sector) = untitled.get(&f.start) {
                            f.affil = Some((c.clone(), sector.clone()));
                        }
                    }
                }
            }
        }

        self.group(text, found)
    }

    /// English: a word that only sounds like a KB person's surname (no
    /// spelling of theirs) and runs on into a further capitalised word is the
    /// first name of someone else (`Moody Awori` is not `Modi`).
    fn first_of_unknown_name(
        &self,
        text: &str,
        words: &[(usize, usize)],
        i: usize,
        id: &str,
    ) -> bool {
        let (s, e) = words[i];
        let w = &text[s..e];
        let stem = w.strip_suffix('s').unwrap_or(w);
        if self.kb.is_known_spelling(w)
            || self.kb.is_known_spelling(stem)
            || self.kb.get(id).is_none_or(|k| k.kind != Kind::Per)
        {
            return false;
        }
        words.get(i + 1).is_some_and(|&(a, b)| {
            &text[e..a] == " " && text[a..b].chars().next().is_some_and(char::is_uppercase)
        })
    }

    /// The one country a text is set in: the countries of its country
    /// adjectives, of possessives (`Haiti's`) and of places after a locative
    /// preposition (`in Sudan`, `in Algiers`). A state named bare may be the
    /// other party of an act (`threatened Russia`) and does not count; `None`
    /// when no country or more than one is set so.
    fn setting_country(&self, text: &str, found: &[Found]) -> Option<String> {
        let mut out: Option<String> = None;
        for f in found {
            let Some(k) = self.kb.get(&f.id) else {
                continue;
            };
            let Some(c) = k.country.as_deref().filter(|c| !c.is_empty()) else {
                continue;
            };
            let setting = match k.kind {
                Kind::Gpe | Kind::Loc => {
                    f.kind == "demonym" || {
                        let prev = text[..f.start]
                            .split_whitespace()
                            .next_back()
                            .map(key::fold)
                            .unwrap_or_default();
                        let rest = &text[f.end..];
                        LOCATIVE.contains(&prev.as_str())
                            || rest.starts_with("'s")
                            || rest.starts_with("’s")
                    }
                }
                _ => false,
            };
            if !setting {
                continue;
            }
            match &out {
                Some(o) if o != c => return None,
                _ => out = Some(c.to_string()),
            }
        }
        out
    }

    /// The country an adjective or a country name stands for.
    fn country_of(&self, w: &str) -> Option<String> {
        if let Some(c) = self.adjective(w) {
            return c.country.clone();
        }
        let w = w
            .strip_suffix('s')
            .filter(|_| self.kb.lookup(w).is_empty())
            .unwrap_or(w);
        self.kb
            .lookup(w)
            .into_iter()
            .find_map(|(e, _)| match e.kind {
                Kind::Gpe => e.country.clone(),
                Kind::Org if e.sector.as_deref() == Some("GOV") => e.country.clone(),
                _ => None,
            })
    }

    fn adjective(&self, w: &str) -> Option<&KbEntity> {
        if w.len() < 4 {
            return None;
        }
        self.kb.adjective_country(w)
    }

    /// A KB entity for a name at `start`: exact, else without a genitive `s`.
    fn resolve_name(
        &self,
        text: &str,
        start: usize,
        surface: &str,
    ) -> Option<(String, &'static str)> {
        self.resolve_keyed(text, start, surface, &key::name_key(surface))
    }

    /// [`Linker::resolve_name`] with the name key of `surface` computed.
    fn resolve_keyed(
        &self,
        text: &str,
        start: usize,
        surface: &str,
        nkey: &str,
    ) -> Option<(String, &'static str)> {
        let mut cands = self.kb.lookup_key(nkey);
        if cands.is_empty() {
            if let Some(stem) = nkey.strip_suffix('s') {
                cands = self.kb.lookup_key(stem);
            }
        }
        if cands.is_empty() {
            return None;
        }
        // A short single word that only shares a skeleton with a name is a
        // collision ("Das" / "Daesh"), not a spelling variant.
        if !surface.contains(' ')
            && surface.chars().count() < 5
            && !self.kb.is_known_spelling(surface)
        {
            let stem = surface.strip_suffix('s').unwrap_or(surface);
            if !self.kb.is_known_spelling(stem) && cands.iter().all(|(_, k)| *k == NameKind::Name) {
                return None;
            }
        }
        let prev = text[..start]
            .split_whitespace()
            .last()
            .map(|w| w.to_lowercase())
            .unwrap_or_default();
        let locative = LOCATIVE.contains(&prev.as_str());
        // A capital after a locative preposition is the city; else its state.
        let pick = |k: NameKind| cands.iter().find(|(_, nk)| *nk == k);
        let (e, nk) = if locative {
            cands
                .iter()
                .find(|(e, nk)| *nk == NameKind::Name && e.kind == Kind::Loc)
                .or_else(|| pick(NameKind::Name))
                .or_else(|| cands.first())?
        } else {
            pick(NameKind::Capital)
                .or_else(|| {
                    cands
                        .iter()
                        .find(|(e, nk)| *nk == NameKind::Name && e.kind != Kind::Loc)
                })
                .or_else(|| cands.first())?
        };
        let kind = match nk {
            NameKind::Demonym => "demonym",
            _ => "name",
        };
        Some((e.id.clone(), kind))
    }

    fn group(&self, text: &str, mut found: Vec<Found>) -> Vec<Entity> {
        found.sort_by_key(|f| (f.start, f.end));
        let mut order: Vec<String> = Vec::new();
        let mut by_id: HashMap<String, Entity> = HashMap::new();
        for f in found {
            let entity = by_id.entry(f.id.clone()).or_insert_with(|| {
                order.push(f.id.clone());
                match self.kb.get(&f.id) {
                    Some(k) => Entity {
                        id: k.id.clone(),
                        name: k.name.clone(),
                        kind: k.kind.as_str().to_string(),
                        country: k.country.clone(),
                        sector: k.sector.clone(),
                        mentions: Vec::new(),
                    },
                    None => {
                        let (ty, name) = f
                            .local
                            .clone()
                            .unwrap_or(("MISC".into(), text[f.start..f.end].to_string()));
                        Entity {
                            id: f.id.clone(),
                            name,
                            kind: ty,
                            country: None,
                            sector: None,
                            mentions: Vec::new(),
                        }
                    }
                }
            });
            if let Some((_, name)) = &f.local {
                if name.len() > entity.name.len() {
                    entity.name = name.clone();
                }
            }
            if let Some((c, sector)) = &f.affil {
                if entity.country.is_none() {
                    entity.country = Some(c.clone());
                    entity.sector = entity.sector.take().or_else(|| sector.clone());
                }
            }
            entity.mentions.push(Mention {
                start: f.start,
                end: f.end,
                text: text[f.start..f.end].to_string(),
                kind: f.kind.to_string(),
            });
        }
        order
            .into_iter()
            .filter_map(|id| by_id.remove(&id))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lagebild_model::Token;

    const COUNTRIES: &str = "RUS\tRU\tRussia\tRussland\tMoscow\tMoskau\tRussian\trussisch\tRussian|Russians\tRusse|Russen\tRussian Federation\nPRK\tKP\tNorth Korea\tNordkorea\tPyongyang\tPjöngjang\tNorth Korean\tnordkoreanisch\t\tNordkoreaner\tDVRK|DPRK\n";
    const PLACES: &str = "geo:524901\tMoscow\tMoskau\tRUS\tcapital\tMoskva\n";
    const PEOPLE: &str = "per:sergei-lavrov\tPER\tSergei Lavrov\tRUS\tGOV\tforeign_minister@2004-\tSergej Lawrow|Lawrow|Lavrov\nper:choe-son-hui\tPER\tChoe Son Hui\tPRK\tGOV\tforeign_minister@2022-\tCho Son-hui\norg:kremlin\tORG\tKremlin\tRUS\tGOV\t\tKreml\nper:dmitry-peskov\tPER\tDmitry Peskov\tRUS\tGOV\tspokesperson@2008-\tDmitri Peskow|Peskow\n";
    const TITLES: &str = "de\tAußenminister\tforeign_minister\tGOV\nde\tAußenministerin\tforeign_minister\tGOV\nde\tSprecher\tspokesperson\tGOV\n";

    fn kb() -> Kb {
        Kb::from_files(&[
            ("kb/countries.tsv", COUNTRIES),
            ("kb/places.tsv", PLACES),
            ("kb/entities.tsv", PEOPLE),
            ("kb/titles.tsv", TITLES),
        ])
        .unwrap()
    }

    /// A whitespace tokenizer good enough for these tests (punctuation split off).
    fn doc(text: &str) -> Document {
        let mut tokens = Vec::new();
        let mut start = None;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            let word = c.is_alphanumeric() || c == '-' || c == '’';
            match (word, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    tokens.push(Token {
                        start: s,
                        end: i,
                        kind: TokenKind::Word,
                    });
                    start = None;
                }
                _ => {}
            }
            if !word && !c.is_whitespace() && i < text.len() {
                tokens.push(Token {
                    start: i,
                    end: i + c.len_utf8(),
                    kind: TokenKind::Punct,
                });
            }
        }
        Document {
            text: text.into(),
            tokens,
            published: Some("2024-11-01".into()),
            ..Default::default()
        }
    }

    fn ids(ents: &[Entity]) -> Vec<(String, Vec<(String, String)>)> {
        ents.iter()
            .map(|e| {
                (
                    e.id.clone(),
                    e.mentions
                        .iter()
                        .map(|m| (m.text.clone(), m.kind.clone()))
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn variants_demonyms_and_capitals() {
        let kb = kb();
        let d = doc("Sergej Lawrow empfing die nordkoreanische Delegation. Moskau bestreitet alles, sagte Lavrov in Moskau. Die DVRK schwieg.");
        let ents = Linker::new(&kb).link(&d, &[]);
        let got = ids(&ents);
        assert_eq!(got[0].0, "per:sergei-lavrov");
        assert_eq!(
            got[0].1,
            vec![
                ("Sergej Lawrow".into(), "name".into()),
                ("Lavrov".into(), "name".into())
            ]
        );
        let prk = got.iter().find(|(id, _)| id == "gpe:PRK").unwrap();
        assert_eq!(
            prk.1,
            vec![
                ("nordkoreanische".into(), "demonym".into()),
                ("DVRK".into(), "name".into())
            ]
        );
        let rus = got.iter().find(|(id, _)| id == "gpe:RUS").unwrap();
        assert_eq!(
            rus.1,
            vec![("Moskau".into(), "name".into())],
            "the first Moskau is the government"
        );
        assert!(
            got.iter()
                .any(|(id, m)| id == "geo:524901" && m[0].0 == "Moskau"),
            "in Moskau is the city"
        );
    }

    #[test]
    fn titles_resolve_to_office_holders_and_introduced_people() {
        let kb = kb();
        let d = doc("Der russische Außenminister kam. Die Außenministerin Choe Son Hui lobte ihn. Später sprach die Außenministerin erneut. Der Kreml-Sprecher schwieg.");
        let ents = Linker::new(&kb).link(&d, &[]);
        let got = ids(&ents);
        let lavrov = got
            .iter()
            .find(|(id, _)| id == "per:sergei-lavrov")
            .unwrap();
        assert_eq!(lavrov.1, vec![("Außenminister".into(), "title".into())]);
        let choe = got.iter().find(|(id, _)| id == "per:choe-son-hui").unwrap();
        assert_eq!(choe.1.len(), 2, "{choe:?}");
        assert_eq!(choe.1[1], ("Außenministerin".into(), "title".into()));
        let peskov = got
            .iter()
            .find(|(id, _)| id == "per:dmitry-peskov")
            .unwrap();
        assert_eq!(peskov.1[0].1, "title");
    }

    #[test]
    fn a_titled_person_outside_the_kb_takes_the_titles_country() {
        let kb = Kb::from_files(&[
            ("kb/countries.tsv", COUNTRIES),
            ("kb/places.tsv", PLACES),
            ("kb/entities.tsv", PEOPLE),
            (
                "kb/titles.tsv",
                "en\tforeign minister\tforeign_minister\tGOV\nen\tpresident\thead_of_state\tGOV\n",
            ),
        ])
        .unwrap();
        let span = |text: &str, w: &str| {
            let s = text.find(w).unwrap();
            (s, s + w.len(), "PER".to_string())
        };
        // the title names the person after it, not the KB's office holder
        let text = "Russian Foreign Minister Ivan Petrovsky met North Korean officials.";
        let ents = Linker::new(&kb).link(&doc(text), &[span(text, "Ivan Petrovsky")]);
        let ivan = ents.iter().find(|e| e.name == "Ivan Petrovsky").unwrap();
        assert_eq!(ivan.country.as_deref(), Some("RUS"));
        assert_eq!(ivan.sector.as_deref(), Some("GOV"));
        assert!(
            !ents.iter().any(|e| e.id == "per:sergei-lavrov"),
            "{ents:?}"
        );

        // no country before the title: the one country the text is set in
        let text = "President Ivan Petrovsky imposed a curfew in Moscow.";
        let ents = Linker::new(&kb).link(&doc(text), &[span(text, "Ivan Petrovsky")]);
        let ivan = ents.iter().find(|e| e.name == "Ivan Petrovsky").unwrap();
        assert_eq!(ivan.country.as_deref(), Some("RUS"));
        // … but not a state named bare (the other party) nor two countries
        for text in [
            "President Ivan Petrovsky threatened Russia.",
            "President Ivan Petrovsky spoke in Moscow about North Korean troops.",
        ] {
            let ents = Linker::new(&kb).link(&doc(text), &[span(text, "Ivan Petrovsky")]);
            let ivan = ents.iter().find(|e| e.name == "Ivan Petrovsky").unwrap();
            assert_eq!(ivan.country, None, "{text}");
        }
    }

    #[test]
    fn a_sound_alike_surname_running_on_into_a_name_is_someone_else() {
        let kb = kb();
        let link = |text: &str| {
            let mut d = doc(text);
            d.language = "en".into();
            Linker::new(&kb).link(&d, &[])
        };
        let lavrov = |ents: &[Entity]| ents.iter().any(|e| e.id == "per:sergei-lavrov");
        assert!(
            lavrov(&link("Lavrow arrived on Monday.")),
            "a variant alone links"
        );
        assert!(
            lavrov(&link("Lavrov Smith arrived.")),
            "a known spelling links"
        );
        assert!(!lavrov(&link("Lavrow Smith arrived on Monday.")));
    }

    #[test]
    fn ner_spans_link_near_misses_and_local_surnames() {
        let kb = kb();
        let text = "Lawro kam. Robert Shonov wurde verhaftet. Shonov schwieg. Lawrows Reise.";
        let d = doc(text);
        let span = |w: &str, ty: &str| {
            let s = text.find(w).unwrap();
            (s, s + w.len(), ty.to_string())
        };
        let ner = vec![
            span("Lawro", "PER"),
            span("Robert Shonov", "PER"),
            span("Shonov schwieg", "PER"),
        ];
        let mut ner = ner;
        ner[2] = (
            text.rfind("Shonov").unwrap(),
            text.rfind("Shonov").unwrap() + 6,
            "PER".into(),
        );
        let ents = Linker::new(&kb).link(&d, &ner);
        let got = ids(&ents);
        let lavrov = got
            .iter()
            .find(|(id, _)| id == "per:sergei-lavrov")
            .unwrap();
        assert_eq!(
            lavrov.1.len(),
            2,
            "Lawro (near miss) and Lawrows (genitive): {got:?}"
        );
        let shonov = got.iter().find(|(id, _)| id.starts_with("x:per:")).unwrap();
        assert_eq!(shonov.1.len(), 2, "surname joins the full name: {got:?}");
        let e = ents.iter().find(|e| e.id == shonov.0).unwrap();
        assert_eq!(e.name, "Robert Shonov");
        assert_eq!(e.kind, "PER");
    }
}
