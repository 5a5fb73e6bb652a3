//! What an answer to one row's `PUT` means for the run: done with it, wait
//! and send it again, or try again later.
//!
//! The sentences are the form's ([`Failure::sentence`]): an operator reads the
//! same words for the same answer in both.

use crate::contract::wire::ErrorCode;
use crate::ui::draft::IdentifierKind;
use crate::ui::outcome::Failure;

/// How many times a row is sent again after a failure that may pass
/// (a 502, a 504, no answer).
pub const MAX_RETRIES: u8 = 3;

/// What became of a row that was sent, once it is final.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOutcome {
    Updated,
    /// 404: no contact has that identifier.
    NotFound(String),
    /// 409: several contacts have it.
    Several(String),
    /// 403 (and 401: the operator's session).
    NoAccess(String),
    /// 400: Setter (or the proxy) refused the update, with its message.
    Refused(String),
    /// A failure that may pass, still there after every retry; or a failure
    /// no retry can help (the proxy misconfigured, its trail off).
    Failed(String),
}

impl RowOutcome {
    /// The word of the results file's `status` column.
    pub fn status(&self) -> &'static str {
        match self {
            RowOutcome::Updated => "updated",
            RowOutcome::NotFound(_) => "not_found",
            RowOutcome::Several(_) => "several_contacts",
            RowOutcome::NoAccess(_) => "no_access",
            RowOutcome::Refused(_) => "refused",
            RowOutcome::Failed(_) => "failed",
        }
    }

    /// The sentence shown in the row and written to the results.
    pub fn message(&self) -> &str {
        match self {
            RowOutcome::Updated => crate::ui::outcome::success(),
            RowOutcome::NotFound(text)
            | RowOutcome::Several(text)
            | RowOutcome::NoAccess(text)
            | RowOutcome::Refused(text)
            | RowOutcome::Failed(text) => text,
        }
    }

    /// Rebuilds an outcome from its status and message (stored progress).
    pub fn from_status(status: &str, message: String) -> Option<RowOutcome> {
        Some(match status {
            "updated" => RowOutcome::Updated,
            "not_found" => RowOutcome::NotFound(message),
            "several_contacts" => RowOutcome::Several(message),
            "no_access" => RowOutcome::NoAccess(message),
            "refused" => RowOutcome::Refused(message),
            "failed" => RowOutcome::Failed(message),
            _ => return None,
        })
    }

    pub fn is_success(&self) -> bool {
        matches!(self, RowOutcome::Updated)
    }
}

/// What the run does about one answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The row is done; `code` is the proxy's (or `network_error`, `timeout`).
    Final { outcome: RowOutcome, code: String },
    /// 429: every sender waits this long, then the row goes again.
    RateLimited { wait_ms: u64 },
    /// May pass: send the row again after a back-off, up to [`MAX_RETRIES`].
    Transient { code: String, sentence: String },
}

/// Reads one answer: `Ok` for a 2xx, else the form's [`Failure`].
/// `retry_after` is the answer's `Retry-After` in seconds, if it had one.
pub fn verdict(
    answer: Result<(), Failure>,
    retry_after: Option<u64>,
    kind: IdentifierKind,
) -> Verdict {
    let failure = match answer {
        Ok(()) => return Verdict::Final { outcome: RowOutcome::Updated, code: String::new() },
        Err(failure) => failure,
    };
    let code = failure.code().to_owned();
    let sentence = failure.sentence(kind);
    let transient = || Verdict::Transient { code: code.clone(), sentence: sentence.clone() };
    let outcome = match &failure {
        Failure::Network | Failure::TimedOut { .. } => return transient(),
        Failure::Unreadable { status: 429 } => {
            return Verdict::RateLimited { wait_ms: wait_ms(retry_after) };
        }
        Failure::Unreadable { status: 502..=504 } => return transient(),
        Failure::Unreadable { .. } => RowOutcome::Failed(sentence),
        Failure::Proxy { code, .. } => match code {
            ErrorCode::RateLimited => {
                return Verdict::RateLimited { wait_ms: wait_ms(retry_after) };
            }
            ErrorCode::UpstreamError
            | ErrorCode::UpstreamTimeout
            | ErrorCode::TooManyConnections
            | ErrorCode::AuditUnavailable
            | ErrorCode::RequestTimeout => return transient(),
            ErrorCode::NotFound => RowOutcome::NotFound(sentence),
            ErrorCode::MultipleMatches => RowOutcome::Several(sentence),
            ErrorCode::Forbidden | ErrorCode::Unauthorized => RowOutcome::NoAccess(sentence),
            ErrorCode::InvalidField
            | ErrorCode::MissingIdentifier
            | ErrorCode::NothingToUpdate
            | ErrorCode::BadJson
            | ErrorCode::PayloadTooLarge => RowOutcome::Refused(sentence),
            _ => RowOutcome::Failed(sentence),
        },
    };
    Verdict::Final { outcome, code }
}

/// How long a 429 says to wait: its `Retry-After` (1 s to an hour), else a
/// minute, as the proxy itself assumes of Setter.
fn wait_ms(retry_after: Option<u64>) -> u64 {
    retry_after.unwrap_or(60).clamp(1, 3600) * 1000
}

/// The sentence of a row that failed every retry.
pub fn failed_after_retries(sentence: &str) -> String {
    format!("Failed after {MAX_RETRIES} retries: {sentence}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::FieldErrors;

    fn proxy(code: ErrorCode) -> Result<(), Failure> {
        Err(Failure::Proxy {
            code,
            message: "Setter says: bad email".into(),
            fields: FieldErrors::new(),
        })
    }

    #[test]
    fn four_hundreds_are_final_and_never_retried() {
        let kind = IdentifierKind::Id;
        let final_of = |code| match verdict(proxy(code), None, kind) {
            Verdict::Final { outcome, code } => (outcome.status(), code),
            other => panic!("{other:?}"),
        };
        assert_eq!(final_of(ErrorCode::NotFound), ("not_found", "not_found".into()));
        assert_eq!(final_of(ErrorCode::MultipleMatches).0, "several_contacts");
        assert_eq!(final_of(ErrorCode::Forbidden).0, "no_access");
        assert_eq!(final_of(ErrorCode::InvalidField).0, "refused");
        assert_eq!(final_of(ErrorCode::OriginNotAllowed).0, "failed");
        assert_eq!(
            verdict(Ok(()), None, kind),
            Verdict::Final { outcome: RowOutcome::Updated, code: String::new() }
        );
    }

    #[test]
    fn gateways_and_silence_are_retried_and_429_waits_its_retry_after() {
        let kind = IdentifierKind::WaId;
        for answer in [
            proxy(ErrorCode::UpstreamError),
            proxy(ErrorCode::UpstreamTimeout),
            Err(Failure::Network),
            Err(Failure::TimedOut { seconds: 15 }),
            Err(Failure::Unreadable { status: 504 }),
        ] {
            assert!(matches!(verdict(answer, None, kind), Verdict::Transient { .. }));
        }
        assert_eq!(
            verdict(proxy(ErrorCode::RateLimited), Some(7), kind),
            Verdict::RateLimited { wait_ms: 7000 }
        );
        assert_eq!(
            verdict(proxy(ErrorCode::RateLimited), None, kind),
            Verdict::RateLimited { wait_ms: 60_000 }
        );
        assert_eq!(
            verdict(Err(Failure::Unreadable { status: 429 }), Some(0), kind),
            Verdict::RateLimited { wait_ms: 1000 }
        );
    }

    #[test]
    fn outcomes_round_trip_through_their_status() {
        for outcome in [
            RowOutcome::Updated,
            RowOutcome::NotFound("n".into()),
            RowOutcome::Several("s".into()),
            RowOutcome::NoAccess("a".into()),
            RowOutcome::Refused("r".into()),
            RowOutcome::Failed("f".into()),
        ] {
            let message =
                if outcome.is_success() { String::new() } else { outcome.message().to_owned() };
            assert_eq!(RowOutcome::from_status(outcome.status(), message), Some(outcome));
        }
    }
}
