//! What the operator has typed, and what the contract says about it.
//!
//! Everything here is plain data: the form turns its inputs into a [`Draft`],
//! [`Draft::check`] runs the contract over it, and [`Problems`] says on which
//! input each problem lands. Every rule comes from [`crate::contract`]; the only
//! checks written here are the ones a JSON object cannot express (two metadata
//! rows with the same key) and the mapping from error keys to inputs.

use std::collections::{BTreeMap, BTreeSet};

use crate::contract::{
    ContactUpdate, Field, FieldErrors, Rejection, ValidUpdate, parse_contact_id,
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

/// The fields that change a contact and have one text input each, in form order.
pub const TEXT_FIELDS: [Field; 6] = Field::TEXT_CHANGES;

/// Everything typed into one form, exactly as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Draft {
    pub kind: IdentifierKind,
    pub identifier: String,
    /// One value per entry of [`TEXT_FIELDS`], in the same order.
    pub texts: [String; 6],
    /// The metadata rows, key then value, in display order (blank rows included).
    pub rows: Vec<(String, String)>,
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
    /// Indexes of rows whose key repeats an earlier row's.
    duplicate_rows: BTreeSet<usize>,
}

impl Draft {
    /// The update this draft describes: only filled-in inputs, so an empty
    /// input means "leave unchanged". A row with neither key nor value is a
    /// spare row, not an empty key.
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
        for (field, text) in TEXT_FIELDS.into_iter().zip(&self.texts) {
            if !text.is_empty() {
                set_text(&mut update, field, text);
            }
        }

        let mut metadata = BTreeMap::new();
        let mut duplicate_rows = BTreeSet::new();
        for (index, (key, value)) in self.rows.iter().enumerate() {
            if key.is_empty() && value.is_empty() {
                continue;
            }
            if metadata.contains_key(key) {
                duplicate_rows.insert(index);
            } else {
                metadata.insert(key.clone(), value.clone());
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
    *update.text_mut(field).expect("identifiers other than id and TEXT_FIELDS are text") =
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
    #[cfg(target_arch = "wasm32")] // outcome's wording is the browser half's
    pub fn problems(&self) -> Problems {
        let mut problems = Problems::place(&self.errors, &self.draft.rows);
        for &index in &self.duplicate_rows {
            if let Some(row) = problems.rows.get_mut(index) {
                row.key = Some(DUPLICATE_KEY.to_owned());
            }
        }
        if matches!(self.verdict, Err(Rejection::NothingToUpdate)) && self.form_ok {
            problems.form = Some(super::outcome::nothing_to_update());
        }
        problems
    }
}

/// The problems of one metadata row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowProblems {
    pub key: Option<String>,
    pub value: Option<String>,
}

/// Problems, placed on the inputs they belong to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Problems {
    /// On the identifier input (`id`, `waId` or `smsPhoneNumber`).
    pub identifier: Option<String>,
    /// On the inputs of [`TEXT_FIELDS`], in the same order.
    pub texts: [Option<String>; 6],
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

/// Which input a problem is shown on, for moving focus to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spot {
    Identifier,
    /// An index into [`TEXT_FIELDS`].
    Text(usize),
    RowKey(usize),
    RowValue(usize),
    /// The metadata group; focus goes to its "Add metadata field" button.
    Metadata,
}

impl Problems {
    /// Places error keys as the contract and the proxy write them: an
    /// identifier's name → the identifier input; `metadata.<key>` → the first
    /// row with that key; `metadata` → the group; any other field → its input.
    pub fn place(errors: &FieldErrors, rows: &[(String, String)]) -> Problems {
        let mut problems =
            Problems { rows: vec![RowProblems::default(); rows.len()], ..Problems::default() };
        for (name, sentence) in errors {
            let sentence = sentence.clone();
            if let Some(key) = name.strip_prefix("metadata.") {
                let row = rows.iter().position(|(row_key, value)| {
                    row_key == key && !(row_key.is_empty() && value.is_empty())
                });
                match row {
                    Some(index) if key_is_rejected(key) => {
                        problems.rows[index].key = Some(sentence)
                    }
                    Some(index) => problems.rows[index].value = Some(sentence),
                    None => problems.unplaced.push(format!("{name}: {sentence}")),
                }
                continue;
            }
            match Field::from_name(name) {
                Some(field) if field.is_identifier() => problems.identifier = Some(sentence),
                Some(Field::Metadata) => problems.metadata = Some(sentence),
                Some(field) => match TEXT_FIELDS.iter().position(|f| *f == field) {
                    Some(index) => problems.texts[index] = Some(sentence),
                    None => problems.unplaced.push(format!("{name}: {sentence}")),
                },
                None => problems.unplaced.push(format!("{name}: {sentence}")),
            }
        }
        problems
    }

    /// The first input with a problem, in the order the form shows them.
    pub fn first_spot(&self) -> Option<Spot> {
        if self.identifier.is_some() {
            return Some(Spot::Identifier);
        }
        if let Some(index) = self.texts.iter().position(Option::is_some) {
            return Some(Spot::Text(index));
        }
        for (index, row) in self.rows.iter().enumerate() {
            if row.key.is_some() {
                return Some(Spot::RowKey(index));
            }
            if row.value.is_some() {
                return Some(Spot::RowValue(index));
            }
        }
        self.metadata.as_ref().map(|_| Spot::Metadata)
    }
}

/// Whether the contract rejects `key` itself (rather than its value): asks the
/// contract about the key with an empty value, so no key rule is written here.
fn key_is_rejected(key: &str) -> bool {
    let probe = ContactUpdate {
        id: Some(1),
        metadata: Some(BTreeMap::from([(key.to_owned(), String::new())])),
        ..ContactUpdate::default()
    };
    probe.validate().is_err()
}
