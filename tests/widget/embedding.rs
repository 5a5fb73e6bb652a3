//! Embedding: `mount` from JavaScript with the real transport, unmounting, two
//! custom elements on one page.

use super::fixtures::*;

#[wasm_bindgen_test]
async fn mount_from_javascript_puts_json_to_its_endpoint_with_fetch() {
    // The real transport, with the page's fetch replaced by a recorder.
    let window = web_sys::window().unwrap();
    let real_fetch = Reflect::get(&window, &"fetch".into()).unwrap();
    // Whichever way fetch is called (a URL and options, or a Request, as
    // gloo-net calls it), the recorder reads the request the browser would send.
    let recorder = js_sys::Function::new_with_args(
        "input, init",
        "const request = new Request(input, init); \
         const call = { url: new URL(request.url).pathname, method: request.method, \
           contentType: request.headers.get('Content-Type') }; \
         (window.recordedFetches ||= []).push(call); \
         return request.text().then((body) => { call.body = body; \
           return new Response('{\"message\":\"Contact updated successfully\"}', { status: 200 }); });",
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
    // The update, and then the audit trail asked again for its recent changes.
    assert_eq!(calls.length(), 2);
    assert_eq!(field(&calls.get(1), "method").as_string().as_deref(), Some("GET"));
    assert_eq!(
        field(&calls.get(1), "url").as_string().as_deref(),
        Some("/dashboard/api/audit"),
        "beside the update endpoint"
    );
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
    for root in &roots {
        let own = input(root, "identifier");
        let found: HtmlInputElement = root.get_element_by_id(&own.id()).unwrap().unchecked_into();
        assert!(found.is_same_node(Some(&own)), "each form's ids point into its own root");
    }

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
