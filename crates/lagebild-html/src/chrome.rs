//! Recognising page chrome (navigation, cookie banners, share bars, …) from
//! an element's `class`, `id`, `role`, `hidden` and `style` attributes.
//!
//! Class and id values are split into tokens (`class`) and then into parts
//! at `-` and `_`, so `js-cookie-banner`, `c-article__comments` and
//! `main-nav` are recognised while `article-header` is not. Tokens that
//! describe a state or a modifier (`has-sidebar`, `comments-open`,
//! `body--with-banner`) never count, and a few tokens that name the main
//! content (`article-body`, `entry-content`, …) protect an element.

use crate::meta::{attr, has_token};
use crate::tags::Tag;
use crate::tokenizer::Attr;

/// Words that mark chrome wherever they appear in a token (plural `s` allowed).
const CHROME_WORDS: &[&str] = &[
    "ad",
    "bildunterschrift",
    "breadcrumb",
    "caption",
    "legend",
    "comment",
    "copyright",
    "credit",
    "login",
    "outbrain",
    "paywall",
    "promo",
    "recommendations",
    "subscribe",
    "taboola",
    "consent",
    "cookie",
    "footer",
    "kommentar",
    "kommentare",
    "menu",
    "modal",
    "nav",
    "navbar",
    "navigation",
    "newsletter",
    "popup",
    "related",
    "share",
    "shariff",
    "sharing",
    "sidebar",
    "social",
    "pager",
    "pagination",
    "skiplink",
    "subnav",
    "tagcloud",
    "tags",
    "teilen",
    "toolbar",
    "topnav",
    "werbung",
];

/// Parts that mark page metadata shown beside the text (bylines, dates,
/// author boxes): not main text, but dates inside them still count.
const META_WORDS: &[&str] = &[
    "author",
    "autor",
    "bio",
    "byline",
    "date",
    "dateline",
    "datum",
    "meta",
    "posted",
    "timestamp",
];

/// Whole tokens for visually hidden helper text ("Skip to content", …) and
/// for what is left out when printing (chrome by the site's own account).
const HIDDEN_TOKENS: &[&str] = &[
    "d-print-none",
    "hidden-print",
    "no-print",
    "noprint",
    "print-hidden",
    "screen-reader-text",
    "sr-only",
    "visually-hidden",
    "visuallyhidden",
];

/// A token containing one of these parts describes a state or modifier.
/// Also position words: `right-sidebar`, `above-footer` describe a layout.
const MODIFIERS: &[&str] = &[
    "has", "no", "with", "without", "is", "not", "hide", "show", "left", "right", "above", "below",
];
/// Token prefixes generated from content (WordPress post classes such as
/// `category-werbung`, `tag-social-media`): never chrome.
const CONTENT_PREFIXES: &[&str] = &[
    "category-",
    "tag-",
    "postid-",
    "post-",
    "type-",
    "status-",
    "format-",
    "page-id-",
];
/// Not the first part: a state of the named thing (`comments-open`).
const STATES: &[&str] = &[
    "open", "opened", "closed", "active", "enabled", "disabled", "visible", "layout", "free",
    "allowed",
];
/// Whole tokens that name the main content.
const POSITIVE: &[&str] = &[
    "article",
    "article-body",
    "article-content",
    "article-text",
    "article__body",
    "articlebody",
    "artikel",
    "content",
    "entry-content",
    "inhalt",
    "main",
    "main-content",
    "maincontent",
    "post-body",
    "post-content",
    "story",
    "story-body",
    "story-content",
];
const CHROME_ROLES: &[&str] = &[
    "navigation",
    "complementary",
    "contentinfo",
    "search",
    "banner",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
    "toolbar",
];

fn is_word(part: &str, index: usize, text_block: bool) -> bool {
    let hit = |w: &str| {
        CHROME_WORDS.contains(&w)
            || w.starts_with("advert")
            || (w == "banner" && index == 0)
            || (w == "teaser" && index == 0 && !text_block)
    };
    hit(part)
        || part
            .strip_suffix('s')
            .is_some_and(|w| !w.is_empty() && hit(w))
}

/// Whether one lower-case class token (or id) marks page metadata
/// (`entry-meta`, `byline`, `author-box`, `post-date`).
pub(crate) fn token_is_meta(token: &str) -> bool {
    if CONTENT_PREFIXES.iter().any(|p| token.starts_with(p)) {
        return false;
    }
    let parts = || token.split(['-', '_']).filter(|p| !p.is_empty());
    if parts()
        .enumerate()
        .any(|(i, p)| MODIFIERS.contains(&p) || (i > 0 && STATES.contains(&p)))
    {
        return false;
    }
    parts().any(|p| {
        META_WORDS.contains(&p) || p.strip_suffix('s').is_some_and(|w| META_WORDS.contains(&w))
    })
}

/// Whether the only chrome words of a token are a leading `teaser`
/// (`teaser-text`: a teaser box on a front page, but also the lede of an
/// article, as in TYPO3 news) or `paywall` (the rest of the article
/// behind a paywall, present in the page): a weak verdict.
fn only_teaser(token: &str, text_block: bool) -> bool {
    !text_block
        && token
            .split(['-', '_'])
            .filter(|p| !p.is_empty())
            .enumerate()
            .all(|(i, p)| {
                !is_word(p, i, text_block)
                    || (i == 0 && matches!(p, "teaser" | "teasers"))
                    || p == "paywall"
            })
}

/// Whether one lower-case class token (or id) marks chrome. `text_block`:
/// the element is a paragraph or heading (a "teaser" paragraph is a lede).
pub(crate) fn token_is_chrome(token: &str, text_block: bool) -> bool {
    if CONTENT_PREFIXES.iter().any(|p| token.starts_with(p)) {
        return false;
    }
    let parts = || token.split(['-', '_']).filter(|p| !p.is_empty());
    if parts()
        .enumerate()
        .any(|(i, p)| MODIFIERS.contains(&p) || (i > 0 && STATES.contains(&p)))
    {
        return false;
    }
    parts().enumerate().any(|(i, p)| is_word(p, i, text_block))
}

fn style_hides(style: &str) -> bool {
    let s: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    s.contains("display:none") || s.contains("visibility:hidden")
}

/// A lower-case class token names the main content, also written with
/// BEM separators (`entry__content`, `post_content`).
fn names_content(token: &str) -> bool {
    if POSITIVE.contains(&token) {
        return true;
    }
    if !token.contains('_') {
        return false;
    }
    let mut dashed = String::with_capacity(token.len());
    for part in token.split(['-', '_']).filter(|p| !p.is_empty()) {
        if !dashed.is_empty() {
            dashed.push('-');
        }
        dashed.push_str(part);
    }
    POSITIVE.contains(&dashed.as_str())
}

/// `role="main"`, `role="article"` or `itemprop="articleBody"`.
pub(crate) fn is_content_root(attrs: &[Attr]) -> bool {
    attr(attrs, "role").is_some_and(|r| has_token(r, "main") || has_token(r, "article"))
        || attr(attrs, "itemprop").is_some_and(|p| has_token(p, "articleBody"))
}

/// A class token or the id names the main content (`article-body`,
/// `entry-content`, `post-content`, …).
pub(crate) fn is_positive(attrs: &[Attr]) -> bool {
    let class = attr(attrs, "class").unwrap_or("");
    let id = attr(attrs, "id").map(str::trim).unwrap_or("");
    class
        .split_ascii_whitespace()
        .chain(Some(id))
        .filter(|t| !t.is_empty() && t.len() < 40)
        .any(|t| {
            let t = t.to_ascii_lowercase();
            names_content(&t) && !matches!(t.as_str(), "content" | "main")
        })
}

/// What an element's attributes say about its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Nothing against it.
    Content,
    /// Not rendered (`hidden`, `display:none`): always dropped.
    Hidden,
    /// Looks like page chrome by class, id or role.
    Chrome,
    /// Chrome only by a leading `teaser` or a `paywall` class: dropped
    /// like chrome unless it sits in (or is the lede just before) the main
    /// content.
    Teaser,
    /// Page metadata beside the text (byline, date line, author box): not
    /// text, but its dates count.
    Meta,
}

/// Classify an element by its attributes. `exempt`: `html`, `body`,
/// `main`, `article` (never chrome by class; hiding still counts).
pub(crate) fn classify(attrs: &[Attr], tag: Option<Tag>, exempt: bool) -> Verdict {
    if attr(attrs, "hidden").is_some() || attr(attrs, "style").is_some_and(style_hides) {
        return Verdict::Hidden;
    }
    if exempt || is_content_root(attrs) {
        return Verdict::Content;
    }
    let by_role = attr(attrs, "role").is_some_and(|r| {
        r.split_ascii_whitespace()
            .any(|t| CHROME_ROLES.iter().any(|c| c.eq_ignore_ascii_case(t)))
    });
    if by_role {
        return Verdict::Chrome;
    }
    class_or_id_chrome(attrs, tag)
}

fn class_or_id_chrome(attrs: &[Attr], tag: Option<Tag>) -> Verdict {
    let text_block = matches!(
        tag,
        Some(Tag::P | Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6)
    );
    let mut chrome = false;
    let mut teaser = true;
    let mut meta = false;
    let mut buf = String::new();
    let class = attr(attrs, "class").unwrap_or("");
    let id = attr(attrs, "id").map(str::trim).unwrap_or("");
    for token in class.split_ascii_whitespace().chain(Some(id)) {
        if token.is_empty() {
            continue;
        }
        buf.clear();
        buf.push_str(token);
        buf.make_ascii_lowercase();
        if names_content(&buf) {
            return Verdict::Content;
        }
        if HIDDEN_TOKENS.contains(&buf.as_str()) {
            chrome = true;
            teaser = false;
        } else if token_is_chrome(&buf, text_block) {
            chrome = true;
            teaser &= only_teaser(&buf, text_block);
        }
        meta = meta || token_is_meta(&buf);
    }
    if chrome && teaser {
        Verdict::Teaser
    } else if chrome {
        Verdict::Chrome
    } else if meta {
        Verdict::Meta
    } else {
        Verdict::Content
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a<'a>(name: &'a str, value: &'a str) -> Attr<'a> {
        Attr { name, value }
    }

    #[test]
    fn tokens() {
        for t in [
            "cookie",
            "js-cookie-consent",
            "cookie-banner",
            "banner",
            "share",
            "social-share",
            "newsletter-box",
            "related-articles",
            "teaser-list",
            "comments",
            "c-article__comments",
            "advertisement",
            "ad-slot",
            "ads",
            "sidebar",
            "breadcrumbs",
            "main-menu",
            "site-navigation",
            "site-footer",
            "header-nav",
            "kommentare",
            "skiplink",
            "entry-tags",
            "pagination",
            "legend",
            "image-legend",
            "bildunterschrift",
        ] {
            assert!(token_is_chrome(t, false), "{t} should be chrome");
        }
        for t in [
            "article-header",
            "article-teaser",
            "has-sidebar",
            "right-sidebar",
            "above-footer",
            "page_banner_overrides",
            "category-werbung",
            "tag-social-media",
            "comments-open",
            "article-body--with-banner",
            "no-ads",
            "header",
            "headline",
            "shadow",
            "download",
            "news",
            "address",
        ] {
            assert!(!token_is_chrome(t, false), "{t} should not be chrome");
        }
        assert!(token_is_chrome("teaser", false));
        assert!(!token_is_chrome("teaser", true));
    }

    #[test]
    fn attributes() {
        use Verdict::*;
        let c = |attrs: &[Attr], exempt| classify(attrs, Some(Tag::Div), exempt);
        assert_eq!(c(&[a("class", "box Cookie-Notice")], false), Chrome);
        assert_eq!(c(&[a("id", "comments")], false), Chrome);
        assert_eq!(c(&[a("role", "navigation")], false), Chrome);
        assert_eq!(c(&[a("hidden", "")], false), Hidden);
        assert_eq!(c(&[a("style", "color:red; DISPLAY : none")], false), Hidden);
        assert_eq!(c(&[a("hidden", "")], true), Hidden);
        assert_eq!(c(&[a("class", "sidebar")], true), Content);
        assert_eq!(c(&[a("class", "entry-content comments")], false), Content);
        assert_eq!(
            c(&[a("class", "sidebar"), a("role", "main")], false),
            Content
        );
        assert_eq!(c(&[a("class", "text")], false), Content);
        assert_eq!(c(&[a("class", "x sr-only")], false), Chrome);
        assert_eq!(c(&[a("class", "box no-print")], false), Chrome);
        assert_eq!(c(&[a("class", "teaser-text")], false), Teaser);
        assert_eq!(c(&[a("class", "teaser-text sidebar")], false), Chrome);
        assert_eq!(c(&[a("class", "teaser-related")], false), Chrome);
        assert_eq!(c(&[a("class", "article-paywall")], false), Teaser);
        assert_eq!(c(&[a("class", "paywall-box sr-only")], false), Chrome);
        assert!(is_content_root(&[a("itemprop", "articleBody")]));
    }
}

/// Headings that open a block of teasers or navigation after (or inside)
/// an article: the heading and the links and short lines after it are
/// not text. Compared lower-case, without trailing punctuation.
const TEASER_HEADS: &[&str] = &[
    "mehr zum thema",
    "mehr zu diesem thema",
    "das könnte sie auch interessieren",
    "das könnte dich auch interessieren",
    "das könnte sie interessieren",
    "auch interessant",
    "lesen sie auch",
    "lesen sie mehr",
    "lies auch",
    "weiterlesen",
    "weitere artikel",
    "weitere beiträge",
    "weitere nachrichten",
    "weitere meldungen",
    "verwandte artikel",
    "verwandte beiträge",
    "verwandte themen",
    "ähnliche artikel",
    "ähnliche beiträge",
    "ähnliche themen",
    "empfehlungen der redaktion",
    "top themen der redaktion",
    "top-themen",
    "meistgelesen",
    "meistgelesene artikel",
    "am meisten gelesen",
    "beliebte artikel",
    "beliebte beiträge",
    "neueste beiträge",
    "neueste artikel",
    "aktuelle beiträge",
    "letzte beiträge",
    "themen",
    "schlagworte",
    "alle artikel zu unseren recherchen",
    "zum thema",
    "related",
    "related articles",
    "related posts",
    "related stories",
    "related content",
    "read more",
    "read next",
    "more from",
    "more stories",
    "more on this story",
    "more on this topic",
    "you may also like",
    "you might also like",
    "recommended",
    "recommended for you",
    "most popular",
    "most read",
    "trending",
    "lire aussi",
    "à lire aussi",
    "a lire aussi",
    "sur le même sujet",
    "leggi anche",
    "noticias relacionadas",
    "te puede interesar",
    "zobacz także",
    "zobacz też",
    "czytaj także",
    "czytaj też",
    "polecamy",
    "você pode gostar",
    "veja também",
    "leia também",
    "breaking news",
    "deals",
    "latest news",
    "latest stories",
    "top stories",
    "editor's picks",
    "popular",
    "most viewed",
    "see also",
    "siehe auch",
    "das könnte ihnen auch gefallen",
    "news",
    "nachrichten",
    "schon gelesen",
    "zum weiterlesen",
    "empfohlene artikel",
    "empfohlene beiträge",
    "aktuelle news",
    "aktuelle artikel",
    "aktuelle meldungen",
    "verwandte themenbereiche",
    "kommende events",
    "kommende veranstaltungen",
    "vorschau auf den nächsten artikel",
];

/// Lines (compared lower-case, from their start) that are page chrome
/// whatever element holds them: share and comment prompts, newsletter and
/// subscription calls, advertising labels, image credits, update stamps,
/// pagination.
const CHROME_LINE_STARTS: &[&str] = &[
    "teilen",
    "artikel teilen",
    "beitrag teilen",
    "seite teilen",
    "den artikel mit anderen teilen",
    "jetzt teilen",
    "share this",
    "share on",
    "share:",
    "share article",
    "tweet",
    "war der artikel nützlich",
    "war dieser artikel hilfreich",
    "war der artikel hilfreich",
    "möchten sie den artikel teilen",
    "hat ihnen der artikel gefallen",
    "abonnieren sie",
    "jetzt abonnieren",
    "newsletter abonnieren",
    "melden sie sich für",
    "zum newsletter",
    "subscribe to",
    "sign up for",
    "receive our",
    "stay up-to-date",
    "follow us",
    "folgen sie uns",
    "kommentieren",
    "kommentare",
    "schreibe einen kommentar",
    "hinterlasse einen kommentar",
    "sie müssen sich einloggen",
    "sie müssen angemeldet sein",
    "jetzt kommentieren",
    "leave a comment",
    "leave a reply",
    "post a comment",
    "anzeige",
    "werbung",
    "reklama",
    "advertisement",
    "sponsored",
    "externer inhalt",
    "zum vergrößern",
    "bild vergrößern",
    "foto:",
    "fotos:",
    "bild:",
    "bilder:",
    "photo:",
    "photo credits",
    "image:",
    "credit:",
    "getty images",
    "imago images",
    "©",
    "(c) ",
    "copyright",
    "alle rechte vorbehalten",
    "all rights reserved",
    "aktualisiert:",
    "aktualisiert am",
    "zuletzt aktualisiert",
    "veröffentlicht am",
    "erstellt am",
    "stand:",
    "updated:",
    "published:",
    "posted by",
    "posted on",
    "vorheriger beitrag",
    "nächster beitrag",
    "vorheriger artikel",
    "nächster artikel",
    "zurück zur übersicht",
    "zur startseite",
    "nach oben",
    "back to top",
    "drucken",
    "print",
    "e-mail",
    "mail",
    "facebook",
    "twitter",
    "whatsapp",
    "linkedin",
    "pinterest",
    "dieser beitrag gibt die meinung",
    "der beitrag gibt die meinung",
    "dieser artikel wurde automatisch",
    "dieser text wurde automatisch",
    "diese meldung wurde automatisch",
    "bei diesem beitrag handelt es sich um ein blog",
    "the advertising disclaimer",
    "materiał chroniony prawem",
    "wird geladen",
    "titelbild",
    "beitragsbild",
    "symbolbild",
    "was sind cookies",
    "vergrößern",
    "enlarge",
    "kontakt:",
    "pressekontakt",
    "ansprechpartner:",
    "ansprechpartnerin:",
    "telefon:",
    "tel.:",
    "fax:",
    "lesezeit",
    "lesedauer",
    "reading time",
];

/// Whole lines (compared lower-case, without trailing punctuation) that are
/// widget labels: like buttons, loading notes, a table of contents.
const CHROME_LINES: &[&str] = &[
    "gefällt mir",
    "inhaltsverzeichnis",
    "bewerten",
    "caption",
    "close",
    "schließen",
    "back to gallery",
    "zurück zur galerie",
    "comments",
    "subscribe",
    "advert",
    "like this",
    "like loading",
    "tags",
    "text size",
    "schriftgröße",
    "order reprints",
    "comments are closed",
    "media playback is unsupported on your device",
];

/// Phrases that make any short line a wire or publisher disclaimer.
const DISCLAIMER_PARTS: &[&str] = &[
    "dpa-infocom",
    "aus dem dpa-newskanal",
    "nicht notwendigerweise die der redaktion",
    "meinung des autors wieder",
    "redaktionell nicht bearbeitet",
    "automatisch generiert",
    "automatisch erstellt",
    "mit material von dpa",
    "mit material der dpa",
    "als pdf herunterladen",
    "reporting by",
    "editing by",
    "contributed reporting",
    "contributed to this report",
    "creative commons",
    "cc-by",
    "cc by-",
    "unter der lizenz",
];

/// Words of a publication or update stamp ("Updated 10:01 pm, Nov. 19,
/// 2019", "Aktualisiert 12.03.2024").
const STAMP_WORDS: &[&str] = &[
    "updated",
    "published",
    "posted",
    "aktualisiert",
    "veröffentlicht",
    "erschienen",
];

/// Words asking for a newsletter subscription.
const SUBSCRIBE_WORDS: &[&str] = &[
    "abonnieren",
    "anmelden",
    "bestellen",
    "registrieren",
    "subscribe",
    "sign up",
];

/// What a short line of text is by its words alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Line {
    Text,
    /// Chrome on its own (a share prompt, a credit, a date stamp).
    Chrome,
    /// Opens a block of teasers (*Mehr zum Thema*, *Lesen Sie auch*).
    TeaserHead,
    /// Chrome that follows an article (share and comment prompts, tags,
    /// pagination): after most of the text, the article has ended.
    Tail,
}

/// Starts of [`Line::Tail`] lines (a subset of the chrome lines).
const TAIL_STARTS: &[&str] = &[
    "teilen",
    "artikel teilen",
    "beitrag teilen",
    "den artikel mit anderen teilen",
    "jetzt teilen",
    "share this",
    "share on",
    "share:",
    "war der artikel nützlich",
    "war dieser artikel hilfreich",
    "war der artikel hilfreich",
    "möchten sie den artikel teilen",
    "hat ihnen der artikel gefallen",
    "kommentare",
    "schreibe einen kommentar",
    "hinterlasse einen kommentar",
    "jetzt kommentieren",
    "leave a comment",
    "leave a reply",
    "post a comment",
    "prev",
    "next",
    "previous",
    "vorheriger beitrag",
    "nächster beitrag",
    "vorheriger artikel",
    "nächster artikel",
    "zurück",
    "zurück zur übersicht",
    "schlagworte:",
    "schlagwörter:",
    "tags:",
    "themen:",
    "kategorien:",
    "categories:",
    "filed under",
    "abgelegt unter",
    "share your thoughts",
    "want more stories like this",
    "über den autor",
    "über die autorin",
    "about the author",
    "dieser artikel gefällt ihnen",
    "gefällt ihnen dieser artikel",
];

/// Classify a paragraph by its words. Only short lines (under 200 bytes)
/// are ever chrome; a date or time alone on a line is too.
pub(crate) fn line_kind(text: &str) -> Line {
    if is_php_diagnostic(text) {
        return Line::Chrome;
    }
    if text.len() > 200 {
        return Line::Text;
    }
    let lower = text.to_lowercase();
    let bare = lower.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ':' | '.' | '…' | '!' | '»' | '›' | '>' | '|')
    });
    let bare = bare.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '«' | '‹' | '<' | '.' | '…' | '»' | '›' | '|' | '-')
    });
    if TEASER_HEADS.contains(&bare) || TEASER_HEADS.contains(&bare.trim_end_matches('?')) {
        return Line::TeaserHead;
    }
    // "More Washington Examiner", "Mehr aus dem Ressort", "Weitere Meldungen".
    if bare.len() < 40
        && !text.trim_end().ends_with('.')
        && bare.split_whitespace().count() <= 4
        && ["more ", "mehr ", "weitere ", "alle artikel", "all stories"]
            .iter()
            .any(|p| bare.starts_with(p))
    {
        return Line::TeaserHead;
    }
    // "Das Thema könnte dich auch interessieren", "Noch mehr Infos für dich".
    if bare.len() < 60
        && !text.trim_end().ends_with('.')
        && (["auch interessieren", "auch gefallen"]
            .iter()
            .any(|p| bare.ends_with(p))
            || (bare.starts_with("noch mehr ") && bare.split_whitespace().count() <= 5))
    {
        return Line::TeaserHead;
    }
    // Markup shown as text (an escaped tracking pixel).
    if bare.starts_with('<') && bare.contains('=') && bare.ends_with(['>', '"', '/']) {
        return Line::Chrome;
    }
    let starts = |p: &str| {
        bare.starts_with(p)
            && (p.ends_with([':', ' ']) || !bare[p.len()..].starts_with(char::is_alphanumeric))
    };
    let paging = |p: &&&str| matches!(**p, "prev" | "next" | "previous" | "zurück");
    if text.len() < 120
        && TAIL_STARTS
            .iter()
            .any(|p| starts(p) && (bare.len() <= 25 || !paging(&p)))
    {
        return Line::Tail;
    }
    if text.len() < 120 && CHROME_LINE_STARTS.iter().any(|p| starts(p)) {
        return Line::Chrome;
    }
    if CHROME_LINES.contains(&bare) {
        return Line::Chrome;
    }
    if DISCLAIMER_PARTS.iter().any(|p| lower.contains(p)) {
        return Line::Chrome;
    }
    if is_date_line(bare) || is_stamp_line(bare, text) || is_byline_line(text) {
        return Line::Chrome;
    }
    // A URL alone.
    if (bare.starts_with("http://") || bare.starts_with("https://") || bare.starts_with("www."))
        && !bare.contains(char::is_whitespace)
    {
        return Line::Chrome;
    }
    if is_counter_line(bare) {
        return Line::Chrome;
    }
    if lower.contains("newsletter") && SUBSCRIBE_WORDS.iter().any(|w| lower.contains(w)) {
        return Line::Chrome;
    }
    if is_credited_caption(&lower) {
        return Line::Chrome;
    }
    Line::Text
}

/// Picture agencies and credit words, as written in photo credits.
const PHOTO_AGENCIES: &[&str] = &[
    "afp",
    "ap",
    "apa",
    "dpa",
    "epa",
    "getty",
    "getty images",
    "gettyimages",
    "imago",
    "imago images",
    "istock",
    "keystone",
    "picture alliance",
    "picture-alliance",
    "reuters",
    "shutterstock",
    "wenn.com",
];

/// A picture caption or credit: a short line ending in a credit
/// (`… im Überblick. (Foto: Agentur)`, `Name, Ort. © AFP / Fotograf`), or a
/// credit alone (`dpa/Fotograf`, `Fotograf/WENN.com`).
fn is_credited_caption(lower: &str) -> bool {
    let t = lower.trim();
    if t.len() > 200 {
        return false;
    }
    let tail_start = t.len().saturating_sub(70);
    let tail = t.get(tail_start..).unwrap_or("");
    if let Some(i) = tail.rfind('(') {
        let inner = &tail[i + 1..];
        if inner.ends_with(')')
            && ["foto:", "fotos:", "bild:", "photo:"]
                .iter()
                .any(|p| inner.starts_with(p))
        {
            return true;
        }
    }
    if let Some(i) = tail.rfind('©') {
        let credit = &tail[i..];
        if !credit.contains(['.', '!', '?']) || credit.ends_with('.') && credit.len() < 40 {
            return true;
        }
    }
    // A credit alone: agency and photographer around slashes
    // ("dpa/Max Muster", "Max Muster/Zeitung/Getty Images").
    if t.len() < 60 && t.split_whitespace().count() <= 6 && t.contains('/') {
        return t
            .split('/')
            .any(|part| PHOTO_AGENCIES.contains(&part.trim()));
    }
    false
}

/// A short publication or update stamp: a stamp word and a year or a
/// clock time, no sentence ("Updated 10:01 pm PST, Tuesday, November 19,
/// 2019", "Berlin | Aktualisiert: 19. November 2019, 09:01").
fn is_stamp_line(bare: &str, text: &str) -> bool {
    if bare.len() >= 100 || text.trim_end().ends_with('.') {
        return false;
    }
    let words = || {
        bare.split(|c: char| !c.is_alphanumeric() && c != ':')
            .filter(|w| !w.is_empty())
    };
    let stamp = words().any(|w| STAMP_WORDS.contains(&w.trim_end_matches(':')));
    let year_or_time = words().any(|w| {
        let d = w.trim_end_matches(':');
        (d.len() == 4 && d.starts_with(['1', '2']) && d.chars().all(|c| c.is_ascii_digit()))
            || d.split_once(':').is_some_and(|(h, m)| {
                !h.is_empty()
                    && h.len() <= 2
                    && m.len() == 2
                    && h.chars().chain(m.chars()).all(|c| c.is_ascii_digit())
            })
    });
    stamp && year_or_time
}

/// A PHP error message printed into the page ("Warning: … in
/// /var/www/…/file.php on line 12"), whatever its length: chrome, but
/// it says nothing about the block it sits in.
pub(crate) fn is_php_diagnostic(text: &str) -> bool {
    const KINDS: &[&str] = &[
        "Warning: ",
        "Notice: ",
        "Deprecated: ",
        "Strict Standards: ",
        "Fatal error: ",
        "Parse error: ",
    ];
    text.len() < 1000
        && KINDS.iter().any(|k| text.starts_with(k))
        && text.contains(" in /")
        && text.contains(" on line ")
}

/// A gallery counter ("Bild 3 von 12", "Image 1 of 5") or a reading time
/// ("4 min read", "3 Minuten Lesezeit").
fn is_counter_line(bare: &str) -> bool {
    if bare.len() > 30 {
        return false;
    }
    let w: Vec<&str> = bare.split_whitespace().collect();
    let num = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let counter = w.len() == 4
        && matches!(w[0], "bild" | "foto" | "image" | "photo" | "slide")
        && num(w[1])
        && matches!(w[2], "von" | "of" | "/")
        && num(w[3]);
    let reading = w.first().is_some_and(|x| num(x))
        && (bare.ends_with("min read")
            || bare.ends_with("minute read")
            || bare.ends_with("lesezeit"));
    counter || reading
}

/// A byline alone: "By Jane Doe", "Von Anna Muster und Max Beispiel".
fn is_byline_line(text: &str) -> bool {
    let t = text.trim();
    if t.len() > 60 || t.ends_with(['.', '!', '?', ':']) {
        return false;
    }
    let mut words = t.split_whitespace();
    if !matches!(
        words.next(),
        Some("By" | "by" | "BY" | "Von" | "von" | "VON")
    ) {
        return false;
    }
    let mut names = 0;
    for w in words {
        if matches!(w, "and" | "und" | "&" | ",") {
            continue;
        }
        if !w.starts_with(char::is_uppercase) {
            return false;
        }
        names += 1;
    }
    (1..=6).contains(&names)
}

/// A date and/or time alone: `23.06.2016`, `05:28 Uhr`, `3. März 2024, 10:15`,
/// `Mar 3, 2024`.
fn is_date_line(s: &str) -> bool {
    if s.len() > 40 || !s.starts_with(|c: char| c.is_ascii_digit() || c.is_alphabetic()) {
        return false;
    }
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '|' | '-' | '–' | '/'))
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return false;
    }
    let mut digits = false;
    for w in &words {
        let w = w.trim_end_matches('.');
        let numeric = w
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ':');
        if numeric {
            digits |= w.chars().any(|c| c.is_ascii_digit());
            continue;
        }
        if !(crate::meta::is_month_or_day_word(w)
            || matches!(
                w,
                "uhr" | "am" | "um" | "h" | "mez" | "mesz" | "utc" | "gmt" | "am," | "pm"
            ))
        {
            return false;
        }
    }
    digits
}
