//! The contact-update widget: its browser half, compiled to wasm32 by trunk.
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
//! Every rule comes from [`crate::contract`], and everything about the form
//! that needs no browser (what was typed, where each problem shows, the
//! markup, the sentences) from [`crate::ui`]; this half reads and writes the
//! DOM and talks to the network, through [`transport::Transport`], which
//! tests stub.

pub(crate) mod dom;
pub mod element;
pub mod events;
mod form;
pub mod import;
mod js;
mod mount;
pub mod transport;

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

pub use form::browser_time_zone;
pub use import::{ImportConfig, ImportHandle, mount_import_with};
pub use mount::{MountError, WidgetHandle, mount_js, mount_with};
use transport::{FetchTransport, Transport};

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
    import::define();
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
        url.filter(|url| !url.trim().is_empty()).unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned())
    }
}

/// How to mount one form.
pub struct Config {
    pub endpoint: Endpoint,
    /// The network seam; [`FetchTransport`] unless a test says otherwise.
    pub transport: Rc<dyn Transport>,
    /// Milliseconds before an unanswered request is abandoned.
    pub timeout_ms: u32,
    /// Whether the form shows the audit trail's recent changes of the contact
    /// named (`GET /api/audit`, beside the endpoint).
    pub history: bool,
}

impl Config {
    /// The production setup: `fetch`, 15 s timeout, recent changes shown.
    pub fn new(endpoint: Endpoint) -> Config {
        Config {
            endpoint,
            transport: Rc::new(FetchTransport),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            history: true,
        }
    }
}

/// Resolves after `ms` milliseconds. Dropped early (the race in [`within`]
/// lost), it clears its timer: every request races one, and a run of 50,000
/// rows would otherwise leave one pending timer per answered row, each
/// calling into the wasm when it fires long after.
pub(crate) fn sleep(ms: u32) -> gloo_timers::future::TimeoutFuture {
    gloo_timers::future::TimeoutFuture::new(ms)
}

/// Waits for `future` at most `ms` milliseconds; `None` when time ran out.
pub(crate) async fn within<T>(future: impl std::future::Future<Output = T>, ms: u32) -> Option<T> {
    use std::task::Poll;
    let mut future = std::pin::pin!(future);
    let mut timer = std::pin::pin!(sleep(ms));
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(value) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(value));
        }
        timer.as_mut().poll(cx).map(|()| None)
    })
    .await
}
