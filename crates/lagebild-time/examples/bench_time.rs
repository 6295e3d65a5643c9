//! Time the tagger on one file: `bench_time FILE LANG [N]`.
use lagebild_time::{Mode, TimeTagger};
fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let raw = std::fs::read_to_string(&a[0]).expect("read");
    let doc = lagebild_time::timeml::parse_timeml(&raw, &a[0]).expect("parse");
    let n: usize = a.get(2).and_then(|s| s.parse().ok()).unwrap_or(100);
    let t0 = std::time::Instant::now();
    let t = TimeTagger::embedded();
    println!("build {:?}", t0.elapsed());
    let t0 = std::time::Instant::now();
    let mut k = 0;
    for _ in 0..n {
        k += t
            .tag(&doc.text, &[], &a[1], doc.dct.as_deref(), Mode::News)
            .len();
    }
    println!(
        "{} bytes, {} tags, {:?} per doc",
        doc.text.len(),
        k / n,
        t0.elapsed() / n as u32
    );
}
