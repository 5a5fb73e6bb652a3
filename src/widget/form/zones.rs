//! The searchable part of the `defaultTimeZone` input.
//!
//! A `<datalist>` of every name the contract knows turns the plain input into a
//! searchable picker that every browser and screen reader already understands.
//! Two chips save typing: one offers the browser's own zone, the other the
//! contract's suggestion for a miscased or mistyped name.

use crate::contract::timezone;

/// The chips to show, as (label, zone to pick): the contract's suggestion
/// while a problem is on screen, if it would change what was typed; the
/// browser's own zone (`own_zone`, empty until known) while the input is empty.
pub(super) fn offers(typed: &str, has_problem: bool, own_zone: &str) -> Vec<(String, String)> {
    let mut offers = Vec::new();
    if has_problem && let Some(name) = timezone::suggest(typed).filter(|name| *name != typed) {
        offers.push((format!("Use {name}"), name.to_owned()));
    }
    if typed.is_empty() && !own_zone.is_empty() {
        offers.push((format!("Use my time zone ({own_zone})"), own_zone.to_owned()));
    }
    offers
}

/// The browser's zone, when the contract knows it (else empty): asked for
/// once the form is up, since the first use of `Intl` costs milliseconds the
/// mount need not wait for.
pub(super) fn known_browser_zone() -> String {
    browser_time_zone().filter(|zone| timezone::is_known(zone)).unwrap_or_default()
}

/// Fills the zone `<datalist>` `list`, the first time only: the browser's zone first, the likeliest pick for a
/// dashboard's operator, then every name the contract knows. Not at mount:
/// 598 options cost some 18 ms to build, which every page would pay before
/// the form is usable, for a list only this input shows.
pub(super) fn offer_zones(list: &web_sys::Element) {
    if list.child_element_count() > 0 {
        return;
    }
    let own_zone =
        browser_time_zone().and_then(|zone| timezone::names().find(|name| *name == zone));
    // One string and one parse instead of 598 elements built one by one. The
    // names come from the contract's table (own_zone is one of them), whose
    // characters are letters, digits and `/_+-`: nothing to escape.
    let mut html = String::with_capacity(16 * 1024);
    for name in own_zone.into_iter().chain(timezone::names()) {
        html.push_str("<option value=\"");
        html.push_str(name);
        html.push_str("\"></option>");
    }
    list.set_inner_html(&html);
}

/// The IANA zone the browser runs in, from `Intl.DateTimeFormat`.
pub fn browser_time_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    let options = format.resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into()).ok()?.as_string()
}
