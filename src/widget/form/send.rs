//! Sends the form: validates, puts the update through the transport with a
//! timeout, and shows and announces the outcome.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{AbortController, Element, HtmlElement};

use super::state::State;
use crate::contract::{FieldErrors, ValidUpdate};
use crate::ui::draft::{IdentifierKind, Problems, Spot};
use crate::ui::outcome::{self, Failure};
use crate::ui::vocabulary::Input;
use crate::widget::dom::focus_by_id;
use crate::widget::transport::{Request, Transport};
use crate::widget::{Endpoint, events, within};

/// The part of the form that talks to the network: not reactive, not `Send`.
pub(super) struct Sender {
    /// Where `contact-updated` and `contact-update-failed` are dispatched.
    pub host: HtmlElement,
    pub endpoint: Endpoint,
    pub transport: Rc<dyn Transport>,
    pub timeout_ms: u32,
    /// Asks the audit trail again after each update, when the form shows it.
    pub historian: Option<Rc<super::history::Historian>>,
}

impl Sender {
    /// Validates, then sends; a form with problems sends nothing and moves
    /// focus to the first problem.
    pub(super) fn submit(self: &Rc<Self>, state: State, form: &Element) {
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
                        focus_by_id(form, &Input::TEXTS[0].id());
                        form_problem
                    }
                    (spot, _) => {
                        if let Some(spot) = spot {
                            focus_by_id(form, &spot.id());
                        }
                        "Nothing was sent — fix the marked fields and submit again".to_owned()
                    }
                };
                state.announce("", &sentence);
                return;
            }
        };

        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(AbortController::signal);
        let request = Request::put(self.endpoint.resolve(), body, signal);
        state.in_flight.set(true);
        state.server_errors.set(FieldErrors::new());
        state.announce("Updating contact…", "");

        let pending = self.transport.send(request);
        let sender = Rc::clone(self);
        let form = form.clone();
        spawn_local(async move {
            let result = match within(pending, sender.timeout_ms).await {
                Some(Ok(response)) => outcome::interpret(response.status, response.envelope()),
                Some(Err(_)) => Err(Failure::Network),
                None => {
                    if let Some(controller) = &controller {
                        controller.abort();
                    }
                    Err(Failure::TimedOut { seconds: sender.timeout_ms.div_ceil(1000) })
                }
            };
            sender.finish(state, &form, kind, &valid, result);
        });
    }

    /// Shows and announces the outcome. The form may have been unmounted
    /// meanwhile, so every signal is written with `try_`.
    fn finish(
        &self,
        state: State,
        form: &Element,
        kind: IdentifierKind,
        valid: &ValidUpdate,
        result: Result<(), Failure>,
    ) {
        state.in_flight.try_set(false);
        if let Some(historian) = &self.historian {
            historian.refresh(state);
        }
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
                    if let Some(spot) = first.map(Spot::id) {
                        focus_by_id(form, &spot);
                    }
                }
                state.announce("", &sentence);
                events::failed(&self.host, failure.code(), &sentence);
            }
        }
    }
}
