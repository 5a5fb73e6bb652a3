//! The importer's markup and its vocabulary: the element's HTML, written once
//! at mount, and the HTML of the table's rows, written for the rows in view.
//!
//! As for the form, every id and action is a type here, shared by the markup
//! and the widget that reads it back. The file's text (headers and cells) is
//! written into the rows' HTML, always through [`Html::text`] and
//! [`Html::attribute`], which escape it.

use super::check::RowCheck;
use super::mapping::{Mapping, Target};
use super::model::{Import, Standing};
use super::reader::{MAX_ROWS, Table};
use super::schedule::{DEFAULT_CONCURRENCY, MAX_CONCURRENCY};
use crate::ui::html::Html;
use crate::ui::vocabulary::ACTION_ATTRIBUTE;

/// The class of the importer's container (beside the form's, whose buttons
/// and inputs it shares).
pub const IMPORT_CLASS: &str = "sci";
/// The attribute of a cell's input, and of a mapping `<select>`: its column.
pub const COLUMN_ATTRIBUTE: &str = "data-col";
/// The attribute of a table row and its inputs: the row's index in the file.
pub const ROW_ATTRIBUTE: &str = "data-row";
/// The height of a table row, in CSS pixels: the table shows only the rows
/// in view, and places them by this.
pub const ROW_HEIGHT_PX: u32 = 52;

/// The importer's elements that the widget reads or writes, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportPart {
    /// The file `<input>`, and the zone a file may be dropped on.
    File,
    Drop,
    /// What was read (or why nothing could be).
    FileState,
    /// The offer to resume a run kept in this browser, and its sentence.
    Saved,
    SavedState,
    /// The mapping: its group, its rows, its problem.
    Mapping,
    MappingRows,
    MappingError,
    /// The check: its group, the counts, and the two switches.
    Check,
    Counts,
    OnlyProblems,
    AllowDuplicates,
    /// The table: its scrolling box, header row and body.
    Table,
    TableHead,
    TableBody,
    /// The spacers above and below the rows in view.
    Above,
    Below,
    /// Sending: its group, the concurrency, the progress bar and text.
    Send,
    Concurrency,
    Bar,
    Progress,
    /// The live region: said at the start, at waits, at the end.
    Summary,
    /// The results group.
    Results,
}

impl ImportPart {
    pub const ALL: [ImportPart; 23] = [
        ImportPart::File,
        ImportPart::Drop,
        ImportPart::FileState,
        ImportPart::Saved,
        ImportPart::SavedState,
        ImportPart::Mapping,
        ImportPart::MappingRows,
        ImportPart::MappingError,
        ImportPart::Check,
        ImportPart::Counts,
        ImportPart::OnlyProblems,
        ImportPart::AllowDuplicates,
        ImportPart::Table,
        ImportPart::TableHead,
        ImportPart::TableBody,
        ImportPart::Above,
        ImportPart::Below,
        ImportPart::Send,
        ImportPart::Concurrency,
        ImportPart::Bar,
        ImportPart::Progress,
        ImportPart::Summary,
        ImportPart::Results,
    ];

    pub const fn id(self) -> &'static str {
        match self {
            ImportPart::File => "file",
            ImportPart::Drop => "drop",
            ImportPart::FileState => "file-state",
            ImportPart::Saved => "saved",
            ImportPart::SavedState => "saved-state",
            ImportPart::Mapping => "mapping",
            ImportPart::MappingRows => "mapping-rows",
            ImportPart::MappingError => "mapping-error",
            ImportPart::Check => "check",
            ImportPart::Counts => "counts",
            ImportPart::OnlyProblems => "only-problems",
            ImportPart::AllowDuplicates => "allow-duplicates",
            ImportPart::Table => "table",
            ImportPart::TableHead => "table-head",
            ImportPart::TableBody => "table-body",
            ImportPart::Above => "above",
            ImportPart::Below => "below",
            ImportPart::Send => "send",
            ImportPart::Concurrency => "concurrency",
            ImportPart::Bar => "bar",
            ImportPart::Progress => "progress",
            ImportPart::Summary => "summary",
            ImportPart::Results => "results",
        }
    }
}

/// What a button of the importer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportAction {
    Start,
    Pause,
    Resume,
    Cancel,
    DownloadResults,
    DownloadProblems,
    /// Resume the run kept in this browser, or start it over.
    ResumeSaved,
    StartOver,
    /// Forget every finished run kept in this browser.
    ClearFinished,
}

impl ImportAction {
    pub const ALL: [ImportAction; 9] = [
        ImportAction::Start,
        ImportAction::Pause,
        ImportAction::Resume,
        ImportAction::Cancel,
        ImportAction::DownloadResults,
        ImportAction::DownloadProblems,
        ImportAction::ResumeSaved,
        ImportAction::StartOver,
        ImportAction::ClearFinished,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ImportAction::Start => "start",
            ImportAction::Pause => "pause",
            ImportAction::Resume => "resume",
            ImportAction::Cancel => "cancel",
            ImportAction::DownloadResults => "download-results",
            ImportAction::DownloadProblems => "download-problems",
            ImportAction::ResumeSaved => "resume-saved",
            ImportAction::StartOver => "start-over",
            ImportAction::ClearFinished => "clear-finished",
        }
    }

    pub fn from_name(name: &str) -> Option<ImportAction> {
        ImportAction::ALL.into_iter().find(|action| action.as_str() == name)
    }

    /// The button's label.
    pub const fn label(self) -> &'static str {
        match self {
            ImportAction::Start => "Send ready rows",
            ImportAction::Pause => "Pause",
            ImportAction::Resume => "Resume",
            ImportAction::Cancel => "Cancel",
            ImportAction::DownloadResults => "Download results",
            ImportAction::DownloadProblems => "Download rows with problems",
            ImportAction::ResumeSaved => "Resume",
            ImportAction::StartOver => "Start over",
            ImportAction::ClearFinished => "Clear finished imports",
        }
    }
}

fn button(h: &mut Html, action: ImportAction, primary: bool) {
    h.raw("<button type='button'")
        .attribute("class", if primary { "scf-submit" } else { "scf-secondary" })
        .attribute(ACTION_ATTRIBUTE, action.as_str())
        .attribute("id", action.as_str())
        .raw(">")
        .text(action.label())
        .raw("</button>");
}

fn open(h: &mut Html, tag: &str, part: ImportPart, class: &str) {
    h.raw("<").raw(tag).attribute("id", part.id());
    if !class.is_empty() {
        h.attribute("class", class);
    }
}

/// The importer, whole but for the mapping's and the table's rows; every
/// group after the file's hidden until a file is read.
pub fn importer() -> String {
    let mut h = Html::with_capacity(4 * 1024);
    open(&mut h, "div", ImportPart::Drop, "sci-drop");
    h.raw("><label class='scf-secondary sci-pick'>Choose a CSV file<input type='file'")
        .attribute("id", ImportPart::File.id())
        .attribute("accept", ".csv,.tsv,.txt,text/csv,text/plain,text/tab-separated-values")
        .raw("></label><span>or drop it here.</span><p class='scf-hint'>")
        .text(&format!(
            "A header row, then a row per contact: comma, semicolon or tab separated, UTF-8 or Windows-1252, up to 10 MB and {} rows. Empty cells leave a field as it is.",
            group_digits(MAX_ROWS)
        ))
        .raw("</p></div>");
    open(&mut h, "p", ImportPart::FileState, "sci-file-state");
    h.raw(" role='status'></p>");

    open(&mut h, "div", ImportPart::Saved, "sci-saved");
    h.raw(" role='group' aria-labelledby='saved-state' hidden>");
    open(&mut h, "p", ImportPart::SavedState, "");
    h.raw("></p>");
    button(&mut h, ImportAction::ResumeSaved, true);
    button(&mut h, ImportAction::StartOver, false);
    h.raw("</div>");

    open(&mut h, "fieldset", ImportPart::Mapping, "scf-group");
    h.raw(" hidden><legend>Columns</legend><p class='scf-hint'>Each column fills the field shown; change any, or ignore it.</p>")
        .raw("<table class='sci-mapping'><thead><tr><th scope='col'>Column</th><th scope='col'>First value</th><th scope='col'>Fills</th></tr></thead>");
    open(&mut h, "tbody", ImportPart::MappingRows, "");
    h.raw("></tbody></table>");
    open(&mut h, "p", ImportPart::MappingError, "scf-error");
    h.raw(" role='alert' hidden></p></fieldset>");

    open(&mut h, "fieldset", ImportPart::Check, "scf-group");
    h.raw(" hidden><legend>Rows</legend>");
    open(&mut h, "p", ImportPart::Counts, "sci-counts");
    h.raw("></p><div class='sci-switches'>");
    for (part, label) in [
        (ImportPart::OnlyProblems, "Show only rows with problems"),
        (
            ImportPart::AllowDuplicates,
            "Also send later rows that name a contact an earlier row names",
        ),
    ] {
        h.raw("<label class='sci-switch'><input type='checkbox'")
            .attribute("id", part.id())
            .raw(">")
            .text(label)
            .raw("</label>");
    }
    h.raw("</div>");
    open(&mut h, "div", ImportPart::Table, "sci-table");
    h.raw(" tabindex='0' role='region' aria-label='Rows of the file'><fieldset class='sci-cells'><table><thead>");
    open(&mut h, "tr", ImportPart::TableHead, "");
    h.raw("></tr></thead>");
    // Spacers stand for the rows out of view, above and below; each in a
    // body of its own, so that writing the rows in view leaves them be.
    for (part, before) in [(ImportPart::Above, true), (ImportPart::Below, false)] {
        if !before {
            open(&mut h, "tbody", ImportPart::TableBody, "");
            h.raw("></tbody>");
        }
        h.raw("<tbody><tr role='presentation' class='sci-spacer'").attribute("id", part.id());
        h.raw("><td></td></tr></tbody>");
    }
    h.raw("</table></fieldset></div></fieldset>");

    open(&mut h, "fieldset", ImportPart::Send, "scf-group");
    h.raw(" hidden><legend>Send</legend><div class='scf-actions'><label class='sci-concurrency'>At once ");
    h.raw("<input type='number'")
        .attribute("id", ImportPart::Concurrency.id())
        .attribute("min", "1")
        .attribute("max", &MAX_CONCURRENCY.to_string())
        .attribute("value", &DEFAULT_CONCURRENCY.to_string())
        .raw("></label>");
    for (action, primary) in [
        (ImportAction::Start, true),
        (ImportAction::Pause, false),
        (ImportAction::Resume, false),
        (ImportAction::Cancel, false),
    ] {
        button(&mut h, action, primary);
    }
    h.raw("</div>");
    open(&mut h, "progress", ImportPart::Bar, "sci-bar");
    h.raw(" max='1' value='0' aria-labelledby='progress'></progress>");
    open(&mut h, "p", ImportPart::Progress, "sci-progress");
    h.raw("></p>");
    open(&mut h, "p", ImportPart::Summary, "scf-status");
    h.raw(" role='status' aria-live='polite'></p></fieldset>");

    open(&mut h, "div", ImportPart::Results, "scf-actions");
    h.raw(" hidden>");
    button(&mut h, ImportAction::DownloadResults, false);
    button(&mut h, ImportAction::DownloadProblems, false);
    button(&mut h, ImportAction::ClearFinished, false);
    h.raw("</div>");
    h.finish()
}

/// `1 row`, `2 rows`, `50,000 rows`.
pub fn rows(n: usize) -> String {
    match n {
        1 => "1 row".to_owned(),
        n => format!("{} rows", group_digits(n)),
    }
}

/// `50000` as `50,000`.
pub fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The mapping's rows: a column each, with its first value and a `<select>`.
pub fn mapping_rows(table: &Table, mapping: &Mapping) -> String {
    let mut h = Html::with_capacity(512 * table.width());
    for (column, header) in table.headers.iter().enumerate() {
        let id = format!("map-{column}");
        h.raw("<tr><th scope='row'><label").attribute("for", &id).raw(">");
        h.text(if header.is_empty() { "(no header)" } else { header }).raw("</label></th><td>");
        h.text(table.cell(0, column)).raw("</td><td><select").attribute("id", &id);
        h.attribute(COLUMN_ATTRIBUTE, &column.to_string()).raw(">");
        let current = mapping.targets.get(column).cloned().unwrap_or(Target::Ignore);
        for target in Mapping::choices(header) {
            h.raw("<option").attribute("value", &target.encode());
            h.flag("selected", target == current).raw(">").text(&target.label()).raw("</option>");
        }
        h.raw("</select></td></tr>");
    }
    h.finish()
}

/// The table's header row: the row number, the status, and every column
/// with the field it fills.
pub fn head_row(import: &Import) -> String {
    let mut h = Html::default();
    h.raw("<th scope='col'>Row</th><th scope='col'>Status</th>");
    for (column, header) in import.sheet.table.headers.iter().enumerate() {
        let target = import.mapping.targets.get(column).cloned().unwrap_or(Target::Ignore);
        h.raw("<th scope='col'>").text(header).raw("<small>");
        h.text(&if target == Target::Ignore { "ignored".to_owned() } else { target.label() });
        h.raw("</small></th>");
    }
    h.finish()
}

/// What the status cell of a row says, short.
pub fn status_text(import: &Import, row: usize) -> String {
    let standing = import.standing(row);
    let headers = &import.sheet.table.headers;
    match standing {
        Standing::Ready => match import.check(row).and_then(|check| check.identifier) {
            Some(column) => format!("Ready — by {}", headers[column]),
            None => "Ready".to_owned(),
        },
        Standing::Problems(check) => {
            let sentence = |(column, sentence): &(Option<usize>, String)| match column {
                Some(column) => format!("{}: {sentence}", headers[*column]),
                None => sentence.clone(),
            };
            let first = check.problems.first().map(sentence).unwrap_or_default();
            match check.problems.len() {
                1 => first,
                n => format!("{n} problems. {first}"),
            }
        }
        Standing::Answered(outcome, _) if !outcome.is_success() => {
            format!("{}: {}", short_status(outcome.status()), outcome.message())
        }
        other => other.message(headers),
    }
}

fn short_status(status: &str) -> &'static str {
    match status {
        "not_found" => "No such contact",
        "several_contacts" => "Several contacts",
        "no_access" => "No access",
        "refused" => "Refused by Setter",
        _ => "Failed",
    }
}

/// A row's identity for rendering: when it changes, the row is written again.
pub fn row_signature(import: &Import, row: usize) -> String {
    let mut signature = status_text(import, row);
    if let Some(check) = import.check(row) {
        for (column, sentence) in &check.problems {
            let column = column.map_or(String::new(), |column| column.to_string());
            signature.push_str(&format!("\u{1f}{column}\u{1f}{sentence}"));
        }
    }
    signature
}

/// The table rows for `rows` (indices into the file).
pub fn table_rows(import: &Import, rows: &[u32]) -> String {
    let mut h = Html::with_capacity(rows.len() * 200 * (import.sheet.table.width() + 2));
    for &row in rows {
        table_row(&mut h, import, row as usize);
    }
    h.finish()
}

fn table_row(h: &mut Html, import: &Import, row: usize) {
    let standing = import.standing(row);
    let number = (row + 1).to_string();
    h.raw("<tr").attribute(ROW_ATTRIBUTE, &row.to_string());
    h.attribute("aria-rowindex", &(row + 2).to_string());
    h.attribute("data-standing", standing.status()).raw("><th scope='row'>").text(&number);
    h.raw("</th><td class='sci-status'>").text(&status_text(import, row)).raw("</td>");
    let check: Option<&RowCheck> = import.check(row);
    let headers = &import.sheet.table.headers;
    for (column, header) in headers.iter().enumerate() {
        let problem = check.and_then(|check| check.on(column));
        let used = check.and_then(|check| check.identifier) == Some(column);
        let ignored = import.mapping.targets.get(column) == Some(&Target::Ignore);
        h.raw("<td");
        if used {
            h.attribute("class", "sci-used");
        } else if ignored {
            h.attribute("class", "sci-ignored");
        }
        h.raw("><input").attribute("value", import.sheet.cell(row, column));
        h.attribute(ROW_ATTRIBUTE, &row.to_string())
            .attribute(COLUMN_ATTRIBUTE, &column.to_string());
        let mut label = format!("{header}, row {number}");
        if used {
            label.push_str(", names the contact");
        }
        h.attribute("aria-label", &label);
        let problem_id = format!("p{row}-{column}");
        if problem.is_some() {
            h.attribute("aria-invalid", "true").attribute("aria-describedby", &problem_id);
        }
        h.raw("><small").attribute("id", &problem_id);
        if let Some(problem) = problem {
            h.attribute("title", problem).raw(">").text(problem);
        } else {
            h.raw(">");
        }
        h.raw("</small></td>");
    }
    h.raw("</tr>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::import::reader::read;

    #[test]
    fn ids_and_actions_are_unique_and_read_back() {
        let mut ids: Vec<&str> = ImportPart::ALL.iter().map(|part| part.id()).collect();
        ids.extend(ImportAction::ALL.iter().map(|action| action.as_str()));
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count);
        for action in ImportAction::ALL {
            assert_eq!(ImportAction::from_name(action.as_str()), Some(action));
        }
        let html = importer();
        for part in ImportPart::ALL {
            assert!(html.contains(&format!("id='{}'", part.id())), "{part:?}");
        }
        for action in ImportAction::ALL {
            assert!(html.contains(&format!("id='{}'", action.as_str())), "{action:?}");
        }
        // The widget keeps the elements found at mount in these orders and
        // indexes them by the enums' values.
        assert!(ImportPart::ALL.iter().enumerate().all(|(i, part)| *part as usize == i));
        assert!(ImportAction::ALL.iter().enumerate().all(|(i, action)| *action as usize == i));
    }

    #[test]
    fn cells_are_escaped_and_problems_described() {
        let import = Import::new(read("id,email\n1,<b>'x'</b>\n").unwrap(), None);
        let html = table_rows(&import, &[0]);
        assert!(html.contains("value='&lt;b&gt;&#39;x&#39;&lt;/b&gt;'"), "{html}");
        assert!(!html.contains("<b>"));
        assert!(html.contains("aria-invalid='true' aria-describedby='p0-1'"), "{html}");
        assert!(html.contains("class='sci-used'"), "the identifier cell is marked");
        assert!(status_text(&import, 0).starts_with("email: "), "{}", status_text(&import, 0));
        let mapping = mapping_rows(&import.sheet.table, &import.mapping);
        assert!(mapping.contains("<option value='email' selected>Email</option>"), "{mapping}");
        assert!(mapping.contains("&lt;b&gt;"), "the first value, escaped");
    }

    #[test]
    fn digits_are_grouped() {
        assert_eq!(group_digits(50_000), "50,000");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1_234_567), "1,234,567");
    }
}
