//! Content digests as the registry spells them (`sha256:<hex>`).

use std::fmt;

use sha2::{Digest as _, Sha256, Sha512};

use crate::error::{OciError, Result};

/// A validated content digest: `sha256:<64 lower-case hex>` or
/// `sha512:<128 lower-case hex>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest(String);

impl Digest {
    /// Parses and validates a digest string.
    pub fn parse(text: &str) -> Result<Self> {
        let invalid = || OciError::InvalidDigest {
            digest: text.chars().take(200).collect(),
        };
        let (algorithm, hex) = text.split_once(':').ok_or_else(invalid)?;
        let want = match algorithm {
            "sha256" => 64,
            "sha512" => 128,
            _ => return Err(invalid()),
        };
        if hex.len() != want
            || !hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(invalid());
        }
        Ok(Self(text.to_owned()))
    }

    /// The SHA-256 digest of `bytes`.
    pub fn sha256_of(bytes: &[u8]) -> Self {
        Self(format!("sha256:{}", hex(&Sha256::digest(bytes))))
    }

    /// The digest of `bytes` computed with this digest's algorithm.
    pub fn same_algorithm_of(&self, bytes: &[u8]) -> Self {
        if self.algorithm() == "sha512" {
            Self(format!("sha512:{}", hex(&Sha512::digest(bytes))))
        } else {
            Self::sha256_of(bytes)
        }
    }

    /// `sha256` or `sha512`.
    pub fn algorithm(&self) -> &str {
        self.0.split_once(':').map_or("", |(a, _)| a)
    }

    /// The hex part.
    pub fn hex(&self) -> &str {
        self.0.split_once(':').map_or("", |(_, h)| h)
    }

    /// The whole `algorithm:hex` string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The tag of the referrers tag scheme: `sha256-<hex>`.
    pub fn referrers_tag(&self) -> String {
        format!("{}-{}", self.algorithm(), self.hex())
    }

    /// Checks that `bytes` hash to this digest.
    pub(crate) fn check(&self, bytes: &[u8], reference: &str) -> Result<()> {
        let actual = self.same_algorithm_of(bytes);
        if &actual != self {
            return Err(OciError::DigestMismatch {
                reference: reference.to_owned(),
                expected: self.0.clone(),
                actual: actual.0,
            });
        }
        Ok(())
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        let d = Digest::sha256_of(b"{}");
        assert_eq!(
            d.as_str(),
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
        assert_eq!(Digest::parse(d.as_str()).ok(), Some(d.clone()));
        assert_eq!(
            d.referrers_tag(),
            "sha256-44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
        for bad in [
            "",
            "sha256:",
            "sha256:ABC",
            "md5:00",
            "sha256:../../etc",
            &d.as_str().to_uppercase(),
        ] {
            assert!(Digest::parse(bad).is_err(), "{bad}");
        }
    }
}
