//! Update Setter AI contacts from internal admin dashboards, safely.
//!
//! Data flows one way: browser → `widget` → [`proxy`] → Setter (or the
//! [`sandbox`] stand-in). Both ends lean on [`contract`], which leans on
//! nothing; the widget's plain half, [`ui`], leans on the contract only. See
//! ARCHITECTURE.md for the map and the invariants.
//!
//! What exists on which target is decided here, and only here: `contract` and
//! `ui` everywhere, `widget` on wasm32, `proxy` and `sandbox` natively.

pub mod contract;
pub mod ui;

#[cfg(not(target_arch = "wasm32"))]
pub mod proxy;
#[cfg(not(target_arch = "wasm32"))]
pub mod sandbox;

#[cfg(target_arch = "wasm32")]
pub mod widget;
