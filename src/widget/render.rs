//! Applies the form's state to its DOM: one render effect for the whole form.
//!
//! The markup ([`super::markup`]) is written once; this keeps it in step with
//! the signals: the inputs' values, each problem on its input (`aria-invalid`,
//! `aria-describedby` and the error text), the identifier's label and hints,
//! the metadata rows, the time zone chips, the live regions, the busy state
//! and the request preview. One effect instead of a closure per attribute:
//! every such closure is code of its own in the wasm, and the whole render of a
//! form is a few dozen DOM writes, cheap enough to redo on each change.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

use super::Ids;
use super::draft::{Checked, IdentifierKind, TEXT_FIELDS};
use super::form::State;
use super::markup;
use super::timezone_picker;

/// What the last render wrote that is costly or disruptive to write again.
#[derive(Default)]
pub(super) struct Written {
    /// The ids of the metadata rows in the DOM, in order.
    rows: Vec<u32>,
    /// The time zone chips' markup (rewriting it would drop a chip's focus).
    chips: String,
}

/// Renders `state` into `form` now, and again on every change, for as long
/// as the returned effect is kept.
pub(super) fn start(form: Element, state: State, ids: Ids) -> RenderEffect<Written> {
    RenderEffect::new(move |written: Option<Written>| {
        render(&form, state, &ids, written.unwrap_or_default())
    })
}

fn render(form: &Element, state: State, ids: &Ids, mut written: Written) -> Written {
    let find = |id: &str| form.query_selector(&format!("#{id}")).ok().flatten();

    // The rows first: problems land on their inputs.
    let rows = state.rows.get();
    let row_ids: Vec<u32> = rows.iter().map(|row| row.id).collect();
    if row_ids != written.rows {
        if let Ok(Some(container)) = form.query_selector(".scf-rows") {
            container.set_inner_html(&markup::rows(ids, &row_ids));
        }
        written.rows = row_ids;
    }

    // Values: typing already put them there; a pick, or rows written anew, did not.
    let kind = state.kind.get();
    set_value(find(&ids.of("identifier")), &state.identifier.get());
    for (field, text) in TEXT_FIELDS.iter().zip(state.texts) {
        set_value(find(&ids.of(field.as_str())), &text.get());
    }
    for row in &rows {
        set_value(find(&ids.row_key(row.id)), &row.key.get());
        set_value(find(&ids.row_value(row.id)), &row.value.get());
    }

    // The identifier's label and hints follow its kind.
    let identifier_id = ids.of("identifier");
    if let Ok(Some(label)) = form.query_selector(&format!("label[for='{identifier_id}']")) {
        label.set_text_content(Some(kind.label()));
    }
    if let Some(input) = find(&identifier_id) {
        let inputmode = match kind {
            IdentifierKind::Id | IdentifierKind::WaId => "numeric",
            IdentifierKind::SmsPhoneNumber => "tel",
        };
        let _ = input.set_attribute("inputmode", inputmode);
        let _ = input.set_attribute("placeholder", kind.example());
    }

    let shown = state.shown();
    {
        show_problem(form, &identifier_id, shown.identifier.as_deref());
        for (field, problem) in TEXT_FIELDS.iter().zip(&shown.texts) {
            show_problem(form, &ids.of(field.as_str()), problem.as_deref());
        }
        for (row, problems) in rows.iter().zip(&shown.rows) {
            show_problem(form, &ids.row_key(row.id), problems.key.as_deref());
            show_problem(form, &ids.row_value(row.id), problems.value.as_deref());
        }
        // A problem with the metadata as a whole describes the group.
        let add_id = ids.of("addRow");
        if let Ok(Some(group)) = form.query_selector(".scf-metadata") {
            toggle(
                &group,
                "aria-describedby",
                shown
                    .metadata
                    .is_some()
                    .then(|| format!("{add_id}-error"))
                    .as_deref(),
            );
        }
        show_text(
            find(&format!("{add_id}-error")),
            shown.metadata.as_deref().unwrap_or(""),
        );
        show_text(
            form.query_selector(".scf-unplaced").ok().flatten(),
            &shown.unplaced.join("\n"),
        );
    }

    // The chips beside the time zone input.
    let zone = TEXT_FIELDS.len() - 1;
    let offers = timezone_picker::offers(
        &state.texts[zone].get(),
        shown.texts[zone].is_some(),
        &state.own_zone.get(),
    );
    let chips = markup::chips(&offers);
    if chips != written.chips {
        if let Ok(Some(box_)) = form.query_selector(".scf-suggestions") {
            box_.set_inner_html(&chips);
        }
        written.chips = chips;
    }

    // The live regions, the busy state and the preview.
    if let Some(status) = find(&ids.of("status")) {
        status.set_text_content(Some(&state.status.get()));
    }
    if let Some(alert) = find(&ids.of("alert")) {
        alert.set_text_content(Some(&state.alert.get()));
    }
    let busy = state.in_flight.get();
    toggle(form, "aria-busy", busy.then_some("true"));
    if let Ok(Some(submit)) = form.query_selector("button[type=submit]") {
        toggle(&submit, "disabled", busy.then_some(""));
    }
    if let Ok(Some(spinner)) = form.query_selector(".scf-spinner") {
        toggle(&spinner, "hidden", (!busy).then_some(""));
    }
    if let Ok(Some(code)) = form.query_selector("pre code") {
        code.set_text_content(Some(&state.checked.with(Checked::body)));
    }
    written
}

/// Shows `problem` on the input with `id` (or takes it away): its error text,
/// and `aria-invalid` with `aria-describedby` pointing at that text.
fn show_problem(form: &Element, id: &str, problem: Option<&str>) {
    let error_id = format!("{id}-error");
    if let Ok(Some(input)) = form.query_selector(&format!("#{id}")) {
        toggle(&input, "aria-invalid", problem.map(|_| "true"));
        toggle(
            &input,
            "aria-describedby",
            problem.map(|_| error_id.as_str()),
        );
    }
    show_text(
        form.query_selector(&format!("#{error_id}")).ok().flatten(),
        problem.unwrap_or(""),
    );
}

/// Puts `text` in `element`, hidden while there is none.
fn show_text(element: Option<Element>, text: &str) {
    if let Some(element) = element {
        element.set_text_content(Some(text));
        toggle(&element, "hidden", text.is_empty().then_some(""));
    }
}

/// Sets the attribute `name` to `value`, or removes it for `None`.
fn toggle(element: &Element, name: &str, value: Option<&str>) {
    let _ = match value {
        Some(value) => element.set_attribute(name, value),
        None => element.remove_attribute(name),
    };
}

/// Puts `value` in an input, unless it holds it already (writing it would
/// move the caret of an input being typed in).
fn set_value(input: Option<Element>, value: &str) {
    if let Some(input) = input.and_then(|input| input.dyn_into::<HtmlInputElement>().ok())
        && input.value() != value
    {
        input.set_value(value);
    }
}
