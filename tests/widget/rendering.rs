//! Rendering: every input named as the API and labelled, the time zone picker,
//! the styles, ids.

use super::fixtures::*;

#[wasm_bindgen_test]
async fn every_input_is_named_as_the_api_and_visibly_labelled() {
    let w = mount(vec![]);
    for name in [
        "identifier",
        "firstName",
        "lastName",
        "fullName",
        "phoneNumber",
        "email",
        "defaultTimeZone",
    ] {
        let input = w.input(name);
        let id = input.id();
        assert!(!id.is_empty(), "{name} has an id");
        let label = w.get(&format!("label[for='{id}']"));
        assert!(!label.text_content().unwrap().trim().is_empty(), "{name}'s label has text");
        assert!(
            label.unchecked_ref::<HtmlElement>().offset_height() > 0,
            "{name}'s label is visible"
        );
    }
    assert_eq!(w.input("email").type_(), "email");

    let select: HtmlSelectElement = w.get("select[name=identifierKind]").unchecked_into();
    let label = w.get(&format!("label[for='{}']", select.id()));
    assert!(!label.text_content().unwrap().trim().is_empty());
    let options: Vec<(String, String)> = w
        .all("select[name=identifierKind] option")
        .iter()
        .map(|o| (o.get_attribute("value").unwrap(), o.text_content().unwrap()))
        .collect();
    let expected =
        [("id", "Contact ID"), ("waId", "WhatsApp ID"), ("smsPhoneNumber", "SMS phone number")];
    assert_eq!(options, expected.map(|(v, t)| (v.to_owned(), t.to_owned())));
    assert_eq!(select.value(), "id", "Contact ID is the default");

    let submit = w.get("button[type=submit]");
    assert_eq!(submit.text_content().unwrap().trim(), "Update contact");
    assert!(w.find("[role=status]").is_some() && w.find("[role=alert]").is_some());
    assert_eq!(w.preview(), "{}", "nothing filled, nothing sent");
}

#[wasm_bindgen_test]
async fn the_time_zone_picker_offers_the_contracts_names() {
    let w = mount(vec![]);
    w.focus("defaultTimeZone").await;
    let list_id = w.input("defaultTimeZone").get_attribute("list").expect("a datalist");
    let names: Vec<String> = w
        .all(&format!("datalist#{list_id} option"))
        .iter()
        .map(|o| o.get_attribute("value").unwrap())
        .collect();
    let contract: Vec<&str> = setter_contacts::contract::timezone::names().collect();
    for name in &contract {
        assert!(names.iter().any(|n| n == name), "{name} is offered");
    }
    let own = setter_contacts::widget::browser_time_zone().expect("the browser knows its zone");
    assert_eq!(names[0], own, "the browser's own zone comes first");
}

#[wasm_bindgen_test]
async fn the_zone_list_is_built_on_first_focus_only() {
    let w = mount(vec![]);
    let list_id = w.input("defaultTimeZone").get_attribute("list").unwrap();
    let options = |w: &Widget| w.all(&format!("datalist#{list_id} option")).len();
    assert_eq!(options(&w), 0, "nothing built before the input is used");
    w.focus("firstName").await;
    assert_eq!(options(&w), 0, "other inputs do not build it");
    w.focus("defaultTimeZone").await;
    let built = options(&w);
    assert!(built > 500, "every zone once focused: {built}");
    w.focus("firstName").await;
    w.focus("defaultTimeZone").await;
    assert_eq!(options(&w), built, "built once, not again on each focus");
}

impl Widget {
    /// Moves focus into the input named `name`, as tabbing to it would.
    async fn focus(&self, name: &str) {
        self.input(name).focus().unwrap();
        settle().await;
    }
}

#[wasm_bindgen_test]
async fn the_browsers_own_zone_is_offered_once_the_form_is_up() {
    let w = mount(vec![]);
    settle().await;
    let own = setter_contacts::widget::browser_time_zone().expect("the browser knows its zone");
    let chip = w
        .all(".scf-chip")
        .into_iter()
        .find(|chip| chip.text_content().unwrap_or_default().contains(&own))
        .expect("a chip offers the browser's zone")
        .unchecked_into::<HtmlElement>();
    chip.focus().unwrap(); // as a keyboard user reaches it
    w.click_text(&format!("Use my time zone ({own})")).await;
    assert_eq!(w.input("defaultTimeZone").value(), own);
    assert!(w.all(".scf-chip").is_empty(), "offered only while the input is empty");
    let focused = w.focused().and_then(|element| element.get_attribute("name"));
    assert_eq!(
        focused.as_deref(),
        Some("defaultTimeZone"),
        "focus moves from the picked chip to its input"
    );
}

#[wasm_bindgen_test]
async fn a_miscased_time_zone_shows_the_contracts_suggestion() {
    let w = mount(vec![]);
    w.type_into("defaultTimeZone", "europe/berlin").await;
    w.leave("defaultTimeZone").await;
    let expected = contract_says(
        ContactUpdate {
            id: Some(1),
            default_time_zone: Some("europe/berlin".into()),
            ..Default::default()
        },
        "defaultTimeZone",
    );
    assert!(expected.contains("Europe/Berlin"), "the contract suggests: {expected}");
    assert_eq!(w.error("defaultTimeZone").as_deref(), Some(expected.as_str()));

    w.click_text("Use Europe/Berlin").await;
    assert_eq!(w.input("defaultTimeZone").value(), "Europe/Berlin");
    assert_eq!(w.error("defaultTimeZone"), None);
}

#[wasm_bindgen_test]
async fn a_zone_setter_refuses_gets_no_suggestion_of_itself() {
    let fields = FieldErrors::from([(
        "defaultTimeZone".to_owned(),
        "Setter does not serve this zone.".to_owned(),
    )]);
    let w = mount(vec![Reply::Answer(400, envelope(ErrorCode::InvalidField, "1 field", fields))]);
    w.type_into("identifier", "7").await;
    w.type_into("defaultTimeZone", "Europe/Kyiv").await;
    w.submit().await;
    assert_eq!(w.error("defaultTimeZone").as_deref(), Some("Setter does not serve this zone."));
    let chips: Vec<String> =
        w.all(".scf-chip").iter().map(|chip| chip.text_content().unwrap_or_default()).collect();
    assert!(chips.iter().all(|chip| !chip.contains("Europe/Kyiv")), "{chips:?}");
}

impl Widget {
    async fn click_text(&self, text: &str) {
        let button = self
            .all("button")
            .into_iter()
            .find(|b| b.text_content().unwrap_or_default().trim() == text)
            .unwrap_or_else(|| panic!("no button reads {text:?}"));
        button.unchecked_into::<HtmlElement>().click();
        settle().await;
    }
}

#[wasm_bindgen_test]
async fn the_minified_styles_read_as_the_source_does() {
    let w = mount(vec![]);
    let adopted = js_sys::Array::from(&w.root.adopted_style_sheets());
    let shipped: web_sys::CssStyleSheet = adopted.get(0).unchecked_into();
    let source = web_sys::CssStyleSheet::new().unwrap();
    source.replace_sync(include_str!("../../src/ui/style.css")).unwrap();
    let rules = |sheet: &web_sys::CssStyleSheet| -> Vec<String> {
        let list = sheet.css_rules().unwrap();
        (0..list.length()).map(|i| list.item(i).unwrap().css_text()).collect()
    };
    let (shipped, source) = (rules(&shipped), rules(&source));
    assert!(source.len() > 30, "the whole sheet: {} rules", source.len());
    assert_eq!(shipped, source);
}

#[wasm_bindgen_test]
async fn ids_are_unique_in_each_form_and_every_reference_stays_in_its_own_root() {
    // Each form lives in a shadow root of its own, so two forms share ids
    // without a clash: what matters is that no id repeats within a form and
    // that every label and description finds its element in the same root.
    let a = mount(vec![]);
    let b = mount(vec![]);
    for w in [&a, &b] {
        let ids: Vec<String> = w.all("[id]").iter().map(Element::id).collect();
        assert!(ids.len() > 10);
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "an id repeats in one form: {ids:?}");
        for (selector, attribute) in
            [("label[for]", "for"), ("[aria-labelledby]", "aria-labelledby")]
        {
            for element in w.all(selector) {
                let target = element.get_attribute(attribute).unwrap();
                assert!(w.find(&format!("#{target}")).is_some(), "{target} is not in this form");
            }
        }
    }
}
