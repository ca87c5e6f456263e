//! Checking checksum files: `sha256sum -c` semantics, failing closed.
//!
//! The exact rules are written down in `docs/verify-checksums.md`; in short:
//!
//! * Every checksum file is parsed in every layout `apostille_digest::checksum`
//!   reads; the algorithm comes from the tag, the file name
//!   (`SHA512SUMS`, `x.sha256`, `B3SUMS`) or the digest length.
//! * Names resolve against the folder of the checksum file (standard input:
//!   the current folder). Absolute names and names with a `..` component are
//!   rejected unless [`CheckOptions::allow_outside`]; names with NUL or
//!   control characters other than an (escaped) newline are always rejected.
//! * Each file named is read once, computing every algorithm any line asks
//!   of it; digests are compared in constant time.
//! * A file whose only matching lines are MD5 or SHA-1 is not verified
//!   unless [`CheckOptions::allow_weak`].

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsStr;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

use apostille_digest::checksum::{self, Malformed, ParseOptions};
use apostille_digest::{Algorithm, AlgorithmSet, Engine, HashError, ReadPlan, ReadResults};

/// Options of a check, mirroring `sha256sum -c` plus the fail-closed ones.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckOptions {
    /// Lines naming a missing file are skipped instead of failing.
    pub ignore_missing: bool,
    /// Improperly formatted lines make the check fail.
    pub strict: bool,
    /// MD5 or SHA-1 alone may verify a file.
    pub allow_weak: bool,
    /// Absolute names and `..` components are allowed.
    pub allow_outside: bool,
    /// Algorithm forced for lines whose layout does not name one.
    pub algorithm: Option<Algorithm>,
}

/// One checksum file to check.
#[derive(Clone, Debug)]
pub struct ChecksumSource {
    /// The file's path as given (`-` for standard input).
    pub path: PathBuf,
    /// Its content.
    pub content: Vec<u8>,
    /// Folder that names in it are relative to.
    pub base_dir: PathBuf,
}

impl ChecksumSource {
    /// Reads a checksum file; names in it resolve against its folder.
    pub fn read(path: &Path) -> Result<ChecksumSource, ReadError> {
        // Never blocking on a FIFO without a writer, and never reading a
        // device: a checksum list is a file.
        let file = apostille_digest::input::open_input(path).map_err(|e| ReadError {
            path: path.to_path_buf(),
            source: e.into_io(),
        })?;
        let content = read_bounded(file, path)?;
        let base_dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Ok(ChecksumSource {
            path: path.to_path_buf(),
            content,
            base_dir,
        })
    }

    /// Checksum lines from standard input; names resolve against the
    /// current folder.
    pub fn stdin() -> Result<ChecksumSource, ReadError> {
        let path = PathBuf::from("-");
        let content = read_bounded(io::stdin(), &path)?;
        Ok(ChecksumSource {
            path,
            content,
            base_dir: PathBuf::from("."),
        })
    }
}

/// Largest checksum file read: far beyond any real one (a million SHA-512
/// lines is about 200 MiB), small enough that a hostile one cannot exhaust
/// memory.
pub const MAX_CHECKSUM_FILE: u64 = 256 << 20;

fn read_bounded(r: impl io::Read, path: &Path) -> Result<Vec<u8>, ReadError> {
    let err = |source| ReadError {
        path: path.to_path_buf(),
        source,
    };
    let mut content = Vec::new();
    io::Read::read_to_end(&mut r.take(MAX_CHECKSUM_FILE + 1), &mut content).map_err(err)?;
    if content.len() as u64 > MAX_CHECKSUM_FILE {
        return Err(err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "larger than {} MiB, not a checksum file",
                MAX_CHECKSUM_FILE >> 20
            ),
        )));
    }
    Ok(content)
}

/// A checksum file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot read checksum file: {source}")]
pub struct ReadError {
    /// The checksum file.
    pub path: PathBuf,
    /// The operating system's reason.
    pub source: io::Error,
}

/// What happened to one checksum line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The digest matches.
    Ok,
    /// The digest matches, but the line is MD5 or SHA-1 and the file has no
    /// strong matching line; it counts as a failure unless weak digests are
    /// allowed.
    WeakOnly,
    /// The digest does not match.
    Failed,
    /// The file could not be opened or read (reason given).
    OpenOrRead(String),
    /// The file does not exist (and `ignore_missing` is not set): found
    /// when the name is resolved, so that a list of millions of absent
    /// files costs no read plan (reason given, as for
    /// [`Verdict::OpenOrRead`]).
    NotFound(String),
    /// The file is missing and `ignore_missing` is set: not reported.
    Missing,
    /// The name was refused before any read (reason given).
    Rejected(String),
}

impl Verdict {
    /// Whether this line makes the check fail.
    pub fn is_failure(&self, allow_weak: bool) -> bool {
        match self {
            Verdict::Ok | Verdict::Missing => false,
            Verdict::WeakOnly => !allow_weak,
            Verdict::Failed
            | Verdict::OpenOrRead(_)
            | Verdict::NotFound(_)
            | Verdict::Rejected(_) => true,
        }
    }
}

/// The outcome of one checksum line.
#[derive(Clone, Debug)]
pub struct LineResult {
    /// The checksum file it came from.
    pub source: PathBuf,
    /// Its line number there.
    pub line: usize,
    /// The name as written (unescaped bytes).
    pub name: Vec<u8>,
    /// The algorithm of the line.
    pub algorithm: Algorithm,
    /// What happened.
    pub verdict: Verdict,
}

/// An improperly formatted line.
#[derive(Clone, Debug)]
pub struct BadLine {
    /// The checksum file.
    pub source: PathBuf,
    /// Line number and reason.
    pub malformed: Malformed,
}

/// The outcome of a whole check.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Every checksum line, in file order.
    pub lines: Vec<LineResult>,
    /// Improperly formatted lines.
    pub bad_lines: Vec<BadLine>,
    /// Checksum files with no properly formatted line at all.
    pub empty_sources: Vec<PathBuf>,
    /// Distinct files read.
    pub files_read: usize,
    /// Whether weak digests were allowed.
    pub allow_weak: bool,
    /// Whether improperly formatted lines fail the check.
    pub strict: bool,
    /// Whether missing files were ignored.
    pub ignore_missing: bool,
}

impl Report {
    /// Lines whose digest did not match.
    pub fn mismatched(&self) -> usize {
        self.count(|v| *v == Verdict::Failed)
    }

    /// Lines whose file could not be read.
    pub fn unreadable(&self) -> usize {
        self.count(|v| matches!(v, Verdict::OpenOrRead(_) | Verdict::NotFound(_)))
    }

    /// Lines whose name was refused.
    pub fn rejected(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Rejected(_)))
    }

    /// Lines that matched only with a weak algorithm.
    pub fn weak_only(&self) -> usize {
        self.count(|v| *v == Verdict::WeakOnly)
    }

    /// Lines that verified a file.
    pub fn verified(&self) -> usize {
        self.count(|v| *v == Verdict::Ok || (*v == Verdict::WeakOnly && self.allow_weak))
    }

    fn count(&self, f: impl Fn(&Verdict) -> bool) -> usize {
        self.lines.iter().filter(|l| f(&l.verdict)).count()
    }

    /// Whether the check as a whole passed: every line good, no empty
    /// checksum file, no bad line under `strict`, and with `ignore_missing`
    /// at least one file verified.
    pub fn passed(&self) -> bool {
        let lines_ok = self
            .lines
            .iter()
            .all(|l| !l.verdict.is_failure(self.allow_weak));
        let bad_lines_fail = self.strict && !self.bad_lines.is_empty();
        let nothing_verified = self.ignore_missing && self.verified() == 0;
        lines_ok && self.empty_sources.is_empty() && !bad_lines_fail && !nothing_verified
    }
}

/// Checks every line of every source, reading each named file once.
pub fn check(engine: &Engine, sources: &[ChecksumSource], opts: &CheckOptions) -> Report {
    let plan = CheckPlan::new(sources, opts);
    let mut reads = ReadPlan::new();
    plan.request(&mut reads);
    plan.conclude(&reads.run(engine))
}

/// A check split in two, so that its reads share the one [`ReadPlan`] of
/// the run with other checks (an OpenPGP signature over the same file,
/// say): [`CheckPlan::request`] asks the plan for each file with the
/// algorithms its lines need; once the plan has run,
/// [`CheckPlan::conclude`] judges every line from the results.
#[derive(Debug)]
pub struct CheckPlan {
    report: Report,
    /// (line result index, resolved path, algorithm and expected digest)
    /// for every line to read; the name stays in the line's result only.
    pending: Vec<(usize, PathBuf, Expected)>,
    /// Each file to read once, with the union of its lines' algorithms.
    wanted: BTreeMap<PathBuf, AlgorithmSet>,
}

impl CheckPlan {
    /// Parses every source and resolves every name.
    pub fn new(sources: &[ChecksumSource], opts: &CheckOptions) -> CheckPlan {
        let mut report = Report {
            allow_weak: opts.allow_weak,
            strict: opts.strict,
            ignore_missing: opts.ignore_missing,
            ..Report::default()
        };
        let mut pending: Vec<(usize, PathBuf, Expected)> = Vec::new();
        for src in sources {
            let file_name = src.path.file_name().map(OsStr::as_bytes).unwrap_or(b"");
            let parse_opts = ParseOptions {
                algorithm: opts
                    .algorithm
                    .or_else(|| checksum::algorithm_hint_from_file_name(file_name)),
                bare_name: checksum::sidecar_subject(file_name),
            };
            let parsed = checksum::parse(&src.content, &parse_opts);
            report
                .bad_lines
                .extend(parsed.malformed.into_iter().map(|malformed| BadLine {
                    source: src.path.clone(),
                    malformed,
                }));
            if parsed.entries.is_empty() {
                report.empty_sources.push(src.path.clone());
                continue;
            }
            // The folder itself, symbolic links resolved: a listed name
            // must stay inside it after its own links are followed too.
            let inside = (!opts.allow_outside)
                .then(|| {
                    let base = if src.base_dir.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        &src.base_dir
                    };
                    std::fs::canonicalize(base).ok()
                })
                .flatten();
            for entry in parsed.entries {
                let idx = report.lines.len();
                let verdict = match resolve(
                    &src.base_dir,
                    inside.as_deref(),
                    &entry.name,
                    opts.allow_outside,
                ) {
                    Ok(Resolved::Absent(path, source)) if opts.ignore_missing => {
                        drop((path, source));
                        Verdict::Missing
                    }
                    Ok(Resolved::Absent(path, source)) => {
                        Verdict::NotFound(HashError::Open { path, source }.to_string())
                    }
                    Ok(Resolved::Path(path)) => {
                        pending.push((
                            idx,
                            path,
                            Expected {
                                algorithm: entry.algorithm,
                                digest: entry.expected,
                            },
                        ));
                        Verdict::Ok // replaced by conclude
                    }
                    Err(reason) => Verdict::Rejected(reason),
                };
                report.lines.push(LineResult {
                    source: src.path.clone(),
                    line: entry.line,
                    name: entry.name,
                    algorithm: entry.algorithm,
                    verdict,
                });
            }
        }
        let mut wanted: BTreeMap<PathBuf, AlgorithmSet> = BTreeMap::new();
        for (_, path, entry) in &pending {
            wanted
                .entry(path.clone())
                .or_default()
                .insert(entry.algorithm);
        }
        CheckPlan {
            report,
            pending,
            wanted,
        }
    }

    /// The files to read, each once, with the algorithms its lines need.
    pub fn files(&self) -> impl Iterator<Item = (&Path, AlgorithmSet)> {
        self.wanted.iter().map(|(p, a)| (p.as_path(), *a))
    }

    /// Asks `plan` for every file a line names, with that file's
    /// algorithms.
    pub fn request(&self, plan: &mut ReadPlan) {
        self.request_only(plan, |_| true);
    }

    /// [`CheckPlan::request`] for the files `keep` accepts; lines about
    /// the others conclude as not read.
    pub fn request_only(&self, plan: &mut ReadPlan, keep: impl Fn(&Path) -> bool) {
        for (p, algs) in self.files() {
            if keep(p) {
                plan.want(p, algs, Vec::new());
            }
        }
    }

    /// The report, from the plan's results (a path without a result counts
    /// as not read).
    pub fn conclude(self, results: &ReadResults) -> Report {
        let CheckPlan {
            mut report,
            pending,
            wanted,
        } = self;
        report.files_read = wanted.keys().filter(|p| results.get(p).is_some()).count();
        for (idx, path, entry) in &pending {
            let verdict = match results.get(path) {
                Some(Ok(hashed)) => match hashed.digests.get(entry.algorithm) {
                    Some(d) if d.ct_eq(&entry.digest) => Verdict::Ok,
                    _ => Verdict::Failed,
                },
                Some(Err(HashError::Open { source, .. }))
                    if report.ignore_missing && source.kind() == io::ErrorKind::NotFound =>
                {
                    Verdict::Missing
                }
                Some(Err(e)) => Verdict::OpenOrRead(e.to_string()),
                None => Verdict::OpenOrRead("not read".to_owned()),
            };
            report.lines[*idx].verdict = verdict;
        }
        mark_weak_only(&mut report, &pending);
        report
    }
}

/// What one line expects of its file.
#[derive(Clone, Copy, Debug)]
struct Expected {
    algorithm: Algorithm,
    digest: apostille_digest::Digest,
}

/// A weak line that matched counts only if the same file also has a strong
/// matching line.
fn mark_weak_only(report: &mut Report, pending: &[(usize, PathBuf, Expected)]) {
    let mut strong_ok: HashMap<&PathBuf, bool> = HashMap::new();
    for (idx, path, entry) in pending {
        let ok = report.lines[*idx].verdict == Verdict::Ok && !entry.algorithm.is_weak();
        *strong_ok.entry(path).or_default() |= ok;
    }
    for (idx, path, entry) in pending {
        let line = &mut report.lines[*idx];
        if entry.algorithm.is_weak()
            && line.verdict == Verdict::Ok
            && !strong_ok.get(path).copied().unwrap_or(false)
        {
            line.verdict = Verdict::WeakOnly;
        }
    }
}

/// The longest name a line may give: Linux's `PATH_MAX`. Longer ones are
/// refused unread, and shown cut to this length.
pub const MAX_NAME: usize = 4096;

/// Resolves a listed name against `base`, refusing names that could point
/// elsewhere or fool a terminal.
fn resolve(
    base: &Path,
    inside: Option<&Path>,
    name: &[u8],
    allow_outside: bool,
) -> Result<Resolved, String> {
    if name.is_empty() {
        return Err("empty name".to_owned());
    }
    if name.len() > MAX_NAME {
        return Err(format!(
            "a name of {} bytes, longer than any path ({MAX_NAME})",
            name.len()
        ));
    }
    if let Some(c) = checksum::forbidden_control_character(name) {
        return Err(format!("name contains control character 0x{c:02x}"));
    }
    let rel = Path::new(OsStr::from_bytes(name));
    if !allow_outside {
        if rel.is_absolute() {
            return Err("absolute path (use --allow-outside to accept)".to_owned());
        }
        if rel.components().any(|c| c == Component::ParentDir) {
            return Err("path contains `..` (use --allow-outside to accept)".to_owned());
        }
    }
    let path = base.join(rel);
    // What the name reaches once symbolic links are followed: a link out of
    // the folder is refused as `..` is, and a device (`/dev/zero`) or a
    // socket is not read at all; a FIFO is read (a writer is waited on for a
    // while, never forever). A name that reaches nothing is left to be
    // reported missing.
    match std::fs::metadata(&path) {
        Ok(meta) if !meta.is_dir() => {
            if let Some(kind) = apostille_digest::input::refused_kind(&meta) {
                return Err(format!("not a regular file ({kind})"));
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Resolved::Absent(path, e));
        }
        _ => {}
    }
    if let Some(inside) = inside
        && let Ok(real) = std::fs::canonicalize(&path)
        && !real.starts_with(inside)
    {
        return Err(
            "a symbolic link leads out of the folder (use --allow-outside to accept)".to_owned(),
        );
    }
    Ok(Resolved::Path(path))
}

/// What a listed name reaches.
#[derive(Debug)]
enum Resolved {
    /// A path to read.
    Path(PathBuf),
    /// Nothing: the path does not exist.
    Absent(PathBuf, io::Error),
}

/// Renders a name for `-c` output: names with a backslash, newline or
/// carriage return are escaped (`\\`, `\n`, `\r`) and the line gets a
/// leading `\`, as coreutils does for newlines and b3sum for backslashes;
/// any other control byte (in a refused name) is shown as `\xHH`, so that a
/// hostile name never reaches the terminal raw.
pub fn display_name(name: &[u8]) -> (bool, Vec<u8>) {
    if name.len() > MAX_NAME {
        let (escaped, mut shown) = display_name(&name[..MAX_NAME]);
        shown.extend_from_slice("…".as_bytes());
        return (escaped, shown);
    }
    if checksum::forbidden_control_character(name).is_none() {
        return if checksum::needs_escape(name) {
            (true, checksum::escape_name(name))
        } else {
            (false, name.to_vec())
        };
    }
    let mut out = Vec::with_capacity(name.len() + 8);
    for &b in name {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b if b < 0x20 || b == 0x7f => out.extend_from_slice(format!("\\x{b:02x}").as_bytes()),
            _ => out.push(b),
        }
    }
    (true, out)
}

/// The stdout line for one result, as `sha256sum -c` prints it
/// (`name: OK`, `name: FAILED`, `name: FAILED open or read`), with the
/// fail-closed additions (`name: FAILED (reason)`, `name: WEAK …`).
/// `None` for results that print nothing (`Missing`).
pub fn render_line(line: &LineResult, allow_weak: bool) -> Option<Vec<u8>> {
    let status: String = match &line.verdict {
        Verdict::Ok => "OK".into(),
        Verdict::WeakOnly if allow_weak => format!("OK ({} only, weak)", line.algorithm),
        Verdict::WeakOnly => format!(
            "FAILED (only {} matched, a weak digest; --allow-weak accepts it)",
            line.algorithm
        ),
        Verdict::Failed => "FAILED".into(),
        Verdict::OpenOrRead(_) | Verdict::NotFound(_) => "FAILED open or read".into(),
        Verdict::Missing => return None,
        Verdict::Rejected(reason) => format!("FAILED ({reason})"),
    };
    let (escaped, name) = display_name(&line.name);
    let mut out = Vec::new();
    if escaped {
        out.push(b'\\');
    }
    out.extend_from_slice(&name);
    out.extend_from_slice(b": ");
    out.extend_from_slice(status.as_bytes());
    out.push(b'\n');
    Some(out)
}

/// The closing warnings, worded as coreutils words them.
pub fn summary_warnings(report: &Report) -> Vec<String> {
    fn plural(n: usize, one: &str, many: &str) -> String {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    }
    let mut w = Vec::new();
    if !report.bad_lines.is_empty() {
        w.push(format!(
            "WARNING: {} improperly formatted",
            plural(report.bad_lines.len(), "line is", "lines are")
        ));
    }
    if report.unreadable() > 0 {
        w.push(format!(
            "WARNING: {} could not be read",
            plural(report.unreadable(), "listed file", "listed files")
        ));
    }
    if report.mismatched() > 0 {
        w.push(format!(
            "WARNING: {} did NOT match",
            plural(
                report.mismatched(),
                "computed checksum",
                "computed checksums"
            )
        ));
    }
    if report.rejected() > 0 {
        w.push(format!(
            "WARNING: {} refused (unsafe name)",
            plural(report.rejected(), "line was", "lines were")
        ));
    }
    if report.weak_only() > 0 && !report.allow_weak {
        w.push(format!(
            "WARNING: {} only by MD5 or SHA-1, which is not enough",
            plural(report.weak_only(), "file is covered", "files are covered")
        ));
    }
    for s in &report.empty_sources {
        w.push(format!(
            "{}: no properly formatted checksum lines found",
            s.display()
        ));
    }
    if report.ignore_missing && report.verified() == 0 && report.empty_sources.is_empty() {
        w.push("no file was verified".to_owned());
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use apostille_digest::EngineConfig;

    fn engine() -> Engine {
        Engine::new(EngineConfig::default()).expect("engine")
    }

    fn source(dir: &Path, content: &str) -> ChecksumSource {
        ChecksumSource {
            path: dir.join("SUMS"),
            content: content.as_bytes().to_vec(),
            base_dir: dir.to_path_buf(),
        }
    }

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const EMPTY_MD5: &str = "d41d8cd98f00b204e9800998ecf8427e";

    #[test]
    fn ok_failed_missing_rejected() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("e"), b"").expect("write");
        let text = format!(
            "{EMPTY_SHA256}  e\n{}  e\n{EMPTY_SHA256}  gone\n{EMPTY_SHA256}  ../e\n{EMPTY_SHA256}  /etc/passwd\nnot a line\n",
            EMPTY_SHA256.replace('e', "f")
        );
        let r = check(
            &engine(),
            &[source(dir.path(), &text)],
            &CheckOptions::default(),
        );
        let v: Vec<_> = r.lines.iter().map(|l| l.verdict.clone()).collect();
        assert_eq!(v[0], Verdict::Ok);
        assert_eq!(v[1], Verdict::Failed);
        assert!(
            matches!(&v[2], Verdict::NotFound(m) if m.contains("gone: cannot open")),
            "{:?}",
            v[2]
        );
        assert!(matches!(v[3], Verdict::Rejected(_)));
        assert!(matches!(v[4], Verdict::Rejected(_)));
        assert_eq!(r.bad_lines.len(), 1);
        assert_eq!(
            r.files_read, 1,
            "e is read once for two lines; gone is found absent, never read"
        );
        assert!(!r.passed());
    }

    #[test]
    fn weak_alone_is_not_enough() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("e"), b"").expect("write");
        let src = source(dir.path(), &format!("{EMPTY_MD5}  e\n"));
        let r = check(
            &engine(),
            std::slice::from_ref(&src),
            &CheckOptions::default(),
        );
        assert_eq!(r.lines[0].verdict, Verdict::WeakOnly);
        assert!(!r.passed());
        let opts = CheckOptions {
            allow_weak: true,
            ..CheckOptions::default()
        };
        assert!(check(&engine(), std::slice::from_ref(&src), &opts).passed());
        let both = source(dir.path(), &format!("{EMPTY_MD5}  e\n{EMPTY_SHA256}  e\n"));
        let r = check(&engine(), &[both], &CheckOptions::default());
        assert!(r.passed(), "{r:?}");
    }

    #[test]
    fn ignore_missing_needs_one_verified_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let opts = CheckOptions {
            ignore_missing: true,
            ..CheckOptions::default()
        };
        let r = check(
            &engine(),
            &[source(dir.path(), &format!("{EMPTY_SHA256}  gone\n"))],
            &opts,
        );
        assert_eq!(r.lines[0].verdict, Verdict::Missing);
        assert!(!r.passed());
        assert!(summary_warnings(&r).contains(&"no file was verified".to_owned()));
    }

    #[test]
    fn control_characters_rejected_newline_escaped() {
        assert!(resolve(Path::new("."), None, b"a\x1b[2Jb", false).is_err());
        assert!(resolve(Path::new("."), None, b"a\0b", false).is_err());
        assert!(resolve(Path::new("."), None, b"a\nb", false).is_ok());
    }

    #[test]
    fn symlinks_out_of_the_folder_and_devices_are_refused() {
        let top = tempfile::tempdir().expect("tempdir");
        let dir = top.path().join("release");
        std::fs::create_dir(&dir).expect("mkdir");
        std::fs::write(top.path().join("outside"), b"").expect("write");
        std::os::unix::fs::symlink("../outside", dir.join("link.txt")).expect("symlink");
        std::os::unix::fs::symlink("..", dir.join("up")).expect("symlink");
        std::os::unix::fs::symlink("/dev/zero", dir.join("zero")).expect("symlink");
        std::fs::write(dir.join("in.txt"), b"").expect("write");
        std::os::unix::fs::symlink("in.txt", dir.join("ok-link")).expect("symlink");
        let inside = std::fs::canonicalize(&dir).expect("canonical");
        let r = |name: &[u8]| resolve(&dir, Some(&inside), name, false);
        for escape in [&b"link.txt"[..], b"up/outside"] {
            let e = r(escape).expect_err("escape");
            assert!(e.contains("symbolic link leads out of the folder"), "{e}");
        }
        assert_eq!(
            r(b"zero").expect_err("device"),
            "not a regular file (a character device)"
        );
        assert!(r(b"ok-link").is_ok() && r(b"in.txt").is_ok() && r(b"absent").is_ok());
        assert_eq!(display_name(b"a\nb\\c"), (true, b"a\\nb\\\\c".to_vec()));
        assert_eq!(display_name(b"e\x1b[2J"), (true, b"e\\x1b[2J".to_vec()));
    }
}
