//! The contact-update widget: a Leptos form compiled to wasm32 by trunk.
//!
//! A host page embeds it in one of two ways:
//!
//! - `<setter-contact-form endpoint="/api/contacts"></setter-contact-form>`,
//!   any number per page, each an independent form ([`element`]);
//! - `mount(element, { endpoint })` from JavaScript, which returns a
//!   [`WidgetHandle`] whose `unmount()` removes the form again.
//!
//! Either way the form lives in an open shadow root of the host element, so
//! the host's styles do not reach into it and its styles do not leak out;
//! themes pass through CSS custom properties (`--setter-accent`,
//! `--setter-radius`, `--setter-font`), which do cross shadow boundaries. On
//! each outcome the host element dispatches [`events::UPDATED`] or
//! [`events::FAILED`].
//!
//! Every rule comes from [`crate::contract`]; the widget only decides where a
//! problem is shown ([`draft`]) and how an answer is worded ([`outcome`]). The
//! one network call sits behind [`transport::Transport`], which tests stub.

mod css;
mod draft;
pub mod element;
pub mod events;
mod form;
mod listen;
mod markup;
mod metadata;
pub mod outcome;
mod render;
mod send;
mod timezone_picker;
pub mod transport;

use std::any::Any;
use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CssStyleSheet, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

pub use draft::IdentifierKind;
pub use timezone_picker::browser_time_zone;
use transport::{FetchTransport, Transport};

/// The widget's styles, shared by every instance on the page.
use css::CSS;

/// A free-list allocator of some hundreds of bytes instead of std's dlmalloc
/// (about 2 KiB of compressed wasm): the form allocates little and briefly.
// SAFETY: the widget's wasm runs on one thread: it is built without the
// atomics target feature, so no second thread exists to allocate.
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

/// The tag name of the custom element.
pub const ELEMENT_NAME: &str = "setter-contact-form";
/// Where updates go when the host does not say.
pub const DEFAULT_ENDPOINT: &str = "/api/contacts";
/// How long a request may take before the form gives up on it.
pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;


/// Defines the custom element as soon as the module is loaded, so that
/// elements already in the page upgrade without any script of the host's.
#[wasm_bindgen(start)]
pub fn start() {
    element::define();
}

/// Where a form sends its updates.
#[derive(Debug, Clone)]
pub enum Endpoint {
    /// A URL fixed at mount time (`mount(element, { endpoint })`).
    Fixed(String),
    /// The element's `endpoint` attribute, read at each submit so that a host
    /// may change it; [`DEFAULT_ENDPOINT`] when absent.
    Attribute(HtmlElement),
}

impl Endpoint {
    /// The URL to send the next update to.
    pub fn resolve(&self) -> String {
        let url = match self {
            Endpoint::Fixed(url) => Some(url.clone()),
            Endpoint::Attribute(element) => element.get_attribute("endpoint"),
        };
        url.filter(|url| !url.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned())
    }
}

/// How to mount one form.
pub struct Config {
    pub endpoint: Endpoint,
    /// The network seam; [`FetchTransport`] unless a test says otherwise.
    pub transport: Rc<dyn Transport>,
    /// Milliseconds before an unanswered request is abandoned.
    pub timeout_ms: u32,
}

impl Config {
    /// The production setup: `fetch`, 15 s timeout.
    pub fn new(endpoint: Endpoint) -> Config {
        Config {
            endpoint,
            transport: Rc::new(FetchTransport),
            timeout_ms: DEFAULT_TIMEOUT_MS,
        }
    }
}

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
        if let Some(Mounted {
            wiring,
            view,
            container,
        }) = self.mounted.take()
        {
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

/// Mounts a form in `host`'s shadow root (attached if it has none).
pub fn mount_with(host: &HtmlElement, config: Config) -> Result<WidgetHandle, MountError> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(MountError::NoDocument)?;
    let root = match host.shadow_root() {
        Some(root) => root,
        None => host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .map_err(|_| MountError::NoShadowRoot(host.tag_name().to_ascii_lowercase()))?,
    };
    adopt_styles(&document, &root);
    let container: HtmlElement = document
        .create_element("div")
        .map_err(dom_error)?
        .unchecked_into();
    container.set_class_name("scf");
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
    let view = leptos::mount::mount_to(container.clone(), move || {
        form::contact_form(setup, &parts_out)
    });
    // The form is in the DOM now: render into it and hear it.
    let wiring = parts
        .take()
        .zip(container.first_element_child())
        .map(|(parts, form)| parts.wire(form));
    Ok(WidgetHandle {
        mounted: Some(Mounted {
            wiring,
            view: Box::new(view),
            container,
        }),
    })
}

fn dom_error(err: JsValue) -> MountError {
    let message = err
        .dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()));
    MountError::Dom(message.unwrap_or_else(|| "unknown DOM error".to_owned()))
}

thread_local! {
    /// One constructed stylesheet for every instance: parsed once, and not an
    /// inline `<style>`, so a strict `style-src` policy does not block it.
    static SHEET: Option<CssStyleSheet> = CssStyleSheet::new()
        .ok()
        .filter(|sheet| sheet.replace_sync(CSS).is_ok());
    static NEXT_INSTANCE: Cell<u32> = const { Cell::new(1) };
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

/// Element ids of one form instance: unique on the page, so that several
/// forms (even without shadow roots) never share a `<label for>` target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ids {
    prefix: String,
}

impl Ids {
    fn next() -> Ids {
        let n = NEXT_INSTANCE.with(|next| next.replace(next.get() + 1));
        Ids {
            prefix: format!("setter-cf{n}"),
        }
    }

    /// The id of a named part (`firstName`, `identifier`, `status`).
    pub fn of(&self, part: &str) -> String {
        format!("{}-{part}", self.prefix)
    }

    /// The id of a metadata row's key input.
    pub fn row_key(&self, row: u32) -> String {
        format!("{}-metadataKey{row}", self.prefix)
    }

    /// The id of a metadata row's value input.
    pub fn row_value(&self, row: u32) -> String {
        format!("{}-metadataValue{row}", self.prefix)
    }
}

/// Resolves after `ms` milliseconds (never, outside a window).
pub(crate) async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let timeout = i32::try_from(ms).unwrap_or(i32::MAX);
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, timeout);
        }
    });
    let _ = JsFuture::from(promise).await;
}
