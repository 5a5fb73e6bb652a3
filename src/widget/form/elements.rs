//! The form's elements, looked up once when the form is wired.
//!
//! Every id comes from [`crate::ui::vocabulary`], as the markup wrote it; an
//! element that is not there is a mount error that names it, not a render
//! that silently does nothing. The metadata rows' inputs come and go, so they
//! are looked up each time the rows are written anew ([`RowElements`]).

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

use crate::ui::draft::TEXTS;
use crate::ui::vocabulary::{Input, Part};
use crate::widget::dom::by_id;
use crate::widget::mount::MountError;

/// An input and its error text.
pub(super) struct InputElements {
    pub input: HtmlInputElement,
    pub error: Element,
}

impl InputElements {
    fn find(form: &Element, input: Input) -> Option<InputElements> {
        Some(InputElements {
            input: by_id(form, &input.id())?.dyn_into().ok()?,
            error: by_id(form, &input.error_id())?,
        })
    }
}

/// The elements of one form that rendering writes to.
pub(super) struct Elements {
    pub form: Element,
    pub identifier: InputElements,
    pub identifier_label: Element,
    /// One per [`Input::TEXTS`], in the same order.
    pub texts: [InputElements; TEXTS],
    pub zone_chips: Element,
    pub metadata: Element,
    pub metadata_error: Element,
    pub rows: Element,
    pub unplaced: Element,
    pub submit: Element,
    pub spinner: Element,
    pub status: Element,
    pub alert: Element,
    pub request: Element,
    pub history: Element,
    pub history_state: Element,
    pub history_list: Element,
}

impl Elements {
    /// Finds every element of `form`, or says which one is missing.
    pub fn find(form: &Element) -> Result<Elements, MountError> {
        let missing = |id: String| MountError::MissingElement(id);
        let input =
            |input: Input| InputElements::find(form, input).ok_or_else(|| missing(input.id()));
        let part = |part: Part| by_id(form, part.id()).ok_or_else(|| missing(part.id().to_owned()));
        let mut texts = Vec::with_capacity(TEXTS);
        for text in Input::TEXTS {
            texts.push(input(text)?);
        }
        Ok(Elements {
            form: form.clone(),
            identifier: input(Input::Identifier)?,
            identifier_label: part(Part::IdentifierLabel)?,
            texts: texts.try_into().unwrap_or_else(|_| unreachable!("one per text input")),
            zone_chips: part(Part::ZoneChips)?,
            metadata: part(Part::Metadata)?,
            metadata_error: part(Part::MetadataError)?,
            rows: part(Part::Rows)?,
            unplaced: part(Part::Unplaced)?,
            submit: part(Part::Submit)?,
            spinner: part(Part::Spinner)?,
            status: part(Part::Status)?,
            alert: part(Part::Alert)?,
            request: part(Part::Request)?,
            history: part(Part::History)?,
            history_state: part(Part::HistoryState)?,
            history_list: part(Part::HistoryList)?,
        })
    }
}

/// The inputs of one metadata row.
pub(super) struct RowElements {
    pub id: u32,
    pub key: InputElements,
    pub value: InputElements,
}

impl RowElements {
    /// The inputs of the row with `id`, just written into `form`.
    pub fn find(form: &Element, id: u32) -> Option<RowElements> {
        Some(RowElements {
            id,
            key: InputElements::find(form, Input::RowKey(id))?,
            value: InputElements::find(form, Input::RowValue(id))?,
        })
    }
}
