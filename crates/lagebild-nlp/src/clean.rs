//! Cleaning of plain-text article dumps as they come off scrapers.
//!
//! The input is the raw text of one page; the output is the clean body text the
//! rest of the analysis indexes into, plus what was found on the way: title,
//! publication date, live-blog segments, and every removed piece with its reason.
//!
//! Steps, in order:
//! 1. normalise characters (line ends, odd spaces, soft hyphens, zero-width marks)
//!    and fold white space within each line;
//! 2. apply the line rules of `lexicons/boilerplate.tsv` (teasers, disclaimers,
//!    agency markers, photo credits …) and drop separator lines (`- -`, `***`);
//! 3. drop repeated headlines and headlines split one word per line;
//! 4. read the header zone (the short lines before the first paragraph): agency
//!    names, `source :` lines, datelines (which give the publication date), ids,
//!    and the title;
//! 5. split bullet-led live blogs (`►`) into segments, one per bullet heading;
//! 6. join hard-wrapped lines and lay the paragraphs out, separated by a blank line.

use regex::Regex;

use crate::dates::DateWords;
use crate::resources::{ResourceError, Resources};
use lagebild_model::{Removed, Segment};

const RULES: &str = "lexicons/boilerplate.tsv";

/// Characters that lead the entries of a live blog.
const BULLETS: &[char] = &['►', '▶', '■', '●', '•', '▪', '◆', '➤', '▸'];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Line,
    Prefix,
    Suffix,
    Tail,
}

#[derive(Debug, Clone)]
struct Rule {
    reason: String,
    scope: Scope,
    re: Regex,
}

/// What cleaning produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cleaned {
    pub text: String,
    pub title: Option<String>,
    /// Publication date found in the text, and how it was found.
    pub published: Option<(String, String)>,
    pub segments: Vec<Segment>,
    pub removed: Vec<Removed>,
}

/// The cleaning step, built once from the resources.
#[derive(Debug, Clone)]
pub struct Cleaner {
    rules: Vec<Rule>,
    words: DateWords,
    agency_line: Regex,
    source_line: Regex,
    time_line: Regex,
}

/// One line on its way through cleaning.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    /// A blank line preceded it in the input.
    after_blank: bool,
}

impl Cleaner {
    pub fn from_resources(res: &Resources) -> Result<Self, ResourceError> {
        let mut rules = Vec::new();
        for (line, f) in res.tsv(RULES, 3)? {
            let err = |message: String| ResourceError {
                file: RULES.into(),
                line,
                message,
            };
            let scope = match f[1] {
                "line" => Scope::Line,
                "prefix" => Scope::Prefix,
                "suffix" => Scope::Suffix,
                "tail" => Scope::Tail,
                other => return Err(err(format!("unknown scope {other:?}"))),
            };
            let re = Regex::new(f[2]).map_err(|e| err(e.to_string()))?;
            rules.push(Rule {
                reason: f[0].to_string(),
                scope,
                re,
            });
        }
        let fixed = |p: &str| Regex::new(p).expect("built-in pattern");
        Ok(Cleaner {
            rules,
            words: DateWords::from_resources(res)?,
            agency_line: fixed(
                r"(?i)\b(news agency|nachrichtenagentur|presseagentur|press agency|newswire|news service)\b|^[^.!?]{2,60}\([A-Z]{2,8}\)$",
            ),
            source_line: fixed(r"(?i)^(source|quelle|von|by)\s*:\s*(\S.{0,60})$"),
            time_line: fixed(r"^\d{1,2}:\d{2}(:\d{2})?(\s*(Uhr|h|UTC|GMT|MEZ|MESZ|CET|CEST))?$"),
        })
    }

    /// Clean one text. `known_title` is a title the input already carries; a first
    /// line repeating it is removed.
    pub fn clean(&self, input: &str) -> Cleaned {
        self.clean_with_title(input, None)
    }

    pub fn clean_with_title(&self, input: &str, known_title: Option<&str>) -> Cleaned {
        let mut out = Cleaned::default();
        let mut lines = split_lines(&normalise_chars(input));
        self.apply_rules(&mut lines, &mut out.removed);
        drop_repeats(&mut lines, known_title, &mut out.removed);
        let mut lines = join_wrapped(lines);
        let title_idx = self.read_header(&mut lines, &mut out);
        if let (Some(i), None) = (title_idx, known_title) {
            out.title = Some(lines.remove(i).text);
        }
        layout(lines, &mut out);
        out
    }

    fn apply_rules(&self, lines: &mut Vec<Line>, removed: &mut Vec<Removed>) {
        let mut kept = Vec::with_capacity(lines.len());
        'lines: for (i, line) in lines.iter().enumerate() {
            let mut text = line.text.clone();
            for rule in &self.rules {
                match rule.scope {
                    Scope::Tail if rule.re.is_match(&text) => {
                        let rest: Vec<&str> = lines[i..].iter().map(|l| l.text.as_str()).collect();
                        removed.push(rm(&rest.join("\n"), &rule.reason));
                        break 'lines;
                    }
                    Scope::Line if rule.re.is_match(&text) => {
                        removed.push(rm(&text, &rule.reason));
                        continue 'lines;
                    }
                    Scope::Prefix | Scope::Suffix => {
                        if let Some(m) = rule.re.find(&text) {
                            let at_edge = match rule.scope {
                                Scope::Prefix => m.start() == 0,
                                _ => m.end() == text.len(),
                            };
                            if at_edge && m.len() < text.len() {
                                removed.push(rm(m.as_str().trim(), &rule.reason));
                                text = format!("{}{}", &text[..m.start()], &text[m.end()..])
                                    .trim()
                                    .to_string();
                            }
                        }
                    }
                    _ => {}
                }
            }
            if is_separator(&text) {
                removed.push(rm(&text, "separator"));
                continue;
            }
            kept.push(Line {
                text,
                after_blank: line.after_blank,
            });
        }
        *lines = kept;
    }

    /// Reads the header zone: removes its meta lines, picks up the publication
    /// date, and returns the index of the title line, if any.
    fn read_header(&self, lines: &mut Vec<Line>, out: &mut Cleaned) -> Option<usize> {
        let body_start = lines
            .iter()
            .position(|l| is_body_line(&l.text) || starts_with_bullet(&l.text))
            .unwrap_or(lines.len());
        let mut date_parts: Vec<String> = Vec::new();
        let mut keep = vec![true; lines.len()];
        for (i, line) in lines.iter().enumerate().take(body_start) {
            let t = line.text.as_str();
            // A `source :` line names where the content came from, which is not
            // the site that published it: recorded as removed, not as the site.
            let reason = if self.source_line.is_match(t) {
                "source"
            } else if self.is_date_line(t) {
                date_parts.push(t.to_string());
                "dateline"
            } else if t
                .chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
            {
                "id"
            } else if self.agency_line.is_match(t) {
                "agency_header"
            } else {
                continue;
            };
            keep[i] = false;
            out.removed.push(rm(t, reason));
        }
        if !date_parts.is_empty() {
            if let Some((d, weekday_ok)) = self.words.parse_date(&date_parts.join(" ")) {
                let how = if weekday_ok {
                    "header date line (weekday agrees)"
                } else {
                    "header date line"
                };
                out.published = Some((d.to_string(), how.to_string()));
            }
        }
        let title_at =
            (0..body_start).find(|&i| keep[i] && lines[i].text.split_whitespace().count() >= 2);
        // Lines of the header zone before the title are page furniture; the title
        // is returned (removed by the caller); lines after it are a lead and stay.
        let mut idx = 0;
        let mut title_idx = None;
        lines.retain(|_| {
            let k = keep[idx];
            idx += 1;
            k
        });
        if let Some(t) = title_at {
            let new_t = keep[..t].iter().filter(|&&k| k).count();
            for line in lines.drain(..new_t) {
                out.removed.push(rm(&line.text, "header"));
            }
            title_idx = Some(0);
        }
        title_idx
    }

    fn is_date_line(&self, t: &str) -> bool {
        if self.time_line.is_match(t) {
            return true;
        }
        let words: Vec<&str> = t.split([' ', ',']).filter(|w| !w.is_empty()).collect();
        if words.len() == 1 && self.words.weekday(words[0]).is_some() {
            return true;
        }
        words.len() <= 6 && self.words.parse_date(t).is_some()
    }
}

fn rm(text: &str, reason: &str) -> Removed {
    Removed {
        text: text.to_string(),
        reason: reason.to_string(),
    }
}

/// Line ends to `\n`; odd spaces to plain spaces; soft hyphens and zero-width
/// characters dropped.
fn normalise_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
            '\t' | '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
                out.push(' ')
            }
            '\u{2028}' | '\u{2029}' | '\u{0085}' => out.push('\n'),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

fn split_lines(s: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut blank = false;
    for raw in s.split('\n') {
        let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            blank = true;
            continue;
        }
        out.push(Line {
            text,
            after_blank: blank,
        });
        blank = false;
    }
    out
}

/// A line of nothing but punctuation and symbols (`- -`, `***`, `►`).
fn is_separator(t: &str) -> bool {
    !t.is_empty() && !t.chars().any(char::is_alphanumeric)
}

fn starts_with_bullet(t: &str) -> bool {
    t.starts_with(BULLETS)
}

/// A line that reads as running text, not as a heading: ends like a sentence,
/// or is long.
fn is_body_line(t: &str) -> bool {
    let last = t.chars().last().unwrap_or(' ');
    matches!(
        last,
        '.' | '!' | '?' | '…' | ':' | ';' | '“' | '”' | '"' | '»' | '«'
    ) && t.split_whitespace().count() >= 4
        || t.len() > 200
        || t.split_whitespace().count() >= 30
}

fn fold_key(t: &str) -> String {
    t.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Removes a headline repeated on the next line(s), and a headline split one
/// word per line.
fn drop_repeats(lines: &mut Vec<Line>, known_title: Option<&str>, removed: &mut Vec<Removed>) {
    let mut i = 0;
    let mut seen_first = known_title.map(fold_key);
    while i < lines.len() {
        let key = fold_key(&lines[i].text);
        // Single-word runs that spell out an earlier or the known headline.
        let run = lines[i..]
            .iter()
            .take_while(|l| !l.text.contains(' ') && l.text.chars().count() <= 40)
            .count();
        if run >= 3 {
            let joined: Vec<&str> = lines[i..i + run].iter().map(|l| l.text.as_str()).collect();
            let jkey = fold_key(&joined.concat());
            let matches = seen_first.as_deref() == Some(jkey.as_str())
                || lines[..i].iter().any(|l| fold_key(&l.text) == jkey);
            if matches {
                removed.push(rm(&joined.join(" "), "split_title"));
                lines.drain(i..i + run);
                continue;
            }
        }
        let repeat = (i > 0 && fold_key(&lines[i - 1].text) == key && key.chars().count() >= 8)
            || (seen_first.as_deref() == Some(key.as_str()) && i < 3);
        if repeat && !key.is_empty() {
            removed.push(rm(&lines[i].text, "repeated_title"));
            lines.remove(i);
            continue;
        }
        if i == 0 && seen_first.is_none() && !is_body_line(&lines[0].text) {
            seen_first = Some(key);
        }
        i += 1;
    }
}

/// Joins lines broken inside a sentence (hard-wrapped text): a line that does not
/// end like a sentence followed, without a blank line, by one that starts in
/// lower case.
fn join_wrapped(lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(prev) = out.last_mut() {
            let prev_open = !prev
                .text
                .ends_with(['.', '!', '?', ':', ';', '…', '“', '”', '"', '»', '«'])
                && !starts_with_bullet(&prev.text);
            let starts_lower = line.text.chars().next().is_some_and(char::is_lowercase);
            if !line.after_blank && prev_open && starts_lower && prev.text.len() > 30 {
                prev.text.push(' ');
                prev.text.push_str(&line.text);
                continue;
            }
        }
        out.push(line);
    }
    out
}

/// Lays out the paragraphs as the clean text and builds live-blog segments.
fn layout(lines: Vec<Line>, out: &mut Cleaned) {
    let bullets = lines.iter().filter(|l| starts_with_bullet(&l.text)).count();
    let live_blog = bullets >= 2;
    let mut text = String::new();
    let mut segments: Vec<Segment> = Vec::new();
    for line in lines {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let start = text.len();
        if live_blog && starts_with_bullet(&line.text) {
            let heading = line.text.trim_start_matches(BULLETS).trim_start();
            if let Some(last) = segments.last_mut() {
                last.end = start.saturating_sub(2);
            } else if start > 0 {
                // Text before the first entry is a segment of its own.
                segments.push(Segment {
                    start: 0,
                    end: start - 2,
                    title: None,
                });
            }
            segments.push(Segment {
                start,
                end: start,
                title: Some(heading.to_string()),
            });
            text.push_str(heading);
        } else {
            text.push_str(&line.text);
        }
    }
    if let Some(last) = segments.last_mut() {
        last.end = text.len();
    }
    out.text = text;
    out.segments = segments;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaner() -> Cleaner {
        Cleaner::from_resources(&Resources::embedded()).unwrap()
    }

    fn reasons(c: &Cleaned) -> Vec<&str> {
        c.removed.iter().map(|r| r.reason.as_str()).collect()
    }

    #[test]
    fn repeated_and_split_headline_are_removed() {
        let input = "Minister besucht Hafenstadt im Norden\n\nMinister besucht Hafenstadt im Norden\nMinister\n  besucht\n  Hafenstadt\n  im\n  Norden\n- -\n\nDer Minister kam am Montag an. Er blieb zwei Tage.\n\nZweiter Absatz mit mehr Text.";
        let c = cleaner().clean(input);
        assert_eq!(
            c.title.as_deref(),
            Some("Minister besucht Hafenstadt im Norden")
        );
        assert_eq!(
            c.text,
            "Der Minister kam am Montag an. Er blieb zwei Tage.\n\nZweiter Absatz mit mehr Text."
        );
        assert_eq!(
            reasons(&c),
            vec!["separator", "repeated_title", "split_title"]
        );
    }

    #[test]
    fn teasers_disclaimers_and_agency_prefix() {
        let input = "Titel der Meldung hier\n\n(dpa) –   Die Regierung hat am Dienstag neue Regeln beschlossen. Sie gelten ab Mai.\n\nDer Artikel wird von einem Drittanbieter bereitgestellt. Niemand haftet.\n\nBranchen: Politik, Wirtschaft\n\nPREV Ein ganz anderes Thema heute\nNEXT Noch ein anderes Thema";
        let c = cleaner().clean(input);
        assert_eq!(
            c.text,
            "Die Regierung hat am Dienstag neue Regeln beschlossen. Sie gelten ab Mai."
        );
        assert_eq!(
            reasons(&c),
            vec![
                "agency_header",
                "disclaimer",
                "metadata",
                "teaser",
                "teaser"
            ]
        );
    }

    #[test]
    fn related_tail_cuts_the_rest() {
        let c = cleaner().clean(
            "Ein Satz über die Lage im Land wird hier gesagt.\nRelated News :\nIrgendwas\nNoch was",
        );
        assert_eq!(c.text, "Ein Satz über die Lage im Land wird hier gesagt.");
        assert_eq!(c.removed.len(), 1);
        assert_eq!(c.removed[0].text, "Related News :\nIrgendwas\nNoch was");
    }

    #[test]
    fn header_zone_gives_date_and_title() {
        let c = cleaner().clean("Die Überschrift hier\n\nErster Satz des Textes steht hier.");
        assert_eq!(c.title.as_deref(), Some("Die Überschrift hier"));
        let input = "Beispiel News Agency (BNA)\n\nsource : Beispielquelle\nMontag\n\n4 März 2024\n\n10:15:00\n7654321\n\nDer Titel des Artikels steht hier\n\nBerlin (Beispiel TV) – Der erste Absatz beginnt hier und endet mit einem Punkt.";
        let c = cleaner().clean(input);
        assert_eq!(
            c.title.as_deref(),
            Some("Der Titel des Artikels steht hier")
        );
        assert_eq!(
            c.published,
            Some((
                "2024-03-04".into(),
                "header date line (weekday agrees)".into()
            ))
        );
        assert_eq!(
            c.text,
            "Der erste Absatz beginnt hier und endet mit einem Punkt."
        );
        assert_eq!(
            reasons(&c),
            vec![
                "dateline",
                "agency_header",
                "source",
                "dateline",
                "dateline",
                "dateline",
                "id"
            ]
        );
    }

    #[test]
    fn photo_credit_is_cut_from_caption_title() {
        let c = cleaner().clean("Zwei Länder rücken zusammen/GettyImages und Sender Collage\nDer erste Absatz ist lang genug und endet mit einem Punkt.");
        assert_eq!(c.title.as_deref(), Some("Zwei Länder rücken zusammen"));
        assert_eq!(c.removed[0].reason, "photo_credit");
    }

    #[test]
    fn live_blog_bullets_become_segments() {
        let input = "► Erste Meldung des Tages\nText der ersten Meldung steht hier.\n► Zweite Meldung\nText der zweiten Meldung.\nNoch ein Absatz dazu.\n► Dritte Meldung\nLetzter Text.";
        let c = cleaner().clean(input);
        assert_eq!(c.title, None);
        let titles: Vec<_> = c
            .segments
            .iter()
            .map(|s| s.title.as_deref().unwrap())
            .collect();
        assert_eq!(
            titles,
            vec![
                "Erste Meldung des Tages",
                "Zweite Meldung",
                "Dritte Meldung"
            ]
        );
        assert_eq!(
            &c.text[c.segments[1].start..c.segments[1].end],
            "Zweite Meldung\n\nText der zweiten Meldung.\n\nNoch ein Absatz dazu."
        );
        assert_eq!(c.segments[2].end, c.text.len());
        assert_eq!(c.segments[0].start, 0);
    }

    #[test]
    fn wrapped_lines_are_joined_and_odd_spaces_folded() {
        let c = cleaner().clean("Das ist ein langer Satz, der bei der Ausgabe über\nzwei Zeilen läuft.\u{00A0}Und\u{00AD}so weiter.\r\n\r\nNeuer Absatz.");
        assert_eq!(c.text, "Das ist ein langer Satz, der bei der Ausgabe über zwei Zeilen läuft. Undso weiter.\n\nNeuer Absatz.");
    }

    #[test]
    fn known_title_repeated_in_text_is_removed() {
        let c = cleaner().clean_with_title(
            "Die Überschrift\nDer Text beginnt hier mit einem Satz.",
            Some("Die Überschrift"),
        );
        assert_eq!(c.text, "Der Text beginnt hier mit einem Satz.");
        assert_eq!(c.title, None, "the caller keeps its own title");
    }

    #[test]
    fn bad_rule_file_names_the_line() {
        let res = Resources::embedded().with_override(RULES, "teaser\tline\t(unclosed\n");
        let err = Cleaner::from_resources(&res).unwrap_err();
        assert_eq!(err.line, 1);
    }
}
