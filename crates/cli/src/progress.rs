//! The terminal progress bar: bytes, rate and ETA over a whole batch, drawn
//! on standard error only when it is a terminal and `--quiet` is not given.

use std::io::IsTerminal;
use std::sync::Arc;

use apostille_digest::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Progress receiver backed by indicatif.
pub struct Bar {
    bar: ProgressBar,
}

impl Progress for Bar {
    fn start(&self, total_bytes: u64, _inputs: usize) {
        self.bar.set_length(total_bytes);
    }

    fn advance(&self, bytes: u64) {
        self.bar.inc(bytes);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// A progress receiver, or `None` when nothing should be drawn.
pub fn for_terminal(quiet: bool) -> Option<Arc<dyn Progress>> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] [{wide_bar}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    Some(Arc::new(Bar { bar }))
}
