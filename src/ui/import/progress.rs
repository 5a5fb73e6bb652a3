//! A run's progress as the browser keeps it (`localStorage`), so that a
//! reload, a crash or a closed tab loses nothing.
//!
//! A run is known by a hash of the file's bytes and of the mapping: the same
//! file mapped the same way is the same run. Its entries:
//!
//! - `setter-import:<run>:meta`: `v1`, rows, batch id, started (ms), state
//!   (`running` or `finished`), tab-separated;
//! - `setter-import:<run>:<chunk>`: the answered rows among rows
//!   `chunk * CHUNK_ROWS ..`, a line each (`row`, status, code, message).
//!   Each answer rewrites one chunk, at most a few kilobytes, not the whole run;
//! - `setter-import:<run>:edits`: the cells edited in place, a line each.
//!
//! A row is written as answered once its answer arrives; a row in flight at a
//! reload is sent again on resume (a `PUT` sets the same values twice).

use super::answer::RowOutcome;

/// The prefix of every key the importer stores.
pub const PREFIX: &str = "setter-import:";
/// How many rows' answers share one stored entry.
/// Small, since each answer rewrites its whole chunk: at 256 rows the writes
/// averaged 5 KB and took 0.11 ms an answer in Chromium, at 32 under 1 KB.
pub const CHUNK_ROWS: u32 = 32;

/// FNV-1a, 64 bits: enough to tell files apart on one operator's browser,
/// and no crypto in the wasm (`crypto.subtle` is also missing from the
/// plain-HTTP dashboards many internal tools still are).
pub fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The run of a file's bytes (hashed already) mapped by `mapping` (encoded).
pub fn run_id(file_hash: u64, mapping: &str) -> String {
    format!("{:016x}", hash(format!("{file_hash:016x}\u{1f}{mapping}").as_bytes()))
}

/// The key of a run's entry (`meta`, `edits`, or a chunk's number).
pub fn key(run: &str, entry: &str) -> String {
    format!("{PREFIX}{run}:{entry}")
}

/// The key of a chunk's entry.
pub fn chunk_key(run: &str, chunk: u32) -> String {
    key(run, &chunk.to_string())
}

/// The chunk a row's answer is kept in.
pub fn chunk_of(row: u32) -> u32 {
    row / CHUNK_ROWS
}

/// What a run's `meta` entry says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub rows: u32,
    pub batch: String,
    pub started_ms: u64,
    pub finished: bool,
}

impl Meta {
    pub fn encode(&self) -> String {
        let state = if self.finished { "finished" } else { "running" };
        format!("v1\t{}\t{}\t{}\t{state}", self.rows, self.batch, self.started_ms)
    }

    pub fn decode(text: &str) -> Option<Meta> {
        let mut parts = text.split('\t');
        if parts.next()? != "v1" {
            return None;
        }
        let rows = parts.next()?.parse().ok()?;
        let batch = parts.next()?.to_owned();
        let started_ms = parts.next()?.parse().ok()?;
        let finished = parts.next()? == "finished";
        Some(Meta { rows, batch, started_ms, finished })
    }
}

/// Text safe between tabs and line breaks: `\` `\t` `\n` `\r` escaped.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// Appends one answered row to a chunk's text.
pub fn write_answer(chunk: &mut String, row: u32, outcome: &RowOutcome, code: &str) {
    chunk.push_str(&row.to_string());
    chunk.push('\t');
    chunk.push_str(outcome.status());
    chunk.push('\t');
    escape(code, chunk);
    chunk.push('\t');
    if !outcome.is_success() {
        escape(outcome.message(), chunk);
    }
    chunk.push('\n');
}

/// The answered rows a chunk's text holds; lines it cannot read are skipped.
pub fn read_answers(chunk: &str) -> Vec<(u32, RowOutcome, String)> {
    chunk
        .lines()
        .filter_map(|line| {
            let mut parts = line.splitn(4, '\t');
            let row = parts.next()?.parse().ok()?;
            let status = parts.next()?;
            let code = unescape(parts.next()?);
            let outcome = RowOutcome::from_status(status, unescape(parts.next()?))?;
            Some((row, outcome, code))
        })
        .collect()
}

/// The edits, one line each: row, column, text.
pub fn write_edits<'a>(edits: impl Iterator<Item = (usize, usize, &'a str)>) -> String {
    let mut out = String::new();
    for (row, column, text) in edits {
        out.push_str(&format!("{row}\t{column}\t"));
        escape(text, &mut out);
        out.push('\n');
    }
    out
}

pub fn read_edits(text: &str) -> Vec<(usize, usize, String)> {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, '\t');
            Some((
                parts.next()?.parse().ok()?,
                parts.next()?.parse().ok()?,
                unescape(parts.next()?),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_and_mapping_are_the_same_run() {
        let file = hash(b"id,email\n1,a@b.co\n");
        assert_eq!(file, hash(b"id,email\n1,a@b.co\n"));
        assert_ne!(file, hash(b"id,email\n1,a@b.co"));
        assert_eq!(run_id(file, "id\u{1f}email"), run_id(file, "id\u{1f}email"));
        assert_ne!(run_id(file, "id\u{1f}email"), run_id(file, "id\u{1f}-"));
        assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325, "FNV-1a's offset basis");
        assert_eq!(hash(b"a"), 0xaf63_dc4c_8601_ec8c, "FNV-1a's published value for \"a\"");
    }

    #[test]
    fn answers_and_edits_round_trip_with_tabs_and_breaks_in_them() {
        let mut chunk = String::new();
        write_answer(&mut chunk, 3, &RowOutcome::Updated, "");
        write_answer(
            &mut chunk,
            9,
            &RowOutcome::Refused("bad\temail\nhere \\ there".into()),
            "invalid_field",
        );
        assert_eq!(
            read_answers(&chunk),
            [
                (3, RowOutcome::Updated, String::new()),
                (
                    9,
                    RowOutcome::Refused("bad\temail\nhere \\ there".into()),
                    "invalid_field".into()
                )
            ]
        );
        assert_eq!(read_answers("garbage\n1\tupdated\n"), [], "unreadable lines are skipped");

        let edits = [(1, 2, "a\tb"), (40_000, 0, "x\\n")];
        assert_eq!(
            read_edits(&write_edits(edits.into_iter())),
            [(1, 2, "a\tb".to_owned()), (40_000, 0, "x\\n".to_owned())]
        );
    }

    #[test]
    fn meta_round_trips_and_foreign_text_is_refused() {
        let meta = Meta {
            rows: 1000,
            batch: "imp-1".into(),
            started_ms: 1_700_000_000_000,
            finished: false,
        };
        assert_eq!(Meta::decode(&meta.encode()), Some(meta));
        assert_eq!(Meta::decode("v0\t1"), None);
        assert_eq!(chunk_of(CHUNK_ROWS - 1), 0);
        assert_eq!(chunk_of(CHUNK_ROWS), 1);
        assert_eq!(key("ab", "meta"), "setter-import:ab:meta");
        assert_eq!(chunk_key("ab", 3), "setter-import:ab:3");
    }
}
