//! What an answer from the proxy means, in words an operator can act on.
//!
//! The proxy already sends a sentence with every error, but it is written for
//! whoever reads the logs of a program: the widget knows which identifier the
//! operator used and can say "No contact has that WhatsApp ID". Every code of
//! [`ErrorCode`] has its sentence here, so a new code is a compile error until
//! someone decides what to tell the operator. Each failure has one wording:
//! [`Failure::sentence`].

use crate::contract::FieldErrors;
use crate::contract::wire::{ErrorBody, ErrorCode, UPDATED};

use super::draft::{IdentifierKind, nothing_to_update};

/// Why an update did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The proxy answered with its error envelope.
    Proxy { code: ErrorCode, message: String, fields: FieldErrors },
    /// The answer was not the proxy's envelope (a gateway's HTML page, say).
    Unreadable { status: u16 },
    /// The request never got an answer: offline, DNS, refused, CORS.
    Network,
    /// No answer within the widget's timeout; the request was abandoned.
    TimedOut { seconds: u32 },
}

/// Whether an answer's status says the update was made: any 2xx.
pub fn succeeded(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Reads the proxy's answer: `Ok` for any 2xx, else the failure it describes.
/// `envelope` is the answer's body read as the error envelope, when it is one.
pub fn interpret(status: u16, envelope: Option<ErrorBody>) -> Result<(), Failure> {
    if succeeded(status) {
        return Ok(());
    }
    match envelope {
        Some(ErrorBody { code, message, fields }) => Err(Failure::Proxy { code, message, fields }),
        None => Err(Failure::Unreadable { status }),
    }
}

/// The sentence announced after a successful update.
pub const fn success() -> &'static str {
    UPDATED
}

impl Failure {
    /// The stable code for `contact-update-failed`: the proxy's code, or one of
    /// `network_error`, `timeout`, `bad_response` for failures the proxy never saw.
    pub fn code(&self) -> &'static str {
        match self {
            Failure::Proxy { code, .. } => code.as_str(),
            Failure::Unreadable { .. } => "bad_response",
            Failure::Network => "network_error",
            Failure::TimedOut { .. } => "timeout",
        }
    }

    /// The field problems the proxy sent, to show on the inputs.
    pub fn fields(&self) -> Option<&FieldErrors> {
        match self {
            Failure::Proxy { fields, .. } if !fields.is_empty() => Some(fields),
            _ => None,
        }
    }

    /// What to tell the operator. `kind` is the identifier they used, so that
    /// "not found" names it.
    pub fn sentence(&self, kind: IdentifierKind) -> String {
        match self {
            Failure::Proxy { code, message, fields } => {
                proxy_sentence(*code, message, fields, kind)
            }
            Failure::Unreadable { status } => format!(
                "The server gave an answer the form cannot read (HTTP {status}) — try again, and tell an administrator if it keeps happening"
            ),
            Failure::Network => {
                "Could not reach the server — check your connection and try again".to_owned()
            }
            Failure::TimedOut { seconds } => format!(
                "The server did not answer within {seconds} seconds — check the contact before trying again, the update may have been applied"
            ),
        }
    }
}

fn proxy_sentence(
    code: ErrorCode,
    message: &str,
    fields: &FieldErrors,
    kind: IdentifierKind,
) -> String {
    let noun = kind.noun();
    match code {
        ErrorCode::BadJson => {
            "The server could not read the update — reload the page and try again".to_owned()
        }
        ErrorCode::MissingIdentifier => {
            "Say which contact to update — enter its contact ID, WhatsApp ID or SMS phone number"
                .to_owned()
        }
        ErrorCode::NothingToUpdate => nothing_to_update(),
        // The proxy's own checks name fields; Setter's 400 comes as a sentence.
        ErrorCode::InvalidField if !fields.is_empty() => {
            "Some fields are not valid — fix the marked fields and try again".to_owned()
        }
        ErrorCode::InvalidField => format!("Setter did not accept the update: {message}"),
        ErrorCode::PayloadTooLarge => {
            "The update is too large — shorten the metadata and try again".to_owned()
        }
        ErrorCode::RequestTimeout => {
            "The update took too long to arrive — check your connection and try again".to_owned()
        }
        ErrorCode::UnsupportedMediaType => {
            "The server did not accept the request format — reload the page and try again".to_owned()
        }
        ErrorCode::NotFound => format!("No contact has that {noun}"),
        ErrorCode::MultipleMatches => match kind {
            IdentifierKind::Id => {
                "Several contacts match that contact ID — ask an administrator".to_owned()
            }
            _ => format!("Several contacts share that {noun} — use the contact ID instead"),
        },
        ErrorCode::Forbidden => "Your organization has no access to this contact".to_owned(),
        ErrorCode::UpstreamAuthFailed => {
            "The server's Setter API key was refused — ask an administrator".to_owned()
        }
        ErrorCode::UpstreamError => {
            "Setter could not be reached or failed — try again in a moment".to_owned()
        }
        ErrorCode::UpstreamTimeout => {
            "Setter did not answer in time — check the contact before trying again, the update may have been applied"
                .to_owned()
        }
        ErrorCode::Unauthorized => {
            "Your dashboard session has ended — sign in again and retry".to_owned()
        }
        ErrorCode::OriginNotAllowed => {
            "This dashboard is not allowed to update contacts — ask an administrator to allow its address"
                .to_owned()
        }
        ErrorCode::RateLimited => "Too many updates at once — wait a moment and try again".to_owned(),
        ErrorCode::HostNotAllowed | ErrorCode::BadHost => {
            "The server does not answer for this dashboard's address — ask an administrator to set its public origin"
                .to_owned()
        }
        ErrorCode::MalformedRequest => {
            "The server could not read the request — reload the page and try again".to_owned()
        }
        ErrorCode::TooManyConnections => {
            "Too many connections from this computer at once — wait a moment and try again".to_owned()
        }
        ErrorCode::AuditUnavailable => {
            "Nothing was sent: the change could not be recorded in the audit trail — try again in a minute, and tell an administrator if it keeps happening"
                .to_owned()
        }
        ErrorCode::BadBatch | ErrorCode::BadQuery | ErrorCode::AuditOff => {
            "The server refused the form's request — reload the page and try again".to_owned()
        }
        ErrorCode::HeadersTooLarge => {
            "The browser sent more than the server accepts (too many cookies?) — clear this site's cookies and try again"
                .to_owned()
        }
        ErrorCode::NoSuchRoute | ErrorCode::MethodNotAllowed => {
            "The form is pointed at the wrong address — ask an administrator to check its endpoint"
                .to_owned()
        }
        ErrorCode::Internal => {
            "The server hit an unexpected error — try again, and tell an administrator if it keeps happening"
                .to_owned()
        }
        // A newer proxy's code: its own sentence is the best there is.
        ErrorCode::Unknown if !message.trim().is_empty() => message.trim().to_owned(),
        ErrorCode::Unknown => {
            "The update failed for a reason this form does not know — try again, and tell an administrator if it keeps happening"
                .to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_2xx_is_success_and_anything_else_is_read_from_its_envelope() {
        assert_eq!(interpret(200, None), Ok(()));
        assert_eq!(interpret(502, None), Err(Failure::Unreadable { status: 502 }));
        let body = ErrorBody {
            code: ErrorCode::NotFound,
            message: "m".into(),
            fields: FieldErrors::new(),
        };
        let failure = interpret(404, Some(body)).unwrap_err();
        assert_eq!(failure.code(), "not_found");
        assert_eq!(failure.sentence(IdentifierKind::WaId), "No contact has that WhatsApp ID");
    }

    #[test]
    fn every_code_has_a_sentence_of_its_own_and_unknown_codes_say_the_proxys() {
        let mut sentences: Vec<String> = ErrorCode::ALL
            .into_iter()
            .map(|code| {
                let failure =
                    Failure::Proxy { code, message: String::new(), fields: FieldErrors::new() };
                failure.sentence(IdentifierKind::Id)
            })
            .collect();
        assert!(sentences.iter().all(|sentence| !sentence.is_empty()));
        sentences.sort();
        sentences.dedup();
        // Some share theirs: both route errors mean a wrong endpoint, both
        // Host errors an address the proxy is not set up for, and the three
        // refusals of the widget's own requests (which it never makes
        // malformed) a reload.
        assert_eq!(sentences.len(), ErrorCode::ALL.len() - 4);
        let newer = Failure::Proxy {
            code: ErrorCode::Unknown,
            message: " Newer. ".into(),
            fields: FieldErrors::new(),
        };
        assert_eq!(newer.sentence(IdentifierKind::Id), "Newer.");
    }
}
