//! Print what `lagebild_html::extract` reads from a page (UTF-8 file or stdin):
//! `cargo run -p lagebild-html --example extract -- [--explain] page.html [URL]`
//! (`--explain`: every paragraph with its block, weight and verdict).
use std::io::Read;

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let explain = args.next_if(|a| a == "--explain").is_some();
    let mut bytes = Vec::new();
    let read = match args.next().as_deref() {
        None | Some("-") => std::io::stdin().read_to_end(&mut bytes).map(|_| ()),
        Some(p) => std::fs::read(p).map(|b| bytes = b),
    };
    if let Err(e) = read {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    let html = String::from_utf8_lossy(&bytes);
    let url = args.next();
    if explain {
        print!("{}", lagebild_html::explain(&html, url.as_deref()));
        return;
    }
    let ex = lagebild_html::extract_with_url(&html, url.as_deref());
    println!("title:     {:?}", ex.title);
    println!("author:    {:?}", ex.author);
    println!("published: {:?}", ex.published);
    println!("site:      {:?}", ex.site);
    println!("url:       {:?}", ex.url);
    println!("language:  {:?}", ex.language);
    println!("kind:      {:?}", ex.page_kind);
    println!("---\n{}", ex.text);
}
