//! The sandbox's contacts and the one operation Setter offers on them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::contract::{ContactUpdate, Field, ValidUpdate};

/// The organization the sandbox's API key belongs to.
pub const OWN_ORGANIZATION: &str = "acme";

/// The demo contacts the sandbox starts from. They reach every outcome: a unique
/// contact per identifier kind, two sharing a waId (409), one of another
/// organization (403).
const DEMO_CONTACTS: &str = include_str!("demo-contacts.json");

/// A contact as the sandbox keeps it: every field of an update (its
/// identifiers included), so that a field the contract gains is one the
/// sandbox keeps, and the organization it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// The contact's fields. `id` is always set; `metadata` always too
    /// (empty when the contact has none).
    #[serde(flatten)]
    pub fields: ContactUpdate,
    pub organization: String,
}

impl Contact {
    /// The contact's id.
    pub fn id(&self) -> u64 {
        self.fields.id.unwrap_or_default()
    }

    /// Whether every identifier the update gives names this contact.
    fn is_named_by(&self, update: &ContactUpdate) -> bool {
        Field::IDENTIFIERS.into_iter().all(|field| match field {
            Field::Id => update.id.is_none_or(|id| Some(id) == self.fields.id),
            text => update.text(text).is_none_or(|given| self.fields.text(text) == Some(given)),
        })
    }

    /// Writes the given fields and merges metadata key by key; the rest stays.
    fn apply(&mut self, update: &ContactUpdate) {
        for field in Field::TEXT_CHANGES {
            if let Some(value) = update.text(field) {
                *self.fields.text_mut(field).expect("a text change") = Some(value.to_owned());
            }
        }
        if let Some(metadata) = &update.metadata {
            let own = self.fields.metadata.get_or_insert_default();
            own.extend(metadata.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
}

/// The demo contacts, read from `demo-contacts.json`.
fn demo_contacts() -> Vec<Contact> {
    serde_json::from_str(DEMO_CONTACTS).expect("demo-contacts.json is valid")
}

/// What became of an update, as Setter would answer it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Updated,
    NotFound,
    MultipleMatches,
    OtherOrganization,
}

/// The sandbox's contacts, shared by its handlers.
#[derive(Debug, Clone)]
pub struct Store {
    contacts: Arc<Mutex<Vec<Contact>>>,
    /// Updates received (whatever became of them): what a test of "nothing
    /// sent twice" counts.
    received: Arc<AtomicU64>,
}

/// The id of the first generated contact ([`Store::demo_with`]).
pub const FIRST_GENERATED_ID: u64 = 1001;

/// A made-up contact of the demo's organization, numbered `n` from 0: id
/// 1001 + n, WhatsApp ID 1555100nnnn, SMS number +1555200nnnn.
fn generated(n: u64) -> Contact {
    let id = FIRST_GENERATED_ID + n;
    let fields = ContactUpdate {
        id: Some(id),
        wa_id: Some(format!("1555100{n:04}")),
        sms_phone_number: Some(format!("+1555200{n:04}")),
        first_name: Some("Contact".to_owned()),
        last_name: Some(id.to_string()),
        full_name: Some(format!("Contact {id}")),
        email: Some(format!("contact{id}@example.com")),
        default_time_zone: Some("UTC".to_owned()),
        metadata: Some(Default::default()),
        ..ContactUpdate::default()
    };
    Contact { fields, organization: OWN_ORGANIZATION.to_owned() }
}

impl Store {
    /// A store holding the demo contacts.
    pub fn demo() -> Store {
        Store::new(demo_contacts())
    }

    /// The demo contacts and `generated` more (ids from
    /// [`FIRST_GENERATED_ID`]), for trying and testing bulk imports. At most
    /// 10,000: the WhatsApp IDs and SMS numbers have four digits for them.
    pub fn demo_with(generated_contacts: u64) -> Store {
        let mut contacts = demo_contacts();
        contacts.extend((0..generated_contacts.min(10_000)).map(generated));
        Store::new(contacts)
    }

    /// A store holding `contacts`.
    pub fn new(contacts: Vec<Contact>) -> Store {
        Store { contacts: Arc::new(Mutex::new(contacts)), received: Arc::default() }
    }

    /// How many updates the sandbox received.
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }

    /// Every contact, as it is now.
    pub fn contacts(&self) -> Vec<Contact> {
        self.lock().clone()
    }

    /// Applies an update for `organization` with Setter's rules: a unique match,
    /// that the organization may see.
    pub fn update(&self, organization: &str, update: &ValidUpdate) -> Outcome {
        self.received.fetch_add(1, Ordering::Relaxed);
        let update = update.update();
        debug_assert!(Field::IDENTIFIERS.into_iter().any(|field| update.has(field)));
        let mut contacts = self.lock();
        let mut matches = contacts.iter_mut().filter(|contact| contact.is_named_by(update));
        match (matches.next(), matches.next()) {
            (None, _) => Outcome::NotFound,
            (Some(_), Some(_)) => Outcome::MultipleMatches,
            (Some(contact), None) if contact.organization != organization => {
                Outcome::OtherOrganization
            }
            (Some(contact), None) => {
                contact.apply(update);
                Outcome::Updated
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Contact>> {
        // A panic while holding the lock cannot leave a half-applied update
        // (apply only assigns), so a poisoned lock is still safe to use.
        self.contacts.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::parse;

    fn update(json: &str) -> ValidUpdate {
        parse(json.as_bytes()).expect("valid update")
    }

    #[test]
    fn generated_contacts_are_unique_and_of_the_demos_organization() {
        let store = Store::demo_with(10_001);
        let contacts = store.contacts();
        assert_eq!(contacts.len(), demo_contacts().len() + 10_000, "at most 10,000 generated");
        let generated = &contacts[demo_contacts().len()..];
        assert_eq!(generated[0].id(), FIRST_GENERATED_ID);
        assert_eq!(generated[9_999].fields.wa_id.as_deref(), Some("15551009999"));
        for (n, body) in [
            (0, r#"{"waId":"15551000000","firstName":"W"}"#),
            (1, r#"{"smsPhoneNumber":"+15552000001","lastName":"S"}"#),
            (2, r#"{"id":1003,"email":"x@example.com"}"#),
        ] {
            assert_eq!(store.update(OWN_ORGANIZATION, &update(body)), Outcome::Updated, "{n}");
        }
        assert_eq!(store.received(), 3);
    }

    #[test]
    fn demo_contacts_reach_every_outcome() {
        let store = Store::demo();
        let cases = [
            (r#"{"id": 101, "firstName": "A"}"#, Outcome::Updated),
            (r#"{"waId": "15550000102", "firstName": "G"}"#, Outcome::Updated),
            (r#"{"smsPhoneNumber": "+15550000103", "firstName": "T"}"#, Outcome::Updated),
            (r#"{"waId": "15550000199", "firstName": "K"}"#, Outcome::MultipleMatches),
            (r#"{"id": 201, "firstName": "H"}"#, Outcome::OtherOrganization),
            (r#"{"id": 999, "firstName": "N"}"#, Outcome::NotFound),
            (r#"{"id": 101, "waId": "15550000102", "firstName": "X"}"#, Outcome::NotFound),
        ];
        for (body, outcome) in cases {
            assert_eq!(store.update(OWN_ORGANIZATION, &update(body)), outcome, "{body}");
        }
    }

    #[test]
    fn only_given_fields_change_and_metadata_merges() {
        let store = Store::demo();
        let before = store.contacts()[0].clone();
        let metadata = |contact: &Contact| contact.fields.metadata.clone().unwrap_or_default();
        let body = r#"{"id": 101, "email": "ada@lovelace.example", "metadata": {"plan": "team", "tier": "gold"}}"#;
        assert_eq!(store.update(OWN_ORGANIZATION, &update(body)), Outcome::Updated);
        let after = store.contacts()[0].clone();
        assert_eq!(after.fields.email.as_deref(), Some("ada@lovelace.example"));
        assert_eq!(metadata(&after)["plan"], "team");
        assert_eq!(metadata(&after)["tier"], "gold");
        assert_eq!(metadata(&after)["source"], metadata(&before)["source"], "kept key by key");
        let mut unchanged = after.clone();
        unchanged.fields.email = before.fields.email.clone();
        unchanged.fields.metadata = before.fields.metadata.clone();
        assert_eq!(unchanged, before, "nothing else changed");
    }

    #[test]
    fn the_demo_file_holds_only_fields_the_sandbox_keeps() {
        // Unknown keys would be dropped silently (serde's flatten takes no
        // deny_unknown_fields): the file reads back exactly as written.
        let written: serde_json::Value = serde_json::from_str(DEMO_CONTACTS).unwrap();
        let read = serde_json::to_value(demo_contacts()).unwrap();
        assert_eq!(read, written);
        assert!(
            demo_contacts().iter().all(|c| c.fields.id.is_some() && c.fields.metadata.is_some())
        );
    }
}
