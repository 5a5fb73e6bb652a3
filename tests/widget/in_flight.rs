//! In flight: one update at a time, and a request that never answers.

use super::fixtures::*;

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
