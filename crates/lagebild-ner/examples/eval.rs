//! Evaluates a model on a corpus file: exact-span P/R/F1 per type and overall.
//!
//! cargo run --release -p lagebild-ner --example eval -- --lang de --model resources/ner/de.model \
//!     --format germeval --data /work/shared/data/ner/germeval2014/NER-de-test.tsv [--classes 12]
//! Formats: germeval, germeval-inner, conll, wikiann, hipe, bio.

mod common;

use std::time::Instant;

use common::{arg, load};
use lagebild_ner::corpus::{to_four_classes, Classes};
use lagebild_ner::eval::Report;
use lagebild_ner::NerModel;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let model_path = arg(&args, "--model").expect("--model PATH");
    let format = arg(&args, "--format").unwrap_or_else(|| "germeval".into());
    let data = arg(&args, "--data").expect("--data FILE");
    let twelve = arg(&args, "--classes").as_deref() == Some("12");
    let t0 = Instant::now();
    let bytes = std::fs::read(&model_path).expect("read model");
    let model = NerModel::from_bytes(&bytes).expect("load model");
    let load_s = t0.elapsed().as_secs_f64();
    if let Some(l) = arg(&args, "--lang") {
        if l != model.lang() {
            eprintln!("warning: model language is {}, not {l}", model.lang());
        }
    }
    let classes = if twelve {
        Classes::Twelve
    } else {
        Classes::Four
    };
    let sents = load(&format, &data, classes);
    let mut show: usize = arg(&args, "--show").map_or(0, |v| v.parse().unwrap_or(0));
    let t1 = Instant::now();
    let mut report = Report::new();
    for s in &sents {
        let words: Vec<&str> = s.words.iter().map(|w| w.as_str()).collect();
        let mut pred = model.tag_words(&words);
        let mut gold = s.labels.clone();
        if !twelve {
            to_four_classes(&mut pred);
            to_four_classes(&mut gold);
        }
        if show > 0 && gold != pred {
            show -= 1;
            for ((w, g), p) in s.words.iter().zip(&gold).zip(&pred) {
                eprintln!("{w}\t{g}\t{p}{}", if g != p { "\t<<<" } else { "" });
            }
            eprintln!();
        }
        report.add(&gold, &pred);
    }
    println!(
        "model {model_path} ({} bytes, loaded in {:.0} ms), {} on {data}, {} classes",
        bytes.len(),
        load_s * 1000.0,
        format,
        if twelve { 12 } else { 4 }
    );
    print!("{report}");
    eprintln!("tagged in {:.2}s", t1.elapsed().as_secs_f64());
}
