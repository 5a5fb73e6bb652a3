//! The widget in a real browser (headless Chromium through chromedriver):
//!
//! ```sh
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test widget
//! ```
//!
//! Each test mounts a form into a fresh element with a stub transport that
//! records what would have been sent and answers from a script, then drives it
//! the way a person would: typing (value + `input` event), leaving an input
//! (`blur`), clicking buttons. Expected sentences of the contract are taken
//! from the contract itself, so these tests check that the widget shows what
//! the contract says, not a copy of it.
#![cfg(target_arch = "wasm32")]

mod fixtures;

mod embedding;
mod history;
mod import;
mod in_flight;
mod outcomes;
mod prerendered;
mod rendering;
mod request;
mod validation;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
