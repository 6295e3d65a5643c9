#![no_main]
//! Any bytes, read as a web page: extraction never panics.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let ex = lagebild_html::extract_with_url(&html, Some("https://x.example/2024/01/02/a"));
    // The text is always made of whole, trimmed paragraphs.
    assert!(!ex.text.starts_with(' ') && !ex.text.ends_with(' '));
    let _ = lagebild_html::decode_entities(&html);
    let _ = lagebild_html::sniff_charset(data);
    let _ = lagebild_formats::decode_web_page(data, None);
});
