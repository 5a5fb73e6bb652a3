//! The contact-proxy binary as an administrator runs it: start-up, key handling,
//! logs, demo mode and graceful shutdown.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::io::{BufRead, BufReader};
use std::time::Duration;

use common::*;
use serde_json::json;

use common::binary::*;

#[test]
fn without_a_key_it_refuses_to_start_and_says_how_to_fix_it() {
    let (code, text) = output_of(&mut command());
    assert_eq!(code, Some(2));
    for hint in ["SETTER_API_KEY", "--api-key-file", "--demo"] {
        assert!(text.contains(hint), "{text}");
    }
    let (code, text) = output_of(command().env("SETTER_API_KEY", "   "));
    assert_eq!(code, Some(2), "a blank key is no key: {text}");
}

#[test]
fn a_missing_or_empty_key_file_is_named() {
    let (code, text) = output_of(command().args(["--api-key-file", "/nonexistent/key"]));
    assert_eq!(code, Some(2));
    assert!(text.contains("/nonexistent/key"), "{text}");
    let empty = std::env::temp_dir().join(format!("empty-key-{}", std::process::id()));
    std::fs::write(&empty, "\n").unwrap();
    let (code, text) = output_of(command().arg("--api-key-file").arg(&empty));
    assert_eq!(code, Some(2));
    assert!(text.contains("is empty"), "{text}");
    std::fs::remove_file(empty).unwrap();
}

#[test]
fn bad_flags_are_refused_at_start() {
    let (code, text) = output_of(
        command().env("SETTER_API_KEY", CANARY_KEY).args(["--allowed-origin", "admin.example.com"]),
    );
    assert_eq!(code, Some(2));
    assert!(text.contains("scheme://host"), "{text}");
    let (code, text) = output_of(
        command().env("SETTER_API_KEY", CANARY_KEY).args(["--dist", "/nonexistent/dist"]),
    );
    assert_eq!(code, Some(2));
    assert!(text.contains("trunk build"), "{text}");
    for upstream in ["chat.trysetter.com", "https://exa mple.com"] {
        let (code, text) =
            output_of(command().env("SETTER_API_KEY", CANARY_KEY).args(["--upstream", upstream]));
        assert_eq!(code, Some(2), "{upstream}: {text}");
        assert!(text.contains("upstream") || text.contains("URL"), "{upstream}: {text}");
    }
    let (code, _) = output_of(command().args(["--demo", "--upstream", "https://example.com"]));
    assert_eq!(code, Some(2), "--demo and --upstream exclude each other");
    let (code, text) = output_of(command().args(["--demo", "--threads", "0"]));
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("--threads"), "{text}");
}

#[test]
fn help_shows_no_secret() {
    let key_file = std::env::temp_dir().join(format!("help-key-{}", std::process::id()));
    std::fs::write(&key_file, CANARY_KEY).unwrap();
    let (code, text) = output_of(
        command()
            .env("SETTER_API_KEY", CANARY_KEY)
            .env("SETTER_API_KEY_FILE", &key_file)
            .arg("--help"),
    );
    assert_eq!(code, Some(0));
    assert!(text.contains("SETTER_API_KEY"), "help explains where the key comes from");
    assert!(!text.contains(CANARY_KEY), "{text}");
    std::fs::remove_file(key_file).unwrap();
}

#[tokio::test]
async fn the_key_is_in_no_answer_and_no_log_line_even_at_trace_level() {
    let setter = FakeSetter::with(|request| match request.body.contains("15550000401") {
        true => Answer::new(401, r#"{"error": "Invalid API key"}"#),
        false => Answer::updated(),
    })
    .await;
    let mut env = command();
    env.env("SETTER_API_KEY", CANARY_KEY).env("RUST_LOG", "trace");
    let proxy = Running::start(env, &["--upstream", &setter.url]);

    let secret_email = "ada.private@example.com";
    let bodies = [
        json!({"id": 101, "email": secret_email, "firstName": "Ada"}).to_string(),
        json!({"waId": "15550000401", "lastName": "Refused"}).to_string(),
        r#"{"id": "#.to_owned(),
        json!({"id": 1, "email": "bad@"}).to_string(),
    ];
    let mut statuses = vec![];
    for body in &bodies {
        statuses.push(put_json(&proxy.url, body).await.status); // put_json asserts: no key in the answer
    }
    assert_eq!(statuses, [200, 502, 400, 400]);
    assert_eq!(
        setter.requests()[0].headers["authorization"],
        format!("Bearer {CANARY_KEY}"),
        "the key did travel upstream"
    );

    let (code, log) = proxy.stop();
    assert_eq!(code, Some(0), "{log}");
    assert!(!log.contains(CANARY_KEY), "the key is in the log");
    assert!(!log.contains(secret_email), "field values stay out of the log");
    let update_lines: Vec<&str> =
        log.lines().filter(|line| line.contains("update forwarded")).collect();
    assert_eq!(update_lines.len(), 2, "one line per forwarded update:\n{log}");
    let first = update_lines[0];
    for part in [
        "request_id=",
        "identifier=id",
        "changed=firstName,email",
        "upstream_status=200",
        "latency_ms=",
    ] {
        assert!(first.contains(part), "{part} missing in {first}");
    }
    assert!(update_lines[1].contains("upstream_status=401"), "{}", update_lines[1]);
}

#[tokio::test]
async fn the_key_file_is_read_and_trimmed() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let key_file = std::env::temp_dir().join(format!("key-{}", std::process::id()));
    std::fs::write(&key_file, format!("{CANARY_KEY}\n")).unwrap();
    let proxy = Running::start(
        command(),
        &["--upstream", &setter.url, "--api-key-file", key_file.to_str().unwrap()],
    );
    assert_eq!(put_json(&proxy.url, r#"{"id": 1, "firstName": "Ada"}"#).await.status, 200);
    assert_eq!(setter.requests()[0].headers["authorization"], format!("Bearer {CANARY_KEY}"));
    proxy.stop();
    std::fs::remove_file(key_file).unwrap();
}

#[tokio::test]
async fn demo_mode_needs_no_key_and_shows_the_sandbox_contacts() {
    // One serving thread: the smallest setting still serves the demo.
    let proxy = Running::start(command(), &["--demo", "--threads", "1"]);
    let reply =
        put_json(&proxy.url, r#"{"waId": "15550000102", "email": "grace@cobol.example"}"#).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let contacts: Vec<serde_json::Value> =
        get_json(&format!("{}/sandbox/contacts", proxy.url)).await;
    let grace = contacts.iter().find(|c| c["id"] == 102).unwrap();
    assert_eq!(grace["email"], "grace@cobol.example");
    let reply = put_json(&proxy.url, r#"{"id": 201, "email": "x@y.example"}"#).await;
    assert_eq!(reply.code(), "forbidden");
    let (code, log) = proxy.stop();
    assert_eq!(code, Some(0), "{log}");
}

#[tokio::test]
async fn sigterm_lets_updates_in_flight_finish() {
    let setter = FakeSetter::answering(Answer::updated().after(Duration::from_millis(800))).await;
    let mut env = command();
    env.env("SETTER_API_KEY", CANARY_KEY);
    let proxy = Running::start(env, &["--upstream", &setter.url]);
    let in_flight: Vec<_> = (1..=50)
        .map(|id| {
            let url = proxy.url.clone();
            tokio::spawn(async move {
                put_json(&url, &format!(r#"{{"id": {id}, "firstName": "A"}}"#)).await
            })
        })
        .collect();
    // Wait until all fifty reached Setter, then ask the proxy to stop.
    for _ in 0..200 {
        if setter.requests().len() == 50 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(setter.requests().len(), 50);
    proxy.terminate();
    for update in in_flight {
        assert_eq!(update.await.unwrap().status, 200, "an update in flight was cut off");
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let late = reqwest::Client::new()
        .put(format!("{}/api/contacts", proxy.url))
        .header("content-type", "application/json")
        .body(r#"{"id": 99, "firstName": "Late"}"#)
        .send()
        .await;
    assert!(late.is_err(), "a request after SIGTERM is refused at connect, not half-done");
    assert_eq!(setter.requests().len(), 50, "and never reaches Setter");
    let url = proxy.url.clone();
    let (code, log) = proxy.stop();
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("shutting down"), "{log}");
    assert!(reqwest::get(format!("{url}/healthz")).await.is_err(), "no longer listening");
}

#[test]
fn the_sandbox_subcommand_needs_its_own_key() {
    let (code, text) = output_of(command().env_remove("SANDBOX_API_KEY").arg("sandbox"));
    assert_eq!(code, Some(2));
    assert!(text.contains("SANDBOX_API_KEY"), "{text}");
}

#[tokio::test]
async fn the_sandbox_subcommand_serves_setters_endpoint() {
    let mut env = command();
    env.env("SANDBOX_API_KEY", "standalone-key");
    let mut child = env.args(["sandbox", "--listen", "127.0.0.1:0"]).spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let address = loop {
        let line = lines.next().expect("sandbox prints where it listens").unwrap();
        if let Some((_, address)) = line.split_once("listening on http://") {
            break address.trim().to_owned();
        }
    };
    let response = reqwest::Client::new()
        .put(format!("http://{address}/api/v1/contacts"))
        .bearer_auth("standalone-key")
        .header("content-type", "application/json")
        .body(r#"{"id": 103, "phoneNumber": "+44 20 7946 0000"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let contacts: Vec<serde_json::Value> =
        get_json(&format!("http://{address}/sandbox/contacts")).await;
    assert_eq!(contacts.iter().find(|c| c["id"] == 103).unwrap()["phoneNumber"], "+442079460000");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn sighup_reloads_the_key_file_and_a_bad_file_keeps_the_old_key() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let key_file = std::env::temp_dir().join(format!("rotating-key-{}", std::process::id()));
    std::fs::write(&key_file, "first-key\n").unwrap();
    let proxy = Running::start(
        command(),
        &["--upstream", &setter.url, "--api-key-file", key_file.to_str().unwrap()],
    );
    let body = r#"{"id": 1, "firstName": "Ada"}"#;

    assert_eq!(put_json(&proxy.url, body).await.status, 200);
    std::fs::write(&key_file, "second-key\n").unwrap();
    proxy.signal("-HUP");
    proxy.wait_for_log("API key reloaded", 1);
    assert_eq!(put_json(&proxy.url, body).await.status, 200);

    std::fs::write(&key_file, "\n").unwrap();
    proxy.signal("-HUP");
    proxy.wait_for_log("API key not reloaded", 1);
    assert_eq!(put_json(&proxy.url, body).await.status, 200);

    let keys: Vec<String> = setter
        .requests()
        .iter()
        .map(|r| r.headers["authorization"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(keys, ["Bearer first-key", "Bearer second-key", "Bearer second-key"]);
    let (_, log) = proxy.stop();
    assert!(!log.contains("second-key") && !log.contains("first-key"), "{log}");
    std::fs::remove_file(key_file).unwrap();
}

#[tokio::test]
async fn the_trusted_user_is_logged_as_the_actor() {
    let setter = FakeSetter::answering(Answer::updated()).await;
    let mut env = command();
    env.env("SETTER_API_KEY", CANARY_KEY);
    let proxy = Running::start(
        env,
        &["--upstream", &setter.url, "--trusted-user-header", "X-Forwarded-Email"],
    );
    let request = reqwest::Client::new()
        .put(format!("{}/api/contacts", proxy.url))
        .header("content-type", "application/json")
        .header("x-forwarded-email", "ops@example.com")
        .body(r#"{"id": 1, "lastName": "Byron"}"#);
    assert_eq!(send(request).await.status, 200);
    assert_eq!(put_json(&proxy.url, r#"{"id": 1, "lastName": "Byron"}"#).await.status, 401);
    let (_, log) = proxy.stop();
    let line = log.lines().find(|line| line.contains("update forwarded")).expect("logged");
    assert!(line.contains("actor=\"ops@example.com\""), "{line}");
}
