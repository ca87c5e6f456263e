//! The digest algorithms apostille computes, their names and relative costs.

use std::fmt;
use std::str::FromStr;

use crate::error::UnknownAlgorithm;

/// A digest algorithm the engine can compute.
///
/// The order of the variants is the order in which multi-algorithm output is
/// printed (strongest first among the SHA-2 family, legacy last).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Algorithm {
    /// SHA-256 (FIPS 180-4).
    Sha256,
    /// SHA-384 (FIPS 180-4).
    Sha384,
    /// SHA-512 (FIPS 180-4).
    Sha512,
    /// BLAKE3, 256-bit output.
    Blake3,
    /// SHA-1: legacy, collision-broken; never enough on its own to verify.
    Sha1,
    /// MD5: legacy, broken; never enough on its own to verify.
    Md5,
}

impl Algorithm {
    /// Every algorithm, in output order.
    pub const ALL: [Algorithm; 6] = [
        Algorithm::Sha256,
        Algorithm::Sha384,
        Algorithm::Sha512,
        Algorithm::Blake3,
        Algorithm::Sha1,
        Algorithm::Md5,
    ];

    /// Lower-case name used on the command line and in JSON: `sha256`, `blake3`, …
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha384 => "sha384",
            Algorithm::Sha512 => "sha512",
            Algorithm::Blake3 => "blake3",
            Algorithm::Sha1 => "sha1",
            Algorithm::Md5 => "md5",
        }
    }

    /// The tag used by BSD-style lines (`SHA512 (name) = …`), as
    /// `sha512sum --tag` and `b3sum` spell it.
    pub fn bsd_tag(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha384 => "SHA384",
            Algorithm::Sha512 => "SHA512",
            Algorithm::Blake3 => "BLAKE3",
            Algorithm::Sha1 => "SHA1",
            Algorithm::Md5 => "MD5",
        }
    }

    /// Length of the digest in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Algorithm::Sha256 | Algorithm::Blake3 => 32,
            Algorithm::Sha384 => 48,
            Algorithm::Sha512 => 64,
            Algorithm::Sha1 => 20,
            Algorithm::Md5 => 16,
        }
    }

    /// `true` for MD5 and SHA-1, which are never enough on their own to call
    /// a file verified.
    pub fn is_weak(self) -> bool {
        matches!(self, Algorithm::Sha1 | Algorithm::Md5)
    }

    /// Extension of a per-artifact sidecar file, without the dot
    /// (`artifact.tar.gz.sha512`).
    pub fn sidecar_extension(self) -> &'static str {
        match self {
            Algorithm::Blake3 => "b3",
            other => other.name(),
        }
    }

    /// Conventional name of a combined checksum file for a directory.
    pub fn sums_file_name(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "SHA256SUMS",
            Algorithm::Sha384 => "SHA384SUMS",
            Algorithm::Sha512 => "SHA512SUMS",
            Algorithm::Blake3 => "B3SUMS",
            Algorithm::Sha1 => "SHA1SUMS",
            Algorithm::Md5 => "MD5SUMS",
        }
    }

    /// Algorithms whose hex digest has `hex_len` characters. SHA-256 and
    /// BLAKE3 share a length, so the answer can hold two.
    pub fn by_hex_len(hex_len: usize) -> &'static [Algorithm] {
        match hex_len {
            32 => &[Algorithm::Md5],
            40 => &[Algorithm::Sha1],
            64 => &[Algorithm::Sha256, Algorithm::Blake3],
            96 => &[Algorithm::Sha384],
            128 => &[Algorithm::Sha512],
            _ => &[],
        }
    }

    /// Parses a name as written by users and tools: case-insensitive, with or
    /// without dashes, OpenSSL's `SHA2-512`, `b3`. `None` when unknown.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        let lower: String = name
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        Some(match lower.as_str() {
            "sha256" | "sha2256" => Algorithm::Sha256,
            "sha384" | "sha2384" => Algorithm::Sha384,
            "sha512" | "sha2512" => Algorithm::Sha512,
            "blake3" | "b3" => Algorithm::Blake3,
            "sha1" | "sha" => Algorithm::Sha1,
            "md5" => Algorithm::Md5,
            _ => return None,
        })
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Algorithm::Sha256 => 0,
            Algorithm::Sha384 => 1,
            Algorithm::Sha512 => 2,
            Algorithm::Blake3 => 3,
            Algorithm::Sha1 => 4,
            Algorithm::Md5 => 5,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Algorithm {
    type Err = UnknownAlgorithm;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Algorithm::from_name(s).ok_or_else(|| UnknownAlgorithm(s.to_owned()))
    }
}

/// A set of algorithms, iterated in [`Algorithm::ALL`] order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AlgorithmSet(u8);

impl AlgorithmSet {
    /// The empty set.
    pub const fn empty() -> Self {
        AlgorithmSet(0)
    }

    /// Adds an algorithm.
    pub fn insert(&mut self, alg: Algorithm) {
        self.0 |= 1 << alg.index();
    }

    /// Whether the set holds `alg`.
    pub fn contains(self, alg: Algorithm) -> bool {
        self.0 & (1 << alg.index()) != 0
    }

    /// Number of algorithms in the set.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Union of two sets.
    pub fn union(self, other: AlgorithmSet) -> AlgorithmSet {
        AlgorithmSet(self.0 | other.0)
    }

    /// The algorithms, in [`Algorithm::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Algorithm> {
        Algorithm::ALL
            .into_iter()
            .filter(move |a| self.contains(*a))
    }

    /// Parses a comma-separated list such as `sha256,sha512`.
    pub fn parse_list(list: &str) -> Result<AlgorithmSet, UnknownAlgorithm> {
        let mut set = AlgorithmSet::empty();
        for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            set.insert(part.parse()?);
        }
        Ok(set)
    }
}

impl FromIterator<Algorithm> for AlgorithmSet {
    fn from_iter<I: IntoIterator<Item = Algorithm>>(iter: I) -> Self {
        let mut set = AlgorithmSet::empty();
        for a in iter {
            set.insert(a);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for a in Algorithm::ALL {
            assert_eq!(Algorithm::from_name(a.name()), Some(a));
            assert_eq!(Algorithm::from_name(a.bsd_tag()), Some(a));
        }
        assert_eq!(Algorithm::from_name("SHA2-512"), Some(Algorithm::Sha512));
        assert_eq!(Algorithm::from_name("SHA-256"), Some(Algorithm::Sha256));
        assert_eq!(Algorithm::from_name("crc32"), None);
    }

    #[test]
    fn set_orders_and_counts() {
        let s = AlgorithmSet::parse_list("md5, sha512,sha256").expect("valid list");
        assert_eq!(s.len(), 3);
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            vec![Algorithm::Sha256, Algorithm::Sha512, Algorithm::Md5]
        );
        assert!(AlgorithmSet::parse_list("sha256,nope").is_err());
    }
}
