//! A deterministic synthetic OPERA extract of any size, valid by construction: per citizen one
//! enrollment (ended, with a reason), one offer inside it, one leisure job, one release and one
//! follow-up three months after the enrollment's end. Used by the kill test and, through
//! `#[path]`, by the import benchmark.

use chrono::{Days, NaiveDate};
use sikkerby_domain::calendar::add_months;
use sikkerby_domain::cpr::{Cpr, Sex};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Rows written per citizen, one in each file.
pub const ROWS_PER_CITIZEN: usize = 6;

const INITIATIVES: [&str; 4] = ["EXIT", "SSPPLUS", "UDGAAENDE", "KRIMITEAM"];
const AREAS: [&str; 4] = ["tingbjerg", "husum", "amager", "valby_hotspot"];

/// Distinct valid CPR numbers, in a fixed order.
fn cprs() -> impl Iterator<Item = Cpr> {
    let first = NaiveDate::from_ymd_opt(1960, 1, 1).unwrap();
    (0..2_000_u16).flat_map(move |sequence| {
        (0..16_000_u64).filter_map(move |day| {
            let birth = first.checked_add_days(Days::new(day))?;
            let sex = if day % 2 == 0 { Sex::Male } else { Sex::Female };
            Cpr::synthesize(birth, sequence, sex)
        })
    })
}

fn day(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2010, 1, 1).unwrap() + Days::new(offset)
}

/// Writes an extract of about `rows` rows (rounded down to whole citizens) to `dir`.
pub fn write_extract(dir: &Path, rows: usize) -> std::io::Result<usize> {
    let citizens = rows / ROWS_PER_CITIZEN;
    let open = |name: &str, header: &str| -> std::io::Result<BufWriter<File>> {
        let mut file = BufWriter::new(File::create(dir.join(name))?);
        writeln!(file, "{header}")?;
        Ok(file)
    };
    let mut b = open("borgere.csv", "cpr;navn;omraade")?;
    let mut f = open(
        "forloeb.csv",
        "forloeb_id;cpr;indsats;start;slut;afslutningsaarsag;tovholder;sagsbehandlerkode;center",
    )?;
    let mut t = open("tilbud.csv", "tilbud_id;forloeb_id;tilbudstype;start;slut;afslutningsaarsag")?;
    let mut j = open("fritidsjob.csv", "fritidsjob_id;cpr;arbejdsgiver;start;slut")?;
    let mut h = open("haendelser.csv", "haendelse_id;cpr;haendelse;dato;vaerdi")?;
    let mut o = open("opfoelgninger.csv", "opfoelgning_id;cpr;anker;anker_id;forfald;udfoert;status")?;
    for (i, cpr) in cprs().take(citizens).enumerate() {
        let (n, cpr) = (i as u64, cpr.as_digits());
        let start = day(n % 900);
        let end = start + Days::new(30 + n % 300);
        let due = add_months(end, 3);
        writeln!(b, "{cpr};Borger {i};{}", AREAS[i % AREAS.len()])?;
        let initiative = INITIATIVES[i % INITIATIVES.len()];
        writeln!(
            f,
            "F{i};{cpr};{initiative};{start};{end};planmaessigt_afsluttet;BIF;JKU{:02};JKU Nord",
            i % 40
        )?;
        writeln!(t, "T{i};F{i};virksomhedspraktik;{start};{end};ordinaer_beskaeftigelse")?;
        writeln!(j, "J{i};{cpr};Netto;{start};")?;
        writeln!(h, "H{i};{cpr};loesladelse;{start};")?;
        writeln!(o, "O{i};{cpr};forloeb_slut;F{i};{due};{due};beskaeftiget")?;
    }
    for mut file in [b, f, t, j, h, o] {
        file.flush()?;
    }
    Ok(citizens * ROWS_PER_CITIZEN)
}
