//! An update as pretty-printed JSON, written by hand: the widget's request
//! preview and body.
//!
//! The output is exactly `serde_json::to_string_pretty` of the same update
//! (tested here and as a property in tests/contract.rs); writing it by hand
//! keeps serde_json's serializer and serde's derived code out of the widget's
//! wasm, where this was its only use. The proxy still serializes with serde
//! (`ValidUpdate::to_json`): both spell the same JSON.

use super::{ContactUpdate, Field};

/// `update` as JSON, indented by two spaces, absent fields left out.
pub fn to_pretty_json(update: &ContactUpdate) -> String {
    let mut out = String::from("{");
    let mut first = true;
    let mut member = |out: &mut String, name: &str| {
        out.push_str(if first { "\n  \"" } else { ",\n  \"" });
        first = false;
        out.push_str(name);
        out.push_str("\": ");
    };
    for field in Field::ALL {
        match field {
            Field::Id => {
                if let Some(id) = update.id {
                    member(&mut out, field.as_str());
                    out.push_str(&id.to_string());
                }
            }
            Field::Metadata => {
                if let Some(metadata) = &update.metadata {
                    member(&mut out, field.as_str());
                    if metadata.is_empty() {
                        out.push_str("{}");
                        continue;
                    }
                    out.push('{');
                    for (index, (key, value)) in metadata.iter().enumerate() {
                        out.push_str(if index == 0 { "\n    " } else { ",\n    " });
                        string(&mut out, key);
                        out.push_str(": ");
                        string(&mut out, value);
                    }
                    out.push_str("\n  }");
                }
            }
            text => {
                if let Some(value) = update.text(text) {
                    member(&mut out, text.as_str());
                    string(&mut out, value);
                }
            }
        }
    }
    out.push_str(if first { "}" } else { "\n}" });
    out
}

/// A JSON string, escaped as serde_json escapes it: quote, backslash and the
/// control characters below U+0020, nothing else.
fn string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xf] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn same_as_serde(update: &ContactUpdate) {
        assert_eq!(to_pretty_json(update), serde_json::to_string_pretty(update).unwrap());
    }

    #[test]
    fn spells_what_serde_json_spells() {
        same_as_serde(&ContactUpdate::default());
        same_as_serde(&ContactUpdate { id: Some(42), ..Default::default() });
        same_as_serde(&ContactUpdate {
            id: Some(u64::MAX),
            wa_id: Some("15551234567".into()),
            sms_phone_number: Some("+15551234567".into()),
            first_name: Some("Ada \"the\" \\ Countess".into()),
            last_name: Some("Lovelace\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}".into()),
            full_name: Some("Ada Lovelace 🧮 Ünïcödé".into()),
            phone_number: Some("+1 555".into()),
            email: Some("ada@example.com".into()),
            default_time_zone: Some("Europe/Berlin".into()),
            metadata: Some(BTreeMap::from([
                ("plan".into(), "gold".into()),
                ("".into(), "</script>".into()),
                ("quote\"key".into(), String::new()),
            ])),
        });
        same_as_serde(&ContactUpdate { metadata: Some(BTreeMap::new()), ..Default::default() });
    }

    #[test]
    fn escapes_every_control_character_as_serde_json_does() {
        let every: String = (0u32..0x80).filter_map(char::from_u32).collect();
        same_as_serde(&ContactUpdate { email: Some(every), ..Default::default() });
    }
}
