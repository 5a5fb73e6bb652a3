//! The proxy's whole request handling over arbitrary requests.
#![no_main]

#[path = "../checks.rs"]
mod checks;

use std::sync::OnceLock;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap())
}

fn app() -> axum::Router {
    static APP: OnceLock<axum::Router> = OnceLock::new();
    APP.get_or_init(|| {
        let _guard = runtime().enter();
        checks::handler_app()
    })
    .clone()
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| runtime().block_on(checks::check_handler(app(), data)));
