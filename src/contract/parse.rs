//! From a request body to a [`ValidUpdate`].
//!
//! serde's derive stops at the first problem and reports a wrong type as a
//! syntax error. Operators need every problem at once, each on its own field, so
//! the body is read as a JSON object first and each member is typed by hand.
//!
//! JSON lets a key appear twice and most readers keep the last: a body could
//! then mean one thing to whatever checked it and another to Setter. The
//! reader here ([`Reading`]) notes every key given twice, at the top and in
//! `metadata`, and such a body is refused on that key.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::rules::{self, metadata_field};
use super::{ContactUpdate, ErrorKey, Field, FieldErrors, Rejection, ValidUpdate};

/// Parses and validates a request body. `BadJson` only when the body is not a
/// JSON object; wrong types and unknown fields are `InvalidField` on their field.
pub fn parse(body: &[u8]) -> Result<ValidUpdate, Rejection> {
    let mut duplicates = Vec::new();
    let reading = Reading { duplicates: &mut duplicates, depth: Depth::Top };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = reading.deserialize(&mut deserializer).and_then(|value| {
        deserializer.end()?;
        Ok(value)
    });
    let value: Value = value.map_err(|err| {
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
    let (update, mut problems) = from_object(object);
    for name in duplicates {
        let sentence = match ErrorKey::of(&name) {
            ErrorKey::MetadataEntry(_) => "This metadata key is given twice; give each key once.",
            _ => "This field is given twice in the request; give it once.",
        };
        problems.insert(name, sentence.to_owned());
    }
    rules::validate(update, problems)
}

/// Where in the body a [`Reading`] is: the top object, `metadata`'s, or deeper.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Depth {
    Top,
    Metadata,
    Deeper,
}

/// Reads a JSON value as serde_json's `Value` does, noting the names of keys
/// given twice (`firstName`, `metadata.plan`) in the top object and in
/// `metadata`; the last value of a repeated key is the one kept, as before.
struct Reading<'a> {
    duplicates: &'a mut Vec<String>,
    depth: Depth,
}

impl<'de> DeserializeSeed<'de> for Reading<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Reading<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = match self.depth {
                Depth::Top => map.next_value_seed(Reading {
                    duplicates: &mut *self.duplicates,
                    depth: if key == Field::Metadata.as_str() {
                        Depth::Metadata
                    } else {
                        Depth::Deeper
                    },
                })?,
                Depth::Metadata | Depth::Deeper => map.next_value::<Value>()?,
            };
            let name = match self.depth {
                Depth::Top => Some(key.clone()),
                Depth::Metadata => Some(metadata_field(&key)),
                Depth::Deeper => None,
            };
            if let (Some(name), Some(_)) = (name, object.insert(key, value))
                && !self.duplicates.contains(&name)
            {
                self.duplicates.push(name);
            }
        }
        Ok(Value::Object(object))
    }
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

/// A contact ID: a whole number, however it is written (`380`, `380.0` and
/// `3.8e2` are one number to JSON, and to JSON Schema's `integer`).
fn as_contact_id(value: &Value) -> Result<u64, String> {
    let Value::Number(number) = value else {
        return Err(wrong_type("a JSON number, like 123", value));
    };
    if let Some(id) = number.as_u64() {
        return rules::check_contact_id(id);
    }
    if number.is_i64() {
        return Err(rules::too_small_id());
    }
    match number.as_f64() {
        Some(float) if float.fract() == 0.0 && float < 1.0 => Err(rules::too_small_id()),
        // Whole, and exact as a float: every whole float up to 2^53 is.
        Some(float) if float.fract() == 0.0 && float <= rules::MAX_CONTACT_ID as f64 => {
            rules::check_contact_id(float as u64)
        }
        Some(float) if float.fract() == 0.0 => rules::check_contact_id(u64::MAX),
        _ => Err("A contact ID is a whole number, like 123, with no fraction.".to_owned()),
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
