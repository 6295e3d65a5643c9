//! The query methods of the store over a small hand-written corpus: entity
//! profiles, quotes by speaker, event filters, stories, timelines, networks,
//! paging, and re-analysis replacing the derived rows.

use lagebild_model::{Document, Entity, Event, Mention, Quote, Sentence};
use lagebild_store::*;

/// A document whose entities are found by their surface forms in `text`
/// (every occurrence), with one sentence per `.`-terminated piece.
struct DocBuilder {
    doc: Document,
}

impl DocBuilder {
    fn new(id: &str, published: &str, text: &str) -> Self {
        let mut sentences = Vec::new();
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if c == '.' {
                sentences.push(Sentence {
                    start,
                    end: i + 1,
                    first_token: 0,
                    end_token: 0,
                });
                start = i + 1;
                while text[start..].starts_with(' ') {
                    start += 1;
                }
            }
        }
        DocBuilder {
            doc: Document {
                id: id.into(),
                language: "de".into(),
                title: Some(format!("Titel {id}")),
                published: Some(published.into()),
                text: text.into(),
                sentences,
                ..Default::default()
            },
        }
    }

    fn entity(
        mut self,
        id: &str,
        name: &str,
        kind: &str,
        country: Option<&str>,
        forms: &[&str],
    ) -> Self {
        let mut mentions = Vec::new();
        for f in forms {
            for (at, _) in self.doc.text.match_indices(f) {
                mentions.push(Mention {
                    start: at,
                    end: at + f.len(),
                    text: f.to_string(),
                    kind: "name".into(),
                });
            }
        }
        assert!(!mentions.is_empty(), "{f:?} not in text", f = forms);
        self.doc.entities.push(Entity {
            id: id.into(),
            name: name.into(),
            kind: kind.into(),
            country: country.map(str::to_string),
            sector: None,
            mentions,
        });
        self
    }

    fn quote(mut self, text: &str, speaker: Option<&str>) -> Self {
        let start = self.doc.text.find(text).expect("quote in text");
        self.doc.quotes.push(Quote {
            text: text.into(),
            start,
            end: start + text.len(),
            kind: "direct".into(),
            speaker: speaker.map(str::to_string),
            speaker_text: None,
            cue: Some("sagte".into()),
        });
        self
    }

    #[allow(clippy::too_many_arguments)]
    fn event(
        mut self,
        kind: &str,
        actors: &[&str],
        recipients: &[&str],
        date: Option<&str>,
        modality: &str,
        sentence: &str,
    ) -> Self {
        let start = self.doc.text.find(sentence).expect("sentence in text");
        self.doc.events.push(Event {
            kind: kind.into(),
            mode: None,
            context: vec![],
            actors: actors.iter().map(|s| s.to_string()).collect(),
            recipients: recipients.iter().map(|s| s.to_string()).collect(),
            location: None,
            date: date.map(str::to_string),
            modality: modality.into(),
            claimed_by: None,
            cameo: Some("036".into()),
            goldstein: Some(4.0),
            start,
            end: start + sentence.len(),
            sentence: sentence.into(),
        });
        self
    }

    fn build(self) -> Incoming {
        assert_eq!(self.doc.validate(), Ok(()));
        Incoming::new(self.doc, None)
    }
}

const LAWROW: &str = "per:lawrow";
const CHOE: &str = "per:choe";
const RUS: &str = "gpe:RUS";
const PRK: &str = "gpe:PRK";

fn corpus() -> Vec<Incoming> {
    vec![
        DocBuilder::new(
            "d1",
            "2024-10-30",
            "Lawrow empfing Choe in Moskau. Russland sagte Hilfe zu.",
        )
        .entity(LAWROW, "Sergej Lawrow", "PER", Some("RUS"), &["Lawrow"])
        .entity(CHOE, "Choe Son-hui", "PER", Some("PRK"), &["Choe"])
        .entity(RUS, "Russland", "GPE", Some("RUS"), &["Moskau", "Russland"])
        .event(
            "CONSULT",
            &[LAWROW],
            &[CHOE],
            Some("2024-10-29"),
            "asserted",
            "Lawrow empfing Choe in Moskau.",
        )
        .event(
            "COOPERATE",
            &[RUS],
            &[PRK],
            None,
            "future",
            "Russland sagte Hilfe zu.",
        )
        .build(),
        DocBuilder::new(
            "d2",
            "2024-11-02",
            "Sergej Lawrow sagte: Wir stehen zusammen. Der Minister Lawrow reiste ab.",
        )
        .entity(
            LAWROW,
            "Sergej Lawrow",
            "PER",
            Some("RUS"),
            &["Sergej Lawrow", "Minister Lawrow"],
        )
        .quote("Wir stehen zusammen.", Some(LAWROW))
        .event(
            "DEPART",
            &[LAWROW],
            &[],
            None,
            "asserted",
            "Der Minister Lawrow reiste ab.",
        )
        .build(),
        DocBuilder::new(
            "d3",
            "2024-11-05",
            "Nordkorea bestritt Truppenverlegungen. Choe sagte: Alles Lüge.",
        )
        .entity(PRK, "Nordkorea", "GPE", Some("PRK"), &["Nordkorea"])
        .entity(CHOE, "Choe Son-hui", "PER", Some("PRK"), &["Choe"])
        .quote("Alles Lüge.", Some(CHOE))
        .event(
            "REJECT",
            &[PRK],
            &[RUS],
            None,
            "denied",
            "Nordkorea bestritt Truppenverlegungen.",
        )
        .build(),
        DocBuilder::new("d4", "2024-11-05", "Ein Text ohne Namen. Er sagt: nichts.")
            .quote("nichts.", None)
            .build(),
    ]
}

mod common;
use common::DynStore;

fn fill(mut s: DynStore) -> DynStore {
    let out = s.put_batch(&corpus()).unwrap();
    assert!(out.iter().all(|o| *o == PutOutcome::New), "{out:?}");
    s
}

fn entity_profile_has_variants_time_series_and_cooccurrences(empty: DynStore) {
    let s = fill(empty);
    let p = s.entity(LAWROW).unwrap().expect("stored");
    assert_eq!(p.entity.name, "Sergej Lawrow");
    assert_eq!(p.entity.documents, 2);
    assert_eq!(p.entity.mentions, 3);
    assert_eq!(
        p.variants,
        vec![
            Variant {
                text: "Lawrow".into(),
                count: 1
            },
            Variant {
                text: "Minister Lawrow".into(),
                count: 1
            },
            Variant {
                text: "Sergej Lawrow".into(),
                count: 1
            },
        ]
    );
    assert_eq!(p.first.as_deref(), Some("2024-10-30"));
    assert_eq!(p.last.as_deref(), Some("2024-11-02"));
    assert_eq!(
        p.mentions_by_month,
        vec![
            Bucket {
                date: "2024-10".into(),
                count: 1
            },
            Bucket {
                date: "2024-11".into(),
                count: 2
            },
        ]
    );
    assert_eq!(p.mentions_by_day.len(), 2);
    // Choe and Russland share document d1 with Lawrow; Choe also his sentence.
    let co: Vec<(&str, u64, u64)> = p
        .cooccurring
        .iter()
        .map(|c| (c.id.as_str(), c.documents, c.sentences))
        .collect();
    assert_eq!(co, vec![(RUS, 1, 1), (CHOE, 1, 1)]);
    assert!(s.entity("per:nobody").unwrap().is_none());

    let all = s.entities(Page::first(10)).unwrap();
    let ids: Vec<&str> = all.items.iter().map(|e| e.id.as_str()).collect();
    // by documents (2, 2, 1, 1), then id
    assert_eq!(ids, vec![CHOE, LAWROW, PRK, RUS]);
}

fn quotes_by_speaker_newest_first(empty: DynStore) {
    let s = fill(empty);
    let q = s
        .quotes(
            &QuoteFilter {
                speaker: Some(LAWROW.into()),
                ..Default::default()
            },
            Page::first(10),
        )
        .unwrap();
    assert_eq!(q.items.len(), 1);
    assert_eq!(q.items[0].text, "Wir stehen zusammen.");
    assert_eq!(q.items[0].speaker_name.as_deref(), Some("Sergej Lawrow"));
    assert_eq!(q.items[0].doc, "d2");
    let all = s.quotes(&QuoteFilter::default(), Page::first(10)).unwrap();
    let docs: Vec<&str> = all.items.iter().map(|q| q.doc.as_str()).collect();
    assert_eq!(docs, vec!["d3", "d4", "d2"]);
}

fn event_types(s: &DynStore, f: EventFilter) -> Vec<String> {
    s.events(&f, Page::first(50))
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

fn events_filter_by_actor_recipient_type_country_dates_and_modality(empty: DynStore) {
    let s = fill(empty);
    // all, by day: the CONSULT is dated 2024-10-29 by its own date
    assert_eq!(
        event_types(&s, EventFilter::default()),
        vec!["CONSULT", "COOPERATE", "DEPART", "REJECT"]
    );
    let f = |f: EventFilter| event_types(&s, f);
    assert_eq!(
        f(EventFilter {
            actor: Some(LAWROW.into()),
            ..Default::default()
        }),
        vec!["CONSULT", "DEPART"]
    );
    assert_eq!(
        f(EventFilter {
            recipient: Some(CHOE.into()),
            ..Default::default()
        }),
        vec!["CONSULT"]
    );
    assert_eq!(
        f(EventFilter {
            actor: Some(CHOE.into()),
            ..Default::default()
        }),
        Vec::<String>::new()
    );
    assert_eq!(
        f(EventFilter {
            party: Some(RUS.into()),
            ..Default::default()
        }),
        vec!["COOPERATE", "REJECT"]
    );
    assert_eq!(
        f(EventFilter {
            kind: Some("REJECT".into()),
            ..Default::default()
        }),
        vec!["REJECT"]
    );
    // PRK: Choe (recipient of CONSULT), Nordkorea (recipient of COOPERATE, actor of REJECT)
    assert_eq!(
        f(EventFilter {
            country: Some("PRK".into()),
            ..Default::default()
        }),
        vec!["CONSULT", "COOPERATE", "REJECT"]
    );
    assert_eq!(
        f(EventFilter {
            from: Some("2024-10-30".into()),
            to: Some("2024-11-02".into()),
            ..Default::default()
        }),
        vec!["COOPERATE", "DEPART"]
    );
    assert_eq!(
        f(EventFilter {
            modality: Some("denied".into()),
            ..Default::default()
        }),
        vec!["REJECT"]
    );
    assert_eq!(
        f(EventFilter {
            actor: Some(LAWROW.into()),
            from: Some("2024-11-01".into()),
            ..Default::default()
        }),
        vec!["DEPART"]
    );
    let ev = &s
        .events(&EventFilter::default(), Page::first(1))
        .unwrap()
        .items[0];
    assert_eq!(ev.actors[0].name.as_deref(), Some("Sergej Lawrow"));
    assert_eq!(ev.recipients[0].country.as_deref(), Some("PRK"));
    assert_eq!(ev.day.as_deref(), Some("2024-10-29"));
    assert_eq!(ev.doc, "d1");
    // export cursor: ids ascending, after the given one
    let all = s.events_after(&EventFilter::default(), 0, 100).unwrap();
    assert_eq!(all.len(), 4);
    let rest = s
        .events_after(&EventFilter::default(), all[1].id, 100)
        .unwrap();
    assert_eq!(rest.len(), 2);
    assert!(rest[0].id > all[1].id);
}

fn pages_are_stable_and_complete(empty: DynStore) {
    let s = fill(empty);
    let p1 = s.documents(Page::new(3, 0)).unwrap();
    assert_eq!(p1.next_offset, Some(3));
    let p2 = s.documents(Page::new(3, 3)).unwrap();
    assert_eq!(p2.next_offset, None);
    let ids: Vec<&str> = p1
        .items
        .iter()
        .chain(&p2.items)
        .map(|d| d.id.as_str())
        .collect();
    // newest first, same day by id
    assert_eq!(ids, vec!["d3", "d4", "d2", "d1"]);
    // three documents hold "sagte"; PostgreSQL's German stemmer also finds
    // the fourth's "sagt"
    let total = s.search("sagte", 50).unwrap().len();
    assert!((3..=4).contains(&total), "{total}");
    let hits = s.search_page("sagte", Page::new(2, 0)).unwrap();
    assert_eq!(hits.items.len(), 2);
    assert_eq!(hits.next_offset, Some(2));
    let more = s.search_page("sagte", Page::new(2, 2)).unwrap();
    assert_eq!(more.items.len(), total - 2);
    assert!(hits.items.iter().all(|h| h.id != more.items[0].id));
    let json = s.documents_json(None, 2).unwrap();
    assert_eq!(
        json.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
        vec!["d1", "d2"]
    );
    let json = s.documents_json(Some("d2"), 10).unwrap();
    assert_eq!(
        json.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
        vec!["d3", "d4"]
    );
    let doc: Document = serde_json::from_str(&json[0].1).unwrap();
    assert_eq!(doc.events.len(), 1);
}

fn reanalysis_replaces_derived_rows(empty: DynStore) {
    let mut s = fill(empty);
    // d1 again with other text: only Choe, no events, one quote
    let again = DocBuilder::new("d1", "2024-10-30", "Choe sagte: Neu.")
        .entity(CHOE, "Choe Son-hui", "PER", Some("PRK"), &["Choe"])
        .quote("Neu.", Some(CHOE))
        .build();
    assert_eq!(s.put_batch(&[again]).unwrap(), vec![PutOutcome::Updated]);
    let lawrow = s.entity(LAWROW).unwrap().unwrap();
    assert_eq!(lawrow.entity.documents, 1, "only d2 is left");
    assert_eq!(lawrow.entity.mentions, 2);
    assert!(lawrow.cooccurring.is_empty());
    let rus = s.entity(RUS).unwrap().unwrap();
    assert_eq!(rus.entity.documents, 0);
    assert!(s
        .entities(Page::first(10))
        .unwrap()
        .items
        .iter()
        .all(|e| e.id != RUS));
    assert_eq!(
        event_types(&s, EventFilter::default()),
        vec!["DEPART", "REJECT"],
        "the events of the old analysis are gone"
    );
    let q = s
        .quotes(
            &QuoteFilter {
                speaker: Some(CHOE.into()),
                ..Default::default()
            },
            Page::first(10),
        )
        .unwrap();
    assert_eq!(
        q.items.iter().map(|q| q.text.as_str()).collect::<Vec<_>>(),
        vec!["Alles Lüge.", "Neu."]
    );
}

fn stories_are_written_listed_and_detailed(empty: DynStore) {
    let mut s = fill(empty);
    s.upsert_story(&StoryRecord {
        id: "s1".into(),
        title: Some("Lawrow und Choe".into()),
        first: None,
        last: None,
    })
    .unwrap();
    s.upsert_story(&StoryRecord {
        id: "s2".into(),
        title: Some("Anderes".into()),
        first: Some("2024-12-01".into()),
        last: Some("2024-12-01".into()),
    })
    .unwrap();
    s.assign_story("d1", "s1").unwrap();
    s.assign_story("d2", "s1").unwrap();
    s.assign_story("d4", "s2").unwrap();
    assert!(matches!(
        s.assign_story("nope", "s1"),
        Err(StoreError::UnknownId {
            what: "document",
            ..
        })
    ));
    assert!(matches!(
        s.assign_story("d1", "nope"),
        Err(StoreError::UnknownId { what: "story", .. })
    ));

    let list = s.stories(Page::first(10)).unwrap();
    let ids: Vec<&str> = list.items.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, vec!["s2", "s1"], "latest last date first");
    let s1 = &list.items[1];
    assert_eq!(s1.documents, vec!["d2", "d1"]);
    assert_eq!(
        s1.first.as_deref(),
        Some("2024-10-30"),
        "from the documents"
    );
    assert_eq!(s1.last.as_deref(), Some("2024-11-02"));
    assert_eq!(s1.entities[0], LAWROW, "in both documents");

    let d = s.story("s1").unwrap().unwrap();
    assert_eq!(
        d.sources.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
        vec!["d1", "d2"]
    );
    assert_eq!(
        d.timeline
            .iter()
            .map(|e| e.kind.as_str())
            .collect::<Vec<_>>(),
        vec!["CONSULT", "COOPERATE", "DEPART"]
    );
    assert_eq!(d.quotes.len(), 1);
    assert_eq!(d.entity_counts[0].id, LAWROW);
    assert_eq!(d.entity_counts[0].documents, 2);
    assert_eq!(d.sources[0].story.as_deref(), Some("s1"));
    assert!(s.story("nope").unwrap().is_none());

    // moving a document
    s.assign_story("d2", "s2").unwrap();
    assert_eq!(s.story("s1").unwrap().unwrap().story.documents, vec!["d1"]);

    // a clustering run replaces everything, or nothing when it names an unknown document
    assert!(s
        .replace_stories(&[(
            StoryRecord {
                id: "x".into(),
                title: None,
                first: None,
                last: None
            },
            vec!["zzz".into()]
        )])
        .is_err());
    assert_eq!(
        s.stories(Page::first(10)).unwrap().items.len(),
        2,
        "rolled back"
    );
    s.replace_stories(&[(
        StoryRecord {
            id: "x".into(),
            title: None,
            first: None,
            last: None,
        },
        vec!["d3".into()],
    )])
    .unwrap();
    let list = s.stories(Page::first(10)).unwrap();
    assert_eq!(list.items.len(), 1);
    assert_eq!(list.items[0].documents, vec!["d3"]);
}

fn timeline_and_network(empty: DynStore) {
    let mut s = fill(empty);
    let t = s.timeline(&Scope::default(), Granularity::Day).unwrap();
    let days: Vec<(&str, u64, u64)> = t
        .iter()
        .map(|p| (p.date.as_str(), p.documents, p.events))
        .collect();
    assert_eq!(
        days,
        vec![
            ("2024-10-29", 0, 1),
            ("2024-10-30", 1, 1),
            ("2024-11-02", 1, 1),
            ("2024-11-05", 2, 1)
        ]
    );
    let t = s
        .timeline(
            &Scope {
                entity: Some(LAWROW.into()),
                ..Default::default()
            },
            Granularity::Month,
        )
        .unwrap();
    let months: Vec<(&str, u64, u64, u64)> = t
        .iter()
        .map(|p| (p.date.as_str(), p.documents, p.mentions, p.events))
        .collect();
    assert_eq!(months, vec![("2024-10", 1, 1, 1), ("2024-11", 1, 2, 1)]);

    let n = s
        .network(
            &Scope {
                entity: Some(LAWROW.into()),
                ..Default::default()
            },
            50,
        )
        .unwrap();
    let ev: Vec<(&str, &str, &str)> = n
        .edges
        .iter()
        .filter(|e| e.kind == "event")
        .map(|e| (e.source.as_str(), e.target.as_str(), e.doc.as_str()))
        .collect();
    assert_eq!(ev, vec![(LAWROW, CHOE, "d1")]);
    let consult = n.edges.iter().find(|e| e.kind == "event").unwrap();
    let text = &s.get("d1").unwrap().unwrap().text;
    assert!(
        text[consult.start..].starts_with("Lawrow empfing"),
        "edge points at its sentence"
    );
    let sent: Vec<&str> = n
        .edges
        .iter()
        .filter(|e| e.kind == "sentence")
        .map(|e| e.target.as_str())
        .collect();
    assert_eq!(sent, vec![RUS, CHOE]);
    assert_eq!(n.nodes[0].id, LAWROW);
    assert!(n
        .nodes
        .iter()
        .any(|x| x.id == CHOE && x.name == "Choe Son-hui"));

    s.upsert_story(&StoryRecord {
        id: "s".into(),
        title: None,
        first: None,
        last: None,
    })
    .unwrap();
    s.assign_story("d3", "s").unwrap();
    let n = s
        .network(
            &Scope {
                story: Some("s".into()),
                ..Default::default()
            },
            50,
        )
        .unwrap();
    let ev: Vec<(&str, &str)> = n
        .edges
        .iter()
        .map(|e| (e.source.as_str(), e.target.as_str()))
        .collect();
    // the REJECT event; Nordkorea and Choe are in different sentences
    assert_eq!(ev, vec![(PRK, RUS)]);
}

fn mentions_of_an_entity_within_dates(empty: DynStore) {
    let s = fill(empty);
    let all = s.mentions(LAWROW, None, None, Page::first(10)).unwrap();
    let got: Vec<(&str, &str)> = all
        .items
        .iter()
        .map(|m| (m.doc.as_str(), m.text.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("d2", "Sergej Lawrow"),
            ("d2", "Minister Lawrow"),
            ("d1", "Lawrow")
        ]
    );
    let oct = s
        .mentions(
            LAWROW,
            Some("2024-10-01"),
            Some("2024-10-31"),
            Page::first(10),
        )
        .unwrap();
    assert_eq!(oct.items.len(), 1);
    assert_eq!(oct.items[0].start, 0);
}

backends!(
    entity_profile_has_variants_time_series_and_cooccurrences,
    quotes_by_speaker_newest_first,
    events_filter_by_actor_recipient_type_country_dates_and_modality,
    pages_are_stable_and_complete,
    reanalysis_replaces_derived_rows,
    stories_are_written_listed_and_detailed,
    timeline_and_network,
    mentions_of_an_entity_within_dates,
);
