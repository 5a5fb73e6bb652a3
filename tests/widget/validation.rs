//! Validation: problems on blur and on submit, with their aria attributes, and
//! focus on the first one.

use super::fixtures::*;

#[wasm_bindgen_test]
async fn errors_show_on_blur_with_aria_attributes() {
    let w = mount(vec![]);
    w.type_into("email", "not-an-address").await;
    assert_eq!(w.error("email"), None, "no error while still typing");
    w.leave("email").await;
    let expected = contract_says(
        ContactUpdate { id: Some(1), email: Some("not-an-address".into()), ..Default::default() },
        "email",
    );
    assert_eq!(w.error("email").as_deref(), Some(expected.as_str()));
    assert_eq!(w.error("firstName"), None, "untouched inputs stay quiet");

    w.type_into("email", "ada@example.com").await;
    assert_eq!(w.error("email"), None, "fixing it clears the error");
}

#[wasm_bindgen_test]
async fn an_error_appearing_on_blur_does_not_swallow_the_click_that_caused_it() {
    // Pressing "Add metadata field" blurs the time zone input; its error text
    // and suggestion must not push the button away before the click lands.
    let w = mount(vec![]);
    w.type_into("defaultTimeZone", "europe/berlin").await;
    let add = w
        .all("button")
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default().trim() == "Add metadata field")
        .unwrap();
    fire(&add, "pointerdown");
    w.leave("defaultTimeZone").await;
    assert_eq!(w.error("defaultTimeZone"), None, "held back while the pointer is down");
    fire(&web_sys::window().unwrap().document().unwrap().document_element().unwrap(), "pointerup");
    add.unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert_eq!(w.all("input[name=metadataKey]").len(), 1, "the click added a row");
    assert!(w.error("defaultTimeZone").is_some(), "and then the error shows");
}

#[wasm_bindgen_test]
async fn an_unparsable_contact_id_shows_the_contracts_sentence() {
    let w = mount(vec![]);
    w.type_into("identifier", "12a").await;
    w.leave("identifier").await;
    let expected = setter_contacts::contract::parse_contact_id("12a").unwrap_err();
    assert_eq!(w.error("identifier").as_deref(), Some(expected.as_str()));
}

#[wasm_bindgen_test]
async fn a_submit_with_errors_sends_nothing_and_focuses_the_first_invalid_input() {
    let w = mount(vec![ok()]);
    w.type_into("identifier", "abc").await;
    w.type_into("phoneNumber", "12").await;
    w.type_into("email", "nope").await;
    w.submit().await;

    assert!(w.requests().is_empty(), "nothing was sent");
    assert!(w.error("identifier").is_some());
    assert!(w.error("phoneNumber").is_some(), "every problem shows on submit, touched or not");
    assert!(w.error("email").is_some());
    assert_eq!(w.error("firstName"), None);
    assert_eq!(w.focused(), Some(w.input("identifier").into()));
    assert_eq!(w.alert(), "Nothing was sent — fix the marked fields and submit again");
    assert!(w.events.borrow().is_empty(), "a form that was not sent dispatches nothing");

    w.type_into("identifier", "7").await;
    w.submit().await;
    assert!(w.requests().is_empty());
    assert_eq!(w.focused(), Some(w.input("phoneNumber").into()), "then the next one");
}

#[wasm_bindgen_test]
async fn a_missing_identifier_lands_on_the_identifier_input() {
    let w = mount(vec![]);
    w.type_into("firstName", "Ada").await;
    w.submit().await;
    let expected =
        contract_says(ContactUpdate { first_name: Some("Ada".into()), ..Default::default() }, "id");
    assert_eq!(w.error("identifier").as_deref(), Some(expected.as_str()));
    assert_eq!(w.focused(), Some(w.input("identifier").into()));
    assert!(w.requests().is_empty());
}

#[wasm_bindgen_test]
async fn nothing_to_update_is_announced_and_sends_nothing() {
    let w = mount(vec![]);
    w.type_into("identifier", "5").await;
    w.submit().await;
    assert!(matches!(
        ContactUpdate { id: Some(5), ..Default::default() }.validate(),
        Err(Rejection::NothingToUpdate)
    ));
    assert_eq!(w.alert(), "Nothing to update — fill in at least one field to change");
    assert_eq!(w.focused(), Some(w.input("firstName").into()));
    assert!(w.requests().is_empty());
}

#[wasm_bindgen_test]
async fn duplicate_and_empty_metadata_keys_are_flagged_on_their_row() {
    let w = mount(vec![ok()]);
    w.type_into("identifier", "3").await;
    for _ in 0..4 {
        w.add_row().await;
    }
    w.type_row(0, "plan", "gold").await;
    w.type_row(1, "plan", "silver").await;
    w.type_row(2, "", "orphan value").await;
    // Row 3 stays blank: a spare row, neither flagged nor sent.
    w.submit().await;

    let keys = w.all("input[name=metadataKey]");
    let values = w.all("input[name=metadataValue]");
    assert_eq!(w.error_of(&keys[0]), None, "the first use of a key is fine");
    let duplicate = w.error_of(&keys[1]).expect("the repeated key is flagged");
    assert!(duplicate.contains("already used"), "{duplicate}");
    let empty = contract_says(
        ContactUpdate {
            id: Some(3),
            metadata: Some(BTreeMap::from([(String::new(), "orphan value".into())])),
            ..Default::default()
        },
        "metadata.",
    );
    assert_eq!(w.error_of(&keys[2]).as_deref(), Some(empty.as_str()));
    assert_eq!(w.error_of(&values[2]), None, "the key is the problem, not the value");
    assert_eq!(w.error_of(&keys[3]), None);
    assert!(w.requests().is_empty());
    assert_eq!(w.focused(), Some(keys[1].clone()), "the first flagged row input");

    // Removing the keyless row writes the rows anew: what stays keeps its
    // values and its problem.
    let remove = |row: usize| {
        w.all("button[aria-label^='Remove metadata row']")[row]
            .clone()
            .unchecked_into::<HtmlElement>()
            .click()
    };
    remove(2);
    settle().await;
    let value_of = |input: &Element| input.clone().unchecked_into::<HtmlInputElement>().value();
    let keys = w.all("input[name=metadataKey]");
    let values = w.all("input[name=metadataValue]");
    let rows: Vec<(String, String)> =
        keys.iter().zip(&values).map(|(k, v)| (value_of(k), value_of(v))).collect();
    assert_eq!(
        rows,
        [("plan", "gold"), ("plan", "silver"), ("", "")].map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert_eq!(w.error_of(&keys[0]), None);
    assert!(w.error_of(&keys[1]).expect("still flagged").contains("already used"));
    assert_eq!(w.error_of(&keys[2]), None);

    // Removing the duplicate too makes the form sendable.
    remove(1);
    settle().await;
    assert_eq!(w.all("input[name=metadataKey]").len(), 2);
    w.submit().await;
    assert_eq!(w.requests().len(), 1);
    assert_eq!(json(&w.requests()[0].body), json(r#"{"id":3,"metadata":{"plan":"gold"}}"#));
}
