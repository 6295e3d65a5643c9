//! Tagging speed of `tag_words` on one core (tokens per second).
//!
//! cargo run --release -p lagebild-ner --example bench -- --model resources/ner/de.model \
//!     --format germeval --data /work/shared/data/ner/germeval2014/NER-de-test.tsv

mod common;

use std::time::Instant;

use common::{arg, load};
use lagebild_ner::corpus::Classes;
use lagebild_ner::NerModel;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let model_path = arg(&args, "--model").expect("--model PATH");
    let format = arg(&args, "--format").unwrap_or_else(|| "germeval".into());
    let data = arg(&args, "--data").expect("--data FILE");
    let t0 = Instant::now();
    let model = NerModel::from_bytes(&std::fs::read(&model_path).expect("read")).expect("load");
    println!("load: {:.1} ms", t0.elapsed().as_secs_f64() * 1000.0);
    let sents = load(&format, &data, Classes::Four);
    let words: Vec<Vec<&str>> = sents
        .iter()
        .map(|s| s.words.iter().map(|w| w.as_str()).collect())
        .collect();
    let n_tok: usize = words.iter().map(|w| w.len()).sum();
    let mut best = f64::MAX;
    let mut sink = 0usize;
    for _ in 0..3 {
        let t = Instant::now();
        for w in &words {
            sink += model.tag_words(w).len();
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "{} tokens in {:.3}s (best of 3): {:.0} tokens/s on one core ({sink})",
        n_tok,
        best,
        n_tok as f64 / best
    );
}
