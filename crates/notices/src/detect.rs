//! License detection, used only to annotate: each license text is matched
//! against the SPDX texts of the `spdx` crate's detection store (derived
//! from askalono) and gets identifiers with a confidence score. Nothing is
//! ever replaced by what detection says.
//!
//! Known traps, each handled and tested:
//! * The Apache-2.0 text without its appendix ("How to apply…") scores
//!   closest to Pixar, a modified Apache-2.0; a text with no mention of
//!   Pixar is reported as Apache-2.0, with a note.
//! * A `COPYING` file that only says where the license is ("dual-licensed
//!   under the Unlicense and MIT licenses") is a [`DetectionKind::Pointer`]:
//!   it names licenses but holds none.
//! * Index files such as ring's `LICENSE`, which quote several licenses
//!   and explain which parts they cover: [`DetectionKind::Index`], with
//!   every license found inside.
//! * The LGPL-3.0 text as the FSF ships it (`COPYING.LESSER`) scores 0.3:
//!   the SPDX list's LGPL-3.0 text has the whole GPL-3.0 appended. A text
//!   is also compared with the LGPL part alone.
//! * GNU license texts do not say "only" or "or later" (the notice in each
//!   source file does), so detection reports the base name: `GPL-2.0`,
//!   `LGPL-2.1`, never `GPL-2.0+`.

use std::sync::OnceLock;

use serde::Serialize;
use spdx::detection::scan::Scanner;
use spdx::detection::{Store, TextData};

use crate::error::NoticesError;

/// Score from which a match is reported as the file's license.
pub const CONFIDENT: f32 = 0.9;
/// Score from which a match against one of the [`COMMON`] licenses is
/// taken without comparing the text with the whole store.
pub const SURE: f32 = 0.98;

/// The licenses most crates ship, tried first: comparing a text with these
/// takes about a millisecond, with the whole store (~700 licenses) about
/// twenty. Only a score of [`SURE`] or more is taken from this short list;
/// near variants (Apache-2.0 without appendix, MIT-0, X11) score lower and
/// go through the whole store as before.
pub const COMMON: &[&str] = &[
    "MIT",
    "Apache-2.0",
    "BSD-3-Clause",
    "BSD-2-Clause",
    "ISC",
    "Unlicense",
    "Zlib",
    "BSL-1.0",
    "MPL-2.0",
    "CC0-1.0",
    "0BSD",
    "Unicode-3.0",
    "GPL-2.0",
    "GPL-3.0",
    "LGPL-2.1",
    "LGPL-3.0",
    "LGPL-2.0",
];

/// Score from which a match is reported at all (as a probable license, or
/// a license found inside a longer text).
pub const PROBABLE: f32 = 0.8;

/// What a file turned out to hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DetectionKind {
    /// One license's full text.
    Text,
    /// A license header (the short notice), not the full text.
    Header,
    /// A text quoting several licenses, or a license plus other terms.
    Index,
    /// A short file that names licenses or files but holds no license text.
    Pointer,
    /// A NOTICE file: attributions, not a license; not matched.
    Notice,
    /// Nothing matched with enough confidence.
    Unknown,
}

/// A license identifier found in a text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Found {
    /// SPDX identifier.
    pub id: String,
    /// Confidence, 0 to 1, rounded to three decimals.
    pub score: f64,
}

/// The annotation of one text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Detection {
    /// What the text is.
    pub kind: DetectionKind,
    /// The licenses whose text it holds (empty for a pointer or unknown).
    pub licenses: Vec<Found>,
    /// SPDX identifiers a pointer names (e.g. `["MIT", "Unlicense"]`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<String>,
    /// A human note on how the result came about, for the traps above and
    /// for unknown texts (the nearest license and its score).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Detection {
    /// The identifiers of [`Detection::licenses`].
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.licenses.iter().map(|f| f.id.as_str())
    }

    /// One line for people: `MIT (0.98)`, `pointer: names MIT, Unlicense`.
    pub fn summary(&self) -> String {
        let list = |v: &[Found]| {
            v.iter()
                .map(|f| format!("{} ({:.2})", f.id, f.score))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self.kind {
            DetectionKind::Text => list(&self.licenses),
            DetectionKind::Header => format!("header of {}", list(&self.licenses)),
            DetectionKind::Index if self.licenses.len() == 1 => {
                format!("{} with other terms", list(&self.licenses))
            }
            DetectionKind::Index => format!("several licenses: {}", list(&self.licenses)),
            DetectionKind::Pointer if self.mentions.is_empty() => {
                "points elsewhere, holds no license text".to_string()
            }
            DetectionKind::Pointer => format!(
                "points elsewhere, names {}; holds no license text",
                self.mentions.join(", ")
            ),
            DetectionKind::Notice => "NOTICE".to_string(),
            DetectionKind::Unknown => "not recognised".to_string(),
        }
    }
}

/// The detection store, loaded once (about 0.4 s) and shared.
pub struct Detector {
    store: OnceLock<Result<Store, String>>,
    lgpl3: OnceLock<TextData>,
}

impl Default for Detector {
    fn default() -> Self {
        Self::new()
    }
}

impl Detector {
    /// A detector whose store is loaded on first use.
    pub fn new() -> Detector {
        Detector {
            store: OnceLock::new(),
            lgpl3: OnceLock::new(),
        }
    }

    /// Loads the store now (call it on another thread to overlap the load
    /// with other work).
    pub fn preload(&self) -> Result<(), NoticesError> {
        self.store().map(|_| ())
    }

    fn store(&self) -> Result<&Store, NoticesError> {
        self.store
            .get_or_init(|| Store::load_inline().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| NoticesError::Store(e.clone()))
    }

    /// Annotates one license text.
    pub fn detect(&self, text: &str) -> Result<Detection, NoticesError> {
        let store = self.store()?;
        let data = TextData::new(text);
        // The short list first.
        let mut quick: Option<(&str, f32)> = None;
        for name in COMMON {
            let Some(stored) = stored_text(store, name) else {
                continue;
            };
            let score = stored.match_score(&data);
            if quick.is_none_or(|(_, s)| score > s) {
                quick = Some((name, score));
            }
        }
        if let Some((name, score)) = quick.filter(|(_, s)| *s >= SURE) {
            return Ok(Detection {
                kind: DetectionKind::Text,
                licenses: vec![found(gnu_base(name), score)],
                mentions: Vec::new(),
                note: None,
            });
        }
        let best = store.analyze(&data);
        let (id, note) = fix_name(best.name, text, best.score);
        if best.score < CONFIDENT && text.contains("LESSER GENERAL PUBLIC LICENSE") {
            let score = self.lgpl3_alone().match_score(&data);
            if score >= CONFIDENT {
                return Ok(Detection {
                    kind: DetectionKind::Text,
                    licenses: vec![found("LGPL-3.0".to_string(), score)],
                    mentions: Vec::new(),
                    note: Some(
                        "the LGPL-3.0 text alone; the SPDX list's LGPL-3.0 text appends GPL-3.0"
                            .to_string(),
                    ),
                });
            }
        }
        if best.score >= CONFIDENT {
            let kind = match best.license_type {
                spdx::detection::LicenseType::Header => DetectionKind::Header,
                _ => DetectionKind::Text,
            };
            return Ok(Detection {
                kind,
                licenses: vec![found(id, best.score)],
                mentions: Vec::new(),
                note,
            });
        }
        // Look for licenses inside a longer text (index files, a license
        // followed by third-party terms).
        let scanner = Scanner::new(store)
            .confidence_threshold(PROBABLE)
            .shallow_limit(0.99)
            .optimize(true)
            .max_passes(8);
        let scan = scanner.scan(&data);
        let mut inside: Vec<Found> = Vec::new();
        for c in &scan.containing {
            let (cid, _) = fix_name(c.license.name, text, c.score);
            match inside.iter_mut().find(|f| f.id == cid) {
                Some(f) if f.score < round(c.score) => f.score = round(c.score),
                Some(_) => {}
                None => inside.push(found(cid, c.score)),
            }
        }
        inside.sort_by(|a, b| a.id.cmp(&b.id));
        let mentions = mentioned_ids(text);
        let short =
            text.len() < 4000 && text.lines().filter(|l| !l.trim().is_empty()).count() <= 40;
        if inside.len() > 1 || (inside.len() == 1 && best.score < PROBABLE && !short) {
            return Ok(Detection {
                kind: DetectionKind::Index,
                licenses: inside,
                mentions: Vec::new(),
                note,
            });
        }
        if best.score >= PROBABLE {
            return Ok(Detection {
                kind: DetectionKind::Text,
                licenses: vec![found(id, best.score)],
                mentions: Vec::new(),
                note: Some(note.unwrap_or_else(|| "probable match".to_string())),
            });
        }
        if short && (!mentions.is_empty() || names_a_file(text)) {
            return Ok(Detection {
                kind: DetectionKind::Pointer,
                licenses: Vec::new(),
                mentions,
                note: None,
            });
        }
        Ok(Detection {
            kind: DetectionKind::Unknown,
            licenses: Vec::new(),
            mentions: Vec::new(),
            note: Some(format!("nearest: {id} ({:.2})", best.score)),
        })
    }
}

impl Detector {
    /// How well `text` matches the stored text of license `id` (0 to 1),
    /// or `None` when the store has no text under that name. Coverage uses
    /// it when the best match is a near relative of the declared license
    /// (Unicode-3.0 for a Unicode-DFS-2016 text scores 0.92).
    pub fn score_against(&self, text: &str, id: &str) -> Result<Option<f64>, NoticesError> {
        let store = self.store()?;
        let Some(stored) = stored_text(store, id) else {
            return Ok(None);
        };
        Ok(Some(round(stored.match_score(&TextData::new(text)))))
    }

    /// The SPDX LGPL-3.0 text without the GPL-3.0 text appended to it.
    fn lgpl3_alone(&self) -> &TextData {
        self.lgpl3.get_or_init(|| {
            let full = spdx::license_id("LGPL-3.0-or-later").map_or("", |l| l.text());
            let end = full
                .find("GNU GENERAL PUBLIC LICENSE")
                .unwrap_or(full.len());
            TextData::new(&full[..end])
        })
    }
}

/// The store's text of license `id`, under whichever spelling the store
/// uses for it (`GPL-2.0`, `GPL-2.0-only`, `GPL-2.0-or-later`, `GPL-2.0+`).
fn stored_text<'a>(store: &'a Store, id: &str) -> Option<&'a TextData> {
    let base = gnu_base(id);
    [
        id.to_string(),
        base.clone(),
        format!("{base}-only"),
        format!("{base}-or-later"),
        format!("{base}+"),
    ]
    .iter()
    .find_map(|c| store.get_original(c))
}

fn round(score: f32) -> f64 {
    (f64::from(score) * 1000.0).round() / 1000.0
}

fn found(id: String, score: f32) -> Found {
    Found {
        id,
        score: round(score),
    }
}

/// Maps the store's name to the identifier to report, with a note for the
/// Pixar trap.
fn fix_name(name: &str, text: &str, score: f32) -> (String, Option<String>) {
    if name == "Pixar" && !text.contains("Pixar") && text.contains("Apache License") {
        return (
            "Apache-2.0".to_string(),
            Some(format!(
                "Apache-2.0 text without its appendix (the store's nearest text is Pixar, {score:.2}, a modified Apache-2.0 that this text does not name)"
            )),
        );
    }
    (gnu_base(name), None)
}

/// `GPL-2.0+`, `GPL-2.0-only`, `GPL-2.0-or-later` → `GPL-2.0` for the GNU
/// family, whose texts do not tell them apart.
fn gnu_base(name: &str) -> String {
    if !(name.starts_with("GPL-")
        || name.starts_with("LGPL-")
        || name.starts_with("AGPL-")
        || name.starts_with("GFDL-"))
    {
        return name.to_string();
    }
    let n = name.trim_end_matches('+');
    n.strip_suffix("-only")
        .or_else(|| n.strip_suffix("-or-later"))
        .unwrap_or(n)
        .to_string()
}

/// SPDX identifiers written out in a text, in order of first appearance
/// (`Unlicense`, `MIT`, `Apache-2.0`…). Only whole words that are exact
/// identifiers of at least three characters count.
fn mentioned_ids(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '+'))) {
        let word = word.trim_end_matches('.');
        if word.len() < 3 || out.iter().any(|w| w == word) {
            continue;
        }
        if spdx::license_id(word).is_some() {
            out.push(word.to_string());
        }
    }
    out
}

/// Whether a text names a license-bearing file (`see LICENSE-MIT`).
fn names_a_file(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '`' | '"' | '\'' | ','))
        .map(|w| w.trim_end_matches(['.', ':', ';']))
        // File names are written as such: `LICENSE-MIT`, `COPYING`, not
        // the word "license" in a sentence.
        .any(|w| {
            w.len() >= 7
                && w[..4].bytes().all(|b| b.is_ascii_uppercase())
                && crate::files::role_of(w).is_some()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detector() -> &'static Detector {
        static D: OnceLock<Detector> = OnceLock::new();
        D.get_or_init(Detector::new)
    }

    fn apache() -> &'static str {
        spdx::license_id("Apache-2.0").unwrap().text()
    }

    #[test]
    fn mit_text() {
        let text =
            "Copyright (c) 2024 Someone\n\n".to_string() + spdx::license_id("MIT").unwrap().text();
        let d = detector().detect(&text).unwrap();
        assert_eq!(d.kind, DetectionKind::Text);
        assert_eq!(d.ids().collect::<Vec<_>>(), ["MIT"]);
        assert!(d.licenses[0].score >= 0.9, "{d:?}");
    }

    #[test]
    fn apache_without_appendix_is_apache_not_pixar() {
        let full = apache();
        let cut = full
            .find("APPENDIX")
            .expect("the SPDX text has an appendix");
        let d = detector().detect(&full[..cut]).unwrap();
        assert_eq!(d.ids().collect::<Vec<_>>(), ["Apache-2.0"], "{d:?}");
        assert!(d.note.as_deref().unwrap_or("").contains("Pixar"), "{d:?}");
        // The full text needs no fix.
        let d = detector().detect(full).unwrap();
        assert_eq!(d.ids().collect::<Vec<_>>(), ["Apache-2.0"], "{d:?}");
    }

    #[test]
    fn copying_that_points_elsewhere() {
        // memchr's, aho-corasick's and ripgrep's COPYING, verbatim.
        let text = "This project is dual-licensed under the Unlicense and MIT licenses.\n\nYou may use this code under the terms of either license.\n";
        let d = detector().detect(text).unwrap();
        assert_eq!(d.kind, DetectionKind::Pointer, "{d:?}");
        assert_eq!(d.mentions, ["Unlicense", "MIT"]);
        assert!(d.licenses.is_empty());
    }

    #[test]
    fn index_file_quoting_several_licenses() {
        // An index in the shape of ring's LICENSE: prose, then the texts.
        let text = format!(
            "Note that it is easy for this file to get out of sync with the licenses in the\nsource code files. It's recommended to compare the licenses in the source code\nwith what's mentioned here.\n\nParts of this project are under the ISC license:\n\n{}\n\nOther parts are under the MIT license:\n\n{}\n",
            "Copyright 2015 A. Person\n\n".to_string() + spdx::license_id("ISC").unwrap().text(),
            "Copyright 2016 B. Person\n\n".to_string() + spdx::license_id("MIT").unwrap().text(),
        );
        let d = detector().detect(&text).unwrap();
        assert_eq!(d.kind, DetectionKind::Index, "{d:?}");
        let ids: Vec<&str> = d.ids().collect();
        assert!(ids.contains(&"ISC") && ids.contains(&"MIT"), "{d:?}");
    }

    #[test]
    fn lgpl3_alone_and_gnu_names() {
        let full = spdx::license_id("LGPL-3.0-or-later").unwrap().text();
        let end = full.find("GNU GENERAL PUBLIC LICENSE").unwrap();
        let d = detector().detect(&full[..end]).unwrap();
        assert_eq!(d.ids().collect::<Vec<_>>(), ["LGPL-3.0"], "{d:?}");
        let d = detector()
            .detect(spdx::license_id("GPL-2.0-only").unwrap().text())
            .unwrap();
        assert_eq!(d.ids().collect::<Vec<_>>(), ["GPL-2.0"], "{d:?}");
    }

    #[test]
    fn near_relatives_score_against_the_declared_license() {
        let mit = spdx::license_id("MIT").unwrap().text();
        let s = detector().score_against(mit, "MIT").unwrap().unwrap();
        assert!(s > 0.95, "{s}");
        let s = detector()
            .score_against(mit, "Apache-2.0")
            .unwrap()
            .unwrap();
        assert!(s < 0.5, "{s}");
        assert_eq!(detector().score_against(mit, "LicenseRef-x").unwrap(), None);
    }

    #[test]
    fn every_common_license_is_in_the_store() {
        let store = detector().store().unwrap();
        for name in COMMON {
            assert!(stored_text(store, name).is_some(), "{name}");
        }
    }

    #[test]
    fn prose_is_unknown() {
        let d = detector()
            .detect(
                "This crate has no license yet; ask the authors.\nIt will be decided later on.\n",
            )
            .unwrap();
        assert_eq!(d.kind, DetectionKind::Unknown, "{d:?}");
    }
}
