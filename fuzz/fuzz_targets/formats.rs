#![no_main]
//! Any bytes through format detection and the readers (HTML, feeds, JSONL,
//! WARC): never a panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = lagebild_formats::ReadOptions::default();
    let _ = lagebild_formats::parse_bytes(data, "input", &opts);
    let mut feed = b"<rss><channel><item>".to_vec();
    feed.extend_from_slice(data);
    let _ = lagebild_formats::parse_bytes(&feed, "feed.xml", &opts);
});
