//! What a checksum file's name says: its algorithm, and for a sidecar the
//! name of the file it describes.

use crate::algorithm::Algorithm;

/// Spellings of each algorithm in file names, lower case.
const SPELLINGS: [(&str, Algorithm); 7] = [
    ("sha256", Algorithm::Sha256),
    ("sha384", Algorithm::Sha384),
    ("sha512", Algorithm::Sha512),
    ("sha1", Algorithm::Sha1),
    ("md5", Algorithm::Md5),
    ("b3", Algorithm::Blake3),
    ("blake3", Algorithm::Blake3),
];

/// The algorithm named by a sidecar extension (without the dot, any case):
/// `sha256`, `sha256sum`, `b3`, `blake3`, `md5sum`, …
fn sidecar_extension_algorithm(ext: &[u8]) -> Option<Algorithm> {
    let ext = ext.to_ascii_lowercase();
    let stem = ext.strip_suffix(b"sum").unwrap_or(&ext);
    SPELLINGS
        .iter()
        .find(|(spelling, _)| spelling.as_bytes() == stem)
        .map(|&(_, alg)| alg)
}

/// Guesses the algorithm from a checksum file's name (a path is fine; only
/// the last component counts), ignoring case:
///
/// * combined files: `SHA256SUMS`, `sha256sums.txt`, `SHA512SUMS`, `MD5SUMS`,
///   `SHA1SUMS`, `B3SUMS`, `BLAKE3SUMS`, also `SHA256SUM` and with a
///   `-`/`_`/`.` prefix such as `foo-1.0-SHA256SUMS`;
/// * sidecars: `*.sha256`, `*.sha384`, `*.sha512`, `*.sha1`, `*.md5`, `*.b3`,
///   `*.blake3` and the same with `sum` appended (`*.sha256sum`).
///
/// A trailing `.txt` or `.asc` is looked through. Anything else (`*.mds`,
/// `CHECKSUM`) gives `None`.
pub fn algorithm_hint_from_file_name(file_name: &[u8]) -> Option<Algorithm> {
    let base = match file_name.iter().rposition(|&b| b == b'/') {
        Some(slash) => &file_name[slash + 1..],
        None => file_name,
    };
    let lower = base.to_ascii_lowercase();
    let mut name: &[u8] = &lower;
    for wrapper in [&b".txt"[..], b".asc"] {
        if let Some(inner) = name.strip_suffix(wrapper)
            && !inner.is_empty()
        {
            name = inner;
            break;
        }
    }
    // Combined files: …<alg>sums / …<alg>sum.
    let stem = name
        .strip_suffix(b"sums")
        .or_else(|| name.strip_suffix(b"sum"));
    if let Some(stem) = stem {
        for &(spelling, alg) in &SPELLINGS {
            if let Some(before) = stem.strip_suffix(spelling.as_bytes())
                && (before.is_empty() || matches!(before.last(), Some(b'-' | b'_' | b'.')))
            {
                return Some(alg);
            }
        }
    }
    // Sidecars: name.<alg>[sum].
    let dot = name.iter().rposition(|&b| b == b'.')?;
    sidecar_extension_algorithm(&name[dot + 1..])
}

/// The file a sidecar describes: its name minus a checksum extension
/// (`x.tar.gz.sha512` → `x.tar.gz`, `dir/a.b3` → `dir/a`). `None` when the
/// extension is not one of those [`algorithm_hint_from_file_name`] knows
/// for sidecars, or nothing would be left.
pub fn sidecar_subject(file_name: &[u8]) -> Option<Vec<u8>> {
    let dot = file_name.iter().rposition(|&b| b == b'.')?;
    let (stem, ext) = (&file_name[..dot], &file_name[dot + 1..]);
    sidecar_extension_algorithm(ext)?;
    if stem.is_empty() || stem.ends_with(b"/") {
        return None;
    }
    Some(stem.to_vec())
}
