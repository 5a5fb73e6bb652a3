//! Sends the form: validates, puts the update through the transport with a
//! timeout, and shows and announces the outcome.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, HtmlElement};

use super::draft::{IdentifierKind, Problems, Spot, TEXT_FIELDS};
use super::form::State;
use super::outcome::{self, Failure};
use super::transport::{Request, Transport};
use super::{Endpoint, Ids, events};
use crate::contract::FieldErrors;

/// The part of the form that talks to the network: not reactive, not `Send`.
pub(super) struct Sender {
    pub ids: Ids,
    /// Where `contact-updated` and `contact-update-failed` are dispatched.
    pub host: HtmlElement,
    pub endpoint: Endpoint,
    pub transport: Rc<dyn Transport>,
    pub timeout_ms: u32,
}

impl Sender {
    /// Validates, then sends; a form with problems sends nothing and moves
    /// focus to the first problem.
    pub(super) fn submit(self: &Rc<Self>, state: State, form: HtmlElement) {
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
                    Err(Failure::TimedOut { seconds: sender.timeout_ms.div_ceil(1000) })
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
                    let rows =
                        state.checked.try_with_untracked(|checked| checked.draft.rows.clone());
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
            state.rows.with_untracked(|rows| rows.get(index).map(|row| row.id)).unwrap_or_default()
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
