//! The importer as a whole: a file, its mapping, every row's check and
//! outcome, and the run. Plain data; the browser half renders it and feeds
//! it events.

use super::answer::RowOutcome;
use super::check::{RowCheck, Sheet, check_row, duplicates};
use super::mapping::{Mapping, Target};
use super::reader::Table;
use super::schedule::{DEFAULT_CONCURRENCY, RunState, Schedule};
use crate::ui::csv::write_record;
use crate::ui::draft::IdentifierKind;

/// Where a row stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing<'a> {
    /// The contract found problems: it is not sent.
    Problems(&'a RowCheck),
    /// It names the same contact as an earlier row (by index): held back
    /// unless duplicates are allowed.
    HeldBack(u32),
    /// It will be sent.
    Ready,
    /// It is in flight.
    Sending,
    /// Its answer arrived.
    Answered(&'a RowOutcome, &'a str),
    /// The run was cancelled before it was sent.
    NotSent,
    /// Not checked: the mapping cannot be used yet.
    Unchecked,
}

impl Standing<'_> {
    /// The results file's `status`.
    pub fn status(&self) -> &'static str {
        match self {
            Standing::Problems(_) => "invalid",
            Standing::HeldBack(_) => "duplicate",
            Standing::Ready | Standing::NotSent | Standing::Unchecked => "not_sent",
            Standing::Sending => "sending",
            Standing::Answered(outcome, _) => outcome.status(),
        }
    }

    /// The results file's `code`.
    pub fn code(&self) -> &str {
        match self {
            Standing::Problems(_) => "invalid_field",
            Standing::HeldBack(_) => "duplicate_contact",
            Standing::Answered(_, code) => code,
            Standing::Ready | Standing::Sending | Standing::NotSent | Standing::Unchecked => "",
        }
    }

    /// The sentence for the row.
    pub fn message(&self, headers: &[String]) -> String {
        match self {
            Standing::Problems(check) => check
                .problems
                .iter()
                .map(|(column, sentence)| match column.and_then(|c| headers.get(c)) {
                    Some(header) => format!("{header}: {sentence}"),
                    None => sentence.clone(),
                })
                .collect::<Vec<_>>()
                .join(" "),
            Standing::HeldBack(row) => format!(
                "Names the same contact as row {}; held back (allow duplicates to send it too).",
                row + 1
            ),
            Standing::Ready => "Ready to send.".to_owned(),
            Standing::Sending => "Sending…".to_owned(),
            Standing::Answered(outcome, _) => outcome.message().to_owned(),
            Standing::NotSent => "Not sent: the import was cancelled.".to_owned(),
            Standing::Unchecked => "Not checked: fix the column mapping first.".to_owned(),
        }
    }

    /// Whether the row belongs in "rows with problems": not sendable, or
    /// sent and not updated.
    pub fn is_problem(&self) -> bool {
        match self {
            Standing::Problems(_) | Standing::HeldBack(_) => true,
            Standing::Answered(outcome, _) => !outcome.is_success(),
            Standing::Ready | Standing::Sending | Standing::NotSent | Standing::Unchecked => false,
        }
    }
}

/// The counts the importer shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub rows: usize,
    /// Valid, not held back (sent or not).
    pub ready: usize,
    pub problems: usize,
    pub held_back: usize,
    pub updated: usize,
    /// Answered, not updated.
    pub failed: usize,
    /// Ready and not answered yet.
    pub remaining: usize,
}

/// The importer's state.
#[derive(Debug, Default)]
pub struct Import {
    pub sheet: Sheet,
    pub mapping: Mapping,
    /// What the mapping lacks, if it cannot be used.
    pub mapping_error: Option<String>,
    checks: Vec<RowCheck>,
    duplicates: Vec<Option<u32>>,
    /// Whether rows naming a contact an earlier row names are sent too.
    pub allow_duplicates: bool,
    /// Whether the table shows only rows with problems.
    pub only_problems: bool,
    outcomes: Vec<Option<(RowOutcome, String)>>,
    /// The run, once started.
    pub schedule: Option<Schedule>,
    /// The concurrency the next run starts with (the control on screen).
    pub concurrency: usize,
    /// The first back-off of a retry, in milliseconds.
    pub backoff_ms: u32,
}

impl Import {
    /// An import of `table` with `mapping` (remembered, or guessed when `None`).
    pub fn new(table: Table, mapping: Option<Mapping>) -> Import {
        let mapping = mapping.unwrap_or_else(|| Mapping::guess(&table.headers));
        let rows = table.len();
        let mut import = Import {
            sheet: Sheet::new(table),
            mapping,
            outcomes: vec![None; rows],
            concurrency: DEFAULT_CONCURRENCY,
            backoff_ms: super::schedule::BACKOFF_MS,
            ..Import::default()
        };
        import.check_all();
        import
    }

    /// Runs every row through the contract again (after a mapping change).
    pub fn check_all(&mut self) {
        self.mapping_error =
            self.mapping.check(&self.sheet.table.headers).err().map(|e| e.to_string());
        self.checks = if self.mapping_error.is_some() {
            Vec::new()
        } else {
            (0..self.sheet.len()).map(|row| check_row(&self.sheet, &self.mapping, row)).collect()
        };
        self.duplicates = duplicates(&self.checks);
    }

    /// Sets what `column` fills, and checks every row again.
    pub fn set_target(&mut self, column: usize, target: Target) {
        if let Some(slot) = self.mapping.targets.get_mut(column) {
            *slot = target;
            self.check_all();
        }
    }

    /// Edits a cell and checks its row again at once (and the duplicates,
    /// which one row can change).
    pub fn edit(&mut self, row: usize, column: usize, text: String) {
        if row >= self.sheet.len() || column >= self.sheet.table.width() {
            return;
        }
        self.sheet.edit(row, column, text);
        if self.mapping_error.is_none() {
            self.checks[row] = check_row(&self.sheet, &self.mapping, row);
            self.duplicates = duplicates(&self.checks);
        }
    }

    /// The check of `row` (none while the mapping cannot be used).
    pub fn check(&self, row: usize) -> Option<&RowCheck> {
        self.checks.get(row)
    }

    /// Where `row` stands.
    pub fn standing(&self, row: usize) -> Standing<'_> {
        if let Some((outcome, code)) = &self.outcomes[row] {
            return Standing::Answered(outcome, code);
        }
        if let Some(schedule) = &self.schedule
            && schedule.in_flight().any(|r| r as usize == row)
        {
            return Standing::Sending;
        }
        match self.checks.get(row) {
            Some(check) if !check.is_valid() => return Standing::Problems(check),
            None => return Standing::Unchecked,
            Some(_) => {}
        }
        if let Some(of) = self.duplicates[row].filter(|_| !self.allow_duplicates) {
            return Standing::HeldBack(of);
        }
        match &self.schedule {
            Some(schedule) if schedule.state() == RunState::Cancelled => Standing::NotSent,
            _ => Standing::Ready,
        }
    }

    /// Whether `row` is to be sent: valid, not held back, not answered.
    fn is_ready(&self, row: usize) -> bool {
        self.outcomes[row].is_none()
            && self.checks.get(row).is_some_and(RowCheck::is_valid)
            && (self.allow_duplicates || self.duplicates[row].is_none())
    }

    pub fn counts(&self) -> Counts {
        let mut counts = Counts { rows: self.sheet.len(), ..Counts::default() };
        for row in 0..self.sheet.len() {
            match self.outcomes[row] {
                Some((ref outcome, _)) if outcome.is_success() => counts.updated += 1,
                Some(_) => counts.failed += 1,
                None => {}
            }
            match self.checks.get(row) {
                None => {}
                Some(check) if !check.is_valid() => counts.problems += 1,
                Some(_) if !self.allow_duplicates && self.duplicates[row].is_some() => {
                    counts.held_back += 1
                }
                Some(_) => {
                    counts.ready += 1;
                    if self.outcomes[row].is_none() {
                        counts.remaining += 1;
                    }
                }
            }
        }
        counts
    }

    /// The rows the table lists, in file order.
    pub fn view(&self) -> Vec<u32> {
        (0..self.sheet.len())
            .filter(|&row| !self.only_problems || self.standing(row).is_problem())
            .map(|row| row as u32)
            .collect()
    }

    /// Starts a run of every ready row (on resume, those not answered yet).
    pub fn start(&mut self, seed: u64) {
        let rows: Vec<u32> =
            (0..self.sheet.len()).filter(|&row| self.is_ready(row)).map(|row| row as u32).collect();
        self.schedule =
            Some(Schedule::new(rows, self.concurrency, seed).with_backoff(self.backoff_ms));
    }

    /// Whether a run is under way (started, with rows not answered).
    pub fn is_running(&self) -> bool {
        self.schedule
            .as_ref()
            .is_some_and(|s| s.remaining() > 0 && s.state() != RunState::Cancelled)
    }

    /// Records `row`'s final outcome.
    pub fn answer(&mut self, row: usize, outcome: RowOutcome, code: String) {
        if let Some(slot) = self.outcomes.get_mut(row) {
            *slot = Some((outcome, code));
        }
    }

    /// Every answered row, for storing.
    pub fn answers(&self) -> impl Iterator<Item = (u32, &RowOutcome, &str)> {
        self.outcomes.iter().enumerate().filter_map(|(row, answer)| {
            answer.as_ref().map(|(outcome, code)| (row as u32, outcome, code.as_str()))
        })
    }

    /// The identifier kind `row` is named by, for the sentences of its answer.
    pub fn kind(&self, row: usize) -> IdentifierKind {
        let field = self.checks.get(row).and_then(|check| check.identifier).and_then(|column| {
            match self.mapping.targets.get(column) {
                Some(Target::Field(field)) => Some(*field),
                _ => None,
            }
        });
        IdentifierKind::ALL.into_iter().find(|kind| Some(kind.field()) == field).unwrap_or_default()
    }

    /// The results file: every row's original cells (as edited), then
    /// `status`, `code` and `message`.
    pub fn results_csv(&self) -> String {
        self.csv(
            |_| true,
            &["status", "code", "message"],
            |standing, headers| {
                vec![
                    standing.status().to_owned(),
                    standing.code().to_owned(),
                    standing.message(headers),
                ]
            },
        )
    }

    /// The rows with problems (not sendable, or sent and not updated), with
    /// a `problem` column, to fix in a spreadsheet and import again.
    pub fn problems_csv(&self) -> String {
        self.csv(
            |standing| standing.is_problem(),
            &["problem"],
            |standing, headers| vec![standing.message(headers)],
        )
    }

    fn csv(
        &self,
        keep: impl Fn(&Standing) -> bool,
        extra: &[&str],
        cells: impl Fn(&Standing, &[String]) -> Vec<String>,
    ) -> String {
        let headers = &self.sheet.table.headers;
        let mut out = String::new();
        write_record(&mut out, headers.iter().map(String::as_str).chain(extra.iter().copied()));
        for row in 0..self.sheet.len() {
            let standing = self.standing(row);
            if !keep(&standing) {
                continue;
            }
            let extra = cells(&standing, headers);
            let own = (0..self.sheet.table.width()).map(|column| self.sheet.cell(row, column));
            write_record(&mut out, own.chain(extra.iter().map(String::as_str)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::import::reader::read;
    use crate::ui::import::schedule::Next;

    const FILE: &str = "id,email,note\n101,ada@example.com,=cmd|' /C calc'!A0\n102,bad@,\n101,again@example.com,\n103,,\n";

    fn import() -> Import {
        Import::new(read(FILE).unwrap(), None)
    }

    #[test]
    fn rows_are_counted_by_standing_and_duplicates_are_held_back_unless_allowed() {
        let mut import = import();
        assert_eq!(
            import.counts(),
            Counts {
                rows: 4,
                ready: 1,
                problems: 2,
                held_back: 1,
                remaining: 1,
                ..Counts::default()
            }
        );
        assert_eq!(import.standing(2), Standing::HeldBack(0));
        import.allow_duplicates = true;
        assert_eq!(import.counts().ready, 2);
        assert_eq!(import.standing(2), Standing::Ready);
    }

    #[test]
    fn only_problems_shows_the_rows_to_fix_and_an_edit_fixes_one_at_once() {
        let mut import = import();
        import.only_problems = true;
        assert_eq!(import.view(), [1, 2, 3]);
        import.edit(1, 1, "bad@example.com".into());
        assert_eq!(import.view(), [2, 3]);
        assert_eq!(import.standing(1), Standing::Ready);
    }

    #[test]
    fn a_run_sends_the_ready_rows_and_resume_skips_the_answered() {
        let mut import = import();
        import.edit(1, 1, "bad@example.com".into());
        import.start(1);
        let schedule = import.schedule.as_mut().unwrap();
        assert_eq!(schedule.next(0.0), Next::Send(0));
        assert_eq!(schedule.next(0.0), Next::Send(1));
        import.answer(0, RowOutcome::Updated, String::new());
        assert_eq!(import.standing(1), Standing::Sending);

        // After a reload: the answer is restored and the rest is sent again.
        import.start(2);
        let schedule = import.schedule.as_mut().unwrap();
        assert_eq!(schedule.next(0.0), Next::Send(1));
        assert_eq!(schedule.next(0.0), Next::WaitForAnswers, "row 0 is not sent again");
    }

    #[test]
    fn results_keep_every_column_and_row_and_defuse_formulas() {
        let mut import = import();
        import.answer(
            0,
            RowOutcome::NotFound("No contact has that contact ID".into()),
            "not_found".into(),
        );
        let results = import.results_csv();
        let lines: Vec<&str> = results.split("\r\n").collect();
        assert_eq!(lines[0], "id,email,note,status,code,message");
        assert_eq!(
            lines[1],
            "101,ada@example.com,\"'=cmd|' /C calc'!A0\",not_found,not_found,No contact has that contact ID"
        );
        assert!(lines[2].starts_with("102,bad@,,invalid,invalid_field,email: "), "{}", lines[2]);
        assert!(
            lines[3].contains("duplicate,duplicate_contact,\"Names the same contact as row 1;"),
            "{}",
            lines[3]
        );
        assert_eq!(lines.len(), 6, "a header, four rows, and the final line break");

        // Read back, the results are the same table (quoting round-trips).
        let read_back = read(&results).unwrap();
        assert_eq!(read_back.len(), 4);
        assert_eq!(read_back.cell(0, 2), "'=cmd|' /C calc'!A0");
        assert_eq!(read_back.cell(0, 5), "No contact has that contact ID");

        let problems = import.problems_csv();
        assert_eq!(
            read(&problems).unwrap().len(),
            4,
            "the 404, the bad email, the duplicate, the empty row"
        );
    }
}
