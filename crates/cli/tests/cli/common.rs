//! Helpers shared by the test modules: running `apostille` and its peers,
//! awkward file names, expected output lines.

use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

/// A plain release artifact name.
pub const PLAIN: &[u8] = b"plain-1.0.tar.gz";
/// A name with spaces.
pub const SPACE: &[u8] = b"with space 1.0.tar.gz";
/// A name with a newline (coreutils writes it escaped, `\n`).
pub const NEWLINE: &[u8] = b"new\nline.txt";
/// A name with a backslash (coreutils writes it escaped, `\\`).
pub const BACKSLASH: &[u8] = b"back\\slash.txt";
/// A name with a carriage return (coreutils 9.1 writes it escaped, `\r`).
pub const CR: &[u8] = b"carriage\rreturn.txt";
/// A name that is not UTF-8 (Latin-1 `é` and a stray 0xff).
pub const NON_UTF8: &[u8] = b"caf\xe9 \xff.bin";
/// A name in a sub-folder (with a space in the folder's name).
pub const NESTED: &[u8] = b"sub dir/inner file.txt";
/// A name longer than 38 bytes: `gpg --print-md` puts the digest on the
/// next line.
pub const LONG: &[u8] = b"a-rather-long-release-artifact-name-1.2.3-source.tar.gz";

/// The bytes of a path as an `OsStr`.
pub fn os(name: &[u8]) -> &OsStr {
    OsStr::from_bytes(name)
}

/// Content that differs per name, so that two swapped names would be
/// noticed.
pub fn contents(name: &[u8]) -> Vec<u8> {
    let mut v = b"contents of ".to_vec();
    v.extend_from_slice(name);
    v.extend_from_slice(b"\n\x00\x01\xfe\xff binary tail\n");
    v
}

/// Creates `dir/name` (and its parent folders) holding [`contents`].
pub fn create(dir: &Path, name: &[u8]) -> PathBuf {
    let path = dir.join(os(name));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, contents(name)).unwrap();
    path
}

/// Creates every name under `dir`.
pub fn populate(dir: &Path, names: &[&[u8]]) {
    for n in names {
        create(dir, n);
    }
}

/// A fresh folder `dist` inside a fresh temporary folder; the temporary
/// folder is the first element (keep it alive).
pub fn temp_with_dist() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dist = tmp.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    (tmp, dist)
}

/// The order in which a folder walk lists `names`: byte order (the names
/// used here share no prefix with a folder name, so byte order of the whole
/// path is the walk's depth-first, per-folder byte order).
pub fn walk_order<'a>(names: &[&'a [u8]]) -> Vec<&'a [u8]> {
    let mut v = names.to_vec();
    v.sort();
    v
}

/// The `apostille` binary, with standard input closed.
pub fn apostille() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_apostille"));
    // No trusted root refreshed by `trust update` on this machine changes a
    // verdict: tests see the embedded roots unless they set their own cache.
    c.env("LC_ALL", "C")
        .env("APOSTILLE_CACHE_DIR", "/nonexistent/apostille-test-cache")
        .stdin(Stdio::null());
    c
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths)
            .any(|dir| std::fs::metadata(dir.join(program)).is_ok_and(|m| m.is_file()))
    })
}

fn install_hint(program: &str) -> &'static str {
    match program {
        "b3sum" => "the `b3sum` package (or `cargo install b3sum`)",
        "rhash" => "the `rhash` package",
        "gpg" => "GnuPG (the `gpg` or `gnupg` package)",
        "openssl" => "the `openssl` package",
        "tar" => "GNU tar (the `tar` package)",
        "cargo" => "the Rust toolchain (cargo, with rustup or the `cargo` package)",
        _ => "GNU coreutils",
    }
}

/// A peer tool, with the C locale and standard input closed. Panics with a
/// message naming what to install when the tool is not on `PATH`: a missing
/// peer must fail the test, never let it pass.
pub fn peer(program: &str) -> Command {
    assert!(
        on_path(program),
        "peer `{program}` is not installed (not found on PATH): install {} to run this test",
        install_hint(program)
    );
    let mut c = Command::new(program);
    c.env("LC_ALL", "C").stdin(Stdio::null());
    c
}

/// `gpg` with its home in `home` (an empty folder), so that the tests never
/// touch the user's keyrings.
pub fn gpg(home: &Path) -> Command {
    let mut c = peer("gpg");
    c.env("GNUPGHOME", home).args(["--batch", "--no-tty"]);
    c
}

/// What a finished process did.
pub struct Run {
    pub what: String,
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Runs `cmd` to its end, capturing both output streams.
pub fn run(cmd: &mut Command) -> Run {
    run_with_stdin(cmd, None)
}

/// Runs `cmd` with `input` on its standard input.
pub fn run_stdin(cmd: &mut Command, input: &[u8]) -> Run {
    run_with_stdin(cmd, Some(input))
}

fn run_with_stdin(cmd: &mut Command, input: Option<&[u8]>) -> Run {
    let what = format!("{cmd:?}");
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    if input.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let writer = input.map(|data| {
        let mut stdin = child.stdin.take().unwrap();
        let data = data.to_vec();
        // A thread, so that a child writing much output before it reads
        // its input cannot deadlock the test.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&data);
        })
    });
    let out = child.wait_with_output().unwrap();
    if let Some(w) = writer {
        w.join().unwrap();
    }
    Run {
        what,
        status: out.status,
        stdout: out.stdout,
        stderr: out.stderr,
    }
}

impl Run {
    /// Both streams, printable, for assertion messages.
    pub fn streams(&self) -> String {
        format!(
            "{}\n--- status: {}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.what,
            self.status,
            self.stdout.escape_ascii(),
            self.stderr.escape_ascii()
        )
    }

    /// The exit code; a death by signal fails the test.
    pub fn code(&self) -> i32 {
        self.status
            .code()
            .unwrap_or_else(|| panic!("killed by a signal\n{}", self.streams()))
    }

    /// Asserts the exit code.
    pub fn code_is(&self, code: i32) -> &Self {
        assert_eq!(self.code(), code, "exit status\n{}", self.streams());
        self
    }

    /// Asserts a zero exit code and returns standard output.
    pub fn ok_stdout(&self) -> Vec<u8> {
        self.code_is(0);
        self.stdout.clone()
    }

    /// Asserts standard output, byte for byte.
    pub fn stdout_is(&self, expected: &[u8]) -> &Self {
        assert!(
            self.stdout == expected,
            "stdout differs\n--- expected stdout:\n{}\n{}",
            expected.escape_ascii(),
            self.streams()
        );
        self
    }

    /// Asserts standard error, byte for byte.
    pub fn stderr_is(&self, expected: &[u8]) -> &Self {
        assert!(
            self.stderr == expected,
            "stderr differs\n--- expected stderr:\n{}\n{}",
            expected.escape_ascii(),
            self.streams()
        );
        self
    }

    /// Asserts that standard error holds `needle`.
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            contains(&self.stderr, needle.as_bytes()),
            "stderr lacks {needle:?}\n{}",
            self.streams()
        );
        self
    }

    /// Asserts that standard output holds `needle`.
    pub fn stdout_has(&self, needle: &[u8]) -> &Self {
        assert!(
            contains(&self.stdout, needle),
            "stdout lacks {}\n{}",
            needle.escape_ascii(),
            self.streams()
        );
        self
    }
}

/// Whether `haystack` holds `needle`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// How many times `needle` occurs in `haystack` (non-overlapping).
pub fn count(haystack: &[u8], needle: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i + needle.len() <= haystack.len() {
        if &haystack[i..i + needle.len()] == needle {
            n += 1;
            i += needle.len();
        } else {
            i += 1;
        }
    }
    n
}

/// Runs a peer in `dir` over `names` (plus `args` before them) and returns
/// its standard output, failing the test if the peer fails.
pub fn peer_output(program: &str, args: &[&str], dir: &Path, names: &[&[u8]]) -> Vec<u8> {
    run(peer(program)
        .args(args)
        .args(names.iter().map(|n| os(n)))
        .current_dir(dir))
    .ok_stdout()
}

/// A name as `apostille verify checksums` prints it (docs/verify-checksums.md):
/// a name holding a backslash, newline or carriage return gets a leading `\`
/// and those bytes escaped as `\\`, `\n`, `\r`.
pub fn shown(name: &[u8]) -> Vec<u8> {
    if !name.iter().any(|&b| matches!(b, b'\\' | b'\n' | b'\r')) {
        return name.to_vec();
    }
    let mut out = vec![b'\\'];
    for &b in name {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            other => out.push(other),
        }
    }
    out
}

/// The verify output `name: STATUS\n` for each name, in order.
pub fn lines(names: &[&[u8]], status: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for n in names {
        out.extend_from_slice(&shown(n));
        out.extend_from_slice(b": ");
        out.extend_from_slice(status.as_bytes());
        out.push(b'\n');
    }
    out
}

/// The verify output `name: STATUS\n` for one name.
pub fn line(name: &[u8], status: &str) -> Vec<u8> {
    lines(&[name], status)
}

/// The folder of the shared, read-only test vectors.
pub fn vectors_dir() -> PathBuf {
    apostille_testkit::material::vectors_root()
}

/// `rel` under the vectors when present; absent, a failure under CI, else
/// a recorded skip (`apostille_testkit::material::vectors`).
pub fn vectors(rel: &str) -> Option<PathBuf> {
    apostille_testkit::material::vectors(rel)
}

/// Creates a FIFO with `mkfifo`.
pub fn mkfifo(path: &Path) {
    run(peer("mkfifo").arg(path)).code_is(0);
}

/// Writes `data` into the FIFO at `path` once a reader has opened it. Gives up after 20 s without
/// a reader, so a test whose reader never comes fails instead of hanging.
/// Returns whether the data was written.
#[cfg(target_os = "linux")]
pub fn feed_fifo(path: PathBuf, data: Vec<u8>) -> std::thread::JoinHandle<bool> {
    use std::os::unix::fs::OpenOptionsExt;
    // Linux values (the same on every Linux architecture Rust supports
    // except alpha/mips/sparc, which these tests do not run on).
    const O_NONBLOCK: i32 = 0o4000;
    const ENXIO: i32 = 6;
    std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            // Opening the write end without blocking fails with ENXIO
            // until a reader has the FIFO open.
            match std::fs::OpenOptions::new()
                .write(true)
                .custom_flags(O_NONBLOCK)
                .open(&path)
            {
                Ok(probe) => {
                    // A reader is there: a blocking open returns at once,
                    // and a blocking write may exceed the pipe buffer.
                    let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&path) else {
                        return false;
                    };
                    drop(probe);
                    return f.write_all(&data).is_ok();
                }
                Err(e) if e.raw_os_error() == Some(ENXIO) => {
                    if std::time::Instant::now() > deadline {
                        return false;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                Err(e) => panic!("{}: cannot open FIFO for writing: {e}", path.display()),
            }
        }
    })
}

/// A judge (an independent checker: `pyspdxtools`, `sigstore`, …) from
/// the venv `make judges` creates in target/judges, or from
/// `$APOSTILLE_JUDGES`. Missing: a failure under CI, a printed skip (None)
/// otherwise.
pub fn judge(tool: &str) -> Option<PathBuf> {
    let venv = std::env::var_os("APOSTILLE_JUDGES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/judges"));
    let exe = venv.join("bin").join(tool);
    if exe.is_file() {
        return Some(exe);
    }
    apostille_testkit::material::missing(
        "judge",
        &format!("judge `{tool}` not found at {}", exe.display()),
        "run `make judges` (scripts/judges.sh installs PyPI spdx-tools, \
         ntia-conformance-checker and sigstore into target/judges) or set APOSTILLE_JUDGES to such a venv",
    );
    None
}

/// Writes what a verifier and a signer need of a Sigstore test instance
/// into `dir`: `trusted_root.json`, `trust_config.json` (sigstore-python's
/// `--trust-config`), `signing_config.json` and
/// `signing_config_no_tsa.json`.
pub fn write_sigstore_files(sigstore: &apostille_testkit::TestInstance, dir: &Path) {
    for (name, text) in [
        ("trusted_root.json", sigstore.trusted_root_json()),
        ("trust_config.json", sigstore.client_trust_config_json()),
        ("signing_config.json", sigstore.signing_config_json()),
        (
            "signing_config_no_tsa.json",
            sigstore.signing_config_without_tsa_json(),
        ),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// A keyless signer for `token` (written to `dir/token`), with the signing
/// config `dir/signing_config` that [`write_sigstore_files`] wrote.
pub fn keyless_signer(
    dir: &Path,
    token: &str,
    signing_config: &str,
) -> apostille_sign::keyless::KeylessSigner {
    std::fs::write(dir.join("token"), format!("{token}\n")).unwrap();
    apostille_sign::keyless::KeylessOptions {
        identity_token: Some(dir.join("token")),
        signing_config: Some(dir.join(signing_config)),
        ..Default::default()
    }
    .signer()
    .unwrap()
}

/// sigstore-python (`exe`, from [`judge`]) verifying `bundle` for
/// `artifact` offline with the trust config [`write_sigstore_files`] wrote
/// into `dir`, for `identity` issued by `issuer`: whether it accepts, and
/// what it printed.
pub fn sigstore_python_verify(
    exe: &Path,
    dir: &Path,
    issuer: &str,
    bundle: &Path,
    artifact: &Path,
    identity: &str,
) -> (bool, String) {
    let out = Command::new(exe)
        .arg("--trust-config")
        .arg(dir.join("trust_config.json"))
        .args(["verify", "identity", "--offline", "--bundle"])
        .arg(bundle)
        .args(["--cert-identity", identity])
        .args(["--cert-oidc-issuer", issuer])
        .arg(artifact)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}
