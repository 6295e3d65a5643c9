//! Print the quotes of plain-text files: `quotes_text [--lang de|en] FILE…`.

use lagebild_quotes::{to_quotes, QuoteExtractor};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut lang = "de".to_string();
    if let Some(i) = args.iter().position(|a| a == "--lang") {
        if i + 1 < args.len() {
            lang = args.remove(i + 1);
        }
        args.remove(i);
    }
    let ex = QuoteExtractor::embedded();
    for path in args {
        let text = std::fs::read_to_string(&path).expect("read file");
        let doc = lagebild_model::Document {
            text,
            language: lang.clone(),
            ..Default::default()
        };
        let atts = ex.extract(&doc);
        println!("=== {path}");
        for q in to_quotes(&doc, &atts) {
            let short: String = q.text.chars().take(70).collect();
            println!(
                "[{}] speaker={:?} cue={:?} :: {}",
                q.kind,
                q.speaker_text,
                q.cue,
                short.replace('\n', " ")
            );
        }
    }
}
