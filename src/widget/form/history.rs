//! Fetches the "Recent changes" of the contact in the identifier field from
//! the audit trail (`GET /api/audit?contact=KIND:VALUE`): after a short pause
//! in typing, and again after every update the form sends. What it shows is
//! `ui::history`'s; this only asks and reads.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_net::http::Method;
use js_sys::{Array, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortController;

use super::state::State;
use crate::contract::wire::ErrorCode;
use crate::contract::{Field, normalize_identifier};
use crate::ui::history::{self, Change, History};
use crate::widget::Endpoint;
use crate::widget::transport::{Request, Transport};

/// How long typing must pause before the trail is asked.
const PAUSE_MS: u64 = 600;

/// The panel's fetching, for one form.
pub(super) struct Historian {
    endpoint: Endpoint,
    transport: Rc<dyn Transport>,
    timeout_ms: u32,
    /// The contact asked about last, so that typing that does not change it
    /// asks nothing.
    contact: RefCell<Option<(Field, String)>>,
    /// Counts requests, so that an answer about an earlier contact is dropped.
    asked: Cell<u32>,
    pending: RefCell<Option<TimeoutHandle>>,
    in_flight: RefCell<Option<AbortController>>,
}

impl Historian {
    pub fn new(endpoint: Endpoint, transport: Rc<dyn Transport>, timeout_ms: u32) -> Rc<Historian> {
        Rc::new(Historian {
            endpoint,
            transport,
            timeout_ms,
            contact: RefCell::new(None),
            asked: Cell::new(0),
            pending: RefCell::new(None),
            in_flight: RefCell::new(None),
        })
    }

    /// Follows the identifier: an effect that asks, after a pause, whenever
    /// it names another contact (and hides the panel when it names none).
    pub fn follow(self: &Rc<Self>, state: State) -> RenderEffect<()> {
        let historian = Rc::clone(self);
        RenderEffect::new(move |_| {
            let named = named(state.kind.get().field(), &state.identifier.get());
            if *historian.contact.borrow() == named {
                return;
            }
            historian.contact.replace(named.clone());
            historian.cancel();
            match named {
                None => {
                    state.history.set(History::Idle);
                }
                Some(_) => {
                    let asker = Rc::clone(&historian);
                    let handle = set_timeout_with_handle(
                        move || asker.ask(state),
                        std::time::Duration::from_millis(PAUSE_MS),
                    );
                    historian.pending.replace(handle.ok());
                }
            }
        })
    }

    /// Asks again at once: an update was just sent.
    pub fn refresh(self: &Rc<Self>, state: State) {
        if self.contact.borrow().is_some() {
            self.cancel();
            self.ask(state);
        }
    }

    fn cancel(&self) {
        if let Some(handle) = self.pending.take() {
            handle.clear();
        }
        if let Some(controller) = self.in_flight.take() {
            controller.abort();
        }
    }

    fn ask(self: &Rc<Self>, state: State) {
        let Some((field, value)) = self.contact.borrow().clone() else { return };
        let asked = self.asked.get() + 1;
        self.asked.set(asked);
        let controller = AbortController::new().ok();
        let request = Request {
            method: Method::GET,
            endpoint: format!(
                "{}{}",
                history::audit_endpoint(&self.endpoint.resolve()),
                history::query(field, &value)
            ),
            body: String::new(),
            headers: Vec::new(),
            signal: controller.as_ref().map(AbortController::signal),
        };
        self.in_flight.replace(controller);
        state.history.try_set(History::Loading);
        let pending = self.transport.send(request);
        let historian = Rc::clone(self);
        leptos::task::spawn_local(async move {
            let answer = crate::widget::within(pending, historian.timeout_ms).await;
            if historian.asked.get() != asked {
                return; // the form has moved on to another contact
            }
            historian.in_flight.take();
            let shown = match answer {
                Some(Ok(response)) if response.status == 200 => read(&response.body),
                Some(Ok(response)) => match response.envelope() {
                    Some(body) if body.code == ErrorCode::AuditOff => History::Off,
                    _ => History::Unavailable(format!(
                        "The recent changes could not be loaded (the server answered {}).",
                        response.status
                    )),
                },
                Some(Err(_)) | None => History::Unavailable(
                    "The recent changes could not be loaded (no answer from the server)."
                        .to_owned(),
                ),
            };
            state.history.try_set(shown);
        });
    }
}

/// The contact the identifier names, normalized as the trail keeps it, if it
/// is a valid one.
fn named(field: Field, typed: &str) -> Option<(Field, String)> {
    if typed.trim().is_empty() {
        return None;
    }
    normalize_identifier(field, typed).ok().map(|value| (field, value))
}

/// The entries of a `GET /api/audit` answer, read with `JSON.parse`.
fn read(body: &str) -> History {
    let get = |object: &JsValue, key: &str| {
        Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::NULL)
    };
    let Ok(page) = js_sys::JSON::parse(body) else {
        return History::Unavailable("The recent changes could not be read.".to_owned());
    };
    let Ok(entries) = get(&page, "entries").dyn_into::<Array>() else {
        return History::Unavailable("The recent changes could not be read.".to_owned());
    };
    let text = |value: JsValue| value.as_string().unwrap_or_default();
    let changes = entries
        .iter()
        .map(|entry| {
            let at = text(get(&entry, "at"));
            let when = js_sys::Date::new(&JsValue::from_str(&at))
                .to_locale_string("default", &JsValue::UNDEFINED);
            let who = match get(&entry, "actor").as_string() {
                Some(actor) => actor,
                None => format!("unknown user ({})", text(get(&entry, "client"))),
            };
            let values = get(&entry, "values");
            let fields = Array::from(&get(&entry, "changedFields"))
                .iter()
                .filter_map(|name| name.as_string())
                .map(|name| {
                    let value = if values.is_object() {
                        shown_value(&get(&values, &name))
                    } else {
                        String::new()
                    };
                    (name, value)
                })
                .collect();
            Change {
                when: String::from(when),
                at,
                who,
                fields,
                outcome: text(get(&entry, "outcome")),
            }
        })
        .collect();
    History::Changes(changes)
}

/// A field's new value as the panel writes it: text as it is, metadata as
/// `key=value` pairs.
fn shown_value(value: &JsValue) -> String {
    if let Some(text) = value.as_string() {
        return text;
    }
    if value.is_object() {
        return js_sys::Object::entries(value.unchecked_ref())
            .iter()
            .map(|pair| {
                let pair = Array::from(&pair);
                format!(
                    "{}={}",
                    pair.get(0).as_string().unwrap_or_default(),
                    pair.get(1).as_string().unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
    }
    String::new()
}
