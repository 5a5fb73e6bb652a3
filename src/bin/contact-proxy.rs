//! `contact-proxy`: the command line of the proxy and of the sandbox Setter.
//!
//! The widget is built from the library for wasm32; there this binary is empty.

#[cfg(target_arch = "wasm32")]
fn main() {}

/// mimalloc: under load, glibc's malloc and free were a tenth of the proxy's time.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Has mimalloc give what this thread freed back to the system: called by the
/// server every few seconds on each serving thread.
#[cfg(not(target_arch = "wasm32"))]
fn return_freed_memory() {
    // SAFETY: mi_collect takes no pointers; it only walks this thread's heap.
    unsafe { libmimalloc_sys::mi_collect(false) }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::net::SocketAddr;
    use std::num::NonZeroUsize;
    use std::path::PathBuf;
    use std::process::ExitCode;
    use std::time::Duration;

    use axum::http::HeaderName;
    use clap::{Args, Parser, Subcommand};
    use secrecy::SecretString;
    use setter_contacts::{proxy, sandbox};
    use tokio::net::TcpListener;

    const KEY_HELP: &str = "\
The Setter API key is never a flag value (it would show in `ps`). It comes from
the environment variable SETTER_API_KEY, or from the file named by --api-key-file
(for Docker and Kubernetes secrets). With --demo no key is needed: the proxy
forwards to a sandbox Setter of its own.

Logs go to stderr; set RUST_LOG (e.g. RUST_LOG=debug) to change their level.";

    /// Update Setter AI contacts from admin dashboards without the API key ever
    /// reaching a browser.
    #[derive(Debug, Parser)]
    #[command(name = "contact-proxy", version, after_help = KEY_HELP)]
    #[command(args_conflicts_with_subcommands = true)]
    struct Cli {
        #[command(subcommand)]
        command: Option<Command>,
        #[command(flatten)]
        proxy: ProxyArgs,
    }

    #[derive(Debug, Subcommand)]
    enum Command {
        /// Run the sandbox Setter: a local stand-in for PUT /api/v1/contacts with
        /// demo contacts. Its key comes from the environment variable SANDBOX_API_KEY.
        Sandbox {
            /// Address to listen on.
            #[arg(long, env = "SANDBOX_LISTEN", default_value = "127.0.0.1:8090")]
            listen: SocketAddr,
        },
    }

    #[derive(Debug, Args)]
    struct ProxyArgs {
        /// Address to listen on.
        #[arg(long, env = "CONTACT_PROXY_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Setter's base URL; updates go to {upstream}/api/v1/contacts.
        #[arg(long, env = "CONTACT_PROXY_UPSTREAM", default_value = proxy::SETTER_URL)]
        upstream: String,
        /// How long Setter may take to answer, in milliseconds (then 504).
        #[arg(long, env = "CONTACT_PROXY_UPSTREAM_TIMEOUT_MS", default_value_t = 10_000)]
        upstream_timeout_ms: u64,
        /// An origin (https://host[:port]) the proxy is reached at, e.g. its name
        /// behind a gateway. Requests for any other Host are refused (421), which
        /// stops DNS rebinding; its pages may send updates. Repeatable; the
        /// environment variable takes a comma list [default: what --listen
        /// implies: http:// with 127.0.0.1, [::1] and localhost, and the
        /// address itself, each with the port].
        #[arg(long = "public-origin", env = "CONTACT_PROXY_PUBLIC_ORIGINS", value_delimiter = ',')]
        public_origins: Vec<String>,
        /// An origin (https://host[:port]) whose pages may send updates, besides
        /// the proxy's own. Repeatable; the environment variable takes a comma list.
        #[arg(
            long = "allowed-origin",
            env = "CONTACT_PROXY_ALLOWED_ORIGINS",
            value_delimiter = ','
        )]
        allowed_origins: Vec<String>,
        /// Serve the built widget from this directory at / (e.g. dist).
        #[arg(long, env = "CONTACT_PROXY_DIST")]
        dist: Option<PathBuf>,
        /// Read the Setter API key from this file (first line, trimmed).
        #[arg(long, env = "SETTER_API_KEY_FILE")]
        api_key_file: Option<PathBuf>,
        /// A header that a trusted sign-in gateway sets to the signed-in user (e.g.
        /// X-Forwarded-Email from oauth2-proxy). Requests without it are refused
        /// (401) and its value is logged as the actor of each update. Only safe when
        /// the proxy is reachable through that gateway alone.
        #[arg(long, env = "CONTACT_PROXY_TRUSTED_USER_HEADER")]
        trusted_user_header: Option<HeaderName>,
        /// Updates one client may send per minute, and in one burst (0: no limit).
        /// A client is the trusted user when --trusted-user-header is set, else
        /// the TCP peer's IP address.
        #[arg(long, env = "CONTACT_PROXY_RATE_LIMIT_PER_MINUTE", default_value_t = 600)]
        rate_limit_per_minute: u32,
        /// The CSP frame-ancestors of the served widget: which pages may frame it
        /// (e.g. "'self' https://admin.example.com").
        #[arg(long, env = "CONTACT_PROXY_FRAME_ANCESTORS", default_value = "'self'")]
        frame_ancestors: String,
        /// Connections served at once; more wait until one closes.
        #[arg(long, env = "CONTACT_PROXY_MAX_CONNECTIONS", default_value_t = 1024)]
        max_connections: usize,
        /// Connections one client address may hold at once; more are refused at
        /// once, so one client cannot take every connection [default: an eighth
        /// of --max-connections]. Behind a gateway every connection comes from
        /// the gateway's address: raise it there, up to --max-connections.
        #[arg(long, env = "CONTACT_PROXY_MAX_CONNECTIONS_PER_CLIENT")]
        max_connections_per_client: Option<NonZeroUsize>,
        /// The largest request head (request line and headers, cookies
        /// included) accepted, in bytes; a bigger one is answered 431.
        #[arg(long, env = "CONTACT_PROXY_MAX_HEADER_BYTES", default_value_t = proxy::MAX_HEAD_BYTES, value_parser = clap::value_parser!(usize))]
        max_header_bytes: usize,
        /// Threads serving requests [default: one per CPU core].
        #[arg(long, env = "CONTACT_PROXY_THREADS")]
        threads: Option<NonZeroUsize>,
        /// Where the audit trail is kept: sqlite://PATH (a file, created with its
        /// directory; WAL mode), postgres://USER@HOST/DATABASE (shared by every
        /// replica) or off [default: sqlite://$XDG_DATA_HOME/contact-proxy/audit.sqlite3,
        /// or under ~/.local/share; with --demo, a temporary file].
        #[arg(long, env = "CONTACT_PROXY_AUDIT_DB")]
        audit_db: Option<String>,
        /// Days an audit entry is kept; older ones are deleted at start and hourly.
        #[arg(long, env = "CONTACT_PROXY_AUDIT_RETENTION_DAYS", default_value_t = 90)]
        audit_retention_days: u32,
        /// What the trail keeps of each change: plain (the fields and their new
        /// values) or names-only (which fields, no values: no personal data).
        #[arg(long, env = "CONTACT_PROXY_AUDIT_VALUES", default_value = "plain", value_parser = ["plain", "names-only"])]
        audit_values: String,
        /// Forward to a sandbox Setter started in this process, with a random key:
        /// no real key, no internet. Also serves GET /sandbox/contacts.
        #[arg(long, env = "CONTACT_PROXY_DEMO", conflicts_with_all = ["upstream", "api_key_file"])]
        demo: bool,
        /// With --demo: this many more sandbox contacts (ids from 1001, WhatsApp
        /// IDs 1555100nnnn, SMS numbers +1555200nnnn; at most 10,000), to try
        /// and test bulk imports.
        #[arg(long, env = "CONTACT_PROXY_DEMO_CONTACTS", default_value_t = 0, requires = "demo")]
        demo_contacts: u64,
    }

    /// What stops the program, with the sentence that tells the user what to do.
    #[derive(Debug, thiserror::Error)]
    enum StartError {
        #[error(
            "no Setter API key: set SETTER_API_KEY, or pass --api-key-file PATH, or run with --demo to try the built-in sandbox"
        )]
        NoKey,
        #[error("cannot read the API key file {path:?}: {source}")]
        KeyFile { path: PathBuf, source: std::io::Error },
        #[error("the API key file {0:?} is empty")]
        EmptyKeyFile(PathBuf),
        #[error("no sandbox key: set SANDBOX_API_KEY to the key the sandbox should accept")]
        NoSandboxKey,
        #[error("cannot listen on {addr}: {source}")]
        Listen { addr: SocketAddr, source: std::io::Error },
        #[error("cannot start the sandbox: {0}")]
        Sandbox(std::io::Error),
        #[error(transparent)]
        Config(#[from] proxy::ConfigError),
        #[error(transparent)]
        BadKey(#[from] proxy::BadKey),
        #[error("server stopped: {0}")]
        Serve(std::io::Error),
        #[error(transparent)]
        Audit(#[from] proxy::audit::AuditError),
        #[error("no place for the audit trail: set HOME or XDG_DATA_HOME, or pass --audit-db")]
        NoDataDir,
    }

    pub fn main() -> ExitCode {
        let cli = Cli::parse();
        tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| "info".into()),
            )
            .with_writer(std::io::stderr)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init();
        // This runtime accepts connections, waits for signals and runs the odd
        // background task (key reloads, the rate limiter's clean-up, the demo
        // sandbox); requests are served by a runtime per core (serve_per_core).
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a Tokio runtime starts");
        let outcome = runtime.block_on(async {
            match cli.command {
                Some(Command::Sandbox { listen }) => run_sandbox(listen).await,
                None => run_proxy(cli.proxy).await,
            }
        });
        match outcome {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("contact-proxy: {err}");
                ExitCode::from(2)
            }
        }
    }

    async fn run_proxy(args: ProxyArgs) -> Result<(), StartError> {
        let (upstream, api_key, sandbox_view) = if args.demo {
            let sandbox =
                sandbox::spawn_in_process(args.demo_contacts).await.map_err(StartError::Sandbox)?;
            tracing::info!(sandbox = %sandbox.url, "demo mode: forwarding to the in-process sandbox Setter");
            (sandbox.url, sandbox.key, Some(sandbox::contacts_view(sandbox.store)))
        } else {
            (args.upstream, read_key(args.api_key_file.as_deref())?, None)
        };
        // Bound first: the public origins --listen implies need the real port.
        let listener = bind(args.listen).await?;
        let address = listener.local_addr().map_err(StartError::Serve)?;
        let public_origins = if args.public_origins.is_empty() {
            if !address.ip().is_loopback() {
                tracing::warn!(
                    "listening on {address} with no --public-origin: only requests for the loopback \
                     names and this address are answered; set --public-origin to the name clients use"
                );
            }
            proxy::public_origins_for(address)
        } else {
            args.public_origins
        };
        let config = proxy::Config {
            upstream_timeout: Duration::from_millis(args.upstream_timeout_ms),
            public_origins,
            allowed_origins: args.allowed_origins,
            dist: args.dist,
            trusted_user_header: args.trusted_user_header,
            rate_limit_per_minute: args.rate_limit_per_minute,
            frame_ancestors: args.frame_ancestors,
            ..proxy::Config::new(upstream, proxy::KeySlot::new(&api_key)?)
        };
        tokio::spawn(on_sighup(args.api_key_file, config.api_key.clone()));
        let (audit, _demo_trail) = open_audit(
            &args.audit_db,
            args.demo,
            &args.audit_values,
            args.audit_retention_days,
            &config,
        )
        .await?;
        let config = proxy::Config { audit, ..config };
        let app = proxy::router_with(&config, sandbox_view)?;
        tracing::info!(
            upstream = %proxy::without_credentials(&config.upstream),
            public_origins = %config.public_origins.join(","),
            "contact-proxy listening on http://{address}"
        );
        if config.dist.is_some() {
            println!("Open http://{address}/ in a browser.");
        }
        let max_connections = args.max_connections.max(1);
        let per_client = args
            .max_connections_per_client
            .map_or((max_connections / 8).max(1), NonZeroUsize::get)
            .min(max_connections);
        let limits = proxy::ServerLimits {
            max_connections,
            max_connections_per_client: per_client,
            max_head_bytes: args.max_header_bytes,
            housekeeping: Some(super::return_freed_memory),
            drain_timeout: config.upstream_timeout + Duration::from_secs(5),
            ..Default::default()
        };
        let served =
            proxy::serve_per_core(listener, app, shutdown_signal(), limits, threads(args.threads))
                .await;
        // Every update in flight has finished: what the trail still holds goes to disk.
        config.audit.close().await;
        served.map_err(StartError::Serve)
    }

    /// The audit trail `--audit-db` names (or the default), opened. With
    /// --demo and no --audit-db, a temporary file, removed when the
    /// returned directory is dropped.
    async fn open_audit(
        url: &Option<String>,
        demo: bool,
        values: &str,
        retention_days: u32,
        config: &proxy::Config,
    ) -> Result<(proxy::audit::Audit, Option<TempDir>), StartError> {
        use proxy::audit::{Audit, AuditConfig, AuditDb, StoredValues};
        let mut demo_dir = None;
        let db = match url {
            Some(url) => AuditDb::parse(url)?,
            None if demo => {
                let dir = TempDir::new().map_err(StartError::Sandbox)?;
                let db = AuditDb::Sqlite(dir.0.join("audit.sqlite3"));
                demo_dir = Some(dir);
                db
            }
            None => AuditDb::Sqlite(default_data_dir()?.join("audit.sqlite3")),
        };
        let values =
            if values == "names-only" { StoredValues::NamesOnly } else { StoredValues::Plain };
        let audit_config = AuditConfig {
            db: db.clone(),
            retention_days,
            values,
            // The upstream timeout, and the drain's margin over it.
            longest_update: config.upstream_timeout + Duration::from_secs(5),
        };
        let audit = Audit::open(&audit_config).await?;
        match &db {
            AuditDb::Off => {
                tracing::warn!("audit trail: off (--audit-db off): updates are not recorded")
            }
            db => tracing::info!(
                store = %db.describe(),
                values = if values == StoredValues::Plain { "plain" } else { "names-only" },
                retention_days,
                "audit trail: every forwarded update is recorded before it leaves"
            ),
        }
        Ok((audit, demo_dir))
    }

    /// `$XDG_DATA_HOME/contact-proxy`, or `~/.local/share/contact-proxy`.
    fn default_data_dir() -> Result<PathBuf, StartError> {
        let base = std::env::var_os("XDG_DATA_HOME")
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share"))
            })
            .ok_or(StartError::NoDataDir)?;
        Ok(base.join("contact-proxy"))
    }

    /// A directory of this process's own under the system's temporary one,
    /// removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> std::io::Result<TempDir> {
            let mut bytes = [0u8; 8];
            getrandom::fill(&mut bytes).map_err(|err| std::io::Error::other(err.to_string()))?;
            let name: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let dir = std::env::temp_dir().join(format!("contact-proxy-demo-{name}"));
            std::fs::create_dir_all(&dir)?;
            Ok(TempDir(dir))
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// SIGHUP re-reads the key file (a rotated Kubernetes or Docker secret). A bad
    /// file is logged and the old key kept, so a botched rotation stops nothing.
    /// Without a key file (the key from SETTER_API_KEY, or --demo) there is
    /// nothing to re-read: the signal is logged and ignored. Either way HUP never
    /// ends the process, which its default action would.
    async fn on_sighup(key_file: Option<PathBuf>, slot: proxy::KeySlot) {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let Ok(mut hangups) = signal(SignalKind::hangup()) else { return };
            while hangups.recv().await.is_some() {
                let Some(path) = &key_file else {
                    tracing::info!(
                        "SIGHUP ignored: the key does not come from a file (--api-key-file), so there is nothing to reload"
                    );
                    continue;
                };
                match read_key(Some(path)).map(|key| slot.replace(&key)) {
                    Ok(Ok(())) => tracing::info!(?path, "SIGHUP: API key reloaded"),
                    Ok(Err(err)) => {
                        tracing::error!(?path, %err, "SIGHUP: API key not reloaded; keeping the old one")
                    }
                    Err(err) => {
                        tracing::error!(%err, "SIGHUP: API key not reloaded; keeping the old one")
                    }
                }
            }
        }
        #[cfg(not(unix))]
        let _ = (key_file, slot);
    }

    async fn run_sandbox(listen: SocketAddr) -> Result<(), StartError> {
        let key = std::env::var("SANDBOX_API_KEY")
            .ok()
            .filter(|key| !key.trim().is_empty())
            .ok_or(StartError::NoSandboxKey)?;
        let app = sandbox::router(SecretString::from(key), sandbox::Store::demo());
        let listener = bind(listen).await?;
        let address = listener.local_addr().map_err(StartError::Serve)?;
        tracing::info!("sandbox Setter listening on http://{address}");
        proxy::serve_per_core(
            listener,
            app,
            shutdown_signal(),
            proxy::ServerLimits::default(),
            threads(None),
        )
        .await
        .map_err(StartError::Serve)
    }

    /// The key from SETTER_API_KEY or from --api-key-file; the file wins when both are set.
    fn read_key(file: Option<&std::path::Path>) -> Result<SecretString, StartError> {
        let key = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|source| StartError::KeyFile { path: path.to_owned(), source })?;
                let key = text.lines().next().unwrap_or_default().trim().to_owned();
                if key.is_empty() {
                    return Err(StartError::EmptyKeyFile(path.to_owned()));
                }
                key
            }
            None => std::env::var("SETTER_API_KEY")
                .ok()
                .map(|key| key.trim().to_owned())
                .filter(|key| !key.is_empty())
                .ok_or(StartError::NoKey)?,
        };
        Ok(SecretString::from(key))
    }

    async fn bind(addr: SocketAddr) -> Result<TcpListener, StartError> {
        TcpListener::bind(addr).await.map_err(|source| StartError::Listen { addr, source })
    }

    fn threads(wanted: Option<NonZeroUsize>) -> usize {
        wanted.or_else(|| std::thread::available_parallelism().ok()).map_or(1, NonZeroUsize::get)
    }

    /// Resolves on Ctrl-C or SIGTERM: the server then drains and exits.
    async fn shutdown_signal() {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            () = ctrl_c => {},
            () = terminate => {},
        }
        tracing::info!("shutting down: finishing the updates in flight");
    }
}
