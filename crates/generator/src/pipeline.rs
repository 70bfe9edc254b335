//! Runs the generation: worker threads generate chunks of citizens (each citizen from its own
//! random stream), the calling thread appends the chunks' CSV bytes to the files strictly in chunk
//! order, and one more thread writes the area files meanwhile. The output therefore depends on
//! the seed alone, never on the number of threads or on timing.

use crate::citizen::live;
use crate::life::Life;
use crate::output::{CaseSinks, CASE_FILES};
use crate::plan::Plan;
use crate::tryghed::{self, csv_writer, AreaWriters, AREA_FILES};
use crate::GenerateError;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

/// Citizens per chunk: large enough to amortise the hand-over, small enough for smooth progress.
const CHUNK: u64 = 4_096;

type ChunkResult = csv::Result<([Vec<u8>; 8], [u64; 8])>;

/// Writes every file under `out` and returns `(relative path, rows)` per file.
pub(crate) fn run(
    plan: &Plan,
    citizens: u64,
    out: &Path,
    progress: &dyn Fn(u64),
) -> Result<Vec<(&'static str, u64)>, GenerateError> {
    let mut case_files = CASE_FILES
        .iter()
        .map(|(rel, header)| open(out, rel, header).map(|w| (*rel, w)))
        .collect::<Result<Vec<_>, _>>()?;
    let [omraader, anmeldelser, survey, vurderinger] =
        AREA_FILES.map(|(rel, header)| open(out, rel, header).map(csv_writer));
    let mut area_files = [omraader?, anmeldelser?, survey?, vurderinger?];
    std::thread::scope(|scope| {
        let area = scope.spawn(|| write_areas(plan, citizens, &mut area_files));
        let case_rows = write_cases(plan, citizens, &mut case_files, progress);
        let area_rows = area.join().map_err(|_| GenerateError::WorkerPanicked)??;
        let case_rows = case_rows?;
        let mut counts: Vec<(&'static str, u64)> = Vec::new();
        counts.extend(CASE_FILES[..6].iter().zip(&case_rows).map(|((f, _), n)| (*f, *n)));
        counts.extend(AREA_FILES.iter().zip(area_rows).map(|((f, _), n)| (*f, n)));
        counts.extend(CASE_FILES[6..].iter().zip(&case_rows[6..]).map(|((f, _), n)| (*f, *n)));
        Ok(counts)
    })
}

/// Creates `out/rel` (and its folder) with its header row, ready for appending rows.
fn open(out: &Path, rel: &str, header: &[&str]) -> Result<BufWriter<File>, GenerateError> {
    let path = out.join(rel);
    let io = |source| GenerateError::Io { path: path.clone(), source };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let file = File::create(&path).map_err(io)?;
    let mut writer = csv_writer(BufWriter::with_capacity(1 << 20, file));
    let csv = |source| GenerateError::Csv { path: path.clone(), source };
    writer.write_record(header).map_err(csv)?;
    writer.into_inner().map_err(|e| io(std::io::Error::other(e.to_string())))
}

fn write_areas(
    plan: &Plan,
    citizens: u64,
    writers: &mut AreaWriters<BufWriter<File>>,
) -> Result<[u64; 4], GenerateError> {
    let csv = |source| GenerateError::Csv { path: "tryghed".into(), source };
    let rows = tryghed::write(plan, citizens, writers).map_err(csv)?;
    for w in writers.iter_mut() {
        w.flush().map_err(|source| GenerateError::Io { path: "tryghed".into(), source })?;
    }
    Ok(rows)
}

/// Generates the citizens on worker threads and appends their rows in chunk order.
fn write_cases(
    plan: &Plan,
    citizens: u64,
    files: &mut [(&'static str, BufWriter<File>)],
    progress: &dyn Fn(u64),
) -> Result<[u64; 8], GenerateError> {
    let chunks = citizens.div_ceil(CHUNK);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(16);
    let next_chunk = AtomicU64::new(0);
    let (sender, receiver) = mpsc::sync_channel::<(u64, ChunkResult)>(workers * 2);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let next_chunk = &next_chunk;
            scope.spawn(move || loop {
                let chunk = next_chunk.fetch_add(1, Ordering::Relaxed);
                if chunk >= chunks {
                    break;
                }
                let range = chunk * CHUNK..((chunk + 1) * CHUNK).min(citizens);
                if sender.send((chunk, generate_chunk(plan, range))).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        append_in_order(receiver, chunks, citizens, files, progress)
    })
}

/// Receives chunks in any order and appends them in chunk order.
fn append_in_order(
    receiver: mpsc::Receiver<(u64, ChunkResult)>,
    chunks: u64,
    citizens: u64,
    files: &mut [(&'static str, BufWriter<File>)],
    progress: &dyn Fn(u64),
) -> Result<[u64; 8], GenerateError> {
    let mut pending = BTreeMap::new();
    let mut rows = [0u64; 8];
    let mut next = 0;
    while next < chunks {
        let (chunk, result) = receiver.recv().map_err(|_| GenerateError::WorkerPanicked)?;
        pending.insert(chunk, result);
        while let Some(result) = pending.remove(&next) {
            let (bytes, counts) =
                result.map_err(|source| GenerateError::Csv { path: "opera".into(), source })?;
            for ((rel, file), bytes) in files.iter_mut().zip(&bytes) {
                file.write_all(bytes)
                    .map_err(|source| GenerateError::Io { path: PathBuf::from(*rel), source })?;
            }
            rows.iter_mut().zip(counts).for_each(|(total, n)| *total += n);
            next += 1;
            progress((next * CHUNK).min(citizens));
        }
    }
    for (rel, file) in files.iter_mut() {
        file.flush().map_err(|source| GenerateError::Io { path: PathBuf::from(*rel), source })?;
    }
    Ok(rows)
}

fn generate_chunk(plan: &Plan, range: std::ops::Range<u64>) -> ChunkResult {
    let mut life = Life::new(plan.programmes.len());
    let mut sinks = CaseSinks::new();
    for index in range {
        live(plan, index, &mut life);
        sinks.write(plan, &life)?;
    }
    sinks.finish()
}
