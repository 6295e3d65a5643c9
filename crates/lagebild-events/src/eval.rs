//! Event evaluation: readers for the PLOVER gold-standard records (the
//! normalised JSON Lines with PLOVER 2.0 labels) and the project's German/English
//! smoke set, and the scorer: event-type accuracy, actor and recipient country
//! precision/recall/F1, mode accuracy, and must-not-emit violations.

use std::collections::HashSet;

use lagebild_model::{Document, Prf};
use serde_json::Value;

/// One gold event: type, mode and the country (or IGO/NGO) codes of its parties.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldEvent {
    pub plover: String,
    pub mode: Option<String>,
    pub actors: Vec<String>,
    pub recipients: Vec<String>,
    pub modality: Option<String>,
}

/// An event that must not come out as an asserted fact.
#[derive(Debug, Clone, PartialEq)]
pub struct Forbidden {
    pub plover: String,
    pub actor: String,
    pub recipient: Option<String>,
}

/// One gold sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldRecord {
    pub id: String,
    pub lang: String,
    pub text: String,
    pub events: Vec<GoldEvent>,
    pub must_not: Vec<Forbidden>,
}

/// Country codes of the gold sets that are not ISO 3166 alpha-3.
fn normalise_code(code: &str) -> String {
    let c = code.trim().to_uppercase();
    match c.as_str() {
        "JAP" => "JPN".into(),
        "ITL" => "ITA".into(),
        "UK" => "GBR".into(),
        "GER" => "DEU".into(),
        // country + sector codes (`RUSGOV`): the country part
        _ if c.len() == 6 && c.chars().all(|ch| ch.is_ascii_uppercase()) => c[..3].to_string(),
        _ => c,
    }
}

fn codes(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.get("code").and_then(Value::as_str))
                .filter(|c| !c.is_empty() && *c != "---")
                .map(normalise_code)
                .collect()
        })
        .unwrap_or_default()
}

fn parse_lines(
    text: &str,
    mut f: impl FnMut(&Value) -> Option<GoldRecord>,
) -> Result<Vec<GoldRecord>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| format!("line {}: {e}", i + 1))?;
        match f(&v) {
            Some(r) => out.push(r),
            None => return Err(format!("line {}: missing id or text", i + 1)),
        }
    }
    Ok(out)
}

/// The PLOVER GSR in its normalised JSON Lines form (`event_plover_2` labels).
pub fn read_plover_gsr(text: &str) -> Result<Vec<GoldRecord>, String> {
    parse_lines(text, |v| {
        let plover = v
            .get("event_plover_2")
            .and_then(Value::as_str)
            .or_else(|| v.get("event_plover_0_5").and_then(Value::as_str))?;
        Some(GoldRecord {
            id: v.get("id")?.as_str()?.to_string(),
            lang: v
                .get("lang")
                .and_then(Value::as_str)
                .unwrap_or("en")
                .to_string(),
            text: v.get("text")?.as_str()?.to_string(),
            events: vec![GoldEvent {
                plover: plover.to_string(),
                mode: v.get("mode").and_then(Value::as_str).map(str::to_string),
                actors: codes(v.get("actor")),
                recipients: codes(v.get("recipient")),
                modality: None,
            }],
            must_not: Vec::new(),
        })
    })
}

/// The German/English smoke set (`events` lists and `must_not_emit_as_fact`).
pub fn read_seed_set(text: &str) -> Result<Vec<GoldRecord>, String> {
    parse_lines(text, |v| {
        let events = v
            .get("events")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|e| {
                        Some(GoldEvent {
                            plover: e.get("plover")?.as_str()?.to_string(),
                            mode: e.get("mode").and_then(Value::as_str).map(str::to_string),
                            actors: codes(e.get("actor")),
                            recipients: codes(e.get("recipient")),
                            modality: e
                                .get("modality")
                                .and_then(Value::as_str)
                                .map(str::to_string),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let must_not = v
            .get("must_not_emit_as_fact")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|e| {
                        Some(Forbidden {
                            plover: e.get("plover")?.as_str()?.to_string(),
                            actor: normalise_code(e.get("actor")?.as_str()?),
                            recipient: e
                                .get("recipient")
                                .and_then(Value::as_str)
                                .map(normalise_code),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(GoldRecord {
            id: v.get("id")?.as_str()?.to_string(),
            lang: v
                .get("lang")
                .and_then(Value::as_str)
                .unwrap_or("de")
                .to_string(),
            text: v.get("text")?.as_str()?.to_string(),
            events,
            must_not,
        })
    })
}

/// The country (or `IGO`/`NGO`) an entity id stands for in `doc`.
pub fn country_of(doc: &Document, id: &str) -> Option<String> {
    if let Some(c) = id.strip_prefix("gpe:") {
        return Some(c.to_string());
    }
    let e = doc.entities.iter().find(|e| e.id == id)?;
    e.country
        .clone()
        .filter(|c| !c.is_empty())
        .or_else(|| e.sector.clone().filter(|s| s == "IGO" || s == "NGO"))
}

/// Scores over a set of records.
#[derive(Debug, Clone, Default)]
pub struct EventReport {
    pub records: usize,
    /// records where the system emitted at least one event
    pub emitted: usize,
    pub type_correct: usize,
    /// records whose type was right and whose gold mode is known (incl. none)
    pub mode_total: usize,
    pub mode_correct: usize,
    pub actor: Prf,
    pub recipient: Prf,
    /// forbidden events that came out as asserted facts: (record id, type)
    pub violations: Vec<(String, String)>,
    /// per-record outcome: (id, gold type, system type or "-")
    pub confusions: Vec<(String, String, String)>,
}

impl EventReport {
    pub fn type_accuracy(&self) -> f64 {
        lagebild_model::ratio(self.type_correct, self.records)
    }
    pub fn mode_accuracy(&self) -> f64 {
        lagebild_model::ratio(self.mode_correct, self.mode_total)
    }
}

/// Score analysed documents against records (same order, one document per
/// record). Each record's gold event is compared with the system's event of
/// the same type if there is one, else its first event; countries are compared
/// as sets.
pub fn score(records: &[GoldRecord], docs: &[Document]) -> EventReport {
    let mut r = EventReport::default();
    for (rec, doc) in records.iter().zip(docs) {
        for f in &rec.must_not {
            for ev in &doc.events {
                let actors: HashSet<String> = ev
                    .actors
                    .iter()
                    .filter_map(|a| country_of(doc, a))
                    .collect();
                let recips: HashSet<String> = ev
                    .recipients
                    .iter()
                    .filter_map(|a| country_of(doc, a))
                    .collect();
                if ev.kind == f.plover
                    && ev.modality == "asserted"
                    && actors.contains(&f.actor)
                    && f.recipient.as_ref().is_none_or(|x| recips.contains(x))
                {
                    r.violations.push((rec.id.clone(), ev.kind.clone()));
                }
            }
        }
        for gold in &rec.events {
            r.records += 1;
            if !doc.events.is_empty() {
                r.emitted += 1;
            }
            let sys = doc
                .events
                .iter()
                .find(|e| e.kind == gold.plover)
                .or_else(|| doc.events.first());
            r.confusions.push((
                rec.id.clone(),
                gold.plover.clone(),
                sys.map_or("-".to_string(), |e| e.kind.clone()),
            ));
            let ga: HashSet<String> = gold.actors.iter().cloned().collect();
            let gr: HashSet<String> = gold.recipients.iter().cloned().collect();
            let (sa, sr): (HashSet<String>, HashSet<String>) = match sys {
                Some(e) => (
                    e.actors.iter().filter_map(|a| country_of(doc, a)).collect(),
                    e.recipients
                        .iter()
                        .filter_map(|a| country_of(doc, a))
                        .collect(),
                ),
                None => Default::default(),
            };
            r.actor.add_sets(&ga, &sa);
            r.recipient.add_sets(&gr, &sr);
            if let Some(e) = sys.filter(|e| e.kind == gold.plover) {
                r.type_correct += 1;
                r.mode_total += 1;
                if e.mode == gold.mode {
                    r.mode_correct += 1;
                }
            }
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use lagebild_model::{Entity, Event};

    fn ev(kind: &str, actors: &[&str], recips: &[&str], modality: &str) -> Event {
        Event {
            kind: kind.into(),
            mode: None,
            context: vec![],
            actors: actors.iter().map(|s| s.to_string()).collect(),
            recipients: recips.iter().map(|s| s.to_string()).collect(),
            location: None,
            date: None,
            modality: modality.into(),
            claimed_by: None,
            cameo: None,
            goldstein: None,
            start: 0,
            end: 0,
            sentence: String::new(),
        }
    }

    #[test]
    fn reads_both_formats_and_scores() {
        let gsr = r#"{"id":"a","lang":"en","text":"X met Y.","event_plover_2":"CONSULT","mode":null,"actor":[{"text":"X","code":"JAP"}],"recipient":[{"text":"Y","code":"USA"}]}"#;
        let recs = read_plover_gsr(gsr).unwrap();
        assert_eq!(recs[0].events[0].actors, vec!["JPN"]);
        let seed = r#"{"id":"s","lang":"de","text":"t","events":[],"must_not_emit_as_fact":[{"plover":"AID","actor":"PRK","recipient":"RUS"}]}"#;
        let seeds = read_seed_set(seed).unwrap();
        assert_eq!(seeds[0].must_not[0].actor, "PRK");

        let mut doc = Document::default();
        doc.entities.push(Entity {
            id: "per:x".into(),
            name: "X".into(),
            kind: "PER".into(),
            country: Some("JPN".into()),
            sector: None,
            mentions: vec![],
        });
        doc.events.push(ev(
            "CONSULT",
            &["per:x"],
            &["gpe:USA", "gpe:KOR"],
            "asserted",
        ));
        let r = score(&recs, std::slice::from_ref(&doc));
        assert_eq!(r.type_correct, 1);
        assert_eq!(r.actor.tp, 1);
        assert_eq!((r.recipient.tp, r.recipient.fp), (1, 1));
        assert_eq!(r.mode_correct, 1);

        let mut d2 = Document::default();
        d2.events
            .push(ev("AID", &["gpe:PRK"], &["gpe:RUS"], "asserted"));
        assert_eq!(score(&seeds, std::slice::from_ref(&d2)).violations.len(), 1);
        d2.events[0].modality = "alleged".into();
        assert!(score(&seeds, &[d2]).violations.is_empty());
    }

    #[test]
    fn bad_json_names_the_line() {
        let e = read_plover_gsr("{}\n{").unwrap_err();
        assert!(e.starts_with("line 1"), "{e}");
    }
}
