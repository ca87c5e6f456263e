//! Which file of a download is what: by name ([`apostille_formats::layout`])
//! and, for every name that claims a role a forger could abuse
//! (signatures, keys), by content ([`apostille_formats::sniff`]).

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::io::Read as _;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use apostille_digest::checksum::sidecar_subject;
use apostille_formats::layout::{self, Role};
use apostille_formats::sniff::{self, Content};
use serde::Serialize;

use super::display;

/// Largest signature or key file read (a KEYS file of a big project is a
/// few MiB).
const MAX_SIGNATURE_FILE: u64 = 16 << 20;

/// A detached signature found in the download, read and recognised.
#[derive(Clone, Debug)]
pub struct Detached {
    /// The signature file.
    pub path: PathBuf,
    /// The file it signs, from its name (`x.asc` → `x`).
    pub subject: PathBuf,
    /// What its content is.
    pub form: Form,
    /// Its content.
    pub data: Vec<u8>,
}

/// What a detached signature file holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Form {
    /// OpenPGP signature packets, armored or binary.
    OpenPgp,
    /// A cosign blob signature (base64), with the certificate file beside
    /// it, if any (`x.pem`, `x.crt`).
    Cosign(Option<PathBuf>),
    /// Neither: the reason.
    NotASignature(String),
}

/// Key material found inside a download: never trusted by being there.
#[derive(Clone, Debug, Serialize)]
pub struct KeyMaterial {
    /// The file.
    #[serde(serialize_with = "display")]
    pub path: PathBuf,
    /// What it holds ("OpenPGP public keys", "a PEM public key", …).
    pub what: String,
}

/// The files of a download, sorted by what they are.
#[derive(Clone, Debug, Default)]
pub struct Download {
    /// Files that are none of the below: what was released.
    pub artifacts: Vec<PathBuf>,
    /// Checksum sidecars and lists, clear-signed ones and Debian `.dsc`
    /// files included.
    pub checksum_files: Vec<PathBuf>,
    /// Detached signatures (OpenPGP or cosign).
    pub signatures: Vec<Detached>,
    /// Sigstore bundle files (one bundle, or JSON lines of bundles).
    pub bundles: Vec<PathBuf>,
    /// SPDX documents.
    pub sboms: Vec<PathBuf>,
    /// Key material (`KEYS`, `signing-key.asc`, `cosign.pub`, …),
    /// recognised by name or content: reported, never used.
    pub key_material: Vec<KeyMaterial>,
    /// Certificates that sit beside a cosign signature (`x.pem` for
    /// `x.sig`): part of that signature, not artifacts.
    pub certificates: Vec<PathBuf>,
    /// Release manifests (`apostille-manifest.json`): an unsigned listing
    /// of the release's outputs, not evidence, so not checked.
    pub manifests: Vec<PathBuf>,
    /// Whether the user named files (then checksum lines naming other
    /// files are not read), rather than folders.
    pub files_named: bool,
}

/// A download that cannot be looked at.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// A path cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Nothing to verify.
    #[error("{0}: no artifact to verify (only attestations)")]
    NoArtifact(String),
}

fn name_of(path: &Path) -> &[u8] {
    path.file_name().map(OsStr::as_bytes).unwrap_or_default()
}

fn role(path: &Path) -> Role {
    layout::role(name_of(path))
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DiscoverError + '_ {
    move |source| DiscoverError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), DiscoverError> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io(dir))?;
    entries.sort();
    for p in entries {
        if name_of(&p).first() == Some(&b'.') {
            continue;
        }
        let meta = std::fs::metadata(&p).map_err(io(&p))?;
        if meta.is_dir() {
            walk(&p, out)?;
        } else {
            // Regular files and named pipes (an artifact streamed in).
            out.push(p);
        }
    }
    Ok(())
}

fn walk_flat(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), DiscoverError> {
    for e in std::fs::read_dir(dir).map_err(io(dir))? {
        let p = e.map_err(io(dir))?.path();
        if !std::fs::metadata(&p).map_err(io(&p))?.is_dir() {
            out.push(p);
        }
    }
    out.sort();
    Ok(())
}

/// Reads a small file whose name claims a role; a named pipe or device is
/// not read (it is nobody's signature).
fn read_small(path: &Path) -> Result<Option<Vec<u8>>, DiscoverError> {
    let meta = std::fs::metadata(path).map_err(io(path))?;
    if !meta.is_file() {
        return Ok(None);
    }
    let f = std::fs::File::open(path).map_err(io(path))?;
    let mut data = Vec::new();
    f.take(MAX_SIGNATURE_FILE + 1)
        .read_to_end(&mut data)
        .map_err(io(path))?;
    if data.len() as u64 > MAX_SIGNATURE_FILE {
        return Ok(None);
    }
    Ok(Some(data))
}

/// Whether the content holds OpenPGP keys anywhere (a key file may start
/// with free text, as KEYS files do).
fn holds_openpgp_keys(data: &[u8]) -> bool {
    apostille_formats::armor::blocks(data)
        .iter()
        .any(|b| b.label.contains("KEY BLOCK"))
}

/// The file `sig` signs, beside it.
fn subject_of(sig: &Path) -> PathBuf {
    match layout::signed_subject(name_of(sig)) {
        Some(stem) => sig.with_file_name(OsStr::from_bytes(stem)),
        None => sig.to_path_buf(),
    }
}

impl Download {
    /// Sorts the files of `inputs`: folders are walked (hidden entries
    /// skipped); a file given is an artifact (whatever its name), and the
    /// attestations in its folder that are about it (`FILE.sha512`,
    /// `FILE.asc`, …), the checksum lists, bundles and SBOMs there, and
    /// the signatures of those, are taken too.
    pub fn discover(inputs: &[PathBuf]) -> Result<Download, DiscoverError> {
        let mut files = Vec::new();
        let mut named = BTreeSet::new();
        let mut files_named = false;
        for input in inputs {
            let meta = std::fs::metadata(input).map_err(io(input))?;
            if meta.is_dir() {
                walk(input, &mut files)?;
                continue;
            }
            files_named = true;
            named.insert(input.clone());
            files.push(input.clone());
            let dir = match input.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let mut beside = Vec::new();
            walk_flat(&dir, &mut beside)?;
            let stem = name_of(input);
            let mut taken = BTreeSet::new();
            for b in &beside {
                let r = role(b);
                let name = name_of(b);
                let about_it = name.len() > stem.len() + 1
                    && name.starts_with(stem)
                    && name[stem.len()] == b'.';
                let list = r == Role::Checksum && sidecar_subject(name).is_none();
                let shared = matches!(r, Role::Bundle | Role::Sbom | Role::Keys);
                if r != Role::Artifact && (about_it || list || shared) {
                    taken.insert(b.clone());
                }
            }
            // The signatures of what was taken (`SHA256SUMS.asc`).
            for b in &beside {
                if role(b) == Role::Signature && taken.contains(&subject_of(b)) {
                    taken.insert(b.clone());
                }
            }
            files.extend(taken);
        }
        files.sort();
        files.dedup();
        let all: BTreeSet<PathBuf> = files.iter().cloned().collect();
        let mut d = Download {
            files_named,
            ..Download::default()
        };
        for f in files {
            if named.contains(&f) {
                // A file the user named is what they want verified, even
                // if its name looks like an attestation's.
                d.artifacts.push(f);
                continue;
            }
            match role(&f) {
                Role::Checksum => d.checksum_files.push(f),
                Role::Signature => d.classify_signature(f, &all)?,
                Role::Bundle => d.bundles.push(f),
                Role::Sbom => d.sboms.push(f),
                Role::Keys => {
                    let what = if name_of(&f).eq_ignore_ascii_case(b"keys")
                        || name_of(&f).eq_ignore_ascii_case(b"keys.txt")
                    {
                        "a KEYS file"
                    } else {
                        "a public key"
                    };
                    d.key_material.push(KeyMaterial {
                        path: f,
                        what: what.into(),
                    });
                }
                Role::Manifest => d.manifests.push(f),
                Role::Artifact => {
                    let lower = name_of(&f).to_ascii_lowercase();
                    let cert = lower.ends_with(b".pem") || lower.ends_with(b".crt");
                    let sig = f.with_extension("sig");
                    if cert && all.contains(&sig) {
                        d.certificates.push(f);
                    } else {
                        d.artifacts.push(f);
                    }
                }
            }
        }
        if d.artifacts.is_empty() {
            let shown: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
            return Err(DiscoverError::NoArtifact(shown.join(", ")));
        }
        Ok(d)
    }

    /// A file named like a signature: what is it really?
    fn classify_signature(
        &mut self,
        path: PathBuf,
        all: &BTreeSet<PathBuf>,
    ) -> Result<(), DiscoverError> {
        let subject = subject_of(&path);
        let Some(data) = read_small(&path)? else {
            self.signatures.push(Detached {
                path,
                subject,
                form: Form::NotASignature("not a regular file of at most 16 MiB".into()),
                data: Vec::new(),
            });
            return Ok(());
        };
        let head = &data[..data.len().min(sniff::SNIFF_LEN)];
        let form = match sniff::classify(head) {
            Content::OpenPgpKeys => {
                self.key_material.push(KeyMaterial {
                    path,
                    what: "OpenPGP keys".into(),
                });
                return Ok(());
            }
            Content::PemPublicKey => {
                self.key_material.push(KeyMaterial {
                    path,
                    what: "a PEM public key".into(),
                });
                return Ok(());
            }
            Content::ClearSigned => {
                // A clear-signed list named like a signature
                // (`SHA256SUMS.asc` as some projects write it).
                self.checksum_files.push(path);
                return Ok(());
            }
            Content::OpenPgpSignature => Form::OpenPgp,
            Content::Base64Signature => {
                let cert = ["pem", "crt"]
                    .iter()
                    .map(|e| path.with_extension(e))
                    .find(|c| all.contains(c));
                Form::Cosign(cert)
            }
            _ if holds_openpgp_keys(&data) => {
                self.key_material.push(KeyMaterial {
                    path,
                    what: "OpenPGP keys".into(),
                });
                return Ok(());
            }
            c @ (Content::Json | Content::PemCertificate) => Form::NotASignature(format!(
                "neither an OpenPGP signature nor key material ({})",
                describe(c)
            )),
            // The signature reader decides; when it finds none it says
            // what the file is instead (an HTML page, a signature armored
            // twice, a signify signature, …), in the words `verify pgp`
            // uses.
            _ => {
                let parsed = crate::pgp::SignatureFile::parse(&data);
                if parsed.signatures.is_empty() {
                    Form::NotASignature(parsed.why_none())
                } else {
                    Form::OpenPgp
                }
            }
        };
        self.signatures.push(Detached {
            path,
            subject,
            form,
            data,
        });
        Ok(())
    }
}

fn describe(c: Content) -> &'static str {
    match c {
        Content::Json => "JSON",
        Content::PemCertificate => "a certificate",
        _ => "unrecognised content",
    }
}
