//! Hostile faults: see the module list in `hostile/mod.rs`.
//!
//! What the world does to a command while it runs: SIGKILL at spread
//! points of its run (no visible output may ever be partial, and the next
//! run cleans up and succeeds), an artifact truncated, grown or rewritten
//! while it is read (never a good verdict, never a panic or a signal), an
//! output folder that is a file, and a file system that fills up.

use super::*;
use crate::common::contains;
use crate::pgp::Signer;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// SOURCE_DATE_EPOCH of every run here: the outputs are deterministic.
const EPOCH: &str = "1700000000";

/// `apostille ARGS` in `dir`, with a fixed SOURCE_DATE_EPOCH.
fn cmd(dir: &Path, args: &[&str]) -> Command {
    let mut c = apostille();
    c.current_dir(dir)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(args);
    c
}

/// Writes `size` bytes of a fast repeating pattern (which differs per MiB,
/// so that a block moved elsewhere would change the digest) to `path`.
fn pattern_file(path: &Path, size: u64, seed: u8) {
    use std::io::Write;
    let mut block: Vec<u8> = (0..1u32 << 20)
        .map(|i| (i as u8) ^ ((i >> 8) as u8) ^ seed)
        .collect();
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut left = size;
    let mut n = 0u8;
    while left > 0 {
        block[0] = n;
        n = n.wrapping_add(1);
        let k = left.min(block.len() as u64) as usize;
        f.write_all(&block[..k]).unwrap();
        left -= k as u64;
    }
    f.flush().unwrap();
}

/// Every path under `dir` (recursive, hidden ones too) with its size, or
/// `None` for a folder: what a failing command must leave as it was.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<u64>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            if m.is_dir() {
                out.insert(p.clone(), None);
                todo.push(p);
            } else {
                out.insert(p, Some(m.len()));
            }
        }
    }
    out
}

/// The visible regular files of `dir` that are not in `artifacts`, with
/// their bytes.
fn outputs(dir: &Path, artifacts: &[String]) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for name in entries(dir) {
        if name.starts_with('.') || artifacts.contains(&name) {
            continue;
        }
        let p = dir.join(&name);
        if std::fs::symlink_metadata(&p).unwrap().is_file() {
            out.insert(name, std::fs::read(&p).unwrap());
        }
    }
    out
}

/// One command of the SIGKILL case.
struct KillCase {
    label: &'static str,
    /// The folder the command runs in.
    cwd: PathBuf,
    args: Vec<String>,
    /// Where its outputs appear.
    out_dir: PathBuf,
    /// Entries of `out_dir` that are inputs, not outputs.
    inputs: Vec<String>,
    /// For `.asc` outputs (not deterministic): the signer whose GnuPG home
    /// checks them, and the folder of the signed files.
    signer: Option<(Signer, PathBuf)>,
}

impl KillCase {
    fn command(&self) -> Command {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        cmd(&self.cwd, &args)
    }

    /// Asserts that the output `name` holding `bytes` is the reference
    /// output of that name: the same bytes, or for a signature one that
    /// gpg finds good over its file.
    fn same(&self, name: &str, bytes: &[u8], reference: &BTreeMap<String, Vec<u8>>) {
        let Some(want) = reference.get(name) else {
            panic!(
                "{}: visible {name:?} is not an output of a complete run",
                self.label
            );
        };
        if let (Some((signer, dir)), Some(file)) = (&self.signer, name.strip_suffix(".asc")) {
            let asc = self.out_dir.join(name);
            let g = crate::common::run(
                crate::common::gpg(signer.home.path())
                    .args(["--status-fd", "1", "--verify"])
                    .arg(&asc)
                    .arg(dir.join(file)),
            );
            assert!(
                g.status.success()
                    && contains(&g.stdout, b"[GNUPG:] GOODSIG")
                    && contains(&g.stdout, b"[GNUPG:] VALIDSIG"),
                "{}: {name} is not a good signature ({} bytes):\n{}\n{}",
                self.label,
                bytes.len(),
                bytes.escape_ascii(),
                g.streams()
            );
            return;
        }
        assert!(
            bytes == want.as_slice(),
            "{}: {name} differs from the complete run's ({} bytes, want {}):\n{}",
            self.label,
            bytes.len(),
            want.len(),
            bytes.escape_ascii()
        );
    }

    fn run(&self) {
        // The reference: a complete run, its outputs and its duration.
        let start = Instant::now();
        let r = bounded_cmd(&mut self.command());
        let t = start.elapsed();
        clean(&r).code_is(0);
        let reference = outputs(&self.out_dir, &self.inputs);
        assert!(!reference.is_empty(), "{}: no outputs", self.label);
        for name in reference.keys() {
            std::fs::remove_file(self.out_dir.join(name)).unwrap();
        }
        // SIGKILL at six spread points of the run.
        let mut checked: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        for i in 1..=6u32 {
            let mut c = self.command();
            let (mut child, what) = spawn_limited(&mut c);
            drop(child.stdout.take());
            drop(child.stderr.take());
            std::thread::sleep(t * i / 7);
            child.kill().unwrap_or_else(|e| panic!("kill {what}: {e}"));
            child.wait().unwrap();
            let seen = outputs(&self.out_dir, &self.inputs);
            let hidden: Vec<String> = entries(&self.out_dir)
                .into_iter()
                .filter(|n| n.starts_with('.'))
                .collect();
            eprintln!(
                "{}: killed at {:?} of {t:?}: {} visible outputs, hidden {hidden:?}",
                self.label,
                t * i / 7,
                seen.len()
            );
            for (name, bytes) in seen {
                if checked.get(&name) == Some(&bytes) {
                    continue;
                }
                self.same(&name, &bytes, &reference);
                checked.insert(name, bytes);
            }
        }
        // SIGKILL in the write phase: as soon as a temporary file or
        // staging folder of ours appears in the output folder.
        let mut caught = 0;
        for _ in 0..3 {
            let mut c = self.command();
            let (mut child, what) = spawn_limited(&mut c);
            drop(child.stdout.take());
            drop(child.stderr.take());
            let start = Instant::now();
            let mut hit = false;
            while child.try_wait().unwrap().is_none() && start.elapsed() < TIME_LIMIT {
                if entries(&self.out_dir)
                    .iter()
                    .any(|n| n.starts_with(".apostille-"))
                {
                    hit = true;
                    break;
                }
                std::thread::yield_now();
            }
            child.kill().unwrap_or_else(|e| panic!("kill {what}: {e}"));
            child.wait().unwrap();
            caught += usize::from(hit);
            let hidden: Vec<String> = entries(&self.out_dir)
                .into_iter()
                .filter(|n| n.starts_with('.'))
                .collect();
            eprintln!("{}: killed while writing, hidden {hidden:?}", self.label);
            for (name, bytes) in outputs(&self.out_dir, &self.inputs) {
                if checked.get(&name) == Some(&bytes) {
                    continue;
                }
                self.same(&name, &bytes, &reference);
                checked.insert(name, bytes);
            }
        }
        eprintln!(
            "{}: killed in the write phase {caught} of 3 times",
            self.label
        );
        // What the kills left is cleaned up by the next complete run.
        let r = bounded_cmd(&mut self.command());
        clean(&r).code_is(0);
        let after = outputs(&self.out_dir, &self.inputs);
        assert_eq!(
            after.keys().collect::<Vec<_>>(),
            reference.keys().collect::<Vec<_>>(),
            "{}: outputs after the kills",
            self.label
        );
        for (name, bytes) in &after {
            self.same(name, bytes, &reference);
        }
        let left: Vec<String> = entries(&self.out_dir)
            .into_iter()
            .filter(|n| n.starts_with(".apostille"))
            .collect();
        assert!(
            left.is_empty(),
            "{}: left after a complete run: {left:?}",
            self.label
        );
    }
}

/// A folder `dist` of three artifacts (`MiB` MiB in all, about).
fn kill_fixture(mib: u64) -> (tempfile::TempDir, PathBuf, Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    let dist = tmp.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    let mut names = Vec::new();
    for (i, part) in [4u64, 2, 1].into_iter().enumerate() {
        let name = format!("demo-1.0-part{i}.tar.gz");
        pattern_file(&dist.join(&name), (mib << 20) * part / 7, i as u8);
        names.push(name);
    }
    (tmp, dist, names)
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn sigkill_at_any_point_leaves_no_partial_visible_output() {
    // release: sidecars, list, SBOM and manifest, staged and renamed.
    let (tmp, dist, names) = kill_fixture(112);
    KillCase {
        label: "release",
        cwd: tmp.path().to_path_buf(),
        args: strings(&["release", "--force", "--name", "demo", "dist"]),
        out_dir: dist,
        inputs: names,
        signer: None,
    }
    .run();

    // checksums -o: one list file.
    let (tmp, _dist, _names) = kill_fixture(112);
    KillCase {
        label: "checksums -o",
        cwd: tmp.path().to_path_buf(),
        args: strings(&["checksums", "-a", "sha512", "-o", "SHA512SUMS", "dist"]),
        out_dir: tmp.path().to_path_buf(),
        inputs: vec!["dist".into()],
        signer: None,
    }
    .run();

    // sign pgp: one .asc per artifact, from a protected key.
    let (tmp, dist, names) = kill_fixture(96);
    let signer = Signer::new("faults@example.org", "ed25519", "never", "20240101T000000!");
    let keys = tempfile::tempdir().unwrap();
    let key = keys.path().join("release.sec.asc");
    std::fs::write(&key, signer.export_secret("correct horse")).unwrap();
    let pass = keys.path().join("passphrase");
    std::fs::write(&pass, "correct horse\n").unwrap();
    let mut args = strings(&["sign", "pgp", "--force", "--key"]);
    args.push(key.to_str().unwrap().into());
    args.push("--passphrase-file".into());
    args.push(pass.to_str().unwrap().into());
    args.extend(names.iter().map(|n| format!("dist/{n}")));
    KillCase {
        label: "sign pgp",
        cwd: tmp.path().to_path_buf(),
        args,
        out_dir: dist.clone(),
        inputs: names,
        signer: Some((signer, dist)),
    }
    .run();

    // sbom artifacts -o: one SBOM file.
    let (tmp, _dist, _names) = kill_fixture(112);
    KillCase {
        label: "sbom artifacts -o",
        cwd: tmp.path().to_path_buf(),
        args: strings(&["sbom", "artifacts", "-o", "out.spdx.json", "dist"]),
        out_dir: tmp.path().to_path_buf(),
        inputs: vec!["dist".into()],
        signer: None,
    }
    .run();
}

/// What is done to the artifact while it is read.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mutation {
    Truncate,
    Append,
    Rewrite,
}

/// Whether process `pid` has `file` open or mapped.
fn has_open(pid: u32, file: &Path) -> bool {
    if let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) {
        for fd in fds.flatten() {
            if std::fs::read_link(fd.path()).is_ok_and(|l| l == file) {
                return true;
            }
        }
    }
    std::fs::read_to_string(format!("/proc/{pid}/maps"))
        .is_ok_and(|m| m.contains(file.to_str().unwrap()))
}

fn mutate(file: &Path, how: Mutation, size: u64) {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::File::options().write(true).open(file).unwrap();
    match how {
        Mutation::Truncate => f.set_len(size / 2).unwrap(),
        Mutation::Append => {
            f.seek(SeekFrom::End(0)).unwrap();
            f.write_all(&[0x5a; 1 << 16]).unwrap();
        }
        Mutation::Rewrite => {
            // Same size, other bytes, from the end backwards so that the
            // part not yet read changes first.
            let chunk = vec![0xa5u8; 8 << 20];
            let mut off = size;
            while off > 0 {
                let k = off.min(chunk.len() as u64);
                off -= k;
                f.seek(SeekFrom::Start(off)).unwrap();
                f.write_all(&chunk[..k as usize]).unwrap();
            }
        }
    }
}

/// Runs `args` in `dir` and does `how` to `file` (of `size` bytes) as soon
/// as the command has it open; `None` when the command had already ended
/// or closed the file by then (inconclusive).
fn run_mutating(dir: &Path, args: &[&str], file: &Path, size: u64, how: Mutation) -> Option<Run> {
    let file = file.canonicalize().unwrap();
    let (mut child, what) = spawn_limited(&mut cmd(dir, args));
    let pid = child.id();
    let start = Instant::now();
    let mut mutated = false;
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if has_open(pid, &file) {
            // A little into the read, not at its very start.
            std::thread::sleep(Duration::from_millis(30));
            let still = child.try_wait().unwrap().is_none() && has_open(pid, &file);
            if still {
                mutate(&file, how, size);
                mutated = true;
            }
            break;
        }
        if start.elapsed() > TIME_LIMIT {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let run = finish(child, what);
    mutated.then_some(run)
}

/// Makes the big artifact afresh.
fn big(dir: &Path, size: u64) -> PathBuf {
    let p = dir.join("big-1.0.tar.gz");
    pattern_file(&p, size, 7);
    p
}

/// One command over an artifact changed while it is read, for each
/// mutation: truncate and append are never a success, nothing is a panic or
/// a death by signal, and the streams stay clean.
fn changed_while_read(label: &str, args: &[&str], prepare: &dyn Fn(&Path, &Path)) {
    const SIZE: u64 = 300 << 20;
    for how in [Mutation::Truncate, Mutation::Append, Mutation::Rewrite] {
        let mut run = None;
        for _attempt in 0..3 {
            let tmp = tempfile::tempdir().unwrap();
            let dist = tmp.path().join("dist");
            std::fs::create_dir(&dist).unwrap();
            let file = big(&dist, SIZE);
            prepare(tmp.path(), &file);
            let before = tree(&dist);
            if let Some(r) = run_mutating(tmp.path(), args, &file, SIZE, how) {
                run = Some((r, tmp, before));
                break;
            }
        }
        let Some((r, tmp, before)) = run else {
            panic!("{label} {how:?}: the command never had the file open when it was changed");
        };
        let code = r
            .status
            .code()
            .unwrap_or_else(|| panic!("{label} {how:?}: killed by a signal\n{}", r.streams()));
        clean(&r);
        eprintln!("{label} {how:?}: exit {code}: {}", r.streams());
        assert_ne!(code, 101, "{label} {how:?}: panicked\n{}", r.streams());
        if how == Mutation::Rewrite {
            continue;
        }
        assert!(
            code == 1 || code == 2,
            "{label} {how:?}: exit {code} over a file changed while read\n{}",
            r.streams()
        );
        let all = [r.stdout.as_slice(), r.stderr.as_slice()].concat();
        assert!(
            contains(&all, b"big-1.0.tar.gz"),
            "{label} {how:?}: the file is not named\n{}",
            r.streams()
        );
        if label == "release" {
            // A failed release puts nothing in place.
            let now: Vec<_> = tree(&tmp.path().join("dist"))
                .into_keys()
                .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
                .collect();
            let was: Vec<_> = before.into_keys().collect();
            assert_eq!(now, was, "{label} {how:?}: outputs\n{}", r.streams());
        }
    }
}

#[test]
fn hash_of_a_file_changed_while_mapped() {
    changed_while_read("hash", &["hash", "dist/big-1.0.tar.gz"], &|_, _| {});
}

#[test]
fn hash_of_a_file_changed_while_streamed() {
    changed_while_read(
        "--no-mmap hash",
        &["--no-mmap", "hash", "dist/big-1.0.tar.gz"],
        &|_, _| {},
    );
}

#[test]
fn verify_checksums_of_a_file_changed_while_read() {
    changed_while_read(
        "verify checksums",
        &["verify", "checksums", "dist/SHA256SUMS"],
        &|dir, _| {
            let r = bounded(
                dir,
                [
                    "checksums",
                    "-a",
                    "sha256",
                    "-o",
                    "dist/SHA256SUMS",
                    "dist/big-1.0.tar.gz",
                ],
            );
            r.code_is(0);
        },
    );
}

#[test]
fn release_of_a_file_changed_while_read() {
    changed_while_read(
        "release",
        &["release", "--force", "--name", "big", "dist"],
        &|_, _| {},
    );
}

#[test]
fn an_output_folder_that_is_a_file_is_refused() {
    let (tmp, dist) = crate::common::temp_with_dist();
    std::fs::write(dist.join("demo-1.0.tar.gz"), b"demo").unwrap();
    std::fs::write(tmp.path().join("FILE"), b"not a folder\n").unwrap();
    let cases: [(&[&str], &str); 4] = [
        (&["release", "--out", "FILE", "dist"], "FILE"),
        // The list's folder must hold the artifacts: refused before any
        // write, naming the folder.
        (&["checksums", "-o", "FILE/x", "dist"], "FILE"),
        (
            &["checksums", "--output-dir", "FILE", "-a", "sha256", "dist"],
            "FILE",
        ),
        (
            &["sbom", "artifacts", "-o", "FILE/x.json", "dist"],
            "FILE/x.json",
        ),
    ];
    for (args, named) in cases {
        let before = tree(tmp.path());
        let mut c = cmd(tmp.path(), args);
        let r = bounded_cmd(&mut c);
        refused(&r, 2, &[named]);
        assert_eq!(tree(tmp.path()), before, "{}", r.streams());
        assert_eq!(
            std::fs::read(tmp.path().join("FILE")).unwrap(),
            b"not a folder\n"
        );
    }
}

/// A tmpfs mounted on a fresh folder, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let umount = |lazy: bool| {
            let mut c = Command::new("umount");
            if lazy {
                c.arg("-l");
            }
            c.arg(self.dir.path())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        if !umount(false) {
            umount(true);
        }
    }
}

/// Fills the file system of `dir` with `dir/filler` until it is full.
fn fill(dir: &Path) {
    use std::io::Write;
    let mut f = std::fs::File::create(dir.join("filler")).unwrap();
    let chunk = [0u8; 4096];
    loop {
        if let Err(e) = f.write_all(&chunk) {
            assert_eq!(e.raw_os_error(), Some(libc::ENOSPC), "{e}");
            break;
        }
    }
    let _ = f.sync_all();
}

/// Nothing but `keep` is visible in `dir`, and nothing of ours is hidden.
fn nothing_but(dir: &Path, keep: &[&str], r: &Run) {
    let names = entries(dir);
    assert_eq!(names, keep, "{}", r.streams());
}

#[test]
fn a_full_disk_is_an_error_naming_the_file_and_leaves_nothing() {
    let Some(fs) = Tmpfs::mount("1m") else {
        eprintln!("skipped: cannot mount tmpfs");
        return;
    };
    let (tmp, dist) = crate::common::temp_with_dist();
    // 400 artifacts: their sidecars alone take a page each of tmpfs, more
    // than its 1 MiB.
    for i in 0..400 {
        std::fs::write(
            dist.join(format!("demo-1.0-{i:03}.tar.gz")),
            format!("{i}\n"),
        )
        .unwrap();
    }
    let out = fs.path().to_str().unwrap().to_owned();
    let r = bounded_cmd(&mut cmd(
        tmp.path(),
        &["release", "--name", "demo", "--out", &out, "dist"],
    ));
    assert!(
        matches!(r.code(), 1 | 2),
        "release onto a full disk\n{}",
        r.streams()
    );
    refused(
        &r,
        r.code(),
        &[".tar.gz.sha512: cannot write: No space left on device"],
    );
    nothing_but(fs.path(), &[], &r);

    // The list file on a disk already full, beside its artifacts.
    let art = fs.path().join("art");
    std::fs::create_dir(&art).unwrap();
    for i in 0..3 {
        std::fs::write(art.join(format!("demo-1.0-{i}.tar.gz")), format!("{i}\n")).unwrap();
    }
    fill(fs.path());
    let r = bounded_cmd(&mut cmd(
        fs.path(),
        &["checksums", "-o", "SHA512SUMS", "art"],
    ));
    assert!(
        matches!(r.code(), 1 | 2),
        "checksums onto a full disk\n{}",
        r.streams()
    );
    refused(&r, r.code(), &["No space left on device", "SHA512SUMS"]);
    nothing_but(fs.path(), &["art", "filler"], &r);
    assert_eq!(entries(&art).len(), 3, "{}", r.streams());

    // And the release again, onto the full disk.
    let r = bounded_cmd(&mut cmd(
        tmp.path(),
        &["release", "--name", "demo", "--out", &out, "dist"],
    ));
    assert!(
        matches!(r.code(), 1 | 2),
        "release onto a full disk\n{}",
        r.streams()
    );
    refused(&r, r.code(), &["No space left on device"]);
    nothing_but(fs.path(), &["art", "filler"], &r);
}

/// Once said twice, with the path of our temporary file: WriteError showed
/// its source in its message and gave it as its source too.
#[test]
fn a_full_disk_error_says_the_reason_once() {
    let Some(fs) = Tmpfs::mount("64k") else {
        eprintln!("skipped: cannot mount tmpfs");
        return;
    };
    let art = fs.path().join("art");
    std::fs::create_dir(&art).unwrap();
    std::fs::write(art.join("demo-1.0.tar.gz"), b"demo\n").unwrap();
    fill(fs.path());
    let r = bounded_cmd(&mut cmd(
        fs.path(),
        &["checksums", "-o", "SHA512SUMS", "art"],
    ));
    refused(
        &r,
        2,
        &["SHA512SUMS: cannot write: No space left on device"],
    );
    assert_eq!(
        crate::common::count(&r.stderr, b"No space left on device"),
        1,
        "{}",
        r.streams()
    );
    assert!(
        !contains(&r.stderr, b".apostille-"),
        "the temporary file is named\n{}",
        r.streams()
    );
}
