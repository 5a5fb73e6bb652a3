//! Applies the form's state to its DOM: one render effect for the whole form.
//!
//! The markup (`ui::markup`) is written once; this keeps it in step with the
//! signals: the inputs' values, each problem on its input (`aria-invalid`,
//! `aria-describedby` and the error text), the identifier's label and hints,
//! the metadata rows, the time zone chips, the live regions, the busy state
//! and the request preview. One effect instead of a closure per attribute:
//! every such closure is code of its own in the wasm, and the whole render of a
//! form is a few dozen DOM writes, cheap enough to redo on each change.

use leptos::prelude::*;

use super::elements::{Elements, InputElements, RowElements};
use super::state::State;
use super::zones;
use crate::contract::Field;
use crate::ui::draft::{Checked, IdentifierKind};
use crate::ui::history::{self, History};
use crate::ui::markup;
use crate::widget::dom::{set_text, set_value, show_text, toggle};

/// What the last render wrote that is costly or disruptive to write again.
#[derive(Default)]
pub(super) struct Written {
    /// The metadata rows in the DOM, in order, with their inputs.
    rows: Vec<RowElements>,
    /// The time zone chips' markup (rewriting it would drop a chip's focus).
    chips: String,
    /// The recent changes' items (rewritten only when they change).
    history: String,
}

/// Renders `state` into the form of `elements` now, and again on every
/// change, for as long as the returned effect is kept.
pub(super) fn start(elements: Elements, state: State) -> RenderEffect<Written> {
    RenderEffect::new(move |written: Option<Written>| {
        render(&elements, state, written.unwrap_or_default())
    })
}

fn render(el: &Elements, state: State, mut written: Written) -> Written {
    // The rows first: problems land on their inputs.
    let rows = state.rows.get();
    if !rows.iter().map(|row| row.id).eq(written.rows.iter().map(|row| row.id)) {
        let ids: Vec<u32> = rows.iter().map(|row| row.id).collect();
        el.rows.set_inner_html(&markup::rows(&ids));
        written.rows = ids.into_iter().filter_map(|id| RowElements::find(&el.form, id)).collect();
    }

    // Values: typing already put them there; a pick, or rows written anew, did not.
    set_value(&el.identifier.input, &state.identifier.get());
    for (text, signal) in el.texts.iter().zip(state.texts) {
        set_value(&text.input, &signal.get());
    }
    for (row, elements) in rows.iter().zip(&written.rows) {
        set_value(&elements.key.input, &row.key.get());
        set_value(&elements.value.input, &row.value.get());
    }

    identifier_hints(el, state.kind.get());

    let shown = state.shown();
    show_problem(&el.identifier, shown.identifier.as_deref());
    for (text, problem) in el.texts.iter().zip(&shown.texts) {
        show_problem(text, problem.as_deref());
    }
    for (elements, problems) in written.rows.iter().zip(&shown.rows) {
        show_problem(&elements.key, problems.key.as_deref());
        show_problem(&elements.value, problems.value.as_deref());
    }
    // A problem with the metadata as a whole describes the group.
    let group_error = el.metadata_error.id();
    toggle(&el.metadata, "aria-describedby", shown.metadata.as_ref().map(|_| group_error.as_str()));
    show_text(&el.metadata_error, shown.metadata.as_deref().unwrap_or(""));
    show_text(&el.unplaced, &shown.unplaced.join("\n"));

    // The chips beside the time zone input.
    let zone = Field::DefaultTimeZone;
    let typed = state.text(zone).map(|text| text.get()).unwrap_or_default();
    let offers = zones::offers(&typed, shown.text(zone).is_some(), &state.own_zone.get());
    let chips = markup::chips(&offers);
    if chips != written.chips {
        el.zone_chips.set_inner_html(&chips);
        written.chips = chips;
    }

    // The live regions, the busy state and the preview.
    set_text(&el.status, &state.status.get());
    set_text(&el.alert, &state.alert.get());
    let busy = state.in_flight.get();
    toggle(&el.form, "aria-busy", busy.then_some("true"));
    toggle(&el.submit, "disabled", busy.then_some(""));
    toggle(&el.spinner, "hidden", (!busy).then_some(""));
    set_text(&el.request, &state.checked.with(Checked::body));

    // The recent changes of the contact named, hidden while none is.
    state.history.with(|shown| {
        toggle(&el.history, "hidden", matches!(shown, History::Idle).then_some(""));
        show_text(&el.history_state, history::state_sentence(shown));
        let items = history::items(shown);
        if items != written.history {
            el.history_list.set_inner_html(&items);
            written.history = items;
        }
    });
    written
}

/// The identifier's label, `inputmode` and `placeholder` follow its kind.
fn identifier_hints(el: &Elements, kind: IdentifierKind) {
    set_text(&el.identifier_label, kind.label());
    let _ = el.identifier.input.set_attribute("inputmode", kind.input_mode());
    let _ = el.identifier.input.set_attribute("placeholder", kind.example());
}

/// Shows `problem` on an input (or takes it away): its error text, and
/// `aria-invalid` with `aria-describedby` pointing at that text.
fn show_problem(elements: &InputElements, problem: Option<&str>) {
    let error_id = elements.error.id();
    toggle(&elements.input, "aria-invalid", problem.map(|_| "true"));
    toggle(&elements.input, "aria-describedby", problem.map(|_| error_id.as_str()));
    show_text(&elements.error, problem.unwrap_or(""));
}
