//! Memory maps that survive their file being truncated underneath them.
//!
//! # Safety
//!
//! Reading a memory-mapped file is only sound while nobody truncates it: a
//! read of a page beyond the new end of file raises `SIGBUS`, which by
//! default kills the process. Release directories are shared, so this is not
//! hypothetical (a second job re-packing a tarball while we hash it).
//!
//! apostille guarantees three things for a mapped file:
//!
//! 1. **No crash.** While any [`GuardedMap`] is alive, a process-wide
//!    `SIGBUS` handler is installed. When the faulting address lies inside a
//!    registered map, the handler replaces that one page with an anonymous
//!    zero page (`mmap(MAP_FIXED | MAP_ANONYMOUS)`, a plain system call that
//!    is safe in a signal handler on Linux), marks the map as *faulted* and
//!    returns; the interrupted read resumes and sees zeros. Faults outside
//!    every registered map are passed to the handler that was installed
//!    before ours (Rust's own stack-overflow handler, for instance), or to
//!    the default action.
//! 2. **No wrong digest reported as good.** The engine checks
//!    [`GuardedMap::faulted`] after the pass and, for every path, compares
//!    size, modification time and change time before and after; any
//!    difference turns the result into [`crate::HashError::Changed`].
//! 3. **Memory safety of the slice.** The `&[u8]` handed to hashers points
//!    into the mapping, which stays mapped (pages may be swapped for zero
//!    pages, never unmapped) until the `GuardedMap` is dropped. Contents may
//!    change under a concurrent writer — hashers only read bytes and never
//!    rely on them being stable, and such a change is caught by (2).
//!
//! If the handler cannot be installed or all registration slots are in use,
//! [`GuardedMap::new`] returns `None` and the engine reads the file with
//! plain `read(2)` calls instead.

use std::fs::File;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use memmap2::Mmap;

const SLOT_COUNT: usize = 256;

struct Slot {
    start: AtomicUsize,
    end: AtomicUsize,
    faulted: AtomicBool,
}

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY_SLOT: Slot = Slot {
    start: AtomicUsize::new(0),
    end: AtomicUsize::new(0),
    faulted: AtomicBool::new(false),
};

static SLOTS: [Slot; SLOT_COUNT] = [EMPTY_SLOT; SLOT_COUNT];
static PAGE_SIZE: AtomicUsize = AtomicUsize::new(4096);
static PREVIOUS: OnceLock<PrevAction> = OnceLock::new();
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// The handler that was installed before ours.
struct PrevAction(libc::sigaction);
// SAFETY: a sigaction is plain old data (a handler address, flags, a mask).
unsafe impl Sync for PrevAction {}
// SAFETY: as above.
unsafe impl Send for PrevAction {}

/// A read-only map of a whole file, registered with the `SIGBUS` guard.
pub(crate) struct GuardedMap {
    map: Mmap,
    slot: usize,
}

impl GuardedMap {
    /// Maps `len` bytes of `file`, or `None` when the guard is unavailable
    /// (the caller then streams the file).
    pub(crate) fn new(file: &File, len: usize) -> Option<GuardedMap> {
        if len == 0 || !install_handler() {
            return None;
        }
        // SAFETY: the mapping is read-only and private to us; the file
        // being truncated or modified by another process is handled by the
        // SIGBUS guard and the before/after metadata check (module docs).
        let map = unsafe { memmap2::MmapOptions::new().len(len).map(file) }.ok()?;
        let _ = map.advise(memmap2::Advice::Sequential);
        let start = map.as_ptr() as usize;
        let end = start + map.len();
        for (i, slot) in SLOTS.iter().enumerate() {
            if slot
                .start
                .compare_exchange(0, usize::MAX, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
            {
                slot.faulted.store(false, Ordering::Release);
                slot.end.store(end, Ordering::Release);
                slot.start.store(start, Ordering::Release);
                return Some(GuardedMap { map, slot: i });
            }
        }
        None
    }

    /// The mapped bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.map
    }

    /// Whether any page of the map was replaced because the file shrank.
    pub(crate) fn faulted(&self) -> bool {
        SLOTS[self.slot].faulted.load(Ordering::Acquire)
    }

    /// Asks the kernel to map the pages of `range` now (readahead and page
    /// faults taken by the calling thread, typically while another thread
    /// hashes the previous window). Failures are ignored: the pages are then
    /// faulted in on first touch instead.
    pub(crate) fn prefetch(&self, offset: usize, len: usize) {
        let page = PAGE_SIZE.load(Ordering::Relaxed);
        let Some(end) = offset.checked_add(len) else {
            return;
        };
        if len == 0 || end > self.map.len() {
            return;
        }
        let aligned = offset & !(page - 1);
        // SAFETY: the range lies inside our live mapping; MADV_POPULATE_READ
        // only faults pages in (it reports EFAULT rather than raising SIGBUS
        // for pages past the end of file) and never changes their contents.
        unsafe {
            let ptr = self.map.as_ptr().add(aligned) as *mut libc::c_void;
            libc::madvise(ptr, end - aligned, MADV_POPULATE_READ);
        }
    }

    /// Drops the pages below `end` (from the page containing `start`) from
    /// this process's mapping once they are hashed, so that resident memory
    /// stays at a few windows whatever the file size. The page cache keeps
    /// them; a later touch would fault them back in. Only whole pages before
    /// `end` are dropped, so a page shared with the next window stays.
    pub(crate) fn release(&self, start: usize, end: usize) {
        let page = PAGE_SIZE.load(Ordering::Relaxed);
        let from = start & !(page - 1);
        let to = end.min(self.map.len()) & !(page - 1);
        if to <= from {
            return;
        }
        // SAFETY: the range lies inside our live, read-only, shared file
        // mapping; MADV_DONTNEED only removes page-table entries, and no
        // slice into this range is used again by the engine.
        unsafe {
            let ptr = self.map.as_ptr().add(from) as *mut libc::c_void;
            libc::madvise(ptr, to - from, libc::MADV_DONTNEED);
        }
    }
}

/// Linux 5.14+; older kernels answer EINVAL, which we ignore.
const MADV_POPULATE_READ: libc::c_int = 22;

impl Drop for GuardedMap {
    fn drop(&mut self) {
        // Unregister before the map is unmapped (the field drops after this
        // body), so that a stale slot can never match a reused address.
        let slot = &SLOTS[self.slot];
        slot.end.store(0, Ordering::Release);
        slot.start.store(0, Ordering::Release);
    }
}

fn install_handler() -> bool {
    *INSTALLED.get_or_init(|| {
        // SAFETY: plain libc calls with valid, zero-initialised structs.
        unsafe {
            let page = libc::sysconf(libc::_SC_PAGESIZE);
            if page > 0 {
                PAGE_SIZE.store(page as usize, Ordering::Relaxed);
            }
            let mut old: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(libc::SIGBUS, std::ptr::null(), &mut old) != 0 {
                return false;
            }
            let _ = PREVIOUS.set(PrevAction(old));
            let mut new: libc::sigaction = std::mem::zeroed();
            new.sa_sigaction = on_sigbus as *const () as usize;
            new.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut new.sa_mask);
            libc::sigaction(libc::SIGBUS, &new, std::ptr::null_mut()) == 0
        }
    })
}

extern "C" fn on_sigbus(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo for SA_SIGINFO handlers.
    let addr = unsafe { (*info).si_addr() } as usize;
    let page = PAGE_SIZE.load(Ordering::Relaxed);
    for slot in SLOTS.iter() {
        let start = slot.start.load(Ordering::Acquire);
        let end = slot.end.load(Ordering::Acquire);
        if start != 0 && start != usize::MAX && addr >= start && addr < end {
            let page_addr = addr & !(page - 1);
            // SAFETY: the page lies inside a mapping we own and keep alive
            // until the slot is unregistered; replacing it with a private
            // zero page keeps the address range valid.
            let r = unsafe {
                libc::mmap(
                    page_addr as *mut libc::c_void,
                    page,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                    -1,
                    0,
                )
            };
            if r != libc::MAP_FAILED {
                slot.faulted.store(true, Ordering::Release);
                return;
            }
        }
    }
    chain(sig, info, ctx);
}

fn chain(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    if let Some(PrevAction(prev)) = PREVIOUS.get() {
        let handler = prev.sa_sigaction;
        if handler != libc::SIG_DFL && handler != libc::SIG_IGN {
            if prev.sa_flags & libc::SA_SIGINFO != 0 {
                // SAFETY: the previous handler was installed with SA_SIGINFO
                // and so has this signature.
                let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                    unsafe { std::mem::transmute(handler) };
                f(sig, info, ctx);
            } else {
                // SAFETY: a handler installed without SA_SIGINFO takes one int.
                let f: extern "C" fn(libc::c_int) = unsafe { std::mem::transmute(handler) };
                f(sig);
            }
            return;
        }
    }
    // Restore the default action; returning re-executes the faulting access,
    // which then terminates the process as it would have without us.
    // SAFETY: signal(2) is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGBUS, libc::SIG_DFL);
    }
}
