//! The contact form: inputs, live validation, the request preview, submitting
//! and announcing the outcome.
//!
//! State is a handful of signals (one per input, the metadata rows, which
//! inputs were left, whether a submit was tried, the proxy's field errors).
//! Everything else is derived: the [`Draft`], the contract's verdict on it, the
//! preview, and which problems are on screen. A client-side problem shows once
//! its input was left (blur) or a submit was tried; a problem from the proxy
//! shows at once and goes away when its input is edited.
//!
//! The DOM is one `<form>` whose content [`markup`] writes once and [`render`]
//! keeps in step with the signals; [`super::listen`] hears its inputs and
//! buttons, [`super::send`] sends it.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use web_sys::{Element, HtmlElement};

use super::draft::{Checked, Draft, IdentifierKind, Problems, RowProblems, TEXT_FIELDS};
use super::listen::{Listener, listen};
use super::metadata::Row;
use super::send::Sender;
use super::transport::Transport;
use super::{Endpoint, Ids, markup, render, timezone_picker};
use crate::contract::FieldErrors;

/// Everything one form instance needs from its host.
pub(crate) struct Setup {
    pub ids: Ids,
    /// Where `contact-updated` and `contact-update-failed` are dispatched.
    pub host: HtmlElement,
    pub endpoint: Endpoint,
    pub transport: Rc<dyn Transport>,
    pub timeout_ms: u32,
}

/// The signals of the form, all `Copy`, so that every closure can take them.
#[derive(Clone, Copy)]
pub(super) struct State {
    pub kind: RwSignal<IdentifierKind>,
    pub identifier: RwSignal<String>,
    /// One per entry of [`TEXT_FIELDS`], in the same order.
    pub texts: [RwSignal<String>; 6],
    pub rows: RwSignal<Vec<Row>>,
    /// Keys of the inputs the operator has left: "identifier", a field name,
    /// or [`Row::touch_key`]. A `Vec`: a few keys at most, and a `BTreeSet`
    /// of strings would add its own code to the wasm.
    pub touched: RwSignal<Vec<String>>,
    pub submitted: RwSignal<bool>,
    /// The proxy's last 400 `fields`, minus those edited since.
    pub server_errors: RwSignal<FieldErrors>,
    pub in_flight: RwSignal<bool>,
    /// The browser's time zone, for its chip; empty until known.
    pub own_zone: RwSignal<String>,
    /// The id the next metadata row gets.
    pub next_row: StoredValue<u32>,
    /// What the live regions say: progress and success in `status`,
    /// failures in `alert`; at most one of them speaks at a time.
    pub status: RwSignal<String>,
    pub alert: RwSignal<String>,
    /// Whether a pointer is pressed in the form, and the inputs left meanwhile.
    pub pointer_down: StoredValue<bool>,
    left_while_pressed: StoredValue<Vec<String>>,
    pub checked: Memo<Checked>,
}

impl State {
    fn new() -> State {
        let kind = RwSignal::new(IdentifierKind::default());
        let identifier = RwSignal::new(String::new());
        let texts: [RwSignal<String>; 6] = std::array::from_fn(|_| RwSignal::new(String::new()));
        let rows = RwSignal::new(Vec::<Row>::new());
        let touched = RwSignal::new(Vec::new());
        let submitted = RwSignal::new(false);
        let server_errors = RwSignal::new(FieldErrors::new());
        // Always "changed": every input that feeds it changes the draft, and
        // comparing two `Checked` would cost more wasm than it saves work.
        let checked = Memo::new_with_compare(
            move |_| {
                Draft {
                    kind: kind.get(),
                    identifier: identifier.get(),
                    texts: texts.map(|text| text.get()),
                    rows: rows.with(|rows| rows.iter().map(Row::get).collect()),
                }
                .check()
            },
            |_, _| true,
        );
        State {
            kind,
            identifier,
            texts,
            rows,
            touched,
            submitted,
            server_errors,
            in_flight: RwSignal::new(false),
            own_zone: RwSignal::new(String::new()),
            next_row: StoredValue::new(0),
            status: RwSignal::new(String::new()),
            alert: RwSignal::new(String::new()),
            pointer_down: StoredValue::new(false),
            left_while_pressed: StoredValue::new(Vec::new()),
            checked,
        }
    }

    /// The problems on screen right now (tracked: the render effect calls it).
    pub fn shown(self) -> Problems {
        self.checked.with(|checked| {
            let client = checked.problems();
            let server =
                self.server_errors.with(|errors| Problems::place(errors, &checked.draft.rows));
            let row_keys: Vec<String> =
                self.rows.with(|rows| rows.iter().map(Row::touch_key).collect());
            self.touched
                .with(|touched| visible(client, server, self.submitted.get(), touched, &row_keys))
        })
    }

    /// Marks an input as left, so its client-side problem shows. While a
    /// pointer is pressed the problem waits for its release: an error text
    /// appearing under the input would move the button being clicked away
    /// from under the pointer, and the click would be lost.
    pub fn touch(self, key: &str) {
        if self.pointer_down.get_value() {
            self.left_while_pressed.update_value(|keys| keys.push(key.to_owned()));
        } else {
            self.touch_now(key.to_owned());
        }
    }

    fn touch_now(self, key: String) {
        if self.touched.try_with_untracked(|touched| !touched.contains(&key)) == Some(true) {
            self.touched.try_update(|touched| touched.push(key));
        }
    }

    /// The pointer is up: once its click has been dispatched (the next task),
    /// show the problems of the inputs left meanwhile.
    pub fn pointer_released(self) {
        if self.pointer_down.try_get_value() != Some(true) {
            return;
        }
        self.pointer_down.set_value(false);
        let keys = self.left_while_pressed.try_update_value(std::mem::take).unwrap_or_default();
        set_timeout(
            move || keys.into_iter().for_each(|key| self.touch_now(key)),
            std::time::Duration::ZERO,
        );
    }

    /// Says `status` (progress, success) or `alert` (a failure); the other
    /// region falls silent. The form may be gone meanwhile, hence `try_`.
    pub fn announce(self, status: &str, alert: &str) {
        self.status.try_set(status.to_owned());
        self.alert.try_set(alert.to_owned());
    }

    /// Forgets the proxy's problems with these fields: the operator edited them.
    pub fn edited(self, names: &[&str]) {
        let is_edited = |name: &String| names.contains(&name.as_str());
        if self.server_errors.with_untracked(|errors| errors.keys().any(is_edited)) {
            // A new map rather than `retain`: removing from a `BTreeMap` brings
            // its rebalancing code into the wasm, and this is its only use.
            self.server_errors.update(|errors| {
                *errors = errors
                    .iter()
                    .filter(|(name, _)| !is_edited(name))
                    .map(|(name, sentence)| (name.clone(), sentence.clone()))
                    .collect();
            });
        }
    }
}

/// Client problems show once their input was left or a submit was tried;
/// the proxy's show until edited. A client problem wins: it is the newer news.
fn visible(
    client: Problems,
    server: Problems,
    submitted: bool,
    touched: &[String],
    row_keys: &[String],
) -> Problems {
    let show = |key: &str| submitted || touched.iter().any(|touched| touched == key);
    let pick = |client: Option<String>, server: Option<String>, key: &str| {
        if show(key) { client.or(server) } else { server }
    };
    let mut client_texts = client.texts.into_iter();
    let mut server_texts = server.texts.into_iter();
    let texts = TEXT_FIELDS.map(|field| {
        pick(client_texts.next().flatten(), server_texts.next().flatten(), field.as_str())
    });
    let rows = client
        .rows
        .into_iter()
        .zip(server.rows)
        .zip(row_keys)
        .map(|((client, server), key)| RowProblems {
            key: pick(client.key, server.key, key),
            value: pick(client.value, server.value, key),
        })
        .collect();
    let mut unplaced = server.unplaced;
    if submitted {
        unplaced.extend(client.unplaced);
    }
    Problems {
        identifier: pick(client.identifier, server.identifier, "identifier"),
        texts,
        rows,
        metadata: if submitted || touched.iter().any(|key| row_keys.contains(key)) {
            client.metadata.or(server.metadata)
        } else {
            server.metadata
        },
        form: None,
        unplaced,
    }
}

/// The form, wired to `setup`'s transport and host.
///
/// One `<form>` element, whose content is written once from [`markup::form`].
/// Once it is in the DOM, [`Parts::wire`] keeps it up to date and hears its
/// inputs and buttons through the events that bubble up to it; the parts are
/// left in `parts` for that.
pub(crate) fn contact_form(setup: Setup, parts: &Cell<Option<Parts>>) -> impl IntoView + use<> {
    let Setup { ids, host, endpoint, transport, timeout_ms } = setup;
    let state = State::new();

    // Not `Send`: kept out of the reactive graph, used only by the submit handler.
    let sender = Rc::new(Sender { ids: ids.clone(), host, endpoint, transport, timeout_ms });
    // The browser's zone once the form is up (see known_browser_zone).
    set_timeout(
        move || {
            state.own_zone.try_set(timezone_picker::known_browser_zone());
        },
        std::time::Duration::ZERO,
    );

    let markup = markup::form(&ids, markup::Stage::Live);
    parts.set(Some(Parts { state, ids, sender }));
    leptos::html::form().class(markup::FORM_CLASS).attr("novalidate", "").inner_html(markup)
}

/// What a form needs to be wired once its element is in the DOM.
pub(crate) struct Parts {
    state: State,
    ids: Ids,
    sender: Rc<Sender>,
}

/// What keeps a mounted form working; dropped before the form's view, it
/// stops the rendering and the listening.
pub(crate) struct Wiring {
    _render: RenderEffect<render::Written>,
    _listener: Listener,
}

impl Parts {
    /// Renders the state into `form` at once and on every change, and hears
    /// its events, until the returned [`Wiring`] is dropped. Kept by the
    /// widget's handle, not the reactive owner: no `Send` wrapper is needed
    /// for what is not `Send`, and no such wrapper's code in the wasm.
    pub(crate) fn wire(self, form: Element) -> Wiring {
        let Parts { state, ids, sender } = self;
        Wiring {
            _render: render::start(form.clone(), state, ids.clone()),
            _listener: listen(form, state, ids, sender),
        }
    }
}
