//! OpenPGP pieces shared by the producer and the consumer: where the hash
//! of a signed file comes from, and the signature trailer that completes it.
//!
//! An OpenPGP signature over a file hashes `[salt] ‖ file ‖ trailer`
//! (RFC 9580 §5.2.4), the trailer being the signature's own hashed fields.
//! The expensive part is the file, and the digest engine already reads it;
//! a [`DataSource`] says how a signature gets that part from the engine's
//! single pass:
//!
//! * [`DataSource::Engine`]: a v4 signature whose hash the engine computes
//!   anyway (SHA-512 for the `.sha512` beside it, say) continues from a
//!   clone of the engine's own hasher ([`apostille_digest::Hashed::state`]):
//!   no byte is hashed twice, which is what makes signing plus checksumming
//!   cost one SHA-512 pass.
//! * [`DataSource::Hasher`]: a v6 signature (its salt comes first) or a
//!   hash the job does not compute otherwise rides along as an extra sink
//!   with the engine's own implementation of that hash.
//! * [`DataSource::Context`]: hashes apostille does not implement
//!   (SHA-224, SHA3, RIPEMD-160) and v3 signatures use a Sequoia context
//!   as a sink; only the consumer meets those.

use std::sync::{Arc, Mutex, PoisonError};

use apostille_digest::{Algorithm, AlgorithmSet, HashSink, Hashed, Hasher};
use sequoia_openpgp::crypto::hash::Context;
use sequoia_openpgp::packet::signature::subpacket::SubpacketArea;
use sequoia_openpgp::serialize::MarshalInto;
use sequoia_openpgp::types::{HashAlgorithm, PublicKeyAlgorithm, SignatureType};

/// The engine's algorithm for an OpenPGP hash algorithm, when it has one.
pub fn engine_algorithm(h: HashAlgorithm) -> Option<Algorithm> {
    match h {
        HashAlgorithm::SHA256 => Some(Algorithm::Sha256),
        HashAlgorithm::SHA384 => Some(Algorithm::Sha384),
        HashAlgorithm::SHA512 => Some(Algorithm::Sha512),
        HashAlgorithm::SHA1 => Some(Algorithm::Sha1),
        HashAlgorithm::MD5 => Some(Algorithm::Md5),
        _ => None,
    }
}

/// The hashed fields of a signature, enough to build its trailer.
#[derive(Clone, Copy)]
pub struct TrailerFields<'a> {
    /// Signature version: 4 or 6.
    pub version: u8,
    /// Signature type.
    pub typ: SignatureType,
    /// Public-key algorithm.
    pub pk_algo: PublicKeyAlgorithm,
    /// Hash algorithm.
    pub hash_algo: HashAlgorithm,
    /// The hashed subpacket area.
    pub hashed_area: &'a SubpacketArea,
}

/// The bytes a v4 or v6 signature hashes after the data (RFC 9580 §5.2.4):
/// version, type, algorithms, the hashed area with its length (2 octets in
/// v4, 4 in v6), then `version 0xFF` and the length of all that (4 octets).
pub fn trailer(f: TrailerFields<'_>) -> Result<Vec<u8>, String> {
    let area = f
        .hashed_area
        .to_vec()
        .map_err(|e| format!("cannot serialize the hashed subpacket area: {e}"))?;
    let mut out = vec![
        f.version,
        u8::from(f.typ),
        u8::from(f.pk_algo),
        u8::from(f.hash_algo),
    ];
    match f.version {
        4 => {
            let len = u16::try_from(area.len()).map_err(|_| "hashed area too large")?;
            out.extend_from_slice(&len.to_be_bytes());
        }
        6 => {
            let len = u32::try_from(area.len()).map_err(|_| "hashed area too large")?;
            out.extend_from_slice(&len.to_be_bytes());
        }
        v => return Err(format!("no trailer for version {v} signatures")),
    }
    out.extend_from_slice(&area);
    let hashed = u32::try_from(out.len()).map_err(|_| "hashed area too large")?;
    out.push(f.version);
    out.push(0xff);
    out.extend_from_slice(&hashed.to_be_bytes());
    Ok(out)
}

/// Where the hash of the signed data comes from: see the module docs.
#[derive(Clone)]
pub enum DataSource {
    /// The engine computes this algorithm for the job anyway: continue
    /// from its state.
    Engine(Algorithm),
    /// An extra sink with the engine's own hasher (v6: salted first).
    Hasher(SharedHasher),
    /// An extra sink with a Sequoia context (hashes the engine lacks, v3).
    Context(SharedContext),
}

impl DataSource {
    /// The source for a signature of `version` hashing with `algo`, with
    /// `salt` (v6) hashed first. `None` when nothing here implements
    /// `algo`.
    pub fn for_signature(algo: HashAlgorithm, version: u8, salt: Option<&[u8]>) -> Option<Self> {
        match (engine_algorithm(algo), version) {
            (Some(alg), 4) if salt.is_none() => Some(DataSource::Engine(alg)),
            (Some(alg), 4 | 6) => Some(DataSource::Hasher(SharedHasher::new(alg, salt))),
            _ => SharedContext::for_signature(algo, version, salt).map(DataSource::Context),
        }
    }

    /// Algorithms to add to the job that reads the file.
    pub fn algorithms(&self) -> AlgorithmSet {
        let mut set = AlgorithmSet::empty();
        if let DataSource::Engine(alg) = self {
            set.insert(*alg);
        }
        set
    }

    /// The sink to add to that job, if this source needs one.
    pub fn sink(&self) -> Option<Box<dyn HashSink>> {
        match self {
            DataSource::Engine(_) => None,
            DataSource::Hasher(h) => Some(h.sink()),
            DataSource::Context(c) => Some(c.sink()),
        }
    }

    /// The hash of the data, once the engine has read the file into
    /// `hashed`. `None` when the job did not compute what this source
    /// needs (a caller that left out [`DataSource::algorithms`]).
    pub fn state(&self, hashed: &Hashed) -> Option<DataState> {
        match self {
            DataSource::Engine(alg) => hashed
                .state(*alg)
                .map(|h| DataState::Ours(Box::new(h.clone()))),
            DataSource::Hasher(h) => Some(DataState::Ours(Box::new(h.state()))),
            DataSource::Context(c) => c.take().map(DataState::Sequoia),
        }
    }
}

/// The hash of `[salt] ‖ data`, not yet finished.
#[derive(Clone)]
pub enum DataState {
    /// The engine's hasher.
    Ours(Box<Hasher>),
    /// A Sequoia context (set up for a signature of its version).
    Sequoia(Context),
}

impl DataState {
    /// The signature digest: this state with `trailer` appended, finished.
    /// `None` for a Sequoia state (Sequoia appends its own trailer; use
    /// `Signature::verify_hash` with [`DataState::Sequoia`]'s context).
    pub fn digest_with(&self, trailer: &[u8]) -> Option<Vec<u8>> {
        match self {
            DataState::Ours(h) => {
                let mut h = h.as_ref().clone();
                h.update(trailer);
                h.finalize().map(|d| d.as_bytes().to_vec())
            }
            DataState::Sequoia(_) => None,
        }
    }
}

/// One of the engine's hashers fed as an extra sink, shared with the caller
/// who takes its state afterwards.
#[derive(Clone)]
pub struct SharedHasher {
    algo: Algorithm,
    inner: Arc<Mutex<Hasher>>,
}

impl SharedHasher {
    /// A hasher for `algo` that has absorbed `salt` already.
    pub fn new(algo: Algorithm, salt: Option<&[u8]>) -> Self {
        let mut h = Hasher::new(algo);
        if let Some(s) = salt {
            h.update(s);
        }
        SharedHasher {
            algo,
            inner: Arc::new(Mutex::new(h)),
        }
    }

    /// The sink to put in the engine job.
    pub fn sink(&self) -> Box<dyn HashSink> {
        Box::new(SharedHasherSink(self.clone()))
    }

    /// A copy of the state so far.
    pub fn state(&self) -> Hasher {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

struct SharedHasherSink(SharedHasher);

impl HashSink for SharedHasherSink {
    fn update(&mut self, data: &[u8]) {
        self.0
            .inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .update(data);
    }

    fn cost_hint(&self) -> u32 {
        apostille_digest::hasher::cost(self.0.algo)
    }
}

/// A Sequoia hash context shared between the engine (which feeds it) and
/// the caller (which takes it afterwards, with [`SharedContext::take`]).
#[derive(Clone)]
pub struct SharedContext {
    algo: HashAlgorithm,
    ctx: Arc<Mutex<Option<Context>>>,
}

impl SharedContext {
    /// A context for signatures of `version` with `algo`; `salt` (v6
    /// signatures) is hashed first. `None` when Sequoia does not support
    /// the algorithm.
    pub fn for_signature(algo: HashAlgorithm, version: u8, salt: Option<&[u8]>) -> Option<Self> {
        let mut ctx = algo.context().ok()?.for_signature(version);
        if let Some(salt) = salt {
            ctx.update(salt);
        }
        Some(SharedContext {
            algo,
            ctx: Arc::new(Mutex::new(Some(ctx))),
        })
    }

    /// The sink to put in the engine job.
    pub fn sink(&self) -> Box<dyn HashSink> {
        Box::new(HashContextSink(self.clone()))
    }

    /// The context, having absorbed what the engine fed it (a copy: the
    /// same context may serve several signatures).
    pub fn take(&self) -> Option<Context> {
        self.ctx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// The engine side of a [`SharedContext`].
struct HashContextSink(SharedContext);

impl HashSink for HashContextSink {
    fn update(&mut self, data: &[u8]) {
        let mut guard = self.0.ctx.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(ctx) = guard.as_mut() {
            ctx.update(data);
        }
    }

    fn cost_hint(&self) -> u32 {
        // Same scale as the engine's own algorithms (SHA-256 with SHA-NI = 36).
        match self.0.algo {
            HashAlgorithm::SHA256 | HashAlgorithm::SHA224 => 36,
            HashAlgorithm::SHA1 => 40,
            _ => 99,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trailer_matches_sequoias_own_hashing() {
        use openpgp::cert::CertBuilder;
        use openpgp::packet::signature::SignatureBuilder;
        use openpgp::policy::StandardPolicy;
        use sequoia_openpgp as openpgp;

        let data = b"release bytes";
        for profile in [openpgp::Profile::RFC4880, openpgp::Profile::RFC9580] {
            let (cert, _) = CertBuilder::new()
                .set_profile(profile)
                .expect("profile")
                .add_signing_subkey()
                .generate()
                .expect("generate");
            let p = StandardPolicy::new();
            let key = cert
                .keys()
                .with_policy(&p, None)
                .secret()
                .for_signing()
                .next()
                .expect("signing key")
                .key()
                .clone();
            let mut signer = key.into_keypair().expect("keypair");
            let sig = SignatureBuilder::new(SignatureType::Binary)
                .sign_message(&mut signer, data)
                .expect("sign");
            let t = trailer(TrailerFields {
                version: sig.version(),
                typ: sig.typ(),
                pk_algo: sig.pk_algo(),
                hash_algo: sig.hash_algo(),
                hashed_area: sig.hashed_area(),
            })
            .expect("trailer");
            let alg = engine_algorithm(sig.hash_algo()).expect("engine hash");
            let mut h = Hasher::new(alg);
            if let Some(salt) = sig.salt() {
                h.update(salt);
            }
            h.update(data);
            let digest = DataState::Ours(Box::new(h))
                .digest_with(&t)
                .expect("digest");
            sig.verify_digest(signer.public(), &digest)
                .expect("our digest is the one Sequoia signed");
        }
    }
}
