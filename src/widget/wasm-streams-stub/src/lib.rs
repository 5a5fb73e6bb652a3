//! A stand-in for `wasm-streams`, which leptos pulls in through `server_fn`
//! (a non-optional dependency whose `browser` feature the `csr` build needs).
//!
//! `server_fn` uses wasm-streams only for *streaming* server functions, and
//! the widget defines no server function at all. Yet wasm-streams declares
//! three `#[wasm_bindgen]` classes (`IntoUnderlyingSource`, `…Sink`,
//! `…ByteSource`): exports, which neither the linker nor wasm-opt may drop, so
//! every build carried them and their JS glue, about 7.7 KiB gzip of the widget.
//!
//! This crate keeps `server_fn` compiling with the same API and no exports.
//! Streaming is refused plainly: turning a Rust stream into a JS one is
//! unsupported (it would need those classes), and reading a JS stream yields one
//! error and ends.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use wasm_bindgen::JsValue;

/// Why a stream cannot be had here.
const UNSUPPORTED: &str =
    "streaming server functions are not supported in this build (wasm-streams stub)";

/// A JS `ReadableStream`, as wasm-streams wraps it.
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

impl ReadableStream {
    /// Wraps a JS stream.
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        Self { raw }
    }

    /// Would turn a Rust stream into a JS one, which takes the exported
    /// classes this stub leaves out. No code of the widget's gets here.
    pub fn from_stream<St>(_stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        panic!("{UNSUPPORTED}")
    }

    /// The JS stream.
    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// A stream that yields one error saying streaming is unsupported.
    pub fn into_stream(self) -> IntoStream {
        IntoStream { done: false }
    }
}

/// What [`ReadableStream::into_stream`] returns.
pub struct IntoStream {
    done: bool,
}

impl Stream for IntoStream {
    type Item = Result<JsValue, JsValue>;

    fn poll_next(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        self.done = true;
        Poll::Ready(Some(Err(JsValue::from_str(UNSUPPORTED))))
    }
}
