//! The metadata rows: a key and a value each, added and removed at will.
//!
//! A row with neither key nor value is a spare row and is not sent. Problems
//! land on the row they belong to: a key the contract rejects or that an
//! earlier row already uses on the key input, a value that is too long on the
//! value input.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::Ids;
use super::form::State;
use super::input::{Edits, Input, error_ref, error_text, labelled_input};

/// One metadata row. `id` is stable for the life of the row (ids and focus
/// follow it), whatever rows are added or removed around it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Row {
    pub id: u32,
    pub key: RwSignal<String>,
    pub value: RwSignal<String>,
}

impl Row {
    /// The key and value as typed (tracked).
    pub fn get(&self) -> (String, String) {
        (self.key.get(), self.value.get())
    }

    /// The name under which "this row was left" is remembered.
    pub fn touch_key(&self) -> String {
        format!("row-{}", self.id)
    }
}

/// The metadata group: its rows, the "Add metadata field" button, and a
/// problem with the metadata as a whole (too many keys).
#[component]
pub(super) fn MetadataRows(state: State, ids: Ids) -> impl IntoView {
    let rows = state.rows;
    let next_id = StoredValue::new(0u32);
    let add_id = ids.of("addRow");
    let group_error = Signal::derive(move || state.shown.with(|shown| shown.metadata.clone()));
    let ids_for_add = ids.clone();
    let add = move |ev: leptos::ev::MouseEvent| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        let row = Row {
            id,
            key: RwSignal::new(String::new()),
            value: RwSignal::new(String::new()),
        };
        rows.update(|rows| rows.push(row));
        // The new inputs exist after the next render.
        let form = form_of(&ev);
        let key_id = ids_for_add.row_key(id);
        request_animation_frame(move || focus_in(form.as_ref(), &key_id));
    };

    let title_id = ids.of("metadataTitle");
    let labelled_by = title_id.clone();
    let described_by = error_ref(add_id.clone(), group_error);
    view! {
        <div class="scf-metadata" role="group" aria-labelledby=labelled_by
            aria-describedby=described_by>
            <h3 class="scf-subtitle" id=title_id>"Metadata"</h3>
            // Rows are re-rendered by position when one is added or removed
            // (typing does not change the list): far less wasm than a keyed
            // list, and the values live in the rows' signals, not the DOM.
            {move || {
                let ids = ids.clone();
                rows.get()
                    .into_iter()
                    .enumerate()
                    .map(|(index, row)| view! { <MetadataRow state=state ids=ids.clone() index=index row=row /> })
                    .collect_view()
            }}
            {error_text(add_id.clone(), group_error)}
            <button type="button" class="scf-secondary" id=add_id.clone() on:click=add>
                "Add metadata field"
            </button>
        </div>
    }
}

/// One row: labelled key and value inputs and a remove button.
#[component]
fn MetadataRow(state: State, ids: Ids, index: usize, row: Row) -> impl IntoView {
    let problems = move || state.shown.with(|shown| shown.rows.get(index).cloned());
    let number = index + 1;
    // Editing either input makes the proxy's problem with the row's key (and
    // with the metadata as a whole) stale.
    let input = |id: String, name, label, error, value| Input {
        id,
        name,
        label: Signal::from(label),
        label_detail: Some(format!(" (row {number})")),
        input_type: "text",
        autocomplete: "off",
        spellcheck: (name == "metadataKey").then_some("false"),
        list: None,
        hints: None,
        required: false,
        value,
        error,
        touch_key: row.touch_key(),
        edits: Edits::Row(row.key),
    };
    let key = input(
        ids.row_key(row.id),
        "metadataKey",
        "Key",
        Signal::derive(move || problems().and_then(|row| row.key)),
        row.key,
    );
    let value = input(
        ids.row_value(row.id),
        "metadataValue",
        "Value",
        Signal::derive(move || problems().and_then(|row| row.value)),
        row.value,
    );
    let add_id = ids.of("addRow");

    view! {
        <div class="scf-row scf-row--metadata">
            <div class="scf-field scf-field--grow">{labelled_input(state, key)}</div>
            <div class="scf-field scf-field--grow">{labelled_input(state, value)}</div>
            <button type="button" class="scf-remove"
                aria-label=format!("Remove metadata row {number}")
                on:click=move |ev| {
                    Edits::Row(row.key).forget(state);
                    state.rows.update(|rows| rows.retain(|other| other.id != row.id));
                    // Focus would fall to the page; keep it in the group.
                    focus_in(form_of(&ev).as_ref(), &add_id);
                }>
                "Remove"
            </button>
        </div>
    }
}

/// The form an event happened in.
fn form_of(ev: &web_sys::Event) -> Option<web_sys::Element> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    target.closest("form").ok().flatten()
}

/// Focuses the element with `id` inside `form` (ids are unique per widget,
/// and the form may live in a shadow root the document cannot search).
fn focus_in(form: Option<&web_sys::Element>, id: &str) {
    let found = form.and_then(|form| form.query_selector(&format!("#{id}")).ok().flatten());
    if let Some(element) = found.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}
