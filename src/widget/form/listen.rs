//! Hears the form: one listener on the `<form>` for the events that bubble
//! up from its inputs and buttons, and the window's `pointerup` and
//! `pointercancel`. Each event is read into what it means (an [`Input`], an
//! [`Action`]) and handed to a handler of [`State`]; the only DOM work done
//! here is moving focus after a button's action.

use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, HtmlSelectElement};

use super::send::Sender;
use super::state::State;
use super::zones;
use crate::contract::Field;
use crate::ui::draft::IdentifierKind;
use crate::ui::vocabulary::{ACTION_ATTRIBUTE, Action, Input, Part, ROW_ATTRIBUTE, ZONE_ATTRIBUTE};
use crate::widget::dom::{by_id, focus_by_id, target_input};

/// The events the form hears, all from its own inputs and buttons.
/// `focusout` is for people (blur does not bubble), `blur` for a script that
/// dispatches a bubbling one; touching an input twice is harmless. Besides,
/// the window's `pointerup`: a press that began in the form may end anywhere.
const EVENTS: [&str; 8] =
    ["input", "change", "focusin", "focusout", "blur", "click", "pointerdown", "submit"];

/// Hears [`EVENTS`] on `form` and `pointerup` on the window with one
/// listener, until it is dropped. One listener, not one per event: each of
/// those would be code of its own in the wasm.
pub(super) fn listen(form: Element, state: State, sender: Rc<Sender>) -> Listener {
    // Owns what the handlers create (a new row's signals): without an owner
    // they would outlive the form; this one goes with the listener at unmount.
    let owner = Owner::new();
    let scope = form.clone();
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        match ev.type_().as_str() {
            "input" => {
                if let Some((input, element)) = input_of(&ev) {
                    state.typed(input, element.value());
                }
            }
            "change" => {
                let kind = ev
                    .target()
                    .and_then(|target| target.dyn_into::<HtmlSelectElement>().ok())
                    .and_then(|select| IdentifierKind::from_name(&select.value()));
                if let Some(kind) = kind {
                    state.chose_kind(kind);
                }
            }
            "focusin" => {
                if let Some((Input::Text(Field::DefaultTimeZone), _)) = input_of(&ev)
                    && let Some(list) = by_id(&scope, Part::Zones.id())
                {
                    zones::offer_zones(&list);
                }
            }
            "focusout" | "blur" => {
                if let Some((input, _)) = input_of(&ev) {
                    state.left(input);
                }
            }
            "click" => owner.with(|| clicked(state, &scope, &ev)),
            "pointerdown" => state.pointer_pressed(),
            // A touch that turns into a scroll ends in pointercancel, not pointerup.
            "pointerup" | "pointercancel" => state.pointer_released(),
            "submit" => {
                ev.prevent_default();
                sender.submit(state, &scope);
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

/// The form's input an event happened on, and which input it is.
fn input_of(ev: &web_sys::Event) -> Option<(Input, web_sys::HtmlInputElement)> {
    let element = target_input(ev)?;
    let row = element.get_attribute(ROW_ATTRIBUTE).and_then(|row| row.parse().ok());
    Some((Input::from_name(&element.name(), row)?, element))
}

/// A click on one of the form's own buttons ([`ACTION_ATTRIBUTE`]).
fn clicked(state: State, form: &Element, ev: &web_sys::Event) {
    let Some(button) = ev
        .target()
        .and_then(|target| target.dyn_into::<Element>().ok())
        .and_then(|target| target.closest(&format!("[{ACTION_ATTRIBUTE}]")).ok().flatten())
    else {
        return;
    };
    let action = button.get_attribute(ACTION_ATTRIBUTE).and_then(|name| Action::from_name(&name));
    match action {
        Some(Action::AddRow) => {
            let id = state.add_row();
            // The new inputs exist after the next render, which runs as a
            // microtask: a timer comes after it. (Not an animation frame: a
            // page that draws no frames would move focus much later, onto
            // whatever the operator did next.)
            let form = form.clone();
            set_timeout(
                move || focus_by_id(&form, &Input::RowKey(id).id()),
                std::time::Duration::ZERO,
            );
        }
        Some(Action::RemoveRow) => {
            if let Some(id) = button.get_attribute(ROW_ATTRIBUTE).and_then(|id| id.parse().ok()) {
                state.remove_row(id);
            }
            // Focus would fall to the page; keep it in the group.
            focus_by_id(form, Part::AddRow.id());
        }
        Some(Action::PickZone) => {
            if let Some(zone) = button.get_attribute(ZONE_ATTRIBUTE) {
                state.pick_zone(zone);
            }
            // The chips are written anew for the picked zone, the focused
            // one with them; focus the zone's input rather than the page.
            focus_by_id(form, &Input::Text(Field::DefaultTimeZone).id());
        }
        None => {}
    }
}
