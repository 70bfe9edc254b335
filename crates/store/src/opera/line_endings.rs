//! Line endings of the extract: LF, CRLF (RFC 4180's own) or a mix of both. The csv crate counts
//! a line at each `\n` but places a record that follows `\r\n` before that `\n`, so with CRLF
//! every record was reported a line too early, and in a file mixing both two records could get
//! the same line (the staging table's key: a database error instead of row errors). Reading
//! through [`LfReader`], which drops each `\r` right before a `\n`, leaves the parser only LF:
//! line numbers are those an editor shows, whatever the file's endings. A lone `\r` stays (the
//! parser takes it as a line end, as before). A line break inside a quoted field becomes `\n`.

use std::io::{self, BufRead, Read};

/// A reader that turns `\r\n` into `\n`.
pub(crate) struct LfReader<R> {
    inner: R,
    /// A `\r` ended the last buffer: whether it is dropped depends on the next byte.
    pending_cr: bool,
    /// The `\r` bytes dropped so far, to count progress in bytes of the file.
    dropped: u64,
}

impl<R: BufRead> LfReader<R> {
    pub(crate) fn new(inner: R) -> Self {
        LfReader { inner, pending_cr: false, dropped: 0 }
    }

    /// How many bytes were dropped so far.
    pub(crate) fn dropped(&self) -> u64 {
        self.dropped
    }

    /// One pass over the buffered input into `out`; 0 can mean "only a held-back `\r`".
    fn read_some(&mut self, out: &mut [u8]) -> io::Result<(usize, bool)> {
        let buf = self.inner.fill_buf()?;
        if buf.is_empty() {
            if std::mem::take(&mut self.pending_cr) {
                out[0] = b'\r';
                return Ok((1, false));
            }
            return Ok((0, true));
        }
        let mut written = 0;
        if std::mem::take(&mut self.pending_cr) {
            if buf[0] == b'\n' {
                self.dropped += 1;
            } else {
                out[0] = b'\r';
                written = 1;
            }
        }
        let mut used = 0;
        while used < buf.len() && written < out.len() {
            let byte = buf[used];
            used += 1;
            if byte == b'\r' {
                match buf.get(used) {
                    Some(b'\n') => {
                        self.dropped += 1;
                        continue;
                    }
                    None => {
                        self.pending_cr = true;
                        break;
                    }
                    Some(_) => {}
                }
            }
            out[written] = byte;
            written += 1;
        }
        self.inner.consume(used);
        Ok((written, false))
    }
}

impl<R: BufRead> Read for LfReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            let (written, end) = self.read_some(out)?;
            if written > 0 || end {
                return Ok(written);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads all of `input` through a buffer of `capacity` bytes, `chunk` bytes at a time.
    fn through(input: &[u8], capacity: usize, chunk: usize) -> (Vec<u8>, u64) {
        let mut reader = LfReader::new(io::BufReader::with_capacity(capacity, input));
        let (mut out, mut buf) = (Vec::new(), vec![0; chunk]);
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                return (out, reader.dropped());
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    #[test]
    fn crlf_becomes_lf_at_every_buffer_boundary_and_lone_crs_stay() {
        let input = b"a;b\r\nc;d\ne;f\r\n\"x\r\ny\";z\rlast\r";
        let expected = b"a;b\nc;d\ne;f\n\"x\ny\";z\rlast\r";
        for capacity in 1..=input.len() {
            for chunk in [1, 2, 3, 64] {
                let (out, dropped) = through(input, capacity, chunk);
                assert_eq!(out, expected, "capacity {capacity}, chunk {chunk}");
                assert_eq!(dropped, 3);
            }
        }
    }
}
