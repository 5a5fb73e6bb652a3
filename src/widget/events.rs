//! The DOM events a host page listens to.
//!
//! Both bubble and are composed, so a listener on `document` hears every
//! widget on the page, shadow roots or not. `detail` is a plain object built
//! by hand: two small objects do not justify a serializer in the wasm.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

use crate::contract::{Field, ValidUpdate};

/// Dispatched after a successful update.
pub const UPDATED: &str = "contact-updated";
/// Dispatched after a failed update (never for a form that was not sent).
pub const FAILED: &str = "contact-update-failed";

/// `contact-updated` with `{identifier: {kind, value}, changedFields: [...]}`;
/// `value` has the type it had in the request (a number for `id`).
pub(super) fn updated(host: &HtmlElement, update: &ValidUpdate) {
    let contact = update.update();
    let identifier = Object::new();
    if let Some(kind) = update.identifier_kinds().first() {
        let value = match kind {
            Field::Id => contact.id.map(|id| JsValue::from_f64(id as f64)),
            other => contact.text(*other).map(JsValue::from_str),
        };
        set(&identifier, "kind", &JsValue::from_str(kind.as_str()));
        set(&identifier, "value", &value.unwrap_or(JsValue::NULL));
    }
    let changed: Array =
        update.changed_fields().iter().map(|field| JsValue::from_str(field.as_str())).collect();
    let detail = Object::new();
    set(&detail, "identifier", &identifier);
    set(&detail, "changedFields", &changed);
    dispatch(host, UPDATED, &detail);
}

/// `contact-update-failed` with `{code, message}`.
pub(super) fn failed(host: &HtmlElement, code: &str, message: &str) {
    let detail = Object::new();
    set(&detail, "code", &JsValue::from_str(code));
    set(&detail, "message", &JsValue::from_str(message));
    dispatch(host, FAILED, &detail);
}

fn set(object: &Object, key: &str, value: &JsValue) {
    // Cannot fail on a fresh plain object.
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

fn dispatch(host: &HtmlElement, name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
}
