//! Hears the form: one listener on the `<form>` for the events that bubble
//! up from its inputs and buttons, and the window's `pointerup` and
//! `pointercancel`; each event
//! becomes a change of the form's [`State`].

use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, HtmlElement, HtmlInputElement};

use super::Ids;
use super::draft::{IdentifierKind, TEXT_FIELDS};
use super::form::State;
use super::metadata::Row;
use super::send::Sender;
use super::timezone_picker;
use crate::contract::Field;

/// The events the form hears, all from its own inputs and buttons.
/// `focusout` is for people (blur does not bubble), `blur` for a script that
/// dispatches a bubbling one; touching an input twice is harmless. Besides,
/// the window's `pointerup`: a press that began in the form may end anywhere.
const EVENTS: [&str; 8] =
    ["input", "change", "focusin", "focusout", "blur", "click", "pointerdown", "submit"];

/// Hears [`EVENTS`] on `form` and `pointerup` on the window with one
/// listener, until it is dropped. One listener, not one per event: each of
/// those would be code of its own in the wasm.
pub(super) fn listen(form: Element, state: State, ids: Ids, sender: Rc<Sender>) -> Listener {
    // Owns what the handlers create (a new row's signals): without an owner
    // they would outlive the form; this one goes with the listener at unmount.
    let owner = Owner::new();
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
            "click" => owner.with(|| state.clicked(&ev, &ids)),
            "pointerdown" => state.pointer_down.set_value(true),
            // A touch that turns into a scroll ends in pointercancel, not pointerup.
            "pointerup" | "pointercancel" => state.pointer_released(),
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
pub(super) struct Listener {
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
            f(&window, "pointercancel", function);
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
            let signal = if name == "metadataKey" { row.key } else { row.value };
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
                set_timeout(move || focus_in(form.as_ref(), &key_id), std::time::Duration::ZERO);
            }
            Some("remove-row") => {
                let id = button.get_attribute("data-row").and_then(|id| id.parse::<u32>().ok());
                let row = self
                    .rows
                    .with_untracked(|rows| rows.iter().find(|row| Some(row.id) == id).copied());
                if let Some(row) = row {
                    let [key, group] = row.edited_names();
                    self.edited(&[&key, &group]);
                    self.rows.update(|rows| rows.retain(|other| other.id != row.id));
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
                // The chips are written anew for the picked zone, the focused
                // one with them; focus the zone's input rather than the page.
                focus_in(form.as_ref(), &ids.of(Field::DefaultTimeZone.as_str()));
            }
            _ => {}
        }
    }

    /// The metadata row an input belongs to (its `data-row`).
    fn row_of(self, input: &HtmlInputElement) -> Option<Row> {
        let id = input.get_attribute("data-row")?.parse::<u32>().ok()?;
        self.rows.with_untracked(|rows| rows.iter().find(|row| row.id == id).copied())
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
