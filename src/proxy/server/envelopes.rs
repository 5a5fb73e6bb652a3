//! The answers the server gives on its own, before a request reaches the
//! router, in the proxy's envelope like every other answer.
//!
//! hyper answers a request head it cannot take (over `max_buf_size`: 431; not
//! HTTP: 400) with a status line, `content-length: 0` and no body, and then
//! closes the connection; it has no hook for the body. [`Envelopes`] wraps each
//! connection's socket and, when hyper writes such a head, writes the envelope
//! answer for that status instead. Only hyper writes these heads: every answer
//! of the router carries a `content-type`, and theirs has none. The check is a
//! comparison of the first bytes of each write.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use crate::proxy::error::ApiError;

/// A connection's socket, with hyper's own error answers rewritten.
pub(super) struct Envelopes<T> {
    inner: T,
    max_head_bytes: usize,
    /// The envelope answer still to be written, from `written` on.
    pending: Vec<u8>,
    written: usize,
}

impl<T> Envelopes<T> {
    pub fn new(inner: T, max_head_bytes: usize) -> Envelopes<T> {
        Envelopes { inner, max_head_bytes, pending: Vec::new(), written: 0 }
    }

    /// The envelope answer for a head hyper wrote, if `head` is one of those.
    fn replacement(&self, head: &[u8]) -> Option<Vec<u8>> {
        let status = head.strip_prefix(b"HTTP/1.1 ")?.get(..3)?;
        let error = match status {
            b"431" | b"414" => ApiError::HeadersTooLarge { max_bytes: self.max_head_bytes },
            b"400" => ApiError::MalformedRequest,
            _ => return None,
        };
        let end = head.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(head.len());
        let lower = head[..end].to_ascii_lowercase();
        let own = lower.windows(13).any(|w| w == b"content-type:");
        if own {
            return None;
        }
        tracing::debug!(status = %String::from_utf8_lossy(status), "hyper refused a request head");
        Some(answer(&error))
    }
}

/// A whole HTTP/1.1 answer carrying `error`'s envelope, closing the connection.
pub(super) fn answer(error: &ApiError) -> Vec<u8> {
    let body = serde_json::to_string(&error.body()).expect("an envelope serializes");
    let status = error.status();
    format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         cache-control: no-store\r\nx-content-type-options: nosniff\r\nreferrer-policy: no-referrer\r\n\
         connection: close\r\n\r\n{body}",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    )
    .into_bytes()
}

/// Tells a client over its share of connections so, as far as the socket
/// takes it at once, before the connection is closed unread.
pub(super) fn refuse_connection(stream: &TcpStream) {
    let _ = stream.try_write(&answer(&ApiError::TooManyConnections));
}

impl<T: AsyncRead + Unpin> AsyncRead for Envelopes<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> Envelopes<T> {
    /// Writes what is left of the envelope answer.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.pending.len() {
            let n =
                ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Envelopes<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if !this.pending.is_empty() {
            // The connection is closing after the envelope: what hyper writes
            // after its error head (nothing, as it is) is dropped.
            ready!(this.poll_pending(cx))?;
            return Poll::Ready(Ok(buf.len()));
        }
        if let Some(answer) = this.replacement(buf) {
            this.pending = answer;
            ready!(this.poll_pending(cx))?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let total = bufs.iter().map(|buf| buf.len()).sum();
        let first = bufs.iter().find(|buf| !buf.is_empty()).map_or(&[][..], |buf| &buf[..]);
        if this.pending.is_empty() {
            match this.replacement(first) {
                Some(answer) => this.pending = answer,
                None => return Pin::new(&mut this.inner).poll_write_vectored(cx, bufs),
            }
        }
        ready!(this.poll_pending(cx))?;
        Poll::Ready(Ok(total))
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hypers_own_error_heads_are_replaced() {
        let envelopes = Envelopes::new((), 32 * 1024);
        let hyper_431 =
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let answer = String::from_utf8(envelopes.replacement(hyper_431).unwrap()).unwrap();
        assert!(answer.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        let body = answer.split_once("\r\n\r\n").unwrap().1;
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["error"]["code"], "headers_too_large");
        assert!(answer.contains(&format!("content-length: {}\r\n", body.len())));

        let hyper_400 = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n";
        assert!(
            String::from_utf8(envelopes.replacement(hyper_400).unwrap())
                .unwrap()
                .contains("malformed_request")
        );

        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 10\r\n\r\n";
        assert!(envelopes.replacement(ours).is_none(), "the router's own answers pass");
        assert!(envelopes.replacement(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(envelopes.replacement(b"{\"partial\": \"body\"}").is_none());
    }
}
