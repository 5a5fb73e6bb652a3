//! Reading a CSV file as spreadsheets write it: RFC 4180 and what Excel does
//! beside it.
//!
//! - A byte-order mark glued to the first header is dropped (the most common
//!   importer bug: a header `\u{feff}id` that matches nothing).
//! - The delimiter is sniffed from the header line: `,`, `;` (Excel in
//!   European locales) or a tab, whichever appears most outside quotes.
//! - Quoted fields may hold delimiters, quotes (doubled) and line breaks;
//!   records end in `\r\n`, `\n` or `\r`, the last one with or without.
//! - Blank lines are skipped; a record with more or fewer fields than the
//!   header is kept (missing cells empty, extra ones dropped) and reported.
//!
//! The bytes are decoded by the browser (UTF-8, else windows-1252): this
//! reads text.

/// The most bytes a file may have.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// The most data rows (records after the header) a file may have.
pub const MAX_ROWS: usize = 50_000;

/// A file read: its header and its data rows, every row as wide as the header.
///
/// The cells live in one string, end to end, not a `String` each: 50,000 rows
/// of 9 columns would be 450,000 allocations, and the widget's small
/// allocator is not made for that many.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub headers: Vec<String>,
    /// The delimiter found.
    pub delimiter: char,
    /// Rows whose width was not the header's: (row index, cells it had).
    pub ragged: Vec<(usize, usize)>,
    /// The line each row starts on (from 1, the header's being 1).
    pub lines: Vec<u32>,
    /// Every data cell, row after row, end to end.
    text: String,
    /// Where each cell ends in `text` (its start is the previous one's end).
    ends: Vec<u32>,
}

impl Table {
    /// How many data rows there are.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether there are no data rows (a read table always has some).
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// How many columns there are.
    pub fn width(&self) -> usize {
        self.headers.len()
    }

    /// The cell of `row` in `column`, as read.
    pub fn cell(&self, row: usize, column: usize) -> &str {
        let index = row * self.width() + column;
        let start = if index == 0 { 0 } else { self.ends[index - 1] as usize };
        // (`get`: the ends are char boundaries, and a slice's panic message
        // would cost the wasm its formatting code.)
        self.text.get(start..self.ends[index] as usize).unwrap_or_default()
    }

    /// The cells of `row`, as read.
    pub fn row(&self, row: usize) -> impl Iterator<Item = &str> {
        (0..self.width()).map(move |column| self.cell(row, column))
    }
}

/// Why a file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("The file is larger than 10 MB ({0} MB): split it into smaller files.")]
    TooLarge(usize),
    #[error("The file has more than 50,000 rows: split it into smaller files.")]
    TooManyRows,
    #[error("The file is empty: it needs a header row naming its columns, and rows below it.")]
    Empty,
    #[error("The file has a header row but no rows of contacts below it.")]
    NoRows,
    #[error("A quoted cell that starts on line {0} is never closed: check that line's quotes.")]
    OpenQuote(u32),
}

/// Checks the size of a file before it is decoded.
pub fn check_size(bytes: usize) -> Result<(), ReadError> {
    if bytes > MAX_BYTES { Err(ReadError::TooLarge(bytes.div_ceil(1024 * 1024))) } else { Ok(()) }
}

/// The delimiter of `text`: the one of `,`, `;` and tab that its first line
/// holds most often outside quotes (`,` when it holds none).
pub fn sniff_delimiter(text: &str) -> char {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\r' | '\n' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    if counts[best] == 0 { ',' } else { [',', ';', '\t'][best] }
}

/// Reads `text` (decoded, its BOM still there or not).
pub fn read(text: &str) -> Result<Table, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = sniff_delimiter(text);
    let mut table = Table { delimiter, ..Table::default() };
    table.text.reserve(text.len());
    let mut records = Records { chars: text.chars().peekable(), delimiter, line: 1 };

    // The header, the first record that is not blank.
    let mut first = Vec::new();
    loop {
        let mut cells = Cells { text: &mut table.text, ends: &mut first };
        if records.next(&mut cells)?.is_none() {
            return Err(ReadError::Empty);
        }
        if !table.text.is_empty() {
            break;
        }
        first.clear();
    }
    let mut start = 0;
    for end in first {
        table
            .headers
            .push(table.text.get(start..end as usize).unwrap_or_default().trim().to_owned());
        start = end as usize;
    }
    table.text.clear();

    let width = table.headers.len();
    loop {
        let (text_before, cells_before) = (table.text.len(), table.ends.len());
        let mut cells = Cells { text: &mut table.text, ends: &mut table.ends };
        let Some(line) = records.next(&mut cells)? else { break };
        let had = table.ends.len() - cells_before;
        if table.text.len() == text_before {
            table.ends.truncate(cells_before); // a blank line
            continue;
        }
        if table.len() == MAX_ROWS {
            return Err(ReadError::TooManyRows);
        }
        if had != width {
            table.ragged.push((table.len(), had));
            if had > width {
                table.ends.truncate(cells_before + width);
                let end = table.ends[cells_before + width - 1];
                table.text.truncate(end as usize);
            } else {
                let end = table.text.len() as u32;
                table.ends.resize(cells_before + width, end);
            }
        }
        table.lines.push(line);
    }
    if table.is_empty() {
        return Err(ReadError::NoRows);
    }
    Ok(table)
}

/// Where a record's cells go.
struct Cells<'a> {
    text: &'a mut String,
    ends: &'a mut Vec<u32>,
}

impl Cells<'_> {
    fn end_cell(&mut self) {
        self.ends.push(self.text.len() as u32);
    }
}

/// The records of a text, one at a time.
struct Records<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    delimiter: char,
    /// The line the next record starts on.
    line: u32,
}

impl Records<'_> {
    /// Reads the next record into `cells`, and says the line it starts on;
    /// `None` at the end.
    fn next(&mut self, cells: &mut Cells) -> Result<Option<u32>, ReadError> {
        let start = self.line;
        if self.chars.peek().is_none() {
            return Ok(None);
        }
        let mut quoted = false;
        // A quote is an opening quote only at the start of a cell.
        let mut at_cell_start = true;
        while let Some(c) = self.chars.next() {
            if quoted {
                match c {
                    '"' if self.chars.peek() == Some(&'"') => {
                        self.chars.next();
                        cells.text.push('"');
                    }
                    '"' => quoted = false,
                    '\n' => {
                        self.line += 1;
                        cells.text.push('\n');
                    }
                    '\r' => {
                        self.line += 1;
                        if self.chars.peek() == Some(&'\n') {
                            self.chars.next();
                        }
                        cells.text.push('\n');
                    }
                    c => cells.text.push(c),
                }
                continue;
            }
            match c {
                '"' if at_cell_start => {
                    quoted = true;
                    at_cell_start = false;
                }
                c if c == self.delimiter => {
                    cells.end_cell();
                    at_cell_start = true;
                }
                '\r' | '\n' => {
                    if c == '\r' && self.chars.peek() == Some(&'\n') {
                        self.chars.next();
                    }
                    self.line += 1;
                    cells.end_cell();
                    return Ok(Some(start));
                }
                c => {
                    cells.text.push(c);
                    at_cell_start = false;
                }
            }
        }
        if quoted {
            return Err(ReadError::OpenQuote(start));
        }
        cells.end_cell();
        Ok(Some(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Vec<String>> {
        let table = read(text).unwrap();
        (0..table.len()).map(|row| table.row(row).map(str::to_owned).collect()).collect()
    }

    #[test]
    fn a_bom_glued_to_the_first_header_is_dropped() {
        let table = read("\u{feff}id,firstName\n1,Ada\n").unwrap();
        assert_eq!(table.headers, ["id", "firstName"]);
    }

    #[test]
    fn the_delimiter_is_sniffed_from_the_header_line() {
        assert_eq!(read("id;firstName;email\n1;Ada;a@b.co\n").unwrap().delimiter, ';');
        assert_eq!(read("id\tfirstName\n1\tAda, Countess\n").unwrap().delimiter, '\t');
        assert_eq!(read("\"a;b\",c\n1,2\n").unwrap().delimiter, ',', "not inside quotes");
        assert_eq!(sniff_delimiter("id"), ',');
        assert_eq!(rows("id;firstName\n1;Ada, Countess\n"), [["1", "Ada, Countess"]]);
    }

    #[test]
    fn quoted_cells_hold_delimiters_quotes_and_line_breaks() {
        let text =
            "id,note\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\r\nlines\"\n4,plain\"quote\n";
        assert_eq!(
            rows(text),
            [["1", "a, b"], ["2", "say \"hi\""], ["3", "two\nlines"], ["4", "plain\"quote"]]
        );
        assert_eq!(
            read(text).unwrap().lines,
            [2, 3, 4, 6],
            "a cell's line break moves the next row's line"
        );
    }

    #[test]
    fn every_line_ending_and_none_at_the_end() {
        for text in
            ["id,n\r\n1,a\r\n2,b\r\n", "id,n\n1,a\n2,b", "id,n\r1,a\r2,b\r", "id,n\r\n1,a\n2,b"]
        {
            assert_eq!(rows(text), [["1", "a"], ["2", "b"]], "{text:?}");
        }
    }

    #[test]
    fn blank_lines_are_skipped_and_ragged_rows_reported() {
        let text = "id,a,b\n\n1,x,y\n,,\n2,x\n3,x,y,z\n\n";
        assert_eq!(rows(text), [["1", "x", "y"], ["2", "x", ""], ["3", "x", "y"]]);
        let table = read(text).unwrap();
        assert_eq!(table.ragged, [(1, 2), (2, 4)]);
        assert_eq!(table.lines, [3, 5, 6]);
    }

    #[test]
    fn the_limits_and_empty_files_are_said_plainly() {
        assert_eq!(check_size(MAX_BYTES), Ok(()));
        assert_eq!(check_size(MAX_BYTES + 1), Err(ReadError::TooLarge(11)));
        let many = format!("id\n{}", "1\n".repeat(MAX_ROWS));
        assert_eq!(read(&many).unwrap().len(), MAX_ROWS);
        let too_many = format!("id\n{}", "1\n".repeat(MAX_ROWS + 1));
        assert_eq!(read(&too_many), Err(ReadError::TooManyRows));
        assert_eq!(read(""), Err(ReadError::Empty));
        assert_eq!(read("\n\n"), Err(ReadError::Empty));
        assert_eq!(read("\n,\nid\n1\n").unwrap().headers, ["id"], "blank lines before the header");
        assert_eq!(read("id,name\n"), Err(ReadError::NoRows));
        assert_eq!(read("id,note\n1,\"open\n2,x\n"), Err(ReadError::OpenQuote(2)));
        assert!(ReadError::TooManyRows.to_string().contains("50,000"));
    }
}
