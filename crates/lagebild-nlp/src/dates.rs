//! Calendar dates: a small proleptic-Gregorian date type, and the parsing of
//! complete written dates (`17. Januar 2024`, `January 17, 2024`, `17.01.2024`,
//! `2024-01-17`) with month and weekday names from the lexicons.

use std::collections::HashMap;
use std::fmt;

use crate::resources::{ResourceError, Resources};
use lagebild_time::cal;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// A valid date, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        cal::valid(i64::from(year), month, day).then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_from_epoch(&self) -> i64 {
        cal::days_from_civil(i64::from(self.year), self.month, self.day)
    }

    /// The date `days` after 1970-01-01.
    pub fn from_epoch_days(days: i64) -> Date {
        let c = cal::civil_from_days(days);
        Date {
            year: c.y as i32,
            month: c.m,
            day: c.d,
        }
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub fn weekday(&self) -> u32 {
        // 1970-01-01 was a Thursday (4).
        ((self.days_from_epoch() + 3).rem_euclid(7) + 1) as u32
    }

    pub fn add_days(&self, n: i64) -> Date {
        Date::from_epoch_days(self.days_from_epoch() + n)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// `YYYY-MM-DD`, strictly.
pub fn parse_iso(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = s[0..4].parse().ok()?;
    let m = s[5..7].parse().ok()?;
    let d = s[8..10].parse().ok()?;
    Date::new(y, m, d)
}

/// Month and weekday names of German and English.
#[derive(Debug, Clone)]
pub struct DateWords {
    months: HashMap<String, u32>,
    weekdays: HashMap<String, u32>,
}

impl DateWords {
    pub fn from_resources(res: &Resources) -> Result<Self, ResourceError> {
        let mut months = HashMap::new();
        for (line, f) in res.tsv("lexicons/months.tsv", 3)? {
            let n: u32 = f[1]
                .parse()
                .ok()
                .filter(|n| (1..=12).contains(n))
                .ok_or_else(|| ResourceError {
                    file: "lexicons/months.tsv".into(),
                    line,
                    message: format!("bad month number {:?}", f[1]),
                })?;
            months.insert(f[2].to_lowercase(), n);
        }
        let mut weekdays = HashMap::new();
        for (line, f) in res.tsv("lexicons/weekdays.tsv", 3)? {
            let n: u32 = f[1]
                .parse()
                .ok()
                .filter(|n| (1..=7).contains(n))
                .ok_or_else(|| ResourceError {
                    file: "lexicons/weekdays.tsv".into(),
                    line,
                    message: format!("bad weekday number {:?}", f[1]),
                })?;
            weekdays.insert(f[2].to_lowercase(), n);
        }
        Ok(DateWords { months, weekdays })
    }

    /// The month a word names (`Januar`, `Jan.`, `january`).
    pub fn month(&self, word: &str) -> Option<u32> {
        let w = word.trim_end_matches('.').to_lowercase();
        self.months.get(&w).copied()
    }

    /// The ISO weekday a word names (`Mittwoch`, `Wed`).
    pub fn weekday(&self, word: &str) -> Option<u32> {
        let w = word.trim_end_matches(['.', ',']).to_lowercase();
        self.weekdays.get(&w).copied()
    }

    /// A complete date written in `s` (which may hold a weekday and a time too).
    /// Returns the date and whether a weekday was given and agrees with it.
    pub fn parse_date(&self, s: &str) -> Option<(Date, bool)> {
        let words: Vec<&str> = s
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        let mut weekday = None;
        let mut found = None;
        for (i, w) in words.iter().enumerate() {
            if let Some(wd) = self.weekday(w) {
                if w.len() > 3 || w.ends_with(',') {
                    weekday = Some(wd);
                }
                continue;
            }
            if found.is_some() {
                continue;
            }
            // 2024-01-17
            if let Some(d) = w.get(..10).and_then(parse_iso) {
                found = Some(d);
                continue;
            }
            // 17.01.2024
            if let Some(d) = parse_dotted(w) {
                found = Some(d);
                continue;
            }
            // 17. Januar 2024 / 17 January 2024
            if let Some(day) = day_number(w) {
                if let (Some(m), Some(y)) = (
                    words.get(i + 1).and_then(|m| self.month(m)),
                    words.get(i + 2).and_then(|y| year_number(y)),
                ) {
                    found = Date::new(y, m, day);
                    continue;
                }
            }
            // January 17, 2024
            if let Some(m) = self.month(w) {
                if let (Some(day), Some(y)) = (
                    words.get(i + 1).and_then(|d| day_number(d)),
                    words.get(i + 2).and_then(|y| year_number(y)),
                ) {
                    found = Date::new(y, m, day);
                }
            }
        }
        let d = found?;
        Some((d, weekday == Some(d.weekday())))
    }
}

fn day_number(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.');
    let w = w
        .strip_suffix("st")
        .or_else(|| w.strip_suffix("nd"))
        .or_else(|| w.strip_suffix("rd"))
        .or_else(|| w.strip_suffix("th"))
        .unwrap_or(w);
    if w.is_empty() || w.len() > 2 || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    w.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year_number(w: &str) -> Option<i32> {
    let w = w.trim_end_matches(['.', ',']);
    if w.len() != 4 || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    w.parse().ok().filter(|y| (1800..=2200).contains(y))
}

fn parse_dotted(w: &str) -> Option<Date> {
    let w = w.trim_end_matches(',');
    let mut it = w.split('.');
    let (d, m, y) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || d.is_empty() || d.len() > 2 || m.is_empty() || m.len() > 2 {
        return None;
    }
    Date::new(year_number(y)?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_round_trip_and_weekdays() {
        let d = Date::new(2024, 2, 29).unwrap();
        assert_eq!(Date::from_epoch_days(d.days_from_epoch()), d);
        assert_eq!(Date::new(1970, 1, 1).unwrap().weekday(), 4);
        assert_eq!(Date::new(2024, 11, 1).unwrap().weekday(), 5);
        assert_eq!(
            Date::new(2000, 3, 1).unwrap().add_days(-1).to_string(),
            "2000-02-29"
        );
        assert!(Date::new(2023, 2, 29).is_none());
    }

    #[test]
    fn written_dates() {
        let w = DateWords::from_resources(&Resources::embedded()).unwrap();
        let p = |s: &str| w.parse_date(s).map(|(d, wd)| (d.to_string(), wd));
        assert_eq!(
            p("Montag, 4. März 2024 12:00"),
            Some(("2024-03-04".into(), true))
        );
        assert_eq!(
            p("Dienstag 4 März 2024"),
            Some(("2024-03-04".into(), false))
        );
        assert_eq!(p("March 4th, 2024"), Some(("2024-03-04".into(), false)));
        assert_eq!(p("04.03.2024"), Some(("2024-03-04".into(), false)));
        assert_eq!(p("2024-03-04T10:00"), Some(("2024-03-04".into(), false)));
        assert_eq!(p("31. Februar 2024"), None);
        assert_eq!(p("im März"), None);
    }
}
