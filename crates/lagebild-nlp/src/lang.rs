//! Language identification.
//!
//! German and English, the languages Lagebild analyses, are told apart by their
//! function words (`lexicons/stopwords.tsv`), which is near-certain on anything
//! longer than a sentence. Other languages are reported by a character n-gram
//! model (`whatlang`) only when it is confident; otherwise the document's
//! language is `und` (undetermined) — never a guess.

use std::collections::HashMap;

use lagebild_model::Document;

use crate::resources::{ResourceError, Resources};
use crate::Stage;

/// Function-word language scores for German and English.
#[derive(Debug, Clone)]
pub struct LanguageId {
    /// word → bit set of languages (1 = de, 2 = en)
    words: HashMap<String, u8>,
}

/// The identified language and how sure the identification is.
#[derive(Debug, Clone, PartialEq)]
pub struct Identified {
    /// ISO 639-1 where it has one, else ISO 639-3; `und` when unknown.
    pub code: String,
    /// 0.0–1.0
    pub confidence: f64,
}

impl LanguageId {
    pub fn from_resources(res: &Resources) -> Result<Self, ResourceError> {
        let mut words = HashMap::new();
        for (line, f) in res.tsv("lexicons/stopwords.tsv", 2)? {
            let bit = match f[0] {
                "de" => 1,
                "en" => 2,
                other => {
                    return Err(ResourceError {
                        file: "lexicons/stopwords.tsv".into(),
                        line,
                        message: format!("language {other:?} is not de or en"),
                    })
                }
            };
            *words.entry(f[1].to_lowercase()).or_insert(0) |= bit;
        }
        Ok(LanguageId { words })
    }

    /// Identify the language of a text.
    pub fn identify(&self, text: &str) -> Identified {
        let (mut de, mut en, mut n) = (0usize, 0usize, 0usize);
        for w in text
            .split(|c: char| !c.is_alphabetic() && c != '\'')
            .filter(|w| !w.is_empty())
            .take(2000)
        {
            n += 1;
            if let Some(bits) = self.words.get(&w.to_lowercase()) {
                de += usize::from(bits & 1 != 0);
                en += usize::from(bits & 2 != 0);
            }
        }
        let (best, code) = if de >= en { (de, "de") } else { (en, "en") };
        let other = de.min(en);
        // Function words make up a third or more of running German or English
        // text; require a clear share and a clear margin.
        if n >= 3 && best >= 2 && best * 100 >= n * 12 && best >= other * 2 {
            let margin = (best - other) as f64 / best as f64;
            let share = (best as f64 / n as f64 * 3.0).min(1.0);
            return Identified {
                code: code.into(),
                confidence: (margin * share).clamp(0.0, 1.0),
            };
        }
        match whatlang::detect(text) {
            Some(info) if info.is_reliable() => {
                let code3 = info.lang().code();
                Identified {
                    code: iso639_1(code3).unwrap_or(code3).to_string(),
                    confidence: info.confidence(),
                }
            }
            _ => Identified {
                code: "und".into(),
                confidence: 0.0,
            },
        }
    }
}

/// ISO 639-1 codes of the languages whatlang knows by their 639-3 code.
fn iso639_1(code3: &str) -> Option<&'static str> {
    Some(match code3 {
        "deu" => "de",
        "eng" => "en",
        "fra" => "fr",
        "spa" => "es",
        "ita" => "it",
        "por" => "pt",
        "nld" => "nl",
        "pol" => "pl",
        "rus" => "ru",
        "ukr" => "uk",
        "ces" => "cs",
        "slk" => "sk",
        "slv" => "sl",
        "hrv" => "hr",
        "srp" => "sr",
        "bul" => "bg",
        "ron" => "ro",
        "hun" => "hu",
        "fin" => "fi",
        "swe" => "sv",
        "dan" => "da",
        "nob" => "nb",
        "est" => "et",
        "lav" => "lv",
        "lit" => "lt",
        "ell" => "el",
        "tur" => "tr",
        "ara" => "ar",
        "heb" => "he",
        "pes" => "fa",
        "hin" => "hi",
        "cmn" => "zh",
        "jpn" => "ja",
        "kor" => "ko",
        "vie" => "vi",
        "tha" => "th",
        "ind" => "id",
        _ => return None,
    })
}

/// The `language` stage: keeps a language the input gave, else identifies it.
pub struct LanguageStage {
    id: LanguageId,
}

impl LanguageStage {
    pub fn from_resources(res: &Resources) -> Result<Self, ResourceError> {
        Ok(LanguageStage {
            id: LanguageId::from_resources(res)?,
        })
    }
}

impl Stage for LanguageStage {
    fn name(&self) -> &'static str {
        "language"
    }
    fn run(&self, doc: &mut Document) {
        if doc.language.is_empty() {
            doc.language = self.id.identify(&doc.text).code;
        } else {
            doc.language = doc.language.to_ascii_lowercase();
            if let Some((base, _)) = doc.language.split_once(['-', '_']) {
                doc.language = base.to_string();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> LanguageId {
        LanguageId::from_resources(&Resources::embedded()).unwrap()
    }

    #[test]
    fn german_and_english() {
        let l = id();
        assert_eq!(
            l.identify("Der Minister traf sich am Dienstag mit seinem Kollegen in der Hauptstadt.")
                .code,
            "de"
        );
        assert_eq!(
            l.identify("The minister met his counterpart in the capital on Tuesday.")
                .code,
            "en"
        );
    }

    #[test]
    fn other_languages_reported_or_undetermined() {
        let l = id();
        let fr = l.identify("Le ministre des affaires étrangères a rencontré son homologue dans la capitale mardi dernier pour discuter de la coopération entre les deux pays.");
        assert_eq!(fr.code, "fr");
        assert_eq!(l.identify("12345 !!!").code, "und");
        assert_eq!(l.identify("").code, "und");
    }

    #[test]
    fn stage_keeps_given_language_normalised() {
        let stage = LanguageStage::from_resources(&Resources::embedded()).unwrap();
        let mut doc = Document {
            language: "DE-at".into(),
            text: "The text is English.".into(),
            ..Default::default()
        };
        stage.run(&mut doc);
        assert_eq!(doc.language, "de");
    }
}
