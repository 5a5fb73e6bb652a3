//! The pre-rendered form: typing before the widget loads, and the takeover.

use super::fixtures::*;

/// A fresh element holding the pre-rendered form, parsed as a page's parser
/// parses it: `setHTMLUnsafe` attaches declarative shadow roots.
fn prerendered_host() -> HtmlElement {
    let page = new_host();
    let set_html: js_sys::Function =
        Reflect::get(&page, &"setHTMLUnsafe".into()).unwrap().unchecked_into();
    let markup = format!("<div>{}</div>", prerender::template());
    set_html.call1(&page, &markup.into()).unwrap();
    let host: HtmlElement = page.first_element_child().unwrap().unchecked_into();
    page.replace_with_with_node_1(&host).unwrap();
    host
}

#[wasm_bindgen_test]
async fn the_prerendered_form_takes_typing_and_the_widget_takes_it_over() {
    let host = prerendered_host();
    let root = host.shadow_root().expect("a declarative shadow root, attached while parsing");
    let field = |name: &str| -> Element {
        root.query_selector(&format!("[name={name}]"))
            .unwrap()
            .unwrap_or_else(|| panic!("no {name}"))
    };
    // Before the widget: nothing listens; the browser alone takes the typing.
    assert!(!field("identifier").unchecked_ref::<HtmlInputElement>().disabled());
    let submit = root.query_selector("button[type=submit]").unwrap().unwrap();
    assert!(submit.has_attribute("disabled"), "no submit before the widget is live");
    field("identifierKind").unchecked_ref::<HtmlSelectElement>().set_value("waId");
    for (name, value) in [
        ("identifier", "15551234567"),
        ("email", "not-an-address"),
        ("lastName", "Lovelace"),
        ("phoneNumber", "12ab"),
    ] {
        field(name).unchecked_ref::<HtmlInputElement>().set_value(value);
    }
    // The operator is in the middle of the phone number, "ab" selected backwards.
    let phone: HtmlInputElement = field("phoneNumber").unchecked_into();
    phone.focus().unwrap();
    phone.set_selection_range_with_direction(2, 4, "backward").unwrap();

    let w = mount_on(host, vec![ok()], 15_000);
    settle().await;

    assert!(w.find("[data-prerendered]").is_none(), "the pre-rendered form is gone");
    assert_eq!(w.all("form").len(), 1, "one form: the live one");
    assert!(!w.get("button[type=submit]").has_attribute("disabled"), "the live form submits");
    assert_eq!(w.status(), "", "and no longer says it is loading");
    let kind: HtmlSelectElement = w.get("select[name=identifierKind]").unchecked_into();
    assert_eq!(kind.value(), "waId");
    assert_eq!(w.input("identifier").value(), "15551234567");
    assert_eq!(w.input("email").value(), "not-an-address");
    assert_eq!(w.input("lastName").value(), "Lovelace");
    assert_eq!(w.input("phoneNumber").value(), "12ab");
    // The live form's state holds it all: the preview shows it.
    assert_eq!(
        json(&w.preview()),
        serde_json::json!({ "waId": "15551234567", "lastName": "Lovelace", "email": "not-an-address", "phoneNumber": "12ab" })
    );
    // The caret and selection stayed where they were.
    let focused: HtmlInputElement = w.focused().expect("focus is in the form").unchecked_into();
    assert_eq!(focused.name(), "phoneNumber");
    assert_eq!(
        (focused.selection_start().unwrap(), focused.selection_end().unwrap()),
        (Some(2), Some(4))
    );
    assert_eq!(focused.selection_direction().unwrap().as_deref(), Some("backward"));
    // A field already filled counts as left, and shows its problem; the one
    // being typed in stays quiet, though it is not valid yet either.
    assert!(w.error("email").is_some(), "the email input was left: its problem shows");
    assert_eq!(w.error("phoneNumber"), None, "the input being typed in stays quiet");

    w.type_into("email", "ada@example.com").await;
    w.type_into("phoneNumber", "+1 555 123 4567").await;
    w.submit().await;
    let sent = json(&w.requests()[0].body);
    assert_eq!(
        sent,
        serde_json::json!({ "waId": "15551234567", "lastName": "Lovelace", "email": "ada@example.com", "phoneNumber": "+15551234567" })
    );
}

#[wasm_bindgen_test]
async fn the_prerendered_form_looks_as_the_live_one_does() {
    // The same elements with the same attributes, in the same order: the
    // takeover moves nothing on screen. Ids are the same, each form in its own
    // root; the pre-rendered form's buttons wait, and its status says why.
    let live = mount(vec![]);
    let prerendered = prerendered_host();
    let root = prerendered.shadow_root().unwrap();
    let outline = |root: &ShadowRoot| -> Vec<String> {
        let list = root.query_selector_all("form *").unwrap();
        (0..list.length())
            .map(|i| {
                let element: Element = list.item(i).unwrap().unchecked_into();
                let mut attributes: Vec<String> = element
                    .get_attribute_names()
                    .iter()
                    .filter_map(|name| name.as_string())
                    .filter(|name| {
                        name != "disabled"
                            && !(element.tag_name() == "BUTTON" && name == "aria-describedby")
                    })
                    .map(|name| {
                        let value = element.get_attribute(&name).unwrap_or_default();
                        format!("{name}={value}")
                    })
                    .collect();
                attributes.sort();
                let status = element.get_attribute("role").as_deref() == Some("status");
                let text = if element.children().length() == 0 && !status {
                    element.text_content().unwrap_or_default()
                } else {
                    String::new()
                };
                format!("{} {attributes:?} {text}", element.tag_name())
            })
            .collect()
    };
    let (ours, theirs) = (outline(&root), outline(&live.root));
    assert!(ours.len() > 50, "the whole form: {ours:?}");
    assert_eq!(ours, theirs);
    prerendered.remove();
}

#[wasm_bindgen_test]
async fn each_prerendered_form_is_taken_over_on_its_own_with_focus_in_an_email_input() {
    // Two pre-rendered forms on one page; the second has the focus, in its
    // email input (which has no selection to restore).
    let (first_host, second_host) = (prerendered_host(), prerendered_host());
    let type_in = |host: &HtmlElement, name: &str, value: &str| {
        let root = host.shadow_root().unwrap();
        let input: HtmlInputElement =
            root.query_selector(&format!("[name={name}]")).unwrap().unwrap().unchecked_into();
        input.set_value(value);
        input
    };
    type_in(&first_host, "firstName", "First");
    type_in(&second_host, "firstName", "Second");
    type_in(&second_host, "email", "ada@").focus().unwrap();

    let first = mount_on(first_host, vec![], 15_000);
    let second = mount_on(second_host, vec![], 15_000);
    settle().await;

    assert_eq!(first.input("firstName").value(), "First");
    assert_eq!(first.input("email").value(), "");
    assert_eq!(second.input("firstName").value(), "Second");
    assert_eq!(second.input("email").value(), "ada@");
    let focused: HtmlInputElement =
        second.focused().expect("focus is in the second form").unchecked_into();
    assert_eq!(focused.name(), "email");
    assert_eq!(second.error("email"), None, "the input being typed in stays quiet");
    assert!(first.focused().is_none(), "the first form never had the focus");
}
