//! The audit trail against real databases: one suite run on SQLite (a file in
//! a temporary directory) and on PostgreSQL (a throwaway cluster of Debian's
//! server), then the faults an operator meets: the store gone or locked, two
//! replicas on one PostgreSQL, SIGTERM and SIGKILL under load.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use common::binary::*;
use common::postgres::Cluster;
use common::*;
use serde_json::{Value, json};
use setter_contacts::proxy::audit::{Audit, AuditConfig, AuditDb, Filter, StoredValues};

/// A temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("setter-audit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn config(db: &AuditDb, values: StoredValues, retention_days: u32) -> AuditConfig {
    AuditConfig { db: db.clone(), retention_days, values, longest_update: Duration::from_secs(30) }
}

/// A proxy recording in `audit`, forwarding to `setter`, trusting X-Forwarded-Email.
async fn proxy_recording(setter: &FakeSetter, audit: &Audit) -> String {
    let header = axum::http::HeaderName::from_static("x-forwarded-email");
    proxy_with(&setter.url, |c| {
        c.audit = audit.clone();
        c.trusted_user_header = Some(header);
        c.rate_limit_per_minute = 0;
    })
    .await
}

fn put(proxy: &str, user: &str, body: Value) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .put(format!("{proxy}/api/contacts"))
        .header("content-type", "application/json")
        .header("x-forwarded-email", user)
        .body(body.to_string())
}

async fn audit_page(proxy: &str, query: &str) -> Value {
    let reply = send(
        reqwest::Client::new()
            .get(format!("{proxy}/api/audit?{query}"))
            .header("x-forwarded-email", "reader@example.com"),
    )
    .await;
    assert_eq!(reply.status, 200, "{query}: {}", reply.body);
    reply.json()
}

/// The entries of `query`, once none of them is pending any more.
async fn settled(proxy: &str, query: &str) -> Vec<Value> {
    for _ in 0..200 {
        let page = audit_page(proxy, query).await;
        let entries = page["entries"].as_array().unwrap().clone();
        if entries.iter().all(|entry| entry["outcome"] != "pending") {
            return entries;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("entries still pending: {query}");
}

// --- The shared suite. ---

async fn suite(db: AuditDb) {
    records_each_forwarded_update_with_who_what_and_outcome(&db).await;
    pages_filters_and_the_csv_export_agree(&db).await;
    names_only_keeps_which_fields_and_no_values(&db).await;
    retention_deletes_what_is_older(&db).await;
}

#[tokio::test]
async fn the_trail_on_sqlite() {
    let dir = TempDir::new("suite");
    suite(AuditDb::Sqlite(dir.0.join("nested/audit.sqlite3"))).await;
    assert!(dir.0.join("nested/audit.sqlite3").is_file(), "created with its directory");
}

#[tokio::test]
async fn the_trail_on_postgres() {
    let cluster = Cluster::start();
    let url = cluster.database("suite").await;
    suite(AuditDb::parse(&url).unwrap()).await;
}

async fn records_each_forwarded_update_with_who_what_and_outcome(db: &AuditDb) {
    let audit = Audit::open(&config(db, StoredValues::Plain, 90)).await.unwrap();
    let setter = FakeSetter::with(|request| match request.body.contains("999") {
        true => Answer::new(404, r#"{"error":"No contacts found"}"#),
        false => Answer::updated(),
    })
    .await;
    let proxy = proxy_recording(&setter, &audit).await;
    let reply = send(
        put(
            &proxy,
            "ada@example.com",
            json!({"id": 101, "firstName": "Augusta", "metadata": {"tier": "gold"}}),
        )
        .header("x-request-id", "req-101")
        .header("x-batch-id", "run-7"),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        send(put(&proxy, "grace@example.com", json!({"id": 999, "lastName": "Nobody"})))
            .await
            .status,
        404
    );
    let refused =
        send(put(&proxy, "ada@example.com", json!({"id": 101, "email": "not an email"}))).await;
    assert_eq!(refused.status, 400, "refused before Setter: nothing to record");
    let bad_batch = send(
        put(&proxy, "ada@example.com", json!({"id": 101, "lastName": "X"}))
            .header("x-batch-id", "a b"),
    )
    .await;
    assert_eq!((bad_batch.status, bad_batch.code().as_str()), (400, "bad_batch"));

    let entries = settled(&proxy, "contact=id:101").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    let entry = &entries[0];
    assert_eq!(entry["actor"], "ada@example.com");
    assert_eq!(entry["client"], "127.0.0.1");
    assert_eq!(entry["requestId"], "req-101");
    assert_eq!(entry["identifier"], json!({"kind": "id", "value": "101"}));
    assert_eq!(entry["changedFields"], json!(["firstName", "metadata"]));
    assert_eq!(entry["values"], json!({"firstName": "Augusta", "metadata": {"tier": "gold"}}));
    assert_eq!(entry["batch"], "run-7");
    assert_eq!(
        (entry["outcome"].as_str(), entry["setterStatus"].as_i64()),
        (Some("updated"), Some(200))
    );
    assert!(entry["latencyMs"].as_i64().is_some());
    assert!(entry["at"].as_str().unwrap().ends_with('Z'));

    let all = settled(&proxy, "").await;
    assert_eq!(all.len(), 2, "one entry per forwarded update");
    assert_eq!(all[0]["identifier"]["value"], "999", "newest first");
    assert_eq!(
        (all[0]["outcome"].as_str(), all[0]["setterStatus"].as_i64()),
        (Some("not_found"), Some(404))
    );
    assert_eq!(setter.requests().len(), 2);
    audit.close().await;
}

async fn pages_filters_and_the_csv_export_agree(db: &AuditDb) {
    // The store of the previous check, opened again: its entries are there.
    let audit = Audit::open(&config(db, StoredValues::Plain, 90)).await.unwrap();
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_recording(&setter, &audit).await;
    let before = audit.read(Filter::default(), 100).await.unwrap().0.len();
    let since =
        setter_contacts::proxy::audit::time::format(setter_contacts::proxy::audit::time::now_ms());
    for n in 0..25 {
        let user = if n % 2 == 0 { "even@example.com" } else { "odd@example.com" };
        let body = json!({"smsPhoneNumber": "+1 555 000 0042", "fullName": format!("=HYPERLINK(\"x\") {n}")});
        let request =
            put(&proxy, user, body).header("x-batch-id", if n < 10 { "first" } else { "second" });
        assert_eq!(send(request).await.status, 200);
    }
    let query = "contact=smsPhoneNumber:%2B1%20(555)%20000-0042";
    let mut seen = Vec::new();
    let mut cursor = String::new();
    for page in 0.. {
        let body = audit_page(&proxy, &format!("{query}&limit=10{cursor}")).await;
        let entries = body["entries"].as_array().unwrap();
        seen.extend(entries.iter().map(|entry| entry["id"].as_str().unwrap().to_owned()));
        match body["next"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => {
                assert_eq!(page, 2, "25 entries in pages of 10");
                break;
            }
        }
    }
    assert_eq!(seen.len(), 25);
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(sorted, seen, "newest first, each once");

    for (selection, expected) in [
        (format!("{query}&actor=even@example.com&limit=100"), 13),
        (format!("{query}&batch=first&limit=100"), 10),
        (format!("since={since}&limit=100"), 25),
        ("until=2000-01-01&limit=100".to_owned(), 0),
    ] {
        assert_eq!(settled(&proxy, &selection).await.len(), expected, "{selection}");
    }
    assert_eq!(audit.read(Filter::default(), 100).await.unwrap().0.len(), before + 25);
    let bad = send(
        reqwest::Client::new()
            .get(format!("{proxy}/api/audit?since=soon"))
            .header("x-forwarded-email", "r@x"),
    )
    .await;
    assert_eq!((bad.status, bad.code().as_str()), (400, "bad_query"));

    let csv = reqwest::Client::new()
        .get(format!("{proxy}/api/audit.csv?{query}"))
        .header("x-forwarded-email", "reader@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("id,at,actor,client"), "{}", lines[0]);
    assert_eq!(lines.len(), 26, "a header and every entry");
    assert!(!text.contains(CANARY_KEY));
    // The value cell is JSON of the new values: its leading '{' is no formula,
    // but a cell that begins with one is defused.
    assert!(text.contains("=HYPERLINK"), "the value is kept");
    for line in &lines[1..] {
        assert!(!line.contains(",=") && !line.contains(",\"="), "a formula cell: {line}");
    }
    audit.close().await;
}

async fn names_only_keeps_which_fields_and_no_values(db: &AuditDb) {
    let audit = Audit::open(&config(db, StoredValues::NamesOnly, 90)).await.unwrap();
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_recording(&setter, &audit).await;
    let private = "private.address@example.com";
    assert_eq!(
        send(put(&proxy, "u@example.com", json!({"waId": "15550000777", "email": private})))
            .await
            .status,
        200
    );
    let entries = settled(&proxy, "contact=waId:15550000777").await;
    assert_eq!(entries[0]["changedFields"], json!(["email"]));
    assert_eq!(entries[0]["values"], Value::Null);
    assert!(!audit_page(&proxy, "contact=waId:15550000777").await.to_string().contains(private));
    audit.close().await;
}

async fn retention_deletes_what_is_older(db: &AuditDb) {
    let kept = Audit::open(&config(db, StoredValues::Plain, 1)).await.unwrap();
    assert!(
        !kept.read(Filter::default(), 10).await.unwrap().0.is_empty(),
        "today's entries are kept"
    );
    kept.close().await;
    // Kept for no day at all: everything made before this start is past it.
    tokio::time::sleep(Duration::from_millis(5)).await;
    let none = Audit::open(&config(db, StoredValues::Plain, 0)).await.unwrap();
    assert!(none.read(Filter::default(), 10).await.unwrap().0.is_empty());
    none.close().await;
}

// --- Faults. ---

#[tokio::test]
async fn with_postgres_stopped_updates_are_refused_unsent_and_service_resumes_when_it_is_back() {
    let cluster = Cluster::start();
    let db = AuditDb::parse(&cluster.database("faults").await).unwrap();
    let audit = Audit::open(&config(&db, StoredValues::Plain, 90)).await.unwrap();
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_recording(&setter, &audit).await;
    assert_eq!(
        send(put(&proxy, "u@x.com", json!({"id": 1, "firstName": "Before"}))).await.status,
        200
    );

    cluster.stop();
    let refused = send(put(&proxy, "u@x.com", json!({"id": 1, "firstName": "During"}))).await;
    assert_eq!((refused.status, refused.code().as_str()), (503, "audit_unavailable"));
    assert!(refused.json()["error"]["message"].as_str().unwrap().contains("audit"));
    assert_eq!(setter.requests().len(), 1, "nothing was forwarded unrecorded");

    cluster.restart();
    let mut resumed = false;
    for _ in 0..50 {
        if send(put(&proxy, "u@x.com", json!({"id": 1, "firstName": "After"}))).await.status == 200
        {
            resumed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(resumed, "the pool reconnects by itself");
    let names: Vec<Value> = settled(&proxy, "")
        .await
        .iter()
        .map(|entry| entry["values"]["firstName"].clone())
        .collect();
    assert_eq!(names, [json!("After"), json!("Before")], "exactly what was forwarded");
    audit.close().await;
}

#[tokio::test]
async fn with_the_sqlite_file_locked_updates_are_refused_unsent_and_service_resumes_when_it_is_free()
 {
    use sqlx::Executor;
    let dir = TempDir::new("locked");
    let path = dir.0.join("audit.sqlite3");
    let audit = Audit::open(&config(&AuditDb::Sqlite(path.clone()), StoredValues::Plain, 90))
        .await
        .unwrap();
    let setter = FakeSetter::answering(Answer::updated()).await;
    let proxy = proxy_recording(&setter, &audit).await;
    // Another process holding the write lock (a backup tool, an admin's
    // sqlite3 shell in a transaction): the file cannot be written.
    let holder = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let mut lock = holder.acquire().await.unwrap();
    lock.execute("BEGIN IMMEDIATE").await.unwrap();
    let refused = send(put(&proxy, "u@x.com", json!({"id": 1, "firstName": "Locked"}))).await;
    assert_eq!((refused.status, refused.code().as_str()), (503, "audit_unavailable"));
    assert!(setter.requests().is_empty(), "nothing was forwarded unrecorded");
    lock.execute("ROLLBACK").await.unwrap();
    drop(lock);
    assert_eq!(
        send(put(&proxy, "u@x.com", json!({"id": 1, "firstName": "Free"}))).await.status,
        200
    );
    assert_eq!(setter.requests().len(), 1);
    holder.close().await;
    audit.close().await;
}

// --- Replicas and signals, with the binary. ---

const SANDBOX_KEY: &str = "sk-canary-7f3a9c1e5b2d4f60-sandbox";

/// `contact-proxy sandbox`, which outlives the proxies in front of it.
fn sandbox() -> Running {
    let mut env = command();
    env.env("SANDBOX_API_KEY", SANDBOX_KEY);
    Running::start_sandbox(env)
}

/// A proxy binary in front of `upstream`, recording in `audit_db`.
fn proxy_binary(upstream: &str, audit_db: &str, extra: &[&str]) -> Running {
    let mut env = command();
    env.env("SETTER_API_KEY", SANDBOX_KEY);
    let mut args =
        vec!["--upstream", upstream, "--audit-db", audit_db, "--rate-limit-per-minute", "0"];
    args.extend_from_slice(extra);
    Running::start(env, &args)
}

/// Sends updates of contact 101, each with a metadata key of its own
/// (`r{n}`), from `workers` loops until `stop`; returns what each answer was.
async fn load(proxies: Vec<String>, workers: usize, stop: Arc<AtomicBool>) -> BTreeMap<u64, u16> {
    let next = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for worker in 0..workers {
        let (proxy, next, stop) =
            (proxies[worker % proxies.len()].clone(), next.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut answers = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let body = json!({"id": 101, "metadata": {format!("r{n}"): "x"}}).to_string();
                let sent = client
                    .put(format!("{proxy}/api/contacts"))
                    .header("content-type", "application/json")
                    .body(body)
                    .timeout(Duration::from_secs(10))
                    .send()
                    .await;
                answers.push((n, sent.map_or(0, |response| response.status().as_u16())));
            }
            answers
        }));
    }
    let mut all = BTreeMap::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all
}

/// Every entry of the trail at `db`, oldest first.
async fn every_entry(db: &str) -> Vec<setter_contacts::proxy::audit::Entry> {
    let audit =
        Audit::open(&config(&AuditDb::parse(db).unwrap(), StoredValues::Plain, 90)).await.unwrap();
    let mut entries = Vec::new();
    let mut filter = Filter::default();
    loop {
        let (page, next) = audit.read(filter.clone(), 100).await.unwrap();
        entries.extend(page);
        match next {
            Some(cursor) => filter.before = Some(cursor),
            None => break,
        }
    }
    audit.close().await;
    entries.reverse();
    entries
}

/// The `r{n}` key an entry set.
fn key_of(entry: &setter_contacts::proxy::audit::Entry) -> u64 {
    let values: Value = serde_json::from_str(entry.new_values.as_deref().unwrap()).unwrap();
    let key = values["metadata"].as_object().unwrap().keys().next().unwrap().clone();
    key.trim_start_matches('r').parse().unwrap()
}

/// The `r{n}` keys the sandbox applied to contact 101.
async fn applied(sandbox: &Running) -> BTreeSet<u64> {
    let contacts: Vec<Value> = get_json(&format!("{}/sandbox/contacts", sandbox.url)).await;
    let ada = contacts.iter().find(|contact| contact["id"] == 101).unwrap();
    ada["metadata"]
        .as_object()
        .unwrap()
        .keys()
        .filter_map(|key| key.strip_prefix('r').and_then(|n| n.parse().ok()))
        .collect()
}

#[tokio::test]
async fn two_proxies_on_one_postgres_lose_and_double_nothing_and_ids_keep_time_order() {
    let cluster = Cluster::start();
    let db = cluster.database("replicas").await;
    let sandbox = sandbox();
    let (a, b) = (proxy_binary(&sandbox.url, &db, &[]), proxy_binary(&sandbox.url, &db, &[]));
    let stop = Arc::new(AtomicBool::new(false));
    let load = tokio::spawn(load(vec![a.url.clone(), b.url.clone()], 16, stop.clone()));
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.store(true, Ordering::Relaxed);
    let answers = load.await.unwrap();
    let updated: BTreeSet<u64> =
        answers.iter().filter(|(_, status)| **status == 200).map(|(n, _)| *n).collect();
    assert!(updated.len() > 200, "under load: {} updates", updated.len());
    assert_eq!(updated.len(), answers.len(), "every update went through");
    a.stop();
    b.stop();

    let entries = every_entry(&db).await;
    let keys: Vec<u64> = entries.iter().map(key_of).collect();
    let unique: BTreeSet<u64> = keys.iter().copied().collect();
    assert_eq!(keys.len(), unique.len(), "no entry doubled");
    assert_eq!(unique, updated, "no entry lost: one per update, from both replicas");
    assert!(entries.iter().all(|entry| entry.outcome.as_deref() == Some("updated")));
    assert!(
        entries.windows(2).all(|pair| pair[0].id < pair[1].id && pair[0].at_ms <= pair[1].at_ms),
        "order by id is order by time"
    );
    assert_eq!(applied(&sandbox).await, updated);
    sandbox.stop();
}

#[tokio::test]
async fn sigterm_under_load_leaves_every_forwarded_update_with_its_outcome() {
    let dir = TempDir::new("sigterm");
    let db = format!("sqlite://{}", dir.0.join("audit.sqlite3").display());
    let sandbox = sandbox();
    let proxy = proxy_binary(&sandbox.url, &db, &[]);
    let stop = Arc::new(AtomicBool::new(false));
    let load = tokio::spawn(load(vec![proxy.url.clone()], 16, stop.clone()));
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (code, log) = proxy.stop(); // SIGTERM, then waits for the exit
    stop.store(true, Ordering::Relaxed);
    let answers = load.await.unwrap();
    assert_eq!(code, Some(0), "{log}");

    let updated: BTreeSet<u64> =
        answers.iter().filter(|(_, status)| **status == 200).map(|(n, _)| *n).collect();
    assert!(updated.len() > 100, "under load: {}", updated.len());
    let entries = every_entry(&db).await;
    let recorded: BTreeMap<u64, Option<String>> =
        entries.iter().map(|entry| (key_of(entry), entry.outcome.clone())).collect();
    for n in &updated {
        assert_eq!(
            recorded.get(n),
            Some(&Some("updated".to_owned())),
            "update r{n}: its entry and outcome"
        );
    }
    assert_eq!(applied(&sandbox).await, updated, "what Setter applied is what was answered 200");
    sandbox.stop();
}

#[tokio::test]
async fn sigkill_under_load_leaves_no_applied_update_without_its_entry() {
    let dir = TempDir::new("sigkill");
    let db = format!("sqlite://{}", dir.0.join("audit.sqlite3").display());
    let sandbox = sandbox();
    let mut proxy = proxy_binary(&sandbox.url, &db, &["--upstream-timeout-ms", "200"]);
    let stop = Arc::new(AtomicBool::new(false));
    let load = tokio::spawn(load(vec![proxy.url.clone()], 16, stop.clone()));
    tokio::time::sleep(Duration::from_secs(2)).await;
    proxy.child.kill().unwrap(); // SIGKILL: no drain, no flush
    let _ = proxy.child.wait();
    stop.store(true, Ordering::Relaxed);
    let _ = load.await.unwrap();

    let applied = applied(&sandbox).await;
    assert!(applied.len() > 100, "under load: {}", applied.len());
    let entries = every_entry(&db).await;
    let recorded: BTreeSet<u64> = entries.iter().map(key_of).collect();
    let unrecorded: Vec<&u64> = applied.difference(&recorded).collect();
    assert!(unrecorded.is_empty(), "applied by Setter with no entry: {unrecorded:?}");
    let without_outcome = entries.iter().filter(|entry| entry.outcome.is_none()).count();
    // Those in flight at the kill: their entries are there, with no outcome.
    assert!(without_outcome <= 16, "at most one per worker in flight: {without_outcome}");
    eprintln!(
        "SIGKILL under load: {} updates applied by Setter, {} entries, {without_outcome} without an outcome",
        applied.len(),
        entries.len()
    );

    // Read through a proxy once any update could have ended (the upstream
    // timeout and the drain's 5 s): those in flight read "outcome unknown".
    let reader = proxy_binary(&sandbox.url, &db, &["--upstream-timeout-ms", "200"]);
    tokio::time::sleep(Duration::from_millis(5300)).await;
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut cursor = String::new();
    loop {
        let page: Value = get_json(&format!("{}/api/audit?limit=100{cursor}", reader.url)).await;
        for entry in page["entries"].as_array().unwrap() {
            *outcomes.entry(entry["outcome"].as_str().unwrap().to_owned()).or_default() += 1;
        }
        match page["next"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(outcomes.get("pending"), None, "{outcomes:?}");
    assert_eq!(outcomes.get("unknown").copied().unwrap_or(0), without_outcome, "{outcomes:?}");
    assert_eq!(outcomes.values().sum::<usize>(), entries.len());
    reader.stop();
    sandbox.stop();
}
