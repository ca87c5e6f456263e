//! Incremental hashers, one per algorithm, and the [`HashSink`] interface
//! that lets any other hash context (an OpenPGP signature's, say) ride along
//! on the engine's single pass.
//!
//! # Implementations
//!
//! SHA-256 and SHA-1 use RustCrypto (`sha2`, `sha1`), whose SHA-NI paths
//! equal OpenSSL on this class of machine. SHA-384/SHA-512 and MD5 use
//! OpenSSL's assembly when the `openssl` feature is on (the default), because
//! it measured 1.2–1.4× faster than RustCrypto for those two (see the
//! `algorithms` criterion bench, which measures both backends side by side);
//! without the feature, or when OpenSSL refuses an algorithm (FIPS mode and
//! MD5), RustCrypto is used. BLAKE3 uses the `blake3` crate and, for large
//! windows, its own rayon tree parallelism.

use crate::algorithm::Algorithm;
use crate::value::Digest;

/// Anything that absorbs the bytes of an input as the engine reads them.
///
/// The engine feeds every sink of a job the same bytes, in order, exactly
/// once, from the same read as the built-in digests. Implement it for an
/// OpenPGP or any other hash context to get a signature's digest without a
/// second read of the artifact.
pub trait HashSink: Send {
    /// Absorbs the next bytes of the input.
    fn update(&mut self, data: &[u8]);

    /// Relative cost per byte, used only to balance work across threads;
    /// the unit is that of [`Algorithm`] costs (SHA-256 with SHA-NI = 36).
    fn cost_hint(&self) -> u32 {
        70
    }

    /// Whether the sink can split one update across threads itself (BLAKE3
    /// can); such sinks are scheduled last in their group so that idle
    /// threads can help.
    fn splits_itself(&self) -> bool {
        false
    }

    /// Called by the engine when the sink may use rayon for one large update.
    fn update_parallel(&mut self, data: &[u8]) {
        self.update(data)
    }
}

/// Which implementation computes an algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Backend {
    /// The RustCrypto crates (`sha2`, `sha1`, `md-5`) or `blake3`.
    RustCrypto,
    /// OpenSSL's libcrypto (SHA-1, SHA-2 family, MD5).
    #[cfg(feature = "openssl")]
    OpenSsl,
}

impl Backend {
    /// The implementation apostille uses for `alg`, chosen by measurement.
    pub fn preferred(alg: Algorithm) -> Backend {
        match alg {
            #[cfg(feature = "openssl")]
            Algorithm::Sha384 | Algorithm::Sha512 | Algorithm::Md5 => Backend::OpenSsl,
            _ => Backend::RustCrypto,
        }
    }

    /// The backends that can compute `alg` in this build.
    pub fn available(alg: Algorithm) -> Vec<Backend> {
        let mut v = vec![Backend::RustCrypto];
        #[cfg(feature = "openssl")]
        if alg != Algorithm::Blake3 {
            v.push(Backend::OpenSsl);
        }
        let _ = alg;
        v
    }
}

#[derive(Clone)]
enum Inner {
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
    Sha1(sha1::Sha1),
    Md5(md5::Md5),
    Blake3(Box<blake3::Hasher>),
    #[cfg(feature = "openssl")]
    Ossl(OsslHasher),
}

#[cfg(feature = "openssl")]
#[derive(Clone)]
enum OsslHasher {
    Sha1(openssl::sha::Sha1),
    Sha256(openssl::sha::Sha256),
    Sha384(openssl::sha::Sha384),
    Sha512(openssl::sha::Sha512),
    /// EVP interface (MD5 has no low-level wrapper in the openssl crate).
    Evp(Box<openssl::hash::Hasher>),
}

/// An incremental hasher for one [`Algorithm`]. A clone carries the state
/// so far: an OpenPGP signature over the same bytes continues from a clone
/// of the engine's hasher (its trailer appended) instead of hashing the
/// data a second time.
#[derive(Clone)]
pub struct Hasher {
    algorithm: Algorithm,
    inner: Inner,
    /// Bytes in an OpenSSL EVP context that reported an error: the digest
    /// is then recomputed from nothing and cannot be trusted, so
    /// [`Hasher::finalize`] refuses.
    failed: bool,
}

impl Hasher {
    /// A hasher for `alg` using the preferred backend.
    pub fn new(alg: Algorithm) -> Hasher {
        Hasher::with_backend(alg, Backend::preferred(alg))
    }

    /// A hasher for `alg` using the given backend; falls back to RustCrypto
    /// when the backend cannot compute it here.
    pub fn with_backend(alg: Algorithm, backend: Backend) -> Hasher {
        use sha2::Digest as _;
        #[cfg(feature = "openssl")]
        if backend == Backend::OpenSsl {
            let ossl = match alg {
                Algorithm::Sha1 => Some(OsslHasher::Sha1(openssl::sha::Sha1::new())),
                Algorithm::Sha256 => Some(OsslHasher::Sha256(openssl::sha::Sha256::new())),
                Algorithm::Sha384 => Some(OsslHasher::Sha384(openssl::sha::Sha384::new())),
                Algorithm::Sha512 => Some(OsslHasher::Sha512(openssl::sha::Sha512::new())),
                Algorithm::Md5 => openssl::hash::Hasher::new(openssl::hash::MessageDigest::md5())
                    .ok()
                    .map(|h| OsslHasher::Evp(Box::new(h))),
                Algorithm::Blake3 => None,
            };
            if let Some(h) = ossl {
                return Hasher {
                    algorithm: alg,
                    inner: Inner::Ossl(h),
                    failed: false,
                };
            }
        }
        let _ = backend;
        let inner = match alg {
            Algorithm::Sha256 => Inner::Sha256(sha2::Sha256::new()),
            Algorithm::Sha384 => Inner::Sha384(sha2::Sha384::new()),
            Algorithm::Sha512 => Inner::Sha512(sha2::Sha512::new()),
            Algorithm::Sha1 => Inner::Sha1(sha1::Sha1::new()),
            Algorithm::Md5 => Inner::Md5(md5::Md5::new()),
            Algorithm::Blake3 => Inner::Blake3(Box::new(blake3::Hasher::new())),
        };
        Hasher {
            algorithm: alg,
            inner,
            failed: false,
        }
    }

    /// The algorithm this hasher computes.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// Absorbs bytes.
    pub fn update(&mut self, data: &[u8]) {
        use sha2::Digest as _;
        match &mut self.inner {
            Inner::Sha256(h) => h.update(data),
            Inner::Sha384(h) => h.update(data),
            Inner::Sha512(h) => h.update(data),
            Inner::Sha1(h) => h.update(data),
            Inner::Md5(h) => h.update(data),
            Inner::Blake3(h) => {
                h.update(data);
            }
            #[cfg(feature = "openssl")]
            Inner::Ossl(o) => match o {
                OsslHasher::Sha1(h) => h.update(data),
                OsslHasher::Sha256(h) => h.update(data),
                OsslHasher::Sha384(h) => h.update(data),
                OsslHasher::Sha512(h) => h.update(data),
                OsslHasher::Evp(h) => {
                    if h.update(data).is_err() {
                        self.failed = true;
                    }
                }
            },
        }
    }

    /// Finishes the computation. `None` only if the OpenSSL EVP context
    /// reported an error on the way (never seen; kept so that such a
    /// failure cannot turn into a wrong digest).
    pub fn finalize(self) -> Option<Digest> {
        use sha2::Digest as _;
        if self.failed {
            return None;
        }
        let alg = self.algorithm;
        match self.inner {
            Inner::Sha256(h) => Digest::from_bytes(alg, &h.finalize()),
            Inner::Sha384(h) => Digest::from_bytes(alg, &h.finalize()),
            Inner::Sha512(h) => Digest::from_bytes(alg, &h.finalize()),
            Inner::Sha1(h) => Digest::from_bytes(alg, &h.finalize()),
            Inner::Md5(h) => Digest::from_bytes(alg, &h.finalize()),
            Inner::Blake3(h) => Digest::from_bytes(alg, h.finalize().as_bytes()),
            #[cfg(feature = "openssl")]
            Inner::Ossl(o) => match o {
                OsslHasher::Sha1(h) => Digest::from_bytes(alg, &h.finish()),
                OsslHasher::Sha256(h) => Digest::from_bytes(alg, &h.finish()),
                OsslHasher::Sha384(h) => Digest::from_bytes(alg, &h.finish()),
                OsslHasher::Sha512(h) => Digest::from_bytes(alg, &h.finish()),
                OsslHasher::Evp(mut h) => h.finish().ok().and_then(|b| Digest::from_bytes(alg, &b)),
            },
        }
    }

    /// Hashes a whole buffer in one call.
    pub fn digest(alg: Algorithm, data: &[u8]) -> Option<Digest> {
        let mut h = Hasher::new(alg);
        h.update(data);
        h.finalize()
    }
}

/// Measured single-core cost of each algorithm with its preferred backend,
/// in tenths of a second per 4 GiB on the reference machine (see
/// REFERENCES in the project notes and the `algorithms` bench). Only the
/// ratios matter: they decide how algorithms are grouped across threads.
pub fn cost(alg: Algorithm) -> u32 {
    let openssl = cfg!(feature = "openssl");
    match alg {
        Algorithm::Sha256 => 36,
        Algorithm::Sha1 => 34,
        Algorithm::Sha384 | Algorithm::Sha512 if openssl => 70,
        Algorithm::Sha384 | Algorithm::Sha512 => 99,
        Algorithm::Md5 if openssl => 78,
        Algorithm::Md5 => 93,
        Algorithm::Blake3 => 20,
    }
}

impl HashSink for Hasher {
    fn update(&mut self, data: &[u8]) {
        Hasher::update(self, data)
    }

    fn cost_hint(&self) -> u32 {
        cost(self.algorithm)
    }

    fn splits_itself(&self) -> bool {
        self.algorithm == Algorithm::Blake3
    }

    fn update_parallel(&mut self, data: &[u8]) {
        match &mut self.inner {
            Inner::Blake3(h) => {
                h.update_rayon(data);
            }
            _ => Hasher::update(self, data),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_agree() {
        let data: Vec<u8> = (0..100_003u32).map(|i| (i * 31 % 251) as u8).collect();
        for alg in Algorithm::ALL {
            let mut outs = Vec::new();
            for b in Backend::available(alg) {
                let mut h = Hasher::with_backend(alg, b);
                h.update(&data[..77]);
                h.update(&data[77..]);
                outs.push(h.finalize().expect("digest"));
            }
            assert!(outs.windows(2).all(|w| w[0] == w[1]), "{alg}: {outs:?}");
        }
    }
}
