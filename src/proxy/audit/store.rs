//! Where the trail is kept: one small [`Store`] trait, and its SQL, written
//! once for both backends over sqlx's concrete SQLite and PostgreSQL pools
//! (not its `Any` driver, whose type support is thin).
//!
//! Reads and deletes are SQL both engines speak, written once. Writes differ
//! ([`Dialect`]): a batch goes to the engine in one trip, as one statement
//! text that never changes (prepared once), its rows passed as JSON, however
//! the engine does it. The schema is each backend's own migration
//! (`migrations/`), embedded and applied at start.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Row, Type};

use super::{Completion, Entry, Filter};

/// What one group commit writes: entries begun, and outcomes of entries.
#[derive(Debug, Default)]
pub(super) struct Batch {
    pub begun: Vec<Entry>,
    pub completed: Vec<Completion>,
}

pub(super) type Boxed<'a, T> = Pin<Box<dyn Future<Output = Result<T, sqlx::Error>> + Send + 'a>>;

/// The trail's storage.
pub(super) trait Store: Send + Sync + 'static {
    /// Writes `batch` in one transaction: all of it is durable, or none.
    fn write<'a>(&'a self, batch: &'a Batch) -> Boxed<'a, ()>;
    /// Up to `limit` entries matching `filter`, newest first.
    fn query<'a>(&'a self, filter: &'a Filter, limit: u32) -> Boxed<'a, Vec<Entry>>;
    /// Deletes the entries with ids below `before` (older); how many went.
    fn prune<'a>(&'a self, before: &'a str) -> Boxed<'a, u64>;
    /// How many writes may be under way at once.
    fn concurrency(&self) -> usize;
}

/// One backend's pool.
pub(super) struct SqlStore<DB: Database> {
    pool: Pool<DB>,
    concurrency: usize,
}

impl<DB: Database> SqlStore<DB> {
    /// A store over `pool`, writing `concurrency` transactions at once.
    pub fn new(pool: Pool<DB>, concurrency: usize) -> SqlStore<DB> {
        SqlStore { pool, concurrency }
    }
}

/// How an engine writes the `n`th parameter of a statement (from 1).
pub(super) trait Placeholder {
    fn placeholder(n: usize) -> String;
}

impl Placeholder for sqlx::Sqlite {
    fn placeholder(_: usize) -> String {
        "?".to_owned()
    }
}

impl Placeholder for sqlx::Postgres {
    fn placeholder(n: usize) -> String {
        format!("${n}")
    }
}

/// A parameter's value, owned until the statement runs.
enum Param {
    Text(Option<String>),
    Int(Option<i64>),
}

impl From<String> for Param {
    fn from(text: String) -> Param {
        Param::Text(Some(text))
    }
}

impl From<Option<String>> for Param {
    fn from(text: Option<String>) -> Param {
        Param::Text(text)
    }
}

impl From<i64> for Param {
    fn from(int: i64) -> Param {
        Param::Int(Some(int))
    }
}

impl From<Option<i64>> for Param {
    fn from(int: Option<i64>) -> Param {
        Param::Int(int)
    }
}

/// A statement and its parameters, owned, run once built. (sqlx's
/// `QueryBuilder` borrows itself into the query it builds, which a function
/// generic over the engine cannot let go of.)
struct Statement<DB> {
    sql: String,
    params: Vec<Param>,
    engine: std::marker::PhantomData<DB>,
}

impl<DB> Statement<DB>
where
    DB: Database + Placeholder,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
{
    fn new(sql: &str) -> Statement<DB> {
        Statement { sql: sql.to_owned(), params: Vec::new(), engine: std::marker::PhantomData }
    }

    fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    fn bind(&mut self, value: impl Into<Param>) -> &mut Self {
        self.params.push(value.into());
        self.sql.push_str(&DB::placeholder(self.params.len()));
        self
    }

    /// The engine's arguments for the parameters.
    fn arguments<'q>(params: Vec<Param>) -> DB::Arguments<'q> {
        use sqlx::Arguments as _;
        let mut arguments = DB::Arguments::<'q>::default();
        for param in params {
            // Adding fails only for a value that cannot be encoded; strings
            // and integers always can.
            let _ = match param {
                Param::Text(text) => arguments.add(text),
                Param::Int(int) => arguments.add(int),
            };
        }
        arguments
    }

    async fn execute<'e, E>(self, executor: E) -> Result<DB::QueryResult, sqlx::Error>
    where
        E: Executor<'e, Database = DB>,
    {
        let Statement { sql, params, .. } = self;
        sqlx::query_with(&sql, Self::arguments(params)).execute(executor).await
    }

    async fn fetch_all<'e, E>(self, executor: E) -> Result<Vec<DB::Row>, sqlx::Error>
    where
        E: Executor<'e, Database = DB>,
    {
        let Statement { sql, params, .. } = self;
        sqlx::query_with(&sql, Self::arguments(params)).fetch_all(executor).await
    }
}

impl<DB> Store for SqlStore<DB>
where
    DB: Database + Placeholder + Dialect,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'c> &'c Pool<DB>: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    String: Type<DB> + for<'r> Decode<'r, DB>,
    i64: Type<DB> + for<'r> Decode<'r, DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB> + Decode<'q, DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB> + Decode<'q, DB>,
    for<'a> &'a str: ColumnIndex<DB::Row>,
    DB::QueryResult: Affected,
{
    fn write<'a>(&'a self, batch: &'a Batch) -> Boxed<'a, ()> {
        DB::write(&self.pool, batch)
    }

    fn query<'a>(&'a self, filter: &'a Filter, limit: u32) -> Boxed<'a, Vec<Entry>> {
        Box::pin(async move {
            let mut select = Statement::<DB>::new(
                "SELECT id, at_ms, actor, client, request_id, identifier_kind, identifier_value, \
                 changed_fields, new_values, batch_id, outcome, setter_status, latency_ms, \
                 completed_at_ms FROM audit_entries WHERE 1 = 1",
            );
            if let Some((kind, value)) = &filter.contact {
                select.push(" AND identifier_kind = ").bind(kind.clone());
                select.push(" AND identifier_value = ").bind(value.clone());
            }
            if let Some(actor) = &filter.actor {
                select.push(" AND actor = ").bind(actor.clone());
            }
            if let Some(batch) = &filter.batch {
                select.push(" AND batch_id = ").bind(batch.clone());
            }
            // Ids begin with their time: a time range is an id range.
            if let Some(since) = filter.since_ms {
                select.push(" AND id >= ").bind(super::id_floor(since));
            }
            if let Some(until) = filter.until_ms {
                select.push(" AND id < ").bind(super::id_floor(until.saturating_add(1)));
            }
            if let Some(before) = &filter.before {
                select.push(" AND id < ").bind(before.clone());
            }
            select.push(" ORDER BY id DESC LIMIT ").bind(i64::from(limit));
            let rows = select.fetch_all(&self.pool).await?;
            rows.iter().map(entry_of::<DB>).collect()
        })
    }

    fn concurrency(&self) -> usize {
        self.concurrency
    }

    fn prune<'a>(&'a self, before: &'a str) -> Boxed<'a, u64> {
        Box::pin(async move {
            let mut delete = Statement::<DB>::new("DELETE FROM audit_entries WHERE id < ");
            delete.bind(before.to_owned());
            Ok(delete.execute(&self.pool).await?.rows())
        })
    }
}

/// How each engine writes a batch in one trip: the store's cost is dominated
/// by trips (each a wake-up of the engine's thread, or a network round
/// trip, on a busy machine), not by rows.
pub(super) trait Dialect: Database + Sized {
    fn write<'a>(pool: &'a Pool<Self>, batch: &'a Batch) -> Boxed<'a, ()>;
}

/// A batch's rows as one JSON array each, the statement's only parameter: the
/// statement's text never changes, so each engine prepares it once, and one
/// parameter is bound instead of fourteen a row.
fn as_json<T: serde::Serialize>(rows: &[T]) -> String {
    serde_json::to_string(rows).expect("rows of strings and integers serialize")
}

/// An entry as the table's columns name it.
#[derive(serde::Serialize)]
struct EntryRow<'a> {
    id: &'a str,
    at_ms: i64,
    actor: Option<&'a str>,
    client: &'a str,
    request_id: &'a str,
    identifier_kind: &'a str,
    identifier_value: &'a str,
    changed_fields: String,
    new_values: Option<&'a str>,
    batch_id: Option<&'a str>,
    outcome: Option<&'a str>,
    setter_status: Option<i64>,
    latency_ms: Option<i64>,
    completed_at_ms: Option<i64>,
}

impl<'a> From<&'a Entry> for EntryRow<'a> {
    fn from(entry: &'a Entry) -> EntryRow<'a> {
        EntryRow {
            id: &entry.id,
            at_ms: entry.at_ms,
            actor: entry.actor.as_deref(),
            client: &entry.client,
            request_id: &entry.request_id,
            identifier_kind: &entry.identifier_kind,
            identifier_value: &entry.identifier_value,
            changed_fields: entry.changed_fields.join(","),
            new_values: entry.new_values.as_deref(),
            batch_id: entry.batch.as_deref(),
            outcome: entry.outcome.as_deref(),
            setter_status: entry.setter_status,
            latency_ms: entry.latency_ms,
            completed_at_ms: entry.completed_at_ms,
        }
    }
}

impl serde::Serialize for Completion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut row = serializer.serialize_struct("Completion", 5)?;
        row.serialize_field("id", &self.id)?;
        row.serialize_field("outcome", &self.outcome)?;
        row.serialize_field("setter_status", &self.setter_status)?;
        row.serialize_field("latency_ms", &self.latency_ms)?;
        row.serialize_field("completed_at_ms", &self.completed_at_ms)?;
        row.end()
    }
}

/// The two parameters of a batch's write: its entries and its outcomes.
fn parameters(batch: &Batch) -> (String, String) {
    let entries: Vec<EntryRow> = batch.begun.iter().map(EntryRow::from).collect();
    (as_json(&entries), as_json(&batch.completed))
}

impl Dialect for sqlx::Sqlite {
    /// One command to the connection's thread and one statement text, always
    /// the same (so prepared once): `BEGIN IMMEDIATE`, the entries inserted from
    /// `json_each(?1)`, the outcomes written from `json_each(?2)`, `COMMIT`.
    /// sqlx runs the statements of one query in turn; a failure is rolled back
    /// on the same connection.
    fn write<'a>(pool: &'a Pool<Self>, batch: &'a Batch) -> Boxed<'a, ()> {
        const WRITE: &str = "BEGIN IMMEDIATE; \
            INSERT INTO audit_entries (id, at_ms, actor, client, request_id, identifier_kind, \
                identifier_value, changed_fields, new_values, batch_id, outcome, setter_status, \
                latency_ms, completed_at_ms) \
            SELECT value ->> 'id', value ->> 'at_ms', value ->> 'actor', value ->> 'client', \
                value ->> 'request_id', value ->> 'identifier_kind', value ->> 'identifier_value', \
                value ->> 'changed_fields', value ->> 'new_values', value ->> 'batch_id', \
                value ->> 'outcome', value ->> 'setter_status', value ->> 'latency_ms', \
                value ->> 'completed_at_ms' FROM json_each(?1); \
            WITH v AS (SELECT value ->> 'id' AS id, value ->> 'outcome' AS outcome, \
                value ->> 'setter_status' AS setter_status, value ->> 'latency_ms' AS latency_ms, \
                value ->> 'completed_at_ms' AS completed_at_ms FROM json_each(?2)) \
            UPDATE audit_entries SET outcome = v.outcome, setter_status = v.setter_status, \
                latency_ms = v.latency_ms, completed_at_ms = v.completed_at_ms \
            FROM v WHERE audit_entries.id = v.id; \
            COMMIT";
        Box::pin(async move {
            let (entries, outcomes) = parameters(batch);
            let mut connection = pool.acquire().await?;
            let written =
                sqlx::query(WRITE).bind(entries).bind(outcomes).execute(&mut *connection).await;
            if written.is_err() {
                let _ = sqlx::query("ROLLBACK").execute(&mut *connection).await;
            }
            written.map(|_| ())
        })
    }
}

impl Dialect for sqlx::Postgres {
    /// One statement, always the same (prepared once per connection), so one
    /// round trip and its own transaction: the outcomes' `UPDATE` in a
    /// data-modifying `WITH`, and the entries' `INSERT`, both from JSON. (An
    /// outcome never completes an entry of its own batch: its update left only
    /// once its entry was written.)
    fn write<'a>(pool: &'a Pool<Self>, batch: &'a Batch) -> Boxed<'a, ()> {
        const WRITE: &str = "WITH v AS (SELECT * FROM json_to_recordset($2::json) AS v (id TEXT, \
                outcome TEXT, setter_status BIGINT, latency_ms BIGINT, completed_at_ms BIGINT)), \
            completed AS (UPDATE audit_entries SET outcome = v.outcome, \
                setter_status = v.setter_status, latency_ms = v.latency_ms, \
                completed_at_ms = v.completed_at_ms FROM v WHERE audit_entries.id = v.id RETURNING 1) \
            INSERT INTO audit_entries SELECT * FROM json_populate_recordset(NULL::audit_entries, $1::json)";
        Box::pin(async move {
            let (entries, outcomes) = parameters(batch);
            sqlx::query(WRITE).bind(entries).bind(outcomes).execute(pool).await.map(|_| ())
        })
    }
}

/// How many rows a statement changed: each engine's result says so, by an
/// inherent method of its own.
pub(super) trait Affected {
    fn rows(&self) -> u64;
}

impl Affected for sqlx::sqlite::SqliteQueryResult {
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}

impl Affected for sqlx::postgres::PgQueryResult {
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}

fn entry_of<DB: Database>(row: &DB::Row) -> Result<Entry, sqlx::Error>
where
    for<'a> &'a str: ColumnIndex<DB::Row>,
    String: Type<DB> + for<'r> Decode<'r, DB>,
    Option<String>: Type<DB> + for<'r> Decode<'r, DB>,
    i64: Type<DB> + for<'r> Decode<'r, DB>,
    Option<i64>: Type<DB> + for<'r> Decode<'r, DB>,
{
    let changed: String = row.try_get("changed_fields")?;
    Ok(Entry {
        id: row.try_get("id")?,
        at_ms: row.try_get("at_ms")?,
        actor: row.try_get("actor")?,
        client: row.try_get("client")?,
        request_id: row.try_get("request_id")?,
        identifier_kind: row.try_get("identifier_kind")?,
        identifier_value: row.try_get("identifier_value")?,
        changed_fields: changed
            .split(',')
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .collect(),
        new_values: row.try_get("new_values")?,
        batch: row.try_get("batch_id")?,
        outcome: row.try_get("outcome")?,
        setter_status: row.try_get("setter_status")?,
        latency_ms: row.try_get("latency_ms")?,
        completed_at_ms: row.try_get("completed_at_ms")?,
    })
}

/// A backend's migrations, embedded in the binary.
#[derive(Debug)]
pub(super) struct Embedded(pub &'static [(i64, &'static str, &'static str)]);

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(
        self,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, sqlx::error::BoxDynError>> + Send + 's>>
    {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*description),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// The migrator for `migrations`.
pub(super) async fn migrator(
    migrations: Embedded,
) -> Result<Migrator, sqlx::migrate::MigrateError> {
    Migrator::new(migrations).await
}
