//! The widget's plain half: everything about its forms that needs no browser.
//!
//! Compiled on both targets, with no `cfg` inside: the widget (wasm32) renders
//! from it, the proxy (native) writes the pre-rendered form's CSP hash from its
//! styles, and all of it is unit-tested natively.
//!
//! - [`vocabulary`]: every id, name, action and hook the markup writes and the
//!   widget reads, as types, so that a typo does not compile.
//! - [`draft`]: what was typed → the contract's verdict, and on which input each
//!   problem lands.
//! - [`outcome`]: every answer of the proxy (and every failure to get one) →
//!   the sentence the operator reads.
//! - [`history`]: the "Recent changes" panel: the audit trail's entries for
//!   the contact being edited.
//! - [`markup`], [`css`]: the form's HTML, written once from data with
//!   [`html`], and its styles.
//! - [`prerender`]: the form for a host page to hold before the widget loads.
//!
//! Inside, too, the arrows point one way: `vocabulary` ← `draft` ← `outcome`,
//! and `markup` ← `prerender`, which lean on those and on `html` and `css`.

pub mod css;
pub mod csv;
pub mod draft;
pub mod history;
pub mod html;
pub mod import;
pub mod markup;
pub mod outcome;
pub mod prerender;
pub mod vocabulary;
