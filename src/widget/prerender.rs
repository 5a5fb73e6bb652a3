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
//! widget mounts, it takes over (see `element`): what was typed moves into the
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
//! Policy restricts styles allows this one by its hash, `style_hash`, as
//! contact-proxy's own policy does.

use super::Ids;
use super::css::CSS;
use super::markup::{self, CONTAINER_CLASS, FORM_CLASS, Stage};

/// The attribute that marks a pre-rendered form's container; the element's
/// snippet looks for it (`takePrerendered`).
const MARK: &str = "data-prerendered";

/// The `<template shadowrootmode="open">` to place inside a
/// `<setter-contact-form>` element, on one line.
pub fn template() -> String {
    let form = markup::form(&Ids::prerendered(), Stage::Prerendered);
    format!(
        "<template shadowrootmode=\"open\"><style>{CSS}</style>\
         <div class=\"{CONTAINER_CLASS}\" {MARK}><form class=\"{FORM_CLASS}\" novalidate>{form}</form></div></template>"
    )
}

/// The pre-rendered form's `<style>` as a CSP source: `'sha256-…'`, for a
/// policy's `style-src`.
#[cfg(not(target_arch = "wasm32"))]
pub fn style_hash() -> String {
    use base64::Engine;
    let digest = ring::digest::digest(&ring::digest::SHA256, CSS.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}
