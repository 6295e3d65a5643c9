//! The streaming tree builder: keeps an explicit stack of open elements,
//! applies the usual implicit-close rules, decides what is text and what is
//! chrome, and collects paragraphs and metadata.

use crate::chrome::{self, Line, Verdict};
use crate::entities::decode_into;
use crate::meta::{self, attr, clean, has_token, Collapser, DateSlot, MetaState};
use crate::tags::{
    Interner, RawKind, Tag, BLOCK, BREAKOUT, BTN_SCOPE, CLOSES_P, EXEMPT, FOREIGN, HEADING,
    HEAD_OK, SCOPE, SKIP, TABLE_PART, VOID,
};
use crate::tokenizer::{Attr, Token, Tokenizer};
use crate::{Extracted, PageKind};

const NONE: u32 = u32::MAX;

/// An open element.
struct Frame {
    id: u32,
    flags: u16,
    /// This element starts a hard-skipped region (script, nav, hidden …).
    skip: bool,
    /// This element starts a soft chrome region (decided at the end).
    soft: bool,
    foreign: bool,
    /// This element is an article/main content container.
    container: bool,
    /// This element is the `<h1>` being captured as a title candidate.
    h1: bool,
    /// Open `<p>` elements above the nearest button-scope boundary.
    p_scope: u32,
    /// Index + 1 of the nearest default-scope boundary at or below (0: none).
    scope_at: u32,
    /// Index + 1 of the nearest block or scope element at or below (0: none).
    barrier_at: u32,
    /// The block node the element's text belongs to (see [`Node`]).
    node: u32,
}

/// A block element in the tree of blocks kept for choosing the main content
/// (node 0 is the document). Parents come before their children.
struct Node {
    parent: u32,
    /// Tag id.
    tag: u32,
    /// Class or id names the main content (`article-body`, `entry-content`, …).
    positive: bool,
}

struct Para {
    text: String,
    /// Innermost block node.
    node: u32,
    /// Bytes of link text.
    link: u32,
    /// `P_HEADING`, `P_ITEM`.
    kind: u8,
    /// Innermost soft chrome region (`NONE`: none).
    region: u32,
}

/// A block element that looks like chrome (by class, id or role, or an
/// `<aside>` / `<form>`). Its text is kept aside and dropped at the end
/// unless the region turns out to hold the main content (a misread
/// wrapper such as `<div class="content-sidebar-wrap">`).
struct Region {
    parent: u32,
    /// Number of open containers when the region started.
    containers_at_open: usize,
    /// A content container or an `<h1>` starts inside the region.
    has_root: bool,
    /// An `<h1>` starts inside the region (an article header, for dates).
    has_h1: bool,
    /// Page metadata (byline, date line): its dates count where its
    /// parent's do.
    meta: bool,
    /// Chrome only by a `teaser` class ([`Verdict::Teaser`]).
    teaser: bool,
    /// The region's block node.
    node: u32,
}

/// Elements that hold one paragraph of text, never the whole content.
fn is_text_block(tag: u32) -> bool {
    [
        Tag::P,
        Tag::H1,
        Tag::H2,
        Tag::H3,
        Tag::H4,
        Tag::H5,
        Tag::H6,
        Tag::Li,
        Tag::Dd,
        Tag::Dt,
        Tag::Pre,
        Tag::Blockquote,
    ]
    .iter()
    .any(|t| t.id() == tag)
}

fn ends_like_prose(text: &str) -> bool {
    text.ends_with(['.', '!', '?', ':', '"', '“', '”', '«', '»', ')', '…'])
}

const P_HEADING: u8 = 1;
const P_ITEM: u8 = 2;

#[derive(Clone, Copy, PartialEq, Eq)]
enum RawPurpose {
    Ignore,
    Title,
    JsonLd,
    Visible,
}

/// What [`Builder::settle`] decided: rescued chrome regions and (text, date found in
/// the text, page kind).
type Settled = (Vec<bool>, (String, Option<String>, PageKind));

pub(crate) struct Builder {
    names: Interner,
    /// Per tag id: stack indices of its open elements, innermost last.
    open: Vec<Vec<u32>>,
    stack: Vec<Frame>,
    skip_depth: u32,
    /// Parent container of each container (`NONE` for roots).
    containers: Vec<u32>,
    container_stack: Vec<u32>,
    regions: Vec<Region>,
    region_stack: Vec<u32>,
    head_seen: bool,
    paras: Vec<Para>,
    nodes: Vec<Node>,
    /// Link text bytes in the current paragraph.
    cur_link: usize,
    /// The soft region being opened is page metadata.
    pending_meta: bool,
    /// The soft region being opened is chrome only by a `teaser` class.
    pending_teaser: bool,
    cur: Collapser,
    h1_capturing: bool,
    h1_buf: Collapser,
    /// Stack index, slot, soft chrome region and text of an element whose
    /// text is a date.
    date_capture: Option<(u32, DateSlot, u32, Collapser)>,
    /// Dates from `<time>` / microdata with the soft chrome region they
    /// appeared in; resolved once it is known which regions are kept.
    date_candidates: Vec<(DateSlot, String, u32)>,
    /// Stack index and text of the first byline element.
    author_capture: Option<(u32, Collapser)>,
    author_done: bool,
    scratch: String,
    raw_purpose: RawPurpose,
    m: MetaState,
    /// The block chosen as main content (for [`Builder::explain`]).
    chosen: std::cell::Cell<u32>,
}

fn last_of(open: &[Vec<u32>], tags: &[Tag]) -> Option<u32> {
    tags.iter()
        .filter_map(|t| open.get(t.id() as usize).and_then(|v| v.last().copied()))
        .max()
}

impl Builder {
    pub(crate) fn new() -> Self {
        let names = Interner::new();
        let open = vec![Vec::new(); names.len()];
        Builder {
            names,
            open,
            stack: Vec::new(),
            skip_depth: 0,
            containers: Vec::new(),
            container_stack: Vec::new(),
            regions: Vec::new(),
            region_stack: Vec::new(),
            head_seen: false,
            paras: Vec::new(),
            nodes: vec![Node {
                parent: NONE,
                tag: Tag::Html.id(),
                positive: false,
            }],
            cur_link: 0,
            pending_meta: false,
            pending_teaser: false,
            cur: Collapser::default(),
            h1_capturing: false,
            h1_buf: Collapser::default(),
            date_capture: None,
            author_capture: None,
            author_done: false,
            date_candidates: Vec::new(),
            scratch: String::new(),
            raw_purpose: RawPurpose::Ignore,
            m: MetaState::default(),
            chosen: std::cell::Cell::new(0),
        }
    }

    pub(crate) fn run(&mut self, html: &str) {
        let mut tok = Tokenizer::new(html);
        while let Some(t) = tok.next_token() {
            let raw = match t {
                Token::Text(s) => {
                    self.text(s);
                    None
                }
                Token::Raw(s) => {
                    self.raw(s);
                    None
                }
                Token::Start {
                    name,
                    attrs,
                    self_closing,
                } => self.start_tag(name, attrs, self_closing),
                Token::End { name } => {
                    self.end_tag(name);
                    None
                }
            };
            if let Some(kind) = raw {
                tok.set_raw(kind);
            }
        }
    }

    fn is_open(&self, t: Tag) -> bool {
        !self.open[t.id() as usize].is_empty()
    }

    fn top_is(&self, t: Tag) -> bool {
        self.stack.last().is_some_and(|f| f.id == t.id())
    }

    /// Inside a skipped region other than `<head>`.
    fn in_hard_chrome(&self) -> bool {
        self.skip_depth > u32::from(self.is_open(Tag::Head))
    }

    /// The innermost soft chrome region, unless it encloses the current
    /// content container (then it is a wrapper, not chrome around us).
    fn soft_chrome_region(&self) -> u32 {
        match self.region_stack.last() {
            Some(&r)
                if self.container_stack.len() <= self.regions[r as usize].containers_at_open =>
            {
                r
            }
            _ => NONE,
        }
    }

    /// Inside hard chrome or a soft chrome region (see above).
    fn in_chrome(&self) -> bool {
        self.in_hard_chrome() || self.soft_chrome_region() != NONE
    }

    fn add_date_candidate(&mut self, slot: DateSlot, raw: &str, region: u32) {
        if self.date_candidates.len() < 256 && self.m.date[slot as usize].is_none() {
            if let Some(d) = meta::normalize_date(&crate::entities::decode(raw)) {
                self.date_candidates.push((slot, d, region));
            }
        }
    }

    // ------------------------------------------------------------ paragraphs

    fn flush(&mut self) {
        if self.cur.is_empty() {
            return;
        }
        let text = self.cur.take();
        let link = std::mem::take(&mut self.cur_link).min(text.len()) as u32;
        let heading = last_of(
            &self.open,
            &[Tag::H1, Tag::H2, Tag::H3, Tag::H4, Tag::H5, Tag::H6],
        )
        .is_some();
        let kind = if heading { P_HEADING } else { 0 }
            | if self.is_open(Tag::Li) || self.is_open(Tag::Dd) {
                P_ITEM
            } else {
                0
            };
        self.paras.push(Para {
            node: self.stack.last().map_or(0, |f| f.node),
            link,
            kind,
            text,
            region: self.region_stack.last().copied().unwrap_or(NONE),
        });
    }

    fn text(&mut self, s: &str) {
        if self.is_open(Tag::Head) && s.bytes().any(|b| !b.is_ascii_whitespace()) {
            // Text cannot live in <head>: the head has ended.
            let h = self.open[Tag::Head.id() as usize][0];
            self.pop_to(h);
        }
        if self.skip_depth > 0 {
            return;
        }
        let s = if s.contains('&') {
            self.scratch.clear();
            decode_into(s, &mut self.scratch);
            self.scratch.as_str()
        } else {
            s
        };
        self.cur.push_str(s);
        if self.is_open(Tag::A) {
            self.cur_link += s.trim().len();
        }
        if self.h1_capturing {
            self.h1_buf.push_str(s);
        }
        if let Some((_, buf)) = &mut self.author_capture {
            if buf.len() < 200 {
                buf.push_str(s);
            }
        }
        if let Some((_, _, _, buf)) = &mut self.date_capture {
            if buf.len() < 200 {
                buf.push_str(s);
            }
        }
    }

    fn raw(&mut self, s: &str) {
        match std::mem::replace(&mut self.raw_purpose, RawPurpose::Ignore) {
            RawPurpose::Title => {
                let t = clean(s);
                if !t.is_empty() {
                    self.m.title_tag = Some(t);
                }
            }
            RawPurpose::JsonLd => self.m.json_ld(s),
            RawPurpose::Visible => self.cur.push_str(s),
            RawPurpose::Ignore => {}
        }
    }

    // ------------------------------------------------------------ the stack

    fn push_frame(
        &mut self,
        id: u32,
        flags: u16,
        skip: bool,
        soft: bool,
        container: bool,
        h1: bool,
    ) {
        let idx = self.stack.len() as u32;
        let parent = self.stack.last();
        let is_p = u32::from(id == Tag::P.id());
        let p_scope = if flags & (SCOPE | BTN_SCOPE) != 0 {
            is_p
        } else {
            parent.map_or(0, |f| f.p_scope) + is_p
        };
        let scope_at = if flags & SCOPE != 0 {
            idx + 1
        } else {
            parent.map_or(0, |f| f.scope_at)
        };
        let barrier_at = if flags & (BLOCK | SCOPE | BTN_SCOPE) != 0 {
            idx + 1
        } else {
            parent.map_or(0, |f| f.barrier_at)
        };
        let foreign = flags & FOREIGN != 0 || parent.is_some_and(|f| f.foreign);
        let parent_node = parent.map_or(0, |f| f.node);
        if (container || id == Tag::H1.id()) && !skip && self.skip_depth == 0 {
            if let Some(&r) = self.region_stack.last() {
                let region = &mut self.regions[r as usize];
                region.has_root = true;
                region.has_h1 |= id == Tag::H1.id();
            }
        }
        if soft {
            let parent_r = self.region_stack.last().copied().unwrap_or(NONE);
            self.region_stack.push(self.regions.len() as u32);
            self.regions.push(Region {
                parent: parent_r,
                containers_at_open: self.container_stack.len(),
                has_root: false,
                has_h1: false,
                meta: self.pending_meta,
                teaser: self.pending_teaser,
                node: 0,
            });
        }
        if container {
            let parent_c = self.container_stack.last().copied().unwrap_or(NONE);
            self.container_stack.push(self.containers.len() as u32);
            self.containers.push(parent_c);
        }
        if skip {
            self.skip_depth += 1;
        }
        self.open[id as usize].push(idx);
        self.stack.push(Frame {
            id,
            flags,
            skip,
            soft,
            foreign,
            container,
            h1,
            p_scope,
            scope_at,
            barrier_at,
            node: parent_node,
        });
    }

    fn pop_top(&mut self) {
        let Some(top) = self.stack.last() else { return };
        if top.flags & BLOCK != 0 || top.container || top.soft {
            self.flush();
        }
        let Some(f) = self.stack.pop() else { return };
        self.open[f.id as usize].pop();
        if f.skip {
            self.skip_depth -= 1;
        }
        if f.soft {
            self.region_stack.pop();
        }
        if f.container {
            self.container_stack.pop();
        }
        if self
            .date_capture
            .as_ref()
            .is_some_and(|c| c.0 as usize == self.stack.len())
        {
            if let Some((_, slot, region, mut buf)) = self.date_capture.take() {
                let text = buf.take();
                self.add_date_candidate(slot, &text, region);
            }
        }
        if self
            .author_capture
            .as_ref()
            .is_some_and(|c| c.0 as usize == self.stack.len())
        {
            if let Some((_, mut buf)) = self.author_capture.take() {
                if let Some(name) = meta::byline_author(&buf.take()) {
                    self.m.author[5] = Some(name);
                    self.author_done = true;
                }
            }
        }
        if f.h1 {
            self.h1_capturing = false;
            let t = self.h1_buf.take();
            if !t.is_empty() && self.m.h1.is_none() {
                self.m.h1 = Some(t);
            }
        }
    }

    /// Pop elements until the one at stack index `idx` is closed.
    fn pop_to(&mut self, idx: u32) {
        while self.stack.len() > idx as usize {
            self.pop_top();
        }
    }

    fn close_p(&mut self) {
        if self.stack.last().is_some_and(|f| f.p_scope > 0) {
            if let Some(&i) = self.open[Tag::P.id() as usize].last() {
                self.pop_to(i);
            }
        }
    }

    /// Close the innermost of `targets` if it is nested deeper than every
    /// `bounds` element and not behind a scope boundary.
    fn close_if_above(&mut self, targets: &[Tag], bounds: &[Tag]) {
        let Some(t) = last_of(&self.open, targets) else {
            return;
        };
        let scope_at = self.stack.last().map_or(0, |f| f.scope_at);
        if last_of(&self.open, bounds).is_none_or(|b| t > b) && t + 1 >= scope_at {
            self.pop_to(t);
        }
    }

    fn implicit_close(&mut self, known: Option<Tag>, flags: u16) {
        if flags & CLOSES_P != 0 {
            self.close_p();
        }
        match known {
            Some(Tag::Li) => self.close_if_above(&[Tag::Li], &[Tag::Ul, Tag::Ol, Tag::Menu]),
            Some(Tag::Dd | Tag::Dt) => self.close_if_above(&[Tag::Dd, Tag::Dt], &[Tag::Dl]),
            Some(Tag::Td | Tag::Th) => {
                self.close_if_above(&[Tag::Td, Tag::Th], &[Tag::Tr, Tag::Table])
            }
            Some(Tag::Tr) => self.close_if_above(
                &[Tag::Tr],
                &[Tag::Table, Tag::Tbody, Tag::Thead, Tag::Tfoot],
            ),
            Some(Tag::Tbody | Tag::Thead | Tag::Tfoot) => {
                self.close_if_above(&[Tag::Tbody, Tag::Thead, Tag::Tfoot], &[Tag::Table])
            }
            Some(Tag::Option) if self.top_is(Tag::Option) => self.pop_top(),
            Some(Tag::Optgroup) => {
                if self.top_is(Tag::Option) {
                    self.pop_top();
                }
                if self.top_is(Tag::Optgroup) {
                    self.pop_top();
                }
            }
            _ if flags & HEADING != 0
                && self.stack.last().is_some_and(|f| f.flags & HEADING != 0) =>
            {
                self.pop_top()
            }
            _ => {}
        }
    }

    // ------------------------------------------------------------ tags

    fn start_tag(&mut self, name: &str, attrs: &[Attr], self_closing: bool) -> Option<RawKind> {
        let id = self.names.intern(name);
        if self.open.len() <= id as usize {
            self.open.resize_with(id as usize + 1, Vec::new);
        }
        let flags = self.names.flags(id);
        let known = Tag::from_id(id);
        match known {
            Some(Tag::Html) => {
                if self.m.lang_html.is_none() {
                    self.m.lang_html = attr(attrs, "lang")
                        .or_else(|| attr(attrs, "xml:lang"))
                        .and_then(meta::normalize_lang);
                }
                if self.is_open(Tag::Html) {
                    return None;
                }
            }
            Some(Tag::Body) if self.is_open(Tag::Body) => return None,
            Some(Tag::Head) => {
                if self.head_seen {
                    return None;
                }
                self.head_seen = true;
            }
            _ => {}
        }
        if flags & HEAD_OK == 0 && self.is_open(Tag::Head) {
            let h = self.open[Tag::Head.id() as usize][0];
            self.pop_to(h);
        }
        if flags & BREAKOUT != 0 {
            while self.stack.last().is_some_and(|f| f.foreign) {
                self.pop_top();
            }
        }
        self.implicit_close(known, flags);

        let in_skip = self.skip_depth > 0;
        let in_chrome = self.in_chrome();
        let date_from_text = self.collect_meta(known, attrs, in_chrome);

        let mut skip = false;
        let mut soft = false;
        let mut container = false;
        // Custom elements (`<cookie-box>`) are usually blocks.
        let blockish = flags & BLOCK != 0 || (known.is_none() && name.contains('-'));
        if !in_skip {
            let verdict = if flags & SKIP != 0 {
                Verdict::Hidden
            } else {
                match chrome::classify(attrs, known, flags & EXEMPT != 0) {
                    Verdict::Content
                        if matches!(known, Some(Tag::Aside | Tag::Form))
                            && !chrome::is_content_root(attrs) =>
                    {
                        Verdict::Chrome
                    }
                    v => v,
                }
            };
            match verdict {
                Verdict::Content => {}
                Verdict::Hidden => skip = true,
                // Inline chrome (links, spans) is small: drop it now.
                Verdict::Chrome | Verdict::Teaser if !blockish => skip = true,
                Verdict::Chrome | Verdict::Teaser => soft = true,
                // Inline metadata (`<span class="date">`) stays: dates are
                // read from its text and the cleaner knows bylines.
                Verdict::Meta => soft = blockish,
            }
            self.pending_meta = verdict == Verdict::Meta;
            self.pending_teaser = verdict == Verdict::Teaser;
            container = !skip
                && !soft
                && (matches!(known, Some(Tag::Article | Tag::Main))
                    || chrome::is_content_root(attrs));
        }
        let in_foreign = self.stack.last().is_some_and(|f| f.foreign);
        let void = flags & VOID != 0 || (self_closing && (in_foreign || flags & FOREIGN != 0));
        if flags & BLOCK != 0 || container || soft {
            self.flush();
        } else if skip {
            self.cur.soft_break();
        }
        if void {
            return None;
        }
        let h1 = known == Some(Tag::H1)
            && !in_chrome
            && !skip
            && !soft
            && !self.h1_capturing
            && self.m.h1.is_none();
        if h1 {
            self.h1_capturing = true;
            self.h1_buf = Collapser::default();
        }
        self.push_frame(id, flags, skip, soft, container, h1);
        if (blockish || container || soft) && !skip && self.skip_depth == 0 {
            let node = self.nodes.len() as u32;
            if let Some(top) = self.stack.last_mut() {
                self.nodes.push(Node {
                    parent: top.node,
                    tag: id,
                    positive: container || chrome::is_positive(attrs),
                });
                top.node = node;
            }
            if soft {
                if let Some(r) = self.regions.last_mut() {
                    r.node = node;
                }
            }
        }
        if !self.author_done
            && self.author_capture.is_none()
            && !skip
            && self.skip_depth == 0
            && meta::is_byline(attrs)
        {
            let idx = self.stack.len() as u32 - 1;
            self.author_capture = Some((idx, Collapser::default()));
        }
        if let (Some((slot, region)), None) = (date_from_text, &self.date_capture) {
            let idx = self.stack.len() as u32 - 1;
            self.date_capture = Some((idx, slot, region, Collapser::default()));
        }

        let kind = known.and_then(|t| crate::tags::raw_kind(crate::tags::KNOWN[t as usize].0))?;
        self.raw_purpose = match known {
            Some(Tag::Title) if !in_foreign && self.m.title_tag.is_none() => RawPurpose::Title,
            Some(Tag::Script)
                if attr(attrs, "type")
                    .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json")) =>
            {
                RawPurpose::JsonLd
            }
            Some(Tag::Xmp | Tag::Plaintext) if self.skip_depth == 0 => RawPurpose::Visible,
            _ => RawPurpose::Ignore,
        };
        Some(kind)
    }

    /// Metadata carried by a start tag. Returns a date slot when the
    /// element's text content is the date (`<time>12. März 2024</time>`,
    /// `<span itemprop="datePublished">…</span>`).
    fn collect_meta(
        &mut self,
        known: Option<Tag>,
        attrs: &[Attr],
        in_chrome: bool,
    ) -> Option<(DateSlot, u32)> {
        match known {
            Some(Tag::Meta) => {
                self.m.meta_tag(attrs, in_chrome);
                return None;
            }
            Some(Tag::Link) => {
                self.m.link_tag(attrs);
                return None;
            }
            _ => {}
        }
        if self.in_hard_chrome() {
            return None;
        }
        let region = self.soft_chrome_region();
        let published = attr(attrs, "itemprop").is_some_and(|p| has_token(p, "datePublished"));
        let slot = if published || (known == Some(Tag::Time) && attr(attrs, "pubdate").is_some()) {
            DateSlot::Microdata
        } else if known != Some(Tag::Time) {
            return None;
        } else if self.container_stack.is_empty() {
            DateSlot::TimeAnywhere
        } else {
            DateSlot::TimeInContent
        };
        let value = attr(attrs, "datetime")
            .or_else(|| attr(attrs, "content"))
            .or_else(|| attr(attrs, "title").filter(|_| published));
        match value {
            Some(v) => {
                self.add_date_candidate(slot, v, region);
                None
            }
            None if self.m.date[slot as usize].is_none() => Some((slot, region)),
            None => None,
        }
    }

    fn end_tag(&mut self, name: &str) {
        let Some(id) = self.names.get(name) else {
            return;
        };
        let flags = self.names.flags(id);
        let known = Tag::from_id(id);
        let Some(top) = self.stack.last() else {
            if known == Some(Tag::Br) || known == Some(Tag::P) {
                self.flush();
            }
            return;
        };
        let (top_p_scope, top_scope_at, top_barrier_at) =
            (top.p_scope, top.scope_at, top.barrier_at);
        let target = match known {
            Some(Tag::Br) => {
                self.flush();
                return;
            }
            Some(Tag::Body | Tag::Html) => return,
            Some(Tag::P) if top_p_scope == 0 => {
                self.flush();
                return;
            }
            _ if flags & HEADING != 0 => last_of(
                &self.open,
                &[Tag::H1, Tag::H2, Tag::H3, Tag::H4, Tag::H5, Tag::H6],
            ),
            _ => self.open.get(id as usize).and_then(|v| v.last().copied()),
        };
        let Some(idx) = target else { return };
        let allowed = if flags & (SCOPE | BTN_SCOPE | TABLE_PART) != 0 || known == Some(Tag::Head) {
            true
        } else if flags & BLOCK != 0 {
            top_scope_at <= idx
        } else {
            top_barrier_at <= idx
        };
        if allowed {
            self.pop_to(idx);
        }
    }

    // ------------------------------------------------------------ result

    /// See [`crate::explain`].
    pub(crate) fn explain(mut self, page_url: Option<&str>) -> String {
        use std::fmt::Write;
        let settled = self.settle();
        let rescued = &settled.0;
        let chosen = self.chosen.get();
        let mut out = String::new();
        let path = |mut x: u32| {
            let mut v = Vec::new();
            while x != NONE && x != 0 {
                let n = &self.nodes[x as usize];
                v.push(format!(
                    "{}{}{}",
                    self.names.name(n.tag),
                    x,
                    if n.positive { "+" } else { "" }
                ));
                x = n.parent;
            }
            v.reverse();
            v.join("/")
        };
        let _ = writeln!(out, "chosen: {}", path(chosen));
        for (i, p) in self.paras.iter().enumerate() {
            let kept = p.region == NONE || rescued[p.region as usize];
            let mut t: String = p.text.chars().take(90).collect();
            if t.len() < p.text.len() {
                t.push('…');
            }
            let _ = writeln!(
                out,
                "{i:4} w{:<6} len{:<5} link{:<4} k{} r{}{} {:?} {} | {t}",
                self.weight(p, kept),
                p.text.len(),
                p.link,
                p.kind,
                if p.region == NONE {
                    "-".to_string()
                } else {
                    p.region.to_string()
                },
                if kept { "" } else { "x" },
                chrome::line_kind(&p.text),
                path(p.node),
            );
        }
        let ex = self.finish_settled(settled, page_url);
        let _ = writeln!(out, "---\n{}", ex.text);
        out
    }

    /// Closes the open elements and chooses the text: the rescued chrome regions
    /// and (text, date found in it, page kind).
    fn settle(&mut self) -> Settled {
        self.pop_to(0);
        self.flush();
        let all: usize = self.paras.iter().map(|p| p.text.len()).sum();
        let rescued = self.rescued_regions(all);
        let selected = self.select_text(&rescued);
        (rescued, selected)
    }

    pub(crate) fn finish(mut self, page_url: Option<&str>) -> Extracted {
        let settled = self.settle();
        self.finish_settled(settled, page_url)
    }

    fn finish_settled(mut self, settled: Settled, page_url: Option<&str>) -> Extracted {
        let (rescued, (text, text_date, page_kind)) = settled;
        // Dates count from kept text and from regions holding an <h1>
        // (an article header that merely looks like chrome).
        let mut has_h1: Vec<bool> = self.regions.iter().map(|r| r.has_h1).collect();
        for r in (0..has_h1.len()).rev() {
            let parent = self.regions[r].parent;
            if parent != NONE && has_h1[r] {
                has_h1[parent as usize] = true;
            }
        }
        let counts = |r: u32| r == NONE || rescued[r as usize] || has_h1[r as usize];
        for (slot, date, region) in std::mem::take(&mut self.date_candidates) {
            let ok = counts(region)
                || (self.regions[region as usize].meta
                    && counts(self.regions[region as usize].parent));
            let d = &mut self.m.date[slot as usize];
            if d.is_none() && ok {
                *d = Some(date);
            }
        }
        let m = self.m;
        let url = m.canonical.or(m.og_url);
        let mut sites: Vec<String> = Vec::new();
        sites.extend(m.site.iter().cloned());
        sites.extend(m.app_name.iter().cloned());
        if let Some(host) = url.as_deref().and_then(meta::url_host) {
            sites.push(host);
        }
        if let Some(host) = page_url.and_then(meta::url_host) {
            sites.push(host);
        }
        let url_date = url
            .as_deref()
            .and_then(meta::date_from_url)
            .or_else(|| page_url.and_then(meta::date_from_url));
        // A <title> that is only the site name is no headline.
        let title_tag = m.title_tag.filter(|t| !meta::is_site_name(t, &sites));
        // The <h1> is the headline when the <title> or og:title repeats it
        // (with a site name or section around it).
        let norm = |s: &str| s.to_lowercase();
        let h1_confirmed = m.h1.clone().filter(|h| {
            h.len() >= 8
                && [&title_tag, &m.og_title]
                    .iter()
                    .any(|t| t.as_deref().is_some_and(|t| norm(t).contains(&norm(h))))
        });
        let title = h1_confirmed
            .or_else(|| {
                title_tag
                    .or(m.og_title)
                    .or(m.tw_title)
                    .map(|t| meta::strip_site_suffix(&meta::strip_site_name(&t, &sites)))
            })
            .or(m.h1)
            .map(|t| meta::strip_site_name(&t, &sites))
            .filter(|t| !t.is_empty());
        let [d0, d1, d2] = m.desc;
        Extracted {
            title,
            text,
            published: m
                .date
                .into_iter()
                .flatten()
                .next()
                .or(url_date)
                .or(text_date),
            author: m
                .author
                .into_iter()
                .flatten()
                .find(|a| !meta::is_site_name(a, &sites)),
            site: m.site,
            url,
            language: m.lang_html.or(m.lang_meta).or(m.locale),
            charset: m.charset,
            description: d0.or(d1).or(d2),
            page_kind,
            is_article: page_kind == PageKind::Article,
        }
    }

    /// Soft chrome regions that hold the main content: at least half of
    /// all text, and they contain (or sit inside) a content container.
    fn rescued_regions(&self, total: usize) -> Vec<bool> {
        let n = self.regions.len();
        let mut sub = vec![0usize; n];
        for p in &self.paras {
            if p.region != NONE {
                sub[p.region as usize] += p.text.len();
            }
        }
        let mut has_root: Vec<bool> = self.regions.iter().map(|r| r.has_root).collect();
        // Children are created after their parents.
        for r in (0..n).rev() {
            let parent = self.regions[r].parent;
            if parent != NONE {
                sub[parent as usize] += sub[r];
                has_root[parent as usize] |= has_root[r];
            }
        }
        (0..n)
            .map(|r| {
                sub[r] * 2 >= total
                    && total > 0
                    && (has_root[r] || self.regions[r].containers_at_open > 0)
            })
            .collect()
    }

    /// How much a paragraph speaks for the block that holds it being the
    /// main content: running prose counts for, link lists and chrome
    /// against, short fragments slightly against.
    fn weight(&self, p: &Para, kept: bool) -> i64 {
        let len = p.text.len() as i64;
        let link = i64::from(p.link);
        if chrome::is_php_diagnostic(&p.text) {
            return 0;
        }
        if link * 2 > len || chrome::line_kind(&p.text) != Line::Text {
            return -len;
        }
        if !kept {
            // Chrome by its class: prose there counts a little (a misread
            // article wrapper still wins), everything else against.
            let w = Self::weight_plain(p.kind, len, link, ends_like_prose(&p.text));
            return if w > 0 { w / 4 } else { w - len / 2 };
        }
        Self::weight_plain(p.kind, len, link, ends_like_prose(&p.text))
    }

    fn weight_plain(kind: u8, len: i64, link: i64, prose: bool) -> i64 {
        if kind & P_HEADING != 0 && len < 80 {
            return 0;
        }
        if len >= 100 {
            len - 3 * link
        } else if len >= 40 && prose {
            len / 2 - 3 * link
        } else if link == 0 && kind & P_ITEM != 0 {
            // List items without links (ingredients, facts): neutral.
            0
        } else {
            -len / 3 - link
        }
    }

    /// Join the paragraphs of the main content: the block whose paragraphs
    /// weigh most (prose for, link lists and chrome against; see
    /// [`Builder::weight`]), less link lists and chrome inside it.
    fn select_text(&self, rescued: &[bool]) -> (String, Option<String>, PageKind) {
        let kept = |p: &Para| p.region == NONE || rescued[p.region as usize];
        let n = self.nodes.len();
        let mut net = vec![0i64; n];
        let mut pos = vec![0i64; n];
        // Weight of the paragraphs directly in a block (its own text
        // blocks), without its sub-blocks.
        let mut own = vec![0i64; n];
        // Teaser cards: a small block (under 600 bytes of text) holding a
        // linked heading, in a block holding at least three linked
        // headings (a list of cards); the prose in a card is a teaser.
        let mut size = vec![0usize; n];
        let mut link_heads = vec![0u32; n];
        for p in &self.paras {
            size[p.node as usize] += p.text.len();
            if p.kind & P_HEADING != 0 && p.link as usize * 2 > p.text.len() {
                link_heads[p.node as usize] += 1;
            }
        }
        for i in (1..n).rev() {
            let parent = self.nodes[i].parent as usize;
            size[parent] += size[i];
            link_heads[parent] += link_heads[i];
        }
        let in_card = |mut x: usize| {
            for _ in 0..4 {
                if x == 0 {
                    break;
                }
                let parent = self.nodes[x].parent as usize;
                if link_heads[x] > 0 && size[x] < 600 && link_heads[parent] >= 3 {
                    return true;
                }
                x = parent;
            }
            false
        };
        // Lines of one block split by <br> weigh as one paragraph.
        let mut i = 0;
        while i < self.paras.len() {
            let p = &self.paras[i];
            let plain = |q: &Para| {
                q.link as usize * 2 <= q.text.len() && chrome::line_kind(&q.text) == Line::Text
            };
            let mut j = i + 1;
            if plain(p) && p.kind == 0 {
                while j < self.paras.len() {
                    let q = &self.paras[j];
                    if q.node != p.node || q.region != p.region || q.kind != p.kind || !plain(q) {
                        break;
                    }
                    j += 1;
                }
            }
            let w = if j > i + 1 {
                let run = &self.paras[i..j];
                let len: usize = run.iter().map(|q| q.text.len()).sum();
                let link: u32 = run.iter().map(|q| q.link).sum();
                let last = &run[run.len() - 1];
                let (len, link) = (len as i64, i64::from(link));
                let mut w = Self::weight_plain(p.kind, len, link, ends_like_prose(&last.text));
                if !kept(p) {
                    w = if w > 0 { w / 4 } else { w - len / 2 };
                }
                w
            } else {
                self.weight(p, kept(p))
            };
            let w = if w > 0 && in_card(p.node as usize) {
                -w / 2
            } else {
                w
            };
            net[p.node as usize] += w;
            pos[p.node as usize] += w.max(0);
            let mut holder = p.node as usize;
            if is_text_block(self.nodes[holder].tag) && holder != 0 {
                holder = self.nodes[holder].parent as usize;
            }
            own[holder] += w;
            i = j;
        }
        for i in (1..n).rev() {
            let parent = self.nodes[i].parent as usize;
            net[parent] += net[i];
            pos[parent] += pos[i];
        }
        let mut best = 0usize;
        for i in 0..n {
            if net[i] >= net[best] {
                best = i;
            }
        }
        // A block whose own paragraphs outweigh the best subtree wins even
        // when link lists and teasers below it pull its total down (an
        // article written straight into a container that also holds the
        // next article or a comment section).
        let mut own_best = 0usize;
        for i in 1..n {
            if own[i] > own[own_best] {
                own_best = i;
            }
        }
        let by_own = own[own_best] > net[best];
        if by_own {
            best = own_best;
        }
        // what the chosen block is worth: its own paragraphs when it won by them
        let worth = if by_own { own[best] } else { net[best] };
        if worth < 50 {
            // No block of prose (less than one short paragraph's worth): the
            // article/main container holding most of the text, else every
            // paragraph that is not chrome.
            best = 0;
            let mut size = vec![0usize; n];
            for p in self.paras.iter().filter(|p| kept(p)) {
                size[p.node as usize] += p.text.len();
            }
            for i in (1..n).rev() {
                let parent = self.nodes[i].parent as usize;
                size[parent] += size[i];
            }
            if let Some(c) = (1..n)
                .filter(|&i| self.nodes[i].positive && size[i] * 2 >= size[0])
                .min_by_key(|&i| i)
            {
                best = c;
            }
        }
        // A paragraph alone is no main content: its block is.
        while best != 0 && is_text_block(self.nodes[best].tag) {
            best = self.nodes[best].parent as usize;
        }
        // Widen to the enclosing block while that adds prose and costs
        // little: an article split over sibling blocks (lede, body, list).
        // Not for a block chosen by its own paragraphs: its subtree total is
        // exactly what that choice set aside.
        while best != 0 && !(by_own && worth >= 50) {
            let parent = self.nodes[best].parent as usize;
            let extra = pos[parent] - pos[best];
            if extra * 10 >= pos[best] && net[parent] * 10 >= net[best] * 8 {
                best = parent;
            } else {
                break;
            }
        }
        self.chosen.set(best as u32);
        let mut in_sel = vec![false; n];
        for i in 0..n {
            let parent = self.nodes[i].parent;
            in_sel[i] = i == best || (parent != NONE && in_sel[parent as usize]);
        }
        // Chrome regions that wrap the chosen block are no chrome.
        let mut wraps = vec![false; n];
        let mut x = best as u32;
        while x != NONE {
            wraps[x as usize] = true;
            x = self.nodes[x as usize].parent;
        }
        // ... when they hold an article root (a content container or the
        // <h1>) or sit inside a content container.
        let mut may_wrap: Vec<bool> = self
            .regions
            .iter()
            .map(|r| r.has_root || r.containers_at_open > 0)
            .collect();
        for r in (0..self.regions.len()).rev() {
            let parent = self.regions[r].parent;
            if parent != NONE && may_wrap[r] {
                may_wrap[parent as usize] = true;
            }
        }
        let kept = |p: &Para| {
            let r = p.region as usize;
            p.region == NONE || rescued[r] || (may_wrap[r] && wraps[self.regions[r].node as usize])
        };
        // A `teaser` region (not inside other chrome, holding no article of
        // its own) is text when it lies in the chosen block or is its lede
        // (see below); its headings stay out.
        let teaser = |p: &Para| {
            p.region != NONE && p.kind & P_HEADING == 0 && {
                let r = &self.regions[p.region as usize];
                r.teaser && r.parent == NONE && !r.has_root
            }
        };
        let kept_or_teaser = |p: &Para| kept(p) || teaser(p);
        // A date written in a short line near the start of the main text
        // (a byline: "Veröffentlicht am 23. Februar 2020").
        let first = self
            .paras
            .iter()
            .position(|p| in_sel[p.node as usize] && kept(p));
        let text_date = first
            .and_then(|f| {
                self.paras[f.saturating_sub(12)..(f + 12).min(self.paras.len())]
                    .iter()
                    .filter(|p| p.text.len() < 160)
                    .find_map(|p| meta::find_date(&p.text))
            })
            .or_else(|| {
                self.paras
                    .iter()
                    .filter(|p| p.text.len() < 160)
                    .find_map(|p| meta::find_date(&p.text))
            });
        // The headline (and byline) just before the chosen block belong to it.
        let mut head_from = usize::MAX;
        if let (Some(f), Some(h1)) = (first, self.m.h1.as_deref()) {
            if let Some(h) = (f.saturating_sub(6)..f)
                .rev()
                .find(|&i| self.paras[i].kind & P_HEADING != 0 && self.paras[i].text == h1)
            {
                head_from = h;
            }
        }
        let mut lead = vec![false; self.paras.len()];
        if let Some(f) = first {
            for l in lead.iter_mut().take(f).skip(head_from) {
                *l = true;
            }
            // A lede just before the chosen block (the teaser paragraph of
            // an article header): prose within six paragraphs, in a block
            // at most four levels above the chosen one (below <body>).
            let mut top = best;
            for _ in 0..4 {
                let parent = self.nodes[top].parent;
                if parent == NONE
                    || parent == 0
                    || self.nodes[parent as usize].tag == Tag::Body.id()
                {
                    break;
                }
                top = parent as usize;
            }
            for i in (f.saturating_sub(6)..f).filter(|_| top != best) {
                let p = &self.paras[i];
                if !kept_or_teaser(p)
                    || p.link as usize * 2 > p.text.len()
                    || chrome::line_kind(&p.text) != Line::Text
                    || self.weight(p, true) <= 0
                {
                    continue;
                }
                // Nodes are numbered parents first: climb until at or above `top`.
                let mut x = p.node as usize;
                while x > top {
                    x = self.nodes[x].parent as usize;
                }
                lead[i] |= x == top;
            }
        }
        let mut out = self.join(&in_sel, &kept_or_teaser, &lead);
        if out.is_empty() {
            // The chosen block had nothing to show: every kept paragraph.
            out = self.join(&vec![true; n], &kept, &[]);
        }
        let kind = self.page_kind(&out);
        (out, text_date, kind)
    }

    /// Article, listing or other, from the prose in the chosen text and the
    /// links on the page: a listing is mostly linked teaser headlines.
    fn page_kind(&self, text: &str) -> PageKind {
        let prose: usize = text
            .split("\n\n")
            .filter(|p| p.len() >= 100)
            .map(str::len)
            .sum();
        let (mut all, mut links, mut link_heads) = (0usize, 0usize, 0usize);
        for p in &self.paras {
            all += p.text.len();
            links += p.link as usize;
            if p.kind & P_HEADING != 0 && p.link as usize * 2 > p.text.len() {
                link_heads += 1;
            }
        }
        if prose >= 1500 && link_heads < 12 {
            PageKind::Article
        } else if link_heads >= 6 || links * 100 > all * 35 {
            PageKind::Listing
        } else if prose >= 400 {
            PageKind::Article
        } else {
            PageKind::Other
        }
    }

    /// The text of the chosen block (`in_sel`), with the lead paragraphs
    /// before it (`lead`, by paragraph index), less the headline, chrome
    /// lines, teaser blocks and link lists.
    fn join(&self, in_sel: &[bool], kept: &dyn Fn(&Para) -> bool, lead: &[bool]) -> String {
        let total: usize = self.paras.iter().map(|p| p.text.len()).sum();
        let mut out = String::with_capacity(total);
        let mut in_teasers = false;
        let selected = |i: usize, p: &Para| {
            (in_sel[p.node as usize] || lead.get(i).copied().unwrap_or(false)) && kept(p)
        };
        // Prose in the selection, to tell the end of an article.
        let prose: usize = self
            .paras
            .iter()
            .enumerate()
            .filter(|&(i, p)| {
                selected(i, p) && p.text.len() >= 100 && (p.link as usize) * 4 < p.text.len()
            })
            .map(|(_, p)| p.text.len())
            .sum();
        let mut seen = 0usize;
        for (i, p) in self.paras.iter().enumerate() {
            if !selected(i, p) {
                continue;
            }
            let len = p.text.len();
            let link = p.link as usize;
            if len >= 100 && link * 4 < len {
                seen += len;
            }
            match chrome::line_kind(&p.text) {
                Line::TeaserHead | Line::Tail if seen * 10 >= prose * 8 && prose > 0 => break,
                Line::TeaserHead => {
                    in_teasers = true;
                    continue;
                }
                Line::Chrome | Line::Tail => continue,
                Line::Text => {}
            }
            // The headline is the title, not text.
            if p.kind & P_HEADING != 0 && self.m.h1.as_deref() == Some(p.text.as_str()) {
                continue;
            }
            if in_teasers {
                // A teaser block runs until the next paragraph of prose.
                if link * 3 > len || len < 120 || p.kind != 0 {
                    continue;
                }
                in_teasers = false;
            }
            if link * 2 > len {
                continue;
            }
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&p.text);
        }
        out
    }
}
