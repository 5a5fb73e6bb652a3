//! Every rule an update must meet, each written once.
//!
//! A rule takes a value and returns either its normalized form or a sentence that
//! tells a person what to type instead. [`validate`] runs them all and collects
//! every problem, so an operator fixes a form in one pass, not one error at a time.

use super::timezone;
use super::{ContactUpdate, ErrorKey, Field, FieldErrors, Rejection, ValidUpdate};

/// The largest contact ID: 2^53 - 1, the largest integer a browser's JSON keeps exact.
pub const MAX_CONTACT_ID: u64 = 9_007_199_254_740_991;

const MAX_NAME_CHARS: usize = 100;
const MAX_EMAIL_CHARS: usize = 254;
const MAX_WA_ID_DIGITS: usize = 20;
const PHONE_DIGITS: std::ops::RangeInclusive<usize> = 7..=15;
const MAX_METADATA_KEYS: usize = 50;
const MAX_METADATA_KEY_CHARS: usize = 64;
const MAX_METADATA_VALUE_CHARS: usize = 1000;

/// Runs every rule over `update`, normalizing it in place. `problems` holds what parsing already found
/// (wrong types, unknown fields); a field named there counts as given, so a
/// mistyped identifier is reported as invalid rather than missing.
pub(super) fn validate(
    mut update: ContactUpdate,
    mut problems: FieldErrors,
) -> Result<ValidUpdate, Rejection> {
    if let Some(id) = update.id {
        check(&mut problems, Field::Id, check_contact_id(id));
    }
    for field in Field::ALL {
        normalize_text(&mut update, &mut problems, field);
    }
    if let Some(metadata) = &update.metadata {
        check_metadata(metadata, &mut problems);
    }

    let given = |field: Field| update.has(field) || problems.contains_key(field.as_str());
    if !Field::IDENTIFIERS.into_iter().any(given) {
        problems.insert(
            Field::Id.as_str().to_owned(),
            "Give a contact ID, WhatsApp ID or SMS phone number to say which contact to update."
                .to_owned(),
        );
        return Err(Rejection::MissingIdentifier(problems));
    }
    if !problems.is_empty() {
        return Err(Rejection::InvalidField(problems));
    }
    if !Field::ALL.into_iter().any(|field| !field.is_identifier() && given(field)) {
        return Err(Rejection::NothingToUpdate);
    }
    Ok(ValidUpdate(update))
}

/// Applies the rule of a text field to its value, in place; other fields pass.
fn normalize_text(update: &mut ContactUpdate, problems: &mut FieldErrors, field: Field) {
    let Some(slot) = update.text_mut(field) else { return };
    let Some(value) = slot.as_deref() else { return };
    let outcome = match field {
        Field::WaId => check_wa_id(value),
        Field::SmsPhoneNumber | Field::PhoneNumber => normalize_phone(value),
        Field::FirstName | Field::LastName | Field::FullName => normalize_name(value),
        Field::Email => check_email(value),
        Field::DefaultTimeZone => check_time_zone(value),
        Field::Id | Field::Metadata => unreachable!("not a text field"),
    };
    if let Some(normalized) = check(problems, field, outcome) {
        *slot = Some(normalized);
    }
}

fn check<T>(problems: &mut FieldErrors, field: Field, outcome: Result<T, String>) -> Option<T> {
    outcome.map_err(|sentence| problems.insert(field.as_str().to_owned(), sentence)).ok()
}

/// An identifier as typed (a form, a CSV cell, a query) in the form it is
/// forwarded in: a contact ID's digits, a WhatsApp ID, an SMS number
/// stripped of its punctuation. The rule's sentence when it breaks one.
pub fn normalize_identifier(field: Field, text: &str) -> Result<String, String> {
    match field {
        Field::Id => parse_contact_id(text).map(|id| id.to_string()),
        Field::WaId => check_wa_id(text),
        Field::SmsPhoneNumber => normalize_phone(text),
        other => Err(format!("{other} does not name a contact; use id, waId or smsPhoneNumber.")),
    }
}

/// A contact ID as typed into a form: digits only, 1 up to [`MAX_CONTACT_ID`].
pub fn parse_contact_id(text: &str) -> Result<u64, String> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("A contact ID is a whole number, like 123.".to_owned());
    }
    text.parse::<u64>().map_err(|_| too_large_id()).and_then(check_contact_id)
}

pub(super) fn check_contact_id(id: u64) -> Result<u64, String> {
    if id == 0 {
        Err(too_small_id())
    } else if id > MAX_CONTACT_ID {
        Err(too_large_id())
    } else {
        Ok(id)
    }
}

/// The sentence for a contact ID below 1 (zero, or negative in JSON).
pub(super) fn too_small_id() -> String {
    "A contact ID is 1 or more.".to_owned()
}

fn too_large_id() -> String {
    format!("A contact ID is at most {MAX_CONTACT_ID}.")
}

fn check_wa_id(value: &str) -> Result<String, String> {
    let digits_only = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    if digits_only && value.len() <= MAX_WA_ID_DIGITS {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "A WhatsApp ID is 1 to {MAX_WA_ID_DIGITS} digits, with no + or spaces, like 15551234567."
        ))
    }
}

/// Strips spaces, dashes, dots and parentheses; what is left must be an optional
/// `+` and 7 to 15 digits. The stripped form is what Setter receives.
fn normalize_phone(value: &str) -> Result<String, String> {
    let compact: String =
        value.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')')).collect();
    let digits = compact.strip_prefix('+').unwrap_or(&compact);
    if digits.bytes().all(|b| b.is_ascii_digit()) && PHONE_DIGITS.contains(&digits.len()) {
        Ok(compact)
    } else {
        Err(format!(
            "A phone number is {} to {} digits, optionally starting with +, like +1 555 123 4567.",
            PHONE_DIGITS.start(),
            PHONE_DIGITS.end()
        ))
    }
}

fn normalize_name(value: &str) -> Result<String, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        Err("A name cannot be blank; leave the field out to keep the current one.".to_owned())
    } else if trimmed.chars().count() > MAX_NAME_CHARS {
        Err(format!("A name is at most {MAX_NAME_CHARS} characters."))
    } else if trimmed.chars().any(char::is_control) {
        Err("A name cannot contain control characters such as tabs or line breaks.".to_owned())
    } else {
        Ok(trimmed.to_owned())
    }
}

/// The WHATWG HTML "valid email address" rule, the one `<input type=email>`
/// applies, plus the 254-character limit of SMTP paths (RFC 5321).
fn check_email(value: &str) -> Result<String, String> {
    if value.chars().count() > MAX_EMAIL_CHARS {
        return Err(format!("An email address is at most {MAX_EMAIL_CHARS} characters."));
    }
    if is_valid_email(value) {
        Ok(value.to_owned())
    } else {
        Err("Enter an email address like name@example.com.".to_owned())
    }
}

/// `local@label(.label)*`, where the local part uses the characters HTML allows
/// and each label is 1-63 letters, digits or inner hyphens.
pub(super) fn is_valid_email(value: &str) -> bool {
    const LOCAL_SYMBOLS: &[u8] = b".!#$%&'*+/=?^_`{|}~-";
    let Some((local, domain)) = value.split_once('@') else { return false };
    let local_ok = !local.is_empty()
        && local.bytes().all(|b| b.is_ascii_alphanumeric() || LOCAL_SYMBOLS.contains(&b));
    let label_ok = |label: &str| {
        let bytes = label.as_bytes();
        (1..=63).contains(&bytes.len())
            && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
            && bytes[0] != b'-'
            && bytes[bytes.len() - 1] != b'-'
    };
    local_ok && domain.split('.').all(label_ok)
}

fn check_time_zone(value: &str) -> Result<String, String> {
    if timezone::is_known(value) {
        return Ok(value.to_owned());
    }
    Err(match timezone::suggest(value) {
        Some(name) => format!("“{value}” is not an IANA time zone name: did you mean {name}?"),
        None => "Use an IANA time zone name, like Europe/Berlin or America/New_York.".to_owned(),
    })
}

fn check_metadata(
    metadata: &std::collections::BTreeMap<String, String>,
    problems: &mut FieldErrors,
) {
    if metadata.len() > MAX_METADATA_KEYS {
        problems.insert(
            Field::Metadata.as_str().to_owned(),
            format!(
                "Metadata holds at most {MAX_METADATA_KEYS} keys; this has {}.",
                metadata.len()
            ),
        );
    }
    for (key, value) in metadata {
        if let Err(sentence) = check_metadata_entry(key, value) {
            problems.insert(metadata_field(key), sentence);
        }
    }
}

/// The field name under which a problem with one metadata key is reported.
pub(super) fn metadata_field(key: &str) -> String {
    ErrorKey::MetadataEntry(key).name()
}

/// The rule for a metadata key on its own: a form shows its problem on the
/// key's input, and a problem of the entry's value on the value's.
pub fn check_metadata_key(key: &str) -> Result<(), String> {
    let key_chars = key.chars().count();
    if key_chars == 0 || key_chars > MAX_METADATA_KEY_CHARS {
        Err(format!("A metadata key is 1 to {MAX_METADATA_KEY_CHARS} characters."))
    } else if key.chars().any(char::is_control) {
        Err("A metadata key cannot contain control characters.".to_owned())
    } else {
        Ok(())
    }
}

fn check_metadata_entry(key: &str, value: &str) -> Result<(), String> {
    check_metadata_key(key)?;
    if value.chars().count() > MAX_METADATA_VALUE_CHARS {
        Err(format!("A metadata value is at most {MAX_METADATA_VALUE_CHARS} characters."))
    } else {
        Ok(())
    }
}
