//! Detached OpenPGP signatures (`artifact.asc`) checked against a KEYS file,
//! with the artifact read once by the digest engine.
//!
//! * Every armor block of the signature file and every signature in each is
//!   read (releases concatenate blocks); every usable certificate of the
//!   KEYS file is loaded and the ones that cannot be used (PGP 2.x v3 keys,
//!   broken blocks) are listed with the reason instead of aborting.
//! * The artifact is read once, by the engine: a v4 signature by a hash the
//!   engine computes continues from the engine's own hasher (one SHA-512
//!   computation serves the signature and the `.sha512` beside it); v6
//!   signatures (salted) and hashes the engine lacks ride along as extra
//!   sinks ([`PgpCheck::sinks`]). Nothing re-reads it.
//! * Each signature is judged under an explicit [`Policy`] at its creation
//!   time: a key that expired after signing still verifies, one expired
//!   before does not; a hard revocation always invalidates, a soft one only
//!   from its date on; SHA-1 and MD5 data signatures are rejected outright.

use std::collections::HashMap;
use std::path::Path;
use std::time::SystemTime;

use apostille_digest::{AlgorithmSet, HashSink, Hashed, ReadKey, ReadPlan};
use apostille_formats::armor;
pub use apostille_formats::keys::{Keyring, SkippedKey};
use apostille_formats::pgp::{DataSource, DataState, TrailerFields, trailer};
use openpgp::cert::Cert;
use openpgp::cert::amalgamation::ValidAmalgamation;
use openpgp::packet::{Packet, Signature};
use openpgp::parse::{PacketParser, PacketParserResult, Parse};
use openpgp::policy::{HashAlgoSecurity, Policy};
use openpgp::types::{HashAlgorithm, RevocationStatus, SignatureType};
use sequoia_openpgp as openpgp;

pub use openpgp::policy::StandardPolicy;

/// One signature found in a signature file.
#[derive(Clone, Debug)]
pub struct FoundSignature {
    /// Line of the armor block (1 for binary files).
    pub line: usize,
    /// The signature packet.
    pub sig: Signature,
}

/// Every signature of a `.asc` (or binary `.sig`) file, and what could not
/// be read.
#[derive(Clone, Debug, Default)]
pub struct SignatureFile {
    /// Signatures, in file order.
    pub signatures: Vec<FoundSignature>,
    /// Problems: line and reason.
    pub problems: Vec<(usize, String)>,
}

impl SignatureFile {
    /// Reads all armor blocks (or the binary packets) of a signature file.
    pub fn parse(data: &[u8]) -> SignatureFile {
        let mut out = SignatureFile::default();
        if !armor::is_armored(data) {
            out.read_packets(data, 1);
            return out;
        }
        for b in armor::blocks(data) {
            if b.label != "SIGNATURE" {
                out.problems
                    .push((b.line, format!("`{}` block is not a signature", b.label)));
            } else if !b.complete {
                out.problems
                    .push((b.line, "signature block has no END line".into()));
            } else {
                out.read_packets(b.bytes, b.line);
            }
        }
        out
    }

    fn read_packets(&mut self, bytes: &[u8], line: usize) {
        let mut ppr = match PacketParser::from_bytes(bytes) {
            Ok(p) => p,
            Err(e) => {
                self.problems.push((line, format!("unreadable: {e}")));
                return;
            }
        };
        while let PacketParserResult::Some(pp) = ppr {
            match pp.next() {
                Ok((Packet::Signature(sig), next)) => {
                    self.signatures.push(FoundSignature { line, sig });
                    ppr = next;
                }
                Ok((other, next)) => {
                    self.problems
                        .push((line, format!("unexpected {} packet", other.tag())));
                    ppr = next;
                }
                Err(e) => {
                    self.problems.push((line, format!("unreadable: {e}")));
                    return;
                }
            }
        }
    }
}

/// Hash contexts are shared per (algorithm, signature version, salt).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ContextKey {
    algo: HashAlgorithm,
    version: u8,
    salt: Option<Vec<u8>>,
}

/// The check of one signature file against one artifact: add
/// [`PgpCheck::algorithms`] and [`PgpCheck::sinks`] to the engine job that
/// reads the artifact, then [`PgpCheck::finish`] with its result.
pub struct PgpCheck {
    file: SignatureFile,
    sources: HashMap<ContextKey, Option<DataSource>>,
}

impl PgpCheck {
    /// Decides, per distinct (algorithm, version, salt) of the signatures,
    /// where the file's hash comes from ([`DataSource`]): v4 signatures by
    /// a hash the engine has continue from the engine's own hasher.
    pub fn new(file: SignatureFile) -> PgpCheck {
        let mut sources = HashMap::new();
        for f in &file.signatures {
            let key = context_key(&f.sig);
            if sources.contains_key(&key) {
                continue;
            }
            let src = DataSource::for_signature(key.algo, key.version, key.salt.as_deref());
            sources.insert(key, src);
        }
        PgpCheck { file, sources }
    }

    /// Algorithms the job must compute for the signatures.
    pub fn algorithms(&self) -> AlgorithmSet {
        self.sources
            .values()
            .flatten()
            .fold(AlgorithmSet::empty(), |acc, s| acc.union(s.algorithms()))
    }

    /// Extra sinks to add to the job (v6 salted hashes, hashes the engine
    /// does not implement).
    pub fn sinks(&self) -> Vec<Box<dyn HashSink>> {
        self.sources
            .values()
            .flatten()
            .filter_map(DataSource::sink)
            .collect()
    }

    /// Asks `plan` to read `signed` with what the signatures need (their
    /// algorithms and sinks); [`PgpCheck::finish`] then takes the result
    /// found under the returned key.
    pub fn request(&self, plan: &mut ReadPlan, signed: &Path) -> ReadKey {
        plan.want(signed, self.algorithms(), self.sinks())
    }

    /// Problems met while reading the signature file.
    pub fn problems(&self) -> &[(usize, String)] {
        &self.file.problems
    }

    /// Judges every signature, `hashed` being the engine's result for the
    /// job that carried [`PgpCheck::algorithms`] and [`PgpCheck::sinks`].
    pub fn finish(
        &self,
        hashed: &Hashed,
        keyring: &Keyring,
        policy: &dyn Policy,
    ) -> Vec<SignatureVerdict> {
        self.file
            .signatures
            .iter()
            .map(|f| {
                let state = self
                    .sources
                    .get(&context_key(&f.sig))
                    .and_then(|c| c.as_ref())
                    .and_then(|s| s.state(hashed));
                judge(f, state, keyring, policy)
            })
            .collect()
    }
}

fn context_key(sig: &Signature) -> ContextKey {
    ContextKey {
        algo: sig.hash_algo(),
        version: sig.version(),
        salt: sig.salt().map(<[u8]>::to_vec),
    }
}

/// Who made a good signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signer {
    /// Fingerprint of the certificate's primary key.
    pub primary: String,
    /// Fingerprint of the key that signed (the primary or a subkey).
    pub key: String,
    /// User IDs valid at signing time.
    pub user_ids: Vec<String>,
}

/// What a signature amounts to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Cryptographically good, by a key valid when it signed.
    Good,
    /// The signature does not match the artifact (or is corrupt).
    Bad(String),
    /// Matches, but the policy refuses it (weak hash, key expired or
    /// revoked at signing time, …).
    Rejected(String),
    /// No certificate of the keyring holds the issuing key.
    NoKey,
    /// A kind of signature this check does not handle.
    Unsupported(String),
}

/// The verdict on one signature.
#[derive(Clone, Debug)]
pub struct SignatureVerdict {
    /// Line of the armor block it came from.
    pub line: usize,
    /// What it amounts to.
    pub status: Status,
    /// The signer, when a key was found.
    pub signer: Option<Signer>,
    /// Issuer fingerprints or key IDs named by the signature.
    pub issuers: Vec<String>,
    /// Creation time.
    pub created: Option<SystemTime>,
    /// Hash algorithm.
    pub hash: String,
}

fn judge(
    f: &FoundSignature,
    state: Option<DataState>,
    keyring: &Keyring,
    policy: &dyn Policy,
) -> SignatureVerdict {
    judge_as(f, state, SignatureType::Binary, keyring, policy)
}

/// [`judge`] for signatures of type `typ`, `state` being the hash of the
/// data as that type hashes it: the file's bytes for
/// [`SignatureType::Binary`], the canonical text (CRLF line endings) for
/// [`SignatureType::Text`] (cleartext-signed messages, see
/// [`crate::cleartext`]). A signature of another type is unsupported.
pub(crate) fn judge_as(
    f: &FoundSignature,
    state: Option<DataState>,
    typ: SignatureType,
    keyring: &Keyring,
    policy: &dyn Policy,
) -> SignatureVerdict {
    let sig = &f.sig;
    let mut verdict = SignatureVerdict {
        line: f.line,
        status: Status::NoKey,
        signer: None,
        issuers: sig.get_issuers().iter().map(|h| h.to_hex()).collect(),
        created: sig.signature_creation_time(),
        hash: sig.hash_algo().to_string(),
    };
    if sig.typ() != typ {
        verdict.status = Status::Unsupported(if typ == SignatureType::Binary {
            format!(
                "{} signature: only binary-document signatures are checked",
                sig.typ()
            )
        } else {
            format!(
                "{} signature: only {typ} signatures are checked here",
                sig.typ()
            )
        });
        return verdict;
    }
    let Some(state) = state else {
        verdict.status = Status::Unsupported(format!("hash algorithm {}", sig.hash_algo()));
        return verdict;
    };
    // The digest the signature covers, computed once for every candidate
    // key (a Sequoia state is finished by Sequoia, per key).
    let digest = match &state {
        DataState::Ours(_) => {
            let fields = TrailerFields {
                version: sig.version(),
                typ: sig.typ(),
                pk_algo: sig.pk_algo(),
                hash_algo: sig.hash_algo(),
                hashed_area: sig.hashed_area(),
            };
            match trailer(fields).ok().and_then(|t| state.digest_with(&t)) {
                Some(d) => Some(d),
                None => {
                    verdict.status = Status::Unsupported(format!(
                        "version {} signature with {}",
                        sig.version(),
                        sig.hash_algo()
                    ));
                    return verdict;
                }
            }
        }
        DataState::Sequoia(_) => None,
    };
    let matches = |key: &openpgp::packet::Key<_, _>| match (&state, &digest) {
        (_, Some(d)) => sig.verify_digest(key, d).is_ok(),
        (DataState::Sequoia(ctx), None) => sig.verify_hash(key, ctx.clone()).is_ok(),
        (DataState::Ours(_), None) => false,
    };
    let Some(created) = verdict.created else {
        verdict.status = Status::Bad("signature has no creation time".into());
        return verdict;
    };
    let issuers = sig.get_issuers();
    let mut outcome: Option<(Status, Option<Signer>)> = None;
    for cert in &keyring.certs {
        let keys: Vec<_> = if issuers.is_empty() {
            cert.keys().collect()
        } else {
            cert.keys().key_handles(issuers.iter()).collect()
        };
        for ka in keys {
            if !matches(ka.key()) {
                outcome.get_or_insert((
                    Status::Bad("signature does not match the file".into()),
                    None,
                ));
                continue;
            }
            let signer = Signer {
                primary: cert.fingerprint().to_hex(),
                key: ka.key().fingerprint().to_hex(),
                user_ids: cert
                    .userids()
                    .map(|u| String::from_utf8_lossy(u.userid().value()).into_owned())
                    .collect(),
            };
            let status = policy_status(sig, cert, &ka.key().fingerprint(), created, policy);
            let good = status == Status::Good;
            outcome = Some((status, Some(signer)));
            if good {
                break;
            }
        }
        if matches!(outcome, Some((Status::Good, _))) {
            break;
        }
    }
    if let Some((status, signer)) = outcome {
        verdict.status = status;
        verdict.signer = signer;
    }
    verdict
}

/// The policy side of a cryptographically good signature, judged at its
/// creation time.
fn policy_status(
    sig: &Signature,
    cert: &Cert,
    key: &openpgp::Fingerprint,
    created: SystemTime,
    policy: &dyn Policy,
) -> Status {
    if let Some(status) = from_the_future(cert, key, created, SystemTime::now()) {
        return status;
    }
    if matches!(sig.hash_algo(), HashAlgorithm::SHA1 | HashAlgorithm::MD5) {
        return Status::Rejected(format!(
            "{} data signature: collisions can be forged, never accepted",
            sig.hash_algo()
        ));
    }
    if let Err(e) = policy.signature(sig, HashAlgoSecurity::CollisionResistance) {
        return Status::Rejected(format!("policy: {e}"));
    }
    let vc = match cert.with_policy(policy, created) {
        Ok(vc) => vc,
        Err(e) => {
            if sha1_bound(cert, key, created) {
                return Status::Rejected(SHA1_BINDING.into());
            }
            return Status::Rejected(format!("certificate not valid when it signed: {e}"));
        }
    };
    if let RevocationStatus::Revoked(_) = vc.revocation_status() {
        return Status::Rejected("certificate revoked".into());
    }
    if let Err(e) = vc.alive() {
        return Status::Rejected(format!("certificate not alive when it signed: {e}"));
    }
    let Some(vka) = vc.keys().key_handle(key.clone()).next() else {
        if sha1_bound(cert, key, created) {
            return Status::Rejected(SHA1_BINDING.into());
        }
        return Status::Rejected(
            "signing key not valid when it signed (binding rejected by policy)".into(),
        );
    };
    if let RevocationStatus::Revoked(_) = vka.revocation_status() {
        return Status::Rejected("signing key revoked".into());
    }
    if let Err(e) = vka.alive() {
        return Status::Rejected(format!("signing key not alive when it signed: {e}"));
    }
    if !vka.for_signing() {
        return Status::Rejected("key is not signing-capable".into());
    }
    Status::Good
}

/// How far in the future (relative to the verification time, the clock
/// now) a signature or key creation time may lie before it is refused:
/// five minutes of clock skew between the signer and this machine.
/// Signatures are judged at their creation time (a key expired since still
/// verifies), so a forged or mis-set creation time in the future would
/// otherwise move that reference past every expiry and revocation known
/// today.
pub const CLOCK_SKEW: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// A signature made, or by a key (or certificate) created, more than
/// [`CLOCK_SKEW`] after `now` is not good.
fn from_the_future(
    cert: &Cert,
    key: &openpgp::Fingerprint,
    created: SystemTime,
    now: SystemTime,
) -> Option<Status> {
    let limit = now + CLOCK_SKEW;
    if created > limit {
        return Some(Status::Rejected(format!(
            "signature made in the future ({})",
            utc(created)
        )));
    }
    let primary = cert.primary_key().key().creation_time();
    let signing = cert
        .keys()
        .key_handle(key.clone())
        .next()
        .map(|k| k.key().creation_time());
    for t in [Some(primary), signing].into_iter().flatten() {
        if t > limit {
            return Some(Status::Rejected(format!(
                "signing key created in the future ({})",
                utc(t)
            )));
        }
    }
    None
}

/// `YYYY-MM-DD HH:MM:SS UTC`.
pub(crate) fn utc(t: SystemTime) -> String {
    // `2035-01-01T00:00:00Z` as `2035-01-01 00:00:00 UTC`.
    let iso = apostille_formats::time::utc(t);
    format!("{} UTC", iso.trim_end_matches('Z').replacen('T', " ", 1))
}

const SHA1_BINDING: &str = "the key is bound to its certificate only by SHA-1 self-signatures, \
     which the policy refuses for bindings made after 2023-02-01 (SHA-1 second preimages); \
     ask the signer to refresh the key, or accept it with --allow-sha1-bindings";

/// The standard policy, or with `allow_sha1_bindings` the standard policy
/// that also accepts SHA-1 in self-signatures and key bindings (never in
/// data signatures: those stay rejected, collisions being practical).
pub fn standard_policy(allow_sha1_bindings: bool) -> StandardPolicy<'static> {
    let mut p = StandardPolicy::new();
    if allow_sha1_bindings {
        p.accept_hash_property(
            HashAlgorithm::SHA1,
            HashAlgoSecurity::SecondPreImageResistance,
        );
    }
    p
}

/// Whether `key` of `cert` is valid at `created` once SHA-1 bindings are
/// accepted: then SHA-1 is why the standard policy refused it.
fn sha1_bound(cert: &Cert, key: &openpgp::Fingerprint, created: SystemTime) -> bool {
    let tolerant = standard_policy(true);
    cert.with_policy(&tolerant, created)
        .is_ok_and(|vc| vc.keys().key_handle(key.clone()).next().is_some())
}

/// What a set of verdicts must show for the file to count as signed.
#[derive(Clone, Debug)]
pub struct Requirement {
    /// At least this many good signatures by distinct signers (default 1):
    /// signatures are counted by the primary fingerprint of the
    /// certificate that made them, so one signature pasted twice, or two
    /// signatures by the same key or by two subkeys of one certificate,
    /// count once.
    pub min_good: usize,
    /// When not empty, only good signatures whose primary (or signing) key
    /// fingerprint is listed count.
    pub signers: Vec<String>,
}

impl Default for Requirement {
    fn default() -> Self {
        Requirement {
            min_good: 1,
            signers: Vec::new(),
        }
    }
}

impl Requirement {
    /// Whether a good verdict counts under the pins.
    pub fn counts(&self, v: &SignatureVerdict) -> bool {
        if v.status != Status::Good {
            return false;
        }
        if self.signers.is_empty() {
            return true;
        }
        let norm = |s: &str| s.replace(' ', "").to_ascii_uppercase();
        v.signer.as_ref().is_some_and(|s| {
            self.signers
                .iter()
                .any(|p| norm(p) == s.primary || norm(p) == s.key)
        })
    }

    /// How many distinct certificates (primary fingerprints) made a
    /// counted good signature.
    pub fn distinct_signers(&self, verdicts: &[SignatureVerdict]) -> usize {
        verdicts
            .iter()
            .filter(|v| self.counts(v))
            .filter_map(|v| v.signer.as_ref().map(|s| s.primary.as_str()))
            .collect::<std::collections::HashSet<_>>()
            .len()
    }

    /// Passed: enough counted good signatures and no signature that fails
    /// to match the file (a bad signature beside good ones still means
    /// something is wrong with the download or the release).
    pub fn passed(&self, verdicts: &[SignatureVerdict]) -> bool {
        let good = self.distinct_signers(verdicts);
        let bad = verdicts.iter().any(|v| matches!(v.status, Status::Bad(_)));
        good >= self.min_good.max(1) && !bad
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn signature_made_in_the_future_time_is_printed_in_utc() {
        assert_eq!(utc(UNIX_EPOCH), "1970-01-01 00:00:00 UTC");
        assert_eq!(
            utc(UNIX_EPOCH + Duration::from_secs(2_051_222_400)),
            "2035-01-01 00:00:00 UTC"
        );
        assert_eq!(
            utc(UNIX_EPOCH + Duration::from_secs(951_782_400 + 3_723)),
            "2000-02-29 01:02:03 UTC"
        );
    }

    fn good(primary: &str, key: &str) -> SignatureVerdict {
        SignatureVerdict {
            line: 1,
            status: Status::Good,
            signer: Some(Signer {
                primary: primary.into(),
                key: key.into(),
                user_ids: vec![],
            }),
            issuers: vec![],
            created: None,
            hash: "SHA512".into(),
        }
    }

    #[test]
    fn min_signatures_counts_distinct_signing_keys() {
        let req = Requirement {
            min_good: 2,
            signers: vec![],
        };
        // The same signature pasted twice, and two subkeys of one
        // certificate: one signer.
        assert!(!req.passed(&[good("AA", "AA"), good("AA", "AA")]));
        assert!(!req.passed(&[good("AA", "A1"), good("AA", "A2")]));
        assert_eq!(
            req.distinct_signers(&[good("AA", "AA"), good("AA", "AA")]),
            1
        );
        assert!(req.passed(&[good("AA", "AA"), good("BB", "BB")]));
    }
}
