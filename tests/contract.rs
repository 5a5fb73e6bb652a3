//! The contract's rules, one table per rule, plus properties over random input.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::json;
use setter_contacts::contract::wire::ErrorCode;
use setter_contacts::contract::{
    ContactUpdate, Rejection, parse, parse_contact_id, to_pretty_json,
};

fn parse_value(value: serde_json::Value) -> Result<ContactUpdate, Rejection> {
    parse(value.to_string().as_bytes()).map(|valid| valid.update().clone())
}

/// The sentence for `field`, when the body is rejected as invalid_field.
fn field_error(value: serde_json::Value, field: &str) -> Option<String> {
    match parse_value(value) {
        Err(Rejection::InvalidField(fields)) => fields.get(field).cloned(),
        _ => None,
    }
}

#[track_caller]
fn assert_accepts(field: &str, value: serde_json::Value, forwarded: serde_json::Value) {
    let update = parse_value(json!({ "id": 1, field: value.clone() }))
        .unwrap_or_else(|rejection| panic!("{field}={value} rejected: {rejection:?}"));
    let sent: serde_json::Value = serde_json::to_value(&update).unwrap();
    assert_eq!(sent[field], forwarded, "{field}={value} forwarded as");
}

#[track_caller]
fn assert_rejects(field: &str, value: serde_json::Value) -> String {
    field_error(json!({ "id": 1, field: value.clone() }), field)
        .unwrap_or_else(|| panic!("{field}={value} should be invalid_field on {field}"))
}

// --- The examples of the API page. ---

#[test]
fn api_page_examples_are_accepted_unchanged() {
    let examples = [
        json!({"id": 123, "firstName": "John"}),
        json!({"waId": "1234567890", "email": "john@example.com"}),
        json!({"smsPhoneNumber": "1234567890", "fullName": "John Doe"}),
        json!({"id": 123, "firstName": "John", "lastName": "Smith", "email": "john.smith@example.com"}),
        json!({"waId": "1234567890", "metadata": {"source": "updated_via_api", "campaign": "winter2024", "last_interaction": "2024-01-15"}}),
    ];
    for example in examples {
        let update = parse_value(example.clone()).expect("documented example");
        assert_eq!(serde_json::to_value(&update).unwrap(), example);
    }
}

// --- Kinds. ---

#[test]
fn no_identifier_is_missing_identifier_and_still_lists_bad_fields() {
    let rejection = parse_value(json!({"firstName": "Ada", "email": "nope"})).unwrap_err();
    assert_eq!(rejection.code(), ErrorCode::MissingIdentifier);
    assert!(rejection.fields().contains_key("id"), "{rejection:?}");
    assert!(rejection.fields().contains_key("email"), "{rejection:?}");
}

#[test]
fn identifier_alone_is_nothing_to_update() {
    for body in
        [json!({"id": 5}), json!({"waId": "123"}), json!({"smsPhoneNumber": "+15551234567"})]
    {
        assert_eq!(parse_value(body).unwrap_err(), Rejection::NothingToUpdate);
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let rejection = parse_value(json!({
        "waId": "12ab", "email": "x@", "firstName": " ", "defaultTimeZone": "Mars/Base",
        "phoneNumber": "12", "shoeSize": 44, "metadata": {"ok": "yes", "bad": 1}
    }))
    .unwrap_err();
    assert_eq!(rejection.code(), ErrorCode::InvalidField);
    let names: Vec<&str> = rejection.fields().keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "defaultTimeZone",
            "email",
            "firstName",
            "metadata.bad",
            "phoneNumber",
            "shoeSize",
            "waId"
        ]
    );
    assert!(rejection.to_string().contains("7 fields are not valid"), "{rejection}");
}

#[test]
fn a_mistyped_identifier_is_invalid_not_missing() {
    let rejection = parse_value(json!({"id": "123", "firstName": "Ada"})).unwrap_err();
    assert_eq!(rejection.code(), ErrorCode::InvalidField);
    assert!(rejection.fields()["id"].contains("a JSON number"), "{rejection:?}");
}

#[test]
fn a_mistyped_change_counts_as_a_change() {
    let rejection = parse_value(json!({"id": 1, "email": null})).unwrap_err();
    assert_eq!(rejection.code(), ErrorCode::InvalidField);
    assert!(rejection.fields()["email"].contains("not null"), "{rejection:?}");
}

// --- JSON shape. ---

#[test]
fn only_non_json_is_bad_json_and_it_says_where() {
    for (body, needle) in [
        (&b"{\"id\": 1,"[..], "line 1"),
        (b"not json", "line 1 column 2"),
        (b"", "ends too early"),
        (b"{\"id\": 1} trailing", "trailing"),
        (b"[1, 2]", "found an array"),
        (b"\"text\"", "found a string"),
        (b"\xff\xfe", "line 1"),
    ] {
        match parse(body) {
            Err(Rejection::BadJson(detail)) => {
                assert!(detail.contains(needle), "{body:?}: {detail}")
            }
            other => panic!("{body:?} should be bad_json, got {other:?}"),
        }
    }
}

#[test]
fn unknown_fields_are_named() {
    let message = field_error(json!({"id": 1, "firstName": "Ada", "nickname": "A"}), "nickname");
    assert!(message.unwrap().contains("no such field"));
    // Case matters: the API is camelCase.
    assert!(field_error(json!({"ID": 1, "id": 1, "firstName": "A"}), "ID").is_some());
}

#[test]
fn a_key_given_twice_is_refused_on_that_key_at_the_top_and_in_metadata() {
    // JSON readers disagree on which copy wins; the contract accepts neither.
    let problems = |body: &str| setter_contacts::contract::parse(body.as_bytes()).unwrap_err();
    let twice = problems(r#"{"id": 1, "email": "a@b.co", "email": "evil@b.co"}"#);
    assert_eq!(twice.code().as_str(), "invalid_field");
    assert!(twice.fields()["email"].contains("twice"), "{twice:?}");
    let id_twice = problems(r#"{"id": 1, "id": 2, "firstName": "A"}"#);
    assert!(id_twice.fields()["id"].contains("twice"), "{id_twice:?}");
    let in_metadata = problems(r#"{"id": 1, "metadata": {"plan": "a", "plan": "b", "tier": "c"}}"#);
    assert_eq!(in_metadata.fields().keys().collect::<Vec<_>>(), ["metadata.plan"]);
    // Deeper down a value is wrong anyway, and said so once.
    let deeper = problems(r#"{"id": 1, "metadata": {"plan": {"x": 1, "x": 2}}}"#);
    assert_eq!(deeper.fields().keys().collect::<Vec<_>>(), ["metadata.plan"]);
    assert!(!deeper.fields()["metadata.plan"].contains("twice"));
}

#[test]
fn absent_fields_are_omitted_never_null() {
    let update = parse_value(json!({"id": 9, "lastName": "Lovelace"})).unwrap();
    assert_eq!(serde_json::to_string(&update).unwrap(), r#"{"id":9,"lastName":"Lovelace"}"#);
}

// --- id. ---

#[test]
fn id_must_be_a_positive_safe_integer_number() {
    for good in [1, 9_007_199_254_740_991u64] {
        let update = parse_value(json!({"id": good, "firstName": "Ada"})).unwrap();
        assert_eq!(update.id, Some(good));
    }
    // A JSON number is its value, however it is written (JSON Schema's
    // `integer` says the same): 380.0 and 3.8e2 are the whole number 380.
    for (written, id) in [("2.0", 2), ("380.0", 380), ("3.8e2", 380)] {
        let body = format!(r#"{{"id": {written}, "firstName": "Ada"}}"#);
        let valid = setter_contacts::contract::parse(body.as_bytes()).unwrap();
        assert_eq!(valid.update().id, Some(id), "{written}");
        assert!(valid.to_json().starts_with(&format!(r#"{{"id":{id},"#)), "forwarded as {id}");
    }
    for bad in [
        json!(0),
        json!(-3),
        json!(1.5),
        json!(0.0),
        json!(-1.0),
        json!(1e300),
        json!(9_007_199_254_740_992u64),
        json!("7"),
        json!(null),
        json!(true),
        json!([1]),
    ] {
        let message = field_error(json!({"id": bad.clone(), "firstName": "Ada"}), "id");
        assert!(message.is_some(), "id={bad} should be rejected");
    }
}

#[test]
fn form_text_parses_to_a_contact_id() {
    assert_eq!(parse_contact_id("42"), Ok(42));
    assert_eq!(parse_contact_id(" 42 "), Ok(42));
    for bad in ["", "0", "-1", "4.2", "1e3", "abc", "99999999999999999999999"] {
        assert!(parse_contact_id(bad).is_err(), "{bad:?}");
    }
}

// --- waId. ---

#[test]
fn wa_id_is_one_to_twenty_digits() {
    for good in ["1", "1234567890", "12345678901234567890"] {
        let update = parse_value(json!({"waId": good, "firstName": "A"})).unwrap();
        assert_eq!(update.wa_id.as_deref(), Some(good));
    }
    for bad in ["", "+15551234567", "1555 123", "123456789012345678901", "١٢٣"] {
        assert!(field_error(json!({"waId": bad, "firstName": "A"}), "waId").is_some(), "{bad:?}");
    }
}

// --- phones. ---

#[test]
fn phone_numbers_are_normalized_before_forwarding() {
    for (typed, sent) in [
        ("+1 (555) 123-4567", "+15551234567"),
        ("555.123.4567", "5551234567"),
        ("1234567", "1234567"),
        ("+123456789012345", "+123456789012345"),
    ] {
        assert_accepts("phoneNumber", json!(typed), json!(sent));
        let update = parse_value(json!({"smsPhoneNumber": typed, "firstName": "A"})).unwrap();
        assert_eq!(update.sms_phone_number.as_deref(), Some(sent));
    }
}

#[test]
fn phone_numbers_need_seven_to_fifteen_digits() {
    for bad in
        ["123456", "1234567890123456", "++1234567", "1+234567", "555-CALL-NOW", "", "+", "12 34 56"]
    {
        let message = assert_rejects("phoneNumber", json!(bad));
        assert!(message.contains("7 to 15 digits"), "{bad:?}: {message}");
    }
}

// --- email. ---

#[test]
fn email_follows_the_html_rule() {
    for good in [
        "john@example.com",
        "john.smith@example.com",
        "a@b",
        "x+tag@sub.example.co.uk",
        "!#$%&'*+/=?^_`{|}~-@example.com",
        "name@xn--bcher-kva.example",
    ] {
        assert_accepts("email", json!(good), json!(good));
    }
    let long_label = format!("a@{}.com", "b".repeat(64));
    for bad in [
        "",
        "plain",
        "@example.com",
        "a@",
        "a@@b.com",
        "a b@example.com",
        "a@example..com",
        "a@-example.com",
        "a@example-.com",
        "a@exa_mple.com",
        "ünï@example.com",
        " a@b.com",
        long_label.as_str(),
    ] {
        assert_rejects("email", json!(bad));
    }
}

#[test]
fn email_is_at_most_254_characters() {
    let local = "a".repeat(64);
    // Labels of 60 letters: valid, and no cut below falls on a dot.
    let domain = |len: usize| [(); 4].map(|_| "b".repeat(60)).join(".")[..len].to_owned();
    let fits = format!("{local}@{}", domain(254 - 65));
    assert_eq!(fits.len(), 254);
    assert_accepts("email", json!(fits), json!(fits));
    let too_long = format!("{local}@{}", domain(255 - 65));
    assert_eq!(too_long.len(), 255);
    assert!(assert_rejects("email", json!(too_long)).contains("254"));
}

// --- defaultTimeZone. ---

#[test]
fn time_zones_are_exact_iana_names_with_suggestions() {
    for good in
        ["Europe/Berlin", "America/Argentina/Buenos_Aires", "UTC", "US/Pacific", "Etc/GMT-14"]
    {
        assert_accepts("defaultTimeZone", json!(good), json!(good));
    }
    let message = assert_rejects("defaultTimeZone", json!("europe/berlin"));
    assert!(message.contains("did you mean Europe/Berlin?"), "{message}");
    let message = assert_rejects("defaultTimeZone", json!("Europe/Berln"));
    assert!(message.contains("did you mean Europe/Berlin?"), "{message}");
    let message = assert_rejects("defaultTimeZone", json!("PST"));
    assert!(message.contains("IANA"), "{message}");
    assert_rejects("defaultTimeZone", json!(""));
    assert_rejects("defaultTimeZone", json!(3));
}

// --- names. ---

#[test]
fn names_are_trimmed_bounded_and_printable() {
    assert_accepts("firstName", json!("  Ada "), json!("Ada"));
    assert_accepts("fullName", json!("Ada Lovelace"), json!("Ada Lovelace"));
    assert_accepts("lastName", json!("Ł".repeat(100)), json!("Ł".repeat(100)));
    for field in ["firstName", "lastName", "fullName"] {
        for bad in [
            json!(""),
            json!("   "),
            json!("a".repeat(101)),
            json!("Ada\nLovelace"),
            json!("A\u{7}"),
            json!(["Ada"]),
        ] {
            assert_rejects(field, bad);
        }
    }
}

// --- metadata. ---

#[test]
fn metadata_is_an_object_of_bounded_strings() {
    assert_accepts("metadata", json!({"source": "website"}), json!({"source": "website"}));
    assert_accepts("metadata", json!({"k": ""}), json!({"k": ""}));
    let full: serde_json::Map<String, serde_json::Value> =
        (0..50).map(|i| (format!("key{i}"), json!("v"))).collect();
    assert_accepts("metadata", json!(full), json!(full));

    let too_many: serde_json::Map<String, serde_json::Value> =
        (0..51).map(|i| (format!("key{i}"), json!("v"))).collect();
    assert!(assert_rejects("metadata", json!(too_many)).contains("at most 50 keys"));
    for bad in [json!("source=web"), json!(["a"]), json!(null), json!(1)] {
        assert_rejects("metadata", bad);
    }
}

#[test]
fn metadata_problems_land_on_their_key() {
    let long_key = "k".repeat(65);
    let cases = [
        (json!({"": "v"}), "metadata.".to_owned()),
        (json!({long_key.clone(): "v"}), format!("metadata.{long_key}")),
        (json!({"a\tb": "v"}), "metadata.a\tb".to_owned()),
        (json!({"big": "v".repeat(1001)}), "metadata.big".to_owned()),
        (json!({"n": 1}), "metadata.n".to_owned()),
        (json!({"n": null}), "metadata.n".to_owned()),
        (json!({"n": {"nested": "x"}}), "metadata.n".to_owned()),
    ];
    for (metadata, field) in cases {
        let message = field_error(json!({"id": 1, "metadata": metadata.clone()}), &field);
        assert!(message.is_some(), "{metadata} should be rejected on {field:?}");
    }
    assert_accepts("metadata", json!({"big": "v".repeat(1000)}), json!({"big": "v".repeat(1000)}));
}

// --- Properties. ---

fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 .+()@_-]{0,30}",
        "\\+?[0-9 ().-]{5,20}",
        "[a-z]{1,8}@[a-z]{1,8}\\.[a-z]{2,3}",
        proptest::sample::select(vec!["Europe/Berlin", "UTC", "europe/paris", "Asia/Tokio"])
            .prop_map(str::to_owned),
    ]
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(json!(null)),
        any::<bool>().prop_map(|b| json!(b)),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        arb_text().prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(2, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(serde_json::Value::from),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..3)
                .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    })
}

fn arb_body() -> impl Strategy<Value = serde_json::Value> {
    let names = proptest::sample::select(vec![
        "id",
        "waId",
        "smsPhoneNumber",
        "firstName",
        "lastName",
        "fullName",
        "phoneNumber",
        "email",
        "defaultTimeZone",
        "metadata",
        "other",
    ]);
    let value = prop_oneof![
        1 => arb_json(),
        2 => arb_text().prop_map(|s| json!(s)),
        1 => (1u64..10_000).prop_map(|n| json!(n)),
        1 => prop::collection::btree_map("[a-z]{0,8}", arb_text(), 0..4).prop_map(|m| json!(m)),
    ];
    prop::collection::btree_map(names, value, 0..8).prop_map(|map| {
        serde_json::Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    })
}

proptest! {
    #[test]
    fn parse_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = parse(&body);
    }

    #[test]
    fn parse_never_panics_on_json_shaped_input(body in arb_body()) {
        let _ = parse(body.to_string().as_bytes());
    }

    #[test]
    fn accepted_updates_round_trip_unchanged(body in arb_body()) {
        if let Ok(valid) = parse(body.to_string().as_bytes()) {
            let again = parse(valid.to_json().as_bytes()).expect("what is accepted once is accepted again");
            prop_assert_eq!(&again, &valid);
            prop_assert_eq!(again.update().validate(), Ok(valid));
        }
    }

    #[test]
    fn the_hand_written_json_is_serde_jsons(
        id in any::<Option<u64>>(),
        texts in prop::collection::vec(prop::option::of(arb_text()), 8),
        metadata in prop::option::of(prop::collection::btree_map(arb_text(), arb_text(), 0..4)),
    ) {
        let text = |index: usize| texts[index].clone();
        let update = ContactUpdate {
            id,
            wa_id: text(0),
            sms_phone_number: text(1),
            first_name: text(2),
            last_name: text(3),
            full_name: text(4),
            phone_number: text(5),
            email: text(6),
            default_time_zone: text(7),
            metadata,
        };
        prop_assert_eq!(to_pretty_json(&update), serde_json::to_string_pretty(&update).unwrap());
    }

    #[test]
    fn rejections_always_explain(body in arb_body()) {
        if let Err(rejection) = parse(body.to_string().as_bytes()) {
            prop_assert!(!rejection.to_string().is_empty());
            for (field, sentence) in rejection.fields() {
                prop_assert!(sentence.ends_with('.') || sentence.ends_with('?'), "{}: {}", field, sentence);
            }
        }
    }
}
