//! What a file found in a download holds, from its first bytes: key
//! material, a signature, a cleartext-signed document, JSON or something
//! else.
//!
//! Release folders name files loosely (`.asc` is a signature or a key,
//! `.gpg` a signature or a keyring, `.pem` a certificate or cosign's
//! base64 of one), so `verify` looks at the content. [`classify`] only
//! routes a file to the reader that can use it; it trusts nothing, and the
//! reader still decides whether the content is what it claims.
//!
//! * Armored forms (`-----BEGIN …-----`) are told by their first BEGIN
//!   line; text before it (blank lines, the `pub`/`uid` listing of a KEYS
//!   file) is tolerated. `-----BEGIN PGP ARMORED FILE-----` (`gpg
//!   --enarmor`) is decoded and told by its first packet.
//! * Binary OpenPGP is told by its first packet (old and new packet
//!   formats): a public- or secret-key packet is a keyring, a signature
//!   packet a detached signature (`gpg --detach-sign`).
//! * Base64 text is decoded: a PEM certificate inside (cosign's
//!   `--output-certificate`) is a certificate; 64 to 600 bytes is a raw
//!   signature (cosign's `.sig`).

use base64::Engine as _;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose};

/// How many leading bytes of a file [`classify`] needs.
pub const SNIFF_LEN: usize = 8192;

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Content {
    /// OpenPGP key material: an armored `PUBLIC KEY BLOCK` (or `PRIVATE
    /// KEY BLOCK`, key material too, that should not be published), an
    /// `ARMORED FILE` holding key packets, or a binary keyring.
    OpenPgpKeys,
    /// OpenPGP signature(s): armored `SIGNATURE` blocks, or binary
    /// signature packets (`.sig`, `.gpg` of `gpg --detach-sign`).
    OpenPgpSignature,
    /// A cleartext-signed document (`BEGIN PGP SIGNED MESSAGE`).
    ClearSigned,
    /// A PEM public key (`-----BEGIN PUBLIC KEY-----`, `cosign.pub`).
    PemPublicKey,
    /// A PEM certificate, or base64 text decoding to one (cosign's `.pem`).
    PemCertificate,
    /// A short base64 text decoding to 64 to 600 bytes: a raw signature
    /// (cosign's `.sig` of a blob).
    Base64Signature,
    /// A JSON object or array (a Sigstore bundle, a DSSE envelope, …).
    Json,
    /// None of the above.
    Other,
}

/// Classifies a file from its first bytes (up to [`SNIFF_LEN`]; more is
/// accepted and ignored).
pub fn classify(head: &[u8]) -> Content {
    let head = &head[..head.len().min(SNIFF_LEN)];
    classify_at(head, 0)
}

fn classify_at(head: &[u8], depth: u8) -> Content {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = head.trim_ascii_start();
    if text.is_empty() {
        return Content::Other;
    }
    if let Some(c) = binary_openpgp(text) {
        return c;
    }
    if text[0] == b'{' || text[0] == b'[' {
        return if looks_like_json(text) {
            Content::Json
        } else {
            Content::Other
        };
    }
    if !is_text(text) {
        return Content::Other;
    }
    if let Some(c) = armored(text) {
        return c;
    }
    base64_content(text, depth).unwrap_or(Content::Other)
}

/// The content of the first `-----BEGIN …-----` line at the start of a
/// line, if any.
fn armored(text: &[u8]) -> Option<Content> {
    let mut lines = text.split(|&b| b == b'\n');
    while let Some(line) = lines.next() {
        let line = line.trim_ascii_end();
        let Some(label) = line
            .strip_prefix(b"-----BEGIN ")
            .and_then(|l| l.strip_suffix(b"-----"))
        else {
            continue;
        };
        return Some(match label {
            b"PGP PUBLIC KEY BLOCK" | b"PGP PRIVATE KEY BLOCK" => Content::OpenPgpKeys,
            b"PGP SIGNATURE" => Content::OpenPgpSignature,
            b"PGP SIGNED MESSAGE" => Content::ClearSigned,
            b"PGP ARMORED FILE" => armored_file(lines),
            b"PUBLIC KEY" => Content::PemPublicKey,
            b"CERTIFICATE" => Content::PemCertificate,
            _ => Content::Other,
        });
    }
    None
}

/// `gpg --enarmor` output after its BEGIN line: headers, an empty line,
/// base64 lines, then the `=` checksum and the END line.
fn armored_file<'a>(lines: impl Iterator<Item = &'a [u8]>) -> Content {
    let mut body = Vec::new();
    let mut in_body = false;
    for line in lines {
        let line = line.trim_ascii();
        if !in_body {
            in_body = line.is_empty();
            continue;
        }
        if line.starts_with(b"=") || line.starts_with(b"-") || line.is_empty() {
            break;
        }
        body.extend_from_slice(line);
        if body.len() >= 1024 {
            break;
        }
    }
    let whole = body.len() - body.len() % 4;
    let Ok(bytes) = general_purpose::STANDARD.decode(&body[..whole]) else {
        return Content::Other;
    };
    binary_openpgp(&bytes).unwrap_or(Content::Other)
}

/// Binary OpenPGP, by its first packet: a key packet (tag 6 or 5) or a
/// signature packet (tag 2) whose header and first body bytes are sound.
fn binary_openpgp(data: &[u8]) -> Option<Content> {
    let (tag, body) = first_packet(data)?;
    match tag {
        5 | 6 => {
            // Version (3 to 6), 4-octet creation time, algorithm.
            let v = *body.first()?;
            ((3..=6).contains(&v) && body.len() >= 6).then_some(Content::OpenPgpKeys)
        }
        2 => {
            let v = *body.first()?;
            let sound = match v {
                // v3: the hashed material is 5 octets long.
                3 => body.get(1) == Some(&5),
                4..=6 => body.get(1).is_some_and(|t| SIGNATURE_TYPES.contains(t)),
                _ => false,
            };
            sound.then_some(Content::OpenPgpSignature)
        }
        _ => None,
    }
}

/// Signature types of RFC 9580 §5.2.1.
const SIGNATURE_TYPES: &[u8] = &[
    0x00, 0x01, 0x02, 0x10, 0x11, 0x12, 0x13, 0x18, 0x19, 0x1F, 0x20, 0x28, 0x30, 0x40, 0x50,
];

/// The tag of the first packet and the start of its body (RFC 9580 §4.2),
/// `None` unless `data` starts with a packet header of definite length of
/// at least 6 octets.
fn first_packet(data: &[u8]) -> Option<(u8, &[u8])> {
    let b0 = *data.first()?;
    if b0 & 0x80 == 0 {
        return None;
    }
    let (tag, len, header) = if b0 & 0x40 == 0 {
        // Old format: tag in bits 5-2, length type in bits 1-0.
        let tag = (b0 >> 2) & 0x0f;
        let (len, n) = match b0 & 0x03 {
            0 => (u32::from(*data.get(1)?), 1),
            1 => (
                u32::from(u16::from_be_bytes([*data.get(1)?, *data.get(2)?])),
                2,
            ),
            2 => (be32(data.get(1..5)?), 4),
            _ => return None,
        };
        (tag, len, 1 + n)
    } else {
        let tag = b0 & 0x3f;
        let l0 = *data.get(1)?;
        let (len, n) = match l0 {
            0..=191 => (u32::from(l0), 1),
            192..=223 => (
                (u32::from(l0) - 192) * 256 + u32::from(*data.get(2)?) + 192,
                2,
            ),
            255 => (be32(data.get(2..6)?), 5),
            // Partial body lengths: not allowed for keys and signatures.
            _ => return None,
        };
        (tag, len, 1 + n)
    };
    if len < 6 {
        return None;
    }
    Some((tag, data.get(header..)?))
}

fn be32(b: &[u8]) -> u32 {
    b.iter().fold(0, |acc, &x| (acc << 8) | u32::from(x))
}

/// Text: no control characters other than tab, CR and LF, and valid UTF-8
/// (a multi-byte character cut by the end of the head is tolerated).
fn is_text(data: &[u8]) -> bool {
    let ok_utf8 = match std::str::from_utf8(data) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    ok_utf8
        && !data
            .iter()
            .any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) || b == 0x7f)
}

/// The start of a JSON object or array: `{` then a key or `}`, `[` then a
/// value or `]`.
fn looks_like_json(text: &[u8]) -> bool {
    let Some((&open, rest)) = text.split_first() else {
        return false;
    };
    let next = rest.trim_ascii_start().first().copied();
    match open {
        b'{' => matches!(next, Some(b'"' | b'}')),
        b'[' => matches!(
            next,
            Some(b'{' | b'[' | b'"' | b']' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n')
        ),
        _ => false,
    }
}

/// Padding optional: cosign writes it, other tools strip it.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Base64 text: a PEM document inside (one level deep), or a short one
/// decoding to a signature's length.
fn base64_content(text: &[u8], depth: u8) -> Option<Content> {
    let lines: Vec<&[u8]> = text
        .split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii)
        .filter(|l| !l.is_empty())
        .collect();
    let is_b64 = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=');
    if lines.is_empty() || !lines.iter().all(|l| l.iter().all(is_b64)) {
        return None;
    }
    let joined = lines.concat();
    // A PEM document, base64-encoded (cosign's certificate output); the
    // head may cut it, so decode whole groups of the start only.
    if depth == 0 {
        let whole = joined.len().min(1024) / 4 * 4;
        if let Ok(inner) = BASE64.decode(&joined[..whole])
            && inner.trim_ascii_start().starts_with(b"-----BEGIN ")
        {
            return match classify_at(&inner, depth + 1) {
                Content::Other => None,
                c => Some(c),
            };
        }
    }
    // A raw signature: a few lines, not a hex digest (hex is base64 too).
    if lines.len() > 10 || joined.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let bytes = BASE64.decode(&joined).ok()?;
    (64..=600)
        .contains(&bytes.len())
        .then_some(Content::Base64Signature)
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use super::*;

    /// Runs a tool, returns its stdout; the test fails if it fails.
    fn run(cmd: &mut Command) -> Vec<u8> {
        let out = cmd.output().expect("run tool");
        assert!(
            out.status.success(),
            "{cmd:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    fn gpg(home: &Path) -> Command {
        let mut c = Command::new("gpg");
        c.arg("--homedir")
            .arg(home)
            .args(["--batch", "--quiet", "--no-tty"]);
        c
    }

    #[test]
    fn openpgp_material_made_by_gpg() {
        let home = tempfile::tempdir().expect("tempdir");
        let h = home.path();
        for (uid, algo) in [
            ("A <a@example.org>", "ed25519"),
            ("B <b@example.org>", "rsa2048"),
        ] {
            run(gpg(h).args([
                "--passphrase",
                "",
                "--quick-gen-key",
                uid,
                algo,
                "sign",
                "never",
            ]));
        }
        let data = h.join("data");
        std::fs::write(&data, b"release bytes\n").expect("write");

        let binary = run(gpg(h).args(["--export"]));
        assert_eq!(classify(&binary), Content::OpenPgpKeys, "gpg --export");
        let armored = run(gpg(h).args(["--export", "--armor"]));
        assert_eq!(
            classify(&armored),
            Content::OpenPgpKeys,
            "gpg --export --armor"
        );
        let mut padded = b"\n  \r\n\t".to_vec();
        padded.extend_from_slice(&armored);
        assert_eq!(
            classify(&padded),
            Content::OpenPgpKeys,
            "leading blank lines"
        );
        let mut keys_file =
            b"pub   ed25519 2024-01-01 [SC]\nuid           A <a@example.org>\n\n".to_vec();
        keys_file.extend_from_slice(&armored);
        assert_eq!(classify(&keys_file), Content::OpenPgpKeys, "KEYS file");
        let secret = run(gpg(h).args([
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--export-secret-keys",
            "--armor",
        ]));
        assert_eq!(classify(&secret), Content::OpenPgpKeys, "PRIVATE KEY BLOCK");
        let secret_bin = run(gpg(h).args([
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--export-secret-keys",
        ]));
        assert_eq!(
            classify(&secret_bin),
            Content::OpenPgpKeys,
            "binary secret keys"
        );

        let key_file = h.join("key.gpg");
        std::fs::write(&key_file, &binary).expect("write");
        let enarmored = run(gpg(h).arg("--enarmor").arg("-o").arg("-").arg(&key_file));
        assert!(enarmored.starts_with(b"-----BEGIN PGP ARMORED FILE-----"));
        assert_eq!(
            classify(&enarmored),
            Content::OpenPgpKeys,
            "gpg --enarmor of keys"
        );

        for user in ["a@example.org", "b@example.org"] {
            let sig = run(gpg(h)
                .args(["-u", user, "--detach-sign", "-o", "-"])
                .arg(&data));
            assert_eq!(
                classify(&sig),
                Content::OpenPgpSignature,
                "--detach-sign {user}"
            );
            let asc = run(gpg(h)
                .args(["-u", user, "--detach-sign", "--armor", "-o", "-"])
                .arg(&data));
            assert_eq!(classify(&asc), Content::OpenPgpSignature, "--armor {user}");
            let sig_file = h.join("data.sig");
            std::fs::write(&sig_file, &sig).expect("write");
            let ensig = run(gpg(h).arg("--enarmor").arg("-o").arg("-").arg(&sig_file));
            assert_eq!(
                classify(&ensig),
                Content::OpenPgpSignature,
                "--enarmor of a signature"
            );
        }
        let clear = run(gpg(h).args(["--clearsign", "-o", "-"]).arg(&data));
        assert_eq!(classify(&clear), Content::ClearSigned, "--clearsign");
        // A signed message is none of these.
        let inline = run(gpg(h).args(["--sign", "-o", "-"]).arg(&data));
        assert_eq!(classify(&inline), Content::Other, "gpg --sign");
        let inline_asc = run(gpg(h).args(["--sign", "--armor", "-o", "-"]).arg(&data));
        assert_eq!(classify(&inline_asc), Content::Other, "gpg --sign --armor");
        // Only the head is needed.
        let big = [binary.clone(), binary.clone(), binary.clone()].concat();
        assert_eq!(
            classify(&big[..SNIFF_LEN.min(big.len())]),
            Content::OpenPgpKeys
        );
        assert_eq!(classify(&binary[..40]), Content::OpenPgpKeys, "cut head");
    }

    #[test]
    fn pem_and_base64_material_made_by_openssl() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let key = d.join("k.pem");
        run(Command::new("openssl")
            .args([
                "ecparam",
                "-name",
                "prime256v1",
                "-genkey",
                "-noout",
                "-out",
            ])
            .arg(&key));
        let public = run(Command::new("openssl")
            .args(["ec", "-pubout", "-in"])
            .arg(&key));
        assert!(public.starts_with(b"-----BEGIN PUBLIC KEY-----"));
        assert_eq!(classify(&public), Content::PemPublicKey);
        let cert = run(Command::new("openssl")
            .args([
                "req", "-new", "-x509", "-days", "1", "-subj", "/CN=test", "-key",
            ])
            .arg(&key));
        assert_eq!(classify(&cert), Content::PemCertificate);
        // cosign's `.pem`: base64 of the PEM, one line.
        let wrapped = run(Command::new("base64").arg("-w0").arg({
            let p = d.join("cert.pem");
            std::fs::write(&p, &cert).expect("write");
            p
        }));
        assert_eq!(classify(&wrapped), Content::PemCertificate, "base64 of PEM");
        let mut nl = wrapped.clone();
        nl.push(b'\n');
        assert_eq!(classify(&nl), Content::PemCertificate);

        let data = d.join("blob");
        std::fs::write(&data, b"blob").expect("write");
        let der = run(Command::new("openssl")
            .args(["dgst", "-sha256", "-sign"])
            .arg(&key)
            .arg(&data));
        let sig_file = d.join("blob.der");
        std::fs::write(&sig_file, &der).expect("write");
        let b64 = run(Command::new("base64").arg("-w0").arg(&sig_file));
        assert_eq!(
            classify(&b64),
            Content::Base64Signature,
            "ECDSA signature, base64"
        );
        let b64_lines = run(Command::new("base64").arg(&sig_file));
        assert_eq!(classify(&b64_lines), Content::Base64Signature, "wrapped");

        // A hex digest is base64 too, and no signature; nor is a short token.
        let hex = b"cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e\n";
        assert_eq!(classify(hex), Content::Other);
        assert_eq!(classify(b"aGVsbG8="), Content::Other);
    }

    #[test]
    fn json_text_and_random_bytes() {
        assert_eq!(
            classify(b"{\"mediaType\": \"application/vnd.dev.sigstore.bundle.v0.3+json\"}"),
            Content::Json
        );
        assert_eq!(classify(b"  \n[\n  {\"a\": 1}\n]"), Content::Json);
        assert_eq!(classify(b"{}"), Content::Json);
        assert_eq!(classify(b"{not json"), Content::Other);
        assert_eq!(classify(b""), Content::Other);
        assert_eq!(classify(b"hello world\n"), Content::Other);
        assert_eq!(
            classify(b"-----BEGIN PGP MESSAGE-----\n\nhQ\n-----END PGP MESSAGE-----\n"),
            Content::Other
        );
        assert_eq!(
            classify(
                b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.tar.gz\n"
            ),
            Content::Other
        );
        // Pseudo-random bytes (xorshift, fixed seed): never a panic; these
        // are Other.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut bytes = vec![0u8; 4096];
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for b in &mut bytes {
            *b = next().to_le_bytes()[0];
        }
        assert_eq!(classify(&bytes), Content::Other);
        for n in 0..512 {
            let _ = classify(&bytes[n..n + 64]);
        }
        // Every prefix of real-looking material: no panic.
        let armored = b"-----BEGIN PGP ARMORED FILE-----\nComment: x\n\nmDMEZ\n=abcd\n-----END PGP ARMORED FILE-----\n";
        for n in 0..armored.len() {
            let _ = classify(&armored[..n]);
        }
    }

    #[test]
    fn real_release_material_of_the_vectors() {
        let Some(dir) = apostille_testkit::material::vectors("openpgp") else {
            return;
        };
        let files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .flat_map(|pkg| {
                std::fs::read_dir(pkg.path())
                    .into_iter()
                    .flatten()
                    .flatten()
            })
            .map(|e| e.path())
            .collect();
        let (mut keys, mut sigs, mut dscs) = (0, 0, 0);
        for path in &files {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let want = if name == "signing-key.asc" {
                keys += 1;
                Content::OpenPgpKeys
            } else if name.contains(".orig.tar.") && name.ends_with(".asc") {
                sigs += 1;
                Content::OpenPgpSignature
            } else if name.ends_with(".dsc") {
                dscs += 1;
                Content::ClearSigned
            } else {
                continue;
            };
            let data = std::fs::read(path).expect("read vector");
            assert_eq!(classify(&data), want, "{}", path.display());
        }
        assert!(
            keys > 0 && sigs > 0 && dscs > 0,
            "keys, signatures, .dsc files under {}: {keys} {sigs} {dscs}",
            dir.display()
        );
    }
}
