// Shared by the train and eval examples: reading corpora from ../shared/data.
#![allow(dead_code)]

use lagebild_ner::corpus::{self, Chunks, Classes, Sentence};

pub fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// Reads a corpus file in the named format.
pub fn load(format: &str, path: &str, classes: Classes) -> Vec<Sentence> {
    let t = read(path);
    match format {
        "germeval" => corpus::germeval_tsv(&t, Chunks::Outer, classes),
        "germeval-inner" => corpus::germeval_tsv(&t, Chunks::Inner, classes),
        "conll" => corpus::conll(&t),
        "wikiann" => corpus::wikiann(&t),
        "hipe" => corpus::hipe_tsv(&t),
        "bio" => corpus::bio_tsv(&t),
        f => panic!("unknown format {f} (germeval, germeval-inner, conll, wikiann, hipe, bio)"),
    }
}

pub fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}
