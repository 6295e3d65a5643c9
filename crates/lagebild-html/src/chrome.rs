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
    "breadcrumb",
    "comment",
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

/// `role="main"`, `role="article"` or `itemprop="articleBody"`.
pub(crate) fn is_content_root(attrs: &[Attr]) -> bool {
    attr(attrs, "role").is_some_and(|r| has_token(r, "main") || has_token(r, "article"))
        || attr(attrs, "itemprop").is_some_and(|p| has_token(p, "articleBody"))
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
    if by_role || class_or_id_chrome(attrs, tag) {
        Verdict::Chrome
    } else {
        Verdict::Content
    }
}

fn class_or_id_chrome(attrs: &[Attr], tag: Option<Tag>) -> bool {
    let text_block = matches!(
        tag,
        Some(Tag::P | Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6)
    );
    let mut chrome = false;
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
        if POSITIVE.contains(&buf.as_str()) {
            return false;
        }
        chrome =
            chrome || HIDDEN_TOKENS.contains(&buf.as_str()) || token_is_chrome(&buf, text_block);
    }
    chrome
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
        assert!(is_content_root(&[a("itemprop", "articleBody")]));
    }
}
