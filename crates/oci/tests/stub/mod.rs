//! A tiny in-memory OCI registry on std's TcpListener, for what a real
//! registry will not do on demand: answer 500, hang, send a manifest that
//! is not what was asked for, speak the OCI 1.1 referrers API (Debian's
//! distribution 2.8 has none), or demand a bearer token. One thread per
//! connection, `Connection: close` on every answer.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sha2::{Digest as _, Sha256};

/// A request as the stub saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

/// An answer; `hang` makes the stub never answer.
#[derive(Debug, Clone, Default)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub hang: bool,
    /// Send only this many bytes of the body (with the full
    /// Content-Length), then stall or hang up.
    pub cut: Option<(usize, Cut)>,
}

/// What the stub does after the bytes of a cut body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Keeps the connection open and sends nothing more.
    Stall,
    /// Closes the connection.
    HangUp,
}

impl Response {
    pub fn status(status: u16) -> Self {
        Self {
            status,
            ..Self::default()
        }
    }
    pub fn json(status: u16, body: &[u8]) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_vec(),
            hang: false,
            cut: None,
        }
    }
    pub fn hang() -> Self {
        Self {
            hang: true,
            ..Self::default()
        }
    }
    pub fn cut(mut self, after: usize, how: Cut) -> Self {
        self.cut = Some((after, how));
        self
    }
    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.into(), v.into()));
        self
    }
}

type Fault = dyn Fn(&Request) -> Option<Response> + Send + Sync;

#[derive(Default)]
struct Store {
    blobs: HashMap<String, Vec<u8>>,
    /// repository-less: reference (tag or digest) → (media type, bytes)
    manifests: HashMap<String, (String, Vec<u8>)>,
    /// subject digest → referrer descriptors
    referrers: HashMap<String, Vec<serde_json::Value>>,
    uploads: usize,
    log: Vec<String>,
}

pub struct Options {
    /// Serve `/v2/<name>/referrers/<digest>` (else 404, as distribution 2.8).
    pub referrers_api: bool,
    /// Demand `Authorization: Bearer <token>`; tokens are handed out at
    /// `/token` to `Basic` credentials `user:pass`.
    pub bearer: Option<(String, String)>,
}

pub struct Stub {
    pub host: String,
    store: Arc<Mutex<Store>>,
}

pub fn sha256(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

impl Stub {
    pub fn start(
        options: Options,
        fault: impl Fn(&Request) -> Option<Response> + Send + Sync + 'static,
    ) -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let host = listener.local_addr().unwrap().to_string();
        let store = Arc::new(Mutex::new(Store::default()));
        let fault: Arc<Fault> = Arc::new(fault);
        let options = Arc::new(options);
        let (s, h) = (store.clone(), host.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let (s, f, o, h) = (s.clone(), fault.clone(), options.clone(), h.clone());
                std::thread::spawn(move || serve(conn, &s, &*f, &o, &h));
            }
        });
        Stub { host, store }
    }

    /// Requests seen, as "METHOD path".
    pub fn log(&self) -> Vec<String> {
        self.store.lock().unwrap().log.clone()
    }

    /// Puts a manifest under a reference directly.
    pub fn put_manifest(&self, reference: &str, media_type: &str, bytes: &[u8]) {
        self.store
            .lock()
            .unwrap()
            .manifests
            .insert(reference.into(), (media_type.into(), bytes.to_vec()));
    }

    pub fn put_blob(&self, bytes: &[u8]) -> String {
        let d = sha256(bytes);
        self.store
            .lock()
            .unwrap()
            .blobs
            .insert(d.clone(), bytes.to_vec());
        d
    }
}

fn serve(mut conn: TcpStream, store: &Mutex<Store>, fault: &Fault, options: &Options, host: &str) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(req) = read_request(&conn) else {
        return;
    };
    store
        .lock()
        .unwrap()
        .log
        .push(format!("{} {}", req.method, req.path));
    let resp = fault(&req).unwrap_or_else(|| handle(&req, store, options, host));
    if resp.hang {
        std::thread::sleep(Duration::from_secs(30));
        return;
    }
    let mut head = format!(
        "HTTP/1.1 {} X\r\nConnection: close\r\nContent-Length: {}\r\n",
        resp.status,
        resp.body.len()
    );
    for (k, v) in &resp.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = conn.write_all(head.as_bytes());
    if req.method != "HEAD" {
        match resp.cut {
            None => {
                let _ = conn.write_all(&resp.body);
            }
            Some((n, how)) => {
                let _ = conn.write_all(&resp.body[..n.min(resp.body.len())]);
                let _ = conn.flush();
                if how == Cut::Stall {
                    std::thread::sleep(Duration::from_secs(30));
                }
                let _ = conn.shutdown(std::net::Shutdown::Both);
            }
        }
    }
}

fn read_request(conn: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(conn);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let (path, query) = target
        .split_once('?')
        .map_or((target.clone(), String::new()), |(p, q)| {
            (p.into(), q.into())
        });
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        path,
        query,
        headers,
        body,
    })
}

fn query_param<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
}

fn handle(req: &Request, store: &Mutex<Store>, options: &Options, host: &str) -> Response {
    use base64::Engine as _;
    if let Some((user, pass)) = &options.bearer {
        if req.path == "/token" {
            let want = format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
            );
            return if req.headers.get("authorization") == Some(&want) {
                Response::json(200, br#"{"token":"stub-token","expires_in":300}"#)
            } else {
                Response::json(401, br#"{"details":"bad credentials"}"#)
            };
        }
        if req.headers.get("authorization").map(String::as_str) != Some("Bearer stub-token") {
            return Response::json(
                401,
                br#"{"errors":[{"code":"UNAUTHORIZED","message":"token required"}]}"#,
            )
            .header(
                "WWW-Authenticate",
                &format!("Bearer realm=\"http://{host}/token\",service=\"stub\""),
            );
        }
    }
    if req.path == "/v2/" {
        return Response::json(200, b"{}");
    }
    let Some(rest) = req.path.strip_prefix("/v2/") else {
        return Response::status(404);
    };
    let mut st = store.lock().unwrap();
    if let Some((_, tail)) = rest.split_once("/blobs/uploads/") {
        if req.method == "POST" {
            st.uploads += 1;
            let name = rest.split("/blobs/uploads/").next().unwrap_or("");
            return Response::status(202).header(
                "Location",
                &format!("/v2/{name}/blobs/uploads/u{}", st.uploads),
            );
        }
        if req.method == "PUT" {
            let digest = query_param(&req.query, "digest")
                .unwrap_or("")
                .replace("%3A", ":");
            if sha256(&req.body) != digest {
                return Response::json(
                    400,
                    br#"{"errors":[{"code":"DIGEST_INVALID","message":"digest"}]}"#,
                );
            }
            st.blobs.insert(digest.clone(), req.body.clone());
            let _ = tail;
            return Response::status(201).header("Location", &format!("/v2/x/blobs/{digest}"));
        }
    }
    if let Some((_, digest)) = rest.split_once("/blobs/") {
        return match st.blobs.get(digest) {
            Some(b) => Response::json(200, b).header("Docker-Content-Digest", digest),
            None => Response::json(
                404,
                br#"{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]}"#,
            ),
        };
    }
    if let Some((_, digest)) = rest.split_once("/referrers/") {
        if !options.referrers_api {
            return Response::status(404);
        }
        let manifests = st.referrers.get(digest).cloned().unwrap_or_default();
        let index = serde_json::json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests});
        return Response::json(200, &serde_json::to_vec(&index).unwrap())
            .header("Content-Type", "application/vnd.oci.image.index.v1+json");
    }
    if let Some((name, reference)) = rest.split_once("/manifests/") {
        match req.method.as_str() {
            "GET" | "HEAD" => {
                return match st.manifests.get(reference) {
                    Some((mt, bytes)) => Response {
                        status: 200,
                        headers: vec![
                            ("Content-Type".into(), mt.clone()),
                            ("Docker-Content-Digest".into(), sha256(bytes)),
                        ],
                        body: bytes.clone(),
                        hang: false,
                        cut: None,
                    },
                    None => Response::json(
                        404,
                        br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#,
                    ),
                };
            }
            "PUT" => {
                let digest = sha256(&req.body);
                if reference.starts_with("sha256:") && reference != digest {
                    return Response::json(
                        400,
                        br#"{"errors":[{"code":"DIGEST_INVALID","message":"digest"}]}"#,
                    );
                }
                let mt = req.headers.get("content-type").cloned().unwrap_or_default();
                st.manifests
                    .insert(reference.to_owned(), (mt.clone(), req.body.clone()));
                st.manifests
                    .insert(digest.clone(), (mt.clone(), req.body.clone()));
                let mut resp = Response::status(201)
                    .header("Location", &format!("/v2/{name}/manifests/{digest}"))
                    .header("Docker-Content-Digest", &digest);
                if options.referrers_api {
                    let v: serde_json::Value =
                        serde_json::from_slice(&req.body).unwrap_or_default();
                    if let Some(subject) = v.pointer("/subject/digest").and_then(|d| d.as_str()) {
                        let mut entry = serde_json::json!({"mediaType": mt, "digest": digest, "size": req.body.len()});
                        if let Some(at) = v.get("artifactType") {
                            entry["artifactType"] = at.clone();
                        }
                        st.referrers
                            .entry(subject.to_owned())
                            .or_default()
                            .push(entry);
                        resp = resp.header("OCI-Subject", subject);
                    }
                }
                return resp;
            }
            "DELETE" => {
                st.manifests.remove(reference);
                for list in st.referrers.values_mut() {
                    list.retain(|e| e["digest"] != reference);
                }
                return Response::status(202);
            }
            _ => {}
        }
    }
    Response::status(404)
}
