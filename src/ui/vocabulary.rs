//! The one vocabulary of the contact form: every element id, input name,
//! action and attribute that [`super::markup`] writes and the widget reads
//! back, as types.
//!
//! The form lives in a shadow root of its own (the live form and a
//! pre-rendered one alike), so its ids need to be unique within the form only:
//! they are plain names (`firstName`, `status`), the same in every instance.

use crate::contract::Field;

/// The class of the element that holds a form, the shadow root's one child
/// (the live form's and the pre-rendered one's alike).
pub const CONTAINER_CLASS: &str = "scf";
/// The class of the `<form>` itself, which is `novalidate`: the contract's
/// checks stand in for the browser's.
pub const FORM_CLASS: &str = "scf-form";
/// The attribute that marks a pre-rendered form's container; the element's
/// snippet looks for it (`takePrerendered`).
pub const PRERENDERED_MARK: &str = "data-prerendered";

/// The attribute of a button saying what it does ([`Action`]).
pub const ACTION_ATTRIBUTE: &str = "data-action";
/// The attribute of a metadata row's inputs and button: the row's id.
pub const ROW_ATTRIBUTE: &str = "data-row";
/// The attribute of a time zone chip: the zone it picks.
pub const ZONE_ATTRIBUTE: &str = "data-zone";

/// An input the operator types into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Input {
    /// The identifier's value; its kind is the [`Part::Kind`] select's.
    Identifier,
    /// The input of one text change (one of [`Field::TEXT_CHANGES`]).
    Text(Field),
    /// The key of the metadata row with this id.
    RowKey(u32),
    /// The value of the metadata row with this id.
    RowValue(u32),
}

impl Input {
    /// The text inputs, in form order.
    pub const TEXTS: [Input; Field::TEXT_CHANGE_COUNT] = {
        let mut inputs = [Input::Identifier; Field::TEXT_CHANGE_COUNT];
        let mut i = 0;
        while i < inputs.len() {
            inputs[i] = Input::Text(Field::TEXT_CHANGES[i]);
            i += 1;
        }
        inputs
    };

    /// The element id: `identifier`, the field's name, `row3-key`, `row3-value`.
    pub fn id(self) -> String {
        match self {
            Input::Identifier => "identifier".to_owned(),
            Input::Text(field) => field.as_str().to_owned(),
            Input::RowKey(row) => format!("row{row}-key"),
            Input::RowValue(row) => format!("row{row}-value"),
        }
    }

    /// The id of the input's error text.
    pub fn error_id(self) -> String {
        format!("{}-error", self.id())
    }

    /// The `name`: what a pre-rendered form's takeover goes by, and what the
    /// listener reads (with the row, [`ROW_ATTRIBUTE`]).
    pub const fn name(self) -> &'static str {
        match self {
            Input::Identifier => "identifier",
            Input::Text(field) => field.as_str(),
            Input::RowKey(_) => "metadataKey",
            Input::RowValue(_) => "metadataValue",
        }
    }

    /// The input with this `name` (and, for a metadata row's, this row).
    pub fn from_name(name: &str, row: Option<u32>) -> Option<Input> {
        match (name, row) {
            ("metadataKey", Some(row)) => Some(Input::RowKey(row)),
            ("metadataValue", Some(row)) => Some(Input::RowValue(row)),
            (name, None) if name == Input::Identifier.name() => Some(Input::Identifier),
            (name, None) => Input::TEXTS.into_iter().find(|input| input.name() == name),
            _ => None,
        }
    }

    /// What leaving this input marks as left: the input, or its whole row.
    pub const fn touch(self) -> Touch {
        match self {
            Input::Identifier => Touch::Identifier,
            Input::Text(field) => Touch::Text(field),
            Input::RowKey(row) | Input::RowValue(row) => Touch::Row(row),
        }
    }
}

/// What the form remembers as left by the operator (so that its problems
/// show): an input, or a metadata row as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Touch {
    Identifier,
    Text(Field),
    Row(u32),
}

/// The name of the identifier kind's `<select>`.
pub const KIND_NAME: &str = "identifierKind";

/// The form's other elements that the widget reads or writes, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The identifier kind's `<select>`.
    Kind,
    /// The identifier input's `<label>`, which follows the kind.
    IdentifierLabel,
    /// The time zones' `<datalist>`, filled on the input's first focus.
    Zones,
    /// Where the time zone chips go.
    ZoneChips,
    /// The metadata group (`role=group`), described by its error when it has one.
    Metadata,
    /// The metadata group's title.
    MetadataTitle,
    /// The metadata group's error text (too many keys).
    MetadataError,
    /// The container of the metadata rows.
    Rows,
    /// The "Add metadata field" button.
    AddRow,
    /// Problems with no input to land on.
    Unplaced,
    /// The submit button, and its spinner.
    Submit,
    Spinner,
    /// The live regions: progress and success, failures.
    Status,
    Alert,
    /// The request preview's `<code>`.
    Request,
    /// The "Recent changes" panel, its title, its sentence and its list.
    History,
    HistoryTitle,
    HistoryState,
    HistoryList,
}

impl Part {
    /// Every part, in the order the form shows them.
    pub const ALL: [Part; 19] = [
        Part::Kind,
        Part::IdentifierLabel,
        Part::Zones,
        Part::ZoneChips,
        Part::Metadata,
        Part::MetadataTitle,
        Part::MetadataError,
        Part::Rows,
        Part::AddRow,
        Part::Unplaced,
        Part::Submit,
        Part::Spinner,
        Part::Status,
        Part::Alert,
        Part::Request,
        Part::History,
        Part::HistoryTitle,
        Part::HistoryState,
        Part::HistoryList,
    ];

    /// The element id.
    pub const fn id(self) -> &'static str {
        match self {
            Part::Kind => KIND_NAME,
            Part::IdentifierLabel => "identifier-label",
            Part::Zones => "zones",
            Part::ZoneChips => "zone-chips",
            Part::Metadata => "metadata",
            Part::MetadataTitle => "metadata-title",
            Part::MetadataError => "metadata-error",
            Part::Rows => "rows",
            Part::AddRow => "add-row",
            Part::Unplaced => "unplaced",
            Part::Submit => "submit",
            Part::Spinner => "spinner",
            Part::Status => "status",
            Part::Alert => "alert",
            Part::Request => "request",
            Part::History => "history",
            Part::HistoryTitle => "history-title",
            Part::HistoryState => "history-state",
            Part::HistoryList => "history-list",
        }
    }
}

/// What a button of the form does (its [`ACTION_ATTRIBUTE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    AddRow,
    RemoveRow,
    PickZone,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::AddRow, Action::RemoveRow, Action::PickZone];

    /// As the markup writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::AddRow => "add-row",
            Action::RemoveRow => "remove-row",
            Action::PickZone => "pick-zone",
        }
    }

    /// The action spelled `name`.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|action| action.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_is_found_again_by_its_name_and_row() {
        let inputs = [Input::Identifier, Input::RowKey(3), Input::RowValue(3)]
            .into_iter()
            .chain(Input::TEXTS);
        for input in inputs {
            let row = match input {
                Input::RowKey(row) | Input::RowValue(row) => Some(row),
                _ => None,
            };
            assert_eq!(Input::from_name(input.name(), row), Some(input), "{input:?}");
        }
        assert_eq!(Input::from_name("metadataKey", None), None, "a row's input names its row");
        assert_eq!(Input::from_name("firstName", Some(1)), None);
        assert_eq!(Input::from_name("nickname", None), None);
    }

    #[test]
    fn ids_are_unique_within_a_form() {
        let mut ids: Vec<String> = Input::TEXTS.into_iter().map(Input::id).collect();
        ids.extend([Input::Identifier, Input::RowKey(1), Input::RowValue(1)].map(Input::id));
        let errors: Vec<String> = ids.iter().map(|id| format!("{id}-error")).collect();
        ids.extend(errors);
        ids.extend(Part::ALL.map(|part| part.id().to_owned()));
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
    }

    #[test]
    fn actions_read_back_as_written() {
        for action in Action::ALL {
            assert_eq!(Action::from_name(action.as_str()), Some(action));
        }
        assert_eq!(Action::from_name("explode"), None);
    }
}
