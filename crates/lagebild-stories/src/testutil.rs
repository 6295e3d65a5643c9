//! Builders for small hand-made documents in the unit tests.

use lagebild_model::{Document, Entity, Event, Mention, Time};

/// A document with a text, a language and a publication date.
pub fn doc(id: &str, lang: &str, published: Option<&str>, text: &str) -> Document {
    Document {
        id: id.into(),
        language: lang.into(),
        published: published.map(str::to_string),
        text: text.into(),
        ..Document::default()
    }
}

/// Adds an entity with one mention per occurrence of `surface` in the text.
pub fn entity(d: &mut Document, id: &str, surface: &str) {
    let mentions: Vec<Mention> = d
        .text
        .match_indices(surface)
        .map(|(i, m)| Mention {
            start: i,
            end: i + m.len(),
            text: m.to_string(),
            kind: "name".into(),
        })
        .collect();
    d.entities.push(Entity {
        id: id.into(),
        name: surface.into(),
        kind: "PER".into(),
        country: None,
        sector: None,
        mentions,
    });
}

/// Adds a time expression at the first occurrence of `surface`, else at 0.
pub fn time(d: &mut Document, surface: &str, value: &str) {
    let start = d.text.find(surface).unwrap_or(0);
    let end = if d.text[start..].starts_with(surface) {
        start + surface.len()
    } else {
        start
    };
    d.times.push(Time {
        text: d.text[start..end].to_string(),
        start,
        end,
        kind: "DATE".into(),
        value: value.into(),
    });
}

/// Adds an event over the whole text.
pub fn event(d: &mut Document, kind: &str, actors: &[&str], recipients: &[&str], date: &str) {
    d.events.push(Event {
        kind: kind.into(),
        mode: None,
        context: Vec::new(),
        actors: actors.iter().map(|s| s.to_string()).collect(),
        recipients: recipients.iter().map(|s| s.to_string()).collect(),
        location: None,
        date: Some(date.into()),
        modality: "asserted".into(),
        claimed_by: None,
        cameo: None,
        goldstein: None,
        start: 0,
        end: d.text.len(),
        sentence: d.text.chars().take(40).collect(),
    });
}
