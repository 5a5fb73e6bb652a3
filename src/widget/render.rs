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
    // The rows first: problems land on their inputs.
    let rows = state.rows.get();
    let row_ids: Vec<u32> = rows.iter().map(|row| row.id).collect();
    if row_ids != written.rows {
        if let Some(container) = select(form, ".scf-rows") {
            container.set_inner_html(&markup::rows(ids, &row_ids));
        }
        written.rows = row_ids;
    }

    // Values: typing already put them there; a pick, or rows written anew, did not.
    set_value(find(form, &ids.of("identifier")), &state.identifier.get());
    for (field, text) in TEXT_FIELDS.iter().zip(state.texts) {
        set_value(find(form, &ids.of(field.as_str())), &text.get());
    }
    for row in &rows {
        set_value(find(form, &ids.row_key(row.id)), &row.key.get());
        set_value(find(form, &ids.row_value(row.id)), &row.value.get());
    }

    identifier_hints(form, ids, state.kind.get());

    let shown = state.shown();
    show_problem(form, &ids.of("identifier"), shown.identifier.as_deref());
    for (field, problem) in TEXT_FIELDS.iter().zip(&shown.texts) {
        show_problem(form, &ids.of(field.as_str()), problem.as_deref());
    }
    for (row, problems) in rows.iter().zip(&shown.rows) {
        show_problem(form, &ids.row_key(row.id), problems.key.as_deref());
        show_problem(form, &ids.row_value(row.id), problems.value.as_deref());
    }
    // A problem with the metadata as a whole describes the group.
    let group_error = format!("{}-error", ids.of("addRow"));
    if let Some(group) = select(form, ".scf-metadata") {
        let described = shown.metadata.as_ref().map(|_| group_error.as_str());
        toggle(&group, "aria-describedby", described);
    }
    show_text(find(form, &group_error), shown.metadata.as_deref().unwrap_or(""));
    show_text(select(form, ".scf-unplaced"), &shown.unplaced.join("\n"));

    // The chips beside the time zone input.
    let zone = TEXT_FIELDS.len() - 1;
    let offers = timezone_picker::offers(
        &state.texts[zone].get(),
        shown.texts[zone].is_some(),
        &state.own_zone.get(),
    );
    let chips = markup::chips(ids, &offers);
    if chips != written.chips {
        if let Some(chip_box) = select(form, ".scf-suggestions") {
            chip_box.set_inner_html(&chips);
        }
        written.chips = chips;
    }

    // The live regions, the busy state and the preview.
    set_text(find(form, &ids.of("status")), &state.status.get());
    set_text(find(form, &ids.of("alert")), &state.alert.get());
    let busy = state.in_flight.get();
    toggle(form, "aria-busy", busy.then_some("true"));
    if let Some(submit) = select(form, "button[type=submit]") {
        toggle(&submit, "disabled", busy.then_some(""));
    }
    if let Some(spinner) = select(form, ".scf-spinner") {
        toggle(&spinner, "hidden", (!busy).then_some(""));
    }
    set_text(select(form, "pre code"), &state.checked.with(Checked::body));
    written
}

/// The identifier's label, `inputmode` and `placeholder` follow its kind.
fn identifier_hints(form: &Element, ids: &Ids, kind: IdentifierKind) {
    let id = ids.of("identifier");
    set_text(select(form, &format!("label[for='{id}']")), kind.label());
    if let Some(input) = find(form, &id) {
        let _ = input.set_attribute("inputmode", kind.input_mode());
        let _ = input.set_attribute("placeholder", kind.example());
    }
}

/// The element of `form` with this id (ids are unique per widget, and the
/// form may live in a shadow root the document cannot search).
fn find(form: &Element, id: &str) -> Option<Element> {
    select(form, &format!("#{id}"))
}

/// The first element of `form` that `selector` matches.
fn select(form: &Element, selector: &str) -> Option<Element> {
    form.query_selector(selector).ok().flatten()
}

/// Shows `problem` on the input with `id` (or takes it away): its error text,
/// and `aria-invalid` with `aria-describedby` pointing at that text.
fn show_problem(form: &Element, id: &str, problem: Option<&str>) {
    let error_id = format!("{id}-error");
    if let Some(input) = find(form, id) {
        toggle(&input, "aria-invalid", problem.map(|_| "true"));
        toggle(&input, "aria-describedby", problem.map(|_| error_id.as_str()));
    }
    show_text(find(form, &error_id), problem.unwrap_or(""));
}

/// Puts `text` in `element`, hidden while there is none.
fn show_text(element: Option<Element>, text: &str) {
    if let Some(element) = element {
        toggle(&element, "hidden", text.is_empty().then_some(""));
        set_text(Some(element), text);
    }
}

/// Puts `text` in `element` unless it holds it already: rewriting the same
/// text into a live region could have it read out again.
fn set_text(element: Option<Element>, text: &str) {
    if let Some(element) = element
        && element.text_content().as_deref() != Some(text)
    {
        element.set_text_content(Some(text));
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
