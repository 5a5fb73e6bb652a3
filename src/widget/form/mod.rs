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
}

/// What keeps a mounted form working; dropped, it stops the rendering and the
/// listening. Made within the form's reactive owner, which owns its signals.
pub(crate) struct Wiring {
    _render: RenderEffect<render::Written>,
    _listener: Listener,
}

/// Wires `form`, which holds `ui::markup::form`'s HTML: finds its elements,
/// renders the state into it at once and on every change, and hears it.
pub(crate) fn wire(form: &Element, setup: Setup) -> Result<Wiring, MountError> {
    let elements = Elements::find(form)?;
    let Setup { host, endpoint, transport, timeout_ms } = setup;
    let state = State::new();
    let sender = Rc::new(Sender { host, endpoint, transport, timeout_ms });
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
    })
}
