//! `<setter-contact-form endpoint="/api/contacts">`: the custom element, and
//! the takeover of a pre-rendered form.
//!
//! A custom element needs a JavaScript class, which Rust cannot declare; its
//! few lines are in the widget's one wasm-bindgen snippet ([`super::js`], a
//! file served by the host, so a `script-src 'self'` policy allows it). Each element mounts its
//! own form when it enters the document and unmounts it when it leaves. A
//! move inside the document (disconnect, then connect in the same task) keeps
//! the form and what was typed in it. An element met while the page is still
//! being parsed (a host that loads the module early, `async`) waits for the
//! end of parsing: the pre-rendered form inside it may not be there yet.
//!
//! The same snippet takes over from a pre-rendered
//! form (`ui::prerender`): [`take_prerendered`] reads what was typed into
//! it and removes it, and once the live form listens, [`hand_over`] types it
//! into the live form as the operator would have: a value and an `input` (or
//! `change`) event per filled field, and a `focusout` for each but the focused
//! one (which fields were really left, nothing could note before the widget
//! came), then the caret and selection back where they were (an email input
//! has no selection: its `setSelectionRange` throws, and the caret goes to
//! the end). The form's own listener turns that into state,
//! so the takeover adds no second way of setting it. In JavaScript because it
//! is DOM plumbing only, and some 1 KiB less compressed wasm than in Rust.

use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use super::{Config, ELEMENT_NAME, Endpoint, mount_with};

use super::js::define_element;

/// Defines `<setter-contact-form>` once; later calls do nothing.
pub fn define() {
    let connect = Closure::<dyn FnMut(HtmlElement) -> JsValue>::new(|host: HtmlElement| {
        let config = Config::new(Endpoint::Attribute(host.clone()));
        match mount_with(&host, config) {
            Ok(handle) => JsValue::from(handle),
            Err(err) => {
                web_sys::console::error_1(&JsValue::from_str(&format!("{ELEMENT_NAME}: {err}")));
                JsValue::NULL
            }
        }
    });
    if define_element(ELEMENT_NAME, connect.as_ref()) {
        // The element class calls it for every element, for the page's lifetime.
        connect.forget();
    }
}
