//! The accept loop: HTTP/1.1 with bounds on what clients may hold (connections
//! in all, connections per client address, the size of a request head, the
//! time to send it), and a graceful drain on shutdown.
//!
//! `axum::serve` exposes none of these bounds, and a proxy that holds an API
//! key must not be held open by slow or hostile clients, so this loop drives
//! hyper itself. What hyper answers on its own (a head too large or
//! unreadable) is rewritten into the proxy's envelope on its way out
//! ([`envelopes`]), and a client over its share of connections gets a 503
//! envelope and a closed socket, before anything it sends is read.
//!
//! [`serve_per_core`] serves connections on one thread per core, each with a
//! single-threaded runtime; the caller's runtime accepts and deals connections
//! out in turn. A connection then lives on one thread from accept to close,
//! together with the upstream connection its updates go out on (see
//! `Upstream`): under load, a work-stealing runtime spent much of its time
//! waking its other thread.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tower::ServiceExt;

mod envelopes;

/// Bounds on what clients may hold of the server.
#[derive(Debug, Clone)]
pub struct ServerLimits {
    /// Connections served at once; more wait in the listen backlog.
    pub max_connections: usize,
    /// Connections one client address may hold at once; more are refused
    /// as they arrive (503 `too_many_connections`), so one client cannot fill
    /// `max_connections` and starve the rest, `/healthz` included.
    pub max_connections_per_client: usize,
    /// The largest request head (request line and headers) read; a bigger one
    /// is answered 431 `headers_too_large`. It bounds the memory each
    /// connection may make the server hold: browsers' heads, cookies and
    /// all, are a few KiB.
    pub max_head_bytes: usize,
    /// Run every few seconds on each serving thread, if given: the binary
    /// has its allocator give memory freed on that thread back to the system
    /// (mimalloc frees lazily, when a thread next allocates, and a thread
    /// left idle after a flood of connections would keep it all).
    pub housekeeping: Option<fn()>,
    /// How long a client may take to send a request's headers.
    pub header_read_timeout: Duration,
    /// How long a shutdown waits for requests in flight before it gives up.
    pub drain_timeout: Duration,
}

impl Default for ServerLimits {
    fn default() -> ServerLimits {
        ServerLimits {
            max_connections: 1024,
            max_connections_per_client: 128,
            max_head_bytes: MAX_HEAD_BYTES,
            housekeeping: None,
            header_read_timeout: Duration::from_secs(10),
            drain_timeout: Duration::from_secs(30),
        }
    }
}

/// How often [`ServerLimits::housekeeping`] runs.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(5);

/// The default bound on a request head: 16 KiB, as Node.js has it.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;

/// Serves `app` on `listener` until `shutdown` resolves; then stops accepting and
/// lets the requests in flight finish (up to `limits.drain_timeout`). Handlers
/// see the peer's address as `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
    limits: ServerLimits,
) -> std::io::Result<()> {
    let connections = Connections::new(app, &limits);
    accept_until(shutdown, &listener, &limits, |accepted| {
        connections.serve(accepted);
        ControlFlow::Continue(())
    })
    .await;
    drop(listener);
    connections.drain(limits.drain_timeout).await;
    Ok(())
}

/// [`serve`], with the connections served on `threads` threads (at least one),
/// each running a single-threaded runtime; this task only accepts.
/// `limits.max_connections` bounds all threads together. Returns when every
/// thread has drained after `shutdown`.
pub async fn serve_per_core(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
    limits: ServerLimits,
    threads: usize,
) -> std::io::Result<()> {
    let mut workers = Vec::new();
    let mut finished = Vec::new();
    for index in 0..threads.max(1) {
        let (hand_off, mut incoming) = mpsc::unbounded_channel::<(
            std::net::TcpStream,
            SocketAddr,
            (OwnedSemaphorePermit, ClientSlot),
        )>();
        let (done, finished_one) = tokio::sync::oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let (app, limits) = (app.clone(), limits.clone());
        std::thread::Builder::new().name(format!("serve-{index}")).spawn(move || {
            runtime.block_on(async move {
                if let Some(housekeeping) = limits.housekeeping {
                    tokio::spawn(async move {
                        let mut tick = tokio::time::interval(HOUSEKEEPING_EVERY);
                        loop {
                            tick.tick().await;
                            housekeeping();
                        }
                    });
                }
                let connections = Connections::new(app, &limits);
                // Ends when the acceptor hangs up, at shutdown.
                while let Some((stream, peer, slot)) = incoming.recv().await {
                    match TcpStream::from_std(stream) {
                        Ok(stream) => connections.serve(Accepted { stream, peer, slot }),
                        Err(err) => {
                            tracing::warn!(%err, %peer, "connection dropped: cannot register it")
                        }
                    }
                }
                connections.drain(limits.drain_timeout).await;
            });
            drop(done);
        })?;
        workers.push(hand_off);
        finished.push(finished_one);
    }

    let mut turn = 0;
    accept_until(shutdown, &listener, &limits, |Accepted { stream, peer, slot }| {
        // Moved between runtimes as a plain socket: each runtime watches its own.
        let mut connection = match stream.into_std() {
            Ok(stream) => (stream, peer, slot),
            Err(err) => {
                tracing::warn!(%err, %peer, "connection dropped: cannot hand it over");
                return ControlFlow::Continue(());
            }
        };
        // A thread stops before this loop hangs up only by a bug: deal its
        // share to the others, and stop serving when none is left.
        while !workers.is_empty() {
            turn %= workers.len();
            match workers[turn].send(connection) {
                Ok(()) => {
                    turn += 1;
                    return ControlFlow::Continue(());
                }
                Err(mpsc::error::SendError(returned)) => {
                    tracing::error!("a serving thread has stopped; {} left", workers.len() - 1);
                    workers.remove(turn);
                    connection = returned;
                }
            }
        }
        ControlFlow::Break(())
    })
    .await;
    drop(listener);
    let all_stopped = workers.is_empty();
    drop(workers);
    for finished_one in finished {
        let _ = finished_one.await; // its sender is dropped when its thread is done
    }
    if all_stopped {
        return Err(std::io::Error::other("every serving thread has stopped"));
    }
    Ok(())
}

/// A connection, counted against `max_connections` and its client's share
/// until it is dropped.
struct Accepted {
    stream: TcpStream,
    peer: SocketAddr,
    slot: (OwnedSemaphorePermit, ClientSlot),
}

/// How many connections each client address holds.
#[derive(Clone, Default)]
struct Clients(Arc<std::sync::Mutex<std::collections::HashMap<IpAddr, usize>>>);

impl Clients {
    /// A slot for one more connection of `client`, unless it holds `max`.
    fn take(&self, client: IpAddr, max: usize) -> Option<ClientSlot> {
        let mut counts = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = counts.entry(client).or_default();
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(ClientSlot { clients: self.clone(), client })
    }
}

/// One connection of a client, given back when dropped.
struct ClientSlot {
    clients: Clients,
    client: IpAddr,
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut counts = self.clients.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = counts.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.client);
            }
        }
    }
}

/// Accepts connections and passes each to `serve` until `shutdown` resolves
/// or `serve` breaks.
async fn accept_until(
    shutdown: impl Future<Output = ()>,
    listener: &TcpListener,
    limits: &ServerLimits,
    mut serve: impl FnMut(Accepted) -> ControlFlow<()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let clients = Clients::default();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => return,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(%err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => return,
        };
        let Some(client_slot) = clients.take(peer.ip(), limits.max_connections_per_client) else {
            tracing::debug!(%peer, "connection refused: the client holds its share of connections");
            envelopes::refuse_connection(&stream);
            continue; // dropped: closed, and its slot is free again
        };
        if serve(Accepted { stream, peer, slot: (slot, client_slot) }).is_break() {
            return;
        }
    }
}

/// The connections of one runtime: served with HTTP/1.1, and drained together.
struct Connections {
    app: Router,
    http: hyper::server::conn::http1::Builder,
    graceful: GracefulShutdown,
    max_head_bytes: usize,
}

impl Connections {
    fn new(app: Router, limits: &ServerLimits) -> Connections {
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout)
            .max_buf_size(limits.max_head_bytes.max(8 * 1024));
        Connections {
            app,
            http,
            graceful: GracefulShutdown::new(),
            max_head_bytes: limits.max_head_bytes,
        }
    }

    /// Serves the connection on a task of the current runtime.
    fn serve(&self, Accepted { stream, peer, slot }: Accepted) {
        let _ = stream.set_nodelay(true);
        let app = self.app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            app.clone().oneshot(request.map(axum::body::Body::new))
        });
        let io = TokioIo::new(envelopes::Envelopes::new(stream, self.max_head_bytes));
        let connection = self.graceful.watch(self.http.serve_connection(io, service));
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(%err, %peer, "connection ended with an error");
            }
            drop(slot);
        });
    }

    /// Lets the requests in flight finish, up to `timeout`.
    async fn drain(self, timeout: Duration) {
        if tokio::time::timeout(timeout, self.graceful.shutdown()).await.is_err() {
            tracing::warn!("some requests were still running after {timeout:?}; stopping anyway");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// Which thread served the request, on a connection that stays open.
    async fn thread_of(connection: &mut TcpStream) -> String {
        connection.write_all(b"GET / HTTP/1.1\r\nhost: test\r\n\r\n").await.unwrap();
        let mut answer = vec![0u8; 1024];
        let read = tokio::time::timeout(Duration::from_secs(5), connection.read(&mut answer))
            .await
            .expect("an answer within 5 s")
            .unwrap();
        let answer = String::from_utf8_lossy(&answer[..read]).into_owned();
        answer.rsplit("\r\n\r\n").next().unwrap().to_owned()
    }

    /// A two-thread server whose answers name the thread that served them;
    /// stopped by the sender, finished when its task is.
    async fn start(
        limits: ServerLimits,
    ) -> (SocketAddr, tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<std::io::Result<()>>)
    {
        let app = Router::new()
            .route("/", get(|| async { std::thread::current().name().unwrap_or("").to_owned() }));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let shutdown = async {
            let _ = stopped.await;
        };
        let server = tokio::spawn(serve_per_core(listener, app, shutdown, limits, 2));
        (address, stop, server)
    }

    #[tokio::test]
    async fn connections_are_dealt_out_to_every_thread_in_turn() {
        let (address, _stop, _server) = start(ServerLimits::default()).await;
        let mut threads = Vec::new();
        for _ in 0..4 {
            let mut connection = TcpStream::connect(address).await.unwrap();
            let first = thread_of(&mut connection).await;
            assert_eq!(thread_of(&mut connection).await, first, "a connection stays on its thread");
            threads.push(first);
        }
        assert_eq!(threads, ["serve-0", "serve-1", "serve-0", "serve-1"]);
    }

    #[tokio::test]
    async fn the_connection_bound_holds_across_threads_and_frees_on_close() {
        let limits = ServerLimits { max_connections: 2, ..ServerLimits::default() };
        let (address, _stop, _server) = start(limits).await;
        let mut first = TcpStream::connect(address).await.unwrap();
        let mut second = TcpStream::connect(address).await.unwrap();
        thread_of(&mut first).await;
        thread_of(&mut second).await;

        let mut third = TcpStream::connect(address).await.unwrap(); // waits in the backlog
        third.write_all(b"GET / HTTP/1.1\r\nhost: test\r\n\r\n").await.unwrap();
        let waited =
            tokio::time::timeout(Duration::from_millis(300), third.read(&mut [0u8; 64])).await;
        assert!(waited.is_err(), "a third connection is not served while two are open");

        drop(first);
        let mut answer = [0u8; 64];
        let read = tokio::time::timeout(Duration::from_secs(5), third.read(&mut answer)).await;
        assert!(read.expect("served once a connection closed").unwrap() > 0);
    }

    #[tokio::test]
    async fn shutdown_stops_accepting_and_returns_once_drained() {
        let (address, stop, server) = start(ServerLimits::default()).await;
        let mut open = TcpStream::connect(address).await.unwrap();
        thread_of(&mut open).await;
        stop.send(()).unwrap();
        let finished = tokio::time::timeout(Duration::from_secs(5), server).await;
        assert!(
            finished.expect("drained within 5 s: idle connections are closed").unwrap().is_ok()
        );
        assert!(TcpStream::connect(address).await.is_err(), "no longer listening");
    }
}
