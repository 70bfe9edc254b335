//! Helpers shared by the OPERA import tests: small extract folders written into temporary
//! directories, a valid base extract, and a snapshot of the case data to compare databases by.

#![allow(dead_code)]

pub mod synthetic;

use sikkerby_store::opera::{ImportError, ImportOptions, ImportReport, RowError};
use sikkerby_store::Store;
use std::path::Path;
use tempfile::TempDir;

/// Valid CPR numbers (modulus 11 holds): a man born 15 May 1990, a woman born 3 Feb 1995, a
/// man born 24 Dec 1988.
pub const CPR_A: &str = "1505901009";
pub const CPR_B: &str = "0302951004";
pub const CPR_C: &str = "2412881004";
/// A valid date whose modulus-11 check fails: accepted with a warning.
pub const CPR_MOD11: &str = "1505901235";

pub const BORGERE: &str = "cpr;navn;omraade
1505901009;Ali Hassan;tingbjerg
0302951004;Emma Jensen;husum
";

pub const FORLOEB: &str =
    "forloeb_id;cpr;indsats;start;slut;afslutningsaarsag;tovholder;sagsbehandlerkode;center
F1;1505901009;EXIT;2012-02-01;2012-06-30;ordinaer_beskaeftigelse;BIF;JKU01;JKU Nord
F2;0302951004;UDGAAENDE;2012-03-01;;;BIF;;
";

pub const TILBUD: &str = "tilbud_id;forloeb_id;tilbudstype;start;slut;afslutningsaarsag
T1;F1;virksomhedspraktik;2012-02-15;2012-05-31;planmaessigt_afsluttet
T2;F2;mentorstoette;2012-03-10;;
";

pub const FRITIDSJOB: &str = "fritidsjob_id;cpr;arbejdsgiver;start;slut
J1;0302951004;Netto;2012-04-01;2012-08-31
";

pub const HAENDELSER: &str = "haendelse_id;cpr;haendelse;dato;vaerdi
H1;1505901009;loesladelse;2012-01-15;
H2;0302951004;ssp_kategori;2012-02-01;3
";

pub const OPFOELGNINGER: &str = "opfoelgning_id;cpr;anker;anker_id;forfald;udfoert;status
O1;1505901009;forloeb_slut;F1;2012-09-30;2012-09-28;beskaeftiget
O2;1505901009;tilbud_slut;T1;2012-08-31;;
O3;1505901009;loesladelse;H1;2012-04-15;;
O4;0302951004;tilbud_start;T2;2012-06-10;;
";

/// A folder of CSV files in a temporary directory.
pub struct Extract {
    dir: TempDir,
}

impl Extract {
    pub fn new() -> Self {
        Self { dir: tempfile::tempdir().expect("temporary directory") }
    }

    /// The valid six-file extract above.
    pub fn base() -> Self {
        Self::new()
            .with("borgere.csv", BORGERE)
            .with("forloeb.csv", FORLOEB)
            .with("tilbud.csv", TILBUD)
            .with("fritidsjob.csv", FRITIDSJOB)
            .with("haendelser.csv", HAENDELSER)
            .with("opfoelgninger.csv", OPFOELGNINGER)
    }

    /// Writes (or replaces) a file of the folder.
    pub fn with(self, name: &str, content: &str) -> Self {
        self.with_bytes(name, content.as_bytes())
    }

    pub fn with_bytes(self, name: &str, content: &[u8]) -> Self {
        std::fs::write(self.dir.path().join(name), content).expect("write file");
        self
    }

    /// Removes a file of the folder.
    pub fn without(self, name: &str) -> Self {
        std::fs::remove_file(self.dir.path().join(name)).expect("remove file");
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Imports all or nothing, without progress.
pub async fn import(store: &Store, extract: &Extract) -> Result<ImportReport, ImportError> {
    store.import_opera(extract.path(), ImportOptions::default(), &|_| {}).await
}

/// Imports, expecting rejection, and returns the reasons.
pub async fn rejected(store: &Store, extract: &Extract) -> Vec<RowError> {
    match import(store, extract).await {
        Err(ImportError::Rejected(rows)) => rows.to_vec(),
        other => panic!("expected rejected rows, got {other:?}"),
    }
}

/// The reasons of a rejected import as `file:line: column c: reason` lines.
pub async fn rejected_lines(store: &Store, extract: &Extract) -> Vec<String> {
    rejected(store, extract).await.iter().map(ToString::to_string).collect()
}

/// The case data: every exported file's lines sorted, and the row count of every case table.
pub async fn snapshot(store: &Store) -> Vec<(String, Vec<String>)> {
    let dir = tempfile::tempdir().expect("temporary directory");
    store.export_opera(dir.path()).await.expect("export");
    let mut files = read_sorted(dir.path());
    for table in ["citizen", "enrollment", "offer", "placement", "life_event", "follow_up"] {
        let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(store.pool())
            .await
            .expect("count");
        files.push((table.to_owned(), vec![count.to_string()]));
    }
    files
}

/// The `.csv` files of a folder by name, each with its lines sorted (header first).
pub fn read_sorted(dir: &Path) -> Vec<(String, Vec<String>)> {
    let mut files: Vec<(String, Vec<String>)> = std::fs::read_dir(dir)
        .expect("read folder")
        .map(|entry| {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("read file");
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            if lines.len() > 1 {
                lines[1..].sort();
            }
            let name = path.file_name().expect("name").to_string_lossy().into_owned();
            (name, lines)
        })
        .collect();
    files.sort();
    files
}
