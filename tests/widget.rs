//! The widget in a real browser (headless Chromium through chromedriver):
//!
//! ```sh
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test widget
//! ```
//!
//! Each test mounts a form into a fresh element with a stub transport that
//! records what would have been sent and answers from a script, then drives it
//! the way a person would: typing (value + `input` event), leaving an input
//! (`blur`), clicking buttons. Expected sentences of the contract are taken
//! from the contract itself, so these tests check that the widget shows what
//! the contract says, not a copy of it.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

use js_sys::Reflect;
use setter_contacts::contract::wire::{ErrorBody, ErrorCode, ErrorEnvelope};
use setter_contacts::contract::{ContactUpdate, FieldErrors, Rejection};
use setter_contacts::widget::transport::{
    Pending, RawResponse, Request, Transport, TransportError,
};
use setter_contacts::widget::{Config, Endpoint, WidgetHandle, mount_with, prerender};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

// ---------------------------------------------------------------- fixtures --

/// What the stub answers to the next request.
enum Reply {
    /// An HTTP answer.
    Answer(u16, String),
    /// The browser could not reach the server.
    Unreachable,
    /// No answer, ever (until the form gives up).
    Hang,
}

#[derive(Default)]
struct Stub {
    requests: RefCell<Vec<Request>>,
    replies: RefCell<VecDeque<Reply>>,
}

struct StubTransport(Rc<Stub>);

impl Transport for StubTransport {
    fn send(&self, request: Request) -> Pending {
        self.0.requests.borrow_mut().push(request);
        let reply = self.0.replies.borrow_mut().pop_front().expect("a reply was scripted");
        Box::pin(async move {
            match reply {
                Reply::Answer(status, body) => Ok(RawResponse { status, body }),
                Reply::Unreachable => Err(TransportError::Network("Failed to fetch".into())),
                Reply::Hang => std::future::pending().await,
            }
        })
    }
}

/// A mounted form, its stub, and the events its host received.
struct Widget {
    host: HtmlElement,
    root: ShadowRoot,
    handle: WidgetHandle,
    stub: Rc<Stub>,
    events: Rc<RefCell<Vec<web_sys::CustomEvent>>>,
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn mount(replies: Vec<Reply>) -> Widget {
    mount_with_timeout(replies, 15_000)
}

fn mount_with_timeout(replies: Vec<Reply>, timeout_ms: u32) -> Widget {
    mount_on(new_host(), replies, timeout_ms)
}

/// A fresh element in the page.
fn new_host() -> HtmlElement {
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    host
}

fn mount_on(host: HtmlElement, replies: Vec<Reply>, timeout_ms: u32) -> Widget {
    let stub = Rc::new(Stub { replies: RefCell::new(replies.into()), ..Stub::default() });
    let config = Config {
        endpoint: Endpoint::Fixed("/api/contacts".into()),
        transport: Rc::new(StubTransport(Rc::clone(&stub))),
        timeout_ms,
    };
    let handle = mount_with(&host, config).expect("mounts");
    let events = Rc::new(RefCell::new(Vec::new()));
    for name in ["contact-updated", "contact-update-failed"] {
        let events = Rc::clone(&events);
        let listener = Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event| {
            events.borrow_mut().push(event);
        });
        host.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref()).unwrap();
        listener.forget();
    }
    let root = host.shadow_root().expect("the form lives in a shadow root");
    Widget { host, root, handle, stub, events }
}

/// Lets Leptos apply pending updates to the DOM (they run as microtasks).
async fn settle() {
    sleep(20).await;
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn fire(target: &Element, name: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(name, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

impl Widget {
    fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }

    fn get(&self, selector: &str) -> Element {
        self.find(selector).unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length()).map(|i| list.item(i).unwrap().unchecked_into()).collect()
    }

    fn input(&self, name: &str) -> HtmlInputElement {
        self.get(&format!("input[name={name}]")).unchecked_into()
    }

    /// Types `value` into the input named `name`, as a person would.
    async fn type_into(&self, name: &str, value: &str) {
        let input = self.input(name);
        input.set_value(value);
        fire(&input, "input");
        settle().await;
    }

    async fn type_row(&self, row: usize, key: &str, value: &str) {
        let keys = self.all("input[name=metadataKey]");
        let values = self.all("input[name=metadataValue]");
        for (input, text) in [(&keys[row], key), (&values[row], value)] {
            input.unchecked_ref::<HtmlInputElement>().set_value(text);
            fire(input, "input");
        }
        settle().await;
    }

    async fn leave(&self, name: &str) {
        fire(&self.input(name), "blur");
        settle().await;
    }

    async fn choose_kind(&self, kind: &str) {
        let select: HtmlSelectElement = self.get("select[name=identifierKind]").unchecked_into();
        select.set_value(kind);
        fire(&select, "change");
        settle().await;
    }

    async fn click(&self, selector: &str) {
        self.get(selector).unchecked_into::<HtmlElement>().click();
        settle().await;
    }

    async fn add_row(&self) {
        let add = self
            .all("button")
            .into_iter()
            .find(|b| b.text_content().unwrap_or_default().trim() == "Add metadata field")
            .expect("an Add metadata field button");
        add.unchecked_into::<HtmlElement>().click();
        settle().await;
    }

    async fn submit(&self) {
        self.click("button[type=submit]").await;
    }

    fn preview(&self) -> String {
        self.get("pre").text_content().unwrap().trim().to_owned()
    }

    fn status(&self) -> String {
        self.get("[role=status]").text_content().unwrap().trim().to_owned()
    }

    fn alert(&self) -> String {
        self.get("[role=alert]").text_content().unwrap().trim().to_owned()
    }

    /// The error text an input points at through `aria-describedby`, if it is
    /// marked invalid; checks that the two attributes go together.
    fn error_of(&self, input: &Element) -> Option<String> {
        let invalid = input.get_attribute("aria-invalid");
        let described = input.get_attribute("aria-describedby");
        match (invalid.as_deref(), described) {
            (None, None) => None,
            (Some("true"), Some(id)) => {
                let text = self.get(&format!("#{id}")).text_content().unwrap();
                assert!(!text.trim().is_empty(), "the error text of {id} is empty");
                Some(text.trim().to_owned())
            }
            (invalid, described) => panic!(
                "aria-invalid={invalid:?} and aria-describedby={described:?} disagree on {}",
                input.id()
            ),
        }
    }

    fn error(&self, name: &str) -> Option<String> {
        self.error_of(&self.input(name))
    }

    /// The element that has focus inside the shadow root.
    fn focused(&self) -> Option<Element> {
        self.root.active_element()
    }

    fn requests(&self) -> Vec<Request> {
        self.stub.requests.borrow().clone()
    }

    fn event(&self, index: usize) -> (String, JsValue) {
        let events = self.events.borrow();
        let event = events.get(index).unwrap_or_else(|| panic!("no event #{index}"));
        assert!(event.bubbles(), "{} bubbles", event.type_());
        assert!(event.composed(), "{} is composed", event.type_());
        (event.type_(), event.detail())
    }
}

impl Drop for Widget {
    fn drop(&mut self) {
        self.handle.unmount();
        self.host.remove();
    }
}

/// What the contract says about `update`'s field `name`.
fn contract_says(update: ContactUpdate, name: &str) -> String {
    let rejection = update.validate().expect_err("the contract rejects it");
    rejection.fields().get(name).cloned().unwrap_or_else(|| panic!("{rejection:?} has no {name}"))
}

fn field(detail: &JsValue, name: &str) -> JsValue {
    Reflect::get(detail, &JsValue::from_str(name)).unwrap()
}

/// Parsed JSON, compared by value.
fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|err| panic!("not JSON ({err}): {text}"))
}

fn envelope(code: ErrorCode, message: &str, fields: FieldErrors) -> String {
    serde_json::to_string(&ErrorEnvelope {
        error: ErrorBody { code, message: message.into(), fields },
    })
    .unwrap()
}

fn ok() -> Reply {
    Reply::Answer(200, r#"{"message":"Contact updated successfully"}"#.into())
}

// --------------------------------------------------------------- rendering --

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
    source.replace_sync(include_str!("../src/widget/style.css")).unwrap();
    let rules = |sheet: &web_sys::CssStyleSheet| -> Vec<String> {
        let list = sheet.css_rules().unwrap();
        (0..list.length()).map(|i| list.item(i).unwrap().css_text()).collect()
    };
    let (shipped, source) = (rules(&shipped), rules(&source));
    assert!(source.len() > 30, "the whole sheet: {} rules", source.len());
    assert_eq!(shipped, source);
}

#[wasm_bindgen_test]
async fn ids_are_unique_across_instances() {
    let a = mount(vec![]);
    let b = mount(vec![]);
    let ids = |w: &Widget| -> Vec<String> { w.all("[id]").iter().map(Element::id).collect() };
    let (ids_a, ids_b) = (ids(&a), ids(&b));
    assert!(ids_a.len() > 10);
    for id in &ids_a {
        assert!(!ids_b.contains(id), "{id} is used by two forms");
    }
}

// ------------------------------------------------------ the request JSON --

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

// ------------------------------------------------------------- validation --

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

// --------------------------------------------------------------- outcomes --

#[wasm_bindgen_test]
async fn typing_does_not_rewrite_the_live_regions() {
    // A live region whose text is written again, even unchanged, may be read
    // out again: typing after an announcement must leave both regions alone.
    let w = mount(vec![]);
    w.type_into("identifier", "5").await;
    w.submit().await;
    assert!(!w.alert().is_empty(), "something was announced");
    let changes = Rc::new(RefCell::new(0));
    let counter = Rc::clone(&changes);
    let callback = Closure::<dyn Fn(js_sys::Array)>::new(move |records: js_sys::Array| {
        *counter.borrow_mut() += records.length();
    });
    let observer = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()).unwrap();
    let options = web_sys::MutationObserverInit::new();
    options.set_child_list(true);
    options.set_character_data(true);
    options.set_subtree(true);
    for region in [w.get("[role=status]"), w.get("[role=alert]")] {
        observer.observe_with_options(&region, &options).unwrap();
    }
    w.type_into("firstName", "Ada").await;
    w.type_into("email", "ada@").await;
    w.leave("email").await;
    observer.disconnect();
    assert_eq!(*changes.borrow(), 0, "the live regions were rewritten");
}

#[wasm_bindgen_test]
async fn success_is_announced_and_dispatched() {
    let w = mount(vec![ok()]);
    w.type_into("identifier", "42").await;
    w.type_into("firstName", "Ada").await;
    w.type_into("email", "ada@example.com").await;
    w.submit().await;

    assert_eq!(w.status(), "Contact updated successfully");
    assert_eq!(w.alert(), "");
    let (name, detail) = w.event(0);
    assert_eq!(name, "contact-updated");
    let identifier = field(&detail, "identifier");
    assert_eq!(field(&identifier, "kind").as_string().as_deref(), Some("id"));
    assert_eq!(field(&identifier, "value").as_f64(), Some(42.0));
    let changed: Vec<String> = js_sys::Array::from(&field(&detail, "changedFields"))
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect();
    assert_eq!(changed, ["firstName", "email"]);
    assert_eq!(w.events.borrow().len(), 1);
}

/// The sentence for each code, as the issue and the widget word them, for an
/// operator who found the contact by WhatsApp ID.
const SENTENCES: &[(ErrorCode, u16, &str)] = &[
    (
        ErrorCode::BadJson,
        400,
        "The server could not read the update — reload the page and try again",
    ),
    (
        ErrorCode::MissingIdentifier,
        400,
        "Say which contact to update — enter its contact ID, WhatsApp ID or SMS phone number",
    ),
    (ErrorCode::NothingToUpdate, 400, "Nothing to update — fill in at least one field to change"),
    (
        ErrorCode::InvalidField,
        400,
        "Setter did not accept the update: Setter says the email is taken.",
    ),
    (
        ErrorCode::PayloadTooLarge,
        413,
        "The update is too large — shorten the metadata and try again",
    ),
    (
        ErrorCode::UnsupportedMediaType,
        415,
        "The server did not accept the request format — reload the page and try again",
    ),
    (
        ErrorCode::RequestTimeout,
        408,
        "The update took too long to arrive — check your connection and try again",
    ),
    (ErrorCode::NotFound, 404, "No contact has that WhatsApp ID"),
    (
        ErrorCode::MultipleMatches,
        409,
        "Several contacts share that WhatsApp ID — use the contact ID instead",
    ),
    (ErrorCode::Forbidden, 403, "Your organization has no access to this contact"),
    (
        ErrorCode::UpstreamAuthFailed,
        502,
        "The server's Setter API key was refused — ask an administrator",
    ),
    (
        ErrorCode::UpstreamError,
        502,
        "Setter could not be reached or failed — try again in a moment",
    ),
    (
        ErrorCode::UpstreamTimeout,
        504,
        "Setter did not answer in time — check the contact before trying again, the update may have been applied",
    ),
    (ErrorCode::Unauthorized, 401, "Your dashboard session has ended — sign in again and retry"),
    (
        ErrorCode::OriginNotAllowed,
        403,
        "This dashboard is not allowed to update contacts — ask an administrator to allow its address",
    ),
    (ErrorCode::RateLimited, 429, "Too many updates at once — wait a moment and try again"),
    (
        ErrorCode::NoSuchRoute,
        404,
        "The form is pointed at the wrong address — ask an administrator to check its endpoint",
    ),
    (
        ErrorCode::MethodNotAllowed,
        405,
        "The form is pointed at the wrong address — ask an administrator to check its endpoint",
    ),
    (
        ErrorCode::Internal,
        500,
        "The server hit an unexpected error — try again, and tell an administrator if it keeps happening",
    ),
];

#[wasm_bindgen_test]
async fn every_error_code_is_announced_in_words_an_operator_can_act_on() {
    for code in ErrorCode::ALL {
        assert!(
            SENTENCES.iter().any(|(known, _, _)| *known == code),
            "{code:?} has no sentence here"
        );
    }
    let mut replies: Vec<Reply> = SENTENCES
        .iter()
        .map(|(code, status, _)| {
            let message = match code {
                ErrorCode::InvalidField => "Setter says the email is taken.",
                _ => "A sentence for programs.",
            };
            Reply::Answer(*status, envelope(*code, message, FieldErrors::new()))
        })
        .collect();
    replies.push(Reply::Answer(
        418,
        envelope(ErrorCode::Unknown, "", FieldErrors::new())
            .replace("\"unknown\"", "\"from_a_newer_proxy\"")
            .replace("\"message\":\"\"", "\"message\":\"A newer proxy explains itself.\""),
    ));
    replies.push(Reply::Answer(502, "<html>Bad gateway</html>".into()));
    replies.push(Reply::Unreachable);
    let mut expected: Vec<(&str, &str)> =
        SENTENCES.iter().map(|(code, _, sentence)| (code.as_str(), *sentence)).collect();
    expected.push(("unknown", "A newer proxy explains itself."));
    expected.push((
        "bad_response",
        "The server gave an answer the form cannot read (HTTP 502) — try again, and tell an administrator if it keeps happening",
    ));
    expected.push((
        "network_error",
        "Could not reach the server — check your connection and try again",
    ));

    let w = mount(replies);
    w.choose_kind("waId").await;
    w.type_into("identifier", "15551234567").await;
    w.type_into("firstName", "Ada").await;
    for (index, (code, sentence)) in expected.iter().enumerate() {
        w.submit().await;
        assert_eq!(w.requests().len(), index + 1, "{code} was sent");
        assert_eq!(w.alert(), *sentence, "the alert for {code}");
        assert_eq!(w.status(), "", "no success claimed for {code}");
        let (name, detail) = w.event(index);
        assert_eq!(name, "contact-update-failed");
        assert_eq!(field(&detail, "code").as_string().as_deref(), Some(*code));
        assert_eq!(field(&detail, "message").as_string().as_deref(), Some(*sentence));
    }
}

#[wasm_bindgen_test]
async fn not_found_and_several_matches_name_the_identifier_used() {
    let replies = [ErrorCode::NotFound, ErrorCode::MultipleMatches]
        .into_iter()
        .cycle()
        .take(6)
        .map(|code| Reply::Answer(404, envelope(code, "x", FieldErrors::new())))
        .collect();
    let w = mount(replies);
    w.type_into("firstName", "Ada").await;
    let cases = [
        (
            "id",
            "42",
            "No contact has that contact ID",
            "Several contacts match that contact ID — ask an administrator",
        ),
        (
            "waId",
            "15551234567",
            "No contact has that WhatsApp ID",
            "Several contacts share that WhatsApp ID — use the contact ID instead",
        ),
        (
            "smsPhoneNumber",
            "+15551234567",
            "No contact has that SMS phone number",
            "Several contacts share that SMS phone number — use the contact ID instead",
        ),
    ];
    for (kind, identifier, not_found, several) in cases {
        w.choose_kind(kind).await;
        w.type_into("identifier", identifier).await;
        w.submit().await;
        assert_eq!(w.alert(), not_found);
        w.submit().await;
        assert_eq!(w.alert(), several);
    }
}

#[wasm_bindgen_test]
async fn the_proxys_field_errors_land_on_the_same_inputs() {
    let fields = FieldErrors::from([
        ("email".to_owned(), "The proxy says this address bounced.".to_owned()),
        ("metadata.campaign".to_owned(), "The proxy says this value is too long.".to_owned()),
        ("id".to_owned(), "The proxy says this ID is odd.".to_owned()),
        ("organization".to_owned(), "Not a field this form has.".to_owned()),
    ]);
    let w = mount(vec![Reply::Answer(400, envelope(ErrorCode::InvalidField, "3 fields", fields))]);
    w.type_into("identifier", "7").await;
    w.type_into("email", "ada@example.com").await;
    w.add_row().await;
    w.type_row(0, "campaign", "spring").await;
    w.submit().await;

    assert_eq!(w.error("email").as_deref(), Some("The proxy says this address bounced."));
    assert_eq!(w.error("identifier").as_deref(), Some("The proxy says this ID is odd."));
    let value = &w.all("input[name=metadataValue]")[0];
    assert_eq!(w.error_of(value).as_deref(), Some("The proxy says this value is too long."));
    assert_eq!(w.error_of(&w.all("input[name=metadataKey]")[0]), None);
    let unplaced = w.get(".scf-unplaced").text_content().unwrap();
    assert!(unplaced.contains("organization: Not a field this form has."), "{unplaced}");
    assert_eq!(w.alert(), "Some fields are not valid — fix the marked fields and try again");
    assert_eq!(w.focused(), Some(w.input("identifier").into()));

    // Editing an input clears the proxy's error on it, and only there.
    w.type_into("email", "ada@example.org").await;
    assert_eq!(w.error("email"), None);
    assert!(w.error("identifier").is_some());
}

// ------------------------------------------------------------- in flight --

#[wasm_bindgen_test]
async fn no_double_submit_and_a_hanging_request_is_abandoned() {
    let w = mount_with_timeout(vec![Reply::Hang, ok()], 1_000);
    w.type_into("identifier", "42").await;
    w.type_into("firstName", "Ada").await;
    w.submit().await;

    let button = w.get("button[type=submit]");
    assert!(button.has_attribute("disabled"), "disabled while in flight");
    assert_eq!(w.get("form").get_attribute("aria-busy").as_deref(), Some("true"));
    assert_eq!(w.status(), "Updating contact…");
    // A second click and a second submit (Enter) while in flight send nothing.
    w.submit().await;
    w.get("form").unchecked_into::<web_sys::HtmlFormElement>().request_submit().unwrap();
    settle().await;
    assert_eq!(w.requests().len(), 1);

    sleep(1_100).await;
    assert_eq!(
        w.alert(),
        "The server did not answer within 1 seconds — check the contact before trying again, the update may have been applied"
    );
    let signal = w.requests()[0].signal.clone().expect("a signal");
    assert!(signal.aborted(), "the abandoned request is aborted");
    assert!(!w.get("button[type=submit]").has_attribute("disabled"));
    let (name, detail) = w.event(0);
    assert_eq!(name, "contact-update-failed");
    assert_eq!(field(&detail, "code").as_string().as_deref(), Some("timeout"));

    // And the form works again.
    w.submit().await;
    assert_eq!(w.requests().len(), 2);
    assert_eq!(w.status(), "Contact updated successfully");
    assert_eq!(w.alert(), "");
}

// ------------------------------------------------------------- embedding --

#[wasm_bindgen_test]
async fn mount_from_javascript_puts_json_to_its_endpoint_with_fetch() {
    // The real transport, with the page's fetch replaced by a recorder.
    let window = web_sys::window().unwrap();
    let real_fetch = Reflect::get(&window, &"fetch".into()).unwrap();
    let recorder = js_sys::Function::new_with_args(
        "url, init",
        "(window.recordedFetches ||= []).push({ url, method: init.method, \
           contentType: init.headers.get('Content-Type'), body: init.body }); \
         return Promise.resolve(new Response('{\"message\":\"Contact updated successfully\"}', { status: 200 }));",
    );
    Reflect::set(&window, &"fetch".into(), &recorder).unwrap();

    let host: HtmlElement = document().create_element("section").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    let options = js_sys::Object::new();
    Reflect::set(&options, &"endpoint".into(), &"/dashboard/api/contacts".into()).unwrap();
    let mut handle =
        setter_contacts::widget::mount_js(host.clone(), Some(options)).expect("mounts");
    let root = host.shadow_root().unwrap();
    let input = |name: &str| -> HtmlInputElement {
        root.query_selector(&format!("input[name={name}]")).unwrap().unwrap().unchecked_into()
    };
    for (name, value) in [("identifier", "7"), ("fullName", "Ada Lovelace")] {
        input(name).set_value(value);
        fire(&input(name), "input");
    }
    settle().await;
    let preview = root.query_selector("pre").unwrap().unwrap().text_content().unwrap();
    root.query_selector("button[type=submit]")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    Reflect::set(&window, &"fetch".into(), &real_fetch).unwrap();

    let calls = js_sys::Array::from(&Reflect::get(&window, &"recordedFetches".into()).unwrap());
    assert_eq!(calls.length(), 1);
    let call = calls.get(0);
    assert_eq!(field(&call, "url").as_string().as_deref(), Some("/dashboard/api/contacts"));
    assert_eq!(field(&call, "method").as_string().as_deref(), Some("PUT"));
    assert_eq!(field(&call, "contentType").as_string().as_deref(), Some("application/json"));
    assert_eq!(field(&call, "body").as_string().as_deref(), Some(preview.trim()));
    let status = root.query_selector("[role=status]").unwrap().unwrap().text_content().unwrap();
    assert_eq!(status.trim(), "Contact updated successfully");

    handle.unmount();
    assert!(root.query_selector("form").unwrap().is_none());
    host.remove();
}

#[wasm_bindgen_test]
async fn mount_refuses_an_element_that_cannot_host_a_shadow_root() {
    let input: HtmlElement = document().create_element("input").unwrap().unchecked_into();
    let config = Config::new(Endpoint::Fixed("/api/contacts".into()));
    let err = mount_with(&input, config).err().expect("an <input> has no shadow root");
    assert!(err.to_string().contains("<input>"), "{err}");
}

#[wasm_bindgen_test]
async fn unmount_removes_the_form() {
    let mut w = mount(vec![]);
    assert!(w.find("form").is_some());
    w.handle.unmount();
    settle().await;
    assert!(w.find("form").is_none());
    w.handle.unmount(); // twice is harmless
}

#[wasm_bindgen_test]
async fn two_custom_elements_are_independent_forms() {
    setter_contacts::widget::element::define();
    let container = document().create_element("div").unwrap();
    container.set_inner_html(
        r#"<setter-contact-form endpoint="/first"></setter-contact-form>
           <setter-contact-form></setter-contact-form>"#,
    );
    document().body().unwrap().append_child(&container).unwrap();
    settle().await;
    let elements = container.query_selector_all("setter-contact-form").unwrap();
    let roots: Vec<ShadowRoot> = (0..2)
        .map(|i| {
            elements
                .item(i)
                .unwrap()
                .unchecked_into::<HtmlElement>()
                .shadow_root()
                .expect("upgraded")
        })
        .collect();
    let input = |root: &ShadowRoot, name: &str| -> HtmlInputElement {
        root.query_selector(&format!("input[name={name}]")).unwrap().unwrap().unchecked_into()
    };
    let preview =
        |root: &ShadowRoot| root.query_selector("pre").unwrap().unwrap().text_content().unwrap();

    let first = input(&roots[0], "firstName");
    first.set_value("Ada");
    fire(&first, "input");
    settle().await;
    assert!(preview(&roots[0]).contains("Ada"));
    assert_eq!(preview(&roots[1]).trim(), "{}", "the second form did not change");
    assert_ne!(input(&roots[0], "identifier").id(), input(&roots[1], "identifier").id());

    // Leaving the page unmounts; a move within it keeps what was typed.
    let moved = elements.item(0).unwrap();
    document().body().unwrap().append_child(&moved).unwrap();
    settle().await;
    assert!(preview(&roots[0]).contains("Ada"), "moving the element keeps the form");
    container.remove();
    moved.unchecked_ref::<Element>().remove();
    settle().await;
    assert!(roots[0].query_selector("form").unwrap().is_none());
    assert!(roots[1].query_selector("form").unwrap().is_none());
}

// -------------------------------------------------------- pre-rendered form --

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
    // takeover moves nothing on screen. Ids differ only by the form's number;
    // the pre-rendered form's buttons wait, and its status says why.
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
                        // setter-cf0-identifier, setter-cf7-identifier: setter-cf§-identifier.
                        let value = match value.strip_prefix("setter-cf") {
                            Some(rest) => format!(
                                "setter-cf§{}",
                                rest.trim_start_matches(|c: char| c.is_ascii_digit())
                            ),
                            None => value,
                        };
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
    assert_ne!(
        first.input("firstName").id(),
        second.input("firstName").id(),
        "live forms get ids of their own"
    );
}
