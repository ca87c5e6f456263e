//! The adversarial suite: files an attacker makes, given to every command
//! that reads them. Each case asserts the exact outcome: the exit status (1
//! a check failed, 2 an input could not be used), a message naming the file
//! and the problem, nothing of the hostile bytes echoed raw to a terminal,
//! and no hang and no unbounded memory: every command here runs under a
//! 2 GiB address-space limit and is killed after 60 s, which fails the case.
//!
//! One module per group of inputs; each group's count is in the issue's
//! closing note.

use crate::common::{Run, apostille};
use std::ffi::OsStr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod archives;
mod checksums;
mod faults;
mod inputs;
mod names;
mod pgp_bundle;
mod release;
mod sbom;

/// The address-space limit every hostile case runs under.
pub const MEMORY_LIMIT: u64 = 2 << 30;
/// How long a hostile case may run before it counts as a hang.
pub const TIME_LIMIT: Duration = Duration::from_secs(60);

/// `apostille ARGS` in `dir`, under [`MEMORY_LIMIT`] and [`TIME_LIMIT`].
pub fn bounded<I, S>(dir: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = apostille();
    cmd.current_dir(dir).args(args);
    bounded_cmd(&mut cmd)
}

/// Runs `cmd` under [`MEMORY_LIMIT`] and [`TIME_LIMIT`]; a case that runs
/// out of time is killed and fails the test.
pub fn bounded_cmd(cmd: &mut Command) -> Run {
    let (child, what) = spawn_limited(cmd);
    finish(child, what)
}

/// Starts `cmd` under [`MEMORY_LIMIT`], its streams captured: for a case
/// that acts on the running command (kills it, changes its input).
pub fn spawn_limited(cmd: &mut Command) -> (Child, String) {
    use std::os::unix::process::CommandExt;
    let what = format!("{cmd:?}");
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between
    // fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: MEMORY_LIMIT,
                rlim_max: MEMORY_LIMIT,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    (child, what)
}

/// Reads both streams of `child` and waits for it, killing it (and failing
/// the test) after [`TIME_LIMIT`].
pub fn finish(mut child: Child, what: String) -> Run {
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let o = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out, &mut v);
        v
    });
    let e = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err, &mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("hang: {what} ran longer than {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    Run {
        what,
        status,
        stdout: o.join().expect("stdout reader"),
        stderr: e.join().expect("stderr reader"),
    }
}

/// Every entry of `dir` (not recursive, hidden ones too), by name, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Bytes a terminal acts on: C0 controls other than newline and tab, DEL,
/// and the UTF-8 of C1 controls and bidirectional overrides.
pub fn raw_controls(bytes: &[u8]) -> Option<String> {
    if let Some(b) = bytes
        .iter()
        .find(|&&b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f)
    {
        return Some(format!("byte {b:#04x}"));
    }
    let text = String::from_utf8_lossy(bytes);
    text.chars()
        .find(|&c| {
            ('\u{80}'..='\u{9f}').contains(&c)
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .map(|c| format!("character {:?}", c))
}

/// Asserts the exit status, that standard error holds every needle, and
/// that neither stream holds a raw control byte.
pub fn refused<'a>(run: &'a Run, code: i32, needles: &[&str]) -> &'a Run {
    run.code_is(code);
    let stderr = String::from_utf8_lossy(&run.stderr);
    for n in needles {
        assert!(stderr.contains(n), "stderr lacks {n:?}\n{}", run.streams());
    }
    clean(run)
}

/// Asserts that neither stream holds a raw control byte.
pub fn clean(run: &Run) -> &Run {
    for (name, s) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        if let Some(what) = raw_controls(s) {
            panic!("{name} holds a raw {what}\n{}", run.streams());
        }
    }
    run
}

/// Makes a FIFO at `path` that no one will write to.
pub fn fifo(path: &Path) {
    crate::common::mkfifo(path);
}
