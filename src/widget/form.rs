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
//! keeps in step with the signals; the handlers below hear its inputs and
//! buttons through the events that bubble up to the form.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{AbortController, Element, HtmlElement, HtmlInputElement};

use super::draft::{Checked, Draft, IdentifierKind, Problems, RowProblems, Spot, TEXT_FIELDS};
use super::events;
use super::metadata::Row;
use super::outcome::{self, Failure};
use super::transport::{Request, Transport};
use super::{Endpoint, Ids, markup, render, timezone_picker};
use crate::contract::{Field, FieldErrors};

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
    touched: RwSignal<Vec<String>>,
    submitted: RwSignal<bool>,
    /// The proxy's last 400 `fields`, minus those edited since.
    server_errors: RwSignal<FieldErrors>,
    pub in_flight: RwSignal<bool>,
    /// The browser's time zone, for its chip; empty until known.
    pub own_zone: RwSignal<String>,
    /// The id the next metadata row gets.
    next_row: StoredValue<u32>,
    /// What the live regions say: progress and success in `status`,
    /// failures in `alert`; at most one of them speaks at a time.
    pub status: RwSignal<String>,
    pub alert: RwSignal<String>,
    /// Whether a pointer is pressed in the form, and the inputs left meanwhile.
    pointer_down: StoredValue<bool>,
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
            let server = self
                .server_errors
                .with(|errors| Problems::place(errors, &checked.draft.rows));
            let row_keys: Vec<String> = self
                .rows
                .with(|rows| rows.iter().map(Row::touch_key).collect());
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
            self.left_while_pressed
                .update_value(|keys| keys.push(key.to_owned()));
        } else {
            self.touch_now(key.to_owned());
        }
    }

    fn touch_now(self, key: String) {
        if self
            .touched
            .try_with_untracked(|touched| !touched.contains(&key))
            == Some(true)
        {
            self.touched.try_update(|touched| touched.push(key));
        }
    }

    /// The pointer is up: once its click has been dispatched (the next task),
    /// show the problems of the inputs left meanwhile.
    fn pointer_released(self) {
        if self.pointer_down.try_get_value() != Some(true) {
            return;
        }
        self.pointer_down.set_value(false);
        let keys = self
            .left_while_pressed
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        set_timeout(
            move || keys.into_iter().for_each(|key| self.touch_now(key)),
            std::time::Duration::ZERO,
        );
    }

    /// Says `status` (progress, success) or `alert` (a failure); the other
    /// region falls silent. The form may be gone meanwhile, hence `try_`.
    fn announce(self, status: &str, alert: &str) {
        self.status.try_set(status.to_owned());
        self.alert.try_set(alert.to_owned());
    }

    /// Forgets the proxy's problems with these fields: the operator edited them.
    pub fn edited(self, names: &[&str]) {
        let is_edited = |name: &String| names.contains(&name.as_str());
        if self
            .server_errors
            .with_untracked(|errors| errors.keys().any(is_edited))
        {
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
        pick(
            client_texts.next().flatten(),
            server_texts.next().flatten(),
            field.as_str(),
        )
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
    let Setup {
        ids,
        host,
        endpoint,
        transport,
        timeout_ms,
    } = setup;
    let state = State::new();

    // Not `Send`: kept out of the reactive graph, used only by the submit handler.
    let sender = Rc::new(Sender {
        ids: ids.clone(),
        host,
        endpoint,
        transport,
        timeout_ms,
    });
    // The browser's zone once the form is up (see known_browser_zone).
    set_timeout(
        move || {
            state
                .own_zone
                .try_set(timezone_picker::known_browser_zone());
        },
        std::time::Duration::ZERO,
    );

    let markup = markup::form(&ids);
    parts.set(Some(Parts { state, ids, sender }));
    leptos::html::form()
        .class("scf-form")
        .attr("novalidate", "")
        .inner_html(markup)
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

/// The events the form hears, all from its own inputs and buttons.
/// `focusout` is for people (blur does not bubble), `blur` for a script that
/// dispatches a bubbling one; touching an input twice is harmless. Besides,
/// the window's `pointerup`: a press that began in the form may end anywhere.
const EVENTS: [&str; 8] = [
    "input",
    "change",
    "focusin",
    "focusout",
    "blur",
    "click",
    "pointerdown",
    "submit",
];

/// Hears [`EVENTS`] on `form` and `pointerup` on the window with one
/// listener, until it is dropped. One listener, not one per event: each of
/// those would be code of its own in the wasm.
fn listen(form: Element, state: State, ids: Ids, sender: Rc<Sender>) -> Listener {
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        match ev.type_().as_str() {
            "input" => state.typed(&ev),
            "change" => state.chose_kind(&ev),
            "focusin" => {
                if let Some(input) = target_input(&ev)
                    && input.name() == Field::DefaultTimeZone.as_str()
                    && let Some(field) = input.parent_element()
                {
                    timezone_picker::offer_zones(&field);
                }
            }
            "focusout" | "blur" => state.left(&ev),
            "click" => state.clicked(&ev, &ids),
            "pointerdown" => state.pointer_down.set_value(true),
            "pointerup" => state.pointer_released(),
            "submit" => {
                ev.prevent_default();
                if let Some(form) = ev.current_target() {
                    sender.submit(state, form.unchecked_into());
                }
            }
            _ => {}
        }
    });
    let listener = Listener { form, listener };
    listener.each_target(|target, name, function| {
        let _ = target.add_event_listener_with_callback(name, function);
    });
    listener
}

/// The form's listener and the form it listens on.
struct Listener {
    form: Element,
    listener: Closure<dyn Fn(web_sys::Event)>,
}

impl Listener {
    /// Calls `f` with each (target, event name) the listener is for.
    fn each_target(&self, f: impl Fn(&web_sys::EventTarget, &str, &js_sys::Function)) {
        let function = self.listener.as_ref().unchecked_ref();
        for name in EVENTS {
            f(&self.form, name, function);
        }
        if let Some(window) = web_sys::window() {
            f(&window, "pointerup", function);
        }
    }
}

impl Drop for Listener {
    /// Leaves the form and the window before the closure is freed: an event
    /// after that (a blur as the form is removed) would call freed code.
    fn drop(&mut self) {
        self.each_target(|target, name, function| {
            let _ = target.remove_event_listener_with_callback(name, function);
        });
    }
}

/// The input an event happened on, if it was an input.
fn target_input(ev: &web_sys::Event) -> Option<HtmlInputElement> {
    ev.target()?.dyn_into::<HtmlInputElement>().ok()
}

/// The handlers of the form's events, by what they change.
impl State {
    /// An input's `input` event: its signal takes the value, and the proxy's
    /// problems with what it edits go stale.
    fn typed(self, ev: &web_sys::Event) {
        let Some(input) = target_input(ev) else {
            return;
        };
        let (name, value) = (input.name(), input.value());
        if name == "identifier" {
            self.edited(&IDENTIFIER_NAMES);
            self.identifier.set(value);
        } else if let Some(row) = self.row_of(&input) {
            // Before the write: the edit names the key the row had.
            let [key, group] = row.edited_names();
            self.edited(&[&key, &group]);
            let signal = if name == "metadataKey" {
                row.key
            } else {
                row.value
            };
            signal.set(value);
        } else if let Some(index) = TEXT_FIELDS.iter().position(|field| field.as_str() == name) {
            self.edited(&[&name]);
            self.texts[index].set(value);
        }
    }

    /// The identifier kind's `change` event.
    fn chose_kind(self, ev: &web_sys::Event) {
        let kind = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .and_then(|select| IdentifierKind::from_name(&select.value()));
        if let Some(kind) = kind {
            self.kind.set(kind);
            self.edited(&IDENTIFIER_NAMES);
        }
    }

    /// An input was left: its client-side problem may show.
    fn left(self, ev: &web_sys::Event) {
        let Some(input) = target_input(ev) else {
            return;
        };
        match self.row_of(&input) {
            Some(row) => self.touch(&row.touch_key()),
            None => self.touch(&input.name()),
        }
    }

    /// A click on one of the form's own buttons (`data-action`).
    fn clicked(self, ev: &web_sys::Event, ids: &Ids) {
        let Some(button) = ev
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok())
            .and_then(|target| target.closest("[data-action]").ok().flatten())
        else {
            return;
        };
        let form = button.closest("form").ok().flatten();
        match button.get_attribute("data-action").as_deref() {
            Some("add-row") => {
                let id = self.next_row.get_value();
                self.next_row.set_value(id + 1);
                self.rows.update(|rows| rows.push(Row::new(id)));
                // The new inputs exist after the next render, which runs as a
                // microtask: a timer comes after it. (Not an animation frame:
                // a page that draws no frames would move focus much later, onto
                // whatever the operator did next.)
                let key_id = ids.row_key(id);
                set_timeout(
                    move || focus_in(form.as_ref(), &key_id),
                    std::time::Duration::ZERO,
                );
            }
            Some("remove-row") => {
                let id = button
                    .get_attribute("data-row")
                    .and_then(|id| id.parse::<u32>().ok());
                let row = self
                    .rows
                    .with_untracked(|rows| rows.iter().find(|row| Some(row.id) == id).copied());
                if let Some(row) = row {
                    let [key, group] = row.edited_names();
                    self.edited(&[&key, &group]);
                    self.rows
                        .update(|rows| rows.retain(|other| other.id != row.id));
                }
                // Focus would fall to the page; keep it in the group.
                focus_in(form.as_ref(), &ids.of("addRow"));
            }
            Some("pick") => {
                // A pick is an edit like typing: it clears the proxy's error on the field.
                if let Some(zone) = button.get_attribute("data-zone") {
                    let index = TEXT_FIELDS.len() - 1;
                    self.texts[index].set(zone);
                    self.edited(&[TEXT_FIELDS[index].as_str()]);
                }
            }
            _ => {}
        }
    }

    /// The metadata row an input belongs to (its `data-row`).
    fn row_of(self, input: &HtmlInputElement) -> Option<Row> {
        let id = input.get_attribute("data-row")?.parse::<u32>().ok()?;
        self.rows
            .with_untracked(|rows| rows.iter().find(|row| row.id == id).copied())
    }
}

/// The names under which the proxy reports a problem with the identifier.
const IDENTIFIER_NAMES: [&str; 3] = ["id", "waId", "smsPhoneNumber"];

/// Focuses the element with `id` inside `form` (ids are unique per widget,
/// and the form may live in a shadow root the document cannot search).
fn focus_in(form: Option<&Element>, id: &str) {
    let found = form.and_then(|form| form.query_selector(&format!("#{id}")).ok().flatten());
    if let Some(element) = found.and_then(|el| el.dyn_into::<HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// The part of the form that talks to the network: not reactive, not `Send`.
struct Sender {
    ids: Ids,
    host: HtmlElement,
    endpoint: Endpoint,
    transport: Rc<dyn Transport>,
    timeout_ms: u32,
}

impl Sender {
    /// Validates, then sends; a form with problems sends nothing and moves
    /// focus to the first problem.
    fn submit(self: &Rc<Self>, state: State, form: HtmlElement) {
        if state.in_flight.get_untracked() {
            return; // One update at a time: Enter pressed twice sends once.
        }
        state.submitted.set(true);
        // Read in place: cloning a whole `Checked` would cost wasm for nothing.
        let (kind, verdict) = state.checked.with_untracked(|checked| {
            let verdict = match checked.sendable() {
                Some(valid) => Ok((valid.clone(), checked.body())),
                None => Err(checked.problems()),
            };
            (checked.draft.kind, verdict)
        });
        let (valid, body) = match verdict {
            Ok(sendable) => sendable,
            Err(problems) => {
                let sentence = match (problems.first_spot(), problems.form) {
                    (None, Some(form_problem)) => {
                        // Nothing to update: the first field to fill in is the first text input.
                        self.focus(&form, &self.ids.of(TEXT_FIELDS[0].as_str()));
                        form_problem
                    }
                    (spot, _) => {
                        if let Some(spot) = spot {
                            self.focus(&form, &self.spot_id(state, spot));
                        }
                        "Nothing was sent — fix the marked fields and submit again".to_owned()
                    }
                };
                state.announce("", &sentence);
                return;
            }
        };

        let controller = AbortController::new().ok();
        let request = Request {
            endpoint: self.endpoint.resolve(),
            body,
            signal: controller.as_ref().map(AbortController::signal),
        };
        state.in_flight.set(true);
        state.server_errors.set(FieldErrors::new());
        state.announce("Updating contact…", "");

        let pending = self.transport.send(request);
        let sender = Rc::clone(self);
        spawn_local(async move {
            let result = match within(pending, sender.timeout_ms).await {
                Some(Ok(response)) => outcome::interpret(&response),
                Some(Err(_)) => Err(Failure::Network),
                None => {
                    if let Some(controller) = &controller {
                        controller.abort();
                    }
                    Err(Failure::TimedOut {
                        seconds: sender.timeout_ms.div_ceil(1000),
                    })
                }
            };
            sender.finish(state, form, kind, &valid, result);
        });
    }

    /// Shows and announces the outcome. The form may have been unmounted
    /// meanwhile, so every signal is written with `try_`.
    fn finish(
        &self,
        state: State,
        form: HtmlElement,
        kind: IdentifierKind,
        valid: &crate::contract::ValidUpdate,
        result: Result<(), Failure>,
    ) {
        state.in_flight.try_set(false);
        match result {
            Ok(()) => {
                state.announce(outcome::success(), "");
                state.submitted.try_set(false);
                state.touched.try_set(Vec::new());
                events::updated(&self.host, valid);
            }
            Err(failure) => {
                let sentence = failure.sentence(kind);
                if let Some(fields) = failure.fields() {
                    let rows = state
                        .checked
                        .try_with_untracked(|checked| checked.draft.rows.clone());
                    let first = Problems::place(fields, &rows.unwrap_or_default()).first_spot();
                    state.server_errors.try_set(fields.clone());
                    if let Some(spot) = first {
                        self.focus(&form, &self.spot_id(state, spot));
                    }
                }
                state.announce("", &sentence);
                events::failed(&self.host, failure.code(), &sentence);
            }
        }
    }

    /// The id of the element a problem spot is shown on.
    fn spot_id(&self, state: State, spot: Spot) -> String {
        let row_id = |index: usize| {
            state
                .rows
                .with_untracked(|rows| rows.get(index).map(|row| row.id))
                .unwrap_or_default()
        };
        match spot {
            Spot::Identifier => self.ids.of("identifier"),
            Spot::Text(index) => self.ids.of(TEXT_FIELDS[index].as_str()),
            Spot::RowKey(index) => self.ids.row_key(row_id(index)),
            Spot::RowValue(index) => self.ids.row_value(row_id(index)),
            Spot::Metadata => self.ids.of("addRow"),
        }
    }

    fn focus(&self, form: &HtmlElement, id: &str) {
        if let Ok(Some(element)) = form.query_selector(&format!("#{id}")) {
            let _ = element.unchecked_into::<HtmlElement>().focus();
        }
    }
}

/// Waits for `future` at most `ms` milliseconds; `None` when time ran out.
async fn within<T>(future: impl std::future::Future<Output = T>, ms: u32) -> Option<T> {
    use std::task::Poll;
    let mut future = std::pin::pin!(future);
    let mut timer = std::pin::pin!(super::sleep(ms));
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(value) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(value));
        }
        timer.as_mut().poll(cx).map(|()| None)
    })
    .await
}
