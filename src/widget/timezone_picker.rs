//! The searchable part of the `defaultTimeZone` input.
//!
//! A `<datalist>` of every name the contract knows turns the plain input into a
//! searchable picker that every browser and screen reader already understands.
//! Two buttons save typing: one offers the browser's own zone, the other the
//! contract's suggestion for a miscased or mistyped name.

use leptos::prelude::*;

use super::Ids;
use super::form::State;
use crate::contract::{Field, timezone};

/// The datalist and the suggestion buttons beside the time zone input.
#[component]
pub(super) fn TimeZoneExtras(
    ids: Ids,
    state: State,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    // A pick is an edit like typing: it clears the proxy's error on the field.
    let pick = move |zone: String| {
        value.set(zone);
        state.edited(&[Field::DefaultTimeZone.as_str()]);
    };
    // Empty until the input is first focused (`offer_zones`): 598 options
    // cost some 18 ms to build, which every page would pay before the form is
    // usable, for a list only the time zone input shows.
    let datalist = view! { <datalist id=ids.of("zones")></datalist> };

    // The browser's zone, asked for once the form is up: the first use of
    // `Intl` costs the mount several milliseconds, and the chip can wait.
    let own_zone = RwSignal::new(String::new());
    set_timeout(
        move || {
            if let Some(zone) = browser_time_zone().filter(|zone| timezone::is_known(zone)) {
                own_zone.try_set(zone);
            }
        },
        std::time::Duration::ZERO,
    );

    // Offered only while a problem is on screen, and only when it would change
    // what was typed: the contract's own pick.
    let suggestion = move || {
        error
            .with(Option::is_some)
            .then(|| value.with(|typed| timezone::suggest(typed).filter(|name| name != typed)))
            .flatten()
            .map(|name| (format!("Use {name}"), name.to_owned()))
    };
    // Offered while the input is empty.
    let own_offer = move || {
        let zone = own_zone.get();
        (value.with(String::is_empty) && !zone.is_empty())
            .then(|| (format!("Use my time zone ({zone})"), zone))
    };
    // Both chips are one view: (label, zone to pick).
    let chip = move |offer: Option<(String, String)>| {
        offer.map(|(label, zone)| view! {
            <button type="button" class="scf-chip" on:click=move |_| pick(zone.clone())>{label}</button>
        })
    };

    view! {
        {datalist}
        <div class="scf-suggestions">
            {move || chip(suggestion())}
            {move || chip(own_offer())}
        </div>
    }
}

/// Fills the zone `<datalist>` in `field` (the time zone input's wrapper), the
/// first time only: the browser's zone first, the likeliest pick for a
/// dashboard's operator, then every name the contract knows.
pub(super) fn offer_zones(field: &web_sys::Element) {
    let Ok(Some(list)) = field.query_selector("datalist") else { return };
    if list.child_element_count() > 0 {
        return;
    }
    let own_zone = browser_time_zone()
        .and_then(|zone| timezone::names().find(|name| *name == zone));
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
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()?
        .as_string()
}
