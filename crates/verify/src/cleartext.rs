//! Cleartext-signed documents (RFC 9580 §7, what `gpg --clearsign` writes):
//! Ubuntu's `SHA256SUMS`, Debian `.dsc` files, `InRelease`.
//!
//! [`ClearSigned::parse`] splits such a document into the signed text and
//! its signatures; [`ClearSigned::text`] is the signed text and nothing
//! else, so that a caller parsing it (checksum lines, deb822 fields) trusts
//! only bytes the signatures cover. Lines before the `BEGIN PGP SIGNED
//! MESSAGE` line or after the signature block are not signed: they are
//! left out and listed in [`ClearSigned::problems`].
//!
//! The text is hashed as OpenPGP canonical text (RFC 9580 §5.2.1.2, §7.2):
//! dash-escaping (`- `) undone, trailing spaces and tabs removed, lines
//! joined by CRLF, the line break before `BEGIN PGP SIGNATURE` not part of
//! it. [`ClearSigned::verify`] judges every signature with the rules of
//! detached signatures ([`crate::pgp`]): at its creation time, under an
//! explicit policy, SHA-1 and MD5 data signatures rejected. A signature by
//! a hash the `Hash:` header does not announce counts as bad, as in GnuPG
//! (the header is not signed, but a message whose header disagrees with
//! its signatures has been altered).

use apostille_formats::pgp::DataState;
use openpgp::policy::Policy;
use openpgp::types::{HashAlgorithm, SignatureType};
use sequoia_openpgp as openpgp;

use crate::pgp::{FoundSignature, Keyring, SignatureFile, SignatureVerdict, Status, judge_as};

const BEGIN_MESSAGE: &[u8] = b"-----BEGIN PGP SIGNED MESSAGE-----";
const BEGIN_SIGNATURE: &[u8] = b"-----BEGIN PGP SIGNATURE-----";
const END_SIGNATURE: &[u8] = b"-----END PGP SIGNATURE-----";

/// Why a document cannot be read as a cleartext-signed message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CleartextError {
    /// No `-----BEGIN PGP SIGNED MESSAGE-----` line.
    #[error("not a cleartext-signed message (no BEGIN PGP SIGNED MESSAGE line)")]
    NotCleartext,
    /// A header line other than `Hash: …`, or no empty line ending the
    /// headers.
    #[error("line {line}: {reason}")]
    Header {
        /// 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The signed text is not followed by a `BEGIN PGP SIGNATURE` line.
    #[error("the signed text is not followed by a BEGIN PGP SIGNATURE line (truncated?)")]
    NoSignatureBlock,
    /// The signature block has no END line.
    #[error("line {line}: the signature block has no END PGP SIGNATURE line")]
    UnterminatedSignature {
        /// 1-based line of the BEGIN PGP SIGNATURE line.
        line: usize,
    },
    /// A carriage return inside a line of the signed text: implementations
    /// disagree on whether it ends the line, so what is signed is ambiguous.
    #[error("line {line}: carriage return inside a line of the signed text")]
    BareCarriageReturn {
        /// 1-based line.
        line: usize,
    },
}

/// A cleartext-signed document: the signed text and its signatures.
#[derive(Clone, Debug)]
pub struct ClearSigned {
    /// The signed text, every line ending with LF.
    text: Vec<u8>,
    /// What the signatures hash: the lines joined by CRLF, no final one.
    canonical: Vec<u8>,
    /// 1-based line of the document where the signed text starts.
    first_line: usize,
    /// Hash algorithms of the `Hash:` headers, `None` without one.
    announced: Option<Vec<HashAlgorithm>>,
    /// The signatures of the signature block.
    signatures: Vec<FoundSignature>,
    /// Line and reason of what was ignored or could not be read.
    problems: Vec<(usize, String)>,
}

/// Whether `data` holds a cleartext-signed message: one of its lines is
/// `-----BEGIN PGP SIGNED MESSAGE-----` (text before it is allowed, and
/// never part of what is signed). A cheap sniff; [`ClearSigned::parse`]
/// decides.
pub fn is_cleartext_signed(data: &[u8]) -> bool {
    data.split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii)
        .any(|l| l == BEGIN_MESSAGE)
}

impl ClearSigned {
    /// Reads a cleartext-signed message. Text before its BEGIN line and
    /// after its signature block is ignored and listed as a problem;
    /// unreadable signatures are problems too, not errors.
    pub fn parse(data: &[u8]) -> Result<ClearSigned, CleartextError> {
        // Each line with its LF (the last may lack one).
        let lines: Vec<&[u8]> = data.split_inclusive(|&b| b == b'\n').collect();
        let mut problems = Vec::new();

        let start = lines
            .iter()
            .position(|l| l.trim_ascii() == BEGIN_MESSAGE)
            .ok_or(CleartextError::NotCleartext)?;
        if lines[..start].iter().any(|l| !l.trim_ascii().is_empty()) {
            problems.push((
                1,
                format!(
                    "{start} line(s) before the BEGIN PGP SIGNED MESSAGE line are not signed: ignored"
                ),
            ));
        }

        // Armor headers: only `Hash:`, up to the empty line.
        let mut announced: Option<Vec<HashAlgorithm>> = None;
        let mut i = start + 1;
        loop {
            let Some(line) = lines.get(i) else {
                return Err(CleartextError::Header {
                    line: i + 1,
                    reason: "no empty line after the headers".into(),
                });
            };
            let line = trim_end(line);
            if line.is_empty() {
                break;
            }
            let Some(value) = line.strip_prefix(b"Hash:") else {
                return Err(CleartextError::Header {
                    line: i + 1,
                    reason: format!(
                        "`{}` is not a Hash header (the only header a signed message may have)",
                        String::from_utf8_lossy(line)
                    ),
                });
            };
            let names = String::from_utf8_lossy(value);
            let list = announced.get_or_insert_with(Vec::new);
            for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                match name.parse::<HashAlgorithm>() {
                    Ok(h) => list.push(h),
                    Err(_) => {
                        problems.push((i + 1, format!("unknown hash `{name}` in Hash header")))
                    }
                }
            }
            i += 1;
        }
        let first_line = i + 2;

        // The dash-escaped text, up to BEGIN PGP SIGNATURE.
        let mut signed: Vec<Vec<u8>> = Vec::new();
        let mut j = i + 1;
        loop {
            let Some(raw) = lines.get(j) else {
                return Err(CleartextError::NoSignatureBlock);
            };
            if trim_end(raw) == BEGIN_SIGNATURE {
                break;
            }
            let unescaped = match raw.strip_prefix(b"- ") {
                Some(rest) => rest,
                None => {
                    if raw.first() == Some(&b'-') {
                        problems.push((
                            j + 1,
                            "line starts with `-` but is not dash-escaped (kept as it is)".into(),
                        ));
                    }
                    raw
                }
            };
            let line = trim_end(unescaped);
            if line.contains(&b'\r') {
                return Err(CleartextError::BareCarriageReturn { line: j + 1 });
            }
            signed.push(line.to_vec());
            j += 1;
        }

        // The signature block.
        let sig_line = j + 1;
        let end = lines[j..]
            .iter()
            .position(|l| trim_end(l) == END_SIGNATURE)
            .map(|k| j + k)
            .ok_or(CleartextError::UnterminatedSignature { line: sig_line })?;
        let block = lines[j..=end].concat();
        let file = SignatureFile::parse(&block);
        let offset = j;
        problems.extend(
            file.problems
                .into_iter()
                .map(|(l, reason)| (l + offset, reason)),
        );
        let signatures = file
            .signatures
            .into_iter()
            .map(|f| FoundSignature {
                line: f.line + offset,
                sig: f.sig,
            })
            .collect();
        let after = &lines[end + 1..];
        if after.iter().any(|l| !l.trim_ascii().is_empty()) {
            problems.push((
                end + 2,
                format!(
                    "{} line(s) after the signature block are not signed: ignored",
                    after.len()
                ),
            ));
        }

        let mut text = Vec::new();
        for l in &signed {
            text.extend_from_slice(l);
            text.push(b'\n');
        }
        let canonical = signed.join(&b"\r\n"[..]);
        Ok(ClearSigned {
            text,
            canonical,
            first_line,
            announced,
            signatures,
            problems,
        })
    }

    /// The signed text, what a caller must parse (checksum lines, deb822
    /// fields) so that it trusts only signed bytes: dash-escaping undone,
    /// trailing spaces and tabs removed, every line ending with LF. The
    /// signatures cover these lines joined by CRLF, without a line break
    /// after the last (RFC 9580 §7.2). Nothing outside the signed part is
    /// included.
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    /// 1-based line of the document where [`ClearSigned::text`] starts
    /// (its line `n`, counted from 0, is line `first_line() + n` of the
    /// document).
    pub fn first_line(&self) -> usize {
        self.first_line
    }

    /// The signatures of the signature block, in order.
    pub fn signatures(&self) -> &[FoundSignature] {
        &self.signatures
    }

    /// Every signature judged against `keyring` under `policy`, with the
    /// rules and types of detached signatures ([`crate::pgp`]): judged at
    /// its creation time, SHA-1 and MD5 data signatures rejected, key
    /// validity under the policy. A signature by a hash the `Hash:` header
    /// does not list is [`Status::Bad`].
    pub fn verify(&self, keyring: &Keyring, policy: &dyn Policy) -> Vec<SignatureVerdict> {
        self.signatures
            .iter()
            .map(|f| {
                let mut v = judge_as(f, self.state(f), SignatureType::Text, keyring, policy);
                if let Some(list) = &self.announced {
                    let algo = f.sig.hash_algo();
                    if !list.contains(&algo) {
                        let names: Vec<String> = list.iter().map(ToString::to_string).collect();
                        v.status = Status::Bad(format!(
                            "signature by {algo}, which the Hash header ({}) does not announce: \
                             the message was altered",
                            names.join(", ")
                        ));
                    }
                }
                v
            })
            .collect()
    }

    /// What was ignored or could not be read: line and reason.
    pub fn problems(&self) -> &[(usize, String)] {
        &self.problems
    }

    /// The hash of the canonical text for one signature, before its
    /// trailer; `None` when Sequoia lacks its hash algorithm.
    fn state(&self, f: &FoundSignature) -> Option<DataState> {
        let sig = &f.sig;
        let mut ctx = sig.hash_algo().context().ok()?.for_signature(sig.version());
        if let Some(salt) = sig.salt() {
            ctx.update(salt);
        }
        ctx.update(&self.canonical);
        Some(DataState::Sequoia(ctx))
    }
}

/// `line` without its line break and trailing spaces, tabs and carriage
/// returns (what GnuPG strips before hashing a cleartext line).
fn trim_end(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .map_or(0, |p| p + 1);
    &line[..end]
}
