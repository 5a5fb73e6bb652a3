//! The floor under contact-proxy's throughput: hyper forwarding each update as
//! it came, with the key added, and nothing else: no checks, no router, no
//! layers, no log line. Served the way contact-proxy serves: one acceptor deals
//! connections in turn to a single-threaded runtime per core, each with its own
//! pooled hyper client; the same allocator; the same header read timeout. So
//! the gap between the two is what contact-proxy adds, and the gap between this
//! and nginx is what hyper costs.
//!
//! Not a criterion benchmark: `scripts/bench/proxy-vs-nginx` starts it beside
//! nginx and contact-proxy and measures all three with wrk. Without its two
//! arguments (as under `cargo bench`) it says so and returns.
//!   hyper_floor LISTEN_ADDR UPSTREAM_ENDPOINT_URL
// A native benchmark: on wasm32 (clippy --all-targets --target wasm32) it is empty.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

use std::convert::Infallible;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use hyper::{Request, Response, StatusCode, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

type HttpClient = Client<HttpConnector, Full<Bytes>>;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).filter(|arg| arg != "--bench").collect();
    let [listen, endpoint] = args.as_slice() else {
        eprintln!(
            "hyper_floor: run by scripts/bench/proxy-vs-nginx (arguments: LISTEN_ADDR UPSTREAM_ENDPOINT_URL)"
        );
        return Ok(());
    };
    let listen: SocketAddr = listen.parse().map_err(std::io::Error::other)?;
    let endpoint: Uri = endpoint.parse().map_err(std::io::Error::other)?;
    let listener = TcpListener::bind(listen)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers: Vec<UnboundedSender<TcpStream>> = (0..threads)
        .map(|_| {
            let (hand_off, incoming) = unbounded_channel();
            let endpoint = endpoint.clone();
            std::thread::spawn(move || serve(incoming, endpoint));
            hand_off
        })
        .collect();
    for (stream, turn) in listener.incoming().zip((0..threads).cycle()) {
        workers[turn]
            .send(stream?)
            .map_err(|_| std::io::Error::other("a serving thread stopped"))?;
    }
    Ok(())
}

/// Serves the connections dealt to this thread, on a runtime of its own.
fn serve(mut incoming: UnboundedReceiver<TcpStream>, endpoint: Uri) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async move {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client: HttpClient = Client::builder(TokioExecutor::new()).build(connector);
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new()).header_read_timeout(Duration::from_secs(10));
        while let Some(stream) = incoming.recv().await {
            stream.set_nonblocking(true)?;
            let stream = tokio::net::TcpStream::from_std(stream)?;
            stream.set_nodelay(true)?;
            let (client, endpoint) = (client.clone(), endpoint.clone());
            let service = hyper::service::service_fn(move |request| {
                let (client, endpoint) = (client.clone(), endpoint.clone());
                async move { Ok::<_, Infallible>(forward(&client, endpoint, request).await) }
            });
            tokio::spawn(http.serve_connection(TokioIo::new(stream), service));
        }
        Ok(())
    })
}

/// The update sent on as it came, with the key; Setter's answer passed back.
async fn forward(
    client: &HttpClient,
    endpoint: Uri,
    request: Request<Incoming>,
) -> Response<Full<Bytes>> {
    let exchange = async {
        let body = request.into_body().collect().await?.to_bytes();
        let upstream = Request::put(endpoint)
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .header(AUTHORIZATION, HeaderValue::from_static("Bearer bench-key"))
            .body(Full::new(body))?;
        let answer = client.request(upstream).await?;
        let status = answer.status();
        let body = answer.into_body().collect().await?.to_bytes();
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>((status, body))
    };
    let (status, body) = exchange
        .await
        .unwrap_or_else(|err| (StatusCode::BAD_GATEWAY, Bytes::from(err.to_string())));
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
