//! `<setter-contact-form endpoint="/api/contacts">`: the custom element.
//!
//! A custom element needs a JavaScript class, which Rust cannot declare; the
//! few lines below are shipped as a wasm-bindgen snippet (a file served by the
//! host, so a `script-src 'self'` policy allows it). Each element mounts its
//! own form when it enters the document and unmounts it when it leaves. A
//! move inside the document (disconnect, then connect in the same task) keeps
//! the form and what was typed in it.

use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use super::{Config, ELEMENT_NAME, Endpoint, mount_with};

#[wasm_bindgen(inline_js = r#"
export function defineElement(name, connect) {
  if (customElements.get(name)) return false;
  customElements.define(name, class extends HTMLElement {
    connectedCallback() { if (!this.setterForm) this.setterForm = connect(this); }
    disconnectedCallback() {
      queueMicrotask(() => {
        const form = this.setterForm;
        if (!this.isConnected && form) { this.setterForm = null; form.free(); }
      });
    }
  });
  return true;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = defineElement)]
    fn define_element(name: &str, connect: &JsValue) -> bool;
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
