//! Query parameters: parsed by hand so that every mistake is a clear 400.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use lagebild_store::{EventFilter, Page};

use crate::error::ApiError;

/// Default and largest page size.
pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 500;
const MAX_OFFSET: usize = 10_000_000;
const MAX_PARAM: usize = 1000;

/// The query string as a map; empty values count as absent (what a GET form
/// sends for fields left empty).
#[derive(Debug, Default, Clone)]
pub struct Params(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(pairs) = Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::bad_request(format!("query string: {}", e.body_text())))?;
        let mut map = HashMap::new();
        for (k, v) in pairs {
            if v.len() > MAX_PARAM {
                return Err(ApiError::bad_request(format!(
                    "parameter {k}: longer than {MAX_PARAM} bytes"
                )));
            }
            let v = v.trim().to_string();
            if !v.is_empty() {
                map.insert(k, v);
            }
        }
        Ok(Params(map))
    }
}

impl Params {
    pub fn text(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }

    fn number(
        &self,
        name: &str,
        default: usize,
        min: usize,
        max: usize,
    ) -> Result<usize, ApiError> {
        match self.0.get(name) {
            None => Ok(default),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n),
                _ => Err(ApiError::bad_request(format!(
                    "{name} must be a whole number from {min} to {max}, not {v:?}"
                ))),
            },
        }
    }

    /// `limit` (1..=500, default 50) and `offset`.
    pub fn page(&self) -> Result<Page, ApiError> {
        self.page_with(DEFAULT_LIMIT)
    }

    pub fn page_with(&self, default: usize) -> Result<Page, ApiError> {
        Ok(Page::new(
            self.number("limit", default, 1, MAX_LIMIT)?,
            self.number("offset", 0, 0, MAX_OFFSET)?,
        ))
    }

    /// A day `YYYY-MM-DD`.
    pub fn date(&self, name: &str) -> Result<Option<String>, ApiError> {
        let Some(v) = self.0.get(name) else {
            return Ok(None);
        };
        if is_day(v) {
            Ok(Some(v.clone()))
        } else {
            Err(ApiError::bad_request(format!(
                "{name} must be a date YYYY-MM-DD, not {v:?}"
            )))
        }
    }

    /// An ISO 3166-1 alpha-3 code, upper-cased.
    pub fn country(&self) -> Result<Option<String>, ApiError> {
        let Some(v) = self.0.get("country") else {
            return Ok(None);
        };
        if v.len() == 3 && v.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Some(v.to_ascii_uppercase()))
        } else {
            Err(ApiError::bad_request(format!(
                "country must be a three-letter code (RUS), not {v:?}"
            )))
        }
    }

    /// The event filters (`actor`, `recipient`, `party`, `type`, `country`,
    /// `from`, `to`, `modality`, `doc`, `story`).
    pub fn event_filter(&self) -> Result<EventFilter, ApiError> {
        let from = self.date("from")?;
        let to = self.date("to")?;
        if let (Some(f), Some(t)) = (&from, &to) {
            if f > t {
                return Err(ApiError::bad_request(format!("from {f} is after to {t}")));
            }
        }
        let modality = match self.text("modality") {
            None => None,
            Some(m) => {
                let m = m.to_ascii_lowercase();
                if !MODALITIES.contains(&m.as_str()) {
                    return Err(ApiError::bad_request(format!(
                        "modality must be one of {}, not {m:?}",
                        MODALITIES.join(", ")
                    )));
                }
                Some(m)
            }
        };
        let kind = self.text("type").map(|t| t.to_ascii_uppercase());
        if let Some(k) = &kind {
            if !k.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
                return Err(ApiError::bad_request(format!(
                    "type must be a PLOVER event type (CONSULT), not {k:?}"
                )));
            }
        }
        Ok(EventFilter {
            actor: self.text("actor"),
            recipient: self.text("recipient"),
            party: self.text("party"),
            kind,
            country: self.country()?,
            from,
            to,
            modality,
            doc: self.text("doc"),
            story: self.text("story"),
        })
    }
}

/// The modalities of the contract.
pub const MODALITIES: &[&str] = &[
    "asserted",
    "alleged",
    "denied",
    "negated",
    "future",
    "hypothetical",
];

/// Whether `s` is `YYYY-MM-DD` with a plausible month and day.
pub fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r.clone()]
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| s[r].parse().ok())
            .flatten()
    };
    matches!((num(0..4), num(5..7), num(8..10)), (Some(_), Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_checked() {
        assert!(is_day("2024-11-05"));
        assert!(!is_day("2024-13-05"));
        assert!(!is_day("2024-11-5"));
        assert!(!is_day("２０２４-11-05"));
        assert!(!is_day("2024-11-05' OR 1=1"));
    }
}
