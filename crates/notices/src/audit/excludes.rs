//! Exclusion and allow lists by glob, with the `.rat-excludes` file read
//! the way its users write it.
//!
//! One pattern a line; blank lines and lines starting with `#` are
//! skipped. A pattern without `/` matches a file or folder name anywhere
//! (`*.json`, `target`); a pattern with `/` matches the path from the
//! release root (`docs/vendor/*`, `/configure`). `*` and `?` stay within
//! one name, `**` crosses folders, and a pattern that matches a folder
//! matches everything under it.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::error::NoticesError;

/// A compiled list of patterns.
#[derive(Clone, Debug)]
pub struct Patterns {
    set: GlobSet,
    /// The patterns as written, for reports.
    pub written: Vec<String>,
}

impl Default for Patterns {
    fn default() -> Self {
        Patterns {
            set: GlobSet::empty(),
            written: Vec::new(),
        }
    }
}

impl Patterns {
    /// Compiles `patterns`; `origin` names where they came from in errors.
    pub fn new<'a>(
        patterns: impl IntoIterator<Item = (&'a str, String)>,
    ) -> Result<Patterns, NoticesError> {
        let mut b = GlobSetBuilder::new();
        let mut written = Vec::new();
        // Each compiled glob with where it came from: building the set
        // can still fail (a pattern too large for the matcher), and the
        // error must then name the pattern, not the list.
        let mut compiled: Vec<(globset::Glob, String, String)> = Vec::new();
        for (pattern, origin) in patterns {
            let p = pattern.trim();
            if p.is_empty() || p.starts_with('#') {
                continue;
            }
            let body = p.trim_end_matches('/');
            let anchored = body.contains('/');
            let body = body.trim_start_matches('/');
            let forms = if anchored {
                vec![body.to_string(), format!("{body}/**")]
            } else {
                vec![format!("**/{body}"), format!("**/{body}/**")]
            };
            for f in forms {
                let g = GlobBuilder::new(&f)
                    .literal_separator(true)
                    .backslash_escape(true)
                    .build()
                    .map_err(|e| NoticesError::Glob {
                        origin: origin.clone(),
                        pattern: apostille_digest::display::terminal_safe(p.as_bytes())
                            .into_owned(),
                        message: e.kind().to_string(),
                    })?;
                b.add(g.clone());
                compiled.push((g, origin.clone(), shown(p)));
            }
            written.push(p.to_string());
        }
        let set = b.build().map_err(|e| {
            // The first pattern with which the set no longer builds.
            let mut partial = GlobSetBuilder::new();
            for (g, origin, pattern) in &compiled {
                partial.add(g.clone());
                if let Err(e) = partial.build() {
                    return NoticesError::Glob {
                        origin: origin.clone(),
                        pattern: pattern.clone(),
                        message: e.to_string(),
                    };
                }
            }
            NoticesError::Glob {
                origin: "patterns".into(),
                pattern: format!("{} patterns together", written.len()),
                message: e.to_string(),
            }
        })?;
        Ok(Patterns { set, written })
    }

    /// The patterns of a `.rat-excludes`-style file's text; errors name
    /// `origin:LINE`.
    pub fn parse_file(text: &str, origin: &str) -> Result<Patterns, NoticesError> {
        Patterns::new(file_lines(text, origin))
    }

    /// Whether `path` (relative to the release root) matches.
    pub fn matches(&self, path: &str) -> bool {
        !self.written.is_empty() && self.set.is_match(path)
    }
}

/// A pattern as errors show it: terminal-safe, and cut when very long.
fn shown(p: &str) -> String {
    apostille_digest::display::terminal_safe_cut(p.as_bytes(), 200)
}

/// The lines of a patterns file, each with `origin:LINE` (1-based).
pub fn file_lines<'a>(text: &'a str, origin: &str) -> Vec<(&'a str, String)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (l, format!("{origin}:{}", i + 1)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rat_excludes_semantics() {
        let p = Patterns::parse_file(
            "# generated\n*.json\n\ntarget\ndocs/vendor/*\n/configure\n",
            ".rat-excludes",
        )
        .unwrap();
        assert!(p.matches("a.json"));
        assert!(p.matches("deep/in/b.json"));
        assert!(p.matches("target/x.c"));
        assert!(p.matches("sub/target/y/z.c"));
        assert!(p.matches("docs/vendor/lib.js"));
        assert!(!p.matches("docs/vendor2/lib.js"));
        assert!(!p.matches("x/docs/vendor/lib.js"));
        assert!(p.matches("configure"));
        assert!(!p.matches("sub/configure"));
        assert!(!p.matches("src/main.c"));
        assert_eq!(p.written.len(), 4);
    }

    #[test]
    fn bad_glob_names_its_origin() {
        let e = Patterns::parse_file("# c\n\na[\n", "rel/.rat-excludes").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("rel/.rat-excludes:3: bad pattern `a[`: "),
            "{e}"
        );
    }

    #[test]
    fn excludes_file_bad_pattern_names_file_line_and_pattern() {
        // Valid as a glob, but too large for the matcher: the set build
        // fails, and the error must still say which line of which file.
        let huge = "?".repeat(100_000);
        let text = format!("ok/*\n{huge}\n");
        let e = Patterns::parse_file(&text, "F").unwrap_err().to_string();
        let shown = format!("{}…", &huge[..200]);
        assert!(
            e.starts_with(&format!("F:2: bad pattern `{shown}`: ")),
            "{e}"
        );
        assert!(e.len() < 1000, "{e}");
    }

    #[test]
    fn empty_matches_nothing() {
        assert!(!Patterns::default().matches("x"));
    }
}
