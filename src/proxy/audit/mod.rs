//! The audit trail: who changed which contact to what, and when.
//!
//! contact-proxy is the one place every change passes, so it records each
//! update it forwards, whatever Setter answers:
//!
//! ```text
//! update ── begin ──▶ writer ── group commit ──▶ store (SQLite | PostgreSQL)
//!    │ (durable first)                               ▲
//!    └── forward to Setter ── complete ──────────────┘ (the outcome, after)
//! ```
//!
//! **Write-ahead, fail closed.** An entry is durable before the update leaves
//! for Setter ([`Audit::begin`] returns once its transaction committed) and is
//! completed with the outcome after ([`Audit::complete`]). If the store cannot
//! be written, the update is not forwarded (503 `audit_unavailable`): nothing
//! changes in Setter that the trail does not know of. An entry that never got
//! its outcome (the process was killed in between) reads "outcome unknown"
//! once it is older than any update can take.
//!
//! **Group commit.** Each serving thread's collector gathers its thread's
//! entries into one batch, and one writer task per process writes every batch
//! and outcome waiting in one transaction ([`writer`]), so the store's commit
//! cost, and the cost of waking another thread, is shared by all the updates
//! in flight.
//!
//! **Setter shows no old values,** so an entry says what fields were *set to*,
//! never a diff it cannot vouch for. With `--audit-values names-only` it says
//! which fields, not their values.
//!
//! The store lives on the runtime that opened it (PostgreSQL connections are
//! bound to their runtime); the serving threads reach it through the writer's
//! channel and by spawning reads onto that runtime.

mod api;
mod store;
pub mod time;
mod writer;

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use thread_local::ThreadLocal;
use tokio::runtime::Handle;
use tokio::sync::{Mutex, mpsc, oneshot};

pub(super) use api::routes;
use store::{Embedded, SqlStore, Store};

use crate::contract::{Field, ValidUpdate};

/// Where the trail is kept (`--audit-db`).
#[derive(Clone)]
pub enum AuditDb {
    /// No trail (`off`, said so at start).
    Off,
    /// An SQLite file, created (with its directory) on first run; WAL mode.
    Sqlite(PathBuf),
    /// A PostgreSQL database, shared by every replica. The URL may hold a
    /// password: it is shown only without it.
    Postgres(SecretString),
}

impl std::fmt::Debug for AuditDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl AuditDb {
    /// Reads `off`, `sqlite://PATH` or `postgres://…` (`postgresql://…`).
    pub fn parse(text: &str) -> Result<AuditDb, AuditError> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") {
            Ok(AuditDb::Off)
        } else if let Some(path) = text.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(AuditError::BadUrl(text.to_owned()));
            }
            Ok(AuditDb::Sqlite(PathBuf::from(path)))
        } else if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Ok(AuditDb::Postgres(SecretString::from(text.to_owned())))
        } else {
            Err(AuditError::BadUrl(crate::proxy::without_credentials(text)))
        }
    }

    /// The store as the log shows it: a path, or a URL without its password.
    pub fn describe(&self) -> String {
        match self {
            AuditDb::Off => "off".to_owned(),
            AuditDb::Sqlite(path) => format!("sqlite://{}", path.display()),
            AuditDb::Postgres(url) => crate::proxy::without_credentials(url.expose_secret()),
        }
    }
}

/// Whether the new values of the fields are kept, or their names only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredValues {
    Plain,
    NamesOnly,
}

/// How the trail is kept.
#[derive(Debug, Clone)]
pub struct AuditConfig {
    pub db: AuditDb,
    /// Entries older than this are deleted, at start and then hourly.
    pub retention_days: u32,
    pub values: StoredValues,
    /// How long an update may take at most (the upstream timeout and some):
    /// an entry with no outcome after that reads "outcome unknown".
    pub longest_update: Duration,
}

/// Why the trail cannot be opened or written.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error(
        "--audit-db {0:?} is not a store: give off, sqlite://PATH or postgres://USER@HOST/DATABASE"
    )]
    BadUrl(String),
    #[error("the audit trail's directory {path:?} cannot be created: {source}")]
    Directory { path: PathBuf, source: std::io::Error },
    #[error("the audit trail at {store} cannot be opened: {source}")]
    Open { store: String, source: sqlx::Error },
    #[error("the audit trail at {store} cannot be brought up to date: {source}")]
    Migrate { store: String, source: sqlx::migrate::MigrateError },
    /// The store refused a write or a read; what it said, for the log.
    #[error("the audit trail could not be written or read: {0}")]
    Unavailable(String),
}

/// One entry of the trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// A UUIDv7: time first, so ids sort as the entries were made.
    pub id: String,
    /// When, in ms since the epoch (UTC): the id's own time.
    pub at_ms: i64,
    /// The `--trusted-user-header` value; `None` without one.
    pub actor: Option<String>,
    /// The TCP peer's address (the gateway's, behind one).
    pub client: String,
    pub request_id: String,
    /// `id`, `waId` or `smsPhoneNumber`, and its value as forwarded.
    pub identifier_kind: String,
    pub identifier_value: String,
    pub changed_fields: Vec<String>,
    /// The fields set, as a JSON object of their new values; `None` with
    /// `--audit-values names-only`.
    pub new_values: Option<String>,
    /// The bulk importer's run, when the update came from one.
    pub batch: Option<String>,
    /// `updated` or the proxy's error code; `None` until completed.
    pub outcome: Option<String>,
    pub setter_status: Option<i64>,
    pub latency_ms: Option<i64>,
    pub completed_at_ms: Option<i64>,
}

/// An entry's outcome, written after Setter answered.
#[derive(Debug, Clone)]
pub(super) struct Completion {
    pub id: String,
    pub outcome: String,
    pub setter_status: Option<i64>,
    pub latency_ms: i64,
    pub completed_at_ms: i64,
}

/// Which entries to read.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The identifier's kind and value, as forwarded (normalized).
    pub contact: Option<(String, String)>,
    pub actor: Option<String>,
    pub batch: Option<String>,
    pub since_ms: Option<i64>,
    pub until_ms: Option<i64>,
    /// Only entries older than this id (the keyset cursor).
    pub before: Option<String>,
}

/// What an update the proxy is about to forward is recorded with.
pub struct Forwarding<'a> {
    pub update: &'a ValidUpdate,
    pub actor: Option<&'a str>,
    pub client: String,
    pub request_id: &'a str,
    pub batch: Option<&'a str>,
}

/// The entry of an update in flight, to complete once Setter answered.
#[derive(Debug)]
pub struct Begun(Option<String>);

/// The trail, or its absence (`--audit-db off`). Cheap to clone.
#[derive(Clone)]
pub struct Audit(Option<Arc<Trail>>);

impl std::fmt::Debug for Audit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "Audit(on)" } else { "Audit(off)" })
    }
}

struct Trail {
    commands: mpsc::Sender<writer::Command>,
    /// Each serving thread's collector (started on that thread's first update).
    collectors: ThreadLocal<mpsc::Sender<writer::Pending>>,
    store: Arc<dyn Store>,
    /// The runtime the store lives on.
    runtime: Handle,
    values: StoredValues,
    longest_update_ms: i64,
    /// The writer and the pruner, stopped by [`Audit::close`].
    tasks: Mutex<Option<(tokio::task::JoinHandle<()>, tokio::task::JoinHandle<()>)>>,
}

impl Audit {
    /// No trail: updates are forwarded unrecorded, and reads say it is off.
    pub fn off() -> Audit {
        Audit(None)
    }

    /// Opens (creates, migrates) the store, deletes what is past retention,
    /// and starts the writer and the hourly pruner on the current runtime.
    pub async fn open(config: &AuditConfig) -> Result<Audit, AuditError> {
        let store: Arc<dyn Store> = match &config.db {
            AuditDb::Off => return Ok(Audit::off()),
            AuditDb::Sqlite(path) => Arc::new(open_sqlite(path).await?),
            AuditDb::Postgres(url) => Arc::new(open_postgres(url).await?),
        };
        let retention_ms = i64::from(config.retention_days) * 86_400_000;
        prune(&*store, retention_ms)
            .await
            .map_err(|err| AuditError::Unavailable(err.to_string()))?;
        let (commands, incoming) = mpsc::channel(writer::QUEUE);
        let writer = tokio::spawn(writer::run(Arc::clone(&store), incoming, store.concurrency()));
        let pruner = tokio::spawn(prune_hourly(Arc::clone(&store), retention_ms));
        Ok(Audit(Some(Arc::new(Trail {
            commands,
            collectors: ThreadLocal::new(),
            store,
            runtime: Handle::current(),
            values: config.values,
            longest_update_ms: config.longest_update.as_millis() as i64,
            tasks: Mutex::new(Some((writer, pruner))),
        }))))
    }

    /// Whether updates are recorded.
    pub fn is_on(&self) -> bool {
        self.0.is_some()
    }

    /// Records `forwarding` and returns once its entry is durable. An error
    /// means the update must not be forwarded.
    pub async fn begin(&self, forwarding: Forwarding<'_>) -> Result<Begun, AuditError> {
        let Some(trail) = &self.0 else { return Ok(Begun(None)) };
        let entry = trail.entry(forwarding);
        let id = entry.id.clone();
        let (done, written) = oneshot::channel();
        let collector = trail.collectors.get_or(|| {
            let (pending, collected) = mpsc::channel(writer::QUEUE);
            tokio::spawn(writer::collect(collected, trail.commands.clone()));
            pending
        });
        if let Err(mpsc::error::SendError(writer::Pending(entry, done))) =
            collector.send(writer::Pending(entry, done)).await
        {
            // This thread's collector is gone with the runtime it ran on:
            // straight to the writer, then.
            let sent = trail.commands.send(writer::Command::Begin(vec![entry], done)).await;
            sent.map_err(|_| writer::stopped())?;
        }
        written.await.map_err(|_| writer::stopped())??;
        Ok(Begun(Some(id)))
    }

    /// Completes the entry of an update with its outcome (`updated` or the
    /// proxy's code). Not awaited: the answer does not wait for it, and the
    /// writer retries it with the next batches if the store refuses it now.
    pub fn complete(
        &self,
        begun: Begun,
        outcome: &str,
        setter_status: Option<u16>,
        latency: Duration,
    ) {
        let (Some(trail), Some(id)) = (&self.0, begun.0) else { return };
        let completion = Completion {
            id,
            outcome: outcome.to_owned(),
            setter_status: setter_status.map(i64::from),
            latency_ms: latency.as_millis() as i64,
            completed_at_ms: time::now_ms(),
        };
        if trail.commands.try_send(writer::Command::Complete(completion)).is_err() {
            tracing::warn!(
                "audit writer queue full: an outcome is lost (its entry reads \"outcome unknown\")"
            );
        }
    }

    /// Up to `limit` entries matching `filter`, newest first, and the cursor
    /// of the next page.
    pub async fn read(
        &self,
        filter: Filter,
        limit: u32,
    ) -> Result<(Vec<Entry>, Option<String>), AuditError> {
        let Some(trail) = &self.0 else { return Ok((Vec::new(), None)) };
        let store = Arc::clone(&trail.store);
        let read = trail.runtime.spawn(async move { store.query(&filter, limit + 1).await });
        let mut entries = read
            .await
            .map_err(|err| AuditError::Unavailable(err.to_string()))?
            .map_err(|err| AuditError::Unavailable(err.to_string()))?;
        let next = (entries.len() > limit as usize).then(|| {
            entries.truncate(limit as usize);
            entries.last().map(|entry| entry.id.clone())
        });
        Ok((entries, next.flatten()))
    }

    /// When an entry with no outcome reads "outcome unknown": its update is
    /// older than any update can take.
    pub(super) fn is_abandoned(&self, entry: &Entry, now_ms: i64) -> bool {
        let longest = self.0.as_ref().map_or(0, |trail| trail.longest_update_ms);
        entry.outcome.is_none() && now_ms - entry.at_ms > longest
    }

    /// Lets the writer write everything still waiting, then stops it and the
    /// pruner. After a server's drain, before the process exits.
    pub async fn close(&self) {
        let Some(trail) = &self.0 else { return };
        let Some((writer, pruner)) = trail.tasks.lock().await.take() else { return };
        pruner.abort();
        // The writer ends once every sender is gone and the queue is empty;
        // the handlers' clones went with the server.
        let (done, closed) = oneshot::channel();
        if trail.commands.send(writer::Command::Close(done)).await.is_ok() {
            let _ = closed.await;
        }
        let _ = writer.await;
    }
}

impl Trail {
    /// The entry of an update about to be forwarded.
    fn entry(&self, forwarding: Forwarding<'_>) -> Entry {
        let update = forwarding.update.update();
        let at_ms = time::now_ms();
        let id = new_id(at_ms);
        let kind = forwarding.update.identifier_kinds().first().copied().unwrap_or(Field::Id);
        let value = match kind {
            Field::Id => update.id.map(|id| id.to_string()).unwrap_or_default(),
            text => update.text(text).unwrap_or_default().to_owned(),
        };
        let changed = forwarding.update.changed_fields();
        let new_values = match self.values {
            StoredValues::NamesOnly => None,
            StoredValues::Plain => {
                let mut values = serde_json::to_value(update).unwrap_or_default();
                if let Some(object) = values.as_object_mut() {
                    object.retain(|name, _| {
                        Field::from_name(name).is_some_and(|f| !f.is_identifier())
                    });
                }
                Some(values.to_string())
            }
        };
        Entry {
            id,
            at_ms,
            actor: forwarding.actor.map(str::to_owned),
            client: forwarding.client,
            request_id: forwarding.request_id.to_owned(),
            identifier_kind: kind.as_str().to_owned(),
            identifier_value: value,
            changed_fields: changed.iter().map(|field| field.as_str().to_owned()).collect(),
            new_values,
            batch: forwarding.batch.map(str::to_owned),
            outcome: None,
            setter_status: None,
            latency_ms: None,
            completed_at_ms: None,
        }
    }
}

/// A UUIDv7 for an entry made at `ms`: the time first, then 74 random bits
/// from a generator of this thread's (seeded once from the system's), so that
/// making an id takes no system call and no lock. Ids of one millisecond made
/// by several threads or replicas differ in their random bits.
fn new_id(ms: i64) -> String {
    use std::cell::Cell;
    thread_local! {
        static STATE: Cell<u64> = Cell::new({
            let mut seed = [0u8; 8];
            let _ = getrandom::fill(&mut seed);
            u64::from_le_bytes(seed) | 1
        });
    }
    // xorshift64*: not for secrets, only for ids that must not collide.
    let next = || {
        STATE.with(|state| {
            let mut x = state.get();
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            state.set(x);
            x.wrapping_mul(0x2545_f491_4f6c_dd1d)
        })
    };
    let mut random = [0u8; 10];
    random[..8].copy_from_slice(&next().to_le_bytes());
    random[8..].copy_from_slice(&next().to_le_bytes()[..2]);
    let id = uuid::Builder::from_unix_timestamp_millis(ms.max(0) as u64, &random).into_uuid();
    id.hyphenated().to_string()
}

/// The smallest id of an instant: a UUIDv7 begins with its 48-bit time in ms,
/// so ids made at or after `ms` sort at or after this one.
pub(super) fn id_floor(ms: i64) -> String {
    let ms = ms.clamp(0, (1 << 48) - 1) as u64;
    format!("{:08x}-{:04x}", ms >> 16, ms & 0xffff)
}

const SQLITE_MIGRATIONS: Embedded =
    Embedded(&[(1, "entries", include_str!("migrations/sqlite-0001-entries.sql"))]);
const POSTGRES_MIGRATIONS: Embedded =
    Embedded(&[(1, "entries", include_str!("migrations/postgres-0001-entries.sql"))]);

/// How long a write may wait for a lock or a connection before the update
/// it carries is refused (503): the caller is waiting.
const STORE_TIMEOUT: Duration = Duration::from_secs(3);

async fn open_sqlite(path: &std::path::Path) -> Result<SqlStore<sqlx::Sqlite>, AuditError> {
    let store = format!("sqlite://{}", path.display());
    if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|source| AuditError::Directory { path: dir.to_owned(), source })?;
    }
    // WAL: readers never wait for the writer. FULL: a commit is on disk when it
    // returns, which is what "durable before the update leaves" means.
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(STORE_TIMEOUT);
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .acquire_timeout(STORE_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(|source| AuditError::Open { store: store.clone(), source })?;
    let migrator = store::migrator(SQLITE_MIGRATIONS)
        .await
        .map_err(|source| AuditError::Migrate { store: store.clone(), source })?;
    migrator.run(&pool).await.map_err(|source| AuditError::Migrate { store, source })?;
    // One writer: SQLite's writes take turns anyway.
    Ok(SqlStore::new(pool, 1))
}

async fn open_postgres(url: &SecretString) -> Result<SqlStore<sqlx::Postgres>, AuditError> {
    let store = crate::proxy::without_credentials(url.expose_secret());
    let options = PgConnectOptions::from_str(url.expose_secret())
        .map_err(|_| AuditError::BadUrl(store.clone()))?;
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(STORE_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(|source| AuditError::Open { store: store.clone(), source })?;
    let migrator = store::migrator(POSTGRES_MIGRATIONS)
        .await
        .map_err(|source| AuditError::Migrate { store: store.clone(), source })?;
    // The migrator takes PostgreSQL's advisory lock: replicas starting at once
    // apply each migration once.
    migrator.run(&pool).await.map_err(|source| AuditError::Migrate { store, source })?;
    // Several transactions at once: each waits on round trips, not on disk.
    Ok(SqlStore::new(pool, 4))
}

async fn prune(store: &dyn Store, retention_ms: i64) -> Result<(), sqlx::Error> {
    let before = id_floor(time::now_ms() - retention_ms);
    let deleted = store.prune(&before).await?;
    if deleted > 0 {
        tracing::info!(deleted, "audit: entries past retention deleted");
    }
    Ok(())
}

async fn prune_hourly(store: Arc<dyn Store>, retention_ms: i64) {
    let mut hourly = tokio::time::interval(Duration::from_secs(3600));
    hourly.tick().await; // the first tick is now: pruned at start already
    loop {
        hourly.tick().await;
        if let Err(err) = prune(&*store, retention_ms).await {
            tracing::warn!(%err, "audit: entries past retention could not be deleted; trying again in an hour");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_are_read_from_their_urls_and_shown_without_passwords() {
        assert!(matches!(AuditDb::parse("off"), Ok(AuditDb::Off)));
        assert!(
            matches!(AuditDb::parse("sqlite:///var/lib/x/audit.db"), Ok(AuditDb::Sqlite(p)) if p == std::path::Path::new("/var/lib/x/audit.db"))
        );
        let pg = AuditDb::parse("postgres://audit:s3cret@db.internal/trail").unwrap();
        assert_eq!(pg.describe(), "postgres://[redacted]@db.internal/trail");
        assert!(!format!("{pg:?}").contains("s3cret"));
        for bad in ["", "sqlite://", "mysql://x", "/var/lib/audit.db"] {
            assert!(AuditDb::parse(bad).is_err(), "{bad}");
        }
        let error = AuditDb::parse("redis://u:pw@h").unwrap_err().to_string();
        assert!(!error.contains("pw"), "{error}");
    }

    #[test]
    fn an_instants_id_floor_sorts_below_its_ids_and_above_earlier_ones() {
        let id = uuid::Uuid::now_v7().hyphenated().to_string();
        let (seconds, nanos) =
            uuid::Uuid::parse_str(&id).unwrap().get_timestamp().unwrap().to_unix();
        let ms = seconds as i64 * 1000 + i64::from(nanos / 1_000_000);
        assert!(id_floor(ms).as_str() <= id.as_str());
        assert!(id_floor(ms + 1).as_str() > id.as_str());
        assert!(id_floor(ms - 1).as_str() < id.as_str());
    }
}
