//! The browser's own APIs the importer uses, through a few lines of
//! JavaScript: the file a pick or a drop names, its bytes, the
//! windows-1252 decoder, a download, `localStorage`. Each is DOM plumbing
//! with nothing to decide; in JavaScript they cost no wasm and need no
//! web-sys bindings (Blob, File, DataTransfer, Storage, TextDecoder...).
//! Storage that throws (private windows, quota, a sandboxed frame) reads as
//! absent and writes as `false`: the import goes on, unkept.

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
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
