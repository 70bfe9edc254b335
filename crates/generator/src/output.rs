//! The rows of the case extract (`opera/`, and the corrections in `opera_rettelser/`), written
//! per chunk of citizens into in-memory CSV buffers that the pipeline appends to the files in
//! chunk order. Columns and order follow docs/formats.md; the delimiter is `;`, what Danish
//! Excel writes. Ids and dates are formatted into reused buffers, so a row allocates nothing.

use crate::dates::format_date;
use crate::life::{Enrollment, Life};
use crate::plan::Plan;
use chrono::NaiveDate;
use sikkerby_domain::codes::Anchor;
use std::fmt::Write as _;

/// Field delimiter of every generated file.
pub(crate) const DELIMITER: u8 = b';';

/// The case files with their header rows, in the order of [`CaseSinks`]' buffers.
pub(crate) const CASE_FILES: [(&str, &[&str]); 8] = [
    ("opera/borgere.csv", &["cpr", "navn", "omraade"]),
    ("opera/forloeb.csv", FORLOEB_HEADER),
    ("opera/tilbud.csv", &["tilbud_id", "forloeb_id", "tilbudstype", "start", "slut", "afslutningsaarsag"]),
    ("opera/fritidsjob.csv", &["fritidsjob_id", "cpr", "arbejdsgiver", "start", "slut"]),
    ("opera/haendelser.csv", &["haendelse_id", "cpr", "haendelse", "dato", "vaerdi"]),
    ("opera/opfoelgninger.csv", OPFOELGNING_HEADER),
    ("opera_rettelser/forloeb.csv", FORLOEB_HEADER),
    ("opera_rettelser/opfoelgninger.csv", OPFOELGNING_HEADER),
];

const FORLOEB_HEADER: &[&str] = &[
    "forloeb_id",
    "cpr",
    "indsats",
    "start",
    "slut",
    "afslutningsaarsag",
    "tovholder",
    "sagsbehandlerkode",
    "center",
];
const OPFOELGNING_HEADER: &[&str] =
    &["opfoelgning_id", "cpr", "anker", "anker_id", "forfald", "udfoert", "status"];

const BORGERE: usize = 0;
const FORLOEB: usize = 1;
const TILBUD: usize = 2;
const FRITIDSJOB: usize = 3;
const HAENDELSER: usize = 4;
const OPFOELGNINGER: usize = 5;
const RET_FORLOEB: usize = 6;
const RET_OPFOELGNINGER: usize = 7;

/// A new in-memory CSV writer without header (the pipeline writes headers once per file).
pub(crate) fn buffer_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().delimiter(DELIMITER).has_headers(false).from_writer(Vec::with_capacity(1 << 16))
}

/// Reused formatting buffers.
#[derive(Default)]
struct Scratch {
    id: String,
    other_id: String,
    text: String,
    dates: [[u8; 10]; 3],
}

/// One chunk's worth of case rows.
pub(crate) struct CaseSinks {
    writers: [csv::Writer<Vec<u8>>; 8],
    /// Rows written per file, in the order of [`CASE_FILES`].
    pub rows: [u64; 8],
    scratch: Scratch,
}

impl CaseSinks {
    pub fn new() -> Self {
        Self { writers: std::array::from_fn(|_| buffer_writer()), rows: [0; 8], scratch: Scratch::default() }
    }

    /// The CSV bytes per file and the row counts.
    pub fn finish(self) -> csv::Result<([Vec<u8>; 8], [u64; 8])> {
        let mut bytes: [Vec<u8>; 8] = Default::default();
        for (slot, writer) in bytes.iter_mut().zip(self.writers) {
            *slot = writer.into_inner().map_err(|e| e.into_error())?;
        }
        Ok((bytes, self.rows))
    }

    /// Writes every record of one citizen.
    pub fn write(&mut self, plan: &Plan, life: &Life) -> csv::Result<()> {
        self.borger(life)?;
        for e in &life.enrollments {
            self.enrollment(FORLOEB, plan, life, e, e.end)?;
        }
        self.offers(life)?;
        self.placements(life)?;
        self.events(life)?;
        for f in 0..life.follow_ups.len() {
            self.follow_up(OPFOELGNINGER, life, f, None)?;
        }
        if let Some(c) = &life.correction {
            self.enrollment(RET_FORLOEB, plan, life, &life.enrollments[c.enrollment], Some(c.end))?;
            self.follow_up(RET_OPFOELGNINGER, life, c.follow_up, Some(c.due))?;
        }
        Ok(())
    }

    fn row<const N: usize>(&mut self, file: usize, fields: [&[u8]; N]) -> csv::Result<()> {
        self.rows[file] += 1;
        self.writers[file].write_record(fields)
    }

    fn borger(&mut self, life: &Life) -> csv::Result<()> {
        let mut name = std::mem::take(&mut self.scratch.text);
        name.clear();
        let _ = write!(name, "{} {}", life.first_name, life.last_name);
        let area = life.area.unwrap_or("");
        let result = self.row(BORGERE, [life.cpr.as_bytes(), name.as_bytes(), area.as_bytes()]);
        self.scratch.text = name;
        result
    }

    fn enrollment(
        &mut self,
        file: usize,
        plan: &Plan,
        life: &Life,
        e: &Enrollment,
        end: Option<NaiveDate>,
    ) -> csv::Result<()> {
        let s = &mut self.scratch;
        set_id(&mut s.id, 'F', life.index, e.n);
        s.text.clear();
        let _ = write!(s.text, "{}{:02}", e.centre.code_prefix, e.caseworker);
        let [d0, d1, _] = &mut s.dates;
        let fields = [
            s.id.as_bytes(),
            life.cpr.as_bytes(),
            plan.programmes[e.programme].spec.code.as_bytes(),
            format_date(e.start, d0),
            end.map_or(&[][..], |d| format_date(d, d1)),
            e.reason.unwrap_or("").as_bytes(),
            e.lead.as_bytes(),
            s.text.as_bytes(),
            e.centre.name.as_bytes(),
        ];
        self.rows[file] += 1;
        self.writers[file].write_record(fields)
    }

    fn offers(&mut self, life: &Life) -> csv::Result<()> {
        for o in &life.offers {
            let s = &mut self.scratch;
            set_id(&mut s.id, 'T', life.index, o.n);
            set_id(&mut s.other_id, 'F', life.index, o.enrollment);
            let [d0, d1, _] = &mut s.dates;
            let fields = [
                s.id.as_bytes(),
                s.other_id.as_bytes(),
                o.kind.as_bytes(),
                format_date(o.start, d0),
                o.end.map_or(&[][..], |d| format_date(d, d1)),
                o.reason.unwrap_or("").as_bytes(),
            ];
            self.rows[TILBUD] += 1;
            self.writers[TILBUD].write_record(fields)?;
        }
        Ok(())
    }

    fn placements(&mut self, life: &Life) -> csv::Result<()> {
        for p in &life.placements {
            let s = &mut self.scratch;
            set_id(&mut s.id, 'J', life.index, p.n);
            let [d0, d1, _] = &mut s.dates;
            let fields = [
                s.id.as_bytes(),
                life.cpr.as_bytes(),
                p.employer.as_bytes(),
                format_date(p.start, d0),
                p.end.map_or(&[][..], |d| format_date(d, d1)),
            ];
            self.rows[FRITIDSJOB] += 1;
            self.writers[FRITIDSJOB].write_record(fields)?;
        }
        Ok(())
    }

    fn events(&mut self, life: &Life) -> csv::Result<()> {
        for ev in &life.events {
            let s = &mut self.scratch;
            set_id(&mut s.id, 'H', life.index, ev.n);
            let digit = ev.value.map(|v| [b'0' + v]);
            let [d0, _, _] = &mut s.dates;
            let fields = [
                s.id.as_bytes(),
                life.cpr.as_bytes(),
                ev.kind.code().as_bytes(),
                format_date(ev.date, d0),
                digit.as_ref().map_or(&[][..], |d| &d[..]),
            ];
            self.rows[HAENDELSER] += 1;
            self.writers[HAENDELSER].write_record(fields)?;
        }
        Ok(())
    }

    /// Writes follow-up `f` of `life`, with its due date replaced by `due` for a correction.
    fn follow_up(&mut self, file: usize, life: &Life, f: usize, due: Option<NaiveDate>) -> csv::Result<()> {
        let fu = &life.follow_ups[f];
        let s = &mut self.scratch;
        set_id(&mut s.id, 'O', life.index, fu.n);
        let prefix = match fu.anchor {
            Anchor::ForloebSlut => 'F',
            Anchor::TilbudStart | Anchor::TilbudSlut => 'T',
            Anchor::Loesladelse => 'H',
        };
        set_id(&mut s.other_id, prefix, life.index, fu.anchor_n);
        let [d0, d1, _] = &mut s.dates;
        let fields = [
            s.id.as_bytes(),
            life.cpr.as_bytes(),
            fu.anchor.code().as_bytes(),
            s.other_id.as_bytes(),
            format_date(due.unwrap_or(fu.due), d0),
            fu.done.map_or(&[][..], |(d, _)| format_date(d, d1)),
            fu.done.map_or("", |(_, status)| status).as_bytes(),
        ];
        self.rows[file] += 1;
        self.writers[file].write_record(fields)
    }
}

/// Writes the id `<prefix><citizen number>-<n>` into `buf`; citizen numbers start at 1.
fn set_id(buf: &mut String, prefix: char, index: u64, n: u32) {
    buf.clear();
    let _ = write!(buf, "{prefix}{}-{n}", index + 1);
}
