//! Mounting a form in a host element's shadow root, and the handle that
//! unmounts it.

use std::any::Any;
use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

use super::css::CSS;
use super::{Config, DEFAULT_ENDPOINT, Endpoint, Ids, element, form, markup};

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
}

/// A mounted form. `unmount()` (or dropping it, or `free()` from JavaScript)
/// removes the form and stops everything it was doing.
#[wasm_bindgen]
pub struct WidgetHandle {
    mounted: Option<Mounted>,
}

struct Mounted {
    /// The form's rendering and listening; dropped first.
    wiring: Option<form::Wiring>,
    /// Leptos's handle; dropping it unmounts the view and disposes its signals.
    view: Box<dyn Any>,
    container: HtmlElement,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Removes the form from its element. Calling it again does nothing.
    pub fn unmount(&mut self) {
        if let Some(Mounted { wiring, view, container }) = self.mounted.take() {
            drop(wiring);
            drop(view);
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
    let endpoint = options
        .and_then(|options| Reflect::get(&options, &JsValue::from_str("endpoint")).ok())
        .and_then(|endpoint| endpoint.as_string())
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned());
    mount_with(&element, Config::new(Endpoint::Fixed(endpoint)))
        .map_err(|err| JsError::new(&err.to_string()))
}

/// Mounts a form in `host`'s shadow root (attached if it has none). A
/// pre-rendered form found there is taken over: what was typed in it goes
/// into the live form, as if typed there ([`super::prerender`]).
pub fn mount_with(host: &HtmlElement, config: Config) -> Result<WidgetHandle, MountError> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or(MountError::NoDocument)?;
    let root = match host.shadow_root() {
        Some(root) => root,
        None => host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .map_err(|_| MountError::NoShadowRoot(host.tag_name().to_ascii_lowercase()))?,
    };
    let container: HtmlElement =
        document.create_element("div").map_err(dom_error)?.unchecked_into();
    container.set_class_name(markup::CONTAINER_CLASS);
    // Last before the live form goes in: nothing that can fail comes between
    // taking what was typed and handing it over.
    let typed = element::take_prerendered(&root);
    adopt_styles(&document, &root);
    root.append_child(&container).map_err(dom_error)?;

    let setup = form::Setup {
        ids: Ids::next(),
        host: host.clone(),
        endpoint: config.endpoint,
        transport: config.transport,
        timeout_ms: config.timeout_ms,
    };
    let parts = Rc::new(Cell::new(None));
    let parts_out = Rc::clone(&parts);
    let view =
        leptos::mount::mount_to(container.clone(), move || form::contact_form(setup, &parts_out));
    // The form is in the DOM now: render into it and hear it.
    let wiring = parts.take().zip(container.first_element_child()).map(|(parts, form)| {
        let wiring = parts.wire(form.clone());
        // Heard by the listener now, and rendered.
        element::hand_over(&form, &typed);
        wiring
    });
    Ok(WidgetHandle { mounted: Some(Mounted { wiring, view: Box::new(view), container }) })
}

fn dom_error(err: JsValue) -> MountError {
    let message = err.dyn_ref::<js_sys::Error>().map(|err| String::from(err.message()));
    MountError::Dom(message.unwrap_or_else(|| "unknown DOM error".to_owned()))
}

thread_local! {
    /// One constructed stylesheet for every instance: parsed once, and not an
    /// inline `<style>`, so a strict `style-src` policy does not block it.
    static SHEET: Option<CssStyleSheet> = CssStyleSheet::new()
        .ok()
        .filter(|sheet| sheet.replace_sync(CSS).is_ok());
}

fn adopt_styles(document: &web_sys::Document, root: &ShadowRoot) {
    SHEET.with(|sheet| match sheet {
        Some(sheet) => {
            let sheets = Array::from(&root.adopted_style_sheets());
            if !sheets.includes(sheet, 0) {
                sheets.push(sheet);
                root.set_adopted_style_sheets(&sheets);
            }
        }
        // A browser without constructable stylesheets gets a <style> element.
        None => {
            if root.query_selector("style").ok().flatten().is_none()
                && let Ok(style) = document.create_element("style")
            {
                style.set_text_content(Some(CSS));
                let _ = root.append_child(&style);
            }
        }
    });
}
