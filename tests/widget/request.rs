//! The request JSON: the preview holds exactly what will be sent.

use super::fixtures::*;

#[wasm_bindgen_test]
async fn the_preview_holds_only_filled_fields_and_the_id_as_a_number() {
    let w = mount(vec![]);
    w.type_into("identifier", "42").await;
    w.type_into("firstName", "Ada").await;
    w.type_into("email", "ada@example.com").await;
    assert_eq!(
        w.preview(),
        "{\n  \"id\": 42,\n  \"firstName\": \"Ada\",\n  \"email\": \"ada@example.com\"\n}"
    );
    let parsed = json(&w.preview());
    assert_eq!(parsed["id"].as_u64(), Some(42), "a JSON number, not a string");
    assert!(!w.preview().contains("key"), "no key of any kind in the request");

    // Emptying an input takes the field out again.
    w.type_into("firstName", "").await;
    assert_eq!(w.preview(), "{\n  \"id\": 42,\n  \"email\": \"ada@example.com\"\n}");
}

#[wasm_bindgen_test]
async fn the_preview_shows_the_normalized_form_that_will_be_sent() {
    let w = mount(vec![]);
    w.choose_kind("smsPhoneNumber").await;
    w.type_into("identifier", "+1 (555) 123-4567").await;
    w.type_into("lastName", "  Lovelace ").await;
    let expected = ContactUpdate {
        sms_phone_number: Some("+1 (555) 123-4567".into()),
        last_name: Some("  Lovelace ".into()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    assert_eq!(json(&w.preview()), json(&expected.to_json()));
    assert!(w.preview().contains("\"smsPhoneNumber\": \"+15551234567\""));
}

#[wasm_bindgen_test]
async fn the_stub_receives_exactly_the_preview() {
    let w = mount(vec![ok()]);
    w.choose_kind("waId").await;
    w.type_into("identifier", "15551234567").await;
    w.type_into("fullName", "Ada Lovelace").await;
    w.add_row().await;
    w.type_row(0, "campaign", "spring").await;
    let preview = w.preview();
    w.submit().await;
    let requests = w.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].endpoint, "/api/contacts");
    assert_eq!(requests[0].body, preview);
    assert_eq!(
        json(&requests[0].body),
        json(
            r#"{"waId":"15551234567","fullName":"Ada Lovelace","metadata":{"campaign":"spring"}}"#
        )
    );
}
