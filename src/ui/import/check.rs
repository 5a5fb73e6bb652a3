//! Every row of a file through the contract, before anything is sent.
//!
//! A row becomes a [`Draft`], exactly what the form would hold had the
//! operator typed the row into it, and [`Draft::check`] runs the contract
//! over it: the same update, the same rules, the same sentences. An empty
//! cell (or one of spaces only) leaves its field unchanged, as an empty input
//! does; the row's contact is named by its first non-empty identifier column.
//! Each problem is placed on the cell it concerns, or on the row as a whole.

use super::mapping::{Mapping, Target};
use super::reader::Table;
use crate::contract::{Field, ValidUpdate};
use crate::ui::draft::{Draft, DraftRow, IdentifierKind};

/// A file's table with the operator's edits over it.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub table: Table,
    /// Cells edited in place: ((row, column), the new text), sorted. A
    /// sorted `Vec`, not a map: edits are few, and a map's code would cost
    /// the wasm kilobytes for each of its key and value types.
    edits: Vec<((u32, u32), String)>,
}

impl Sheet {
    pub fn new(table: Table) -> Sheet {
        Sheet { table, edits: Vec::new() }
    }

    /// The cell of `row` in `column`: the edit if there is one, else as read.
    pub fn cell(&self, row: usize, column: usize) -> &str {
        match self.edits.binary_search_by_key(&(row as u32, column as u32), |edit| edit.0) {
            Ok(index) => &self.edits[index].1,
            Err(_) => self.table.cell(row, column),
        }
    }

    /// Replaces a cell's text (an edit back to what was read is no edit).
    pub fn edit(&mut self, row: usize, column: usize, text: String) {
        let at = (row as u32, column as u32);
        let unchanged = self.table.cell(row, column) == text;
        match self.edits.binary_search_by_key(&at, |edit| edit.0) {
            Ok(index) if unchanged => drop(self.edits.remove(index)),
            Ok(index) => self.edits[index].1 = text,
            Err(_) if unchanged => {}
            Err(index) => self.edits.insert(index, (at, text)),
        }
    }

    /// Every edit, in no particular order.
    pub fn edits(&self) -> impl Iterator<Item = (usize, usize, &str)> {
        self.edits.iter().map(|((row, column), text)| (*row as usize, *column as usize, &**text))
    }

    /// The number of data rows.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

/// What the contract says of one row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowCheck {
    /// The identifier column that names the row's contact.
    pub identifier: Option<usize>,
    /// The contact the row names (`id:101`), once the row is valid: two rows
    /// with the same one are duplicates.
    pub contact: Option<String>,
    /// The problems: on a column's cell, or (`None`) on the row as a whole.
    pub problems: Vec<(Option<usize>, String)>,
}

impl RowCheck {
    /// Whether the row can be sent (duplicates aside).
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }

    /// The problem shown on `column`'s cell.
    pub fn on(&self, column: usize) -> Option<&str> {
        self.problems.iter().find(|(at, _)| *at == Some(column)).map(|(_, text)| text.as_str())
    }
}

/// Whether a cell counts as empty: nothing, or spaces only.
fn is_blank(cell: &str) -> bool {
    cell.trim().is_empty()
}

/// The draft a row makes, and the identifier column it took.
fn draft(sheet: &Sheet, mapping: &Mapping, row: usize) -> (Draft, Option<usize>) {
    let mut draft = Draft::default();
    let mut identifier = None;
    for (column, field) in mapping.identifier_columns() {
        let cell = sheet.cell(row, column);
        if !is_blank(cell) {
            draft.kind = kind_of(field);
            draft.identifier = cell.trim().to_owned();
            identifier = Some(column);
            break;
        }
    }
    for (column, target) in mapping.targets.iter().enumerate() {
        let cell = sheet.cell(row, column);
        if is_blank(cell) {
            continue;
        }
        match target {
            Target::Field(field) => {
                if let Some(index) = field.text_change_index() {
                    draft.texts[index] = cell.to_owned();
                }
            }
            Target::Metadata(key) => draft.rows.push(DraftRow {
                id: column as u32,
                key: key.clone(),
                value: cell.to_owned(),
            }),
            Target::Ignore => {}
        }
    }
    (draft, identifier)
}

fn kind_of(field: Field) -> IdentifierKind {
    IdentifierKind::ALL.into_iter().find(|kind| kind.field() == field).unwrap_or_default()
}

/// Checks one row.
pub fn check_row(sheet: &Sheet, mapping: &Mapping, row: usize) -> RowCheck {
    let (draft, identifier) = draft(sheet, mapping, row);
    let checked = draft.check();
    let problems = checked.problems();
    let mut check = RowCheck { identifier, ..RowCheck::default() };
    if let Some(sentence) = problems.identifier {
        // With no identifier at all, the problem goes on the first
        // identifier column: the cell to fill in.
        let column = identifier.or_else(|| mapping.identifier_columns().next().map(|(c, _)| c));
        check.problems.push((column, sentence));
    }
    for (field, sentence) in Field::TEXT_CHANGES.into_iter().zip(problems.texts) {
        if let Some(sentence) = sentence {
            check.problems.push((mapping.column_of(field), sentence));
        }
    }
    for row in problems.rows {
        for sentence in [row.key, row.value].into_iter().flatten() {
            check.problems.push((Some(row.id as usize), sentence));
        }
    }
    for sentence in [problems.metadata, problems.form].into_iter().flatten() {
        check.problems.push((None, sentence));
    }
    check.problems.extend(problems.unplaced.into_iter().map(|sentence| (None, sentence)));
    if check.problems.is_empty() {
        check.contact = checked.sendable().map(contact_of);
    }
    check
}

/// The JSON body of a row, if it is valid: the update the form would send.
pub fn body(sheet: &Sheet, mapping: &Mapping, row: usize) -> Option<String> {
    let checked = draft(sheet, mapping, row).0.check();
    checked.sendable().map(|update| crate::contract::to_pretty_json(update.update()))
}

/// The contact an update names: its identifier's kind and normalized value.
fn contact_of(update: &ValidUpdate) -> String {
    let update = update.update();
    match update.id {
        Some(id) => format!("id:{id}"),
        None => Field::IDENTIFIERS
            .into_iter()
            .find_map(|field| update.text(field).map(|value| format!("{field}:{value}")))
            .unwrap_or_default(),
    }
}

/// For each row, the earlier row that names the same contact, if any.
///
/// An open-addressing table of row indices by contact, hashed with the
/// progress's FNV: linear in the rows, and much less wasm than a map.
pub fn duplicates(checks: &[RowCheck]) -> Vec<Option<u32>> {
    let slots = (checks.len() * 2).next_power_of_two().max(2);
    let mut table: Vec<u32> = vec![u32::MAX; slots];
    let mut found = vec![None; checks.len()];
    for (row, check) in checks.iter().enumerate() {
        let Some(contact) = check.contact.as_deref() else { continue };
        let mut slot = super::progress::hash(contact.as_bytes()) as usize & (slots - 1);
        loop {
            match table[slot] {
                u32::MAX => {
                    table[slot] = row as u32;
                    break;
                }
                earlier if checks[earlier as usize].contact.as_deref() == Some(contact) => {
                    found[row] = Some(earlier);
                    break;
                }
                _ => slot = (slot + 1) & (slots - 1),
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::import::reader::read;

    fn sheet(text: &str) -> (Sheet, Mapping) {
        let table = read(text).unwrap();
        let mapping = Mapping::guess(&table.headers);
        (Sheet::new(table), mapping)
    }

    fn checks(text: &str) -> Vec<RowCheck> {
        let (sheet, mapping) = sheet(text);
        (0..sheet.len()).map(|row| check_row(&sheet, &mapping, row)).collect()
    }

    #[test]
    fn a_row_becomes_the_update_the_form_would_send() {
        let (sheet, mapping) =
            sheet("id,waId,First name,email,metadata.plan,notes\n,15550000101,Ada,,pro,x\n");
        let check = check_row(&sheet, &mapping, 0);
        assert_eq!(check.problems, []);
        assert_eq!(check.identifier, Some(1), "the first non-empty identifier column");
        assert_eq!(check.contact.as_deref(), Some("waId:15550000101"));
        assert_eq!(
            body(&sheet, &mapping, 0).unwrap(),
            "{\n  \"waId\": \"15550000101\",\n  \"firstName\": \"Ada\",\n  \"metadata\": {\n    \"plan\": \"pro\"\n  }\n}",
            "the empty email is left unchanged, the ignored column is not sent"
        );
    }

    #[test]
    fn problems_land_on_their_cells_in_the_forms_words() {
        let rows = checks(&format!(
            "id,email,defaultTimeZone,metadata.plan\n1,ada@,Europe/Lndon,\nx,,,\n,a@b.co,,\n2,,,{}\n3,,,\n",
            "v".repeat(1001)
        ));
        let form_email = Draft {
            identifier: "1".into(),
            texts: std::array::from_fn(|i| {
                if Field::TEXT_CHANGES[i] == Field::Email { "ada@".into() } else { String::new() }
            }),
            ..Draft::default()
        }
        .check()
        .problems();
        assert_eq!(rows[0].on(1), form_email.text(Field::Email), "the form's very sentence");
        assert!(rows[0].on(2).unwrap().contains("Europe/London"), "{:?}", rows[0]);
        assert!(rows[1].on(0).unwrap().contains("whole number"), "{:?}", rows[1]);
        assert!(rows[2].on(0).is_some(), "no identifier: the first identifier cell says so");
        assert!(rows[3].on(3).is_some(), "the metadata value's problem on its column");
        assert_eq!(rows[4].problems.len(), 1);
        assert_eq!(rows[4].problems[0].0, None, "nothing to update is the row's problem");
        assert!(rows.iter().all(|row| row.contact.is_none()));
    }

    #[test]
    fn cells_of_spaces_are_empty_and_values_are_normalized_as_the_form_does() {
        let (sheet, mapping) =
            sheet("id,smsPhoneNumber,phone\n  ,+1 (555) 000-0103,+1 555 010 0000\n");
        assert_eq!(
            check_row(&sheet, &mapping, 0).contact.as_deref(),
            Some("smsPhoneNumber:+15550000103")
        );
        assert!(body(&sheet, &mapping, 0).unwrap().contains("\"phoneNumber\": \"+15550100000\""));
    }

    #[test]
    fn an_edit_is_checked_at_once_and_an_edit_back_is_no_edit() {
        let (mut sheet, mapping) = sheet("id,email\n1,ada@\n");
        assert!(!check_row(&sheet, &mapping, 0).is_valid());
        sheet.edit(0, 1, "ada@example.com".into());
        assert!(check_row(&sheet, &mapping, 0).is_valid());
        assert_eq!(sheet.edits().count(), 1);
        sheet.edit(0, 1, "ada@".into());
        assert_eq!(sheet.edits().count(), 0);
    }

    #[test]
    fn rows_naming_the_same_contact_point_at_the_first() {
        let rows =
            checks("id,waId,firstName\n101,,A\n,15550000101,B\n 101,,C\nx,,D\n102,,E\n101,,F\n");
        assert_eq!(duplicates(&rows), [None, None, Some(0), None, None, Some(0)]);
    }
}
