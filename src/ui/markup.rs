//! The contact form's markup, written as HTML text from plain data and parsed
//! by the browser in one go.
//!
//! Why text and not a `view!` tree: tachys compiles every element of a typed
//! view into build, mount and unmount code of its own, and the form's some
//! sixty elements were most of the widget's wasm (and of the code the browser
//! compiled while mounting it). The structure never changes after mount; what
//! does (values, problems, announcements, the preview, the metadata rows) is
//! applied by the widget's render effect. Every input of the form, the
//! metadata rows' included, is written by the one [`input`] from an
//! [`InputSpec`]; every id, name and action comes from [`super::vocabulary`].
//!
//! Nothing typed by the operator is ever written here: values go into the
//! inputs' `value` property and sentences into `textContent`. What is written
//! is the widget's own text, ids, numbers, and time zone names from the
//! contract's table; [`Html::text`] escapes all of it anyway.

use super::draft::{Draft, IdentifierKind};
use super::html::Html;
use super::vocabulary::{
    ACTION_ATTRIBUTE, Action, Input, KIND_NAME, Part, ROW_ATTRIBUTE, ZONE_ATTRIBUTE,
};
use crate::contract::Field;

/// One input with its label and its error text.
struct InputSpec<'a> {
    /// Which input: its id, error id and name follow from it.
    input: Input,
    label: &'a str,
    /// The label's id, when something else refers to it; may be empty.
    label_id: &'a str,
    /// Said only to screen readers after the label (" (row 2)"); may be empty.
    label_detail: &'a str,
    input_type: &'a str,
    autocomplete: &'a str,
    /// Writes `spellcheck='false'` (ids, names, keys, addresses).
    no_spellcheck: bool,
    /// The id of a `<datalist>` to suggest from; may be empty.
    list: &'a str,
    /// `inputmode` and `placeholder`; may be empty.
    input_mode: &'a str,
    placeholder: &'a str,
    required: bool,
}

impl InputSpec<'_> {
    /// A text input with nothing special about it.
    fn plain(input: Input, label: &str) -> InputSpec<'_> {
        InputSpec {
            input,
            label,
            label_id: "",
            label_detail: "",
            input_type: "text",
            autocomplete: "off",
            no_spellcheck: true,
            list: "",
            input_mode: "",
            placeholder: "",
            required: false,
        }
    }
}

/// The `<label>`, the `<input>` and its (hidden, empty) error text.
fn input(h: &mut Html, spec: &InputSpec) {
    let id = spec.input.id();
    h.raw("<label").attribute("for", &id);
    if !spec.label_id.is_empty() {
        h.attribute("id", spec.label_id);
    }
    h.raw(">").text(spec.label);
    if !spec.label_detail.is_empty() {
        h.raw("<span class='scf-sr'>").text(spec.label_detail).raw("</span>");
    }
    h.raw("</label><input")
        .attribute("id", &id)
        .attribute("name", spec.input.name())
        .attribute("type", spec.input_type)
        .attribute("autocomplete", spec.autocomplete);
    if spec.no_spellcheck {
        h.attribute("spellcheck", "false");
    }
    for (name, value) in
        [("list", spec.list), ("inputmode", spec.input_mode), ("placeholder", spec.placeholder)]
    {
        if !value.is_empty() {
            h.attribute(name, value);
        }
    }
    if let Input::RowKey(row) | Input::RowValue(row) = spec.input {
        h.attribute(ROW_ATTRIBUTE, &row.to_string());
    }
    h.flag("required", spec.required)
        .raw("><p class='scf-error'")
        .attribute("id", &spec.input.error_id())
        .raw(" hidden></p>");
}

/// What a pre-rendered form says beside its submit button until the widget
/// takes over (and for good, if the widget's files never arrive).
pub const PRERENDERED_STATUS: &str = "Loading the form…";

/// Whether a form is the widget's own or written into a host page beforehand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Mounted by the widget, which hears every input and button.
    Live,
    /// Written into a host page to take typing before the wasm has arrived
    /// ([`super::prerender`]): its buttons are disabled, and its status says
    /// [`PRERENDERED_STATUS`].
    Prerendered,
}

/// The `type` and `autocomplete` of a text change's input.
fn input_kind(field: Field) -> (&'static str, &'static str) {
    match field {
        Field::Email => ("email", "email"),
        Field::PhoneNumber => ("tel", "tel"),
        Field::FirstName => ("text", "given-name"),
        Field::LastName => ("text", "family-name"),
        Field::FullName => ("text", "name"),
        _ => ("text", "off"),
    }
}

/// The whole form but its metadata rows (see [`rows`]).
pub fn form(stage: Stage) -> String {
    let mut h = Html::with_capacity(6 * 1024);
    h.raw(
        "<fieldset class='scf-group'><legend>Which contact</legend>\
         <div class='scf-row scf-row--identifier'><div class='scf-field scf-field--kind'>",
    )
    .raw("<label")
    .attribute("for", Part::Kind.id())
    .raw(">Find by</label><select")
    .attribute("id", Part::Kind.id())
    .attribute("name", KIND_NAME)
    .raw(">");
    for kind in IdentifierKind::ALL {
        h.raw("<option").attribute("value", kind.as_str()).raw(">").text(kind.label());
        h.raw("</option>");
    }
    h.raw("</select></div><div class='scf-field scf-field--grow'>");
    // The label, `inputmode` and `placeholder` follow the kind (render).
    let kind = IdentifierKind::default();
    input(
        &mut h,
        &InputSpec {
            label_id: Part::IdentifierLabel.id(),
            input_mode: kind.input_mode(),
            placeholder: kind.example(),
            required: true,
            ..InputSpec::plain(Input::Identifier, kind.label())
        },
    );
    h.raw(
        "</div></div></fieldset>\
         <fieldset class='scf-group'><legend>What to change</legend>\
         <p class='scf-hint'>Leave a field empty to keep its current value.</p>\
         <div class='scf-grid'>",
    );
    for field in Field::TEXT_CHANGES {
        let zone = field == Field::DefaultTimeZone;
        let (input_type, autocomplete) = input_kind(field);
        h.raw(if zone {
            "<div class='scf-field scf-field--wide'>"
        } else {
            "<div class='scf-field'>"
        });
        input(
            &mut h,
            &InputSpec {
                input_type,
                autocomplete,
                list: if zone { Part::Zones.id() } else { "" },
                ..InputSpec::plain(Input::Text(field), field.label())
            },
        );
        if zone {
            // Filled on first focus (the widget's zone picker); the chips
            // are rendered into the box after it.
            h.raw("<datalist").attribute("id", Part::Zones.id()).raw("></datalist>");
            h.raw("<div class='scf-suggestions'").attribute("id", Part::ZoneChips.id());
            h.raw("></div>");
        }
        h.raw("</div>");
    }
    // Until the widget is live, its buttons would do nothing, and a submit
    // would send the form to the page's own URL: they wait, disabled, and the
    // status beside the submit button says why.
    let prerendered = stage == Stage::Prerendered;
    h.raw("</div><div class='scf-metadata' role='group'")
        .attribute("id", Part::Metadata.id())
        .attribute("aria-labelledby", Part::MetadataTitle.id())
        .raw("><h3 class='scf-subtitle'")
        .attribute("id", Part::MetadataTitle.id())
        .raw(">Metadata</h3><div class='scf-rows'")
        .attribute("id", Part::Rows.id())
        .raw("></div><p class='scf-error'")
        .attribute("id", Part::MetadataError.id())
        .raw(" hidden></p><button type='button' class='scf-secondary'")
        .attribute(ACTION_ATTRIBUTE, Action::AddRow.as_str())
        .attribute("id", Part::AddRow.id())
        .flag("disabled", prerendered)
        .raw(">Add metadata field</button></div></fieldset><p class='scf-unplaced'")
        .attribute("id", Part::Unplaced.id())
        .raw(" hidden></p><div class='scf-actions'><button type='submit' class='scf-submit'")
        .attribute("id", Part::Submit.id())
        .flag("disabled", prerendered);
    if prerendered {
        h.attribute("aria-describedby", Part::Status.id());
    }
    h.raw("><span class='scf-spinner' aria-hidden='true'")
        .attribute("id", Part::Spinner.id())
        .raw(" hidden></span>Update contact</button><p role='status' class='scf-status'")
        .attribute("id", Part::Status.id())
        .raw(">")
        .text(if prerendered { PRERENDERED_STATUS } else { "" })
        .raw("</p></div><p role='alert' class='scf-alert'")
        .attribute("id", Part::Alert.id())
        .raw(
            "></p><details class='scf-preview' open><summary>Request preview</summary>\
             <pre aria-label='Request preview'><code",
        )
        .attribute("id", Part::Request.id())
        .raw(">");
    // The live form's preview is rendered; a pre-rendered one shows the
    // empty form's, as the live form will.
    if prerendered {
        h.text(&Draft::default().check().body());
    }
    h.raw("</code></pre></details>");
    // The audit trail's last changes of the contact named above: hidden until
    // there is one to name (the widget fills it).
    h.raw("<section class='scf-history'")
        .attribute("id", Part::History.id())
        .attribute("aria-labelledby", Part::HistoryTitle.id())
        .raw(" hidden><h3 class='scf-subtitle'")
        .attribute("id", Part::HistoryTitle.id())
        .raw(">Recent changes</h3><p class='scf-hint'")
        .attribute("id", Part::HistoryState.id())
        .raw(" hidden></p><ol class='scf-history-list'")
        .attribute("id", Part::HistoryList.id())
        .raw("></ol></section>");
    h.finish()
}

/// The metadata rows, in display order: a key and a value input each and a
/// remove button, numbered from 1 for screen readers.
pub fn rows(row_ids: &[u32]) -> String {
    let mut h = Html::with_capacity(512 * row_ids.len());
    for (index, &row) in row_ids.iter().enumerate() {
        let detail = format!(" (row {})", index + 1);
        h.raw("<div class='scf-row scf-row--metadata'>");
        for (input_of_row, label, no_spellcheck) in
            [(Input::RowKey(row), "Key", true), (Input::RowValue(row), "Value", false)]
        {
            h.raw("<div class='scf-field scf-field--grow'>");
            input(
                &mut h,
                &InputSpec {
                    label_detail: &detail,
                    no_spellcheck,
                    ..InputSpec::plain(input_of_row, label)
                },
            );
            h.raw("</div>");
        }
        h.raw("<button type='button' class='scf-remove'")
            .attribute(ACTION_ATTRIBUTE, Action::RemoveRow.as_str())
            .attribute(ROW_ATTRIBUTE, &row.to_string())
            .attribute("aria-label", &format!("Remove metadata row {}", index + 1))
            .raw(">Remove</button></div>");
    }
    h.finish()
}

/// The time zone chips: buttons that put their zone into the input, from
/// (label, zone) pairs.
pub fn chips(offers: &[(String, String)]) -> String {
    let mut h = Html::default();
    for (label, zone) in offers {
        h.raw("<button type='button' class='scf-chip'")
            .attribute(ACTION_ATTRIBUTE, Action::PickZone.as_str())
            .attribute(ZONE_ATTRIBUTE, zone)
            .raw(">")
            .text(label)
            .raw("</button>");
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values of `attribute` in `html`, in order.
    fn values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
        let needle = format!(" {attribute}='");
        html.split(&needle).skip(1).map(|rest| &rest[..rest.find('\'').unwrap()]).collect()
    }

    #[test]
    fn every_part_and_every_input_is_written_with_its_id() {
        let html = form(Stage::Live);
        let ids = values(&html, "id");
        for part in Part::ALL {
            assert!(ids.contains(&part.id()), "{part:?} has no element");
        }
        for input in [Input::Identifier].into_iter().chain(Input::TEXTS) {
            assert!(ids.contains(&input.id().as_str()), "{input:?}");
            assert!(ids.contains(&input.error_id().as_str()), "{input:?}'s error");
        }
        let rows = rows(&[4, 9]);
        let row_ids = values(&rows, "id");
        for input in [Input::RowKey(4), Input::RowValue(4), Input::RowKey(9), Input::RowValue(9)] {
            assert!(row_ids.contains(&input.id().as_str()), "{input:?}");
        }
    }

    #[test]
    fn every_label_points_at_an_element_of_the_form() {
        let html = form(Stage::Prerendered);
        let ids = values(&html, "id");
        for target in values(&html, "for").into_iter().chain(values(&html, "aria-labelledby")) {
            assert!(ids.contains(&target), "nothing has the id {target}");
        }
    }

    #[test]
    fn actions_are_written_as_the_listener_reads_them() {
        let pages = [form(Stage::Live), rows(&[1]), chips(&[("Use UTC".into(), "UTC".into())])];
        let written: Vec<Option<Action>> = pages
            .iter()
            .flat_map(|html| values(html, ACTION_ATTRIBUTE))
            .map(Action::from_name)
            .collect();
        assert_eq!(
            written,
            [Some(Action::AddRow), Some(Action::RemoveRow), Some(Action::PickZone)]
        );
    }
}
