//! The pre-rendered form: the form's markup for a host page to hold, so that
//! the form shows and takes typing while the wasm is still on its way.
//!
//! A `<setter-contact-form>` may hold it as a declarative shadow root, which
//! the browser attaches while parsing the page, before any script runs:
//!
//! ```html
//! <setter-contact-form endpoint="/api/contacts"><template shadowrootmode="open">…</template></setter-contact-form>
//! ```
//!
//! Its buttons are disabled, and its status says it is loading. When the
//! widget mounts, it takes over (the widget's `element` module): what was typed moves into the
//! live form, focus and caret with it, and the pre-rendered form goes. The
//! markup comes from the same `markup::form` as the live form's and the styles
//! are the same, so the two look the same. Until then its label and hints stay
//! those of the default identifier kind, whatever kind is picked. The copies in
//! this repository's pages (and `www/setter-contact-form.html`, the one hosts
//! copy) are kept current by `tests/prerendered.rs`.
//!
//! The styles are inline, a `<style>` in the template: a linked stylesheet
//! inside the body holds the browser's parser until it has arrived, which
//! cost some 50 ms here (`scripts/bench/tti`). A page whose Content Security
//! Policy restricts styles allows this one by its hash, as
//! contact-proxy's own policy does ([`STYLE`] is what is hashed).

use super::css::CSS;
use super::markup::{self, Stage};
use super::vocabulary::{CONTAINER_CLASS, FORM_CLASS, PRERENDERED_MARK};

/// The `<template shadowrootmode="open">` to place inside a
/// `<setter-contact-form>` element, on one line.
pub fn template() -> String {
    let form = markup::form(Stage::Prerendered);
    format!(
        "<template shadowrootmode=\"open\"><style>{CSS}</style>\
         <div class=\"{CONTAINER_CLASS}\" {PRERENDERED_MARK}><form class=\"{FORM_CLASS}\" novalidate>{form}</form></div></template>"
    )
}

/// The text of the pre-rendered form's one `<style>`, whose hash a Content
/// Security Policy names to allow it (contact-proxy's does).
pub const STYLE: &str = CSS;
