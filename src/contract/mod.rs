//! The contract: what an update of a Setter contact is, and every rule it must meet.
//!
//! This module is compiled twice: into the widget (wasm32), which validates as the
//! operator types, and into the proxy (native), which validates again before it
//! spends the API key. It does no I/O and knows no framework, so both can trust it
//! to say the same thing about the same input.
//!
//! The flow is always the same:
//!
//! - the proxy calls [`parse`] on a request body;
//! - the widget builds a [`ContactUpdate`] from its inputs and calls
//!   [`ContactUpdate::validate`];
//!
//! and both get either a [`ValidUpdate`] (normalized, ready to forward) or a
//! [`Rejection`] that lists every problem at once.

mod fields;
mod json;
mod parse;
mod rules;
pub mod timezone;
pub mod wire;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use fields::Field;
pub use json::to_pretty_json;
pub use parse::parse;
pub use rules::{MAX_CONTACT_ID, check_metadata_key, normalize_identifier, parse_contact_id};

/// Problems found in an update: the API field name (`email`, `metadata.campaign`)
/// mapped to a sentence a person can act on. [`ErrorKey`] reads the names.
pub type FieldErrors = BTreeMap<String, String>;

/// What a name in [`FieldErrors`] points at: a field, or one entry of the
/// metadata (`metadata.campaign`). The contract writes the names with
/// [`ErrorKey::name`] and every reader reads them with [`ErrorKey::of`], so
/// the spelling lives here only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKey<'a> {
    /// A whole field (`email`, `metadata` for the metadata as a whole).
    Field(Field),
    /// One metadata entry, by its key.
    MetadataEntry(&'a str),
    /// A name Setter has no field for (an unknown field of a request).
    Unknown(&'a str),
}

impl<'a> ErrorKey<'a> {
    /// Reads a name of [`FieldErrors`].
    pub fn of(name: &'a str) -> ErrorKey<'a> {
        if let Some(key) = name.strip_prefix(METADATA_ENTRY_PREFIX) {
            return ErrorKey::MetadataEntry(key);
        }
        match Field::from_name(name) {
            Some(field) => ErrorKey::Field(field),
            None => ErrorKey::Unknown(name),
        }
    }

    /// The name as [`FieldErrors`] spells it.
    pub fn name(self) -> String {
        match self {
            ErrorKey::Field(field) => field.as_str().to_owned(),
            ErrorKey::MetadataEntry(key) => format!("{METADATA_ENTRY_PREFIX}{key}"),
            ErrorKey::Unknown(name) => name.to_owned(),
        }
    }
}

/// `metadata.` : the names of problems with one metadata entry start so.
const METADATA_ENTRY_PREFIX: &str = "metadata.";

/// An update of one Setter contact, exactly as `PUT /api/v1/contacts` takes it.
///
/// `id`, `wa_id` and `sms_phone_number` find the contact; every other field is a
/// change. `None` means "leave unchanged" and is left out of the JSON entirely.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wa_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_time_zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<BTreeMap<String, String>>,
}

/// Why an update cannot be sent. Every variant but `BadJson` carries all the
/// field problems found, not only the first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// The body is not JSON at all (or not a JSON object); says where.
    #[error("The request body is not a valid JSON object: {0}.")]
    BadJson(String),
    /// No `id`, `waId` or `smsPhoneNumber` was given.
    #[error(
        "Say which contact to update: give its contact ID (id), WhatsApp ID (waId) or SMS phone number (smsPhoneNumber)."
    )]
    MissingIdentifier(FieldErrors),
    /// At least one field has a bad value, a wrong type or an unknown name.
    #[error("{}", invalid_fields_sentence(.0))]
    InvalidField(FieldErrors),
    /// The contact is named, but no field would change.
    #[error(
        "Nothing to update: give at least one of firstName, lastName, fullName, phoneNumber, email, defaultTimeZone or metadata."
    )]
    NothingToUpdate,
}

/// How many field names a sentence lists before it says "and N more".
const MAX_NAMED_FIELDS: usize = 20;

fn invalid_fields_sentence(fields: &FieldErrors) -> String {
    let names: Vec<&str> = fields.keys().map(String::as_str).collect();
    match names.as_slice() {
        [one] => format!("The field {one} is not valid: fix it and send the update again."),
        many if many.len() <= MAX_NAMED_FIELDS => format!(
            "{} fields are not valid ({}): fix them and send the update again.",
            many.len(),
            many.join(", ")
        ),
        many => format!(
            "{} fields are not valid ({}, and {} more): fix them and send the update again.",
            many.len(),
            many[..MAX_NAMED_FIELDS].join(", "),
            many.len() - MAX_NAMED_FIELDS
        ),
    }
}

impl Rejection {
    /// The code this rejection carries on the wire.
    pub fn code(&self) -> wire::ErrorCode {
        match self {
            Rejection::BadJson(_) => wire::ErrorCode::BadJson,
            Rejection::MissingIdentifier(_) => wire::ErrorCode::MissingIdentifier,
            Rejection::InvalidField(_) => wire::ErrorCode::InvalidField,
            Rejection::NothingToUpdate => wire::ErrorCode::NothingToUpdate,
        }
    }

    /// The per-field problems (empty for `BadJson` and `NothingToUpdate`).
    pub fn fields(&self) -> &FieldErrors {
        static NONE: FieldErrors = BTreeMap::new();
        match self {
            Rejection::MissingIdentifier(fields) | Rejection::InvalidField(fields) => fields,
            Rejection::BadJson(_) | Rejection::NothingToUpdate => &NONE,
        }
    }
}

/// An update that passed every rule, with its values normalized (phone numbers
/// stripped of punctuation, names trimmed). Only this type is ever forwarded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ValidUpdate(ContactUpdate);

impl ValidUpdate {
    /// The normalized update.
    pub fn update(&self) -> &ContactUpdate {
        &self.0
    }

    /// The JSON body to send to Setter.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).expect("a ContactUpdate always serializes")
    }

    /// The kinds of identifier given (usually one), for logs.
    pub fn identifier_kinds(&self) -> Vec<Field> {
        self.0.present_fields().into_iter().filter(|f| f.is_identifier()).collect()
    }

    /// The names of the fields this update changes, for logs and events. Values
    /// are deliberately not part of it: they are personal data.
    pub fn changed_fields(&self) -> Vec<Field> {
        self.0.present_fields().into_iter().filter(|f| !f.is_identifier()).collect()
    }
}

impl ContactUpdate {
    /// Checks every rule and returns the normalized update, or all the problems.
    pub fn validate(&self) -> Result<ValidUpdate, Rejection> {
        rules::validate(self.clone(), FieldErrors::new())
    }

    /// The fields that are set, in API order.
    pub fn present_fields(&self) -> Vec<Field> {
        Field::ALL.into_iter().filter(|field| self.has(*field)).collect()
    }

    /// Whether `field` is set.
    pub fn has(&self, field: Field) -> bool {
        match field {
            Field::Id => self.id.is_some(),
            Field::Metadata => self.metadata.is_some(),
            text => self.text(text).is_some(),
        }
    }

    /// The string slot of a text field (every field but `id` and `metadata`).
    pub fn text_mut(&mut self, field: Field) -> Option<&mut Option<String>> {
        match field {
            Field::WaId => Some(&mut self.wa_id),
            Field::SmsPhoneNumber => Some(&mut self.sms_phone_number),
            Field::FirstName => Some(&mut self.first_name),
            Field::LastName => Some(&mut self.last_name),
            Field::FullName => Some(&mut self.full_name),
            Field::PhoneNumber => Some(&mut self.phone_number),
            Field::Email => Some(&mut self.email),
            Field::DefaultTimeZone => Some(&mut self.default_time_zone),
            Field::Id | Field::Metadata => None,
        }
    }

    /// The value of a text field, if set.
    pub fn text(&self, field: Field) -> Option<&str> {
        match field {
            Field::WaId => self.wa_id.as_deref(),
            Field::SmsPhoneNumber => self.sms_phone_number.as_deref(),
            Field::FirstName => self.first_name.as_deref(),
            Field::LastName => self.last_name.as_deref(),
            Field::FullName => self.full_name.as_deref(),
            Field::PhoneNumber => self.phone_number.as_deref(),
            Field::Email => self.email.as_deref(),
            Field::DefaultTimeZone => self.default_time_zone.as_deref(),
            Field::Id | Field::Metadata => None,
        }
    }
}
