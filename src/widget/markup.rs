//! The form's markup, written as HTML text from plain data and parsed by the
//! browser in one go.
//!
//! Why text and not a `view!` tree: tachys compiles every element of a typed
//! view into build, mount and unmount code of its own, and the form's some
//! sixty elements were most of the widget's wasm (and of the code the browser
//! compiled while mounting it). The structure never changes after mount; what
//! does (values, problems, announcements, the preview, the metadata rows) is
//! applied by [`super::render`]. Every input of the form, the metadata rows'
//! included, is written by the one [`input`] function from an [`InputSpec`].
//!
//! Nothing typed by the operator is ever written here: values go into the
//! inputs' `value` property and sentences into `textContent`. What is written
//! is the widget's own text, numbers, and time zone names from the contract's
//! table; [`escape_into`] escapes all of it anyway.

use super::Ids;
use super::draft::{IdentifierKind, TEXT_FIELDS};
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
    /// Writes `spellcheck="false"` (ids, names, keys, addresses).
    pub no_spellcheck: bool,
    /// The id of a `<datalist>` to suggest from; may be empty.
    pub list: &'a str,
    pub required: bool,
    /// The metadata row the input belongs to, as `data-row`.
    pub row: Option<u32>,
}

/// The `<label>`, the `<input>` and its (hidden, empty) error text.
pub(super) fn input(out: &mut String, spec: &InputSpec) {
    out.push_str("<label for=\"");
    escape_into(out, spec.id);
    out.push_str("\">");
    escape_into(out, spec.label);
    if !spec.label_detail.is_empty() {
        out.push_str("<span class=\"scf-sr\">");
        escape_into(out, spec.label_detail);
        out.push_str("</span>");
    }
    out.push_str("</label><input id=\"");
    escape_into(out, spec.id);
    attribute(out, "name", spec.name);
    attribute(out, "type", spec.input_type);
    attribute(out, "autocomplete", spec.autocomplete);
    if spec.no_spellcheck {
        attribute(out, "spellcheck", "false");
    }
    if !spec.list.is_empty() {
        attribute(out, "list", spec.list);
    }
    if let Some(row) = spec.row {
        attribute(out, "data-row", &row.to_string());
    }
    out.push_str(if spec.required { "\" required>" } else { "\">" });
    out.push_str("<p class=\"scf-error\" id=\"");
    escape_into(out, spec.id);
    out.push_str("-error\" hidden></p>");
}

/// Closes the attribute before and opens `name="value`; the caller's next
/// write closes it.
fn attribute(out: &mut String, name: &str, value: &str) {
    out.push_str("\" ");
    out.push_str(name);
    out.push_str("=\"");
    escape_into(out, value);
}

/// The whole form but its metadata rows (see [`rows`]).
pub(super) fn form(ids: &Ids) -> String {
    let mut out = String::with_capacity(6 * 1024);
    let kind_id = ids.of("identifierKind");
    out.push_str("<fieldset class=\"scf-group\"><legend>Which contact</legend><div class=\"scf-row scf-row--identifier\"><div class=\"scf-field scf-field--kind\"><label for=\"");
    out.push_str(&kind_id);
    out.push_str("\">Find by</label><select id=\"");
    out.push_str(&kind_id);
    out.push_str("\" name=\"identifierKind\">");
    for kind in IdentifierKind::ALL {
        out.push_str("<option value=\"");
        out.push_str(kind.as_str());
        out.push_str("\">");
        escape_into(&mut out, kind.label());
        out.push_str("</option>");
    }
    out.push_str("</select></div><div class=\"scf-field scf-field--grow\">");
    input(
        &mut out,
        &InputSpec {
            id: &ids.of("identifier"),
            name: "identifier",
            // The label, `inputmode` and `placeholder` follow the kind (render).
            label: IdentifierKind::default().label(),
            label_detail: "",
            input_type: "text",
            autocomplete: "off",
            no_spellcheck: true,
            list: "",
            required: true,
            row: None,
        },
    );
    out.push_str("</div></div></fieldset><fieldset class=\"scf-group\"><legend>What to change</legend><p class=\"scf-hint\">Leave a field empty to keep its current value.</p><div class=\"scf-grid\">");
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
        out.push_str(if zone {
            "<div class=\"scf-field scf-field--wide\">"
        } else {
            "<div class=\"scf-field\">"
        });
        input(
            &mut out,
            &InputSpec {
                id: &ids.of(field.as_str()),
                name: field.as_str(),
                label: field.label(),
                label_detail: "",
                input_type,
                autocomplete,
                no_spellcheck: true,
                list: if zone { &zones_id } else { "" },
                required: false,
                row: None,
            },
        );
        if zone {
            // Filled on first focus (timezone_picker::offer_zones); the chips
            // are rendered into the suggestions box.
            out.push_str("<datalist id=\"");
            out.push_str(&zones_id);
            out.push_str("\"></datalist><div class=\"scf-suggestions\"></div>");
        }
        out.push_str("</div>");
    }
    let title_id = ids.of("metadataTitle");
    let add_id = ids.of("addRow");
    out.push_str("</div><div class=\"scf-metadata\" role=\"group\" aria-labelledby=\"");
    out.push_str(&title_id);
    out.push_str("\"><h3 class=\"scf-subtitle\" id=\"");
    out.push_str(&title_id);
    out.push_str("\">Metadata</h3><div class=\"scf-rows\"></div><p class=\"scf-error\" id=\"");
    out.push_str(&add_id);
    out.push_str("-error\" hidden></p><button type=\"button\" class=\"scf-secondary\" data-action=\"add-row\" id=\"");
    out.push_str(&add_id);
    out.push_str("\">Add metadata field</button></div></fieldset><p class=\"scf-unplaced\" hidden></p><div class=\"scf-actions\"><button type=\"submit\" class=\"scf-submit\"><span class=\"scf-spinner\" aria-hidden=\"true\" hidden></span>Update contact</button><p role=\"status\" class=\"scf-status\" id=\"");
    out.push_str(&ids.of("status"));
    out.push_str("\"></p></div><p role=\"alert\" class=\"scf-alert\" id=\"");
    out.push_str(&ids.of("alert"));
    out.push_str(
        "\"></p><details class=\"scf-preview\" open><summary>Request preview</summary><pre id=\"",
    );
    out.push_str(&ids.of("preview"));
    out.push_str("\" aria-label=\"Request preview\"><code></code></pre></details>");
    out
}

/// The metadata rows, in display order: a key and a value input each and a
/// remove button, numbered from 1 for screen readers.
pub(super) fn rows(ids: &Ids, row_ids: &[u32]) -> String {
    let mut out = String::new();
    for (index, &row) in row_ids.iter().enumerate() {
        let detail = format!(" (row {})", index + 1);
        out.push_str("<div class=\"scf-row scf-row--metadata\">");
        for (id, name, label, no_spellcheck) in [
            (ids.row_key(row), "metadataKey", "Key", true),
            (ids.row_value(row), "metadataValue", "Value", false),
        ] {
            out.push_str("<div class=\"scf-field scf-field--grow\">");
            input(
                &mut out,
                &InputSpec {
                    id: &id,
                    name,
                    label,
                    label_detail: &detail,
                    input_type: "text",
                    autocomplete: "off",
                    no_spellcheck,
                    list: "",
                    required: false,
                    row: Some(row),
                },
            );
            out.push_str("</div>");
        }
        out.push_str(
            "<button type=\"button\" class=\"scf-remove\" data-action=\"remove-row\" data-row=\"",
        );
        out.push_str(&row.to_string());
        out.push_str(&format!(
            "\" aria-label=\"Remove metadata row {}\">Remove</button></div>",
            index + 1
        ));
    }
    out
}

/// The time zone chips: buttons that put `zone` into the input.
pub(super) fn chips(offers: &[(String, String)]) -> String {
    let mut out = String::new();
    for (label, zone) in offers {
        out.push_str(
            "<button type=\"button\" class=\"scf-chip\" data-action=\"pick\" data-zone=\"",
        );
        escape_into(&mut out, zone);
        out.push_str("\">");
        escape_into(&mut out, label);
        out.push_str("</button>");
    }
    out
}

/// Appends `text` with the characters that HTML gives a meaning escaped, so
/// that it reads as text in an element or a quoted attribute.
pub(super) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}
