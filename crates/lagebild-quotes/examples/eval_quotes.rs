//! Evaluate the quote extractor.
//!
//! `eval_quotes <wikinews.jsonl> de` or `eval_quotes <polnear split dir> en`
//! (PolNeAR: `<dir>/text/*.txt` with `<dir>/attributions/<name>_<annotator>.ann`;
//! the first annotator file in name order is used per article).
//! Add `--dump N` to print the attributions of the first N documents,
//! `--errors` to print every speaker mismatch, `--bounds` to print matched
//! speakers whose extent differs from the gold span.

use lagebild_quotes::eval::{evaluate, parse_brat, parse_wikinews_jsonl, GoldDoc};
use lagebild_quotes::QuoteExtractor;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        eprintln!("usage: eval_quotes <path> [de|en] [--dump N]");
        std::process::exit(2);
    }
    let path = Path::new(&args[0]);
    let lang = args.get(1).map(String::as_str).unwrap_or("de");
    let dump: usize = args
        .iter()
        .position(|a| a == "--dump")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let docs: Vec<GoldDoc> = if path.is_dir() {
        let mut names: Vec<String> = std::fs::read_dir(path.join("text"))
            .expect("text dir")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".txt"))
            .collect();
        names.sort();
        let mut anns: Vec<String> = std::fs::read_dir(path.join("attributions"))
            .expect("attributions dir")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        anns.sort();
        let mut docs = Vec::new();
        for n in names {
            let stem = n.trim_end_matches(".txt");
            let Some(a) = anns
                .iter()
                .find(|a| a.starts_with(&format!("{stem}_")) && a.ends_with(".ann"))
            else {
                continue;
            };
            let text = std::fs::read_to_string(path.join("text").join(&n)).expect("read text");
            let ann = std::fs::read_to_string(path.join("attributions").join(a)).expect("read ann");
            match parse_brat(stem, &text, &ann) {
                Ok(mut d) => {
                    d.language = lang.to_string();
                    docs.push(d)
                }
                Err(e) => eprintln!("skip {n}: {e}"),
            }
        }
        docs
    } else {
        let content = std::fs::read_to_string(path).expect("read corpus");
        let mut docs = parse_wikinews_jsonl(&content).expect("parse corpus");
        for d in &mut docs {
            d.language = lang.to_string();
        }
        docs
    };
    let ex = QuoteExtractor::embedded();
    for g in docs.iter().take(dump) {
        let doc = g.document();
        println!("=== {}", g.id);
        for a in ex.extract(&doc) {
            let q = a.to_quote(&doc);
            println!(
                "[{}] speaker={:?} cue={:?}\n    {}",
                q.kind,
                q.speaker_text,
                q.cue,
                q.text.replace('\n', " ")
            );
        }
        println!("--- gold");
        for q in &g.quotes {
            let t = |v: &Vec<(usize, usize)>| {
                v.iter()
                    .map(|&(s, e)| &g.text[s..e])
                    .collect::<Vec<_>>()
                    .join(" | ")
            };
            println!(
                "[{}] speaker={:?} cue={:?}\n    {}",
                q.kind,
                t(&q.speaker),
                t(&q.cue),
                t(&q.quote).replace('\n', " ")
            );
        }
    }
    if args.iter().any(|a| a == "--misses") {
        for g in &docs {
            let doc = g.document();
            let atts = ex.extract(&doc);
            for q in &g.quotes {
                let hit = atts.iter().any(|a| {
                    a.quote_parts
                        .iter()
                        .any(|&(s, e)| q.quote.iter().any(|&(x, y)| s < y && x < e))
                });
                let best = atts.iter().find(|a| {
                    a.quote_parts
                        .iter()
                        .any(|&(s, e)| q.quote.iter().any(|&(x, y)| s < y && x < e))
                });
                if let (true, Some(a)) = (args.iter().any(|a| a == "--speakers"), best) {
                    let gs: Vec<&str> = q.speaker.iter().map(|&(s, e)| &g.text[s..e]).collect();
                    let ok = a
                        .speaker
                        .is_some_and(|(s, e)| q.speaker.iter().any(|&(x, y)| s < y && x < e));
                    if !ok {
                        println!(
                            "SPK gold={:?} sys={:?} cue={:?}",
                            gs,
                            a.speaker.map(|(s, e)| &g.text[s..e]),
                            a.cue.map(|(s, e)| &g.text[s..e])
                        );
                    }
                }
                if !hit {
                    let t = |v: &Vec<(usize, usize)>| {
                        v.iter()
                            .map(|&(s, e)| &g.text[s..e])
                            .collect::<Vec<_>>()
                            .join(" | ")
                    };
                    println!(
                        "MISS [{}] cue={:?} speaker={:?} :: {}",
                        q.kind,
                        t(&q.cue),
                        t(&q.speaker),
                        t(&q.quote)
                            .chars()
                            .take(100)
                            .collect::<String>()
                            .replace('\n', " ")
                    );
                }
            }
        }
    }
    if args.iter().any(|a| a == "--errors") {
        for e in lagebild_quotes::eval::speaker_errors(&ex, &docs) {
            println!("{e}");
        }
    }
    if args.iter().any(|a| a == "--bounds") {
        // speakers that match but whose token extent differs from the gold span
        for g in &docs {
            let doc = g.document();
            let atts = ex.extract(&doc);
            for q in &g.quotes {
                for a in &atts {
                    let Some((s, e)) = a.speaker else { continue };
                    for &(x, y) in &q.speaker {
                        if s < y && x < e && (s, e) != (x, y) {
                            println!("BOUND gold={:?} sys={:?}", &g.text[x..y], &g.text[s..e]);
                        }
                    }
                }
            }
        }
    }
    println!("{}", evaluate(&ex, &docs));
}
