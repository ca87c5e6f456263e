//! A real registry for tests and benchmarks: Debian's `docker-registry`
//! (the distribution registry 2.8) on a free loopback port, with its own
//! configuration and storage in a temporary directory, stopped on drop.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `docker-registry serve` on `127.0.0.1:<port>`.
#[derive(Debug)]
pub struct LocalRegistry {
    child: Child,
    host: String,
    dir: tempfile::TempDir,
}

/// The registry binary: `$APOSTILLE_DOCKER_REGISTRY`, else `docker-registry`
/// on `PATH`.
pub fn registry_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("APOSTILLE_DOCKER_REGISTRY") {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("docker-registry"))
            .find(|p| p.is_file())
    })
}

impl LocalRegistry {
    /// Starts a registry, or explains why it cannot. `htpasswd`, when
    /// given, is a `user:bcrypt-hash` line and turns on basic auth.
    pub fn start(htpasswd: Option<&str>) -> Result<Self, String> {
        let binary = registry_binary()
            .ok_or("docker-registry is not installed (Debian package docker-registry; `make setup` installs it)")?;
        let mut last = String::new();
        for _ in 0..3 {
            match Self::try_start(&binary, htpasswd) {
                Ok(r) => return Ok(r),
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    /// For tests: a registry, or `None` with the reason printed when
    /// `docker-registry` is missing on a developer machine. In CI
    /// (`CI` set) a missing registry panics, so it can never pass silently.
    pub fn start_or_skip(htpasswd: Option<&str>) -> Option<Self> {
        match Self::start(htpasswd) {
            Ok(r) => Some(r),
            Err(reason) if registry_binary().is_none() && std::env::var_os("CI").is_none() => {
                eprintln!("SKIPPED: {reason}");
                None
            }
            Err(reason) => panic!("cannot start the test registry: {reason}"),
        }
    }

    fn try_start(binary: &Path, htpasswd: Option<&str>) -> Result<Self, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let host = format!("127.0.0.1:{port}");
        let storage = dir.path().join("storage");
        let mut config = format!(
            "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n\
             storage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\n\
             http:\n  addr: {host}\n  secret: apostille-test-only\n",
            storage.display()
        );
        if let Some(line) = htpasswd {
            let path = dir.path().join("htpasswd");
            std::fs::write(&path, format!("{line}\n")).map_err(|e| e.to_string())?;
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: apostille-test\n    path: {}\n",
                path.display()
            ));
        }
        let config_path = dir.path().join("config.yml");
        std::fs::write(&config_path, config).map_err(|e| e.to_string())?;
        let log =
            std::fs::File::create(dir.path().join("registry.log")).map_err(|e| e.to_string())?;
        let log2 = log.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(binary)
            .arg("serve")
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2)
            .spawn()
            .map_err(|e| format!("{}: {e}", binary.display()))?;
        let mut registry = Self { child, host, dir };
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = registry.child.try_wait() {
                return Err(format!(
                    "docker-registry exited ({status}): {}",
                    registry.log()
                ));
            }
            if registry.ping() {
                return Ok(registry);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(format!(
            "docker-registry did not answer on {} within 15 s: {}",
            registry.host,
            registry.log()
        ))
    }

    /// `GET /v2/` answers 200 (or 401 with auth on).
    fn ping(&self) -> bool {
        let Ok(mut s) = TcpStream::connect(&self.host) else {
            return false;
        };
        let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
        let req = format!(
            "GET /v2/ HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.host
        );
        if s.write_all(req.as_bytes()).is_err() {
            return false;
        }
        let mut buf = [0u8; 32];
        let n = s.read(&mut buf).unwrap_or(0);
        let head = String::from_utf8_lossy(&buf[..n]);
        head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.1 401")
    }

    /// `127.0.0.1:<port>`.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The registry's own log so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("registry.log")).unwrap_or_default()
    }

    /// The storage directory (tests that corrupt content write here).
    pub fn storage(&self) -> PathBuf {
        self.dir.path().join("storage")
    }
}

impl Drop for LocalRegistry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
