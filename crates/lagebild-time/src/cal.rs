//! Proleptic Gregorian calendar arithmetic (days since 1970-01-01), ISO weeks, Easter.

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ymd {
    pub y: i64,
    pub m: u32,
    pub d: u32,
}

/// Days since 1970-01-01 (Howard Hinnant's well-known civil-days algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

pub fn civil_from_days(z: i64) -> Ymd {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    Ymd {
        y: if m <= 2 { y + 1 } else { y },
        m,
        d,
    }
}

pub fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

pub fn valid(y: i64, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

impl Ymd {
    pub fn new(y: i64, m: u32, d: u32) -> Option<Ymd> {
        valid(y, m, d).then_some(Ymd { y, m, d })
    }
    pub fn days(self) -> i64 {
        days_from_civil(self.y, self.m, self.d)
    }
    pub fn add_days(self, n: i64) -> Ymd {
        civil_from_days(self.days() + n)
    }
    /// ISO weekday, 1 = Monday … 7 = Sunday.
    pub fn weekday(self) -> u32 {
        ((self.days() + 3).rem_euclid(7) + 1) as u32
    }
    /// ISO week-numbering year and week.
    pub fn iso_week(self) -> (i64, u32) {
        let wd = self.weekday() as i64;
        let thursday = self.add_days(4 - wd);
        let jan1 = days_from_civil(thursday.y, 1, 1);
        let week = (thursday.days() - jan1) / 7 + 1;
        (thursday.y, week as u32)
    }
    pub fn fmt(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

/// Shift a (year, month) by `n` months.
pub fn add_months(y: i64, m: u32, n: i64) -> (i64, u32) {
    let idx = y * 12 + (m as i64 - 1) + n;
    (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32)
}

/// Easter Sunday (Gregorian computus, the anonymous "Meeus/Jones/Butcher" arithmetic).
pub fn easter(y: i64) -> Ymd {
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Ymd {
        y,
        m: month as u32,
        d: day as u32,
    }
}

/// The `n`-th (1-based; 0 = last) weekday `wd` of month `m` in year `y`.
pub fn nth_weekday(y: i64, m: u32, wd: u32, n: u32) -> Option<Ymd> {
    if n == 0 {
        let last = Ymd::new(y, m, days_in_month(y, m))?;
        let back = (last.weekday() as i64 - wd as i64).rem_euclid(7);
        return Some(last.add_days(-back));
    }
    let first = Ymd::new(y, m, 1)?;
    let fwd = (wd as i64 - first.weekday() as i64).rem_euclid(7);
    let day = first.add_days(fwd + 7 * (n as i64 - 1));
    (day.m == m).then_some(day)
}

/// Parse `YYYY-MM-DD` (a longer string such as `YYYY-MM-DDThh:mm` is cut).
pub fn parse_ymd(s: &str) -> Option<Ymd> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = s.get(0..4)?.parse().ok()?;
    let m = s.get(5..7)?.parse().ok()?;
    let d = s.get(8..10)?.parse().ok()?;
    Ymd::new(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn roundtrip_and_weeks() {
        for z in -800_000..800_000i64 {
            if z % 997 != 0 {
                continue;
            }
            let c = civil_from_days(z);
            assert_eq!(days_from_civil(c.y, c.m, c.d), z);
        }
        assert_eq!(Ymd::new(2024, 11, 1).unwrap().weekday(), 5);
        assert_eq!(Ymd::new(2014, 2, 18).unwrap().iso_week(), (2014, 8));
        assert_eq!(Ymd::new(2021, 1, 3).unwrap().iso_week(), (2020, 53));
        assert_eq!(easter(2024).fmt(), "2024-03-31");
        assert_eq!(easter(2015).fmt(), "2015-04-05");
        assert_eq!(nth_weekday(2023, 11, 4, 4).unwrap().fmt(), "2023-11-23");
        assert_eq!(nth_weekday(2023, 5, 1, 0).unwrap().fmt(), "2023-05-29");
        assert_eq!(add_months(2024, 1, -2), (2023, 11));
    }
}
