//! `lagebild eval link`: the NGEC actor-resolution cases (`agent_to_code` and
//! `search_nat`), scored on country and sector (CAMEO agent code).
//!
//! Each gold record is a Python test: calls and expectations such as
//! `code['country'] == 'ARM'`. Records whose arguments refer to outside data
//! (`d['actor']`) are skipped and counted; expectations on Wikipedia titles are
//! not scored (Lagebild has no Wikipedia).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde_json::Value;

use crate::{input, Cli};

#[derive(Debug, Default, serde::Serialize)]
struct Figures {
    cases: usize,
    skipped_external: usize,
    country_cases: usize,
    country_correct: usize,
    country_accuracy: f64,
    sector_cases: usize,
    sector_correct: usize,
    sector_accuracy: f64,
    none_cases: usize,
    none_correct: usize,
}

/// `code['country'] == 'X'`, `cc == 'X'`, `code['code_1'] == 'X'`, `code is None`.
fn expectation(e: &str) -> Option<(&'static str, String)> {
    let e = e.trim();
    if e == "code is None" {
        return Some(("none", String::new()));
    }
    let (lhs, rhs) = e.split_once("==")?;
    let rhs = rhs.trim().trim_matches('\'').trim_matches('"').to_string();
    if rhs.starts_with("d[") {
        return None;
    }
    match lhs.trim() {
        "code['country']" | "cc" => Some(("country", rhs)),
        "code['code_1']" => Some(("sector", rhs)),
        _ => None,
    }
}

/// The year the NGEC 2025 cases were written: their query date `today` means it
/// (pinned, so the evaluation does not change when the calendar does).
const NGEC_TODAY_YEAR: i32 = 2025;

/// The year of an NGEC query date; `today` (NGEC's default) is [`NGEC_TODAY_YEAR`].
fn year_of(s: &str) -> Option<i32> {
    if s.trim().eq_ignore_ascii_case("today") {
        return Some(NGEC_TODAY_YEAR);
    }
    s.as_bytes()
        .windows(4)
        .position(|w| w.iter().all(u8::is_ascii_digit))
        .and_then(|i| s[i..i + 4].parse().ok())
}

pub fn run(
    cli: &Cli,
    data: &Path,
    errors: bool,
    min_country: Option<f64>,
    odd_half: Option<bool>,
    json: bool,
) -> Result<ExitCode> {
    let res = input::resources(cli.resources.as_deref())?;
    let kb = lagebild_kb::Kb::from_files(&res.with_prefix("kb/")).context("loading the KB")?;
    let text =
        std::fs::read_to_string(data).with_context(|| format!("reading {}", data.display()))?;
    let mut f = Figures::default();
    // 1-based number of the case in the file, for `--half`.
    let mut number = 0usize;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let rec: Value =
            serde_json::from_str(line).with_context(|| format!("{}:{}", data.display(), n + 1))?;
        let Some(call) = rec["calls"].as_array().and_then(|c| c.last()) else {
            continue;
        };
        let method = call["method"].as_str().unwrap_or("");
        if method != "agent_to_code" && method != "search_nat" {
            continue;
        }
        let args: Vec<String> = call["args"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|v| v.as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default();
        number += 1;
        if odd_half.is_some_and(|odd| odd != (number % 2 == 1)) {
            continue;
        }
        f.cases += 1;
        if args.first().is_some_and(|a| a.starts_with("d[")) {
            f.skipped_external += 1;
            continue;
        }
        let actor = args.first().cloned().unwrap_or_default();
        let context = args.get(1).cloned().unwrap_or_default()
            + call["kwargs"]["known_country"].as_str().unwrap_or("");
        let date = args
            .get(2)
            .cloned()
            .or_else(|| call["kwargs"]["query_date"].as_str().map(str::to_string))
            .unwrap_or_default();
        let code = kb.resolve_actor(&actor, &context, year_of(&date));
        for e in rec["expect"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e.as_str())
        {
            let Some((what, want)) = expectation(e) else {
                continue;
            };
            let (got, cases, correct) = match what {
                "none" => (
                    if code.is_none() {
                        String::new()
                    } else {
                        "something".into()
                    },
                    &mut f.none_cases,
                    &mut f.none_correct,
                ),
                "country" => (
                    code.as_ref()
                        .and_then(|c| c.country.clone())
                        .unwrap_or_default(),
                    &mut f.country_cases,
                    &mut f.country_correct,
                ),
                _ => (
                    code.as_ref()
                        .and_then(|c| c.sector.clone())
                        .unwrap_or_default(),
                    &mut f.sector_cases,
                    &mut f.sector_correct,
                ),
            };
            *cases += 1;
            if got == want {
                *correct += 1;
            } else if errors {
                println!(
                    "{what:8} want {want:5} got {got:5}  {actor:?} {context:?} {date:?}  #{number}"
                );
            }
        }
    }
    let ratio = |c: usize, n: usize| if n == 0 { 0.0 } else { c as f64 / n as f64 };
    f.country_accuracy = ratio(f.country_correct, f.country_cases);
    f.sector_accuracy = ratio(f.sector_correct, f.sector_cases);
    if json {
        println!("{}", serde_json::to_string_pretty(&f)?);
    } else {
        println!(
            "eval link: {} ({} cases, {} skipped: they refer to outside data)",
            data.display(),
            f.cases,
            f.skipped_external
        );
        println!(
            "  country accuracy {:.3}  ({}/{})   target ≥ 0.85",
            f.country_accuracy, f.country_correct, f.country_cases
        );
        println!(
            "  sector accuracy  {:.3}  ({}/{})",
            f.sector_accuracy, f.sector_correct, f.sector_cases
        );
        println!(
            "  unknown actors left unresolved {}/{}",
            f.none_correct, f.none_cases
        );
    }
    if let Some(min) = min_country {
        if f.country_accuracy < min {
            eprintln!(
                "error: country accuracy {:.3} is below the floor {min:.3}",
                f.country_accuracy
            );
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_dates_give_years_and_today_is_the_data_sets_year() {
        assert_eq!(year_of("12 April 2022"), Some(2022));
        assert_eq!(year_of("2021-10-01"), Some(2021));
        assert_eq!(year_of("today"), Some(2025));
        assert_eq!(year_of(""), None);
    }
}
