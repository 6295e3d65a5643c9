//! The table of element names the reader knows, their behaviour flags, and a
//! small interner that maps (case-insensitive) tag names to dense ids.

use std::collections::HashMap;

/// Never has content or an end tag (`br`, `img`, `meta`, …).
pub(crate) const VOID: u16 = 1;
/// Starts and ends a paragraph of the extracted text.
pub(crate) const BLOCK: u16 = 1 << 1;
/// Its whole content is left out of the text.
pub(crate) const SKIP: u16 = 1 << 2;
/// Its start tag closes an open `<p>`.
pub(crate) const CLOSES_P: u16 = 1 << 3;
/// Boundary of the default element scope (end tags of block elements do
/// not reach across it).
pub(crate) const SCOPE: u16 = 1 << 4;
/// Boundary of the "button scope" used when closing `<p>`.
pub(crate) const BTN_SCOPE: u16 = 1 << 5;
/// Never dropped for its class, id or role (`html`, `body`, `main`, `article`).
pub(crate) const EXEMPT: u16 = 1 << 6;
/// May appear in `<head>` without closing it.
pub(crate) const HEAD_OK: u16 = 1 << 7;
/// Starts foreign (SVG / MathML) content, where `<x/>` self-closes.
pub(crate) const FOREIGN: u16 = 1 << 8;
/// Its start tag breaks out of foreign content.
pub(crate) const BREAKOUT: u16 = 1 << 9;
/// `h1` … `h6`.
pub(crate) const HEADING: u16 = 1 << 10;
/// Table structure (`table`, `tr`, `td`, …): end tags always apply.
pub(crate) const TABLE_PART: u16 = 1 << 11;

const BP: u16 = BLOCK | CLOSES_P;
const BPO: u16 = BLOCK | CLOSES_P | BREAKOUT;
const CELL: u16 = BLOCK | SCOPE | BTN_SCOPE | TABLE_PART;

macro_rules! known_tags {
    ($($variant:ident $name:literal $flags:expr;)*) => {
        /// Element names with special treatment; the discriminant is the id.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u32)]
        pub(crate) enum Tag { $($variant,)* }

        const ALL: &[Tag] = &[$(Tag::$variant,)*];

        /// `(name, flags)` indexed by `Tag as usize`.
        pub(crate) const KNOWN: &[(&str, u16)] = &[$(($name, $flags),)*];
    };
}

known_tags! {
    Html "html" BLOCK | EXEMPT | SCOPE | BTN_SCOPE;
    Head "head" BLOCK | SKIP | HEAD_OK | BREAKOUT;
    Body "body" BLOCK | EXEMPT | BREAKOUT;
    Title "title" HEAD_OK;
    Meta "meta" VOID | HEAD_OK | BREAKOUT;
    Link "link" VOID | HEAD_OK;
    Base "base" VOID | HEAD_OK;
    Basefont "basefont" VOID | HEAD_OK;
    Bgsound "bgsound" VOID | HEAD_OK;
    Script "script" SKIP | HEAD_OK;
    Style "style" SKIP | HEAD_OK;
    Noscript "noscript" SKIP | HEAD_OK;
    Template "template" SKIP | HEAD_OK | SCOPE | BTN_SCOPE;
    P "p" BPO;
    Div "div" BPO;
    H1 "h1" BPO | HEADING;
    H2 "h2" BPO | HEADING;
    H3 "h3" BPO | HEADING;
    H4 "h4" BPO | HEADING;
    H5 "h5" BPO | HEADING;
    H6 "h6" BPO | HEADING;
    Li "li" BPO;
    Ul "ul" BPO;
    Ol "ol" BPO;
    Menu "menu" BPO;
    Dl "dl" BPO;
    Dd "dd" BPO;
    Dt "dt" BPO;
    Br "br" VOID | BLOCK | BREAKOUT;
    Hr "hr" VOID | BPO;
    Wbr "wbr" VOID;
    Img "img" VOID | BREAKOUT;
    Image "image" VOID;
    Input "input" VOID;
    Area "area" VOID;
    Col "col" VOID;
    Embed "embed" VOID | BREAKOUT;
    Param "param" VOID;
    Source "source" VOID;
    Track "track" VOID;
    Keygen "keygen" VOID;
    Frame "frame" VOID;
    Table "table" BP | SCOPE | BTN_SCOPE | TABLE_PART | BREAKOUT;
    Caption "caption" CELL;
    Colgroup "colgroup" TABLE_PART;
    Thead "thead" BLOCK | TABLE_PART;
    Tbody "tbody" BLOCK | TABLE_PART;
    Tfoot "tfoot" BLOCK | TABLE_PART;
    Tr "tr" BLOCK | TABLE_PART;
    Td "td" CELL;
    Th "th" CELL;
    Blockquote "blockquote" BPO;
    Section "section" BP;
    Article "article" BP | EXEMPT;
    Main "main" BP | EXEMPT;
    Header "header" BP;
    Footer "footer" BP | SKIP;
    Nav "nav" BP | SKIP;
    Aside "aside" BP;
    Address "address" BP;
    Pre "pre" BPO;
    Listing "listing" BPO;
    Xmp "xmp" BP;
    Plaintext "plaintext" BP;
    Figure "figure" BP;
    Figcaption "figcaption" BP | SKIP;
    Details "details" BP;
    Summary "summary" BP;
    Dialog "dialog" BP | SKIP;
    Fieldset "fieldset" BP;
    Legend "legend" BLOCK;
    Center "center" BPO;
    Hgroup "hgroup" BP;
    Dir "dir" BP;
    Search "search" BP | SKIP;
    Form "form" BP;
    Button "button" SKIP | BTN_SCOPE;
    Select "select" SKIP;
    Option "option" BLOCK;
    Optgroup "optgroup" BLOCK;
    Textarea "textarea" SKIP;
    Datalist "datalist" SKIP;
    Svg "svg" SKIP | FOREIGN;
    Math "math" FOREIGN;
    Iframe "iframe" BLOCK | SKIP;
    Object "object" SKIP | SCOPE | BTN_SCOPE;
    Applet "applet" SKIP | SCOPE | BTN_SCOPE;
    Marquee "marquee" SCOPE | BTN_SCOPE;
    Canvas "canvas" SKIP;
    Video "video" BLOCK | SKIP;
    Audio "audio" BLOCK | SKIP;
    Noembed "noembed" SKIP;
    Noframes "noframes" SKIP;
    Frameset "frameset" SKIP;
    Time "time" 0;
    A "a" 0;
    Span "span" BREAKOUT;
    B "b" BREAKOUT;
    I "i" BREAKOUT;
    Em "em" BREAKOUT;
    Strong "strong" BREAKOUT;
    Small "small" BREAKOUT;
    Big "big" BREAKOUT;
    Code "code" BREAKOUT;
    Sub "sub" BREAKOUT;
    Sup "sup" BREAKOUT;
    S "s" BREAKOUT;
    U "u" BREAKOUT;
    Tt "tt" BREAKOUT;
    Var "var" BREAKOUT;
    Nobr "nobr" BREAKOUT;
    Ruby "ruby" BREAKOUT;
    Strike "strike" BREAKOUT;
}

impl Tag {
    /// The known tag with this id, if the id is a known one.
    pub(crate) fn from_id(id: u32) -> Option<Tag> {
        ALL.get(id as usize).copied()
    }

    pub(crate) fn id(self) -> u32 {
        self as u32
    }
}

/// How the tokenizer must read the content of an element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RawKind {
    /// Everything up to `</name` is character data (script, style, title …).
    Until(&'static str),
    /// Everything up to the end of input is character data (`plaintext`).
    Eof,
}

/// Raw-text / RCDATA handling for an element name (ASCII case-insensitive).
pub(crate) fn raw_kind(name: &str) -> Option<RawKind> {
    const RAW: &[&str] = &[
        "script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript",
    ];
    if name.eq_ignore_ascii_case("plaintext") {
        return Some(RawKind::Eof);
    }
    RAW.iter()
        .find(|r| r.eq_ignore_ascii_case(name))
        .map(|r| RawKind::Until(r))
}

/// Maps lower-cased tag names to dense ids; known tags keep their `Tag` id,
/// other names get ids after them with no flags (inline, nothing special).
pub(crate) struct Interner {
    map: HashMap<Box<str>, u32>,
    flags: Vec<u16>,
    scratch: String,
}

impl Interner {
    pub(crate) fn new() -> Self {
        let mut map = HashMap::with_capacity(KNOWN.len() * 2);
        let mut flags = Vec::with_capacity(KNOWN.len() + 16);
        for (i, (name, f)) in KNOWN.iter().enumerate() {
            map.insert(Box::from(*name), i as u32);
            flags.push(*f);
        }
        Interner {
            map,
            flags,
            scratch: String::new(),
        }
    }

    fn lower<'s>(scratch: &'s mut String, raw: &'s str) -> &'s str {
        if raw.bytes().any(|b| b.is_ascii_uppercase()) {
            scratch.clear();
            scratch.push_str(raw);
            scratch.make_ascii_lowercase();
            scratch
        } else {
            raw
        }
    }

    /// The id of `raw`, allocating a new one for an unseen name.
    pub(crate) fn intern(&mut self, raw: &str) -> u32 {
        let name = Self::lower(&mut self.scratch, raw);
        if let Some(&id) = self.map.get(name) {
            return id;
        }
        let id = self.flags.len() as u32;
        self.map.insert(Box::from(name), id);
        self.flags.push(0);
        id
    }

    /// The id of `raw` if the name was seen before.
    pub(crate) fn get(&mut self, raw: &str) -> Option<u32> {
        let name = Self::lower(&mut self.scratch, raw);
        self.map.get(name).copied()
    }

    pub(crate) fn flags(&self, id: u32) -> u16 {
        self.flags.get(id as usize).copied().unwrap_or(0)
    }

    pub(crate) fn len(&self) -> usize {
        self.flags.len()
    }

    /// The name of an id (a linear search: for diagnostics only).
    pub(crate) fn name(&self, id: u32) -> &str {
        self.map
            .iter()
            .find(|(_, &v)| v == id)
            .map_or("?", |(k, _)| k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_and_enum_agree() {
        assert_eq!(KNOWN.len(), ALL.len());
        assert_eq!(KNOWN[Tag::P as usize].0, "p");
        assert_eq!(KNOWN[Tag::Strike as usize].0, "strike");
        for (i, t) in ALL.iter().enumerate() {
            assert_eq!(t.id() as usize, i);
        }
        let mut names: Vec<&str> = KNOWN.iter().map(|k| k.0).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), KNOWN.len(), "duplicate tag name");
    }

    #[test]
    fn interner_is_case_insensitive() {
        let mut i = Interner::new();
        assert_eq!(i.intern("DIV"), Tag::Div.id());
        let before = i.len();
        let x = i.intern("My-Widget");
        assert_eq!(i.intern("my-widget"), x);
        assert_eq!(i.len(), before + 1);
        assert_eq!(i.flags(x), 0);
        assert_eq!(i.get("never-seen"), None);
        assert_eq!(raw_kind("SCRIPT"), Some(RawKind::Until("script")));
        assert_eq!(raw_kind("plaintext"), Some(RawKind::Eof));
        assert_eq!(raw_kind("div"), None);
    }
}
