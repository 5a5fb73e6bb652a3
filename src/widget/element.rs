//! `<setter-contact-form endpoint="/api/contacts">`: the custom element, and
//! the takeover of a pre-rendered form.
//!
//! A custom element needs a JavaScript class, which Rust cannot declare; the
//! few lines below are shipped as a wasm-bindgen snippet (a file served by the
//! host, so a `script-src 'self'` policy allows it). Each element mounts its
//! own form when it enters the document and unmounts it when it leaves. A
//! move inside the document (disconnect, then connect in the same task) keeps
//! the form and what was typed in it. An element met while the page is still
//! being parsed (a host that loads the module early, `async`) waits for the
//! end of parsing: the pre-rendered form inside it may not be there yet.
//!
//! The same snippet (one module, one request) takes over from a pre-rendered
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
use web_sys::{Element, HtmlElement, ShadowRoot};

use super::{Config, ELEMENT_NAME, Endpoint, mount_with};

#[wasm_bindgen(inline_js = r#"
export function defineElement(name, connect) {
  if (customElements.get(name)) return false;
  customElements.define(name, class extends HTMLElement {
    connectedCallback() {
      if (document.readyState == "loading") {
        document.addEventListener("DOMContentLoaded", () => this.isConnected && this.connectedCallback(), { once: true });
      } else if (!this.setterForm) {
        this.setterForm = connect(this);
      }
    }
    disconnectedCallback() {
      queueMicrotask(() => {
        const form = this.setterForm;
        if (!this.isConnected && form) { this.setterForm = null; form.free(); }
      });
    }
  });
  return true;
}

export function takePrerendered(root) {
  const form = root.querySelector("[data-prerendered] form");
  if (!form) return null;
  const focus = root.activeElement;
  const typed = {
    fields: [...form.elements].filter((field) => field.name && field.value),
    focus: focus && focus.name,
    selection: focus && [focus.selectionStart, focus.selectionEnd, focus.selectionDirection],
  };
  root.replaceChildren();
  return typed;
}

export function handOver(form, typed) {
  if (!typed) return;
  for (const { name, value, tagName } of typed.fields) {
    const field = form.elements.namedItem(name);
    if (!field) continue;
    field.value = value;
    field.dispatchEvent(new Event(tagName == "SELECT" ? "change" : "input", { bubbles: true }));
    if (name != typed.focus) field.dispatchEvent(new FocusEvent("focusout", { bubbles: true }));
  }
  const field = typed.focus && form.elements.namedItem(typed.focus);
  if (field) {
    field.focus({ preventScroll: true });
    try { field.setSelectionRange(...typed.selection); } catch {}
  }
}
"#)]
extern "C" {
    /// Defines the custom element `name`, whose instances call `connect`
    /// with themselves when they enter the document and `free()` the handle
    /// it returns when they leave; false when `name` was defined already.
    #[wasm_bindgen(js_name = defineElement)]
    pub(super) fn define_element(name: &str, connect: &JsValue) -> bool;

    /// Reads and removes the pre-rendered form in `root`: null when there is none.
    #[wasm_bindgen(js_name = takePrerendered)]
    pub(super) fn take_prerendered(root: &ShadowRoot) -> JsValue;

    /// Types what [`take_prerendered`] read into the live `form`.
    #[wasm_bindgen(js_name = handOver)]
    pub(super) fn hand_over(form: &Element, typed: &JsValue);
}

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
