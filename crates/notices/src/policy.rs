//! The license policy of `apostille.toml`, in the spirit of cargo-deny:
//! licenses allowed and denied, what to do about copyleft, and per-package
//! exceptions. The format is documented in `docs/notices.md`:
//!
//! ```toml
//! [notices]
//! allow = ["MIT", "Apache-2.0", "BSD-3-Clause"]   # empty or absent: any license not denied
//! deny = ["AGPL-3.0-only"]
//! copyleft = "warn"            # "allow" | "warn" (default) | "deny"
//! strict = false               # true: flags (not covered, no license file…) are violations
//!
//! [[notices.exceptions]]
//! name = "sequoia-openpgp"      # a package name
//! allow = ["LGPL-2.0-or-later"] # licenses allowed for it alone (copyleft included)
//!
//! [audit]
//! exclude = ["docs/**", "*.json"]   # no header needed (as .rat-excludes)
//! allow-binary = ["tests/data/*"]   # binary files allowed in the source release
//! ```
//!
//! A package's declared expression passes when it can be satisfied with
//! allowed, undenied licenses (`MIT OR GPL-3.0-only` passes an allow list
//! holding MIT). It is copyleft when it cannot be satisfied without a
//! copyleft license.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use spdx::{Expression, LicenseReq, ParseMode};

use crate::error::NoticesError;

/// What to do about a package that needs a copyleft license.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CopyleftRule {
    /// Nothing.
    Allow,
    /// Flag it in the notices (the default).
    #[default]
    Warn,
    /// A violation, unless an exception allows that license for that package.
    Deny,
}

/// `[[notices.exceptions]]`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// Package name.
    pub name: String,
    /// Licenses allowed for it alone.
    #[serde(default)]
    pub allow: Vec<String>,
}

/// `[notices]`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NoticesPolicy {
    /// Allowed licenses (empty: any license not denied).
    #[serde(default)]
    pub allow: Vec<String>,
    /// Denied licenses.
    #[serde(default)]
    pub deny: Vec<String>,
    /// What to do about copyleft.
    #[serde(default)]
    pub copyleft: CopyleftRule,
    /// Flags are violations.
    #[serde(default)]
    pub strict: bool,
    /// Per-package exceptions.
    #[serde(default)]
    pub exceptions: Vec<Exception>,
}

/// `[audit]`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AuditPolicy {
    /// Globs of files that need no license header.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Globs of binary files allowed in a source release.
    #[serde(default)]
    pub allow_binary: Vec<String>,
    /// The release is an incubating one (DISCLAIMER needed, `incubating` in
    /// artifact names).
    #[serde(default)]
    pub incubating: bool,
}

/// The whole `apostille.toml` (other tables belong to other commands and
/// are ignored here).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Policy {
    /// `[notices]`.
    #[serde(default)]
    pub notices: NoticesPolicy,
    /// `[audit]`.
    #[serde(default)]
    pub audit: AuditPolicy,
    /// Where it was read from.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// The verdict of the policy on one package.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Why the package breaks the policy (empty: it does not).
    pub violations: Vec<String>,
    /// The package cannot be used without a copyleft license.
    pub copyleft: bool,
}

impl Policy {
    /// Reads `apostille.toml`.
    pub fn load(path: &Path) -> Result<Policy, NoticesError> {
        let text =
            apostille_digest::input::read_input_string(path).map_err(|e| NoticesError::Read {
                path: path.to_path_buf(),
                source: e.into_io(),
            })?;
        let mut p = Policy::parse(&text).map_err(|message| NoticesError::Policy {
            path: path.to_path_buf(),
            message,
        })?;
        p.path = Some(path.to_path_buf());
        Ok(p)
    }

    /// Parses the text of an `apostille.toml`, checking that every license
    /// named is an SPDX identifier.
    pub fn parse(text: &str) -> Result<Policy, String> {
        let p: Policy = toml::from_str(text).map_err(|e| e.to_string())?;
        let lists = [("allow", &p.notices.allow), ("deny", &p.notices.deny)];
        for (what, list) in lists {
            for l in list {
                canonical(l).map_err(|e| format!("[notices] {what}: {e}"))?;
            }
        }
        for e in &p.notices.exceptions {
            for l in &e.allow {
                canonical(l).map_err(|err| format!("exception for {}: {err}", e.name))?;
            }
        }
        Ok(p)
    }

    /// Judges a package by its declared license expression.
    pub fn judge(&self, name: &str, declared: Option<&str>) -> Verdict {
        let n = &self.notices;
        let mut v = Verdict::default();
        let Some(declared) = declared else {
            if !n.allow.is_empty() {
                v.violations.push(
                    "declares no SPDX license expression; the allow list cannot be checked".into(),
                );
            }
            return v;
        };
        let expr = match Expression::parse_mode(declared, ParseMode::LAX) {
            Ok(e) => e,
            Err(e) => {
                if !n.allow.is_empty() {
                    v.violations
                        .push(format!("`{declared}` is not an SPDX expression ({e}); the allow list cannot be checked"));
                }
                return v;
            }
        };
        let canon = |list: &[String]| -> Vec<String> {
            list.iter().filter_map(|l| canonical(l).ok()).collect()
        };
        let allow = canon(&n.allow);
        let deny = canon(&n.deny);
        let excepted: Vec<String> = n
            .exceptions
            .iter()
            .filter(|e| e.name == name)
            .flat_map(|e| canon(&e.allow))
            .collect();
        let key = |r: &LicenseReq| r.license.to_string();
        let allowed = |r: &LicenseReq| {
            let k = key(r);
            excepted.contains(&k)
                || (!deny.contains(&k) && (allow.is_empty() || allow.contains(&k)))
        };
        if !expr.evaluate(allowed) {
            let refused: Vec<String> = expr
                .requirements()
                .filter(|r| !allowed(&r.req))
                .map(|r| key(&r.req))
                .collect();
            v.violations.push(format!(
                "`{declared}`: {} not allowed by the policy",
                refused.join(", ")
            ));
        }
        v.copyleft = !expr.evaluate(|r| !is_copyleft(r));
        if v.copyleft && n.copyleft == CopyleftRule::Deny {
            let copyleft_ok =
                expr.evaluate(|r| allowed(r) && (!is_copyleft(r) || excepted.contains(&key(r))));
            if !copyleft_ok {
                v.violations.push(format!(
                    "`{declared}` needs a copyleft license and the policy denies copyleft"
                ));
            }
        }
        v
    }
}

/// Whether a requirement names a copyleft license (GPL, LGPL, MPL, EPL…, as
/// the SPDX list's flags say).
pub fn is_copyleft(r: &LicenseReq) -> bool {
    r.license.id().is_some_and(|id| id.is_copyleft())
}

/// The canonical spelling of one license name from a policy file.
fn canonical(name: &str) -> Result<String, String> {
    spdx::Licensee::parse_mode(name, ParseMode::LAX)
        .map(|l| l.into_req().license.to_string())
        .map_err(|e| format!("`{name}` is not an SPDX license identifier ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_list_passes_an_or_with_one_allowed_branch() {
        let p = Policy::parse("[notices]\nallow = [\"MIT\", \"Apache-2.0\"]\n").unwrap();
        assert_eq!(
            p.judge("a", Some("MIT OR GPL-3.0-only")),
            Verdict::default()
        );
        let v = p.judge("b", Some("GPL-3.0-only"));
        assert_eq!(v.violations.len(), 1, "{v:?}");
        assert!(v.copyleft);
        // The old slash syntax crates.io still holds.
        assert!(p.judge("c", Some("MIT/Apache-2.0")).violations.is_empty());
    }

    #[test]
    fn deny_wins_and_exceptions_are_per_package() {
        let p = Policy::parse(
            "[notices]\ndeny = [\"LGPL-2.0-or-later\"]\ncopyleft = \"deny\"\n[[notices.exceptions]]\nname = \"sequoia-openpgp\"\nallow = [\"LGPL-2.0-or-later\"]\n",
        )
        .unwrap();
        let ok = p.judge("sequoia-openpgp", Some("LGPL-2.0-or-later"));
        assert!(ok.violations.is_empty(), "{ok:?}");
        assert!(ok.copyleft);
        let bad = p.judge("other", Some("LGPL-2.0-or-later"));
        assert_eq!(bad.violations.len(), 2, "{bad:?}");
        assert!(p.judge("other", Some("MPL-2.0")).violations.len() == 1);
        assert!(
            p.judge("other", Some("MIT OR MPL-2.0"))
                .violations
                .is_empty()
        );
    }

    #[test]
    fn default_policy_only_flags_copyleft() {
        let p = Policy::default();
        let v = p.judge("sequoia-openpgp", Some("LGPL-2.0-or-later"));
        assert!(v.violations.is_empty());
        assert!(v.copyleft);
        assert!(!p.judge("x", Some("MIT OR Apache-2.0")).copyleft);
    }

    #[test]
    fn bad_policy_files_are_errors() {
        assert!(Policy::parse("[notices]\nallow = [\"NOT-A-LICENSE\"]\n").is_err());
        assert!(Policy::parse("[notices]\nalow = []\n").is_err());
        assert!(Policy::parse("[notices]\ncopyleft = \"maybe\"\n").is_err());
        // Other commands' tables are left alone.
        assert!(Policy::parse("[sbom]\nx = 1\n").is_ok());
    }
}
