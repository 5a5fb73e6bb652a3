//! The widget's JavaScript: one wasm-bindgen snippet for the whole widget.
//!
//! Each snippet is a module of its own, which the browser finds only when it
//! parses wasm-bindgen's glue; a second one would cost every page (a form's
//! too) one more request, one after the other, before the wasm can start, and
//! a host page one more `modulepreload` line to keep right. So the few lines
//! each part needs live here together, behind the Rust names those parts use:
//!
//! - the custom element class and the takeover of a pre-rendered form
//!   ([`super::element`] says why they are JavaScript);
//! - the importer's browser plumbing: the file a pick or a drop names, its
//!   bytes, the windows-1252 decoder, a download, `localStorage`. Each is DOM
//!   plumbing with nothing to decide; in JavaScript they cost no wasm and need
//!   no web-sys bindings (Blob, File, DataTransfer, Storage, TextDecoder...).
//!   Storage that throws (private windows, quota, a sandboxed frame) reads as
//!   absent and writes as `false`: the import goes on, unkept.

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use web_sys::{Element, ShadowRoot};

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

// The importer's.
export function fileOf(event) {
  const files = event.dataTransfer ? event.dataTransfer.files : event.target.files;
  return files && files.length ? files[0] : null;
}
export function fileName(file) { return file.name; }
export function fileSize(file) { return file.size; }
export async function fileBytes(file) { return new Uint8Array(await file.arrayBuffer()); }
export function windows1252(bytes) { return new TextDecoder("windows-1252").decode(bytes); }
export function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
export function load(key) { try { return localStorage.getItem(key); } catch { return null; } }
export function store(key, value) { try { localStorage.setItem(key, value); return true; } catch { return false; } }
export function forget(key) { try { localStorage.removeItem(key); } catch {} }
export function keys(prefix) {
  try { return Object.keys(localStorage).filter((key) => key.startsWith(prefix)); } catch { return []; }
}
export function now() { return Date.now(); }
"#)]
extern "C" {
    // The element's.
    /// Defines the custom element `name`, whose instances call `connect`
    /// with themselves when they enter the document and `free()` the handle
    /// it returns when they leave; false when `name` was defined already.
    #[wasm_bindgen(js_name = defineElement)]
    pub fn define_element(name: &str, connect: &JsValue) -> bool;

    /// Reads and removes the pre-rendered form in `root`: null when there is none.
    #[wasm_bindgen(js_name = takePrerendered)]
    pub fn take_prerendered(root: &ShadowRoot) -> JsValue;

    /// Types what [`take_prerendered`] read into the live `form`.
    #[wasm_bindgen(js_name = handOver)]
    pub fn hand_over(form: &Element, typed: &JsValue);

    // The importer's.
    /// The file an `input` change or a `drop` names; null when none.
    #[wasm_bindgen(js_name = fileOf)]
    pub fn file_of(event: &web_sys::Event) -> JsValue;
    #[wasm_bindgen(js_name = fileName)]
    pub fn file_name(file: &JsValue) -> String;
    #[wasm_bindgen(js_name = fileSize)]
    pub fn file_size(file: &JsValue) -> f64;
    #[wasm_bindgen(js_name = fileBytes, catch)]
    pub async fn file_bytes(file: &JsValue) -> Result<JsValue, JsValue>;
    /// The bytes decoded as windows-1252 (which decodes any byte).
    pub fn windows1252(bytes: &Uint8Array) -> String;
    /// Offers `text` as a download named `name`.
    pub fn download(name: &str, text: &str);
    pub fn load(key: &str) -> Option<String>;
    pub fn store(key: &str, value: &str) -> bool;
    pub fn forget(key: &str);
    /// The stored keys that start with `prefix`.
    pub fn keys(prefix: &str) -> js_sys::Array;
    /// Milliseconds since the epoch.
    pub fn now() -> f64;
}
