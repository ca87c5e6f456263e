//! `apostille oci resolve|payload|attach|sign|attest|fetch|verify|detach`: thin
//! wrappers over `apostille-oci` (the registry) and `apostille-verify`
//! (the verdict on each fetched bundle).

use std::io::Read as _;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};
use apostille_oci::cosign::{self, CosignKind, CosignLayer};
use apostille_oci::manifest::{SIGSTORE_BUNDLE_V03, SPDX_JSON};
use apostille_oci::{
    Attachment, Credentials, ImageRef, Platform, Registry, RegistryOptions, Resolved,
    credentials_from_docker_config, docker_config_path,
};
use apostille_sign::sigstore::{Subject, statement};
use apostille_verify::bundle::{
    Bundle, Failure, MAX_DOCUMENT_LEN, Verdict, Verifier, sha256_argument,
};
use base64::Engine as _;

use crate::Outcome;
use crate::cli::{
    ImageArgs, OciAttachArgs, OciAttestArgs, OciDetachArgs, OciFetchArgs, OciResolveArgs,
    OciSignArgs, OciVerifyArgs, RegistryArgs,
};
use crate::commands::bundle;
use crate::commands::sigstore::{Signer, predicate};
use crate::output::{Out, warn};

/// Parses the image, builds credentials and the client, resolves.
fn connect(image: &ImageArgs, registry: &RegistryArgs) -> anyhow::Result<(Registry, Resolved)> {
    let reference = ImageRef::parse(&image.image)?;
    let credentials = if let Some(username) = &registry.username {
        let mut password = String::new();
        std::io::stdin()
            .take(64 * 1024)
            .read_to_string(&mut password)
            .context("reading the password from standard input")?;
        Credentials::Basic {
            username: username.clone(),
            password: password.trim_end_matches(['\n', '\r']).to_owned(),
        }
    } else {
        match docker_config_path() {
            Some(p) => credentials_from_docker_config(&p, reference.registry())?,
            None => Credentials::Anonymous,
        }
    };
    let options = RegistryOptions {
        credentials,
        insecure: registry.insecure,
        request_timeout: Duration::from_secs(registry.timeout.max(1)),
        connect_timeout: Duration::from_secs(registry.timeout.clamp(1, 10)),
        ..RegistryOptions::default()
    };
    let client = Registry::for_image(&reference, options)?;
    let platform = match &image.platform {
        Some(p) => Some(
            Platform::parse(p)
                .with_context(|| format!("--platform {p}: expected OS/ARCH[/VARIANT]"))?,
        ),
        None => None,
    };
    let resolved = client.resolve(&reference, platform.as_ref())?;
    Ok((client, resolved))
}

/// Tells the user, once, which digest an index's attestations go to: the
/// surprise cosign users meet is attaching to the index and verifying one
/// platform (or the reverse).
fn explain_subject(resolved: &Resolved, verb: &str) {
    if !resolved.is_index() {
        return;
    }
    match &resolved.platform {
        None => warn(format_args!(
            "{} is a multi-platform index ({}); {verb} the index digest {} as named. \
             Use --platform OS/ARCH for one platform's manifest.",
            resolved.input,
            resolved.platform_list(),
            resolved.subject_digest()
        )),
        Some(p) => warn(format_args!(
            "{} is a multi-platform index; {verb} the {p} manifest {}, not the index {}.",
            resolved.input,
            resolved.subject_digest(),
            resolved.named
        )),
    }
}

/// `oci resolve`.
pub fn resolve(args: &OciResolveArgs) -> anyhow::Result<Outcome> {
    let (_, resolved) = connect(&args.image, &args.registry)?;
    let mut out = Out::new();
    let mut text = String::new();
    if resolved.is_index() {
        text.push_str(&format!(
            "{} {} (image index)\n",
            resolved.input, resolved.named
        ));
        for entry in &resolved.platforms {
            let platform = entry
                .platform
                .as_ref()
                .map_or_else(|| "(no platform)".to_owned(), Platform::to_string);
            text.push_str(&format!("  {platform} {}\n", entry.digest));
        }
        if let Some(p) = &resolved.platform {
            text.push_str(&format!("{p} {}\n", resolved.subject_digest()));
        }
    } else {
        text.push_str(&format!(
            "{} {} (image manifest)\n",
            resolved.input,
            resolved.subject_digest()
        ));
    }
    out.bytes(text.as_bytes())?;
    out.flush()?;
    Ok(Outcome::Ok)
}

/// `oci payload`: cosign's simple-signing document for the resolved
/// digest, to be signed for a legacy `.sig`.
pub fn payload(args: &OciResolveArgs) -> anyhow::Result<Outcome> {
    let (_, resolved) = connect(&args.image, &args.registry)?;
    explain_subject(&resolved, "the payload names");
    let payload = cosign::simple_signing_payload(&resolved.input, resolved.subject_digest());
    let mut out = Out::new();
    out.bytes(&payload)?;
    out.flush()?;
    Ok(Outcome::Ok)
}

fn read_capped(path: &Path, what: &str, cap: u64) -> anyhow::Result<Vec<u8>> {
    let f =
        apostille_digest::input::open_input(path).with_context(|| format!("cannot open {what}"))?;
    let mut buf = Vec::new();
    f.take(cap + 1)
        .read_to_end(&mut buf)
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    if buf.len() as u64 > cap {
        bail!("{what} {} is larger than {cap} bytes", path.display());
    }
    Ok(buf)
}

/// `oci attach`.
pub fn attach(args: &OciAttachArgs) -> anyhow::Result<Outcome> {
    let (client, resolved) = connect(&args.image, &args.registry)?;
    explain_subject(&resolved, "attaching to");
    let subject = resolved.subject.descriptor();
    let image = &resolved.input;
    let mut attachments = Vec::new();
    for path in &args.bundle {
        let bytes = read_capped(path, "bundle", MAX_DOCUMENT_LEN as u64)?;
        // Refuse what is not a bundle before it reaches the registry.
        Bundle::parse(&bytes, path).map_err(|e| anyhow::anyhow!("{}", e.to_failure().detail))?;
        attachments.push((path, Attachment::sigstore_bundle(bytes)));
    }
    for path in &args.sbom {
        let bytes = read_capped(path, "SBOM", client.options().max_blob_bytes)?;
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .with_context(|| format!("{}: not JSON (SPDX JSON expected)", path.display()))?;
        if value.get("spdxVersion").is_none() {
            bail!(
                "{}: no spdxVersion; not an SPDX JSON document",
                path.display()
            );
        }
        attachments.push((path, Attachment::spdx_json(bytes)));
    }
    let mut text = String::new();
    for (path, attachment) in &attachments {
        let attached = client.attach(image, &subject, attachment)?;
        text.push_str(&format!(
            "{}: attached to {} as {} ({})\n",
            path.display(),
            resolved.subject_ref(),
            attached.referrer,
            attached.scheme
        ));
        if args.legacy_cosign_tags {
            text.push_str(&legacy(&client, &resolved, path, attachment)?);
        }
    }
    let mut out = Out::new();
    out.bytes(text.as_bytes())?;
    out.flush()?;
    Ok(Outcome::Ok)
}

/// Writes the cosign 2.x legacy tag for one attachment.
fn legacy(
    client: &Registry,
    resolved: &Resolved,
    path: &Path,
    attachment: &Attachment,
) -> anyhow::Result<String> {
    let subject = resolved.subject_digest();
    let tag_ref = |kind: CosignKind| resolved.input.with_tag(&kind.tag(subject));
    if attachment.artifact_type == SPDX_JSON {
        warn(format_args!(
            "{}: cosign 2.x keeps SBOMs as attestations; attach a DSSE SBOM attestation bundle for a legacy tag",
            path.display()
        ));
        return Ok(String::new());
    }
    let bundle: serde_json::Value = serde_json::from_slice(&attachment.bytes)?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let certificate = certificate_pem(&bundle);
    if let Some(envelope) = bundle.get("dsseEnvelope") {
        let payload = envelope
            .get("payload")
            .and_then(|p| p.as_str())
            .and_then(|p| b64.decode(p).ok())
            .with_context(|| format!("{}: DSSE payload is not base64", path.display()))?;
        let statement: serde_json::Value = serde_json::from_slice(&payload)
            .with_context(|| format!("{}: DSSE payload is not JSON", path.display()))?;
        let predicate_type = statement
            .get("predicateType")
            .and_then(|p| p.as_str())
            .unwrap_or_default();
        let layer = CosignLayer::attestation(serde_json::to_vec(envelope)?, predicate_type);
        let mut layer = layer;
        if let Some(c) = &certificate {
            layer
                .annotations
                .insert(cosign::ANNOTATION_CERTIFICATE.to_owned(), c.clone());
        }
        client.attach_cosign(&resolved.input, subject, CosignKind::Attestation, &layer)?;
        return Ok(format!(
            "{}: also in cosign's legacy tag {}\n",
            path.display(),
            tag_ref(CosignKind::Attestation)
        ));
    }
    let signature = bundle
        .get("messageSignature")
        .with_context(|| format!("{}: neither a message signature nor DSSE", path.display()))?;
    let signed = signature
        .pointer("/messageDigest/digest")
        .and_then(|d| d.as_str())
        .and_then(|d| b64.decode(d).ok())
        .unwrap_or_default();
    let payload = cosign::simple_signing_payload(&resolved.input, subject);
    let payload_digest = apostille_oci::Digest::sha256_of(&payload);
    let signed_hex: String = signed.iter().map(|b| format!("{b:02x}")).collect();
    if signed_hex != payload_digest.hex() {
        bail!(
            "{}: attached as a referrer, but no legacy .sig written: the bundle signs sha256:{signed_hex}, \
             not cosign's simple-signing payload for {} ({payload_digest}); sign the output of \
             `apostille oci payload` for a legacy signature",
            path.display(),
            resolved.subject_ref()
        );
    }
    let sig = signature
        .get("signature")
        .and_then(|s| s.as_str())
        .unwrap_or_default();
    let layer = CosignLayer::signature(payload, sig, certificate.as_deref(), None);
    client.attach_cosign(&resolved.input, subject, CosignKind::Signature, &layer)?;
    Ok(format!(
        "{}: also in cosign's legacy tag {}\n",
        path.display(),
        tag_ref(CosignKind::Signature)
    ))
}

/// The bundle's leaf certificate as PEM, if it has one.
fn certificate_pem(bundle: &serde_json::Value) -> Option<String> {
    let raw = bundle
        .pointer("/verificationMaterial/certificate/rawBytes")
        .or_else(|| {
            bundle.pointer("/verificationMaterial/x509CertificateChain/certificates/0/rawBytes")
        })?
        .as_str()?;
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    let bytes = raw.as_bytes();
    for chunk in bytes.chunks(64) {
        pem.push_str(std::str::from_utf8(chunk).ok()?);
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    Some(pem)
}

fn artifact_type(arg: Option<&str>) -> Option<String> {
    match arg {
        None => None,
        Some("bundle") => Some(SIGSTORE_BUNDLE_V03.to_owned()),
        Some("sbom") => Some(SPDX_JSON.to_owned()),
        Some(other) => Some(other.to_owned()),
    }
}

/// `oci fetch`.
pub fn fetch(args: &OciFetchArgs) -> anyhow::Result<Outcome> {
    let (client, resolved) = connect(&args.image, &args.registry)?;
    explain_subject(&resolved, "listing what refers to");
    let wanted = artifact_type(args.artifact_type.as_deref());
    let subject = resolved.subject_digest();
    let (referrers, scheme) = client.referrers(&resolved.input, subject, wanted.as_deref())?;
    let mut text = format!(
        "{}: {} referrer(s) ({scheme})\n",
        resolved.subject_ref(),
        referrers.len()
    );
    let mut outcome = Outcome::Ok;
    for r in &referrers {
        let kind = r.artifact_type.as_deref().unwrap_or("(no artifact type)");
        let Some(dir) = &args.output_dir else {
            text.push_str(&format!("{} {kind}\n", r.digest));
            continue;
        };
        match client.fetch_referrer(&resolved.input, subject, &r.digest) {
            Ok(fetched) => {
                let ext = match fetched.attachment.artifact_type.as_str() {
                    SIGSTORE_BUNDLE_V03 => "sigstore.json",
                    SPDX_JSON => "spdx.json",
                    _ => "bin",
                };
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
                let path = dir.join(format!("{}.{ext}", r.digest.hex()));
                write_atomically(&path, &fetched.attachment.bytes)?;
                text.push_str(&format!("{} {kind} -> {}\n", r.digest, path.display()));
            }
            Err(e) => {
                warn(e);
                outcome = Outcome::Error;
            }
        }
    }
    let mut out = Out::new();
    out.bytes(text.as_bytes())?;
    out.flush()?;
    Ok(outcome)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("part");
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// `oci detach`.
pub fn detach(args: &OciDetachArgs) -> anyhow::Result<Outcome> {
    let (client, resolved) = connect(&args.image, &args.registry)?;
    explain_subject(&resolved, "detaching from");
    let referrer = apostille_oci::Digest::parse(&args.referrer)?;
    client.detach(&resolved.input, resolved.subject_digest(), &referrer)?;
    let mut out = Out::new();
    out.bytes(format!("{}: detached {referrer}\n", resolved.subject_ref()).as_bytes())?;
    out.flush()?;
    Ok(Outcome::Ok)
}

/// `oci verify`: every Sigstore bundle referring to the digest is fetched
/// and verified against `sha256:<manifest digest>` with `verify bundle`'s
/// trust flags; with attestation flags (`--type`, `--source-uri`, …) only
/// DSSE attestations whose statement meets them count, as in `verify
/// attestation`. Exit 0 when at least one verifies (others, e.g. by other
/// signers, are listed as FAILED), 1 when none does, 2 on a registry or
/// input error.
pub fn verify(args: &OciVerifyArgs) -> anyhow::Result<Outcome> {
    let (root_bytes, key_bytes) = bundle::read_trust(&args.trust)?;
    let (root, policy) = match bundle::trust_policy(&args.trust, root_bytes, key_bytes) {
        Ok(p) => p,
        Err(e) => {
            let Failure { reason, detail } = e.to_failure();
            bail!("policy: ({reason}) {detail}");
        }
    };
    let attestation = bundle::attestation_requested(&args.attestation)
        .then(|| bundle::attestation_policy(&args.attestation));
    let (client, resolved) = connect(&args.image, &args.registry)?;
    explain_subject(&resolved, "verifying what is attached to");
    let subject = resolved.subject_digest().clone();
    let shown = resolved.subject_ref().to_string();
    let digest = sha256_argument(subject.as_str())
        .with_context(|| format!("{shown}: only sha256 manifest digests can be verified"))?;
    let (referrers, scheme) =
        client.referrers(&resolved.input, &subject, Some(SIGSTORE_BUNDLE_V03))?;
    let verifier = Verifier::new(&root);
    let mut text = String::new();
    let mut verified = 0usize;
    for r in &referrers {
        let (verdict, attested) = match client.fetch_referrer(&resolved.input, &subject, &r.digest)
        {
            Ok(fetched) => {
                let name = format!("{}@{}", resolved.input.repository_ref(), r.digest);
                match Bundle::parse(&fetched.attachment.bytes, Path::new(&name)) {
                    Ok(b) => match (
                        verifier.verify(&b, std::slice::from_ref(&digest), &policy),
                        &attestation,
                    ) {
                        (Verdict::Verified(v), Some(p)) => {
                            match bundle::judge(&b, p, std::slice::from_ref(&digest)) {
                                Ok(a) => (Verdict::Verified(v), Some(a)),
                                Err(f) => (Verdict::Failed(f), None),
                            }
                        }
                        (verdict, _) => (verdict, None),
                    },
                    Err(e) => (Verdict::Failed(e.to_failure()), None),
                }
            }
            Err(e) => {
                text.push_str(&format!("{shown}: referrer {}: ERROR: {e}\n", r.digest));
                continue;
            }
        };
        match &verdict {
            Verdict::Verified(v) => {
                verified += 1;
                text.push_str(&format!(
                    "{shown}: referrer {}: VERIFIED {}\n",
                    r.digest,
                    bundle::verified_summary(v, attested.as_ref())
                ));
            }
            Verdict::Failed(Failure { reason, detail }) => {
                text.push_str(&format!(
                    "{shown}: referrer {}: FAILED ({reason}): {detail}\n",
                    r.digest
                ));
            }
        }
    }
    if referrers.is_empty() {
        text.push_str(&format!(
            "{shown}: FAILED (missing): no Sigstore bundle refers to this digest ({scheme})\n"
        ));
    }
    let mut out = Out::new();
    out.bytes(text.as_bytes())?;
    out.flush()?;
    Ok(if verified > 0 {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}

/// The manifest digest as the SHA-256 a signature covers.
fn manifest_sha256(resolved: &Resolved) -> anyhow::Result<[u8; 32]> {
    let d = sha256_argument(resolved.subject_digest().as_str()).with_context(|| {
        format!(
            "{}: only sha256 manifest digests can be signed",
            resolved.subject_ref()
        )
    })?;
    let mut sha = [0u8; 32];
    sha.copy_from_slice(d.as_bytes());
    Ok(sha)
}

/// Attaches one bundle made for the resolved image, and tells where.
fn attach_made(
    client: &Registry,
    resolved: &Resolved,
    bundle: String,
    label: &str,
    legacy_tags: bool,
) -> anyhow::Result<Outcome> {
    let attachment = Attachment::sigstore_bundle(bundle.into_bytes());
    let attached = client.attach(&resolved.input, &resolved.subject.descriptor(), &attachment)?;
    let mut text = format!(
        "{label}: attached to {} as {} ({})\n",
        resolved.subject_ref(),
        attached.referrer,
        attached.scheme
    );
    if legacy_tags {
        text.push_str(&legacy(client, resolved, Path::new(label), &attachment)?);
    }
    let mut out = Out::new();
    out.bytes(text.as_bytes())?;
    out.flush()?;
    Ok(Outcome::Ok)
}

/// `oci sign`: a message signature over the image's manifest (its
/// digest is the SHA-256 signed), attached as a referrer.
pub fn sign(args: &OciSignArgs) -> anyhow::Result<Outcome> {
    let signer = Signer::from_args(&args.key)?;
    let (client, resolved) = connect(&args.image, &args.registry)?;
    explain_subject(&resolved, "signing");
    let sha = manifest_sha256(&resolved)?;
    let bundle = signer.blob(&sha)?;
    attach_made(&client, &resolved, bundle, "signature", false)
}

/// `oci attest`: an in-toto statement whose subject is the image
/// (repository name, manifest digest), SLSA provenance or a custom
/// predicate, in a DSSE bundle attached as a referrer.
pub fn attest(args: &OciAttestArgs) -> anyhow::Result<Outcome> {
    let (predicate_type, predicate) = predicate(
        args.predicate.as_deref(),
        args.predicate_type.as_deref(),
        &args.build,
        args.release_version.as_deref(),
    )?;
    let signer = Signer::from_args(&args.key)?;
    let (client, resolved) = connect(&args.image, &args.registry)?;
    explain_subject(&resolved, "attesting");
    let sha = manifest_sha256(&resolved)?;
    let subject = Subject {
        name: resolved.input.repository_ref(),
        sha256: apostille_digest::value::Digest::from_bytes(
            apostille_digest::Algorithm::Sha256,
            &sha,
        )
        .context("a SHA-256 is 32 bytes")?,
        sha512: None,
    };
    let payload = statement(std::slice::from_ref(&subject), &predicate_type, &predicate);
    let bundle = signer.dsse(&payload)?;
    attach_made(
        &client,
        &resolved,
        bundle,
        &format!("attestation {predicate_type}"),
        args.legacy_cosign_tags,
    )
}
