//! From a request body to a [`ValidUpdate`].
//!
//! serde's derive stops at the first problem and reports a wrong type as a
//! syntax error. Operators need every problem at once, each on its own field, so
//! the body is read as a JSON object first and each member is typed by hand.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::rules::{self, metadata_field};
use super::{ContactUpdate, Field, FieldErrors, Rejection, ValidUpdate};

/// Parses and validates a request body. `BadJson` only when the body is not a
/// JSON object; wrong types and unknown fields are `InvalidField` on their field.
pub fn parse(body: &[u8]) -> Result<ValidUpdate, Rejection> {
    let value: Value = serde_json::from_slice(body).map_err(|err| {
        Rejection::BadJson(match err.classify() {
            serde_json::error::Category::Eof => {
                format!("it ends too early (line {}, column {})", err.line(), err.column())
            }
            _ => err.to_string(),
        })
    })?;
    let Value::Object(object) = value else {
        return Err(Rejection::BadJson(format!(
            "expected an object like {{\"id\": 123, \"firstName\": \"Ada\"}}, found {}",
            json_type(&value)
        )));
    };
    let (update, problems) = from_object(object);
    rules::validate(update, problems)
}

/// Types each member; what does not fit becomes a problem on that member's name.
fn from_object(object: Map<String, Value>) -> (ContactUpdate, FieldErrors) {
    let mut update = ContactUpdate::default();
    let mut problems = FieldErrors::new();
    for (name, value) in object {
        let Some(field) = Field::from_name(&name) else {
            problems.insert(name, unknown_field_sentence());
            continue;
        };
        let typed = match field {
            Field::Id => as_contact_id(&value).map(|id| update.id = Some(id)),
            Field::Metadata => {
                as_metadata(value, &mut problems).map(|metadata| update.metadata = Some(metadata))
            }
            text_field => as_text(value).map(|text| {
                *update.text_mut(text_field).expect("every other field is text") = Some(text)
            }),
        };
        if let Err(sentence) = typed {
            problems.insert(name, sentence);
        }
    }
    (update, problems)
}

fn unknown_field_sentence() -> String {
    let known: Vec<&str> = Field::ALL.iter().map(|field| field.as_str()).collect();
    format!("Setter has no such field; the fields are {}.", known.join(", "))
}

fn as_contact_id(value: &Value) -> Result<u64, String> {
    match value {
        Value::Number(number) => match number.as_u64() {
            Some(id) => rules::check_contact_id(id),
            None if number.is_i64() => Err(rules::too_small_id()),
            None => Err("A contact ID is a whole number, like 123, with no fraction.".to_owned()),
        },
        other => Err(wrong_type("a JSON number, like 123", other)),
    }
}

fn as_text(value: Value) -> Result<String, String> {
    match value {
        Value::String(text) => Ok(text),
        other => Err(wrong_type("a string", &other)),
    }
}

/// A metadata object; a value that is not a string is reported on its own key.
fn as_metadata(
    value: Value,
    problems: &mut FieldErrors,
) -> Result<BTreeMap<String, String>, String> {
    let Value::Object(object) = value else {
        return Err(wrong_type("an object of string keys and string values", &value));
    };
    let mut metadata = BTreeMap::new();
    for (key, value) in object {
        match as_text(value) {
            Ok(text) => {
                metadata.insert(key, text);
            }
            Err(_) => {
                problems.insert(metadata_field(&key), "A metadata value must be a string.".into());
            }
        }
    }
    Ok(metadata)
}

fn wrong_type(expected: &str, found: &Value) -> String {
    match found {
        Value::Null => format!(
            "This must be {expected}, not null; leave the field out to keep the current value."
        ),
        other => format!("This must be {expected}, not {}.", json_type(other)),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
