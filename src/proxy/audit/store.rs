//! Where the trail is kept: one small [`Store`] trait, and its SQL, written
//! once for both backends over sqlx's concrete SQLite and PostgreSQL pools
//! (not its `Any` driver, whose type support is thin).
//!
//! The SQL is what both engines speak: `CAST(? AS BIGINT)` for parameters
//! whose type PostgreSQL cannot infer, and a `WITH … UPDATE … FROM` to
//! complete many entries in one statement (SQLite 3.33 and later). The schema
//! is each backend's own migration (`migrations/`), embedded and applied at
//! start.

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
}

/// One backend's pool.
pub(super) struct SqlStore<DB: Database> {
    pool: Pool<DB>,
}

impl<DB: Database> SqlStore<DB> {
    pub fn new(pool: Pool<DB>) -> SqlStore<DB> {
        SqlStore { pool }
    }
}

/// The largest number of rows one statement carries (of 14 columns: far
/// below both engines' limits on bound parameters).
const ROWS_PER_STATEMENT: usize = 256;

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
    DB: Database + Placeholder,
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
        Box::pin(async move {
            let mut tx = self.pool.begin().await?;
            for rows in batch.begun.chunks(ROWS_PER_STATEMENT) {
                let mut insert = Statement::<DB>::new(
                    "INSERT INTO audit_entries (id, at_ms, actor, client, request_id, identifier_kind, \
                     identifier_value, changed_fields, new_values, batch_id, outcome, setter_status, \
                     latency_ms, completed_at_ms) VALUES ",
                );
                for (index, entry) in rows.iter().enumerate() {
                    insert.push(if index == 0 { "(" } else { ", (" });
                    insert.bind(entry.id.clone()).push(", ").bind(entry.at_ms).push(", ");
                    insert
                        .bind(entry.actor.clone())
                        .push(", ")
                        .bind(entry.client.clone())
                        .push(", ");
                    insert.bind(entry.request_id.clone()).push(", ");
                    insert.bind(entry.identifier_kind.clone()).push(", ");
                    insert.bind(entry.identifier_value.clone()).push(", ");
                    insert.bind(entry.changed_fields.join(",")).push(", ");
                    insert
                        .bind(entry.new_values.clone())
                        .push(", ")
                        .bind(entry.batch.clone())
                        .push(", ");
                    insert
                        .bind(entry.outcome.clone())
                        .push(", ")
                        .bind(entry.setter_status)
                        .push(", ");
                    insert.bind(entry.latency_ms).push(", ").bind(entry.completed_at_ms).push(")");
                }
                insert.execute(&mut *tx).await?;
            }
            for outcomes in batch.completed.chunks(ROWS_PER_STATEMENT) {
                let mut update = Statement::<DB>::new(
                    "WITH v (id, outcome, setter_status, latency_ms, completed_at_ms) AS (VALUES ",
                );
                for (index, done) in outcomes.iter().enumerate() {
                    update.push(if index == 0 { "(CAST(" } else { ", (CAST(" });
                    update.bind(done.id.clone()).push(" AS TEXT), CAST(");
                    update.bind(done.outcome.clone()).push(" AS TEXT), CAST(");
                    update.bind(done.setter_status).push(" AS BIGINT), CAST(");
                    update.bind(done.latency_ms).push(" AS BIGINT), CAST(");
                    update.bind(done.completed_at_ms).push(" AS BIGINT))");
                }
                update.push(
                    ") UPDATE audit_entries SET outcome = v.outcome, setter_status = v.setter_status, \
                     latency_ms = v.latency_ms, completed_at_ms = v.completed_at_ms \
                     FROM v WHERE audit_entries.id = v.id",
                );
                update.execute(&mut *tx).await?;
            }
            tx.commit().await
        })
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

    fn prune<'a>(&'a self, before: &'a str) -> Boxed<'a, u64> {
        Box::pin(async move {
            let mut delete = Statement::<DB>::new("DELETE FROM audit_entries WHERE id < ");
            delete.bind(before.to_owned());
            Ok(delete.execute(&self.pool).await?.rows())
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
