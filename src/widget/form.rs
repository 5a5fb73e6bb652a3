//! The contact form: inputs, live validation, the request preview, submitting
//! and announcing the outcome.
//!
//! State is a handful of signals (one per input, the metadata rows, which
//! inputs were left, whether a submit was tried, the proxy's field errors).
//! Everything else is derived: the [`Draft`], the contract's verdict on it, the
//! preview, and which problems are on screen. A client-side problem shows once
//! its input was left (blur) or a submit was tried; a problem from the proxy
//! shows at once and goes away when its input is edited.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, HtmlElement};

use super::draft::{Checked, Draft, IdentifierKind, Problems, RowProblems, Spot, TEXT_FIELDS};
use super::events;
use super::input::{Edits, Hints, Input, labelled_input};
use super::metadata::{MetadataRows, Row};
use super::outcome::{self, Failure};
use super::timezone_picker::{TimeZoneExtras, offer_zones};
use super::transport::{Request, Transport};
use super::{Endpoint, Ids};
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
    kind: RwSignal<IdentifierKind>,
    identifier: RwSignal<String>,
    texts: [RwSignal<String>; 6],
    pub rows: RwSignal<Vec<Row>>,
    /// Keys of the inputs the operator has left: "identifier", a field name,
    /// or [`Row::touch_key`]. A `Vec`: a few keys at most, and a `BTreeSet`
    /// of strings would add its own code to the wasm.
    touched: RwSignal<Vec<String>>,
    submitted: RwSignal<bool>,
    /// The proxy's last 400 `fields`, minus those edited since.
    server_errors: RwSignal<FieldErrors>,
    in_flight: RwSignal<bool>,
    /// What the live regions say: progress and success in `status`,
    /// failures in `alert`; at most one of them speaks at a time.
    status: RwSignal<String>,
    alert: RwSignal<String>,
    /// Whether a pointer is pressed in the form, and the inputs left meanwhile.
    pointer_down: StoredValue<bool>,
    left_while_pressed: StoredValue<Vec<String>>,
    checked: Memo<Checked>,
    /// The problems on screen right now.
    pub shown: Memo<Problems>,
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
        let checked = Memo::new(move |_| {
            Draft {
                kind: kind.get(),
                identifier: identifier.get(),
                texts: texts.map(|text| text.get()),
                rows: rows.with(|rows| rows.iter().map(Row::get).collect()),
            }
            .check()
        });
        let shown = Memo::new(move |_| {
            checked.with(|checked| {
                let client = checked.problems();
                let server =
                    server_errors.with(|errors| Problems::place(errors, &checked.draft.rows));
                let row_keys: Vec<String> =
                    rows.with(|rows| rows.iter().map(Row::touch_key).collect());
                touched.with(|touched| visible(client, server, submitted.get(), touched, &row_keys))
            })
        });
        State {
            kind,
            identifier,
            texts,
            rows,
            touched,
            submitted,
            server_errors,
            in_flight: RwSignal::new(false),
            status: RwSignal::new(String::new()),
            alert: RwSignal::new(String::new()),
            pointer_down: StoredValue::new(false),
            left_while_pressed: StoredValue::new(Vec::new()),
            checked,
            shown,
        }
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
            self.server_errors
                .update(|errors| errors.retain(|name, _| !is_edited(name)));
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
pub(crate) fn contact_form(setup: Setup) -> impl IntoView {
    let Setup {
        ids,
        host,
        endpoint,
        transport,
        timeout_ms,
    } = setup;
    let state = State::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();

    // Not `Send`: kept out of the reactive graph, used only by the submit handler.
    let sender = Rc::new(Sender {
        ids: ids.clone(),
        host,
        endpoint,
        transport,
        timeout_ms,
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(form) = form_ref.get_untracked() {
            sender.submit(state, form.unchecked_into());
        }
    };

    let kind = state.kind;
    let busy = move || state.in_flight.get();
    // The release may happen outside the form (or the widget), so it is heard
    // on the window, for as long as the form is mounted.
    let release = window_event_listener(leptos::ev::pointerup, move |_| state.pointer_released());
    on_cleanup(move || release.remove());

    view! {
        <form class="scf-form" novalidate=true node_ref=form_ref on:submit=on_submit
            on:pointerdown=move |_| state.pointer_down.set_value(true)
            aria-busy=move || busy().then_some("true")>
            <fieldset class="scf-group">
                <legend>"Which contact"</legend>
                <div class="scf-row scf-row--identifier">
                    <div class="scf-field scf-field--kind">
                        <label for=ids.of("identifierKind")>"Find by"</label>
                        <select id=ids.of("identifierKind") name="identifierKind"
                            on:change=move |ev| {
                                if let Some(new) = IdentifierKind::from_name(&event_target_value(&ev)) {
                                    kind.set(new);
                                    state.edited(&["id", "waId", "smsPhoneNumber"]);
                                }
                            }
                            prop:value=move || kind.get().as_str()>
                            // `prop:value` above selects the option: no
                            // reactive `selected` per option.
                            {IdentifierKind::ALL.map(|option| view! {
                                <option value=option.as_str()>{option.label()}</option>
                            })}
                        </select>
                    </div>
                    <div class="scf-field scf-field--grow">
                        {labelled_input(state, Input {
                            id: ids.of("identifier"),
                            name: "identifier",
                            label: Signal::derive(move || kind.get().label()),
                            label_detail: None,
                            input_type: "text",
                            autocomplete: "off",
                            spellcheck: Some("false"),
                            list: None,
                            hints: Some(Hints {
                                inputmode: Signal::derive(move || match kind.get() {
                                    IdentifierKind::Id | IdentifierKind::WaId => "numeric",
                                    IdentifierKind::SmsPhoneNumber => "tel",
                                }),
                                placeholder: Signal::derive(move || kind.get().example()),
                            }),
                            required: true,
                            value: state.identifier,
                            error: Signal::derive(move || state.shown.with(|shown| shown.identifier.clone())),
                            touch_key: "identifier".to_owned(),
                            edits: Edits::Identifier,
                        })}
                    </div>
                </div>
            </fieldset>

            <fieldset class="scf-group">
                <legend>"What to change"</legend>
                <p class="scf-hint">"Leave a field empty to keep its current value."</p>
                <div class="scf-grid">
                    {TEXT_FIELDS.into_iter().enumerate().map(|(index, field)| {
                        text_field(state, ids.clone(), index, field)
                    }).collect_view()}
                </div>
                <MetadataRows state=state ids=ids.clone() />
            </fieldset>

            <Unplaced state=state />

            <div class="scf-actions">
                <button type="submit" class="scf-submit" disabled=busy>
                    <span class="scf-spinner" aria-hidden="true" hidden=move || !busy()></span>
                    "Update contact"
                </button>
                <p role="status" class="scf-status" id=ids.of("status")>{state.status}</p>
            </div>
            <p role="alert" class="scf-alert" id=ids.of("alert")>{state.alert}</p>

            <details class="scf-preview" open=true>
                <summary>"Request preview"</summary>
                <pre id=ids.of("preview") aria-label="Request preview"><code>
                    {move || state.checked.with(Checked::body)}
                </code></pre>
            </details>
        </form>
    }
}

/// One labelled input for a field of [`TEXT_FIELDS`].
fn text_field(state: State, ids: Ids, index: usize, field: Field) -> impl IntoView {
    let value = state.texts[index];
    let name = field.as_str();
    let error = Signal::derive(move || state.shown.with(|shown| shown.texts[index].clone()));
    let (input_type, autocomplete) = match field {
        Field::Email => ("email", "email"),
        Field::PhoneNumber => ("tel", "tel"),
        Field::FirstName => ("text", "given-name"),
        Field::LastName => ("text", "family-name"),
        Field::FullName => ("text", "name"),
        _ => ("text", "off"),
    };
    let zone = field == Field::DefaultTimeZone;
    let input = Input {
        id: ids.of(name),
        name,
        label: Signal::from(field.label()),
        label_detail: None,
        input_type,
        autocomplete,
        spellcheck: Some("false"),
        list: zone.then(|| ids.of("zones")),
        hints: None,
        required: false,
        value,
        error,
        touch_key: name.to_owned(),
        edits: Edits::Field(name),
    };
    view! {
        <div class="scf-field" class:scf-field--wide=zone
            on:focusin=move |ev| {
                if let (true, Some(field)) = (zone, ev.current_target()) {
                    offer_zones(field.unchecked_ref());
                }
            }>
            {labelled_input(state, input)}
            {zone.then(|| view! { <TimeZoneExtras ids=ids.clone() state=state value=value error=error /> })}
        </div>
    }
}

/// Problems the form has no input for (a field a newer proxy knows, a key
/// removed since): listed so that nothing the proxy said is lost.
#[component]
fn Unplaced(state: State) -> impl IntoView {
    // One text, a line per problem (the style keeps the line breaks): a
    // list of elements would bring its own diffing code into the wasm.
    move || {
        let lines = state.shown.with(|shown| shown.unplaced.join("\n"));
        (!lines.is_empty()).then(|| view! { <p class="scf-unplaced">{lines}</p> })
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
        let checked = state.checked.get_untracked();
        let kind = checked.draft.kind;
        let Some(valid) = checked.sendable().cloned() else {
            let problems = checked.problems();
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
        };

        let body = checked.body();
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
