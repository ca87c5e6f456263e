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
use openpgp::parse::{PacketParserResult, Parse};
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
    /// What is not a signature is a problem saying what it is instead: an
    /// HTML page, a key, a signature armored twice, a signify signature in
    /// an `ARMORED FILE`, mismatched armor lines.
    pub fn parse(data: &[u8]) -> SignatureFile {
        let mut out = SignatureFile::default();
        out.read_file(data);
        out
    }

    /// Why the file yields no signature: its first problem, or a plain
    /// sentence when there is none.
    pub fn why_none(&self) -> String {
        self.problems.first().map_or_else(
            || "no OpenPGP signature in the file".into(),
            |(line, p)| {
                if self.problems.len() > 1 {
                    format!("line {line}: {p} (and {} more)", self.problems.len() - 1)
                } else if *line > 1 {
                    format!("line {line}: {p}")
                } else {
                    p.clone()
                }
            },
        )
    }

    fn read_file(&mut self, data: &[u8]) {
        if !armor::is_armored(data) {
            if armor::looks_binary(data) {
                self.read_packets(data, 1);
            } else {
                self.problems.push((
                    1,
                    format!(
                        "not an OpenPGP signature: {}",
                        armor::describe_foreign(data)
                    ),
                ));
            }
            return;
        }
        for b in armor::blocks(data) {
            let line = b.line;
            match b.label.as_str() {
                "SIGNATURE" | "ARMORED FILE" => match armor::decode(&b) {
                    Ok(armor::Decoded::Binary(bin)) if armor::looks_binary(&bin) => {
                        self.read_packets(&bin, line)
                    }
                    Ok(armor::Decoded::Binary(bin)) => self.problems.push((
                        line,
                        format!(
                            "the `{}` block holds {}, not an OpenPGP signature",
                            b.label,
                            armor::describe_foreign(&bin)
                        ),
                    )),
                    Ok(armor::Decoded::Armored(_)) => self.problems.push((
                        line,
                        format!(
                            "armored twice: the `{}` block holds another armored block; \
                             not read (remove one layer with `gpg --dearmor`)",
                            b.label
                        ),
                    )),
                    Err(e) => self.problems.push((line, e)),
                },
                "SIGNED MESSAGE" => self.problems.push((
                    line,
                    "a cleartext-signed document (`BEGIN PGP SIGNED MESSAGE`), not a detached \
                     signature"
                        .into(),
                )),
                "PUBLIC KEY BLOCK" | "PRIVATE KEY BLOCK" => self.problems.push((
                    line,
                    format!(
                        "a `{}`: a key, not a signature (the KEYS file given as the signature?)",
                        b.label
                    ),
                )),
                other => self
                    .problems
                    .push((line, format!("`{other}` block is not a signature"))),
            }
        }
    }

    fn read_packets(&mut self, bytes: &[u8], line: usize) {
        let before = (self.signatures.len(), self.problems.len());
        self.read_packets_of(bytes, line);
        if (self.signatures.len(), self.problems.len()) == before {
            self.problems
                .push((line, "no signature packet in the data".into()));
        }
    }

    /// `bytes` is binary (armor was decoded by [`SignatureFile::read_file`]),
    /// so the parser's own armor detection is off: on binary garbage it
    /// would try to dearmor it and report only "unexpected EOF".
    fn read_packets_of(&mut self, bytes: &[u8], line: usize) {
        use openpgp::parse::{Dearmor, PacketParserBuilder};
        let parser = PacketParserBuilder::from_bytes(bytes)
            .and_then(|b| b.dearmor(Dearmor::Disabled).build());
        let mut ppr = match parser {
            Ok(p) => p,
            Err(e) => {
                self.problems.push((line, unreadable(&e)));
                return;
            }
        };
        while let PacketParserResult::Some(pp) = ppr {
            match pp.next() {
                Ok((Packet::Signature(sig), next)) => {
                    self.signatures.push(FoundSignature { line, sig });
                    ppr = next;
                }
                Ok((Packet::Unknown(u), next)) if u.tag() == openpgp::packet::Tag::Signature => {
                    self.problems.push((
                        line,
                        format!(
                            "a signature packet that cannot be read: {}",
                            first_line(u.error())
                        ),
                    ));
                    ppr = next;
                }
                Ok((other, _)) => {
                    self.problems.push((line, foreign_packet(&other)));
                    return;
                }
                Err(e) => {
                    self.problems.push((line, unreadable(&e)));
                    return;
                }
            }
        }
    }
}

/// What a non-signature packet at the start of a signature file means.
fn foreign_packet(p: &Packet) -> String {
    use openpgp::packet::Tag;
    match p.tag() {
        Tag::PublicKey | Tag::SecretKey | Tag::PublicSubkey | Tag::SecretSubkey => format!(
            "holds a {} packet: a key, not a signature (the KEYS file given as the signature?)",
            p.tag()
        ),
        Tag::OnePassSig | Tag::Literal | Tag::CompressedData => format!(
            "holds a {} packet: a signed OpenPGP message (data inside), not a detached signature",
            p.tag()
        ),
        Tag::PKESK | Tag::SKESK | Tag::SEIP | Tag::SED => format!(
            "holds a {} packet: an encrypted message, not a signature",
            p.tag()
        ),
        t @ (Tag::Reserved | Tag::Unknown(_) | Tag::Private(_)) => format!(
            "holds a packet of reserved or unknown type (tag {}), not a signature",
            u8::from(t)
        ),
        t => format!("holds a {t} packet, not a signature"),
    }
}

/// A parser error as a sentence a person can act on; the parser's own
/// words follow in parentheses.
fn unreadable(e: &anyhow::Error) -> String {
    let text = first_line(e);
    let lower = text.to_ascii_lowercase();
    if lower.contains("eof") || lower.contains("truncated") {
        format!("truncated: the OpenPGP data ends inside a packet ({text})")
    } else if lower.contains("ctb") || lower.contains("malformed") {
        format!("not OpenPGP packets: the data is malformed ({text})")
    } else {
        format!("cannot be read as OpenPGP ({text})")
    }
}

fn first_line(e: &anyhow::Error) -> String {
    let text = format!("{e:#}");
    text.lines().next().unwrap_or_default().to_owned()
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

    /// Why the signature file yields no signature ([`SignatureFile::why_none`]).
    pub fn why_none(&self) -> String {
        self.file.why_none()
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
///
/// The reasons are looked for in the order a person can act on them: the
/// signature packet itself (future date, v3 packet, weak data hash), then
/// what no flag can change (revocation, expiry, a key created after the
/// signature, a key not signing-capable), judged with weak algorithms and
/// SHA-1 bindings tolerated so that they cannot hide these; then a weak
/// key algorithm; last SHA-1 bindings, which `--allow-sha1-bindings` can
/// accept.
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
    if let Err(e) = policy.packet(&Packet::from(sig.clone())) {
        let since = violation(&e).and_then(|(_, t)| t).map(date);
        return Status::Rejected(match (sig.version(), since) {
            (3, Some(d)) => format!("v3 signature packet (refused since {d})"),
            (3, None) => "v3 signature packet (refused by the policy)".into(),
            (v, Some(d)) => format!("version {v} signature packet (refused since {d})"),
            (v, None) => format!("version {v} signature packet (refused by the policy)"),
        });
    }
    if matches!(sig.hash_algo(), HashAlgorithm::SHA1 | HashAlgorithm::MD5) {
        return Status::Rejected(format!(
            "{} data signature: collisions can be forged, never accepted",
            sig.hash_algo()
        ));
    }
    if let Err(e) = policy.signature(sig, HashAlgoSecurity::CollisionResistance) {
        return Status::Rejected(format!("the policy refuses the signature: {}", plain(&e)));
    }
    let lenient = lenient_policy();
    let vc = match lifecycle(cert, key, created, &lenient) {
        Ok(vc) => vc,
        Err(reason) => return Status::Rejected(reason),
    };
    let sha1_ok = standard_policy(true);
    if let Some(reason) = weak_key(&vc, key, &sha1_ok) {
        return Status::Rejected(reason);
    }
    match strict(cert, key, created, policy) {
        Ok(()) => Status::Good,
        Err(reason) => {
            if let Some(dates) = sha1_bindings(cert, key, created, &sha1_ok) {
                return Status::Rejected(sha1_binding_message(&dates));
            }
            Status::Rejected(reason)
        }
    }
}

/// The standard policy with SHA-1 bindings and every weak asymmetric
/// algorithm accepted: used only to find out *why* a signature is refused
/// (never to accept one), so that an expiry or revocation is named before
/// a weakness a flag or a new key could fix.
fn lenient_policy() -> StandardPolicy<'static> {
    use openpgp::policy::AsymmetricAlgorithm as A;
    let mut p = standard_policy(true);
    for a in [
        A::RSA1024,
        A::DSA1024,
        A::DSA2048,
        A::DSA3072,
        A::DSA4096,
        A::ElGamal1024,
        A::ElGamal2048,
        A::ElGamal3072,
        A::ElGamal4096,
    ] {
        p.accept_asymmetric_algo(a);
    }
    p
}

/// Revocation, expiry, creation after the signature, signing capability:
/// the reasons no flag can change, with their dates. Without one, the
/// certificate as the lenient policy validates it at `created`, for the
/// weak-key check to use rather than validating it again.
fn lifecycle<'a>(
    cert: &'a Cert,
    key: &openpgp::Fingerprint,
    created: SystemTime,
    lenient: &'a dyn Policy,
) -> Result<openpgp::cert::ValidCert<'a>, String> {
    let primary = cert.primary_key().key();
    if primary.creation_time() > created {
        let (born, made) = two_dates(primary.creation_time(), created);
        return Err(format!(
            "the key was created on {born}, after this signature was made ({made})"
        ));
    }
    let vc = match cert.with_policy(lenient, created) {
        Ok(vc) => vc,
        Err(e) => return Err(no_binding_at(cert, None, created, &e)),
    };
    if let RevocationStatus::Revoked(revs) = vc.revocation_status() {
        return Err(revoked("certificate", &revs, created));
    }
    if vc.alive().is_err() {
        return Err(expired(
            "key",
            vc.primary_key().key_expiration_time(),
            created,
        ));
    }
    if key == &primary.fingerprint() {
        if !vc.primary_key().for_signing() {
            return Err(not_for_signing("primary key"));
        }
        return Ok(vc);
    }
    let Some(vka) = vc.keys().key_handle(key.clone()).next() else {
        let raw = cert.keys().key_handle(key.clone()).next();
        if let Some(k) = raw
            && k.key().creation_time() > created
        {
            let (born, made) = two_dates(k.key().creation_time(), created);
            return Err(format!(
                "the signing subkey {key} was created on {born}, after this signature was made \
                 ({made})"
            ));
        }
        return Err(no_binding_at(
            cert,
            Some(key),
            created,
            &anyhow::anyhow!(""),
        ));
    };
    if let RevocationStatus::Revoked(revs) = vka.revocation_status() {
        return Err(revoked(&format!("signing subkey {key}"), &revs, created));
    }
    if vka.alive().is_err() {
        return Err(expired(
            &format!("signing subkey {key}"),
            vka.key_expiration_time(),
            created,
        ));
    }
    if !vka.for_signing() {
        return Err(not_for_signing(&format!("subkey {key}")));
    }
    Ok(vc)
}

/// No self-signature binds the key (or `subkey`) at the signature's time:
/// every binding is younger than the signature (a key file exported
/// minimal after its expiry was extended keeps only the newest), or none
/// is valid at all.
fn no_binding_at(
    cert: &Cert,
    subkey: Option<&openpgp::Fingerprint>,
    created: SystemTime,
    e: &anyhow::Error,
) -> String {
    let made = utc(created);
    let what = subkey.map_or_else(
        || "the key".to_owned(),
        |k| format!("the signing subkey {k}"),
    );
    let sigs: Vec<SystemTime> = match subkey {
        None => cert
            .userids()
            .flat_map(|u| u.self_signatures().collect::<Vec<_>>())
            .chain(cert.primary_key().self_signatures())
            .filter_map(|s| s.signature_creation_time())
            .collect(),
        Some(k) => cert
            .keys()
            .subkeys()
            .filter(|s| &s.key().fingerprint() == k)
            .flat_map(|s| s.self_signatures().collect::<Vec<_>>())
            .filter_map(|s| s.signature_creation_time())
            .collect(),
    };
    match sigs.iter().min() {
        Some(oldest) if *oldest > created => {
            let (first, made) = two_dates(*oldest, created);
            format!(
                "{what} has no self-signature as old as this signature ({made}): its oldest is \
                 from {first} (the key file keeps only newer self-signatures, e.g. exported \
                 with `export-minimal` after the expiry was extended; ask for the full key)"
            )
        }
        Some(_) => {
            let detail = plain(e);
            if detail.is_empty() {
                format!("{what} has no valid binding signature at this signature's time ({made})")
            } else {
                format!(
                    "{what} has no valid binding signature at this signature's time ({made}): {detail}"
                )
            }
        }
        None => format!("{what} has no self-signature binding it to the certificate"),
    }
}

fn revoked(what: &str, revs: &[&Signature], created: SystemTime) -> String {
    use openpgp::types::ReasonForRevocation as R;
    let Some(rev) = revs.first() else {
        return format!("the {what} is revoked");
    };
    let (when, made) = match rev.signature_creation_time() {
        Some(t) => {
            let (r, m) = two_dates(t, created);
            (format!("on {r}"), m)
        }
        None => ("at an unknown date".to_owned(), date(created)),
    };
    let (code, text) = rev
        .reason_for_revocation()
        .map(|(c, m)| (Some(c), String::from_utf8_lossy(m).trim().to_owned()))
        .unwrap_or((None, String::new()));
    let reason = match code {
        Some(R::KeyCompromised) => "key compromised",
        Some(R::KeySuperseded) => "key superseded",
        Some(R::KeyRetired) => "key retired",
        Some(R::UIDRetired) => "user ID retired",
        Some(_) => "other reason",
        None => "no reason given",
    };
    let said = if text.is_empty() {
        String::new()
    } else {
        format!(
            ": \"{}\"",
            apostille_digest::display::terminal_safe_cut(text.as_bytes(), 200)
        )
    };
    let hard = !matches!(code, Some(R::KeySuperseded | R::KeyRetired | R::UIDRetired));
    if hard {
        format!(
            "the {what} was revoked {when} ({reason}{said}); a hard revocation invalidates \
             signatures made before it too (this one was made on {made})"
        )
    } else {
        format!(
            "the {what} was revoked {when} ({reason}{said}), before this signature was made on \
             {made}"
        )
    }
}

fn expired(what: &str, expiry: Option<SystemTime>, created: SystemTime) -> String {
    match expiry {
        Some(t) => {
            let (end, made) = two_dates(t, created);
            format!("the {what} expired on {end}, before this signature was made on {made}")
        }
        None => format!(
            "the {what} was not alive when this signature was made ({})",
            utc(created)
        ),
    }
}

fn not_for_signing(what: &str) -> String {
    format!("the {what} that made it is not signing-capable (its key flags do not allow signing)")
}

/// A key algorithm the policy refuses (DSA-1024, RSA-1024, …), named with
/// the date the policy has refused it since.
fn weak_key(
    vc: &openpgp::cert::ValidCert<'_>,
    key: &openpgp::Fingerprint,
    checker: &dyn Policy,
) -> Option<String> {
    let primary = vc.fingerprint();
    for ka in vc.keys() {
        let fpr = ka.key().fingerprint();
        if fpr != primary && &fpr != key {
            continue;
        }
        if let Err(e) = checker.key(&ka) {
            let since = violation(&e)
                .and_then(|(_, t)| t)
                .map_or_else(String::new, |t| format!(" since {}", date(t)));
            let which = if fpr == primary {
                "key"
            } else {
                "signing subkey"
            };
            return Some(format!(
                "the {which} is {}, which the policy refuses{since} (too weak)",
                algo_label(ka.key())
            ));
        }
    }
    None
}

/// `RSA-1024`, `DSA-2048`, `Ed25519`, …
fn algo_label<P: openpgp::packet::key::KeyParts, R: openpgp::packet::key::KeyRole>(
    key: &openpgp::packet::Key<P, R>,
) -> String {
    let name = apostille_formats::keys::algo_name(key.pk_algo(), key.mpis().bits());
    let upper = name.to_ascii_uppercase();
    match upper.find(|c: char| c.is_ascii_digit()) {
        Some(i) if upper.starts_with("RSA") || upper.starts_with("DSA") => {
            format!("{}-{}", &upper[..i], &upper[i..])
        }
        _ => name,
    }
}

/// The checks under the policy the user chose.
fn strict(
    cert: &Cert,
    key: &openpgp::Fingerprint,
    created: SystemTime,
    policy: &dyn Policy,
) -> Result<(), String> {
    let vc = cert
        .with_policy(policy, created)
        .map_err(|e| format!("certificate not valid when it signed: {}", plain(&e)))?;
    if let RevocationStatus::Revoked(_) = vc.revocation_status() {
        return Err("certificate revoked".into());
    }
    vc.alive()
        .map_err(|e| format!("certificate not alive when it signed: {}", plain(&e)))?;
    let vka = vc
        .keys()
        .key_handle(key.clone())
        .next()
        .ok_or("signing key not valid when it signed (binding rejected by the policy)")?;
    if let RevocationStatus::Revoked(_) = vka.revocation_status() {
        return Err("signing key revoked".into());
    }
    vka.alive()
        .map_err(|e| format!("signing key not alive when it signed: {}", plain(&e)))?;
    if !vka.for_signing() {
        return Err("key is not signing-capable".into());
    }
    Ok(())
}

/// When the policy refused the key but SHA-1 bindings accepted would make
/// it valid: the dates of the SHA-1 self-signatures that bind it.
fn sha1_bindings(
    cert: &Cert,
    key: &openpgp::Fingerprint,
    created: SystemTime,
    sha1_ok: &dyn Policy,
) -> Option<Vec<SystemTime>> {
    strict(cert, key, created, sha1_ok).ok()?;
    let vc = cert.with_policy(sha1_ok, created).ok()?;
    let mut dates = Vec::new();
    let mut note = |s: &Signature| {
        if matches!(s.hash_algo(), HashAlgorithm::SHA1)
            && let Some(t) = s.signature_creation_time()
            && !dates.contains(&t)
        {
            dates.push(t);
        }
    };
    if let Ok(u) = vc.primary_userid() {
        note(u.binding_signature());
    }
    if let Ok(d) = vc.direct_key_signature() {
        note(d);
    }
    if key != &cert.fingerprint()
        && let Some(k) = vc.keys().key_handle(key.clone()).next()
    {
        note(k.binding_signature());
    }
    dates.sort();
    Some(dates)
}

fn sha1_binding_message(dates: &[SystemTime]) -> String {
    let made = match dates {
        [] => String::new(),
        many => format!(
            " (made {})",
            many.iter().map(|t| date(*t)).collect::<Vec<_>>().join(", ")
        ),
    };
    format!(
        "the signature over the file is good, but the key is bound to its certificate only by \
         SHA-1 self-signatures{made}, which the policy refuses since 2023-02-01 (SHA-1 second \
         preimages; judged at verification time, whatever the binding's age): ask the signer \
         to refresh the key's self-signatures, or accept them with --allow-sha1-bindings"
    )
}

/// The policy violation in an error chain: what and since when.
fn violation(e: &anyhow::Error) -> Option<(String, Option<SystemTime>)> {
    e.chain()
        .find_map(|c| match c.downcast_ref::<openpgp::Error>() {
            Some(openpgp::Error::PolicyViolation(what, since)) => Some((what.clone(), *since)),
            _ => None,
        })
}

/// An error chain as one sentence, a policy violation with its date.
fn plain(e: &anyhow::Error) -> String {
    if let Some((what, since)) = violation(e) {
        return match since {
            Some(t) => format!("{what} (refused by the policy since {})", date(t)),
            None => format!("{what} (refused by the policy)"),
        };
    }
    let text = format!("{e:#}");
    text.lines().next().unwrap_or_default().to_owned()
}

/// `YYYY-MM-DD`.
fn date(t: SystemTime) -> String {
    apostille_formats::keys::date_utc(t)
}

/// Two times for one sentence: their dates, or the full times when they
/// fall on the same day (so that the sentence still orders them).
fn two_dates(a: SystemTime, b: SystemTime) -> (String, String) {
    if date(a) == date(b) {
        (utc(a), utc(b))
    } else {
        (date(a), date(b))
    }
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
