//! The metadata rows: a key and a value each, added and removed at will.
//!
//! A row with neither key nor value is a spare row and is not sent. Problems
//! land on the row they belong to: a key the contract rejects or that an
//! earlier row already uses on the key input, a value that is too long on the
//! value input. The rows' markup is `ui::markup::rows`; the render effect
//! writes it anew when a row is added or removed (typing does not change the
//! list), and the values live in the rows' signals, not the DOM.

use leptos::prelude::*;

use crate::contract::{ErrorKey, Field};
use crate::ui::draft::DraftRow;

/// One metadata row. `id` is stable for the life of the row (ids and focus
/// follow it), whatever rows are added or removed around it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Row {
    pub id: u32,
    pub key: RwSignal<String>,
    pub value: RwSignal<String>,
}

impl Row {
    /// A new, empty row.
    pub fn new(id: u32) -> Row {
        Row { id, key: RwSignal::new(String::new()), value: RwSignal::new(String::new()) }
    }

    /// The key and value as typed (tracked).
    pub fn get(&self) -> DraftRow {
        DraftRow { id: self.id, key: self.key.get(), value: self.value.get() }
    }

    /// The names of the proxy's problems an edit of this row makes stale: its
    /// key's (as it is before the edit) and the metadata's as a whole.
    pub fn edited_names(&self) -> [String; 2] {
        let key = self.key.get_untracked();
        [ErrorKey::MetadataEntry(&key).name(), ErrorKey::Field(Field::Metadata).name()]
    }

    /// Frees the row's signals: it has left the form.
    pub fn dispose(self) {
        self.key.dispose();
        self.value.dispose();
    }
}
