//! The few DOM operations the widget's renderers share.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};

/// The element with `id` inside `scope` (a form in its shadow root, which the
/// document's `getElementById` cannot search).
pub fn by_id(scope: &Element, id: &str) -> Option<Element> {
    scope.query_selector(&format!("#{id}")).ok().flatten()
}

/// Moves focus to the element with `id` inside `scope`, if there is one.
pub fn focus_by_id(scope: &Element, id: &str) {
    if let Some(element) = by_id(scope, id).and_then(|el| el.dyn_into::<HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// Sets the attribute `name` to `value`, or removes it for `None`; nothing
/// when it is so already (a write of the same value still makes the browser
/// recompute styles, which a render many times a second would pay for).
pub fn toggle(element: &Element, name: &str, value: Option<&str>) {
    if element.get_attribute(name).as_deref() == value {
        return;
    }
    let _ = match value {
        Some(value) => element.set_attribute(name, value),
        None => element.remove_attribute(name),
    };
}

/// Puts `text` in `element` unless it holds it already: rewriting the same
/// text into a live region could have it read out again.
pub fn set_text(element: &Element, text: &str) {
    if element.text_content().as_deref() != Some(text) {
        element.set_text_content(Some(text));
    }
}

/// Puts `text` in `element`, hidden while there is none.
pub fn show_text(element: &Element, text: &str) {
    toggle(element, "hidden", text.is_empty().then_some(""));
    set_text(element, text);
}

/// Puts `value` in an input, unless it holds it already (writing it would
/// move the caret of an input being typed in).
pub fn set_value(input: &HtmlInputElement, value: &str) {
    if input.value() != value {
        input.set_value(value);
    }
}

/// The input an event happened on, if it was an input.
pub fn target_input(event: &web_sys::Event) -> Option<HtmlInputElement> {
    event.target()?.dyn_into::<HtmlInputElement>().ok()
}
