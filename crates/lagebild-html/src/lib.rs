//! Tolerant HTML reading for Lagebild: a web page in, clean paragraphs and
//! page metadata out. Pure (no I/O), std only.
//!
//! # Design
//!
//! * **Tokenizer** (`tokenizer`): one forward pass over the `&str`, yielding
//!   text runs, start tags with attributes (quoted with `"` or `'` or
//!   unquoted), end tags, and the raw content of `script`/`style`/`title`/…
//!   (so `"</div>"` inside a script string is harmless). Comments, doctype,
//!   CDATA and processing instructions are skipped; a `<` that starts no
//!   markup stays text; a tag cut off by the end of input is dropped.
//! * **Tree builder** (`extract`): no DOM. An explicit stack of open
//!   elements (a `Vec`, never recursion) with per-tag indices applies the
//!   usual implicit-close rules (`<p>`, `<li>`, table cells, void elements,
//!   foreign SVG content) and decides for each element whether its text is
//!   kept. Every element is pushed and popped at most once and every lookup
//!   is O(1), so a page is read in linear time whatever its nesting depth.
//! * **Text**: block elements end a paragraph; whitespace is collapsed;
//!   entities are decoded. Never text: `script`, `style`, `noscript`,
//!   `template`, `svg`, `iframe`, `head`, `nav`, `footer`, `button`,
//!   `select`, hidden elements. Chrome by class/id/role (cookie, consent,
//!   share, social, newsletter, related, comment, ad-, sidebar, menu,
//!   caption/legend, …; whole class tokens split at `-`/`_`, see `chrome`)
//!   and `aside`/`form` are *soft*: their text is set aside and dropped at
//!   the end, unless such a region holds at least half of the page text and
//!   contains (or sits in) the article — a misread wrapper like
//!   `content-sidebar-wrap`, a page-wide ASP.NET `<form>`. A region chrome
//!   only by a leading `teaser` or a `paywall` class (TYPO3's `teaser-text`
//!   lede, the rest of an article behind a paywall) is text again inside the
//!   chosen block or as its lede, less its headings. Inline chrome
//!   (`<a class="share">`) is dropped at once.
//! * **Main content**: every block element is a node of a small tree
//!   (parents before children). Each paragraph weighs for its block:
//!   running prose by its length, link lists, chrome lines (share and
//!   comment prompts, credits, date and update stamps, bylines, wire
//!   disclaimers, see `chrome`), text in chrome regions and prose in teaser
//!   cards (small blocks with a linked heading, three or more side by side)
//!   against, short fragments slightly against; `<br>`-split lines of one
//!   block weigh as one paragraph. The block with the heaviest subtree wins
//!   (never a lone paragraph) — or a block whose own paragraphs weigh more
//!   than that (an article written straight into a container that also
//!   holds the next article) — widened to its parent while that adds prose
//!   at little cost, with what follows the headline just before it and a
//!   lede within six paragraphs before it (prose in a block at most four
//!   levels up). The headline itself (the first `<h1>`) is the title, never
//!   a paragraph of the text. Inside the block, chrome regions, link lists,
//!   chrome lines and teaser blocks (*Mehr zum Thema*, *Lesen Sie auch*) are
//!   dropped; after 80 % of the prose a teaser head or tail line (PREV/NEXT,
//!   share, comments, tags) ends the article. A chrome region that wraps the
//!   chosen block and holds an article root is no chrome. Pages without
//!   prose (no block worth one short paragraph) fall back to the dominant
//!   `<article>`/`<main>`, else to all non-chrome text.
//! * **Page kind**: article, listing (linked teaser headlines, link-heavy)
//!   or other, from the prose chosen and the links on the page.
//! * **Metadata** (`meta`): `<title>`, Open Graph / Dublin Core / named
//!   `<meta>`, `<link rel=canonical>`, JSON-LD (scanned iteratively),
//!   `<time datetime>`, `<html lang>`, declared charset.
//!
//! The reader never panics; malformed markup degrades into "some text".

mod chrome;
mod entities;
pub mod eval;
mod extract;
mod meta;
mod sniff;
mod tags;
mod tokenizer;

#[cfg(test)]
mod tests;

/// What [`extract`] reads from a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// The first `<h1>` outside chrome when `<title>` or `og:title` repeats
    /// it; else `<title>` (unless it is just the site name), `og:title`,
    /// `twitter:title`, the `<h1>`; a short trailing part after a separator
    /// (`" | Kurier"`) is dropped;
    /// a `" | Site"` / `" - Site"` suffix (or `"Site | "` prefix) is removed
    /// when it equals the site name (`og:site_name`, `application-name` or
    /// the host of the canonical URL).
    pub title: Option<String>,
    /// Main text: paragraphs separated by `"\n\n"`, whitespace inside a
    /// paragraph collapsed to single spaces, entities decoded, soft hyphens
    /// and zero-width spaces removed. Without the headline (the first
    /// `<h1>` outside chrome; see [`Extracted::title`]). Empty when the page
    /// has no text.
    pub text: String,
    /// Publication date as `YYYY-MM-DD` (the calendar date as written, no
    /// time-zone conversion). Sources by priority: `article:published_time`,
    /// `og:published_time`, JSON-LD `datePublished`, microdata
    /// (`itemprop="datePublished"`) / `<time pubdate>`, named meta (`date`,
    /// `dc.date`, `pubdate`, …), `<time>` inside the article, any other
    /// `<time>` outside chrome, a date in the URL ([`extract_with_url`] or the
    /// canonical URL), a date written in a short line near the main text
    /// (a byline). Values may be ISO 8601, `01.11.2024`,
    /// `1. November 2024`, `Nov 1, 2024`, RFC 2822 or Unix time; a `<time>`
    /// without `datetime` is read from its text.
    pub published: Option<String>,
    /// `meta name=author`, JSON-LD author name(s) (joined with `", "`),
    /// `dc.creator`, `article:author` (unless a URL), the visible byline
    /// (`rel=author`, `itemprop=author`, class `author`/`byline`) as a bare
    /// name ("Von Anna Muster | 3. März" → "Anna Muster"). A leading
    /// "Von "/"By " is removed; a value equal to the site name is skipped.
    pub author: Option<String>,
    /// `og:site_name`.
    pub site: Option<String>,
    /// `<link rel=canonical>` or `og:url`, as written (may be relative).
    pub url: Option<String>,
    /// Primary language subtag, lower-case: `<html lang="de-DE">` → `"de"`;
    /// falls back to `content-language` meta and `og:locale`.
    pub language: Option<String>,
    /// Declared charset (`<meta charset>` / http-equiv content-type),
    /// lower-case, as declared (e.g. `"utf-8"`, `"iso-8859-1"`).
    pub charset: Option<String>,
    /// `meta name=description`, else `og:description`, else `twitter:description`.
    pub description: Option<String>,
    /// What kind of page this is (see [`PageKind`]).
    pub page_kind: PageKind,
    /// `page_kind == PageKind::Article`: the page is one article (news, blog
    /// post, report), not a home page, a listing of teasers or a form.
    pub is_article: bool,
}

/// What kind of page [`extract`] read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum PageKind {
    /// One article: a body of running prose (or marked as an article by
    /// `og:type`/JSON-LD and carrying some text).
    #[default]
    Article,
    /// A home page, section front, search result or other listing: mostly
    /// links and teasers, little running text of its own.
    Listing,
    /// A page made mainly of a form (login, contact, search) or a product,
    /// shop or other service page without running prose.
    Other,
}

/// Read a page: main text and metadata. Never panics; linear time.
pub fn extract(html: &str) -> Extracted {
    extract_with_url(html, None)
}

/// [`extract`] for a page fetched from `url` (a crawl's target URI): the URL
/// is a last source of the publication date (`/2024/11/01/`, `-20241101`)
/// and of the site name, and the canonical URL when the page names none.
pub fn extract_with_url(html: &str, url: Option<&str>) -> Extracted {
    let mut b = extract::Builder::new();
    b.run(html);
    b.finish(url)
}

/// Diagnostics: every paragraph the reader collected with its block path,
/// chrome region, kind, link bytes and weight, the block chosen as main
/// content, then the extracted text. For `examples/extract --explain`.
#[doc(hidden)]
pub fn explain(html: &str, url: Option<&str>) -> String {
    let mut b = extract::Builder::new();
    b.run(html);
    b.explain(url)
}

/// Normalise a date or timestamp to `YYYY-MM-DD`: ISO 8601, RFC 2822
/// (`Fri, 01 Nov 2024 10:00:00 GMT`), `01.11.2024`, `1. November 2024`,
/// `Nov 1, 2024`, Unix time. The calendar date as written, no time-zone
/// conversion.
pub fn normalize_date(s: &str) -> Option<String> {
    meta::normalize_date(s)
}

/// Decode HTML character references (`&amp;` `&#x27;` `&#39;` `&auml;`
/// `&nbsp;` `&bdquo;` `&ldquo;` …): all HTML 4 names plus common HTML 5
/// ones, decimal and hex references (C1 numbers mapped as Windows-1252, as
/// browsers do). Unknown references are left as written. `&nbsp;` becomes
/// U+00A0 here (in [`Extracted::text`] it is an ordinary space).
pub fn decode_entities(s: &str) -> String {
    entities::decode(s)
}

/// Quick content sniff: true if the text starts (after whitespace / BOM)
/// with a doctype, an HTML comment, or a typical HTML tag (`<html`, `<head`,
/// `<body`, `<p>`, `<div`, …), or is XHTML (`<?xml` followed by an html root).
/// Feeds (`<rss`, `<feed`) and plain text are not HTML.
pub fn looks_like_html(s: &str) -> bool {
    sniff::looks_like_html(s)
}

/// Charset declared in the first 2048 bytes, lower-case: a byte-order mark
/// (`utf-8`, `utf-16le`, `utf-16be`), an XML declaration's `encoding`,
/// `<meta charset>`, or `<meta http-equiv="Content-Type" content="…; charset=…">`.
pub fn sniff_charset(bytes: &[u8]) -> Option<String> {
    sniff::sniff_charset(bytes)
}
