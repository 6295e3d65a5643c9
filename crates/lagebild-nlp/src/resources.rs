//! Resources: lexicons and rules as TSV data, embedded in the binary and
//! overridable by the caller.
//!
//! The core does no I/O: a shell that wants to use files reads them and hands
//! their contents to [`Resources::with_override`]. Every file is named by its
//! path under the repository's `resources/` folder (`lexicons/boilerplate.tsv`).
//!
//! TSV conventions: UTF-8, one record a line, fields separated by tabs, lines
//! starting with `#` and blank lines ignored.

use std::collections::BTreeMap;
use std::sync::Arc;

/// A resource that is missing or does not parse. Names the file and line.
#[derive(Debug, thiserror::Error)]
#[error("resource {file}, line {line}: {message}")]
pub struct ResourceError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../resources/", $name)))),*]
    };
}

/// The resource files compiled into the binary.
const EMBEDDED: &[(&str, &str)] = embedded![
    "lexicons/boilerplate.tsv",
    "lexicons/months.tsv",
    "lexicons/weekdays.tsv",
    "lexicons/stopwords.tsv",
];

/// A set of named resource texts.
#[derive(Debug, Clone)]
pub struct Resources {
    files: BTreeMap<String, Arc<str>>,
}

impl Resources {
    /// The resources embedded in the binary: the lexicons of this crate, the
    /// knowledge base (`kb/…`), the temporal lexicons and rules (`time/…`) and the
    /// quotation cue lexicons (`quotes/…`) and the event trigger lexicons
    /// (`events/…`).
    pub fn embedded() -> Self {
        let time = lagebild_time::TimeTagger::embedded_files();
        let quotes = lagebild_quotes::QuoteExtractor::embedded_files();
        let events = lagebild_events::EventExtractor::embedded_files();
        Resources {
            files: EMBEDDED
                .iter()
                .chain(lagebild_kb::EMBEDDED)
                .chain(time.iter())
                .chain(quotes.iter())
                .chain(events.iter())
                .map(|(n, t)| (n.to_string(), Arc::from(*t)))
                .collect(),
        }
    }

    /// The `(name, text)` pairs of every resource whose name starts with `prefix`,
    /// in name order.
    pub fn with_prefix(&self, prefix: &str) -> Vec<(&str, &str)> {
        self.files
            .iter()
            .filter(|(n, _)| n.starts_with(prefix))
            .map(|(n, t)| (n.as_str(), &**t))
            .collect()
    }

    /// Replace (or add) one resource by name.
    pub fn with_override(mut self, name: &str, text: &str) -> Self {
        self.files.insert(name.to_string(), Arc::from(text));
        self
    }

    /// The names of all resources.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(|s| s.as_str())
    }

    /// The text of a resource.
    pub fn get(&self, name: &str) -> Result<&str, ResourceError> {
        self.files
            .get(name)
            .map(|t| &**t)
            .ok_or_else(|| ResourceError {
                file: name.to_string(),
                line: 0,
                message: "no such resource".into(),
            })
    }

    /// The records of a TSV resource: `(line number, fields)`, comments and
    /// blank lines skipped. Checks that each record has at least `min_fields`.
    pub fn tsv(
        &self,
        name: &str,
        min_fields: usize,
    ) -> Result<Vec<(usize, Vec<&str>)>, ResourceError> {
        let text = self.get(name)?;
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() < min_fields {
                return Err(ResourceError {
                    file: name.to_string(),
                    line: i + 1,
                    message: format!(
                        "expected {min_fields} tab-separated fields, found {}",
                        fields.len()
                    ),
                });
            }
            out.push((i + 1, fields));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_resources_parse_and_override_replaces() {
        let r = Resources::embedded();
        assert!(r.tsv("lexicons/months.tsv", 3).unwrap().len() >= 24);
        let r = r.with_override("lexicons/months.tsv", "# c\nde\t1\tJanuar\n\nbad line\n");
        let err = r.tsv("lexicons/months.tsv", 3).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.to_string().contains("lexicons/months.tsv"));
        assert!(r.get("nope.tsv").is_err());
    }
}
