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

// The docs above link to the browser half, which a native build lacks.
#![cfg_attr(not(target_arch = "wasm32"), allow(rustdoc::broken_intra_doc_links))]

// Plain Rust, compiled on every target: what was typed and what the contract
// says of it, and the form's markup and styles, which the native side also
// writes into host pages as the pre-rendered form (see `prerender`).
mod css;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod draft;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod markup;
pub mod prerender;

// The browser half.
#[cfg(target_arch = "wasm32")]
pub mod element;
#[cfg(target_arch = "wasm32")]
pub mod events;
#[cfg(target_arch = "wasm32")]
mod form;
#[cfg(target_arch = "wasm32")]
mod listen;
#[cfg(target_arch = "wasm32")]
mod metadata;
#[cfg(target_arch = "wasm32")]
mod mount;
#[cfg(target_arch = "wasm32")]
pub mod outcome;
#[cfg(target_arch = "wasm32")]
mod render;
#[cfg(target_arch = "wasm32")]
mod send;
#[cfg(target_arch = "wasm32")]
mod timezone_picker;
#[cfg(target_arch = "wasm32")]
pub mod transport;

use std::cell::Cell;
#[cfg(target_arch = "wasm32")]
use std::rc::Rc;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::*;
#[cfg(target_arch = "wasm32")]
use web_sys::HtmlElement;

pub use draft::IdentifierKind;
#[cfg(target_arch = "wasm32")]
pub use mount::{MountError, WidgetHandle, mount_js, mount_with};
#[cfg(target_arch = "wasm32")]
pub use timezone_picker::browser_time_zone;
#[cfg(target_arch = "wasm32")]
use transport::{FetchTransport, Transport};

/// A free-list allocator of some hundreds of bytes instead of std's dlmalloc
/// (about 2 KiB of compressed wasm): the form allocates little and briefly.
// SAFETY: the widget's wasm runs on one thread: it is built without the
// atomics target feature, so no second thread exists to allocate.
#[cfg(target_arch = "wasm32")]
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
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen(start)]
pub fn start() {
    element::define();
}

/// Where a form sends its updates.
#[cfg(target_arch = "wasm32")]
#[derive(Debug, Clone)]
pub enum Endpoint {
    /// A URL fixed at mount time (`mount(element, { endpoint })`).
    Fixed(String),
    /// The element's `endpoint` attribute, read at each submit so that a host
    /// may change it; [`DEFAULT_ENDPOINT`] when absent.
    Attribute(HtmlElement),
}

#[cfg(target_arch = "wasm32")]
impl Endpoint {
    /// The URL to send the next update to.
    pub fn resolve(&self) -> String {
        let url = match self {
            Endpoint::Fixed(url) => Some(url.clone()),
            Endpoint::Attribute(element) => element.get_attribute("endpoint"),
        };
        url.filter(|url| !url.trim().is_empty()).unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned())
    }
}

/// How to mount one form.
#[cfg(target_arch = "wasm32")]
pub struct Config {
    pub endpoint: Endpoint,
    /// The network seam; [`FetchTransport`] unless a test says otherwise.
    pub transport: Rc<dyn Transport>,
    /// Milliseconds before an unanswered request is abandoned.
    pub timeout_ms: u32,
}

#[cfg(target_arch = "wasm32")]
impl Config {
    /// The production setup: `fetch`, 15 s timeout.
    pub fn new(endpoint: Endpoint) -> Config {
        Config { endpoint, transport: Rc::new(FetchTransport), timeout_ms: DEFAULT_TIMEOUT_MS }
    }
}

/// Element ids of one form instance: unique on the page, so that several
/// forms (even without shadow roots) never share a `<label for>` target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ids {
    prefix: String,
}

thread_local! {
    static NEXT_INSTANCE: Cell<u32> = const { Cell::new(1) };
}

impl Ids {
    /// The ids of the next form mounted on this page.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    fn next() -> Ids {
        let n = NEXT_INSTANCE.with(|next| next.replace(next.get() + 1));
        Ids { prefix: format!("setter-cf{n}") }
    }

    /// The ids of a pre-rendered form: 0 is no live form's number, and a
    /// pre-rendered form sits in a shadow root of its own, so two of them on
    /// one page do not clash either.
    fn prerendered() -> Ids {
        Ids { prefix: "setter-cf0".to_owned() }
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
#[cfg(target_arch = "wasm32")]
pub(crate) async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let timeout = i32::try_from(ms).unwrap_or(i32::MAX);
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, timeout);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
