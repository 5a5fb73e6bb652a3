//! CSV as spreadsheets write and read it (RFC 4180, and what Excel does).
//!
//! The writer quotes what needs quoting and defuses cells a spreadsheet would
//! run as a formula: one that begins with `=`, `+`, `-`, `@`, a tab or a
//! carriage return gets a leading `'` (OWASP's advice), so that opening an
//! export never runs what someone typed into a contact. The audit trail's
//! export (the proxy) and the bulk importer's results (the widget) write
//! with it.

/// Appends `cell` to `out`, defused and quoted as needed.
pub fn write_cell(out: &mut String, cell: &str) {
    let defuse = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = defuse || cell.contains([',', ';', '"', '\n', '\r', '\t']) || cell.trim() != cell;
    if quote {
        out.push('"');
    }
    if defuse {
        out.push('\'');
    }
    for c in cell.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
}

/// Appends one record: `cells` separated by commas, ended by CRLF.
pub fn write_record<'a>(out: &mut String, cells: impl IntoIterator<Item = &'a str>) {
    for (index, cell) in cells.into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_cell(out, cell);
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(cells: &[&str]) -> String {
        let mut out = String::new();
        write_record(&mut out, cells.iter().copied());
        out
    }

    #[test]
    fn cells_are_quoted_when_they_must_be() {
        assert_eq!(
            record(&["plain", "a,b", "say \"hi\"", "two\nlines", ""]),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n"
        );
        assert_eq!(record(&[" padded "]), "\" padded \"\r\n");
    }

    #[test]
    fn formulas_are_defused() {
        for formula in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://evil\")"]
        {
            let written = record(&[formula]);
            assert!(written.starts_with("\"'"), "{formula:?} -> {written:?}");
        }
        assert_eq!(record(&["a=b"]), "a=b\r\n", "only a leading sign is a formula");
    }
}
