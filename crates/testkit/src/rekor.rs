//! The Rekor v1 double: an RFC 6962 Merkle tree over canonicalized entry
//! bodies, inclusion proofs, checkpoints in signed-note form and signed
//! entry timestamps, all under the log's own key.

use crate::http::Response;
use crate::pki::{self, Error, Key};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::Value;

pub struct Rekor {
    pub key: Key,
    /// The hostname part of the checkpoint origin and the note signer name.
    pub name: String,
    tree_id: u64,
    leaves: Vec<[u8; 32]>,
    /// Every entry as created: its UUID, Rekor's answer, and the index
    /// keys (`sha256:HEX`) a search finds it by.
    entries: Vec<(String, Value, Vec<String>)>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn leaf_hash(data: &[u8]) -> [u8; 32] {
    let mut buf = Vec::with_capacity(data.len() + 1);
    buf.push(0);
    buf.extend_from_slice(data);
    pki::sha256(&buf)
}

fn node_hash(l: &[u8; 32], r: &[u8; 32]) -> [u8; 32] {
    let mut buf = [0u8; 65];
    buf[0] = 1;
    buf[1..33].copy_from_slice(l);
    buf[33..].copy_from_slice(r);
    pki::sha256(&buf)
}

/// Largest power of two smaller than `n` (n > 1).
fn split(n: usize) -> usize {
    let mut k = 1;
    while k << 1 < n {
        k <<= 1;
    }
    k
}

/// RFC 6962 §2.1 MTH over leaf hashes.
fn root(leaves: &[[u8; 32]]) -> [u8; 32] {
    match leaves.len() {
        0 => pki::sha256(b""),
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// RFC 6962 §2.1.1 PATH(m, D[n]).
fn path(m: usize, leaves: &[[u8; 32]]) -> Vec<[u8; 32]> {
    let n = leaves.len();
    if n <= 1 {
        return Vec::new();
    }
    let k = split(n);
    if m < k {
        let mut p = path(m, &leaves[..k]);
        p.push(root(&leaves[k..]));
        p
    } else {
        let mut p = path(m - k, &leaves[k..]);
        p.push(root(&leaves[..k]));
        p
    }
}

/// Canonical JSON of a hashedrekord or dsse body: keys sorted, no spaces.
/// Every value is hex or base64 checked by the caller, so no escaping.
fn hashedrekord_body(hash_hex: &str, sig_b64: &str, pem_b64: &str) -> String {
    format!(
        r#"{{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{{"data":{{"hash":{{"algorithm":"sha256","value":"{hash_hex}"}}}},"signature":{{"content":"{sig_b64}","publicKey":{{"content":"{pem_b64}"}}}}}}}}"#
    )
}

fn dsse_body(envelope_hash: &str, payload_hash: &str, sigs: &[(String, String)]) -> String {
    let sigs: Vec<String> = sigs
        .iter()
        .map(|(s, v)| format!(r#"{{"signature":"{s}","verifier":"{v}"}}"#))
        .collect();
    format!(
        r#"{{"apiVersion":"0.0.1","kind":"dsse","spec":{{"envelopeHash":{{"algorithm":"sha256","value":"{envelope_hash}"}},"payloadHash":{{"algorithm":"sha256","value":"{payload_hash}"}},"signatures":[{}]}}}}"#,
        sigs.join(",")
    )
}

/// A certificate or key given base64-of-PEM, re-armoured the way Go writes
/// PEM, as Rekor stores it; returns base64 of that PEM.
fn normalized_pem_b64(b64_pem: &str) -> Result<String, Error> {
    let pem = B64.decode(b64_pem).map_err(|_| "verifier is not base64")?;
    let pem = String::from_utf8(pem).map_err(|_| "verifier is not PEM text")?;
    let der = pki::pem_der(&pem, "CERTIFICATE")?;
    Ok(B64.encode(pki::cert_pem(&der)))
}

/// The digests a created entry is found by: a hashedrekord's artifact
/// hash; a dsse entry's envelope and payload hashes and the SHA-256 of
/// every subject of its in-toto statement.
fn index_keys(body: &[u8]) -> Vec<String> {
    let Ok(req) = serde_json::from_slice::<Value>(body) else {
        return Vec::new();
    };
    let s = |p: &str| req.pointer(p).and_then(Value::as_str);
    let mut keys = Vec::new();
    if let Some(h) = s("/spec/data/hash/value") {
        keys.push(format!("sha256:{}", h.to_ascii_lowercase()));
    }
    if let Some(env_text) = s("/spec/proposedContent/envelope") {
        keys.push(format!("sha256:{}", hex(&pki::sha256(env_text.as_bytes()))));
        let env: Value = serde_json::from_str(env_text).unwrap_or_default();
        let payload = env
            .get("payload")
            .and_then(Value::as_str)
            .and_then(|p| B64.decode(p).ok())
            .unwrap_or_default();
        keys.push(format!("sha256:{}", hex(&pki::sha256(&payload))));
        let statement: Value = serde_json::from_slice(&payload).unwrap_or_default();
        for subject in statement
            .get("subject")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(h) = subject.pointer("/digest/sha256").and_then(Value::as_str) {
                keys.push(format!("sha256:{}", h.to_ascii_lowercase()));
            }
        }
    }
    keys
}

fn b64_checked(s: &str, what: &str) -> Result<Vec<u8>, Error> {
    B64.decode(s).map_err(|_| format!("{what} is not base64"))
}

impl Rekor {
    pub fn new(name: &str) -> Self {
        let id = pki::random::<8>();
        Rekor {
            key: Key::generate(),
            name: name.to_string(),
            tree_id: u64::from_be_bytes(id) >> 1,
            leaves: Vec::new(),
            entries: Vec::new(),
        }
    }

    /// `POST /api/v1/index/retrieve` with `{"hash": "sha256:HEX"}`: the
    /// UUIDs of the entries indexed by that digest (as Rekor indexes a
    /// hashedrekord's artifact digest and a dsse entry's payload, envelope
    /// and in-toto subject digests).
    pub fn search(&self, body: &[u8]) -> Response {
        let req: Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => return Response::error(400, &format!("query is not JSON: {e}")),
        };
        let Some(hash) = req.get("hash").and_then(Value::as_str) else {
            return Response::error(400, "only hash queries are served");
        };
        let want = hash.to_ascii_lowercase();
        let uuids: Vec<&str> = self
            .entries
            .iter()
            .filter(|(_, _, keys)| keys.contains(&want))
            .map(|(u, _, _)| u.as_str())
            .collect();
        Response::json(200, serde_json::json!(uuids).to_string())
    }

    /// `GET /api/v1/log/entries/{uuid}`: the entry as created.
    pub fn entry(&self, uuid: &str) -> Response {
        match self.entries.iter().find(|(u, _, _)| u == uuid) {
            Some((_, answer, _)) => Response::json(200, answer.to_string()),
            None => Response::error(404, "no such entry"),
        }
    }

    /// `POST /api/v1/log/entries`.
    pub fn create_entry(&mut self, body: &[u8], now: u64) -> Response {
        match self.canonical_body(body) {
            Ok(canonical) => {
                let keys = index_keys(body);
                let answer = self.append(canonical.into_bytes(), now);
                if let Some((uuid, _)) = answer.as_object().and_then(|o| o.iter().next()) {
                    self.entries.push((uuid.clone(), answer.clone(), keys));
                }
                Response::json(201, answer.to_string())
            }
            Err(e) => Response::error(400, &e),
        }
    }

    fn canonical_body(&self, body: &[u8]) -> Result<String, Error> {
        let req: Value =
            serde_json::from_slice(body).map_err(|e| format!("entry is not JSON: {e}"))?;
        let s = |p: &str| req.pointer(p).and_then(Value::as_str);
        if s("/apiVersion") != Some("0.0.1") {
            return Err("only apiVersion 0.0.1 is served".into());
        }
        match s("/kind") {
            Some("hashedrekord") => {
                if s("/spec/data/hash/algorithm") != Some("sha256") {
                    return Err("hashedrekord: only sha256".into());
                }
                let hash = s("/spec/data/hash/value").ok_or("hashedrekord: no hash")?;
                if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err("hashedrekord: hash is not 64 hex digits".into());
                }
                let sig = s("/spec/signature/content").ok_or("hashedrekord: no signature")?;
                let sig = B64.encode(b64_checked(sig, "signature")?);
                let key =
                    s("/spec/signature/publicKey/content").ok_or("hashedrekord: no public key")?;
                Ok(hashedrekord_body(
                    &hash.to_ascii_lowercase(),
                    &sig,
                    &normalized_pem_b64(key)?,
                ))
            }
            Some("dsse") => {
                let env_text = s("/spec/proposedContent/envelope")
                    .ok_or("dsse: no proposedContent.envelope")?;
                let verifiers = req
                    .pointer("/spec/proposedContent/verifiers")
                    .and_then(Value::as_array)
                    .ok_or("dsse: no verifiers")?;
                let verifier = verifiers
                    .first()
                    .and_then(Value::as_str)
                    .ok_or("dsse: no verifier")?;
                let verifier = normalized_pem_b64(verifier)?;
                let env: Value =
                    serde_json::from_str(env_text).map_err(|e| format!("dsse: envelope: {e}"))?;
                let payload = env
                    .get("payload")
                    .and_then(Value::as_str)
                    .ok_or("dsse: envelope has no payload")?;
                let payload = b64_checked(payload, "payload")?;
                let sigs = env
                    .get("signatures")
                    .and_then(Value::as_array)
                    .ok_or("dsse: envelope has no signatures")?;
                let mut out = Vec::new();
                for sig in sigs {
                    let sig = sig
                        .get("sig")
                        .and_then(Value::as_str)
                        .ok_or("dsse: signature without sig")?;
                    out.push((B64.encode(b64_checked(sig, "sig")?), verifier.clone()));
                }
                if out.is_empty() {
                    return Err("dsse: envelope has no signatures".into());
                }
                Ok(dsse_body(
                    &hex(&pki::sha256(env_text.as_bytes())),
                    &hex(&pki::sha256(&payload)),
                    &out,
                ))
            }
            _ => Err("only hashedrekord and dsse entries are served".into()),
        }
    }

    fn log_id(&self) -> String {
        hex(&self.key.key_id())
    }

    /// Appends a body; returns Rekor's `{uuid: LogEntry}` answer with an
    /// inclusion proof against the new tree head and a SET.
    fn append(&mut self, body: Vec<u8>, now: u64) -> Value {
        let lh = leaf_hash(&body);
        self.leaves.push(lh);
        let index = self.leaves.len() - 1;
        let size = self.leaves.len();
        let root_hash = root(&self.leaves);
        let proof: Vec<String> = path(index, &self.leaves).iter().map(|h| hex(h)).collect();
        let body_b64 = B64.encode(&body);
        let log_id = self.log_id();
        let set_payload = format!(
            r#"{{"body":"{body_b64}","integratedTime":{now},"logID":"{log_id}","logIndex":{index}}}"#
        );
        let set = B64.encode(self.key.sign(set_payload.as_bytes()));
        let uuid = format!("{:016x}{}", self.tree_id, hex(&lh));
        serde_json::json!({
            uuid: {
                "body": body_b64,
                "integratedTime": now,
                "logID": log_id,
                "logIndex": index,
                "verification": {
                    "inclusionProof": {
                        "checkpoint": self.checkpoint(size, &root_hash),
                        "hashes": proof,
                        "logIndex": index,
                        "rootHash": hex(&root_hash),
                        "treeSize": size,
                    },
                    "signedEntryTimestamp": set,
                }
            }
        })
    }

    /// A checkpoint (origin, size, root) as a signed note; the key hint is
    /// the first four bytes of the log ID, as Sigstore's logs use.
    fn checkpoint(&self, size: usize, root_hash: &[u8; 32]) -> String {
        let note = format!(
            "{} - {}\n{size}\n{}\n",
            self.name,
            self.tree_id,
            B64.encode(root_hash)
        );
        let mut sig = self.key.key_id()[..4].to_vec();
        sig.extend_from_slice(&self.key.sign(note.as_bytes()));
        format!("{note}\n\u{2014} {} {}\n", self.name, B64.encode(sig))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Recomputes the root from a leaf and its proof (RFC 9162 §2.1.3.2).
    fn root_from_proof(
        mut index: usize,
        size: usize,
        leaf: [u8; 32],
        proof: &[[u8; 32]],
    ) -> [u8; 32] {
        let mut last = size - 1;
        let mut h = leaf;
        for p in proof {
            if index % 2 == 1 || index == last {
                h = node_hash(p, &h);
                while index.is_multiple_of(2) && index != 0 {
                    index >>= 1;
                    last >>= 1;
                }
            } else {
                h = node_hash(&h, p);
            }
            index >>= 1;
            last >>= 1;
        }
        h
    }

    #[test]
    fn every_inclusion_proof_leads_to_the_root() {
        for n in 1..20usize {
            let leaves: Vec<[u8; 32]> = (0..n).map(|i| leaf_hash(&[i as u8])).collect();
            let r = root(&leaves);
            for m in 0..n {
                assert_eq!(
                    root_from_proof(m, n, leaves[m], &path(m, &leaves)),
                    r,
                    "n={n} m={m}"
                );
            }
        }
    }
}
