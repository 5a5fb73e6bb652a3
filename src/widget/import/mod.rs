//! The bulk importer, live: `<setter-contact-import endpoint="/api/contacts">`
//! and `mountImport(element, { endpoint })`.
//!
//! ```text
//! file ──▶ browser (bytes, text) ──▶ ui::import (table, mapping, checks) ──▶ render ──▶ DOM
//! Send ──▶ run: schedule ──▶ transport (a PUT a row) ──▶ answer ──▶ model, progress kept
//! ```
//!
//! Everything that decides lives in [`crate::ui::import`]: this half reads the
//! file, renders the model, sends what the schedule says when it says, and
//! keeps the progress in `localStorage`. It lives in its own shadow root,
//! styled by the form's sheet and its own, so the same custom properties
//! theme it. No pre-rendered template: its first screen is one file button,
//! which nobody uses in the moment the wasm takes to arrive.

mod importer;
mod listen;
mod render;
mod run;

use std::rc::Rc;

use js_sys::Object;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use self::importer::Importer;
use super::mount::{Frame, MountError, Sheets, adopt_styles, dom_error, endpoint_option};
use super::transport::{FetchTransport, Transport};
use super::{DEFAULT_TIMEOUT_MS, Endpoint};
use crate::ui::import::markup::{self, IMPORT_CLASS};
use crate::ui::vocabulary::CONTAINER_CLASS;

/// The tag name of the importer's custom element.
pub const IMPORT_ELEMENT_NAME: &str = "setter-contact-import";
/// Dispatched when a run ends (every row answered, or cancelled).
pub const FINISHED: &str = "contact-import-finished";

/// How to mount one importer.
pub struct ImportConfig {
    pub endpoint: Endpoint,
    pub transport: Rc<dyn Transport>,
    /// Milliseconds before one row's unanswered request is abandoned.
    pub timeout_ms: u32,
    /// The first back-off before a retry, in milliseconds (doubling after).
    pub backoff_ms: u32,
}

impl ImportConfig {
    /// The production setup: `fetch`, the form's 15 s timeout.
    pub fn new(endpoint: Endpoint) -> ImportConfig {
        ImportConfig {
            endpoint,
            transport: Rc::new(FetchTransport),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            backoff_ms: crate::ui::import::schedule::BACKOFF_MS,
        }
    }
}

/// A mounted importer. `unmount()` (or dropping it) removes it, sends
/// nothing more and aborts the requests in flight.
#[wasm_bindgen]
pub struct ImportHandle {
    mounted: Option<(Rc<Importer>, listen::Listener)>,
}

#[wasm_bindgen]
impl ImportHandle {
    /// Removes the importer from its element. Calling it again does nothing.
    pub fn unmount(&mut self) {
        if let Some((importer, listener)) = self.mounted.take() {
            drop(listener);
            importer.stop();
        }
    }
}

impl Drop for ImportHandle {
    fn drop(&mut self) {
        self.unmount();
    }
}

/// `mountImport(element, { endpoint })` for host pages.
#[wasm_bindgen(js_name = mountImport)]
pub fn mount_import_js(
    element: HtmlElement,
    options: Option<Object>,
) -> Result<ImportHandle, JsError> {
    mount_import_with(&element, ImportConfig::new(Endpoint::Fixed(endpoint_option(options))))
        .map_err(|err| JsError::new(&err.to_string()))
}

/// Mounts an importer in `host`'s shadow root (attached if it has none).
pub fn mount_import_with(
    host: &HtmlElement,
    config: ImportConfig,
) -> Result<ImportHandle, MountError> {
    let Frame { document, root, container } =
        Frame::new(host, &format!("{CONTAINER_CLASS} {IMPORT_CLASS}"))?;
    container.set_inner_html(&markup::importer());
    let importer = Importer::new(host.clone(), container.clone(), config)?;
    adopt_styles(&document, &root, Sheets::Importer);
    root.append_child(&container).map_err(dom_error)?;
    let listener = listen::listen(&importer);
    importer.render_now();
    Ok(ImportHandle { mounted: Some((importer, listener)) })
}

/// Defines `<setter-contact-import>` once; later calls do nothing.
pub fn define() {
    let connect = Closure::<dyn FnMut(HtmlElement) -> JsValue>::new(|host: HtmlElement| {
        match mount_import_with(&host, ImportConfig::new(Endpoint::Attribute(host.clone()))) {
            Ok(handle) => JsValue::from(handle),
            Err(err) => {
                let message = format!("{IMPORT_ELEMENT_NAME}: {err}");
                web_sys::console::error_1(&JsValue::from_str(&message));
                JsValue::NULL
            }
        }
    });
    if super::js::define_element(IMPORT_ELEMENT_NAME, connect.as_ref()) {
        connect.forget();
    }
}
