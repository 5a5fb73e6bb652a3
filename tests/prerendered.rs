//! Every copy of the pre-rendered form in this repository is the one the widget
//! writes today (`ui::prerender::template`).
//!
//! Host pages hold the form's markup so that it takes typing before the wasm
//! arrives; a copy left behind by a change to the form would show a form that
//! is not quite the live one. Like rust-analyzer's generated-code tests, a stale
//! copy is rewritten in place and the test fails, so that the change is seen
//! and committed.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use setter_contacts::proxy::prerendered_style_hash;
use setter_contacts::ui::prerender;

const OPEN: &str = "<setter-contact-form";
const CLOSE: &str = "</setter-contact-form>";

/// The file hosts copy the template from, as it should read.
fn fragment() -> String {
    format!(
        "<!-- The pre-rendered form: place this template inside a <setter-contact-form>\n     \
         element, and the form shows and takes typing before the widget has loaded.\n     \
         Its buttons wait for the widget, which takes over what was typed.\n     \
         A page whose Content-Security-Policy limits styles allows its <style> with\n     \
         style-src {}\n     \
         Generated from src/ui/markup.rs by tests/prerendered.rs: do not edit. -->\n{}\n",
        prerendered_style_hash(),
        prerender::template()
    )
}

/// `page` with every pre-rendered `<setter-contact-form>` holding `template`,
/// and how many elements hold one. Empty elements stay empty: they show the
/// form once the widget mounts.
fn with_current_template(page: &str, template: &str) -> (String, usize) {
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    let mut prerendered = 0;
    while let Some(start) = rest.find(OPEN) {
        let tag_end = start + rest[start..].find('>').expect("the element's start tag ends") + 1;
        let close = tag_end + rest[tag_end..].find(CLOSE).expect("the element is closed");
        out.push_str(&rest[..tag_end]);
        if !rest[tag_end..close].trim().is_empty() {
            out.push_str(template);
            prerendered += 1;
        }
        out.push_str(CLOSE);
        rest = &rest[close + CLOSE.len()..];
    }
    out.push_str(rest);
    (out, prerendered)
}

fn path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Writes `contents` over `relative` if it differs; says whether it did.
fn ensure_contents(relative: &str, contents: &str) -> bool {
    let file = path(relative);
    let now = std::fs::read_to_string(&file).unwrap_or_default();
    if now == contents {
        return false;
    }
    std::fs::write(&file, contents).unwrap_or_else(|err| panic!("cannot write {relative}: {err}"));
    true
}

#[test]
fn every_copy_of_the_prerendered_form_is_current() {
    let template = prerender::template();
    let mut stale = Vec::new();
    if ensure_contents("www/setter-contact-form.html", &fragment()) {
        stale.push("www/setter-contact-form.html");
    }
    // Each page and how many of its forms are pre-rendered.
    for (page, expected) in
        [("www/index.html", 1), ("www/two-forms.html", 1), ("scripts/bench/widget-form.html", 1)]
    {
        let text = std::fs::read_to_string(path(page)).unwrap();
        let (current, prerendered) = with_current_template(&text, &template);
        assert_eq!(prerendered, expected, "pre-rendered forms in {page}");
        if ensure_contents(page, &current) {
            stale.push(page);
        }
    }
    assert!(
        stale.is_empty(),
        "the pre-rendered form was out of date in {stale:?}; they have been rewritten: review and commit them"
    );
}

#[test]
fn the_template_is_one_declarative_shadow_root_with_every_field() {
    let template = prerender::template();
    assert!(template.starts_with("<template shadowrootmode=\"open\">"), "{template}");
    assert!(template.ends_with("</template>"));
    assert_eq!(template.matches("<template").count(), 1);
    assert!(!template.contains('\n'), "one line, so a page's copy is easy to replace");
    // Styled from the first paint, with no request the parser would wait for.
    assert_eq!(template.matches("<style>").count(), 1);
    assert!(!template.contains("<link"));
    // ASCII, so that its CSP hash holds whatever encoding the page is read in,
    // and nothing in it that could end the <style> early.
    let style = &template[template.find("<style>").unwrap()..template.find("</style>").unwrap()];
    assert!(style.is_ascii(), "non-ASCII in the styles: escape it (\\26A0)");
    assert!(!style.contains("</"));
    for name in [
        "identifierKind",
        "identifier",
        "firstName",
        "lastName",
        "fullName",
        "phoneNumber",
        "email",
        "defaultTimeZone",
    ] {
        assert_eq!(
            template.matches(&format!("name='{name}'")).count(),
            1,
            "one input named {name}"
        );
    }
    // Nothing in it works before the widget does: its buttons wait, disabled.
    assert_eq!(template.matches("<button").count(), 2);
    assert_eq!(template.matches(" disabled").count(), 2);
    assert!(template.contains("aria-describedby='status'>"), "the submit button says why it waits");
}

#[test]
fn only_elements_that_hold_a_form_get_the_template() {
    let page = "<p><setter-contact-form endpoint=\"/a\"></setter-contact-form>\n\
                <setter-contact-form id=\"b\">old</setter-contact-form></p>";
    let (current, prerendered) = with_current_template(page, "NEW");
    assert_eq!(prerendered, 1);
    assert_eq!(
        current,
        "<p><setter-contact-form endpoint=\"/a\"></setter-contact-form>\n\
         <setter-contact-form id=\"b\">NEW</setter-contact-form></p>"
    );
}

#[test]
fn the_style_hash_is_the_csp_hash_of_the_templates_style() {
    let template = prerender::template();
    let style = &template
        [template.find("<style>").unwrap() + "<style>".len()..template.find("</style>").unwrap()];
    // CSP hashes the element's text as it is in the page: SHA-256, base64.
    let digest = ring::digest::digest(&ring::digest::SHA256, style.as_bytes());
    use base64::Engine;
    let expected = format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest));
    assert_eq!(prerendered_style_hash(), expected);
    assert_eq!(expected.len(), "'sha256-'".len() + 44);
}
