//! Storage, search, work queue and clustering log: the same tests on SQLite and
//! on a real PostgreSQL (see `common`).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Db, DynStore};
use lagebild_model::Document;
use lagebild_store::*;

fn doc(id: &str, text: &str) -> Incoming {
    Incoming::new(
        Document {
            id: id.into(),
            language: "de".into(),
            title: Some(format!("Titel {id}")),
            published: Some("2024-01-16".into()),
            text: text.into(),
            ..Default::default()
        },
        Some(format!("raw-{id}")),
    )
}

fn put_is_idempotent_by_content_and_updates_by_id(mut s: DynStore) {
    let out = s
        .put_batch(&[
            doc("a", "Lawrow traf Choe in Moskau."),
            doc("b", "Ganz anderer Text."),
        ])
        .unwrap();
    assert_eq!(out, vec![PutOutcome::New, PutOutcome::New]);
    let out = s
        .put_batch(&[doc("c", "Lawrow  traf Choe\nin Moskau.")])
        .unwrap();
    assert_eq!(
        out,
        vec![PutOutcome::Duplicate {
            existing: "a".into()
        }]
    );
    let out = s.put_batch(&[doc("b", "Neuer Text für b.")]).unwrap();
    assert_eq!(out, vec![PutOutcome::Updated]);
    // one batch: a copy of a document of the same batch, and an id twice
    let out = s
        .put_batch(&[
            doc("x", "Ein dritter Text."),
            doc("y", "Ein  dritter Text."),
            doc("x", "Der dritte Text, neu."),
        ])
        .unwrap();
    assert_eq!(
        out,
        vec![
            PutOutcome::New,
            PutOutcome::Duplicate {
                existing: "x".into()
            },
            PutOutcome::Updated
        ]
    );
    assert_eq!(s.get("x").unwrap().unwrap().text, "Der dritte Text, neu.");
    s.put_batch(&[doc("x", "Ein dritter Text.")]).unwrap();
    let st = s.stats().unwrap();
    assert_eq!(st.documents, 3);
    assert_eq!(st.languages, vec![("de".to_string(), 3)]);
    assert_eq!(
        st.bytes_of_text,
        ("Lawrow traf Choe in Moskau.".len()
            + "Neuer Text für b.".len()
            + "Ein dritter Text.".len()) as u64
    );
    assert_eq!(st.schema_version, SCHEMA_VERSION);
    assert_eq!(s.get("b").unwrap().unwrap().text, "Neuer Text für b.");
    assert!(s.has_raw("raw-a").unwrap());
    assert!(!s.has_raw("raw-zzz").unwrap());
    assert!(s.get("nope").unwrap().is_none());
}

fn search_finds_updated_text_and_ranks_title_matches(mut s: DynStore) {
    let mut en = doc("e", "The foreign minister arrived in Moscow on Tuesday.");
    en.doc.language = "en".into();
    s.put_batch(&[
        doc("a", "Der Außenminister traf in Moskau ein."),
        doc("b", "Über Pjöngjang wird berichtet."),
        en,
    ])
    .unwrap();
    let hits = s.search("moskau", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, "a");
    assert!(hits[0].snippet.contains("[Moskau]"), "{}", hits[0].snippet);
    // diacritics folded: Pjongjang finds Pjöngjang
    assert_eq!(s.search("Pjongjang", 10).unwrap()[0].id, "b");
    // prefixes, and each document in its own language
    assert_eq!(s.search("Pjöng*", 10).unwrap()[0].id, "b");
    assert_eq!(s.search("arrived Moscow", 10).unwrap()[0].id, "e");
    assert_eq!(s.search("Moskau OR Moscow", 10).unwrap().len(), 2);
    // the title weighs more than the text
    s.put_batch(&[doc("t", "Nichts über Städte."), doc("u", "Titel hier.")])
        .unwrap();
    let mut titled = doc(
        "v",
        "Ein Bericht, der Moskau einmal nennt und sonst viel anderes.",
    );
    titled.doc.title = Some("Moskau".into());
    s.put_batch(&[titled]).unwrap();
    assert_eq!(s.search("Moskau", 10).unwrap()[0].id, "v");
    s.put_batch(&[doc("b", "Jetzt geht es um Moskau und Peking.")])
        .unwrap();
    assert!(
        s.search("Pjöngjang", 10).unwrap().is_empty(),
        "old text left the index"
    );
    assert_eq!(s.search("Moskau", 10).unwrap().len(), 3);
    let page = s.search_page("Moskau", Page::new(2, 0)).unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.next_offset, Some(2));
    assert!(matches!(s.search("()", 10), Err(StoreError::Query { .. })));
}

fn item(n: usize) -> QueueItem {
    QueueItem {
        source: format!("in/{n}.txt"),
        raw_hash: format!("h{n}"),
        payload: format!("{{\"text\":\"Text {n}\"}}"),
    }
}

fn lease(seconds: i64) -> Lease {
    Lease {
        seconds,
        max_attempts: 2,
    }
}

fn queue_claims_are_exclusive_and_results_stored_once(db: Db) {
    let mut a = db.open();
    let mut b = db.open();
    let items: Vec<QueueItem> = (0..10).map(item).collect();
    assert_eq!(a.enqueue(&items).unwrap(), 10);
    assert_eq!(a.enqueue(&items[..3]).unwrap(), 0, "enqueued once per hash");
    let ca = a.claim("A", 4, lease(60)).unwrap();
    let cb = b.claim("B", 100, lease(60)).unwrap();
    assert_eq!(ca.len(), 4);
    assert_eq!(cb.len(), 6);
    let ids: BTreeSet<i64> = ca.iter().chain(&cb).map(|c| c.id).collect();
    assert_eq!(ids.len(), 10, "no row claimed twice");
    assert!(ca.iter().all(|c| c.attempts == 1));
    assert_eq!(
        a.queue_counts().unwrap(),
        QueueCounts {
            pending: 0,
            claimed: 10,
            done: 0,
            parked: 0
        }
    );
    // A finishes its rows: documents stored with the state, in one transaction
    let results: Vec<(i64, Finished)> = ca
        .iter()
        .map(|c| {
            (
                c.id,
                Finished::Stored(Box::new(doc(
                    &format!("d{}", c.id),
                    &format!("Text {}", c.id),
                ))),
            )
        })
        .collect();
    let s = a.finish("A", &results, lease(60)).unwrap();
    assert_eq!(s.new, 4);
    // finishing again (a retry after a lost reply) writes nothing
    let again = a.finish("A", &results, lease(60)).unwrap();
    assert_eq!((again.new, again.lost), (0, 4));
    // B's rows: one fails, the rest are stored; a row B does not hold is lost
    let mut results: Vec<(i64, Finished)> = cb
        .iter()
        .skip(1)
        .map(|c| {
            (
                c.id,
                Finished::Stored(Box::new(doc(
                    &format!("d{}", c.id),
                    &format!("Text {}", c.id),
                ))),
            )
        })
        .collect();
    results.push((cb[0].id, Finished::Failed("kaputt".into())));
    results.push((ca[0].id, Finished::Failed("not mine".into())));
    let s = b.finish("B", &results, lease(60)).unwrap();
    assert_eq!((s.new, s.retry, s.lost), (5, 1, 1));
    assert_eq!(a.stats().unwrap().documents, 9);
    let counts = a.queue_counts().unwrap();
    assert_eq!((counts.done, counts.pending), (9, 1));
    // the failed row comes back; failing its last attempt parks it
    let again = a.claim("A", 10, lease(60)).unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 2);
    let s = a
        .finish(
            "A",
            &[(again[0].id, Finished::Failed("kaputt".into()))],
            lease(60),
        )
        .unwrap();
    assert_eq!(s.parked, 1);
    assert!(a.claim("A", 10, lease(60)).unwrap().is_empty());
    let parked = a.parked(10).unwrap();
    assert_eq!(parked.len(), 1);
    assert_eq!(parked[0].error.as_deref(), Some("kaputt"));
    assert_eq!(parked[0].source, cb[0].source);
    assert_eq!(a.retry_parked().unwrap(), 1);
    assert_eq!(a.claim("A", 10, lease(60)).unwrap().len(), 1);
}

fn expired_claims_are_retried_and_then_parked(db: Db) {
    let mut a = db.open();
    let mut b = db.open();
    a.enqueue(&[item(1)]).unwrap();
    let first = a.claim("A", 10, lease(0)).unwrap();
    assert_eq!(first.len(), 1);
    // A's lease (0 s) runs out: B takes the row over
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let taken = b.claim("B", 10, lease(0)).unwrap();
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].attempts, 2);
    // A comes back late: its result is not written
    let late = a
        .finish(
            "A",
            &[(first[0].id, Finished::Stored(Box::new(doc("x", "Spät."))))],
            lease(0),
        )
        .unwrap();
    assert_eq!(late.lost, 1);
    assert_eq!(a.stats().unwrap().documents, 0);
    // B dies too: its lease runs out on the last attempt and the row is parked
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(a.claim("A", 10, lease(0)).unwrap().is_empty());
    let parked = a.parked(10).unwrap();
    assert_eq!(parked.len(), 1);
    assert!(
        parked[0]
            .error
            .as_deref()
            .unwrap()
            .contains("lease ran out on attempt 2"),
        "{:?}",
        parked[0].error
    );
}

/// A toy clustering: a story per first word; the log is replayed to learn
/// the stories other connections made.
struct Toy {
    cursor: ClusterCursor,
    seen: Vec<String>,
    stories: BTreeMap<String, Vec<String>>,
    last_input: Option<(bool, Vec<String>, Vec<String>)>,
}

impl Toy {
    fn new() -> Self {
        Toy {
            cursor: ClusterCursor::default(),
            seen: Vec::new(),
            stories: BTreeMap::new(),
            last_input: None,
        }
    }

    fn key(d: &ClusterDoc) -> String {
        let text = match &d.fingerprint {
            Some(f) => f.clone(),
            None => {
                let doc: Document = serde_json::from_str(d.analysis.as_ref().unwrap()).unwrap();
                doc.text
            }
        };
        text.split_whitespace().next().unwrap_or("").to_lowercase()
    }

    fn step(&mut self, s: &mut DynStore) {
        let cursor = s
            .cluster(self.cursor, &mut |input: ClusterInput| {
                self.last_input = Some((
                    input.fresh,
                    input.log.iter().map(|d| d.id.clone()).collect(),
                    input.pending.iter().map(|d| d.id.clone()).collect(),
                ));
                if input.fresh {
                    self.seen.clear();
                    self.stories.clear();
                }
                for d in &input.log {
                    self.seen.push(d.id.clone());
                    self.stories
                        .entry(Self::key(d))
                        .or_default()
                        .push(d.id.clone());
                }
                let mut out = ClusterOutput::default();
                for d in &input.pending {
                    let key = Self::key(d);
                    let members = self.stories.entry(key.clone()).or_default();
                    if let Some(first) = members.first() {
                        out.duplicates.push((d.id.clone(), first.clone()));
                    }
                    members.push(d.id.clone());
                    self.seen.push(d.id.clone());
                    out.added.push((d.id.clone(), Some(key.clone())));
                    out.stories.push(StoryRecord {
                        id: format!("s-{key}"),
                        title: Some(key.clone()),
                        first: None,
                        last: None,
                    });
                    out.members.push((d.id.clone(), format!("s-{key}")));
                }
                Ok(out)
            })
            .unwrap();
        self.cursor = cursor;
    }
}

fn clustering_log_keeps_connections_in_step(db: Db) {
    let mut a = db.open();
    let mut b = db.open();
    let (mut ta, mut tb) = (Toy::new(), Toy::new());
    a.put_batch(&[doc("d1", "Moskau eins"), doc("d2", "Kiew zwei")])
        .unwrap();
    ta.step(&mut a);
    assert_eq!(
        ta.last_input.take(),
        Some((true, vec![], vec!["d1".into(), "d2".into()]))
    );
    b.put_batch(&[doc("d3", "Moskau drei")]).unwrap();
    tb.step(&mut b);
    // B starts empty: it replays A's documents (fingerprints as stored), then adds its own
    assert_eq!(
        tb.last_input.take(),
        Some((true, vec!["d1".into(), "d2".into()], vec!["d3".into()]))
    );
    assert_eq!(b.story_of("d3").unwrap().as_deref(), Some("s-moskau"));
    assert_eq!(
        b.get("d3").unwrap().unwrap().duplicate_of.as_deref(),
        Some("d1")
    );
    a.put_batch(&[doc("d4", "Kiew vier")]).unwrap();
    ta.step(&mut a);
    assert_eq!(
        ta.last_input.take(),
        Some((false, vec!["d3".into()], vec!["d4".into()]))
    );
    assert_eq!(ta.seen, vec!["d1", "d2", "d3", "d4"]);
    // nothing pending: no call, cursor kept
    ta.step(&mut a);
    assert!(ta.last_input.is_none());
    let page = a.stories(Page::first(10)).unwrap();
    let mut got: Vec<(String, Vec<String>)> = page
        .items
        .into_iter()
        .map(|s| {
            let mut d = s.documents;
            d.sort();
            (s.id, d)
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                "s-kiew".to_string(),
                vec!["d2".to_string(), "d4".to_string()]
            ),
            (
                "s-moskau".to_string(),
                vec!["d1".to_string(), "d3".to_string()]
            ),
        ]
    );
    // a full recluster: a new epoch, every document pending again
    a.reset_clusters().unwrap();
    assert!(a.stories(Page::first(10)).unwrap().items.is_empty());
    assert_eq!(a.get("d3").unwrap().unwrap().duplicate_of, None);
    tb.step(&mut b);
    let (fresh, log, pending) = tb.last_input.take().unwrap();
    assert!(fresh);
    assert!(log.is_empty());
    assert_eq!(pending.len(), 4);
    // a document stored again with new text is clustered again
    b.put_batch(&[doc("d2", "Moskau neu")]).unwrap();
    ta.step(&mut a);
    let (fresh, log, pending) = ta.last_input.take().unwrap();
    assert!(fresh, "A's engine is from the old epoch");
    assert_eq!(log.len(), 3);
    assert_eq!(pending, vec!["d2".to_string()]);
    assert_eq!(a.story_of("d2").unwrap().as_deref(), Some("s-moskau"));
}

/// Several connections storing and clustering at once: every document is
/// clustered exactly once, in one order all of them agree on.
fn concurrent_clustering_orders_every_document_once(db: Db) {
    let threads: Vec<_> = (0..3)
        .map(|t| {
            let mut s = db.open();
            std::thread::spawn(move || {
                let mut toy = Toy::new();
                for i in 0..8 {
                    let id = format!("t{t}-{i}");
                    s.put_batch(&[doc(&id, &format!("Wort{} {id}", i % 3))])
                        .unwrap();
                    toy.step(&mut s);
                }
                toy.seen
            })
        })
        .collect();
    let seen: Vec<Vec<String>> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    // a fresh reader replays the whole log
    let mut s = db.open();
    s.put_batch(&[doc("last", "Wort0 last")]).unwrap();
    let mut toy = Toy::new();
    toy.step(&mut s);
    let (_, log, _) = toy.last_input.clone().unwrap();
    assert_eq!(log.len(), 24);
    assert_eq!(log.iter().collect::<BTreeSet<_>>().len(), 24, "each once");
    for worker in seen {
        // each worker saw a prefix of the one order
        assert_eq!(worker[..], log[..worker.len()]);
    }
    let stories = s.stories(Page::first(10)).unwrap().items;
    assert_eq!(stories.len(), 3, "one story per key, never two");
}

backends!(
    put_is_idempotent_by_content_and_updates_by_id,
    search_finds_updated_text_and_ranks_title_matches,
);

mod db_tests {
    use super::*;
    backends_db!(
        queue_claims_are_exclusive_and_results_stored_once,
        expired_claims_are_retried_and_then_parked,
        clustering_log_keeps_connections_in_step,
        concurrent_clustering_orders_every_document_once,
    );
}
