//! Outcomes: every answer of the proxy announced in words an operator can act
//! on, and dispatched as an event.

use super::fixtures::*;

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
        ErrorCode::HostNotAllowed,
        421,
        "The server does not answer for this dashboard's address — ask an administrator to set its public origin",
    ),
    (
        ErrorCode::BadHost,
        400,
        "The server does not answer for this dashboard's address — ask an administrator to set its public origin",
    ),
    (
        ErrorCode::HeadersTooLarge,
        431,
        "The browser sent more than the server accepts (too many cookies?) — clear this site's cookies and try again",
    ),
    (
        ErrorCode::MalformedRequest,
        400,
        "The server could not read the request — reload the page and try again",
    ),
    (
        ErrorCode::TooManyConnections,
        503,
        "Too many connections from this computer at once — wait a moment and try again",
    ),
    (
        ErrorCode::AuditUnavailable,
        503,
        "Nothing was sent: the change could not be recorded in the audit trail — try again in a minute, and tell an administrator if it keeps happening",
    ),
    (
        ErrorCode::BadBatch,
        400,
        "The server refused the form's request — reload the page and try again",
    ),
    (
        ErrorCode::BadQuery,
        400,
        "The server refused the form's request — reload the page and try again",
    ),
    (
        ErrorCode::AuditOff,
        404,
        "The server refused the form's request — reload the page and try again",
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
