//! The "Recent changes" panel under the form: the audit trail's last entries
//! for the contact in the identifier field (when, who, fields → values,
//! outcome), and plain words when there are none, or no trail, or it cannot
//! be read.
//!
//! Plain data and markup here; the widget fetches (`GET /api/audit`) and
//! renders. Every value in an entry was typed by someone: it goes into the
//! panel escaped, as text.

use super::html::Html;
use crate::contract::Field;

/// How many entries the panel shows.
pub const SHOWN: u32 = 10;

/// One entry, as the panel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// When, as the reader's locale writes it.
    pub when: String,
    /// The machine-readable instant, for `<time datetime>`.
    pub at: String,
    /// Who: the signed-in user, or the client's address when there was none.
    pub who: String,
    /// Each field set, and what to (`plan=gold, tier=2` for metadata); the
    /// value is empty when the trail keeps names only.
    pub fields: Vec<(String, String)>,
    /// The outcome's code (`updated`, `not_found`, …, `pending`, `unknown`).
    pub outcome: String,
}

/// What the panel shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum History {
    /// No valid identifier yet: the panel is hidden.
    #[default]
    Idle,
    Loading,
    Changes(Vec<Change>),
    /// The proxy keeps no trail (`--audit-db off`).
    Off,
    /// The trail could not be read; says why, in a few words.
    Unavailable(String),
}

/// The audit trail's address, from the form's update endpoint: its last
/// segment (`contacts`) becomes `audit`.
pub fn audit_endpoint(updates: &str) -> String {
    let path = updates.split('?').next().unwrap_or(updates).trim_end_matches('/');
    let base = path.rsplit_once('/').map_or("", |(before, _)| before);
    format!("{base}/audit")
}

/// `?contact=KIND:VALUE&limit=N`, the value percent-encoded.
pub fn query(kind: Field, value: &str) -> String {
    let mut encoded = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("?contact={}%3A{encoded}&limit={SHOWN}", kind.as_str())
}

/// What an outcome reads as, in the panel.
pub fn outcome_words(code: &str) -> &'static str {
    match code {
        "updated" => "updated",
        "pending" => "in progress",
        "unknown" => "outcome unknown",
        "not_found" => "no such contact",
        "multiple_matches" => "several contacts matched",
        "forbidden" => "no access",
        "invalid_field" => "refused by Setter",
        "rate_limited" => "Setter was busy",
        "upstream_timeout" => "no answer from Setter",
        _ => "failed",
    }
}

/// The sentence above the list (empty when the list says it all).
pub fn state_sentence(history: &History) -> &str {
    match history {
        History::Idle => "",
        History::Loading => "Loading the recent changes…",
        History::Changes(changes) if changes.is_empty() => "No change of this contact is recorded.",
        History::Changes(_) => "",
        History::Off => "This server keeps no audit trail, so there is no history to show.",
        History::Unavailable(why) => why,
    }
}

/// The list's items.
pub fn items(history: &History) -> String {
    let History::Changes(changes) = history else { return String::new() };
    let mut h = Html::with_capacity(256 * changes.len());
    for change in changes {
        h.raw("<li><time").attribute("datetime", &change.at).raw(">").text(&change.when);
        h.raw("</time> <span class='scf-history-who'>").text(&change.who).raw("</span>: ");
        for (index, (field, value)) in change.fields.iter().enumerate() {
            if index > 0 {
                h.raw("; ");
            }
            h.text(field);
            if !value.is_empty() {
                h.raw(" → ").text(value);
            }
        }
        h.raw(" <span class='scf-history-outcome'")
            .attribute("data-outcome", &change.outcome)
            .raw(">(")
            .text(outcome_words(&change.outcome))
            .raw(")</span></li>");
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trails_address_follows_the_update_endpoint() {
        assert_eq!(audit_endpoint("/api/contacts"), "/api/audit");
        assert_eq!(
            audit_endpoint("https://proxy.example/dash/api/contacts/"),
            "https://proxy.example/dash/api/audit"
        );
        assert_eq!(audit_endpoint("/api/contacts?x=1"), "/api/audit");
    }

    #[test]
    fn the_query_names_the_contact_with_its_value_encoded() {
        assert_eq!(
            query(Field::SmsPhoneNumber, "+15551234567"),
            "?contact=smsPhoneNumber%3A%2B15551234567&limit=10"
        );
        assert_eq!(query(Field::Id, "101"), "?contact=id%3A101&limit=10");
    }

    #[test]
    fn every_value_is_escaped_and_each_outcome_has_its_words() {
        let history = History::Changes(vec![Change {
            when: "01/12/2026, 10:00".into(),
            at: "2026-12-01T10:00:00.000Z".into(),
            who: "<b>mallory</b>".into(),
            fields: vec![
                ("firstName".into(), "<img src=x onerror=alert(1)>".into()),
                ("email".into(), String::new()),
            ],
            outcome: "not_found".into(),
        }]);
        let html = items(&history);
        assert!(!html.contains("<img") && !html.contains("<b>"), "{html}");
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(
            html.contains("firstName → ") && html.contains("; email "),
            "names only when no value: {html}"
        );
        assert!(html.contains("(no such contact)"));
        assert_eq!(
            state_sentence(&History::Changes(vec![])),
            "No change of this contact is recorded."
        );
        assert_eq!(items(&History::Loading), "");
    }
}
