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

    /// `text` (from upstream: untrusted) with the key cut out, and every
    /// credential after a `Bearer` or `Basic` with it, whatever its case: an
    /// upstream that echoes the request's `Authorization` must not hand the
    /// key (or anyone's token) to a client or a log line.
    pub(super) fn redact(&self, text: &str) -> String {
        let header = self.authorization();
        let key = header.as_bytes().strip_prefix(b"Bearer ").unwrap_or_default();
        let key = std::str::from_utf8(key).unwrap_or_default();
        let without_key =
            if key.is_empty() { text.to_owned() } else { text.replace(key, REDACTED) };
        redact_credentials(&without_key)
    }
}

/// What stands where a credential was cut out.
pub const REDACTED: &str = "[redacted]";

/// Every token after the word `Bearer` or `Basic` (any case) becomes
/// [`REDACTED`].
fn redact_credentials(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find_scheme(rest) {
        let (before, from_scheme) = rest.split_at(at);
        out.push_str(before);
        let scheme_len = from_scheme.find(char::is_whitespace).unwrap_or(from_scheme.len());
        let (scheme, after) = from_scheme.split_at(scheme_len);
        out.push_str(scheme);
        let spaces = after.len() - after.trim_start().len();
        let token_start = &after[spaces..];
        let token_len = token_start
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ')' | '}' | ']'))
            .unwrap_or(token_start.len());
        out.push_str(&after[..spaces]);
        // A key already cut out (`Bearer [redacted]`) stays as it is.
        let token_len = if token_start.starts_with(REDACTED) { REDACTED.len() } else { token_len };
        if token_len > 0 {
            out.push_str(REDACTED);
        }
        rest = &token_start[token_len..];
    }
    out.push_str(rest);
    out
}

/// Where the next `bearer` or `basic` followed by whitespace starts.
fn find_scheme(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    ["bearer", "basic"]
        .iter()
        .filter_map(|scheme| {
            lower.match_indices(scheme).map(|(at, _)| at).find(|&at| {
                let after = &lower[at + scheme.len()..];
                after.starts_with(char::is_whitespace) && !after.trim_start().is_empty()
            })
        })
        .min()
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
    fn redact_cuts_the_key_and_every_credential_out() {
        let slot = KeySlot::new(&SecretString::from("sk-canary-1")).unwrap();
        let echo = "bad auth authorization: Bearer sk-canary-1; also BEARER other_token, basic dXNlcjpwdw==";
        let redacted = slot.redact(echo);
        assert!(
            !redacted.contains("sk-canary-1") && !redacted.contains("other_token"),
            "{redacted}"
        );
        assert!(!redacted.contains("dXNlcjpwdw"), "{redacted}");
        assert_eq!(
            redacted,
            "bad auth authorization: Bearer [redacted]; also BEARER [redacted], basic [redacted]"
        );
        assert_eq!(slot.redact("the key sk-canary-1 alone"), "the key [redacted] alone");
        assert_eq!(slot.redact("Invalid email"), "Invalid email", "plain reasons pass");
        assert_eq!(slot.redact("a bearer of bad news"), "a bearer [redacted] bad news", "cautious");
    }

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
