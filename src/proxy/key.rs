//! The Setter API key, held where nothing can print it.

use std::sync::{Arc, RwLock};

use axum::http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

/// The `Authorization` value sent to Setter. Shared by every clone, so a reload
/// (SIGHUP with `--api-key-file`) reaches every update that starts after it.
/// `Debug` shows nothing of the key.
#[derive(Clone)]
pub struct KeySlot(Arc<RwLock<HeaderValue>>);

/// A key that cannot travel in an HTTP header.
#[derive(Debug, thiserror::Error)]
#[error(
    "the API key holds characters an HTTP header cannot carry (a line break or a control character)"
)]
pub struct BadKey;

impl KeySlot {
    /// Holds `key`.
    pub fn new(key: &SecretString) -> Result<KeySlot, BadKey> {
        Ok(KeySlot(Arc::new(RwLock::new(bearer(key)?))))
    }

    /// Replaces the key; updates already sent keep the old one.
    pub fn replace(&self, key: &SecretString) -> Result<(), BadKey> {
        let header = bearer(key)?;
        *self.0.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = header;
        Ok(())
    }

    /// The header value, for the one place that sends it.
    pub(super) fn authorization(&self) -> HeaderValue {
        self.0.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }
}

impl std::fmt::Debug for KeySlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeySlot([REDACTED])")
    }
}

/// This is the only place the key is exposed.
fn bearer(key: &SecretString) -> Result<HeaderValue, BadKey> {
    let mut value =
        HeaderValue::try_from(format!("Bearer {}", key.expose_secret())).map_err(|_| BadKey)?;
    // Marked sensitive: HTTP libraries then leave it out of their debug output.
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key_and_replace_takes_effect() {
        let slot = KeySlot::new(&SecretString::from("canary-one")).unwrap();
        assert!(!format!("{slot:?}").contains("canary"));
        assert!(!format!("{:?}", slot.authorization()).contains("canary"), "sensitive header");
        slot.clone().replace(&SecretString::from("canary-two")).unwrap();
        assert_eq!(slot.authorization(), "Bearer canary-two");
        assert!(slot.replace(&SecretString::from("bad\nkey")).is_err());
        assert_eq!(slot.authorization(), "Bearer canary-two", "a bad key changes nothing");
    }
}
