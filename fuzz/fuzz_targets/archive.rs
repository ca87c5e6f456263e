//! Any bytes as a release archive: tar (plain, gzip, bzip2, xz, zstd) and
//! zip, dispatched by magic bytes as `apostille` does, then again as each
//! format in turn. Entries are iterated and their bytes read and dropped;
//! the reader must never panic, whatever the archive claims.

#![no_main]

use std::io::Read;
use std::path::PathBuf;
use std::sync::OnceLock;

use apostille_digest::archive::{ArchiveError, ArchiveFormat, EntryInfo, Limits, for_each_entry, for_each_entry_as};
use libfuzzer_sys::fuzz_target;

/// The reader takes a path: one scratch file per fuzzing process.
fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| std::env::temp_dir().join(format!("apostille-fuzz-archive-{}.tar", std::process::id())))
}

const FORMATS: [ArchiveFormat; 6] = [
    ArchiveFormat::Tar,
    ArchiveFormat::TarGz,
    ArchiveFormat::TarBz2,
    ArchiveFormat::TarXz,
    ArchiveFormat::TarZst,
    ArchiveFormat::Zip,
];

fuzz_target!(|data: &[u8]| {
    // Small bounds keep a bomb from eating the run's time.
    let limits = Limits { max_entries: 4096, max_entry_size: 4 << 20, max_total_size: 16 << 20, max_ratio: 1000 };
    let path = scratch();
    if std::fs::write(path, data).is_err() {
        return;
    }
    let mut sink = [0u8; 8192];
    let mut visit = |entry: &EntryInfo, reader: &mut (dyn Read + Send)| -> Result<(), ArchiveError> {
        assert!(!entry.path.starts_with('/'), "absolute entry name {:?}", entry.path);
        assert!(!entry.path.split('/').any(|c| c == ".."), "entry name climbs out: {:?}", entry.path);
        while reader.read(&mut sink)? > 0 {}
        Ok(())
    };
    let detected = for_each_entry(path, &limits, &mut visit);
    let _ = ArchiveFormat::from_magic(data);
    // The format a name would force, whatever the magic says.
    if let Some(&selector) = data.last() {
        let format = FORMATS[usize::from(selector) % FORMATS.len()];
        if detected.as_ref().map_or(true, |s| s.format != Some(format)) {
            let _ = for_each_entry_as(path, format, &limits, &mut visit);
        }
    }
});
