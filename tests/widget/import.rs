//! The bulk importer in a real browser: files dropped or chosen as a person
//! would, a stub transport whose answers come after a delay (so that
//! concurrency, waits and retries can be watched), and `localStorage` for
//! what a reload keeps.

use std::cell::Cell;

use setter_contacts::ui::import::model::Import;
use setter_contacts::ui::import::reader::{MAX_BYTES, MAX_ROWS, read};
use setter_contacts::widget::{ImportConfig, ImportHandle, mount_import_with};

use crate::fixtures::*;

#[wasm_bindgen(inline_js = r#"
export function dropFile(target, bytes, name) {
  const files = new DataTransfer();
  files.items.add(new File([bytes], name, { type: "text/csv" }));
  target.dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: files }));
}
export function chooseFile(input, bytes, name) {
  const files = new DataTransfer();
  files.items.add(new File([bytes], name, { type: "text/csv" }));
  input.files = files.files;
  input.dispatchEvent(new Event("change", { bubbles: true }));
}
export function forgetImports() {
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith("setter-import")) localStorage.removeItem(key);
  }
}
export function now() { return performance.now(); }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = dropFile)]
    fn drop_file(target: &Element, bytes: &[u8], name: &str);
    #[wasm_bindgen(js_name = chooseFile)]
    fn choose_file(input: &Element, bytes: &[u8], name: &str);
    #[wasm_bindgen(js_name = forgetImports)]
    fn forget_imports();
    fn now() -> f64;
}

/// One scripted answer: an HTTP status (with a `Retry-After`), or nothing.
#[derive(Clone)]
enum Answer {
    Status(u16, Option<u64>),
    Unreachable,
}

type Script = Box<dyn FnMut(&Request) -> Answer>;

/// Answers each request after `delay_ms`, by its script, and keeps count of
/// the requests in flight.
struct Server {
    requests: RefCell<Vec<(f64, Request)>>,
    /// The ids whose answers were handed back, in order.
    completed: RefCell<Vec<u64>>,
    in_flight: Cell<usize>,
    most_in_flight: Cell<usize>,
    delay_ms: i32,
    script: RefCell<Script>,
}

struct ServerTransport(Rc<Server>);

impl Transport for ServerTransport {
    fn send(&self, request: Request) -> Pending {
        let server = Rc::clone(&self.0);
        let answer = (server.script.borrow_mut())(&request);
        let id = serde_json::from_str::<ContactUpdate>(&request.body).ok().and_then(|u| u.id);
        server.requests.borrow_mut().push((now(), request));
        server.in_flight.set(server.in_flight.get() + 1);
        server.most_in_flight.set(server.most_in_flight.get().max(server.in_flight.get()));
        Box::pin(async move {
            sleep(server.delay_ms).await;
            server.in_flight.set(server.in_flight.get() - 1);
            // The importer reads the answer in this same poll: an id listed
            // here was answered as far as the importer knows.
            server.completed.borrow_mut().push(id.unwrap_or_default());
            match answer {
                Answer::Status(status, retry_after) => {
                    Ok(RawResponse { status, body: envelope_for(status), retry_after })
                }
                Answer::Unreachable => Err(TransportError::Network),
            }
        })
    }
}

/// The proxy's envelope for a status (empty for a 2xx).
fn envelope_for(status: u16) -> String {
    let code = match status {
        200 => return r#"{"message":"Contact updated successfully"}"#.to_owned(),
        404 => ErrorCode::NotFound,
        409 => ErrorCode::MultipleMatches,
        403 => ErrorCode::Forbidden,
        429 => ErrorCode::RateLimited,
        502 => ErrorCode::UpstreamError,
        504 => ErrorCode::UpstreamTimeout,
        _ => ErrorCode::InvalidField,
    };
    let body = ErrorBody { code, message: "Setter said no.".into(), fields: FieldErrors::new() };
    serde_json::to_string(&ErrorEnvelope { error: body }).unwrap()
}

struct Importer {
    host: HtmlElement,
    root: ShadowRoot,
    handle: Option<ImportHandle>,
    server: Rc<Server>,
    finished: Rc<RefCell<Vec<JsValue>>>,
}

fn mount_importer(delay_ms: i32, script: impl FnMut(&Request) -> Answer + 'static) -> Importer {
    let server = Rc::new(Server {
        requests: RefCell::default(),
        completed: RefCell::default(),
        in_flight: Cell::new(0),
        most_in_flight: Cell::new(0),
        delay_ms,
        script: RefCell::new(Box::new(script)),
    });
    let host = new_host();
    let config = ImportConfig {
        endpoint: Endpoint::Fixed("/api/contacts".into()),
        transport: Rc::new(ServerTransport(Rc::clone(&server))),
        timeout_ms: 5_000,
        backoff_ms: 40,
    };
    let handle = mount_import_with(&host, config).expect("mounts");
    let finished = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::clone(&finished);
    let listener =
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
            assert!(event.bubbles() && event.composed());
            seen.borrow_mut().push(event.detail());
        });
    host.add_event_listener_with_callback(
        "contact-import-finished",
        listener.as_ref().unchecked_ref(),
    )
    .unwrap();
    listener.forget();
    let root = host.shadow_root().unwrap();
    Importer { host, root, handle: Some(handle), server, finished }
}

fn ok(_: &Request) -> Answer {
    Answer::Status(200, None)
}

impl Importer {
    fn get(&self, selector: &str) -> Element {
        self.root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}"))
    }

    fn text(&self, selector: &str) -> String {
        self.get(selector).text_content().unwrap_or_default()
    }

    async fn drop_text(&self, text: &str) {
        self.drop_bytes(text.as_bytes()).await;
    }

    async fn drop_bytes(&self, bytes: &[u8]) {
        drop_file(&self.get("#drop"), bytes, "contacts.csv");
        self.until(|| !self.text("#file-state").starts_with("Reading")).await;
        sleep(80).await; // one render
    }

    async fn click(&self, id: &str) {
        self.get(&format!("#{id}")).unchecked_into::<HtmlElement>().click();
        sleep(80).await;
    }

    async fn change(&self, selector: &str, value: &str) {
        let element = self.get(selector);
        if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
            select.set_value(value);
        } else {
            element.unchecked_ref::<HtmlInputElement>().set_value(value);
        }
        fire(&element, "change");
        sleep(80).await;
    }

    async fn toggle(&self, id: &str) {
        let input: HtmlInputElement = self.get(&format!("#{id}")).unchecked_into();
        input.set_checked(!input.checked());
        fire(&input, "change");
        sleep(80).await;
    }

    /// Waits (at most 10 s) until `done`.
    async fn until(&self, done: impl Fn() -> bool) {
        let start = now();
        while !done() {
            assert!(
                now() - start < 10_000.0,
                "waited 10 s; the summary says {:?}",
                self.text("#summary")
            );
            sleep(20).await;
        }
    }

    async fn until_finished(&self) {
        self.until(|| !self.finished.borrow().is_empty()).await;
        sleep(80).await;
    }

    fn sent_ids(&self) -> Vec<u64> {
        self.server
            .requests
            .borrow()
            .iter()
            .map(|(_, request)| {
                let update: ContactUpdate = serde_json::from_str(&request.body).unwrap();
                update.id.unwrap_or_default()
            })
            .collect()
    }

    fn statuses(&self) -> Vec<String> {
        let list = self.root.query_selector_all("#table-body tr").unwrap();
        (0..list.length())
            .map(|i| {
                list.item(i)
                    .unwrap()
                    .unchecked_into::<Element>()
                    .get_attribute("data-standing")
                    .unwrap()
            })
            .collect()
    }

    fn finished_detail(&self, key: &str) -> JsValue {
        Reflect::get(&self.finished.borrow()[0], &JsValue::from_str(key)).unwrap()
    }
}

impl Drop for Importer {
    fn drop(&mut self) {
        drop(self.handle.take());
        self.host.remove();
    }
}

/// `rows` rows `101..` with a first name each.
fn file_of(rows: u64) -> String {
    let mut text = "id,firstName\n".to_owned();
    for id in 0..rows {
        text.push_str(&format!("{},Name{id}\n", 101 + id));
    }
    text
}

#[wasm_bindgen_test]
async fn a_dropped_file_is_read_bom_delimiter_quotes_and_line_endings_and_all() {
    forget_imports();
    let importer = mount_importer(0, ok);
    importer
        .drop_text("\u{feff}id;First name;E-mail;note\r\n101;\"Ada; Countess\";ada@example.com;\r\n102;Grace;;\"two\nlines\"\r103;Alan;;\n104;Kat;;")
        .await;
    assert_eq!(importer.text("#file-state"), "contacts.csv: 4 rows, 4 columns.");
    assert_eq!(importer.text("#counts"), "4 rows: 4 ready, 0 with problems.");
    let first: HtmlSelectElement = importer.get("#map-0").unchecked_into();
    assert_eq!(first.value(), "id", "the BOM is not part of the first header");
    let cell: HtmlInputElement = importer.get("input[data-row='1'][data-col='3']").unchecked_into();
    assert_eq!(cell.value(), "twolines", "a quoted line break is in the cell (an input drops it)");
    let cell: HtmlInputElement = importer.get("input[data-row='0'][data-col='1']").unchecked_into();
    assert_eq!(cell.value(), "Ada; Countess");
    let tab: &str = "id\tfirstName\n1\tAda, Countess\n";
    importer.drop_text(tab).await;
    assert_eq!(importer.text("#counts"), "1 row: 1 ready, 0 with problems.");
}

#[wasm_bindgen_test]
async fn bytes_that_are_not_utf8_are_read_as_windows_1252_and_the_operator_is_told() {
    forget_imports();
    let importer = mount_importer(0, ok);
    // "Zoë" and "Müller" as Excel's Western encoding writes them.
    importer.drop_bytes(b"id,firstName,lastName\n101,Zo\xeb,M\xfcller\n").await;
    assert!(
        importer.text("#file-state").contains("Windows-1252"),
        "{}",
        importer.text("#file-state")
    );
    let cell: HtmlInputElement = importer.get("input[data-row='0'][data-col='1']").unchecked_into();
    assert_eq!(cell.value(), "Zoë");
}

#[wasm_bindgen_test]
async fn ragged_rows_and_the_limits_are_said_plainly() {
    forget_imports();
    let importer = mount_importer(0, ok);
    importer.drop_text("id,firstName,lastName\n101,Ada\n102,Grace,Hopper,extra\n").await;
    let state = importer.text("#file-state");
    assert!(state.contains("2 rows do not have 3 cells"), "{state}");
    assert!(state.contains("row 1, with 2"), "{state}");

    let too_many = format!("id\n{}", "101\n".repeat(MAX_ROWS + 1));
    importer.drop_text(&too_many).await;
    assert!(
        importer.text("#file-state").contains("more than 50,000 rows"),
        "{}",
        importer.text("#file-state")
    );

    let too_large = vec![b'x'; MAX_BYTES + 1];
    importer.drop_bytes(&too_large).await;
    assert!(
        importer.text("#file-state").contains("larger than 10 MB"),
        "{}",
        importer.text("#file-state")
    );

    importer.drop_text("id,firstName\n").await;
    assert!(
        importer.text("#file-state").contains("no rows of contacts"),
        "{}",
        importer.text("#file-state")
    );
}

#[wasm_bindgen_test]
async fn columns_map_by_name_alias_and_metadata_and_the_mapping_is_remembered() {
    forget_imports();
    let file = "Contact ID,e-mail,Time zone,WhatsApp ID,metadata:tier,notes\n101,ada@example.com,Europe/London,,gold,hi\n";
    let importer = mount_importer(0, ok);
    importer.drop_text(file).await;
    let value = |importer: &Importer, column: usize| {
        importer.get(&format!("#map-{column}")).unchecked_into::<HtmlSelectElement>().value()
    };
    let mapped: Vec<String> = (0..6).map(|column| value(&importer, column)).collect();
    assert_eq!(mapped, ["id", "email", "defaultTimeZone", "waId", "metadata.tier", "-"]);
    assert_eq!(importer.text("#counts"), "1 row: 1 ready, 0 with problems.");

    importer.change("#map-5", "metadata.notes").await;
    importer.change("#map-0", "-").await;
    importer.change("#map-3", "-").await;
    assert!(importer.text("#mapping-error").contains("No column says which contact"));
    assert!(importer.get("#send").has_attribute("hidden"), "nothing can be sent");
    importer.change("#map-0", "id").await;
    assert_eq!(importer.text("#mapping-error"), "");

    // Another importer, the same headers: the mapping as it was left.
    let again = mount_importer(0, ok);
    again.drop_text(file).await;
    assert_eq!(value(&again, 5), "metadata.notes");
    assert!(again.text("#file-state").contains("as last time"));
}

#[wasm_bindgen_test]
async fn problems_show_on_their_cells_in_the_forms_words_and_an_edit_fixes_them() {
    forget_imports();
    let importer = mount_importer(0, ok);
    importer.drop_text("id,email\n101,ada@\n102,grace@example.com\n").await;
    assert_eq!(importer.text("#counts"), "2 rows: 1 ready, 1 with problems.");
    let cell = importer.get("input[data-row='0'][data-col='1']");
    assert_eq!(cell.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = cell.get_attribute("aria-describedby").unwrap();
    let expected =
        ContactUpdate { id: Some(101), email: Some("ada@".into()), ..Default::default() }
            .validate()
            .unwrap_err();
    assert_eq!(importer.text(&format!("#{described}")), expected.fields()["email"]);

    importer.toggle("only-problems").await;
    assert_eq!(importer.statuses(), ["invalid"], "only the row with a problem");
    importer.change("input[data-row='0'][data-col='1']", "ada@example.com").await;
    assert_eq!(importer.text("#counts"), "2 rows: 2 ready, 0 with problems.");
    assert_eq!(importer.statuses(), Vec::<String>::new());
}

#[wasm_bindgen_test]
async fn rows_naming_the_same_contact_are_held_back_unless_allowed() {
    forget_imports();
    let importer = mount_importer(0, ok);
    importer.drop_text("id,firstName\n101,A\n102,B\n101,C\n").await;
    assert_eq!(
        importer.text("#counts"),
        "3 rows: 2 ready, 0 with problems, 1 held back as duplicates."
    );
    assert_eq!(importer.statuses(), ["not_sent", "not_sent", "duplicate"]);
    importer.toggle("allow-duplicates").await;
    assert_eq!(importer.text("#counts"), "3 rows: 3 ready, 0 with problems.");
    importer.toggle("allow-duplicates").await;
    importer.click("start").await;
    importer.until_finished().await;
    assert_eq!(importer.sent_ids(), [101, 102], "the later row is not sent");
}

#[wasm_bindgen_test]
fn results_keep_every_column_defuse_formulas_and_read_back_the_same() {
    let file = "id,firstName,note\n101,Ada,\"=HYPERLINK(\"\"http://evil\"\")\"\n102,Grace,\"a, \"\"quoted\"\"\nline\"\n";
    let import = Import::new(read(file).unwrap(), None);
    let results = import.results_csv();
    assert!(results.starts_with("id,firstName,note,status,code,message\r\n"), "{results}");
    assert!(results.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""), "{results}");
    let back = read(&results).unwrap();
    assert_eq!(back.cell(1, 2), "a, \"quoted\"\nline", "quoting round-trips");
    assert_eq!(back.cell(0, 3), "not_sent");
}

#[wasm_bindgen_test]
async fn never_more_in_flight_than_the_concurrency_set() {
    forget_imports();
    let importer = mount_importer(30, ok);
    importer.drop_text(&file_of(20)).await;
    importer.change("#concurrency", "3").await;
    importer.click("start").await;
    importer.until_finished().await;
    assert_eq!(importer.server.most_in_flight.get(), 3);
    let mut sent = importer.sent_ids();
    sent.sort_unstable();
    assert_eq!(sent, (101..121).collect::<Vec<_>>(), "each row once");
    assert_eq!(importer.finished_detail("updated").as_f64(), Some(20.0));
    let batch = importer.server.requests.borrow()[0].1.headers.clone();
    assert_eq!(batch[0].0, "X-Batch-Id");
    assert!(batch[0].1.starts_with("import-"), "{batch:?}");
    assert!(importer.text("#summary").starts_with("Import finished: 20 rows updated, 0 failed."));
}

#[wasm_bindgen_test]
async fn a_429_stops_every_sender_until_its_retry_after() {
    forget_imports();
    let mut first = true;
    let importer = mount_importer(10, move |_| {
        if std::mem::take(&mut first) {
            Answer::Status(429, Some(1))
        } else {
            Answer::Status(200, None)
        }
    });
    importer.drop_text(&file_of(3)).await;
    importer.change("#concurrency", "1").await;
    importer.click("start").await;
    importer.until_finished().await;
    let requests = importer.server.requests.borrow();
    assert_eq!(requests.len(), 4, "the limited row once more, the others once");
    let waited = requests[1].0 - requests[0].0;
    assert!(waited >= 990.0, "the next request came {waited} ms after the 429");
    assert_eq!(importer.finished_detail("updated").as_f64(), Some(3.0));
}

#[wasm_bindgen_test]
async fn gateway_failures_and_silence_are_retried_and_4xx_answers_are_not() {
    forget_imports();
    let importer = mount_importer(5, |request: &Request| {
        let id: ContactUpdate = serde_json::from_str(&request.body).unwrap();
        match id.id {
            Some(101) => Answer::Status(502, None), // always: fails after 3 retries
            Some(102) => Answer::Status(404, None),
            Some(103) => Answer::Unreachable,
            Some(104) => Answer::Status(409, None),
            _ => Answer::Status(403, None),
        }
    });
    importer.drop_text(&file_of(5)).await;
    importer.click("start").await;
    importer.until_finished().await;
    let sent = importer.sent_ids();
    let count = |id| sent.iter().filter(|sent| **sent == id).count();
    assert_eq!([count(101), count(102), count(103), count(104), count(105)], [4, 1, 4, 1, 1]);
    assert_eq!(
        importer.statuses(),
        ["failed", "not_found", "failed", "several_contacts", "no_access"]
    );
    assert!(importer.text("#table-body tr:first-child .sci-status").contains("after 3 retries"));
    assert_eq!(importer.finished_detail("failed").as_f64(), Some(5.0));
}

#[wasm_bindgen_test]
async fn pause_holds_cancel_stops_and_answers_in_flight_still_count() {
    forget_imports();
    let importer = mount_importer(60, ok);
    importer.drop_text(&file_of(12)).await;
    importer.change("#concurrency", "2").await;
    importer.click("start").await;
    importer.click("pause").await; // 80 ms in: the first two answered, two more on their way
    let paused_at = importer.server.requests.borrow().len();
    sleep(300).await;
    assert_eq!(importer.server.requests.borrow().len(), paused_at, "nothing sent while paused");
    assert_eq!(importer.server.in_flight.get(), 0, "those on their way finished");
    importer.click("resume").await;
    importer.click("cancel").await;
    importer.until_finished().await;
    let sent = importer.server.requests.borrow().len();
    assert!(sent < 12, "cancelled before the end: {sent} sent");
    sleep(200).await;
    assert_eq!(importer.server.requests.borrow().len(), sent, "nothing after Cancel");
    assert_eq!(importer.finished_detail("cancelled"), JsValue::TRUE);
    assert_eq!(
        importer.finished_detail("updated").as_f64(),
        Some(sent as f64),
        "answers in flight counted"
    );
    assert_eq!(importer.finished_detail("notSent").as_f64(), Some((12 - sent) as f64));
}

#[wasm_bindgen_test]
async fn a_reload_resumes_without_sending_answered_rows_again() {
    forget_imports();
    let file = file_of(10);
    let first = mount_importer(40, ok);
    first.drop_text(&file).await;
    first.change("#concurrency", "1").await;
    first.click("start").await;
    first.until(|| first.server.completed.borrow().len() >= 4).await;
    let answered = first.server.completed.borrow().clone();
    let batch = first.server.requests.borrow()[0].1.headers[0].1.clone();
    drop(first); // the tab closes mid-run, a row on its way

    let second = mount_importer(5, ok);
    second.drop_text(&file).await;
    assert!(!second.get("#saved").has_attribute("hidden"), "the kept run is offered");
    let offer = second.text("#saved-state");
    assert!(offer.contains(&format!("{} of its 10 rows were answered", answered.len())), "{offer}");
    second.click("resume-saved").await;
    second.until_finished().await;
    let resent = second.sent_ids();
    for id in &answered {
        assert!(!resent.contains(id), "{id} was answered before the reload, and sent again");
    }
    assert_eq!(resent.len() + answered.len(), 10, "every other row sent once: {resent:?}");
    assert_eq!(second.server.requests.borrow()[0].1.headers[0].1, batch, "the same batch");
    assert_eq!(second.finished_detail("updated").as_f64(), Some(10.0));
}
