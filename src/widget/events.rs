//! The DOM events a host page listens to.
//!
//! All bubble and are composed, so a listener on `document` hears every
//! widget on the page, shadow roots or not. Each `detail` is a Rust type,
//! turned into a plain JS object by serde-wasm-bindgen.

use serde::Serialize;
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

use crate::contract::{Field, ValidUpdate};

/// Dispatched after a successful update.
pub const UPDATED: &str = "contact-updated";
/// Dispatched after a failed update (never for a form that was not sent).
pub const FAILED: &str = "contact-update-failed";

/// The `detail` of [`UPDATED`]: `{identifier: {kind, value}, changedFields: [...]}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Updated {
    identifier: Identifier,
    changed_fields: Vec<&'static str>,
}

/// Which contact: `value` has the type it had in the request (a number for `id`).
#[derive(Serialize)]
struct Identifier {
    kind: &'static str,
    value: IdentifierValue,
}

#[derive(Serialize)]
#[serde(untagged)]
enum IdentifierValue {
    /// A contact ID: at most 2^53 - 1, so exact as a JS number.
    Number(f64),
    Text(String),
}

/// The `detail` of [`FAILED`].
#[derive(Serialize)]
struct Failed<'a> {
    code: &'a str,
    message: &'a str,
}

/// Dispatches `contact-updated` for `update`.
pub(super) fn updated(host: &HtmlElement, update: &ValidUpdate) {
    let contact = update.update();
    let Some(&kind) = update.identifier_kinds().first() else { return };
    let value = match kind {
        Field::Id => IdentifierValue::Number(contact.id.unwrap_or_default() as f64),
        text => IdentifierValue::Text(contact.text(text).unwrap_or_default().to_owned()),
    };
    let detail = Updated {
        identifier: Identifier { kind: kind.as_str(), value },
        changed_fields: update.changed_fields().iter().map(|field| field.as_str()).collect(),
    };
    dispatch(host, UPDATED, &detail);
}

/// Dispatches `contact-update-failed` with `{code, message}`.
pub(super) fn failed(host: &HtmlElement, code: &str, message: &str) {
    dispatch(host, FAILED, &Failed { code, message });
}

/// Dispatches the event `name` on `host`, bubbling and composed.
pub(super) fn dispatch(host: &HtmlElement, name: &str, detail: &impl Serialize) {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let detail = detail.serialize(&serializer).unwrap_or(JsValue::NULL);
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
}
