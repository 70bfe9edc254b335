//! The four files of the area data (docs/formats.md, "Area data"): their names, their columns in
//! canonical order, which columns are required, and the key that identifies a row.

use crate::opera::Column;
use std::fmt;

/// One file of the `tryghed/` folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TryghedFile {
    Omraader,
    Anmeldelser,
    Survey,
    Vurderinger,
}

const fn req(name: &'static str) -> Column {
    Column { name, required: true }
}

const fn opt(name: &'static str) -> Column {
    Column { name, required: false }
}

const OMRAADER: &[Column] = &[req("omraade_id"), req("navn"), req("bydel"), req("aar"), req("befolkning")];
const ANMELDELSER: &[Column] =
    &[req("omraade_id"), req("aar"), req("gruppe"), req("borgervendt"), req("antal")];
const SURVEY: &[Column] = &[
    req("respondent_id"),
    req("omraade_id"),
    req("aar"),
    req("vaegt"),
    req("tryg_nabolag"),
    req("tryg_nat"),
    req("offer"),
];
const VURDERINGER: &[Column] =
    &[req("omraade_id"), req("halvaar"), req("kilde"), req("vurdering"), opt("tekst")];

impl TryghedFile {
    /// Areas first: the other files refer to them, and are checked against them.
    pub const ALL: [TryghedFile; 4] =
        [TryghedFile::Omraader, TryghedFile::Anmeldelser, TryghedFile::Survey, TryghedFile::Vurderinger];

    /// The file's name in the folder.
    pub fn file_name(self) -> &'static str {
        match self {
            TryghedFile::Omraader => "omraader.csv",
            TryghedFile::Anmeldelser => "anmeldelser.csv",
            TryghedFile::Survey => "survey.csv",
            TryghedFile::Vurderinger => "vurderinger.csv",
        }
    }

    /// The file a name denotes, matched without regard to case.
    pub fn from_file_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.file_name().eq_ignore_ascii_case(name))
    }

    /// The columns in the order of docs/formats.md.
    pub fn columns(self) -> &'static [Column] {
        match self {
            TryghedFile::Omraader => OMRAADER,
            TryghedFile::Anmeldelser => ANMELDELSER,
            TryghedFile::Survey => SURVEY,
            TryghedFile::Vurderinger => VURDERINGER,
        }
    }

    /// The columns whose values together identify a row (docs/formats.md: a later extract with
    /// the same key updates the row).
    pub fn key_columns(self) -> &'static [&'static str] {
        match self {
            TryghedFile::Omraader => &["omraade_id", "aar"],
            TryghedFile::Anmeldelser => &["omraade_id", "aar", "gruppe", "borgervendt"],
            TryghedFile::Survey => &["respondent_id", "aar"],
            TryghedFile::Vurderinger => &["omraade_id", "halvaar", "kilde"],
        }
    }
}

impl fmt::Display for TryghedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file_name())
    }
}
