//! `sikkerby report KIND PERIOD --format FORMAT --out FILE`: the committee reports. Records a
//! snapshot of the evaluated figures (or reuses the latest draft for the same kind and period
//! when nothing changed) and writes the report rendered from it.

use anyhow::Context;
use sikkerby_store::Store;
use std::path::Path;

/// Who made the snapshot: `SIKKERBY_USER`, else the login name. An approval must come from
/// someone else.
fn creator() -> String {
    std::env::var("SIKKERBY_USER")
        .or_else(|_| std::env::var("USER"))
        .ok()
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| "sikkerby".to_owned())
}

/// Makes the report `kind` (`annual`, `halfyear`, `quarter`) for `period` (`2013`, `2013H1`,
/// `2013Q2`) as `format` (`pdf`, `html`, `xlsx`) and writes it to `out`.
pub async fn run(store: &Store, kind: &str, period: &str, format: &str, out: &Path) -> anyhow::Result<()> {
    let (snapshot, reused, bytes) = sikkerby_reports::generate(store, kind, period, format, &creator())
        .await
        .with_context(|| format!("making the {kind} report for {period}"))?;
    write_atomically(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    let state = match (&snapshot.approved_by, reused) {
        (Some(who), _) => format!("approved by {who}"),
        (None, true) => "draft, data unchanged since it was recorded".to_owned(),
        (None, false) => "new draft".to_owned(),
    };
    println!(
        "{kind} report {period}, version {} (snapshot {}, {state}): {} bytes written to {}",
        snapshot.version,
        snapshot.id,
        bytes.len(),
        out.display()
    );
    Ok(())
}

/// Writes `bytes` to a temporary file beside `out`, syncs it and renames it over `out`: a run
/// killed half-way leaves the previous file (or none) under the name, never a half report. A
/// stray `.NAME.*.partial` file is all a kill can leave behind.
fn write_atomically(out: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".partial");
    // A report holds no personal data: the usual permissions (umask applies), as `fs::write`
    // would give, not the temporary file's owner-only ones.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder.tempfile_in(dir)?;
    std::io::Write::write_all(&mut file, bytes)?;
    file.as_file().sync_all()?;
    file.persist(out).map_err(|e| e.error)?;
    // The rename is durable once the folder is synced.
    std::fs::File::open(dir)?.sync_all()
}
