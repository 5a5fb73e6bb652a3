//! The sandbox's contacts and the one operation Setter offers on them.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::contract::{ContactUpdate, Field, ValidUpdate};

/// The organization the sandbox's API key belongs to.
pub const OWN_ORGANIZATION: &str = "acme";

/// The demo contacts the sandbox starts from. They reach every outcome: a unique
/// contact per identifier kind, two sharing a waId (409), one of another
/// organization (403).
const DEMO_CONTACTS: &str = include_str!("demo-contacts.json");

/// A contact as the sandbox keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Contact {
    pub id: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wa_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_phone_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_time_zone: Option<String>,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    pub organization: String,
}

impl Contact {
    /// Whether every identifier the update gives names this contact.
    fn is_named_by(&self, update: &ContactUpdate) -> bool {
        let same = |given: &Option<String>, own: &Option<String>| given.is_none() || given == own;
        update.id.is_none_or(|id| id == self.id)
            && same(&update.wa_id, &self.wa_id)
            && same(&update.sms_phone_number, &self.sms_phone_number)
    }

    /// Writes the given fields and merges metadata key by key; the rest stays.
    fn apply(&mut self, update: &ContactUpdate) {
        let slots = [
            (&mut self.first_name, &update.first_name),
            (&mut self.last_name, &update.last_name),
            (&mut self.full_name, &update.full_name),
            (&mut self.phone_number, &update.phone_number),
            (&mut self.email, &update.email),
            (&mut self.default_time_zone, &update.default_time_zone),
        ];
        for (slot, given) in slots {
            if let Some(value) = given {
                *slot = Some(value.clone());
            }
        }
        if let Some(metadata) = &update.metadata {
            self.metadata.extend(metadata.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
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
}

impl Store {
    /// A store holding the demo contacts.
    pub fn demo() -> Store {
        let contacts = serde_json::from_str(DEMO_CONTACTS).expect("demo-contacts.json is valid");
        Store::new(contacts)
    }

    /// A store holding `contacts`.
    pub fn new(contacts: Vec<Contact>) -> Store {
        Store { contacts: Arc::new(Mutex::new(contacts)) }
    }

    /// Every contact, as it is now.
    pub fn contacts(&self) -> Vec<Contact> {
        self.lock().clone()
    }

    /// Applies an update for `organization` with Setter's rules: a unique match,
    /// that the organization may see.
    pub fn update(&self, organization: &str, update: &ValidUpdate) -> Outcome {
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
        let body = r#"{"id": 101, "email": "ada@lovelace.example", "metadata": {"plan": "team", "tier": "gold"}}"#;
        assert_eq!(store.update(OWN_ORGANIZATION, &update(body)), Outcome::Updated);
        let after = store.contacts()[0].clone();
        assert_eq!(after.email.as_deref(), Some("ada@lovelace.example"));
        assert_eq!(after.metadata["plan"], "team");
        assert_eq!(after.metadata["tier"], "gold");
        assert_eq!(after.metadata["source"], before.metadata["source"], "kept key by key");
        let unchanged =
            Contact { email: before.email.clone(), metadata: before.metadata.clone(), ..after };
        assert_eq!(unchanged, before, "nothing else changed");
    }
}
