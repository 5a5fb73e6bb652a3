//! What every widget test shares: a stub transport that records requests and
//! answers from a script, a mounted form with helpers that drive it as a person
//! would, and the contract's own sentences to compare with.

pub(crate) use std::cell::RefCell;
pub(crate) use std::collections::{BTreeMap, VecDeque};
pub(crate) use std::rc::Rc;

pub(crate) use js_sys::Reflect;
pub(crate) use setter_contacts::contract::wire::{ErrorBody, ErrorCode, ErrorEnvelope};
pub(crate) use setter_contacts::contract::{ContactUpdate, FieldErrors, Rejection};
pub(crate) use setter_contacts::ui::prerender;
pub(crate) use setter_contacts::widget::transport::{
    Pending, RawResponse, Request, Transport, TransportError,
};
pub(crate) use setter_contacts::widget::{Config, Endpoint, WidgetHandle, mount_with};
pub(crate) use wasm_bindgen::prelude::*;
pub(crate) use wasm_bindgen_test::*;
pub(crate) use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, ShadowRoot};

/// What the stub answers to the next request.
pub(crate) enum Reply {
    /// An HTTP answer.
    Answer(u16, String),
    /// The browser could not reach the server.
    Unreachable,
    /// No answer, ever (until the form gives up).
    Hang,
}

#[derive(Default)]
pub(crate) struct Stub {
    pub(crate) requests: RefCell<Vec<Request>>,
    pub(crate) replies: RefCell<VecDeque<Reply>>,
}

pub(crate) struct StubTransport(Rc<Stub>);

impl Transport for StubTransport {
    fn send(&self, request: Request) -> Pending {
        self.0.requests.borrow_mut().push(request);
        let reply = self.0.replies.borrow_mut().pop_front().expect("a reply was scripted");
        Box::pin(async move {
            match reply {
                Reply::Answer(status, body) => Ok(RawResponse { status, body, retry_after: None }),
                Reply::Unreachable => Err(TransportError::Network),
                Reply::Hang => std::future::pending().await,
            }
        })
    }
}

/// A mounted form, its stub, and the events its host received.
pub(crate) struct Widget {
    pub(crate) host: HtmlElement,
    pub(crate) root: ShadowRoot,
    pub(crate) handle: WidgetHandle,
    pub(crate) stub: Rc<Stub>,
    pub(crate) events: Rc<RefCell<Vec<web_sys::CustomEvent>>>,
}

pub(crate) fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

pub(crate) fn mount(replies: Vec<Reply>) -> Widget {
    mount_with_timeout(replies, 15_000)
}

pub(crate) fn mount_with_timeout(replies: Vec<Reply>, timeout_ms: u32) -> Widget {
    mount_on(new_host(), replies, timeout_ms)
}

/// A fresh element in the page.
pub(crate) fn new_host() -> HtmlElement {
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    host
}

pub(crate) fn mount_on(host: HtmlElement, replies: Vec<Reply>, timeout_ms: u32) -> Widget {
    // The recent changes' own requests are tested on their own (history.rs).
    mount_configured(host, replies, timeout_ms, false)
}

/// A form that shows the audit trail's recent changes too.
pub(crate) fn mount_with_history(replies: Vec<Reply>) -> Widget {
    mount_configured(new_host(), replies, 15_000, true)
}

fn mount_configured(
    host: HtmlElement,
    replies: Vec<Reply>,
    timeout_ms: u32,
    history: bool,
) -> Widget {
    let stub = Rc::new(Stub { replies: RefCell::new(replies.into()), ..Stub::default() });
    let config = Config {
        endpoint: Endpoint::Fixed("/api/contacts".into()),
        transport: Rc::new(StubTransport(Rc::clone(&stub))),
        timeout_ms,
        history,
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
pub(crate) async fn settle() {
    sleep(20).await;
}

pub(crate) async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

pub(crate) fn fire(target: &Element, name: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(name, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

impl Widget {
    pub(crate) fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }

    pub(crate) fn get(&self, selector: &str) -> Element {
        self.find(selector).unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    pub(crate) fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length()).map(|i| list.item(i).unwrap().unchecked_into()).collect()
    }

    pub(crate) fn input(&self, name: &str) -> HtmlInputElement {
        self.get(&format!("input[name={name}]")).unchecked_into()
    }

    /// Types `value` into the input named `name`, as a person would.
    pub(crate) async fn type_into(&self, name: &str, value: &str) {
        let input = self.input(name);
        input.set_value(value);
        fire(&input, "input");
        settle().await;
    }

    pub(crate) async fn type_row(&self, row: usize, key: &str, value: &str) {
        let keys = self.all("input[name=metadataKey]");
        let values = self.all("input[name=metadataValue]");
        for (input, text) in [(&keys[row], key), (&values[row], value)] {
            input.unchecked_ref::<HtmlInputElement>().set_value(text);
            fire(input, "input");
        }
        settle().await;
    }

    pub(crate) async fn leave(&self, name: &str) {
        fire(&self.input(name), "blur");
        settle().await;
    }

    pub(crate) async fn choose_kind(&self, kind: &str) {
        let select: HtmlSelectElement = self.get("select[name=identifierKind]").unchecked_into();
        select.set_value(kind);
        fire(&select, "change");
        settle().await;
    }

    pub(crate) async fn click(&self, selector: &str) {
        self.get(selector).unchecked_into::<HtmlElement>().click();
        settle().await;
    }

    pub(crate) async fn add_row(&self) {
        let add = self
            .all("button")
            .into_iter()
            .find(|b| b.text_content().unwrap_or_default().trim() == "Add metadata field")
            .expect("an Add metadata field button");
        add.unchecked_into::<HtmlElement>().click();
        settle().await;
    }

    pub(crate) async fn submit(&self) {
        self.click("button[type=submit]").await;
    }

    pub(crate) fn preview(&self) -> String {
        self.get("pre").text_content().unwrap().trim().to_owned()
    }

    pub(crate) fn status(&self) -> String {
        self.get("[role=status]").text_content().unwrap().trim().to_owned()
    }

    pub(crate) fn alert(&self) -> String {
        self.get("[role=alert]").text_content().unwrap().trim().to_owned()
    }

    /// The error text an input points at through `aria-describedby`, if it is
    /// marked invalid; checks that the two attributes go together.
    pub(crate) fn error_of(&self, input: &Element) -> Option<String> {
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

    pub(crate) fn error(&self, name: &str) -> Option<String> {
        self.error_of(&self.input(name))
    }

    /// The element that has focus inside the shadow root.
    pub(crate) fn focused(&self) -> Option<Element> {
        self.root.active_element()
    }

    pub(crate) fn requests(&self) -> Vec<Request> {
        self.stub.requests.borrow().clone()
    }

    pub(crate) fn event(&self, index: usize) -> (String, JsValue) {
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
pub(crate) fn contract_says(update: ContactUpdate, name: &str) -> String {
    let rejection = update.validate().expect_err("the contract rejects it");
    rejection.fields().get(name).cloned().unwrap_or_else(|| panic!("{rejection:?} has no {name}"))
}

pub(crate) fn field(detail: &JsValue, name: &str) -> JsValue {
    Reflect::get(detail, &JsValue::from_str(name)).unwrap()
}

/// Parsed JSON, compared by value.
pub(crate) fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|err| panic!("not JSON ({err}): {text}"))
}

pub(crate) fn envelope(code: ErrorCode, message: &str, fields: FieldErrors) -> String {
    serde_json::to_string(&ErrorEnvelope {
        error: ErrorBody { code, message: message.into(), fields },
    })
    .unwrap()
}

pub(crate) fn ok() -> Reply {
    Reply::Answer(200, r#"{"message":"Contact updated successfully"}"#.into())
}
