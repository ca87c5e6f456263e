//! Promoting a voted release candidate to the final release without a
//! rebuild (`apostille promote DIR --to VERSION`): Apache's "rename,
//! re-sign and upload", AICR's "promotion re-tags the exact same SHA".
//!
//! The caller verifies the candidate first (`apostille_verify::download`)
//! and hands over what that one read computed ([`Verified`]); nothing is
//! read again. Then, in the candidate's folder:
//!
//! * artifacts are renamed, the candidate's version replaced by the final
//!   one (`demo-1.3.0-rc2-src.tar.gz` → `demo-1.3.0-src.tar.gz`); each
//!   artifact's `.asc` is renamed with it and kept as it is (a detached
//!   signature is over bytes, not names);
//! * checksum sidecars and lists are rendered again under the new names
//!   from the verified digests; a list's `.asc` and Sigstore bundle are
//!   made again (the list's bytes changed);
//! * SBOMs get the final names and version in every string value, are
//!   signed again, and attested again when the candidate's were;
//! * the candidate's build provenance is kept untouched: it is the
//!   evidence of the build, naming the candidate's tag;
//! * a SLSA Verification Summary Attestation (`NAME.promotion.intoto.jsonl`,
//!   predicate `https://slsa.dev/verification_summary/v1`) says that these
//!   bytes, under their final names, passed verification, names the final
//!   ref as its `resourceUri` and the candidate's provenance file (by its
//!   SHA-256) as its input. `verify --source-tag FINAL` accepts the
//!   candidate's provenance through a trusted one;
//! * a new manifest records the promotion.
//!
//! New files are staged and renamed into place together; the artifacts
//! are renamed after that, and the candidate's outputs that were replaced
//! are removed last.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use apostille_digest::{Algorithm, DigestSet, Engine};
use apostille_formats::layout::MANIFEST_NAME;
use serde_json::{Value, json};

use super::{
    Output, OutputKind, ReleaseError, asc_path, bundle_bytes, jsonl_line, list_name, sha256_hex,
    sign_bytes,
};
use crate::checksums::{self, Listed, Style};
use crate::pgp::SigningKey;
use crate::sigstore::statement::PAYLOAD_TYPE;
use crate::sigstore::{Signer, Subject, statement};

/// The predicate type of a SLSA Verification Summary Attestation.
pub const VSA_PREDICATE: &str = "https://slsa.dev/verification_summary/v1";
/// The verifier a promotion names.
pub const VERIFIER_ID: &str =
    "https://github.com/apostille-dev/apostille/blob/main/docs/promote.md";

/// One artifact of the candidate as the verification read it.
#[derive(Clone, Debug)]
pub struct Verified {
    /// Its name relative to the folder.
    pub name: String,
    /// Bytes read.
    pub size: u64,
    /// The digests computed (SHA-256 at least).
    pub digests: DigestSet,
}

/// What to promote to, and who signs.
pub struct PromoteOptions {
    /// The candidate's version (default: the manifest's).
    pub from: Option<String>,
    /// The final version.
    pub to: String,
    /// The final tag (default: the candidate's tag with the version
    /// replaced).
    pub tag: Option<String>,
    /// Re-signs the lists and SBOMs the candidate signed with OpenPGP.
    pub pgp: Option<SigningKey>,
    /// Signs the promotion statement, the lists' bundles and SBOM
    /// attestations.
    pub signer: Option<Signer>,
    /// `SOURCE_DATE_EPOCH`: the promotion's time.
    pub epoch: Option<i64>,
}

/// What a promotion did.
#[derive(Debug)]
pub struct Promoted {
    /// The candidate's version and the final one.
    pub from: String,
    /// The final version.
    pub to: String,
    /// Artifacts renamed: (candidate name, final name).
    pub renamed: Vec<(String, String)>,
    /// Outputs written.
    pub outputs: Vec<Output>,
    /// Candidate outputs removed (replaced under their final names).
    pub removed: Vec<String>,
}

struct Manifest {
    name: String,
    version: String,
    tag: Option<String>,
    repository: Option<String>,
    doc: Value,
    outputs: Vec<(String, String, Vec<String>)>,
}

fn config(msg: impl Into<String>) -> ReleaseError {
    ReleaseError::Config(msg.into())
}

fn read_manifest(dir: &Path) -> Result<Manifest, ReleaseError> {
    let path = dir.join(MANIFEST_NAME);
    let bytes = std::fs::read(&path).map_err(|e| ReleaseError::Io {
        path: path.clone(),
        message: format!("cannot read the candidate's manifest: {e}"),
    })?;
    let doc: Value = serde_json::from_slice(&bytes).map_err(|e| ReleaseError::Io {
        path: path.clone(),
        message: format!("not a release manifest: {e}"),
    })?;
    let text = |v: &Value| v.as_str().map(str::to_owned);
    let release = &doc["release"];
    let name = text(&release["name"]).ok_or_else(|| ReleaseError::Io {
        path: path.clone(),
        message: "the manifest names no release".into(),
    })?;
    let version = text(&release["version"]).unwrap_or_default();
    let outputs = doc["outputs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| {
            let covers = o["covers"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(&text)
                .collect();
            Some((text(&o["name"])?, text(&o["kind"])?, covers))
        })
        .collect();
    Ok(Manifest {
        name,
        version,
        tag: text(&release["tag"]),
        repository: text(&release["repository"]),
        outputs,
        doc,
    })
}

/// Replaces `from` by `to` in every string value of `v` (not in keys).
fn rewrite(v: &mut Value, from: &str, to: &str) {
    match v {
        Value::String(s) if s.contains(from) => *s = s.replace(from, to),
        Value::Array(a) => a.iter_mut().for_each(|x| rewrite(x, from, to)),
        Value::Object(o) => o.values_mut().for_each(|x| rewrite(x, from, to)),
        _ => {}
    }
}

fn subject(name: &str, d: &DigestSet) -> Result<Subject, ReleaseError> {
    Ok(Subject {
        name: name.to_string(),
        sha256: *d.get(Algorithm::Sha256).ok_or_else(|| {
            config(format!(
                "{name}: no SHA-256 was computed by the verification"
            ))
        })?,
        sha512: d.get(Algorithm::Sha512).copied(),
    })
}

/// Promotes the verified candidate in `dir` (see the module docs).
/// `verified` must name every artifact the candidate's manifest lists,
/// with the digests the manifest records; anything else is refused
/// before a file is touched.
pub fn run(
    engine: &Engine,
    dir: &Path,
    verified: &[Verified],
    mut opts: PromoteOptions,
) -> Result<Promoted, ReleaseError> {
    let m = read_manifest(dir)?;
    let from = opts.from.clone().unwrap_or_else(|| m.version.clone());
    let to = opts.to.clone();
    if from.is_empty() {
        return Err(config(
            "the candidate's manifest records no version: give --from",
        ));
    }
    if from == to || to.contains(&from) {
        return Err(config(format!(
            "--to {to}: the final version must differ from the candidate's {from} and not contain it"
        )));
    }
    let rename = |n: &str| n.replace(&from, &to);

    // Every artifact of the manifest was verified, with the manifest's
    // digests.
    let by_name: BTreeMap<&str, &Verified> =
        verified.iter().map(|v| (v.name.as_str(), v)).collect();
    let mut artifacts = Vec::new();
    for a in m.doc["artifacts"].as_array().into_iter().flatten() {
        let name = a["name"].as_str().unwrap_or_default();
        let v = by_name.get(name).ok_or_else(|| {
            config(format!(
                "{name}: the candidate lists it, but it was not verified"
            ))
        })?;
        for (alg, hex) in a["digests"].as_object().into_iter().flatten() {
            let Some(alg) = Algorithm::from_name(alg) else {
                continue;
            };
            if let (Some(d), Some(hex)) = (v.digests.get(alg), hex.as_str())
                && d.to_hex() != hex
            {
                return Err(config(format!(
                    "{name}: its {} is not the one the candidate's manifest records",
                    alg.name()
                )));
            }
        }
        artifacts.push(*v);
    }
    if artifacts.is_empty() {
        return Err(config("the candidate's manifest lists no artifacts"));
    }
    artifacts.sort_by_key(|a| rename(&a.name));
    let final_names: BTreeSet<String> = artifacts.iter().map(|a| rename(&a.name)).collect();
    if final_names.len() != artifacts.len() {
        return Err(config("two artifacts would have the same final name"));
    }
    super::check_name(&rename(&m.name)).map_err(config)?;
    let is_artifact = |n: &str| by_name.contains_key(n);

    let final_name = rename(&m.name);
    let final_tag = opts.tag.clone().or_else(|| m.tag.as_deref().map(rename));
    let mut pending: Vec<(String, OutputKind, Vec<u8>, Vec<String>)> = Vec::new();
    let mut replaced: Vec<String> = Vec::new();
    let mut renames: Vec<(String, String)> = Vec::new();
    let mut provenance: Vec<(String, String)> = Vec::new();
    let mut sboms: Vec<(String, Vec<u8>, Vec<String>)> = Vec::new();
    let mut sbom_attested = false;
    let listed = |rename: &dyn Fn(&str) -> String| -> Vec<Listed> {
        artifacts
            .iter()
            .map(|a| Listed {
                name: rename(&a.name).into_bytes(),
                digests: a.digests,
            })
            .collect()
    };
    let signed_names: BTreeSet<String> = m
        .outputs
        .iter()
        .filter(|(_, k, c)| k == "signature" && c.len() == 1 && !is_artifact(&c[0]))
        .map(|(_, _, c)| c[0].clone())
        .collect();
    let bundled_names: BTreeSet<String> = m
        .outputs
        .iter()
        .filter(|(_, k, c)| k == "bundle" && c.len() == 1)
        .map(|(_, _, c)| c[0].clone())
        .collect();

    for (name, kind, covers) in &m.outputs {
        match kind.as_str() {
            "signature" if covers.len() == 1 && is_artifact(&covers[0]) => {
                renames.push((name.clone(), rename(name)));
            }
            // Made again with what they sign.
            "signature" | "bundle" | "manifest" => replaced.push(name.clone()),
            "checksum" => {
                let bytes = match covers.as_slice() {
                    [one] if !name.ends_with("SUMS") => {
                        let a = by_name
                            .get(one.as_str())
                            .ok_or_else(|| config(format!("{name}: covers {one}, not verified")))?;
                        let alg = Algorithm::ALL
                            .iter()
                            .copied()
                            .find(|alg| {
                                checksums::sidecar_path(Path::new(one), *alg) == Path::new(name)
                            })
                            .ok_or_else(|| config(format!("{name}: not a sidecar name")))?;
                        let d = a
                            .digests
                            .get(alg)
                            .ok_or_else(|| config(format!("{one}: no {alg} digest verified")))?;
                        let final_one = rename(one);
                        let base = final_one.rsplit('/').next().unwrap_or(&final_one);
                        apostille_digest::checksum::format_gnu(d, base.as_bytes(), false)
                    }
                    _ => {
                        let alg = Algorithm::ALL
                            .iter()
                            .copied()
                            .find(|alg| list_name(*alg) == *name)
                            .ok_or_else(|| config(format!("{name}: not a checksum list name")))?;
                        checksums::render(&listed(&rename), &[alg], Style::Gnu)?
                    }
                };
                let new = rename(name);
                if new != *name {
                    replaced.push(name.clone());
                }
                pending.push((
                    new,
                    OutputKind::Checksum,
                    bytes,
                    covers.iter().map(|c| rename(c)).collect(),
                ));
            }
            "sbom" => {
                let path = dir.join(name);
                let bytes = std::fs::read(&path).map_err(|e| ReleaseError::Io {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
                let mut doc: Value =
                    serde_json::from_slice(&bytes).map_err(|e| ReleaseError::Io {
                        path: path.clone(),
                        message: format!("not a JSON SBOM: {e}"),
                    })?;
                rewrite(&mut doc, &from, &to);
                if let Some(serial) = doc.get("serialNumber").and_then(Value::as_str) {
                    // A new BOM (new names), so a new serial number.
                    let serial = apostille_sbom::cyclonedx::uuid_v5(&format!("{serial}#{to}"));
                    doc["serialNumber"] = json!(format!("urn:uuid:{serial}"));
                }
                let mut out =
                    serde_json::to_vec_pretty(&doc).map_err(|e| config(format!("{name}: {e}")))?;
                out.push(b'\n');
                let new = rename(name);
                if new != *name {
                    replaced.push(name.clone());
                }
                sboms.push((new, out, covers.iter().map(|c| rename(c)).collect()));
            }
            "sbom-attestation" => {
                sbom_attested = true;
                replaced.push(name.clone());
            }
            "provenance" => {
                let path = dir.join(name);
                let bytes = std::fs::read(&path).map_err(|e| ReleaseError::Io {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
                provenance.push((name.clone(), sha256_hex(&bytes)));
            }
            // Notices are an artifact too: renamed with them.
            _ => {}
        }
    }

    // Signed again: the lists and SBOMs the candidate signed.
    let mut made: Vec<(String, OutputKind, Vec<u8>, Vec<String>)> = Vec::new();
    let candidate_name = |new: &str| {
        m.outputs
            .iter()
            .map(|(n, _, _)| n)
            .find(|n| rename(n) == new)
            .cloned()
            .unwrap_or_else(|| new.to_string())
    };
    let mut attestations = Vec::new();
    let mut attested = Vec::new();
    let docs: Vec<_> = pending
        .drain(..)
        .chain(
            sboms
                .into_iter()
                .map(|(n, b, c)| (n, OutputKind::Sbom, b, c)),
        )
        .collect();
    for (name, kind, bytes, covers) in docs {
        let was = candidate_name(&name);
        if signed_names.contains(&was) {
            let key = opts.pgp.as_mut().ok_or_else(|| {
                config(format!(
                    "{was} is signed: give the OpenPGP key (--pgp-key) to sign {name}"
                ))
            })?;
            let sig = sign_bytes(engine, key, &name, &bytes)?;
            made.push((
                asc_path(Path::new(&name)).display().to_string(),
                OutputKind::Signature,
                sig,
                vec![name.clone()],
            ));
        }
        if bundled_names.contains(&was) {
            let signer = opts.signer.as_ref().ok_or_else(|| {
                config(format!(
                    "{was} has a Sigstore bundle: give the Sigstore signer (--sigstore-key) to sign {name}"
                ))
            })?;
            made.push((
                super::bundle_path(Path::new(&name)).display().to_string(),
                OutputKind::Bundle,
                bundle_bytes(signer, &bytes)?,
                vec![name.clone()],
            ));
        }
        if kind == OutputKind::Sbom
            && sbom_attested
            && let Some(signer) = opts.signer.as_ref()
        {
            let predicate: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            let predicate_type = if predicate.get("bomFormat").is_some() {
                super::CYCLONEDX_PREDICATE
            } else {
                super::SPDX_PREDICATE
            };
            let subjects = covers
                .iter()
                .filter_map(|c| {
                    artifacts
                        .iter()
                        .find(|a| rename(&a.name) == *c)
                        .map(|a| subject(c, &a.digests))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let payload = statement(&subjects, predicate_type, &predicate);
            attestations.extend(jsonl_line(
                signer.dsse(PAYLOAD_TYPE, &payload)?.into_bytes(),
            ));
            attested.push(name.clone());
        }
        made.push((name, kind, bytes, covers));
    }
    if sbom_attested && opts.signer.is_none() {
        return Err(config(
            "the candidate's SBOMs are attested: give the Sigstore signer (--sigstore-key)",
        ));
    }
    if !attestations.is_empty() {
        made.push((
            format!("{final_name}.sbom.intoto.jsonl"),
            OutputKind::SbomAttestation,
            attestations,
            attested,
        ));
    }

    // The promotion statement.
    let signer = opts.signer.as_ref().ok_or_else(|| {
        config("the promotion statement is signed with Sigstore: give --sigstore-key")
    })?;
    if provenance.is_empty() {
        return Err(config(
            "the candidate has no build provenance to promote (NAME.intoto.jsonl)",
        ));
    }
    let repository = m
        .repository
        .clone()
        .ok_or_else(|| config("the candidate's manifest records no source repository"))?;
    let final_ref = match &final_tag {
        Some(t) if t.starts_with("refs/") => t.clone(),
        Some(t) => format!("refs/tags/{t}"),
        None => return Err(config("no final tag: give --tag")),
    };
    let time = opts
        .epoch
        .and_then(|e| jiff::Timestamp::from_second(e).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    let predicate = json!({
        "verifier": {
            "id": VERIFIER_ID,
            "version": {"apostille": env!("CARGO_PKG_VERSION")},
        },
        "timeVerified": time.to_string(),
        "resourceUri": format!("{repository}@{final_ref}"),
        "policy": {"uri": format!("{VERIFIER_ID}#policy-every-artifact-verified")},
        "inputAttestations": provenance
            .iter()
            .map(|(n, h)| json!({"uri": n, "digest": {"sha256": h}}))
            .collect::<Vec<_>>(),
        "verificationResult": "PASSED",
        "verifiedLevels": ["SLSA_BUILD_LEVEL_1"],
        "slsaVersion": "1.0",
    });
    let subjects = artifacts
        .iter()
        .map(|a| subject(&rename(&a.name), &a.digests))
        .collect::<Result<Vec<_>, _>>()?;
    let payload = statement(&subjects, VSA_PREDICATE, &predicate);
    made.push((
        format!("{final_name}.promotion.intoto.jsonl"),
        OutputKind::Promotion,
        jsonl_line(signer.dsse(PAYLOAD_TYPE, &payload)?.into_bytes()),
        final_names.iter().cloned().collect(),
    ));

    // Nothing in the way: a final name taken by a file that is neither an
    // artifact nor an output of the candidate is refused.
    let leaving: BTreeSet<&str> = m
        .outputs
        .iter()
        .map(|(n, ..)| n.as_str())
        .chain(artifacts.iter().map(|a| a.name.as_str()))
        .chain(renames.iter().map(|(a, _)| a.as_str()))
        .collect();
    let mut in_way = Vec::new();
    for n in made
        .iter()
        .map(|(n, ..)| n.as_str())
        .chain(final_names.iter().map(String::as_str))
        .chain(renames.iter().map(|(_, b)| b.as_str()))
    {
        let p = dir.join(n);
        if std::fs::symlink_metadata(&p).is_ok() && !leaving.contains(n) {
            in_way.push(p);
        }
    }
    if !in_way.is_empty() {
        return Err(ReleaseError::Exists(in_way));
    }

    // The new manifest.
    let mut doc = m.doc.clone();
    rewrite(&mut doc["release"], &from, &to);
    doc["release"]["version"] = json!(to);
    doc["release"]["name"] = json!(final_name);
    if let Some(t) = &final_tag {
        doc["release"]["tag"] = json!(t);
    }
    if let Some(r) = doc["release"].as_object_mut() {
        r.remove("candidate");
    }
    doc["promotedFrom"] = json!({"version": from, "tag": m.tag, "name": m.name});
    if let Some(list) = doc["artifacts"].as_array_mut() {
        for a in list {
            if let Some(n) = a["name"].as_str() {
                a["name"] = json!(rename(n));
            }
        }
    }
    let mut outputs: Vec<Output> = Vec::new();
    for (n, ..) in &renames {
        let covers = m
            .outputs
            .iter()
            .find(|(x, ..)| x == n)
            .map(|(_, _, c)| c.clone())
            .unwrap_or_default();
        let path = dir.join(n);
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let bytes = std::fs::read(&path).unwrap_or_default();
        outputs.push(Output {
            path: dir.join(rename(n)),
            name: rename(n),
            kind: OutputKind::Signature,
            size,
            sha256: sha256_hex(&bytes),
            covers: covers.iter().map(|c| rename(c)).collect(),
        });
    }
    for (name, sha) in &provenance {
        let path = dir.join(name);
        outputs.push(Output {
            size: std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
            path,
            name: name.clone(),
            kind: OutputKind::Provenance,
            sha256: sha.clone(),
            covers: artifacts.iter().map(|a| a.name.clone()).collect(),
        });
    }
    for (name, kind, bytes, covers) in &made {
        outputs.push(Output {
            path: dir.join(name),
            name: name.clone(),
            kind: *kind,
            size: bytes.len() as u64,
            sha256: sha256_hex(bytes),
            covers: covers.clone(),
        });
    }
    doc["outputs"] = json!(
        outputs
            .iter()
            .map(|o| {
                let mut v = json!({"name": o.name, "kind": o.kind.as_str(), "size": o.size, "sha256": o.sha256});
                if !o.covers.is_empty() {
                    v["covers"] = json!(o.covers);
                }
                v
            })
            .collect::<Vec<_>>()
    );
    doc["created"] = json!(time.to_string());
    let mut manifest = serde_json::to_vec_pretty(&doc).map_err(|e| config(e.to_string()))?;
    manifest.push(b'\n');

    // Write: new files staged and renamed in together, then the artifacts
    // and their signatures renamed, then what was replaced removed.
    let mut staging = crate::atomic::Staging::new(dir)?;
    for (name, _, bytes, _) in &made {
        staging.add(&dir.join(name), bytes)?;
    }
    staging.add(&dir.join(MANIFEST_NAME), &manifest)?;
    staging.commit()?;
    let mut renamed = Vec::new();
    let moves = artifacts
        .iter()
        .map(|a| (a.name.clone(), rename(&a.name)))
        .chain(renames.iter().cloned());
    for (a, b) in moves {
        if a != b {
            std::fs::rename(dir.join(&a), dir.join(&b)).map_err(|e| ReleaseError::Io {
                path: dir.join(&a),
                message: format!("cannot rename to {b}: {e}"),
            })?;
        }
        renamed.push((a, b));
    }
    let written: BTreeSet<&str> = made.iter().map(|(n, ..)| n.as_str()).collect();
    let mut removed = Vec::new();
    for n in replaced {
        if written.contains(n.as_str()) || n == MANIFEST_NAME {
            continue;
        }
        let p = dir.join(&n);
        if std::fs::remove_file(&p).is_ok() {
            removed.push(n);
        }
    }
    outputs.push(Output {
        path: dir.join(MANIFEST_NAME),
        name: MANIFEST_NAME.into(),
        kind: OutputKind::Manifest,
        size: manifest.len() as u64,
        sha256: sha256_hex(&manifest),
        covers: Vec::new(),
    });
    Ok(Promoted {
        from,
        to,
        renamed,
        outputs,
        removed,
    })
}
