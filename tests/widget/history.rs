//! The "Recent changes" panel: the audit trail's last entries for the
//! contact in the identifier field, asked after a pause in typing and after
//! every update, and plain words when there are none or no trail.

use super::fixtures::*;

/// The audit trail's answer with `entries`.
fn page(entries: serde_json::Value) -> Reply {
    Reply::Answer(200, serde_json::json!({ "entries": entries, "next": null }).to_string())
}

fn entry(actor: Option<&str>, values: serde_json::Value, outcome: &str) -> serde_json::Value {
    let changed: Vec<String> = values.as_object().unwrap().keys().cloned().collect();
    serde_json::json!({
        "id": "01a2313c-8bf4-7074-93b9-258344621b63", "at": "2026-12-01T09:30:00.000Z",
        "actor": actor, "client": "10.0.0.7", "requestId": "1",
        "identifier": {"kind": "id", "value": "101"}, "changedFields": changed, "values": values,
        "batch": null, "outcome": outcome, "setterStatus": 200, "latencyMs": 3,
    })
}

/// Waits out the pause after typing, and the answer.
async fn after_the_pause() {
    sleep(750).await;
}

impl Widget {
    fn history_shown(&self) -> bool {
        !self.get("#history").has_attribute("hidden")
    }

    fn history_state(&self) -> String {
        self.get("#history-state").text_content().unwrap_or_default()
    }

    fn history_items(&self) -> Vec<String> {
        self.all("#history-list li")
            .iter()
            .map(|li| li.text_content().unwrap_or_default())
            .collect()
    }
}

#[wasm_bindgen_test]
async fn the_trail_is_asked_once_typing_pauses_and_its_changes_are_shown() {
    let w = mount_with_history(vec![page(serde_json::json!([
        entry(
            Some("ada@example.com"),
            serde_json::json!({"firstName": "Augusta", "metadata": {"tier": "gold"}}),
            "updated"
        ),
        entry(None, serde_json::json!({"email": "<img src=x onerror=alert(1)>"}), "not_found"),
    ]))]);
    assert!(!w.history_shown(), "hidden while no contact is named");
    w.type_into("identifier", "1").await;
    w.type_into("identifier", "10").await;
    w.type_into("identifier", "101").await;
    assert!(w.requests().is_empty(), "nothing asked while typing");
    after_the_pause().await;

    let requests = w.requests();
    assert_eq!(requests.len(), 1, "one question for the contact typed, not one per key");
    assert_eq!(requests[0].endpoint, "/api/audit?contact=id%3A101&limit=10");
    assert!(requests[0].body.is_empty());
    assert!(w.history_shown());
    let items = w.history_items();
    assert_eq!(items.len(), 2);
    assert!(
        items[0].contains("ada@example.com") && items[0].contains("firstName → Augusta"),
        "{items:?}"
    );
    assert!(
        items[0].contains("metadata → tier=gold") && items[0].contains("(updated)"),
        "{items:?}"
    );
    assert!(
        items[1].contains("unknown user (10.0.0.7)") && items[1].contains("(no such contact)"),
        "{items:?}"
    );
    assert!(w.find("#history-list img").is_none(), "a value is text, never markup");
    assert!(items[1].contains("<img src=x onerror=alert(1)>"));
    assert!(w.find("#history-list time[datetime='2026-12-01T09:30:00.000Z']").is_some());
}

#[wasm_bindgen_test]
async fn an_identifier_that_names_no_contact_asks_nothing() {
    let w = mount_with_history(vec![]);
    w.type_into("identifier", "abc").await;
    after_the_pause().await;
    assert!(w.requests().is_empty());
    assert!(!w.history_shown());
    w.choose_kind("smsPhoneNumber").await;
    w.type_into("identifier", "12").await;
    after_the_pause().await;
    assert!(w.requests().is_empty(), "too short for a phone number");
}

#[wasm_bindgen_test]
async fn no_trail_an_unreadable_trail_and_no_changes_are_said_plainly() {
    let off = envelope(ErrorCode::AuditOff, "off", FieldErrors::new());
    let unavailable = envelope(ErrorCode::AuditUnavailable, "down", FieldErrors::new());
    let w = mount_with_history(vec![
        Reply::Answer(404, off),
        Reply::Answer(503, unavailable),
        Reply::Unreachable,
        page(serde_json::json!([])),
    ]);
    let expected = [
        "This server keeps no audit trail, so there is no history to show.",
        "The recent changes could not be loaded (the server answered 503).",
        "The recent changes could not be loaded (no answer from the server).",
        "No change of this contact is recorded.",
    ];
    for (n, sentence) in expected.iter().enumerate() {
        w.type_into("identifier", &format!("{}", 200 + n)).await;
        after_the_pause().await;
        assert_eq!(w.history_state(), *sentence);
        assert!(w.history_items().is_empty());
    }
    assert_eq!(w.requests().len(), 4);
}

#[wasm_bindgen_test]
async fn every_update_asks_the_trail_again() {
    let w = mount_with_history(vec![
        page(serde_json::json!([])),
        ok(),
        page(serde_json::json!([entry(
            Some("me@example.com"),
            serde_json::json!({"lastName": "Lovelace"}),
            "updated"
        ),])),
    ]);
    w.type_into("identifier", "101").await;
    after_the_pause().await;
    w.type_into("lastName", "Lovelace").await;
    w.submit().await;
    settle().await;
    let requests = w.requests();
    assert_eq!(requests.len(), 3, "the trail, the update, the trail again");
    assert_eq!(requests[1].endpoint, "/api/contacts");
    assert_eq!(requests[2].endpoint, "/api/audit?contact=id%3A101&limit=10");
    assert!(w.history_items()[0].contains("lastName → Lovelace"));
}
