//! The form's markup, written as HTML text from plain data and parsed by the
//! browser in one go.
//!
//! Why text and not a `view!` tree: tachys compiles every element of a typed
//! view into build, mount and unmount code of its own, and the form's some
//! sixty elements were most of the widget's wasm (and of the code the browser
//! compiled while mounting it). The structure never changes after mount; what
//! does (values, problems, announcements, the preview, the metadata rows) is
//! applied by [`super::render`]. Every input of the form, the metadata rows'
//! included, is written by the one [`Html::input`] from an [`InputSpec`].
//!
//! Nothing typed by the operator is ever written here: values go into the
//! inputs' `value` property and sentences into `textContent`. What is written
//! is the widget's own text, ids, numbers, and time zone names from the
//! contract's table; [`Html::text`] escapes all of it anyway.

use super::Ids;
use super::draft::{Draft, IdentifierKind, TEXT_FIELDS};
use crate::contract::Field;

/// One input with its label and its error text.
pub(super) struct InputSpec<'a> {
    /// The element id (unique on the page); the error text's is `{id}-error`.
    pub id: &'a str,
    /// The `name`: the API field name, `identifier`, `metadataKey` or `metadataValue`.
    pub name: &'a str,
    pub label: &'a str,
    /// Said only to screen readers after the label (" (row 2)"); may be empty.
    pub label_detail: &'a str,
    pub input_type: &'a str,
    pub autocomplete: &'a str,
    /// Writes `spellcheck='false'` (ids, names, keys, addresses).
    pub no_spellcheck: bool,
    /// The id of a `<datalist>` to suggest from; may be empty.
    pub list: &'a str,
    /// `inputmode` and `placeholder`; may be empty.
    pub input_mode: &'a str,
    pub placeholder: &'a str,
    pub required: bool,
    /// The metadata row the input belongs to, as `data-row`.
    pub row: Option<u32>,
}

/// HTML being written for one form.
struct Html<'a> {
    out: String,
    /// The form's id prefix, which `§` stands for in templates.
    prefix: &'a str,
}

impl Html<'_> {
    /// Appends `template`, HTML of the widget's own with single-quoted
    /// attributes, each `§` replaced by the form's id prefix.
    fn raw(&mut self, template: &str) -> &mut Self {
        let mut parts = template.split('§');
        if let Some(first) = parts.next() {
            self.out.push_str(first);
        }
        for part in parts {
            self.out.push_str(self.prefix);
            self.out.push_str(part);
        }
        self
    }

    /// Appends `text`, escaped to read as text in an element or an attribute.
    fn text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            match c {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                '"' => self.out.push_str("&quot;"),
                '\'' => self.out.push_str("&#39;"),
                c => self.out.push(c),
            }
        }
        self
    }

    /// ` name='value'`.
    fn attribute(&mut self, name: &str, value: &str) -> &mut Self {
        self.raw(" ").raw(name).raw("='").text(value).raw("'")
    }

    /// The `<label>`, the `<input>` and its (hidden, empty) error text.
    fn input(&mut self, spec: &InputSpec) -> &mut Self {
        self.raw("<label for='").text(spec.id).raw("'>").text(spec.label);
        if !spec.label_detail.is_empty() {
            self.raw("<span class='scf-sr'>").text(spec.label_detail).raw("</span>");
        }
        self.raw("</label><input")
            .attribute("id", spec.id)
            .attribute("name", spec.name)
            .attribute("type", spec.input_type)
            .attribute("autocomplete", spec.autocomplete);
        if spec.no_spellcheck {
            self.attribute("spellcheck", "false");
        }
        for (name, value) in
            [("list", spec.list), ("inputmode", spec.input_mode), ("placeholder", spec.placeholder)]
        {
            if !value.is_empty() {
                self.attribute(name, value);
            }
        }
        if let Some(row) = spec.row {
            self.attribute("data-row", &row.to_string());
        }
        if spec.required {
            self.raw(" required");
        }
        self.raw("><p class='scf-error' id='").text(spec.id).raw("-error' hidden></p>")
    }
}

fn html(ids: &Ids) -> Html<'_> {
    Html { out: String::with_capacity(4 * 1024), prefix: &ids.prefix }
}

/// The class of the element that holds a form, the shadow root's one child
/// (the live form's and the pre-rendered one's alike).
pub(super) const CONTAINER_CLASS: &str = "scf";
/// The class of the `<form>` itself, which is `novalidate`: the contract's
/// checks stand in for the browser's.
pub(super) const FORM_CLASS: &str = "scf-form";

/// What a pre-rendered form says beside its submit button until the widget
/// takes over (and for good, if the widget's files never arrive).
pub(super) const PRERENDERED_STATUS: &str = "Loading the form…";

/// Whether a form is the widget's own or written into a host page beforehand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stage {
    /// Mounted by the widget, which hears every input and button.
    Live,
    /// Written into a host page to take typing before the wasm has arrived
    /// ([`super::prerender`]): its buttons are disabled, and its status says
    /// [`PRERENDERED_STATUS`].
    Prerendered,
}

/// The whole form but its metadata rows (see [`rows`]).
pub(super) fn form(ids: &Ids, stage: Stage) -> String {
    let mut h = html(ids);
    h.raw(
        "<fieldset class='scf-group'><legend>Which contact</legend>\
         <div class='scf-row scf-row--identifier'><div class='scf-field scf-field--kind'>\
         <label for='§-identifierKind'>Find by</label>\
         <select id='§-identifierKind' name='identifierKind'>",
    );
    for kind in IdentifierKind::ALL {
        h.raw("<option value='").raw(kind.as_str()).raw("'>").text(kind.label()).raw("</option>");
    }
    h.raw("</select></div><div class='scf-field scf-field--grow'>")
        .input(&InputSpec {
            id: &ids.of("identifier"),
            name: "identifier",
            // The label, `inputmode` and `placeholder` follow the kind (render).
            label: IdentifierKind::default().label(),
            input_mode: IdentifierKind::default().input_mode(),
            placeholder: IdentifierKind::default().example(),
            label_detail: "",
            input_type: "text",
            autocomplete: "off",
            no_spellcheck: true,
            list: "",
            required: true,
            row: None,
        })
        .raw(
            "</div></div></fieldset>\
             <fieldset class='scf-group'><legend>What to change</legend>\
             <p class='scf-hint'>Leave a field empty to keep its current value.</p>\
             <div class='scf-grid'>",
        );
    let zones_id = ids.of("zones");
    for field in TEXT_FIELDS {
        let zone = field == Field::DefaultTimeZone;
        let (input_type, autocomplete) = match field {
            Field::Email => ("email", "email"),
            Field::PhoneNumber => ("tel", "tel"),
            Field::FirstName => ("text", "given-name"),
            Field::LastName => ("text", "family-name"),
            Field::FullName => ("text", "name"),
            _ => ("text", "off"),
        };
        h.raw(if zone {
            "<div class='scf-field scf-field--wide'>"
        } else {
            "<div class='scf-field'>"
        })
        .input(&InputSpec {
            id: &ids.of(field.as_str()),
            name: field.as_str(),
            label: field.label(),
            label_detail: "",
            input_type,
            autocomplete,
            no_spellcheck: true,
            list: if zone { &zones_id } else { "" },
            input_mode: "",
            placeholder: "",
            required: false,
            row: None,
        });
        if zone {
            // Filled on first focus (timezone_picker::offer_zones); the chips
            // are rendered into the suggestions box.
            h.raw("<datalist id='§-zones'></datalist><div class='scf-suggestions'></div>");
        }
        h.raw("</div>");
    }
    // Until the widget is live, its buttons would do nothing, and a submit
    // would send the form to the page's own URL: they wait, disabled, and the
    // status beside the submit button says why.
    let (disabled, submit_extra, status) = match stage {
        Stage::Live => ("", "", ""),
        Stage::Prerendered => {
            (" disabled", " disabled aria-describedby='§-status'", PRERENDERED_STATUS)
        }
    };
    h.raw(
        "</div>\
         <div class='scf-metadata' role='group' aria-labelledby='§-metadataTitle'>\
         <h3 class='scf-subtitle' id='§-metadataTitle'>Metadata</h3>\
         <div class='scf-rows'></div>\
         <p class='scf-error' id='§-addRow-error' hidden></p>\
         <button type='button' class='scf-secondary' data-action='add-row' id='§-addRow'",
    )
    .raw(disabled)
    .raw(
        ">Add metadata field</button></div></fieldset>\
         <p class='scf-unplaced' hidden></p>\
         <div class='scf-actions'><button type='submit' class='scf-submit'",
    )
    .raw(submit_extra)
    .raw(
        "><span class='scf-spinner' aria-hidden='true' hidden></span>Update contact</button>\
         <p role='status' class='scf-status' id='§-status'>",
    )
    .text(status)
    .raw(
        "</p></div>\
         <p role='alert' class='scf-alert' id='§-alert'></p>\
         <details class='scf-preview' open><summary>Request preview</summary>\
         <pre id='§-preview' aria-label='Request preview'><code>",
    );
    // The live form's preview is rendered; a pre-rendered one shows the
    // empty form's, as the live form will.
    if stage == Stage::Prerendered {
        h.text(&Draft::default().check().body());
    }
    h.raw("</code></pre></details>");
    h.out
}

/// The metadata rows, in display order: a key and a value input each and a
/// remove button, numbered from 1 for screen readers.
pub(super) fn rows(ids: &Ids, row_ids: &[u32]) -> String {
    let mut h = html(ids);
    for (index, &row) in row_ids.iter().enumerate() {
        let detail = format!(" (row {})", index + 1);
        h.raw("<div class='scf-row scf-row--metadata'>");
        for (id, name, label, no_spellcheck) in [
            (ids.row_key(row), "metadataKey", "Key", true),
            (ids.row_value(row), "metadataValue", "Value", false),
        ] {
            h.raw("<div class='scf-field scf-field--grow'>")
                .input(&InputSpec {
                    id: &id,
                    name,
                    label,
                    label_detail: &detail,
                    input_type: "text",
                    autocomplete: "off",
                    no_spellcheck,
                    list: "",
                    input_mode: "",
                    placeholder: "",
                    required: false,
                    row: Some(row),
                })
                .raw("</div>");
        }
        h.raw("<button type='button' class='scf-remove' data-action='remove-row'")
            .attribute("data-row", &row.to_string())
            .attribute("aria-label", &format!("Remove metadata row {}", index + 1))
            .raw(">Remove</button></div>");
    }
    h.out
}

/// The time zone chips: buttons that put `zone` into the input.
pub(super) fn chips(ids: &Ids, offers: &[(String, String)]) -> String {
    let mut h = html(ids);
    for (label, zone) in offers {
        h.raw("<button type='button' class='scf-chip' data-action='pick'")
            .attribute("data-zone", zone)
            .raw(">")
            .text(label)
            .raw("</button>");
    }
    h.out
}
