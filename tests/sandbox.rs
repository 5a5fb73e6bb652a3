//! The sandbox Setter on its own, and the proxy in front of it: every outcome
//! of the API page, over real HTTP.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use setter_contacts::sandbox;

const SANDBOX_KEY: &str = "sandbox-test-key";

async fn sandbox_url() -> String {
    serve(sandbox::router(SecretString::from(SANDBOX_KEY), sandbox::Store::demo())).await
}

async fn put_to_sandbox(url: &str, key: Option<&str>, body: &Value) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .put(format!("{url}/api/v1/contacts"))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, serde_json::from_str(&response.text().await.unwrap()).unwrap())
}

async fn contacts(url: &str) -> Vec<Value> {
    get_json(&format!("{url}/sandbox/contacts")).await
}

fn contact(all: &[Value], id: u64) -> Value {
    all.iter().find(|c| c["id"] == id).cloned().expect("contact exists")
}

// --- The sandbox as Setter. ---

#[tokio::test]
async fn the_sandbox_requires_its_bearer_key() {
    let url = sandbox_url().await;
    let body = json!({"id": 101, "firstName": "Ada"});
    for key in [None, Some("wrong"), Some("sandbox-test-ke"), Some("sandbox-test-keyy")] {
        let (status, answer) = put_to_sandbox(&url, key, &body).await;
        assert_eq!(status, 401, "{key:?}");
        assert!(answer["error"].is_string());
    }
    assert_eq!(contact(&contacts(&url).await, 101)["firstName"], "Ada", "nothing changed");
}

#[tokio::test]
async fn the_sandbox_answers_every_documented_status() {
    let url = sandbox_url().await;
    let key = Some(SANDBOX_KEY);
    let cases = [
        (json!({"id": 101, "firstName": "Augusta"}), 200),
        (json!({"waId": "15550000102", "email": "grace@navy.example"}), 200),
        (json!({"smsPhoneNumber": "+15550000103", "fullName": "Alan M. Turing"}), 200),
        (json!({"firstName": "Nobody"}), 400),
        (json!({"id": 101, "email": "not-an-email"}), 400),
        (json!({"id": 999, "firstName": "Ghost"}), 404),
        (json!({"waId": "15550000199", "firstName": "Twin"}), 409),
        (json!({"id": 201, "firstName": "Other org"}), 403),
    ];
    for (body, expected) in cases {
        let (status, answer) = put_to_sandbox(&url, key, &body).await;
        assert_eq!(status, expected, "{body} -> {answer}");
        let text = answer.get("message").or(answer.get("error"));
        assert!(text.is_some_and(Value::is_string), "{answer}");
    }
}

#[tokio::test]
async fn the_sandbox_changes_only_the_given_fields_and_merges_metadata() {
    let url = sandbox_url().await;
    let before = contacts(&url).await;
    let body = json!({"id": 101, "email": "ada@analytical.example", "metadata": {"plan": "team", "tier": "gold"}});
    assert_eq!(put_to_sandbox(&url, Some(SANDBOX_KEY), &body).await.0, 200);
    let after = contacts(&url).await;

    let mut expected = contact(&before, 101);
    expected["email"] = json!("ada@analytical.example");
    expected["metadata"] = json!({"plan": "team", "source": "website", "tier": "gold"});
    assert_eq!(contact(&after, 101), expected);
    for (old, new) in before.iter().zip(&after).filter(|(old, _)| old["id"] != 101) {
        assert_eq!(old, new, "other contacts untouched");
    }
}

// --- The proxy in front of the sandbox: the demo's path. ---

#[tokio::test]
async fn the_proxy_in_front_of_the_sandbox_reaches_every_outcome() {
    let running = sandbox::spawn_in_process(0).await.unwrap();
    let proxy = proxy_with(&running.url, |config| {
        config.api_key = setter_contacts::proxy::KeySlot::new(&running.key).unwrap()
    })
    .await;
    let cases = [
        (json!({"id": 101, "lastName": "King"}), 200, None),
        (json!({"waId": "15550000102", "defaultTimeZone": "Europe/Paris"}), 200, None),
        (json!({"smsPhoneNumber": "+1 555 000 0103", "metadata": {"stage": "lead"}}), 200, None),
        (json!({"id": 101, "email": "bad@"}), 400, Some("invalid_field")),
        (json!({"lastName": "King"}), 400, Some("missing_identifier")),
        (json!({"id": 101}), 400, Some("nothing_to_update")),
        (json!({"id": 999, "lastName": "X"}), 404, Some("not_found")),
        (json!({"waId": "15550000199", "lastName": "X"}), 409, Some("multiple_matches")),
        (json!({"id": 201, "lastName": "X"}), 403, Some("forbidden")),
    ];
    for (body, status, code) in cases {
        let reply = put_json(&proxy, &body.to_string()).await;
        assert_eq!(reply.status, status, "{body} -> {}", reply.body);
        if let Some(code) = code {
            assert_eq!(reply.code(), code, "{body}");
        }
    }
    let now = running.store.contacts();
    let by_id = |id: u64| now.iter().find(|c| c.id() == id).unwrap().fields.clone();
    assert_eq!(by_id(101).last_name.as_deref(), Some("King"));
    assert_eq!(by_id(102).default_time_zone.as_deref(), Some("Europe/Paris"));
    assert_eq!(by_id(103).metadata.unwrap().get("stage").map(String::as_str), Some("lead"));
    assert_eq!(by_id(104).last_name.as_deref(), Some("Johnson"), "409 changed nothing");
    assert_eq!(by_id(201).last_name.as_deref(), Some("Lamarr"), "403 changed nothing");
}

#[tokio::test]
async fn a_refused_key_is_the_administrators_problem_not_the_operators() {
    let running = sandbox::spawn_in_process(0).await.unwrap();
    assert_ne!(running.key.expose_secret(), CANARY_KEY);
    let proxy = proxy_to(&running.url).await; // the canary key: wrong for this sandbox
    let reply = put_json(&proxy, r#"{"id": 101, "firstName": "Ada"}"#).await;
    assert_eq!((reply.status, reply.code().as_str()), (502, "upstream_auth_failed"));
    let message = reply.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains("administrator"), "{message}");
}

#[tokio::test]
async fn each_in_process_sandbox_has_its_own_random_key() {
    let first = sandbox::spawn_in_process(0).await.unwrap();
    let second = sandbox::spawn_in_process(0).await.unwrap();
    assert_ne!(first.key.expose_secret(), second.key.expose_secret());
    assert_eq!(first.key.expose_secret().len(), 64);
    assert_ne!(first.url, second.url);
}
