//! What the operator has typed, and what the contract says about it.
//!
//! Everything here is plain data: the form turns its inputs into a [`Draft`],
//! [`Draft::check`] runs the contract over it, and [`Problems`] says on which
//! input each problem lands. Every rule comes from [`crate::contract`]; the only
//! checks written here are the ones a JSON object cannot express (two metadata
//! rows with the same key) and the mapping from error keys to inputs.

use std::collections::{BTreeMap, BTreeSet};

use super::vocabulary::{Input, Part, Touch};
use crate::contract::{
    ContactUpdate, ErrorKey, Field, FieldErrors, Rejection, ValidUpdate, check_metadata_key,
    parse_contact_id,
};

/// How the contact to update is found: the `identifierKind` select.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdentifierKind {
    /// Setter's numeric contact ID, sent as a JSON number.
    #[default]
    Id,
    /// The WhatsApp ID (digits only).
    WaId,
    /// The SMS phone number.
    SmsPhoneNumber,
}

impl IdentifierKind {
    /// The options of the select, in display order (the default first).
    pub const ALL: [IdentifierKind; 3] =
        [IdentifierKind::Id, IdentifierKind::WaId, IdentifierKind::SmsPhoneNumber];

    /// The contract field this kind fills.
    pub const fn field(self) -> Field {
        match self {
            IdentifierKind::Id => Field::Id,
            IdentifierKind::WaId => Field::WaId,
            IdentifierKind::SmsPhoneNumber => Field::SmsPhoneNumber,
        }
    }

    /// The wire name (`id`, `waId`, `smsPhoneNumber`), also the option value.
    pub const fn as_str(self) -> &'static str {
        self.field().as_str()
    }

    /// The kind whose wire name is `name`.
    pub fn from_name(name: &str) -> Option<IdentifierKind> {
        IdentifierKind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// The option's label ("WhatsApp ID").
    pub const fn label(self) -> &'static str {
        self.field().label()
    }

    /// The label as it reads inside a sentence ("No contact has that contact ID").
    pub const fn noun(self) -> &'static str {
        match self {
            IdentifierKind::Id => "contact ID",
            IdentifierKind::WaId => "WhatsApp ID",
            IdentifierKind::SmsPhoneNumber => "SMS phone number",
        }
    }

    /// The identifier input's `inputmode`: the keyboard a phone shows.
    pub const fn input_mode(self) -> &'static str {
        match self {
            IdentifierKind::Id | IdentifierKind::WaId => "numeric",
            IdentifierKind::SmsPhoneNumber => "tel",
        }
    }

    /// An example value for the identifier input's placeholder.
    pub const fn example(self) -> &'static str {
        match self {
            IdentifierKind::Id => "e.g. 123",
            IdentifierKind::WaId => "e.g. 15551234567",
            IdentifierKind::SmsPhoneNumber => "e.g. +1 555 123 4567",
        }
    }
}

/// How many text inputs the form has: one per [`Field::TEXT_CHANGES`].
pub const TEXTS: usize = Field::TEXT_CHANGE_COUNT;

/// Everything typed into one form, exactly as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Draft {
    pub kind: IdentifierKind,
    pub identifier: String,
    /// One value per entry of [`Field::TEXT_CHANGES`], in the same order.
    pub texts: [String; TEXTS],
    /// The metadata rows in display order (blank rows included).
    pub rows: Vec<DraftRow>,
}

/// One metadata row as typed, with the id it keeps while it lives.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DraftRow {
    pub id: u32,
    pub key: String,
    pub value: String,
}

impl DraftRow {
    /// A row with neither key nor value: a spare row, not an empty key.
    pub fn is_blank(&self) -> bool {
        self.key.is_empty() && self.value.is_empty()
    }
}

/// The sentence for a form with nothing to change: said by the form itself,
/// and for the proxy's `nothing_to_update`.
pub fn nothing_to_update() -> String {
    "Nothing to update — fill in at least one field to change".to_owned()
}

/// The sentence for a metadata key that a previous row already uses.
const DUPLICATE_KEY: &str =
    "This key is already used in a row above; each key can appear only once.";

/// A draft run through the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// What was typed.
    pub draft: Draft,
    /// The filled-in fields, as typed (what the preview shows until it is valid).
    pub update: ContactUpdate,
    /// The contract's verdict on `update`.
    pub verdict: Result<ValidUpdate, Rejection>,
    /// Every problem found, keyed as the contract and the proxy key them.
    pub errors: FieldErrors,
    /// Whether the form-only checks (id syntax, duplicate keys) passed.
    form_ok: bool,
    /// Ids of rows whose key repeats an earlier row's.
    duplicate_rows: BTreeSet<u32>,
}

impl Draft {
    /// The update this draft describes: only filled-in inputs, so an empty
    /// input means "leave unchanged"; blank rows are left out.
    pub fn check(&self) -> Checked {
        let mut update = ContactUpdate::default();
        let mut id_problem = None;
        if !self.identifier.is_empty() {
            match self.kind {
                IdentifierKind::Id => match parse_contact_id(&self.identifier) {
                    Ok(id) => update.id = Some(id),
                    Err(sentence) => id_problem = Some(sentence),
                },
                kind => set_text(&mut update, kind.field(), &self.identifier),
            }
        }
        for (field, text) in Field::TEXT_CHANGES.into_iter().zip(&self.texts) {
            if !text.is_empty() {
                set_text(&mut update, field, text);
            }
        }

        let mut metadata = BTreeMap::new();
        let mut duplicate_rows = BTreeSet::new();
        for row in self.rows.iter().filter(|row| !row.is_blank()) {
            if metadata.contains_key(&row.key) {
                duplicate_rows.insert(row.id);
            } else {
                metadata.insert(row.key.clone(), row.value.clone());
            }
        }
        if !metadata.is_empty() {
            update.metadata = Some(metadata);
        }

        let verdict = update.validate();
        let mut errors = verdict.as_ref().err().map(|r| r.fields().clone()).unwrap_or_default();
        if let Some(sentence) = &id_problem {
            // The typed id never reached the update, so the contract reports it
            // missing; the parse error says what is actually wrong.
            errors.insert(Field::Id.as_str().to_owned(), sentence.clone());
        }
        let form_ok = id_problem.is_none() && duplicate_rows.is_empty();
        Checked { draft: self.clone(), update, verdict, errors, form_ok, duplicate_rows }
    }
}

fn set_text(update: &mut ContactUpdate, field: Field, text: &str) {
    *update.text_mut(field).expect("identifiers other than id and the text changes are text") =
        Some(text.to_owned());
}

impl Checked {
    /// The update to send, when every check passed.
    pub fn sendable(&self) -> Option<&ValidUpdate> {
        self.verdict.as_ref().ok().filter(|_| self.form_ok)
    }

    /// The exact request body: the normalized update once it is valid (that is
    /// what will be sent), else what has been typed so far.
    pub fn body(&self) -> String {
        let update = self.sendable().map_or(&self.update, ValidUpdate::update);
        crate::contract::to_pretty_json(update)
    }

    /// Where each problem lands in the form.
    pub fn problems(&self) -> Problems {
        let mut problems = Problems::place(&self.errors, &self.draft.rows);
        for row in &mut problems.rows {
            if self.duplicate_rows.contains(&row.id) {
                row.key = Some(DUPLICATE_KEY.to_owned());
            }
        }
        if matches!(self.verdict, Err(Rejection::NothingToUpdate)) && self.form_ok {
            problems.form = Some(nothing_to_update());
        }
        problems
    }
}

/// The problems of one metadata row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowProblems {
    /// The row's id.
    pub id: u32,
    pub key: Option<String>,
    pub value: Option<String>,
}

/// Problems, placed on the inputs they belong to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Problems {
    /// On the identifier input (`id`, `waId` or `smsPhoneNumber`).
    pub identifier: Option<String>,
    /// On the text inputs, in the order of [`Field::TEXT_CHANGES`].
    pub texts: [Option<String>; TEXTS],
    /// Per metadata row, in display order.
    pub rows: Vec<RowProblems>,
    /// On the metadata group as a whole (too many keys).
    pub metadata: Option<String>,
    /// About the form as a whole (nothing to update).
    pub form: Option<String>,
    /// Problems with no input to land on (a field this form does not have, a
    /// key no row holds any more), each with its field name.
    pub unplaced: Vec<String>,
}

/// Where focus goes to show a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spot {
    Input(Input),
    /// The metadata group; focus goes to its "Add metadata field" button.
    Metadata,
}

impl Spot {
    /// The id of the element that takes focus.
    pub fn id(self) -> String {
        match self {
            Spot::Input(input) => input.id(),
            Spot::Metadata => Part::AddRow.id().to_owned(),
        }
    }
}

impl Problems {
    /// Places error keys as the contract and the proxy write them: an
    /// identifier's name → the identifier input; a metadata entry → the first
    /// row with that key (its key input if the contract rejects the key
    /// itself, else its value input); `metadata` → the group; any other
    /// field → its input.
    pub fn place(errors: &FieldErrors, rows: &[DraftRow]) -> Problems {
        let mut problems = Problems {
            rows: rows
                .iter()
                .map(|row| RowProblems { id: row.id, ..RowProblems::default() })
                .collect(),
            ..Problems::default()
        };
        for (name, sentence) in errors {
            let sentence = sentence.clone();
            let unplaced = || format!("{name}: {sentence}");
            match ErrorKey::of(name) {
                ErrorKey::MetadataEntry(key) => {
                    match rows.iter().position(|row| row.key == key && !row.is_blank()) {
                        Some(index) if check_metadata_key(key).is_err() => {
                            problems.rows[index].key = Some(sentence)
                        }
                        Some(index) => problems.rows[index].value = Some(sentence),
                        None => problems.unplaced.push(unplaced()),
                    }
                }
                ErrorKey::Field(field) if field.is_identifier() => {
                    problems.identifier = Some(sentence)
                }
                ErrorKey::Field(Field::Metadata) => problems.metadata = Some(sentence),
                ErrorKey::Field(field) => match field.text_change_index() {
                    Some(index) => problems.texts[index] = Some(sentence),
                    None => problems.unplaced.push(unplaced()),
                },
                ErrorKey::Unknown(_) => problems.unplaced.push(unplaced()),
            }
        }
        problems
    }

    /// The problem shown on a text input.
    pub fn text(&self, field: Field) -> Option<&str> {
        field.text_change_index().and_then(|index| self.texts[index].as_deref())
    }

    /// The first input with a problem, in the order the form shows them.
    pub fn first_spot(&self) -> Option<Spot> {
        if self.identifier.is_some() {
            return Some(Spot::Input(Input::Identifier));
        }
        if let Some(index) = self.texts.iter().position(Option::is_some) {
            return Some(Spot::Input(Input::TEXTS[index]));
        }
        for row in &self.rows {
            if row.key.is_some() {
                return Some(Spot::Input(Input::RowKey(row.id)));
            }
            if row.value.is_some() {
                return Some(Spot::Input(Input::RowValue(row.id)));
            }
        }
        self.metadata.as_ref().map(|_| Spot::Metadata)
    }

    /// The problems to show: a client problem once its input was left
    /// (`touched`) or a submit was tried, the proxy's (`server`) until its
    /// input is edited. A client problem wins: it is the newer news.
    pub fn visible(self, server: Problems, submitted: bool, touched: &[Touch]) -> Problems {
        let show = |touch: Touch| submitted || touched.contains(&touch);
        let any_row_left = self.rows.iter().any(|row| touched.contains(&Touch::Row(row.id)));
        let pick = |client: Option<String>, server: Option<String>, touch: Touch| {
            if show(touch) { client.or(server) } else { server }
        };
        let mut server_texts = server.texts.into_iter();
        let texts = std::array::from_fn(|index| {
            let client = self.texts[index].clone();
            pick(client, server_texts.next().flatten(), Touch::Text(Field::TEXT_CHANGES[index]))
        });
        let rows = self
            .rows
            .into_iter()
            .zip(server.rows)
            .map(|(client, server)| RowProblems {
                id: client.id,
                key: pick(client.key, server.key, Touch::Row(client.id)),
                value: pick(client.value, server.value, Touch::Row(client.id)),
            })
            .collect();
        let mut unplaced = server.unplaced;
        if submitted {
            unplaced.extend(self.unplaced);
        }
        Problems {
            identifier: pick(self.identifier, server.identifier, Touch::Identifier),
            texts,
            rows,
            metadata: if submitted || any_row_left {
                self.metadata.or(server.metadata)
            } else {
                server.metadata
            },
            form: None,
            unplaced,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(identifier: &str, texts: &[(Field, &str)], rows: &[(u32, &str, &str)]) -> Draft {
        let mut draft = Draft { identifier: identifier.to_owned(), ..Draft::default() };
        for (field, text) in texts {
            draft.texts[field.text_change_index().unwrap()] = (*text).to_owned();
        }
        draft.rows = rows
            .iter()
            .map(|(id, key, value)| DraftRow {
                id: *id,
                key: (*key).into(),
                value: (*value).into(),
            })
            .collect();
        draft
    }

    #[test]
    fn a_valid_draft_is_sendable_and_its_body_is_the_normalized_update() {
        let checked = draft("7", &[(Field::PhoneNumber, "+1 (555) 123-4567")], &[]).check();
        assert!(checked.sendable().is_some());
        assert_eq!(checked.body(), "{\n  \"id\": 7,\n  \"phoneNumber\": \"+15551234567\"\n}");
        assert_eq!(checked.problems(), Problems::default());
    }

    #[test]
    fn nothing_to_update_is_a_problem_of_the_form_as_a_whole() {
        let problems = draft("7", &[], &[(0, "", "")]).check().problems();
        assert_eq!(problems.form, Some(nothing_to_update()));
        assert_eq!(problems.first_spot(), None, "no input to focus: the form says it");
    }

    #[test]
    fn metadata_problems_land_on_the_key_or_the_value_of_their_row() {
        let long_value = "v".repeat(1001);
        let checked =
            draft("7", &[], &[(3, "plan", &long_value), (5, "", "orphan"), (8, "plan", "again")])
                .check();
        let problems = checked.problems();
        let row = |id| problems.rows.iter().find(|row| row.id == id).unwrap();
        assert!(row(3).value.as_deref().unwrap().contains("at most 1000"), "{problems:?}");
        assert_eq!(row(3).key, None);
        assert!(
            row(5).key.as_deref().unwrap().contains("1 to 64"),
            "an empty key is the key's problem"
        );
        assert_eq!(row(8).key.as_deref(), Some(DUPLICATE_KEY));
        assert!(checked.sendable().is_none());
        assert_eq!(problems.first_spot(), Some(Spot::Input(Input::RowValue(3))));
    }

    #[test]
    fn problems_are_placed_on_their_inputs_and_the_rest_is_unplaced() {
        let errors = FieldErrors::from([
            ("waId".to_owned(), "bad id".to_owned()),
            ("email".to_owned(), "bad email".to_owned()),
            ("metadata".to_owned(), "too many".to_owned()),
            ("metadata.gone".to_owned(), "no row".to_owned()),
            ("nickname".to_owned(), "unknown".to_owned()),
        ]);
        let problems = Problems::place(&errors, &[]);
        assert_eq!(problems.identifier.as_deref(), Some("bad id"));
        assert_eq!(problems.text(Field::Email), Some("bad email"));
        assert_eq!(problems.metadata.as_deref(), Some("too many"));
        assert_eq!(problems.unplaced, ["metadata.gone: no row", "nickname: unknown"]);
        assert_eq!(problems.first_spot(), Some(Spot::Input(Input::Identifier)));
        assert_eq!(Spot::Metadata.id(), Part::AddRow.id());
    }

    #[test]
    fn client_problems_wait_for_their_input_to_be_left_and_the_proxys_show_at_once() {
        let client = draft("x", &[(Field::Email, "ada@")], &[]).check().problems();
        let server = Problems::place(
            &FieldErrors::from([("email".to_owned(), "Setter says no".to_owned())]),
            &[],
        );
        let quiet = client.clone().visible(Problems::default(), false, &[]);
        assert_eq!(quiet.identifier, None);
        assert_eq!(quiet.text(Field::Email), None);

        let left = client.clone().visible(server.clone(), false, &[Touch::Text(Field::Email)]);
        assert!(
            left.text(Field::Email).unwrap().contains("name@example.com"),
            "the newer news wins"
        );
        assert_eq!(left.identifier, None, "the identifier was not left");

        let untouched = client.clone().visible(server, false, &[]);
        assert_eq!(untouched.text(Field::Email), Some("Setter says no"));

        let submitted = client.visible(Problems::default(), true, &[]);
        assert!(submitted.identifier.is_some() && submitted.text(Field::Email).is_some());
    }
}
