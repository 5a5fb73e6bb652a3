//! Mounting a form in a host element's shadow root, and the handle that
//! unmounts it.

use any_spawner::Executor;
use js_sys::{Array, Object, Reflect};
use leptos::prelude::Owner;
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, Document, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

use super::{Config, DEFAULT_ENDPOINT, Endpoint, form, js};
use crate::ui::css::{CSS, IMPORT_CSS};
use crate::ui::markup::{self, Stage};
use crate::ui::vocabulary::{CONTAINER_CLASS, FORM_CLASS};

/// Why a form could not be mounted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MountError {
    #[error("the widget needs a browser document")]
    NoDocument,
    /// `attachShadow` refused the element (only some elements may host one).
    #[error(
        "cannot attach a shadow root to <{0}>: mount the widget on a <div>, <section> or custom element"
    )]
    NoShadowRoot(String),
    #[error("the browser refused to build the form: {0}")]
    Dom(String),
    /// The markup lacks an element the widget reads: the two disagree.
    #[error("the form's markup has no element #{0}: the widget is broken, report it")]
    MissingElement(String),
}

/// A mounted form. `unmount()` (or dropping it, or `free()` from JavaScript)
/// removes the form and stops everything it was doing.
#[wasm_bindgen]
pub struct WidgetHandle {
    mounted: Option<Mounted>,
}

struct Mounted {
    /// The form's rendering and listening; dropped first.
    wiring: form::Wiring,
    /// Owns the form's signals; dropping it disposes them.
    owner: Owner,
    container: HtmlElement,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Removes the form from its element. Calling it again does nothing.
    pub fn unmount(&mut self) {
        if let Some(Mounted { wiring, owner, container }) = self.mounted.take() {
            drop(wiring);
            drop(owner);
            container.remove();
        }
    }
}

impl Drop for WidgetHandle {
    fn drop(&mut self) {
        self.unmount();
    }
}

/// `mount(element, { endpoint })` for host pages: mounts a form in `element`.
#[wasm_bindgen(js_name = mount)]
pub fn mount_js(element: HtmlElement, options: Option<Object>) -> Result<WidgetHandle, JsError> {
    mount_with(&element, Config::new(Endpoint::Fixed(endpoint_option(options))))
        .map_err(|err| JsError::new(&err.to_string()))
}

/// The `endpoint` of `mount`'s and `mountImport`'s options, or the default.
pub(super) fn endpoint_option(options: Option<Object>) -> String {
    // Read with Reflect, not serde-wasm-bindgen's deserializer: that would
    // bring serde's error messages (and float formatting) into the wasm, some
    // 7.8 KiB gzip for this one option.
    options
        .and_then(|options| Reflect::get(&options, &JsValue::from_str("endpoint")).ok())
        .and_then(|endpoint| endpoint.as_string())
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned())
}

/// Where an element mounts: `host`'s shadow root (attached if it has none)
/// and a fresh container of class `class`, not yet in the root.
pub(super) struct Frame {
    pub document: Document,
    pub root: ShadowRoot,
    pub container: HtmlElement,
}

impl Frame {
    pub fn new(host: &HtmlElement, class: &str) -> Result<Frame, MountError> {
        let document =
            web_sys::window().and_then(|w| w.document()).ok_or(MountError::NoDocument)?;
        let root = match host.shadow_root() {
            Some(root) => root,
            None => host
                .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
                .map_err(|_| MountError::NoShadowRoot(host.tag_name().to_ascii_lowercase()))?,
        };
        let container: HtmlElement =
            document.create_element("div").map_err(dom_error)?.unchecked_into();
        container.set_class_name(class);
        Ok(Frame { document, root, container })
    }
}

/// Mounts a form in `host`'s shadow root (attached if it has none). A
/// pre-rendered form found there is taken over: what was typed in it goes
/// into the live form, as if typed there (`ui::prerender`).
pub fn mount_with(host: &HtmlElement, config: Config) -> Result<WidgetHandle, MountError> {
    let Frame { document, root, container } = Frame::new(host, CONTAINER_CLASS)?;
    let form = document.create_element("form").map_err(dom_error)?;
    form.set_class_name(FORM_CLASS);
    form.set_attribute("novalidate", "").map_err(dom_error)?;
    form.set_inner_html(&markup::form(Stage::Live));
    container.append_child(&form).map_err(dom_error)?;

    // Effects and tasks run on wasm-bindgen's executor (a second call is a no-op).
    let _ = Executor::init_wasm_bindgen();
    let owner = Owner::new();
    let setup = form::Setup {
        host: host.clone(),
        endpoint: config.endpoint,
        transport: config.transport,
        timeout_ms: config.timeout_ms,
        history: config.history,
    };
    let wiring = owner.with(|| form::wire(&form, setup))?;

    // Last before the live form goes in: nothing that can fail comes between
    // taking what was typed and handing it over.
    let typed = js::take_prerendered(&root);
    adopt_styles(&document, &root, Sheets::Form);
    root.append_child(&container).map_err(dom_error)?;
    // Heard by the listener now, and rendered.
    js::hand_over(&form, &typed);
    Ok(WidgetHandle { mounted: Some(Mounted { wiring, owner, container }) })
}

pub(super) fn dom_error(err: JsValue) -> MountError {
    let message = err.dyn_ref::<js_sys::Error>().map(|err| String::from(err.message()));
    MountError::Dom(message.unwrap_or_else(|| "unknown DOM error".to_owned()))
}

/// Which styles a shadow root adopts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sheets {
    /// The form's.
    Form,
    /// The form's (whose buttons, inputs and colours the importer shares),
    /// then the importer's own.
    Importer,
}

thread_local! {
    /// One constructed stylesheet per source for every instance: parsed once,
    /// when the first element that needs it mounts (a page with only the form
    /// never parses the importer's), and not an inline `<style>`, so a strict
    /// `style-src` policy does not block it.
    static FORM_SHEET: Option<CssStyleSheet> = constructed(CSS);
    static IMPORT_SHEET: Option<CssStyleSheet> = constructed(IMPORT_CSS);
}

fn constructed(css: &str) -> Option<CssStyleSheet> {
    CssStyleSheet::new().ok().filter(|sheet| sheet.replace_sync(css).is_ok())
}

pub(super) fn adopt_styles(document: &Document, root: &ShadowRoot, which: Sheets) {
    type Sheet = &'static std::thread::LocalKey<Option<CssStyleSheet>>;
    let sources: &[(Sheet, &str)] = match which {
        Sheets::Form => &[(&FORM_SHEET, CSS)],
        Sheets::Importer => &[(&FORM_SHEET, CSS), (&IMPORT_SHEET, IMPORT_CSS)],
    };
    for &(sheet, css) in sources {
        sheet.with(|sheet| match sheet {
            Some(sheet) => {
                let adopted = Array::from(&root.adopted_style_sheets());
                if !adopted.includes(sheet, 0) {
                    adopted.push(sheet);
                    root.set_adopted_style_sheets(&adopted);
                }
            }
            // A browser without constructable stylesheets gets <style> elements.
            None => {
                if let Ok(style) = document.create_element("style") {
                    style.set_text_content(Some(css));
                    let _ = root.append_child(&style);
                }
            }
        });
    }
}
