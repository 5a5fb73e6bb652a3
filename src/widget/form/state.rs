//! The form's state, and every handler that changes it.
//!
//! State is a handful of signals (one per input, the metadata rows, which
//! inputs were left, whether a submit was tried, the proxy's field errors).
//! Everything else is derived: the [`Draft`], the contract's verdict on it,
//! the preview, and which problems are on screen. A client-side problem shows
//! once its input was left (blur) or a submit was tried; a problem from the
//! proxy shows at once and goes away when its input is edited.
//!
//! The handlers take what an event means (an [`Input`] typed into, a row to
//! remove), never the event: [`super::listen`] reads the DOM, and rendering
//! ([`super::render`]) follows from the signals.

use leptos::prelude::*;

use super::rows::Row;
use crate::contract::{ErrorKey, Field, FieldErrors};
use crate::ui::draft::{Checked, Draft, IdentifierKind, Problems, TEXTS};
use crate::ui::history::History;
use crate::ui::vocabulary::{Input, Touch};

/// The signals of the form, all `Copy`, so that every closure can take them.
#[derive(Clone, Copy)]
pub(super) struct State {
    pub kind: RwSignal<IdentifierKind>,
    pub identifier: RwSignal<String>,
    /// One per entry of [`Input::TEXTS`], in the same order.
    pub texts: [RwSignal<String>; TEXTS],
    pub rows: RwSignal<Vec<Row>>,
    /// What the operator has left. A `Vec`: a few entries at most, and a set
    /// would add its own code to the wasm.
    pub touched: RwSignal<Vec<Touch>>,
    pub submitted: RwSignal<bool>,
    /// The proxy's last 400 `fields`, minus those edited since.
    pub server_errors: RwSignal<FieldErrors>,
    pub in_flight: RwSignal<bool>,
    /// The browser's time zone, for its chip; empty until known.
    pub own_zone: RwSignal<String>,
    /// The id the next metadata row gets.
    next_row: StoredValue<u32>,
    /// What the live regions say: progress and success in `status`,
    /// failures in `alert`; at most one of them speaks at a time.
    pub status: RwSignal<String>,
    pub alert: RwSignal<String>,
    /// The "Recent changes" panel's content.
    pub history: RwSignal<History>,
    /// Whether a pointer is pressed in the form, and the inputs left meanwhile.
    pointer_down: StoredValue<bool>,
    left_while_pressed: StoredValue<Vec<Touch>>,
    pub checked: Memo<Checked>,
}

impl State {
    pub fn new() -> State {
        let kind = RwSignal::new(IdentifierKind::default());
        let identifier = RwSignal::new(String::new());
        let texts: [RwSignal<String>; TEXTS] =
            std::array::from_fn(|_| RwSignal::new(String::new()));
        let rows = RwSignal::new(Vec::<Row>::new());
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
            touched: RwSignal::new(Vec::new()),
            submitted: RwSignal::new(false),
            server_errors: RwSignal::new(FieldErrors::new()),
            in_flight: RwSignal::new(false),
            own_zone: RwSignal::new(String::new()),
            next_row: StoredValue::new(0),
            status: RwSignal::new(String::new()),
            alert: RwSignal::new(String::new()),
            history: RwSignal::new(History::Idle),
            pointer_down: StoredValue::new(false),
            left_while_pressed: StoredValue::new(Vec::new()),
            checked,
        }
    }

    /// The signal a text input writes to.
    pub fn text(self, field: Field) -> Option<RwSignal<String>> {
        field.text_change_index().map(|index| self.texts[index])
    }

    /// The problems on screen right now (tracked: the render effect calls it).
    pub fn shown(self) -> Problems {
        self.checked.with(|checked| {
            let server =
                self.server_errors.with(|errors| Problems::place(errors, &checked.draft.rows));
            self.touched
                .with(|touched| checked.problems().visible(server, self.submitted.get(), touched))
        })
    }

    /// The metadata row with `id`.
    pub fn row(self, id: u32) -> Option<Row> {
        self.rows.with_untracked(|rows| rows.iter().find(|row| row.id == id).copied())
    }

    // --- The handlers, by what the operator did. ---

    /// Typed `value` into `input`: its signal takes the value, and the proxy's
    /// problems with what it edits go stale.
    pub fn typed(self, input: Input, value: String) {
        match input {
            Input::Identifier => {
                self.edited_identifier();
                self.identifier.set(value);
            }
            Input::Text(field) => {
                if let Some(text) = self.text(field) {
                    self.edited(&[ErrorKey::Field(field).name()]);
                    text.set(value);
                }
            }
            Input::RowKey(id) | Input::RowValue(id) => {
                let Some(row) = self.row(id) else { return };
                // Before the write: the edit names the key the row had.
                self.edited(&row.edited_names());
                let signal = if matches!(input, Input::RowKey(_)) { row.key } else { row.value };
                signal.set(value);
            }
        }
    }

    /// Chose how the contact is found.
    pub fn chose_kind(self, kind: IdentifierKind) {
        self.kind.set(kind);
        self.edited_identifier();
    }

    /// Left `input`: its client-side problem may show.
    pub fn left(self, input: Input) {
        self.touch(input.touch());
    }

    /// Added a metadata row; returns its id.
    pub fn add_row(self) -> u32 {
        let id = self.next_row.get_value();
        self.next_row.set_value(id + 1);
        self.rows.update(|rows| rows.push(Row::new(id)));
        id
    }

    /// Removed the metadata row `id`; its signals go with it, as leptos's
    /// todomvc disposes a removed item's.
    pub fn remove_row(self, id: u32) {
        let Some(row) = self.row(id) else { return };
        self.edited(&row.edited_names());
        self.rows.update(|rows| rows.retain(|other| other.id != id));
        row.dispose();
    }

    /// Picked `zone` from a chip: an edit like typing, which clears the
    /// proxy's problem with the field.
    pub fn pick_zone(self, zone: String) {
        self.typed(Input::Text(Field::DefaultTimeZone), zone);
    }

    /// A pointer was pressed in the form.
    pub fn pointer_pressed(self) {
        self.pointer_down.set_value(true);
    }

    /// The pointer is up: once its click has been dispatched (the next task),
    /// show the problems of the inputs left meanwhile.
    pub fn pointer_released(self) {
        if self.pointer_down.try_get_value() != Some(true) {
            return;
        }
        self.pointer_down.set_value(false);
        let left = self.left_while_pressed.try_update_value(std::mem::take).unwrap_or_default();
        set_timeout(
            move || left.into_iter().for_each(|touch| self.touch_now(touch)),
            std::time::Duration::ZERO,
        );
    }

    // --- What the handlers share. ---

    /// Marks `touch` as left, so its client-side problem shows. While a
    /// pointer is pressed the problem waits for its release: an error text
    /// appearing under the input would move the button being clicked away
    /// from under the pointer, and the click would be lost.
    fn touch(self, touch: Touch) {
        if self.pointer_down.get_value() {
            self.left_while_pressed.update_value(|left| left.push(touch));
        } else {
            self.touch_now(touch);
        }
    }

    fn touch_now(self, touch: Touch) {
        if self.touched.try_with_untracked(|touched| !touched.contains(&touch)) == Some(true) {
            self.touched.try_update(|touched| touched.push(touch));
        }
    }

    /// Says `status` (progress, success) or `alert` (a failure); the other
    /// region falls silent. The form may be gone meanwhile, hence `try_`.
    pub fn announce(self, status: &str, alert: &str) {
        self.status.try_set(status.to_owned());
        self.alert.try_set(alert.to_owned());
    }

    /// The proxy's problems with any identifier are stale.
    fn edited_identifier(self) {
        self.edited(&Field::IDENTIFIERS.map(|field| ErrorKey::Field(field).name()));
    }

    /// Forgets the proxy's problems with these fields: the operator edited them.
    fn edited(self, names: &[String]) {
        let is_edited = |name: &String| names.contains(name);
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
