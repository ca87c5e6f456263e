//! Digest values: one algorithm's output ([`Digest`]) and one file's set of
//! outputs ([`DigestSet`]).

use std::fmt;

use subtle::ConstantTimeEq;

use crate::algorithm::Algorithm;

const MAX_LEN: usize = 64;

/// The output of one algorithm over one input. Fixed-size, no allocation.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digest {
    algorithm: Algorithm,
    bytes: [u8; MAX_LEN],
}

impl Digest {
    /// Wraps raw digest bytes; `None` when the length does not fit the
    /// algorithm.
    pub fn from_bytes(algorithm: Algorithm, bytes: &[u8]) -> Option<Digest> {
        if bytes.len() != algorithm.output_len() {
            return None;
        }
        let mut buf = [0u8; MAX_LEN];
        buf[..bytes.len()].copy_from_slice(bytes);
        Some(Digest {
            algorithm,
            bytes: buf,
        })
    }

    /// Parses a hex digest (either case); `None` when it is not valid hex of
    /// the algorithm's length.
    pub fn from_hex(algorithm: Algorithm, hex: &str) -> Option<Digest> {
        let hex = hex.as_bytes();
        if hex.len() != algorithm.output_len() * 2 {
            return None;
        }
        let mut buf = [0u8; MAX_LEN];
        for (i, pair) in hex.chunks_exact(2).enumerate() {
            buf[i] = (hex_val(pair[0])? << 4) | hex_val(pair[1])?;
        }
        Some(Digest {
            algorithm,
            bytes: buf,
        })
    }

    /// The algorithm that made this digest.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The raw digest bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.algorithm.output_len()]
    }

    /// Lower-case hex, as `sha256sum` prints it.
    pub fn to_hex(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(self.algorithm.output_len() * 2);
        for b in self.as_bytes() {
            s.push(HEX[(b >> 4) as usize] as char);
            s.push(HEX[(b & 0xf) as usize] as char);
        }
        s
    }

    /// Constant-time comparison of two digests of the same algorithm, as a
    /// checker must do (a different algorithm compares unequal).
    pub fn ct_eq(&self, other: &Digest) -> bool {
        self.algorithm == other.algorithm && bool::from(self.as_bytes().ct_eq(other.as_bytes()))
    }
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm, self.to_hex())
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// Every digest computed for one input, at most one per algorithm.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DigestSet {
    slots: [Option<Digest>; 6],
}

impl DigestSet {
    /// Stores a digest, replacing any earlier one of the same algorithm.
    pub fn insert(&mut self, digest: Digest) {
        self.slots[digest.algorithm().index()] = Some(digest);
    }

    /// The digest for `alg`, if it was computed.
    pub fn get(&self, alg: Algorithm) -> Option<&Digest> {
        self.slots[alg.index()].as_ref()
    }

    /// The digests present, in [`Algorithm::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = &Digest> {
        Algorithm::ALL
            .into_iter()
            .filter_map(move |a| self.slots[a.index()].as_ref())
    }

    /// Number of digests present.
    pub fn len(&self) -> usize {
        self.slots.iter().flatten().count()
    }

    /// Whether no digest is present.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_ct_eq() {
        let hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let d = Digest::from_hex(Algorithm::Sha256, hex).expect("valid hex");
        assert_eq!(d.to_hex(), hex);
        let upper = Digest::from_hex(Algorithm::Sha256, &hex.to_uppercase()).expect("upper");
        assert!(d.ct_eq(&upper));
        let b3 = Digest::from_hex(Algorithm::Blake3, hex).expect("same length");
        assert!(!d.ct_eq(&b3));
        assert!(Digest::from_hex(Algorithm::Sha256, &hex[1..]).is_none());
        assert!(Digest::from_hex(Algorithm::Sha256, &hex.replace('e', "g")).is_none());
    }
}
