//! Update Setter AI contacts from internal admin dashboards, safely.
//!
//! Data flows one way: browser → [`widget`] → [`proxy`] → Setter (or the
//! [`sandbox`] stand-in). Both ends lean on [`contract`], which leans on nothing.
//! See ARCHITECTURE.md for the map and the invariants.

pub mod contract;

#[cfg(not(target_arch = "wasm32"))]
pub mod proxy;
#[cfg(not(target_arch = "wasm32"))]
pub mod sandbox;

// The browser half on wasm32 only; its markup everywhere, so that the native
// side writes the pre-rendered form from the same code (widget::prerender).
pub mod widget;
