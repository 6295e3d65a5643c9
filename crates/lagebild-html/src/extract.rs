//! The streaming tree builder: keeps an explicit stack of open elements,
//! applies the usual implicit-close rules, decides what is text and what is
//! chrome, and collects paragraphs and metadata.

use crate::chrome::{self, Verdict};
use crate::entities::decode_into;
use crate::meta::{self, attr, clean, has_token, Collapser, DateSlot, MetaState};
use crate::tags::{
    Interner, RawKind, Tag, BLOCK, BREAKOUT, BTN_SCOPE, CLOSES_P, EXEMPT, FOREIGN, HEADING,
    HEAD_OK, SCOPE, SKIP, TABLE_PART, VOID,
};
use crate::tokenizer::{Attr, Token, Tokenizer};
use crate::Extracted;

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
}

struct Para {
    text: String,
    /// Innermost content container (`NONE`: none).
    container: u32,
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
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RawPurpose {
    Ignore,
    Title,
    JsonLd,
    Visible,
}

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
    cur: Collapser,
    h1_capturing: bool,
    h1_buf: Collapser,
    /// Stack index, slot, soft chrome region and text of an element whose
    /// text is a date.
    date_capture: Option<(u32, DateSlot, u32, Collapser)>,
    /// Dates from `<time>` / microdata with the soft chrome region they
    /// appeared in; resolved once it is known which regions are kept.
    date_candidates: Vec<(DateSlot, String, u32)>,
    scratch: String,
    raw_purpose: RawPurpose,
    m: MetaState,
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
            cur: Collapser::default(),
            h1_capturing: false,
            h1_buf: Collapser::default(),
            date_capture: None,
            date_candidates: Vec::new(),
            scratch: String::new(),
            raw_purpose: RawPurpose::Ignore,
            m: MetaState::default(),
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
        self.paras.push(Para {
            text,
            container: self.container_stack.last().copied().unwrap_or(NONE),
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
        if self.h1_capturing {
            self.h1_buf.push_str(s);
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
            // Custom elements (`<cookie-box>`) are usually blocks.
            let blockish = flags & BLOCK != 0 || (known.is_none() && name.contains('-'));
            match verdict {
                Verdict::Content => {}
                Verdict::Hidden => skip = true,
                // Inline chrome (links, spans) is small: drop it now.
                Verdict::Chrome if !blockish => skip = true,
                Verdict::Chrome => soft = true,
            }
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

    pub(crate) fn finish(mut self) -> Extracted {
        self.pop_to(0);
        self.flush();
        let all: usize = self.paras.iter().map(|p| p.text.len()).sum();
        let rescued = self.rescued_regions(all);
        let text = self.select_text(&rescued);
        // Dates count from kept text and from regions holding an <h1>
        // (an article header that merely looks like chrome).
        let mut has_h1: Vec<bool> = self.regions.iter().map(|r| r.has_h1).collect();
        for r in (0..has_h1.len()).rev() {
            let parent = self.regions[r].parent;
            if parent != NONE && has_h1[r] {
                has_h1[parent as usize] = true;
            }
        }
        for (slot, date, region) in std::mem::take(&mut self.date_candidates) {
            let d = &mut self.m.date[slot as usize];
            let r = region as usize;
            if d.is_none() && (region == NONE || rescued[r] || has_h1[r]) {
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
        // A <title> that is only the site name is no headline.
        let title_tag = m.title_tag.filter(|t| !meta::is_site_name(t, &sites));
        let title = title_tag
            .or(m.og_title)
            .or(m.tw_title)
            .or(m.h1)
            .map(|t| meta::strip_site_name(&t, &sites))
            .filter(|t| !t.is_empty());
        let [d0, d1, d2] = m.desc;
        Extracted {
            title,
            text,
            published: m.date.into_iter().flatten().next(),
            author: m.author.into_iter().flatten().next(),
            site: m.site,
            url,
            language: m.lang_html.or(m.lang_meta).or(m.locale),
            charset: m.charset,
            description: d0.or(d1).or(d2),
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

    /// Join the kept paragraphs, preferring the dominant article/main
    /// container when it holds a substantial share of the text.
    fn select_text(&self, rescued: &[bool]) -> String {
        let kept: Vec<&Para> = self
            .paras
            .iter()
            .filter(|p| p.region == NONE || rescued[p.region as usize])
            .collect();
        let total: usize = kept.iter().map(|p| p.text.len()).sum();

        let n = self.containers.len();
        let mut selected: Option<Vec<bool>> = None;
        if n > 0 && total > 0 {
            let mut sub = vec![0usize; n];
            for p in &kept {
                if p.container != NONE {
                    sub[p.container as usize] += p.text.len();
                }
            }
            // Parents are created before their children.
            for c in (0..n).rev() {
                let parent = self.containers[c];
                if parent != NONE {
                    sub[parent as usize] += sub[c];
                }
            }
            let mut best_child = vec![NONE; n];
            let mut best_root = NONE;
            let mut root_sum = 0usize;
            for c in 0..n {
                let parent = self.containers[c];
                let slot = if parent == NONE {
                    root_sum += sub[c];
                    &mut best_root
                } else {
                    &mut best_child[parent as usize]
                };
                if *slot == NONE || sub[c] > sub[*slot as usize] {
                    *slot = c as u32;
                }
            }
            if root_sum > 0 && root_sum * 4 >= total {
                let mut in_sel = vec![false; n];
                let root = best_root as usize;
                if sub[root] * 3 >= root_sum * 2 {
                    let mut cur = root;
                    loop {
                        let ch = best_child[cur];
                        if ch != NONE && sub[ch as usize] * 10 >= sub[cur] * 7 {
                            cur = ch as usize;
                        } else {
                            break;
                        }
                    }
                    for c in 0..n {
                        let parent = self.containers[c];
                        in_sel[c] = c == cur || (parent != NONE && in_sel[parent as usize]);
                    }
                } else {
                    in_sel.iter_mut().for_each(|s| *s = true);
                }
                selected = Some(in_sel);
            }
        }
        let mut out = String::with_capacity(total + 2 * kept.len());
        for p in kept {
            if let Some(sel) = &selected {
                if p.container == NONE || !sel[p.container as usize] {
                    continue;
                }
            }
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&p.text);
        }
        out
    }
}
