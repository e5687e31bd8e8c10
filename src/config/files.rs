//! Files and folders the program creates: the database, the log, spool paper, drafts, reports and
//! backups hold ID numbers, phones and the story of a dispute, so they are created readable by
//! their owner only — files 0600, folders 0700. The mode is set explicitly after creating, so a
//! loose umask (or a strict one that would leave a folder unwritable) cannot change it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Mode of every file the program creates.
pub const FILE_MODE: u32 = 0o600;
/// Mode of every folder the program creates.
pub const DIR_MODE: u32 = 0o700;

/// Sets `path` to `mode` (owner only). A no-op where there are no Unix modes.
pub fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

/// Creates `dir` and its missing parents, each new folder 0700. Folders that already exist are
/// left as they are: a site may share its folder on purpose.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let missing: Vec<&Path> = dir
        .ancestors()
        .take_while(|d| !d.as_os_str().is_empty() && !d.exists())
        .collect();
    for d in missing.into_iter().rev() {
        match fs::create_dir(d) {
            Ok(()) => set_mode(d, DIR_MODE)?,
            // Another process made it meanwhile.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The folder a file is written in (`.` for a bare file name).
pub fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn open_private(path: &Path, options: &mut OpenOptions) -> io::Result<File> {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(options, FILE_MODE);
    let file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(FILE_MODE))?;
    }
    Ok(file)
}

/// Opens `path` for appending (the log), creating it; the file is 0600 either way.
pub fn append_private(path: &Path) -> io::Result<File> {
    private_dir(parent_of(path))?;
    open_private(path, OpenOptions::new().create(true).append(true))
}

/// Creates `path` as an empty 0600 file if it does not exist yet (a database file before the
/// driver opens it). Returns whether it was created.
pub fn touch_private(path: &Path) -> io::Result<bool> {
    private_dir(parent_of(path))?;
    match open_private(path, OpenOptions::new().write(true).create_new(true)) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// `path` with `suffix` added to its file name.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// Writes `bytes` to `path` atomically: a 0600 temporary file next to it, flushed to the disk,
/// renamed over `path`, and the rename flushed too. A reader sees the old file or the new one,
/// never half of it.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = parent_of(path);
    private_dir(dir)?;
    let tmp = with_suffix(path, ".tmp");
    {
        let mut f = open_private(
            &tmp,
            OpenOptions::new().write(true).create(true).truncate(true),
        )?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    // Not every platform can open a folder to flush it.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The largest file of each kind the program reads: a file named by mistake (`/dev/zero`, a
/// log, a disk image) is refused after this many bytes instead of filling the memory.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;
pub const MAX_INTAKE_BYTES: u64 = 1 << 20;
pub const MAX_CALENDAR_BYTES: u64 = 64 << 10;

/// Reads at most `max` bytes of `path`; a longer file (or an endless device) is an error that
/// says so, never its content.
pub fn read_capped(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    File::open(path)?.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {max} bytes; not read"),
        ));
    }
    Ok(bytes)
}

/// [`read_capped`] as UTF-8 text.
pub fn read_capped_text(path: &Path, max: u64) -> io::Result<String> {
    String::from_utf8(read_capped(path, max)?)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

/// Deletes the files directly in `dir` whose name `ours` accepts and that were last changed
/// before `before`; returns how many. Names the program did not write are never touched, so a
/// folder configured by mistake (a home folder) loses nothing else.
pub fn prune(
    dir: &Path,
    before: std::time::SystemTime,
    ours: impl Fn(&str) -> bool,
) -> io::Result<usize> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        let meta = entry.metadata()?;
        if !meta.is_file() || !ours(&name) {
            continue;
        }
        if meta.modified()? < before {
            match fs::remove_file(entry.path()) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(removed)
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn created_files_and_folders_are_private() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a/b");
        let file = dir.join("x.json");
        write_private(&file, b"{}").unwrap();
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&root.path().join("a")), 0o700);
        assert!(!with_suffix(&file, ".tmp").exists());
        let log = root.path().join("l/x.log");
        append_private(&log).unwrap();
        assert_eq!(mode(&log), 0o600);
        // An existing log written before with a loose mode is tightened when opened.
        set_mode(&log, 0o644).unwrap();
        append_private(&log).unwrap();
        assert_eq!(mode(&log), 0o600);
        let db = root.path().join("d.db");
        assert!(touch_private(&db).unwrap());
        assert!(!touch_private(&db).unwrap());
        assert_eq!(mode(&db), 0o600);
    }

    #[test]
    fn prune_removes_only_old_files_it_owns() {
        let root = tempfile::tempdir().unwrap();
        for n in ["000001-ticket.bin", "notes.txt"] {
            fs::write(root.path().join(n), b"x").unwrap();
        }
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
        let n = prune(root.path(), later, |n| n.ends_with(".bin")).unwrap();
        assert_eq!(n, 1);
        assert!(root.path().join("notes.txt").exists());
        let earlier = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        assert_eq!(prune(root.path(), earlier, |_| true).unwrap(), 0);
        assert_eq!(
            prune(&root.path().join("none"), later, |_| true).unwrap(),
            0
        );
    }
}
