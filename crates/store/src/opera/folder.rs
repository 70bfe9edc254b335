//! The folder of an extract: which of the six files it holds, checked before anything is read.
//! A file that is not one of the six names is an error naming it; the `afviste_*.csv` files a
//! partial import wrote beside its input are the import's own and are passed over, so that the
//! same folder can be imported again. Sub-folders are not files and are passed over too. The
//! area data's folder (`crate::tryghed`) is scanned by the same [`scan_folder`].

use super::files::{OperaFile, REJECTED_PREFIX};
use super::read::CsvFile;
use super::report::{ImportError, RowError};
use std::path::{Path, PathBuf};

/// The files present in a folder, in [`OperaFile::ALL`] order.
pub(crate) struct Folder {
    pub dir: PathBuf,
    pub files: Vec<(OperaFile, PathBuf)>,
}

impl Folder {
    /// Lists the folder; an unknown file is [`ImportError::UnknownFile`].
    pub fn scan(dir: &Path) -> Result<Self, ImportError> {
        let files = scan_folder(dir, OperaFile::from_file_name).map_err(|problem| match problem {
            FolderProblem::Io(source) => ImportError::Io { path: dir.to_owned(), source },
            FolderProblem::UnknownFile(name) => ImportError::UnknownFile(name),
        })?;
        Ok(Self { dir: dir.to_owned(), files })
    }

    /// Opens every file and checks its header; all header errors of the folder are reported
    /// together.
    pub fn open(&self) -> Result<Vec<(OperaFile, CsvFile)>, ImportError> {
        let mut open = Vec::new();
        let mut errors: Vec<RowError> = Vec::new();
        for (file, path) in &self.files {
            match CsvFile::open(*file, path) {
                Ok(csv) => open.push((*file, csv)),
                Err(ImportError::Rejected(rows)) => errors.extend(rows),
                Err(other) => return Err(other),
            }
        }
        if errors.is_empty() {
            Ok(open)
        } else {
            Err(ImportError::Rejected(errors.into()))
        }
    }

    /// The path of a file present in the folder.
    pub fn path(&self, file: OperaFile) -> Option<&Path> {
        self.files.iter().find(|(f, _)| *f == file).map(|(_, p)| p.as_path())
    }
}

/// Why a folder of import files cannot be imported as it is.
pub(crate) enum FolderProblem {
    Io(std::io::Error),
    /// A file that is none of the import's (or a second one differing only in case).
    UnknownFile(String),
}

/// The import files in `dir` as `from_file_name` knows them, sorted by kind (the OPERA extract
/// and the area data share this). The `afviste_*` files a partial import wrote beside its input
/// and sub-folders are passed over; anything else is a [`FolderProblem::UnknownFile`].
pub(crate) fn scan_folder<F: Ord + Copy>(
    dir: &Path,
    from_file_name: impl Fn(&str) -> Option<F>,
) -> Result<Vec<(F, PathBuf)>, FolderProblem> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(FolderProblem::Io)? {
        let entry = entry.map_err(FolderProblem::Io)?;
        if entry.file_type().map_err(FolderProblem::Io)?.is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(file) = from_file_name(&name) {
            files.push((file, entry.path()));
        } else if !is_rejected_file(&name, &from_file_name) {
            return Err(FolderProblem::UnknownFile(name));
        }
    }
    files.sort_by_key(|(file, _)| *file);
    if let Some(pair) = files.windows(2).find(|w| w[0].0 == w[1].0) {
        // Two names differing only in case, e.g. Forloeb.csv and forloeb.csv.
        let name = pair[1].1.file_name().unwrap_or_default();
        return Err(FolderProblem::UnknownFile(name.to_string_lossy().into_owned()));
    }
    Ok(files)
}

fn is_rejected_file<F>(name: &str, from_file_name: impl Fn(&str) -> Option<F>) -> bool {
    name.get(..REJECTED_PREFIX.len()).is_some_and(|p| p.eq_ignore_ascii_case(REJECTED_PREFIX))
        && from_file_name(&name[REJECTED_PREFIX.len()..]).is_some()
}
