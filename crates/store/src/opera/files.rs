//! The six files of an OPERA case extract (docs/formats.md, "Case extract"): their names, their
//! columns in canonical order, and which columns are required.

use std::fmt;

/// One file of the extract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OperaFile {
    Borgere,
    Forloeb,
    Tilbud,
    Fritidsjob,
    Haendelser,
    Opfoelgninger,
}

/// A column of a file: its lower-case name and whether every row must give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

const fn req(name: &'static str) -> Column {
    Column { name, required: true }
}

const fn opt(name: &'static str) -> Column {
    Column { name, required: false }
}

const BORGERE: &[Column] = &[req("cpr"), opt("navn"), opt("omraade")];

const FORLOEB: &[Column] = &[
    req("forloeb_id"),
    req("cpr"),
    req("indsats"),
    req("start"),
    opt("slut"),
    opt("afslutningsaarsag"),
    req("tovholder"),
    opt("sagsbehandlerkode"),
    opt("center"),
];

const TILBUD: &[Column] = &[
    req("tilbud_id"),
    req("forloeb_id"),
    req("tilbudstype"),
    req("start"),
    opt("slut"),
    opt("afslutningsaarsag"),
];

const FRITIDSJOB: &[Column] =
    &[req("fritidsjob_id"), req("cpr"), opt("arbejdsgiver"), req("start"), opt("slut")];

const HAENDELSER: &[Column] =
    &[req("haendelse_id"), req("cpr"), req("haendelse"), req("dato"), opt("vaerdi")];

const OPFOELGNINGER: &[Column] = &[
    req("opfoelgning_id"),
    req("cpr"),
    req("anker"),
    req("anker_id"),
    req("forfald"),
    opt("udfoert"),
    opt("status"),
];

impl OperaFile {
    /// In dependency order: a file only refers to files before it, which is the order the import
    /// checks them in, so that a rejected row can reject the rows that refer to it.
    pub const ALL: [OperaFile; 6] = [
        OperaFile::Borgere,
        OperaFile::Forloeb,
        OperaFile::Tilbud,
        OperaFile::Fritidsjob,
        OperaFile::Haendelser,
        OperaFile::Opfoelgninger,
    ];

    /// The file's name in the folder, e.g. `forloeb.csv`.
    pub fn file_name(self) -> &'static str {
        match self {
            OperaFile::Borgere => "borgere.csv",
            OperaFile::Forloeb => "forloeb.csv",
            OperaFile::Tilbud => "tilbud.csv",
            OperaFile::Fritidsjob => "fritidsjob.csv",
            OperaFile::Haendelser => "haendelser.csv",
            OperaFile::Opfoelgninger => "opfoelgninger.csv",
        }
    }

    /// The file a name denotes; file names are matched without regard to case.
    pub fn from_file_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.file_name().eq_ignore_ascii_case(name))
    }

    /// The columns in the canonical order of docs/formats.md, which is the order export writes.
    pub fn columns(self) -> &'static [Column] {
        match self {
            OperaFile::Borgere => BORGERE,
            OperaFile::Forloeb => FORLOEB,
            OperaFile::Tilbud => TILBUD,
            OperaFile::Fritidsjob => FRITIDSJOB,
            OperaFile::Haendelser => HAENDELSER,
            OperaFile::Opfoelgninger => OPFOELGNINGER,
        }
    }

    /// The column holding the row's key: the extract's own id, or the CPR number for citizens.
    pub fn key_column(self) -> &'static str {
        self.columns()[0].name
    }

    /// A stable number for the file, stored with rejected rows so they sort in file order.
    pub(crate) fn index(self) -> i64 {
        Self::ALL.iter().position(|f| *f == self).unwrap_or_default() as i64
    }

    pub(crate) fn from_index(index: i64) -> Option<Self> {
        usize::try_from(index).ok().and_then(|i| Self::ALL.get(i)).copied()
    }
}

impl fmt::Display for OperaFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file_name())
    }
}

/// The prefix of the files in which a partial import leaves the rejected rows of each file.
pub const REJECTED_PREFIX: &str = "afviste_";
