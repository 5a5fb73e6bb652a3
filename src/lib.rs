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

#[cfg(target_arch = "wasm32")]
pub mod widget;
