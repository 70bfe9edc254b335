//! The CSV dialect of the extract (docs/formats.md, "Common rules"): UTF-8 with or without a
//! byte-order mark, `;` or `,` as delimiter detected from the header line, RFC 4180 quoting,
//! column names matched without regard to case, in any order, LF or CRLF line endings or both.
//!
//! Files are read one record at a time into a reused buffer, so memory does not grow with the
//! size of a file.

use super::files::{Column, OperaFile};
use super::line_endings::LfReader;
use super::report::{ImportError, RowError};
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Large enough that the header line is in the first buffer, which delimiter detection reads.
const BUFFER: usize = 64 * 1024;

/// An open file of the extract, positioned after its header.
pub(crate) struct CsvFile {
    file: OperaFile,
    reader: csv::Reader<Input>,
    /// For each canonical column, the index of its field in a record (`None`: not in the file).
    positions: Vec<Option<usize>>,
    width: usize,
    bom: u64,
    bytes_total: u64,
    record: csv::StringRecord,
}

/// What the next record of a file is.
pub(crate) enum Next<'a> {
    Row(Fields<'a>),
    /// A record that cannot be read as fields (not UTF-8, wrong number of fields).
    Malformed {
        line: u64,
        reason: String,
    },
    End,
}

/// The fields of one record, looked up by canonical column name.
pub(crate) struct Fields<'a> {
    pub line: u64,
    record: &'a csv::StringRecord,
    positions: &'a [Option<usize>],
    columns: &'static [Column],
}

impl Fields<'_> {
    /// The trimmed value of a column, without the export's text mark (see [`super::formula`]);
    /// `None` when the column is absent or the field is empty ("empty field = no value").
    pub fn get(&self, column: &str) -> Option<&str> {
        let index = self.columns.iter().position(|c| c.name == column)?;
        let position = self.positions[index]?;
        let field = self.record.get(position)?.trim();
        Some(super::formula::restore(field)).filter(|v| !v.is_empty())
    }
}

/// Opens a file with the extract's dialect: skips a byte-order mark and detects the delimiter.
/// Returns the buffered file, the delimiter and the length of the mark.
pub(crate) fn open_dialect(path: &Path) -> io::Result<(BufReader<File>, u8, u64)> {
    let mut input = BufReader::with_capacity(BUFFER, File::open(path)?);
    let bom = if input.fill_buf()?.starts_with(BOM) {
        input.consume(BOM.len());
        BOM.len() as u64
    } else {
        0
    };
    let delimiter = delimiter_of(input.fill_buf()?);
    Ok((input, delimiter, bom))
}

/// The delimiter of a file that starts with `head` (after any byte-order mark).
pub(crate) fn delimiter_of(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |d: u8| line.iter().filter(|&&b| b == d).count();
    // Danish Excel writes `;`; a header with more commas than semicolons is comma-separated.
    if count(b',') > count(b';') {
        b','
    } else {
        b';'
    }
}

/// `bytes` without a leading byte-order mark.
pub(crate) fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// The reader of an opened file: CRLF read as LF (see [`LfReader`]).
pub(crate) type Input = LfReader<BufReader<File>>;

/// A CSV reader over an opened file in the extract's dialect; the header is its first record.
pub(crate) fn csv_reader(input: BufReader<File>, delimiter: u8) -> csv::Reader<Input> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .buffer_capacity(BUFFER)
        .from_reader(LfReader::new(input))
}

fn io_error(path: &Path, source: io::Error) -> ImportError {
    ImportError::Io { path: path.to_owned(), source }
}

impl CsvFile {
    /// Opens `path` as `file` and checks its header. A header with an unknown, repeated or
    /// missing required column is [`ImportError::Rejected`], naming file and column.
    pub fn open(file: OperaFile, path: &Path) -> Result<Self, ImportError> {
        let bytes_total = std::fs::metadata(path).map_err(|e| io_error(path, e))?.len();
        let (input, delimiter, bom) = open_dialect(path).map_err(|e| io_error(path, e))?;
        let mut reader = csv_reader(input, delimiter);
        let header = match reader.headers() {
            Ok(header) => header.clone(),
            Err(e) => return Err(header_error(file, e.to_string())),
        };
        let positions = match_header(file, &header)?;
        Ok(Self {
            file,
            reader,
            positions,
            width: header.len(),
            bom,
            bytes_total,
            record: csv::StringRecord::new(),
        })
    }

    /// The size of the file in bytes.
    pub fn bytes_total(&self) -> u64 {
        self.bytes_total
    }

    /// How many bytes of the file have been read.
    pub fn bytes_done(&self) -> u64 {
        self.bom + self.reader.position().byte() + self.reader.get_ref().dropped()
    }

    /// Reads the next record. An I/O error ends the import; a record that is not UTF-8 or has
    /// the wrong number of fields is a rejected row.
    pub fn next(&mut self) -> Result<Next<'_>, csv::Error> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => Ok(Next::End),
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line());
                if self.record.len() != self.width {
                    return Ok(Next::Malformed {
                        line,
                        reason: format!(
                            "the row has {} fields, the header {}",
                            self.record.len(),
                            self.width
                        ),
                    });
                }
                Ok(Next::Row(Fields {
                    line,
                    record: &self.record,
                    positions: &self.positions,
                    columns: self.file.columns(),
                }))
            }
            Err(e) => match e.kind() {
                csv::ErrorKind::Io(_) => Err(e),
                _ => Ok(Next::Malformed {
                    line: e.position().map_or(0, |p| p.line()),
                    reason: malformed_reason(&e),
                }),
            },
        }
    }
}

fn malformed_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8".to_owned(),
        _ => format!("the row cannot be read: {e}"),
    }
}

fn header_error(file: OperaFile, reason: String) -> ImportError {
    ImportError::Rejected(vec![RowError { file, line: 1, column: None, reason }].into())
}

/// Maps the header's names onto the file's canonical columns.
fn match_header(file: OperaFile, header: &csv::StringRecord) -> Result<Vec<Option<usize>>, ImportError> {
    let columns = file.columns();
    let mut positions = vec![None; columns.len()];
    let mut errors = Vec::new();
    let mut error = |column: &str, reason: String| {
        errors.push(RowError { file, line: 1, column: Some(column.to_owned()), reason })
    };
    for (position, raw) in header.iter().enumerate() {
        let name = raw.trim().to_lowercase();
        match columns.iter().position(|c| c.name == name) {
            None => {
                let known: Vec<&str> = columns.iter().map(|c| c.name).collect();
                error(raw, format!("unknown column; the columns are {}", known.join(", ")));
            }
            Some(index) if positions[index].is_some() => error(raw, "the column appears twice".to_owned()),
            Some(index) => positions[index] = Some(position),
        }
    }
    for (column, position) in columns.iter().zip(&positions) {
        if column.required && position.is_none() {
            error(column.name, "required column is missing".to_owned());
        }
    }
    if errors.is_empty() {
        Ok(positions)
    } else {
        Err(ImportError::Rejected(errors.into()))
    }
}
