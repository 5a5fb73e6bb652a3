//! The contact form, live: state, rendering, listening and sending.
//!
//! ```text
//! event ──▶ listen ──▶ State's handlers ──▶ signals ──▶ render ──▶ DOM
//!                 └──▶ send ──▶ transport ──▶ outcome ──▶ signals, events
//! ```
//!
//! The form's HTML is written once from `ui::markup`; [`Elements`] finds what
//! rendering writes to, once; one render effect keeps it in step with
//! [`State`], and one listener hears everything the operator does.

mod elements;
mod history;
mod listen;
mod render;
mod rows;
mod send;
mod state;
mod zones;

use std::rc::Rc;

use leptos::prelude::*;
use web_sys::{Element, HtmlElement};

pub use zones::browser_time_zone;

use self::elements::Elements;
use self::listen::{Listener, listen};
use self::send::Sender;
use self::state::State;
use super::Endpoint;
use super::mount::MountError;
use super::transport::Transport;

/// Everything one form needs from its host.
pub(crate) struct Setup {
    /// Where `contact-updated` and `contact-update-failed` are dispatched.
    pub host: HtmlElement,
    pub endpoint: Endpoint,
    pub transport: Rc<dyn Transport>,
    pub timeout_ms: u32,
    /// Whether the form shows the audit trail's recent changes.
    pub history: bool,
}

/// What keeps a mounted form working; dropped, it stops the rendering and the
/// listening. Made within the form's reactive owner, which owns its signals.
pub(crate) struct Wiring {
    _render: RenderEffect<render::Written>,
    _listener: Listener,
    _history: Option<RenderEffect<()>>,
}

/// Wires `form`, which holds `ui::markup::form`'s HTML: finds its elements,
/// renders the state into it at once and on every change, and hears it.
pub(crate) fn wire(form: &Element, setup: Setup) -> Result<Wiring, MountError> {
    let elements = Elements::find(form)?;
    let Setup { host, endpoint, transport, timeout_ms, history } = setup;
    let state = State::new();
    let historian = history
        .then(|| history::Historian::new(endpoint.clone(), Rc::clone(&transport), timeout_ms));
    let following = historian.as_ref().map(|historian| historian.follow(state));
    let sender = Rc::new(Sender { host, endpoint, transport, timeout_ms, historian });
    // The browser's zone once the form is up (see known_browser_zone).
    set_timeout(
        move || {
            state.own_zone.try_set(zones::known_browser_zone());
        },
        std::time::Duration::ZERO,
    );
    Ok(Wiring {
        _render: render::start(elements, state),
        _listener: listen(form.clone(), state, sender),
        _history: following,
    })
}
