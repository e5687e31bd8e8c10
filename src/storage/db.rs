//! The one place a query meets a database. A [`Sql`] is the text, written once with `$1`
//! placeholders (both backends accept them), and its arguments as plain values; a [`Conn`] binds
//! them and runs the query on whichever backend the store has. Row types derive
//! `sqlx::FromRow`, which is generic over the row type, so one struct decodes on both; text
//! columns holding a code decode through [`Text`].
//!
//! This replaces a macro body instantiated per backend: sqlx's generic bounds stay in this file,
//! and the SQL elsewhere is plain text that rustfmt and rust-analyzer can see.

use super::{Backend, Result, StorageError, Store, postgres, sqlite};
use crate::domain::codes::Code;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::value::RawValue;
use sqlx::error::BoxDynError;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgPool, PgRow};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::types::Json;
use sqlx::{
    Arguments, AssertSqlSafe, Database, Encode, FromRow, Postgres, Sqlite, Transaction, Type,
};
use std::borrow::Cow;

#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    pub(crate) fn backend(&self) -> Backend {
        match self {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    pub(crate) fn is_closed(&self) -> bool {
        match self {
            Pool::Sqlite(p) => p.is_closed(),
            Pool::Postgres(p) => p.is_closed(),
        }
    }

    pub(crate) async fn close(&self) {
        match self {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

/// The SQL that differs between the dialects; the rest is written once.
#[derive(Debug)]
pub(crate) struct Dialect {
    /// Appended to the sub-select that picks the next ticket or print job. PostgreSQL locks the
    /// row and skips rows other windows hold; SQLite needs nothing, its writer already holds the
    /// database's one write lock (`BEGIN IMMEDIATE`).
    pub row_lock: &'static str,
    /// The applicant's phone number inside the stored intake record, as a SQL expression.
    pub record_phone: &'static str,
}

impl Store {
    /// A pooled connection for reading.
    pub(crate) async fn read(&self) -> Result<Conn> {
        let held = match &self.pool {
            Pool::Sqlite(p) => p.acquire().await.map(Held::Sqlite),
            Pool::Postgres(p) => p.acquire().await.map(Held::Postgres),
        };
        Ok(Conn(self.explained(held).await?))
    }

    /// A writer's transaction. On SQLite it holds the database's one write lock from its start
    /// (`BEGIN IMMEDIATE`); on PostgreSQL the statements lock the rows they change.
    pub(crate) async fn begin(&self) -> Result<Conn> {
        let held = match &self.pool {
            Pool::Sqlite(p) => match sqlite::begin_write(p).await {
                Ok(t) => Ok(Held::SqliteTx(t)),
                Err(e) => return Err(e),
            },
            Pool::Postgres(p) => p.begin().await.map(Held::PostgresTx),
        };
        let held = self.explained(held).await?;
        if let Some(deadline) = self.write_deadline
            && std::time::Instant::now() > deadline
        {
            // Dropped unused: the transaction rolls back and nothing is written.
            drop(held);
            return Err(StorageError::Unavailable(
                "the database answered too late; nothing was done".into(),
            ));
        }
        Ok(Conn(held))
    }

    /// A connection that could not be had, with the reason the server is unreachable instead of
    /// the pool's "timed out".
    async fn explained(&self, held: std::result::Result<Held, sqlx::Error>) -> Result<Held> {
        match (held, &self.pool) {
            (Ok(h), _) => Ok(h),
            (Err(sqlx::Error::PoolTimedOut), Pool::Postgres(p)) => {
                Err(postgres::unavailable(&p.connect_options()).await)
            }
            (Err(e), _) => Err(e.into()),
        }
    }

    /// Whether the database answers a trivial query within `within`. The health checks of every
    /// screen use it; the reason comes back when it does not.
    pub async fn ping(&self, within: std::time::Duration) -> Result<()> {
        let probe = async {
            let mut c = self.read().await?;
            c.execute(Sql::new("SELECT 1")).await?;
            Ok::<(), StorageError>(())
        };
        match tokio::time::timeout(within, probe).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) if e.is_unavailable() => Err(match e {
                StorageError::Unavailable(why) => StorageError::Unavailable(why),
                other => StorageError::Unavailable(other.to_string()),
            }),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(match &self.pool {
                Pool::Postgres(p) => postgres::unavailable(&p.connect_options()).await,
                Pool::Sqlite(_) => {
                    StorageError::Unavailable(format!("no answer within {} ms", within.as_millis()))
                }
            }),
        }
    }

    pub(crate) fn pool(&self) -> &Pool {
        &self.pool
    }
}

/// A connection to run queries on: a transaction of a writer, or a pooled connection of a reader.
pub(crate) struct Conn(Held);

enum Held {
    SqliteTx(Transaction<'static, Sqlite>),
    PostgresTx(Transaction<'static, Postgres>),
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

enum Exec<'c> {
    Sqlite(&'c mut sqlx::SqliteConnection),
    Postgres(&'c mut sqlx::PgConnection),
}

/// A row type that decodes on both backends.
pub(crate) trait Row:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{}

impl Conn {
    pub(crate) fn backend(&self) -> Backend {
        match self.0 {
            Held::SqliteTx(_) | Held::Sqlite(_) => Backend::Sqlite,
            Held::PostgresTx(_) | Held::Postgres(_) => Backend::Postgres,
        }
    }

    pub(crate) fn dialect(&self) -> &'static Dialect {
        match self.backend() {
            Backend::Sqlite => &sqlite::DIALECT,
            Backend::Postgres => &postgres::DIALECT,
        }
    }

    fn exec(&mut self) -> Exec<'_> {
        match &mut self.0 {
            Held::SqliteTx(t) => Exec::Sqlite(t),
            Held::PostgresTx(t) => Exec::Postgres(t),
            Held::Sqlite(c) => Exec::Sqlite(c),
            Held::Postgres(c) => Exec::Postgres(c),
        }
    }

    pub(crate) async fn fetch_all<R: Row>(&mut self, sql: Sql<'_>) -> Result<Vec<R>> {
        let Sql { text, args } = sql;
        let text = AssertSqlSafe(text);
        Ok(match self.exec() {
            Exec::Sqlite(c) => {
                sqlx::query_as_with(text, arguments::<Sqlite>(args)?)
                    .fetch_all(c)
                    .await?
            }
            Exec::Postgres(c) => {
                sqlx::query_as_with(text, arguments::<Postgres>(args)?)
                    .fetch_all(c)
                    .await?
            }
        })
    }

    /// The first row, if any. (Every query asked this way returns at most one row.)
    pub(crate) async fn fetch_optional<R: Row>(&mut self, sql: Sql<'_>) -> Result<Option<R>> {
        Ok(self.fetch_all(sql).await?.into_iter().next())
    }

    /// Runs a statement; returns the rows it changed.
    pub(crate) async fn execute(&mut self, sql: Sql<'_>) -> Result<u64> {
        let Sql { text, args } = sql;
        let text = AssertSqlSafe(text);
        Ok(match self.exec() {
            Exec::Sqlite(c) => sqlx::query_with(text, arguments::<Sqlite>(args)?)
                .execute(c)
                .await?
                .rows_affected(),
            Exec::Postgres(c) => sqlx::query_with(text, arguments::<Postgres>(args)?)
                .execute(c)
                .await?
                .rows_affected(),
        })
    }

    pub(crate) async fn fetch_one<R: Row>(&mut self, sql: Sql<'_>) -> Result<R> {
        self.fetch_optional(sql)
            .await?
            .ok_or(StorageError::Db(sqlx::Error::RowNotFound))
    }

    /// The single value of a single row.
    pub(crate) async fn scalar<T>(&mut self, sql: Sql<'_>) -> Result<T>
    where
        (T,): Row,
    {
        Ok(self.fetch_one::<(T,)>(sql).await?.0)
    }

    /// The single value of the row, if there is one.
    pub(crate) async fn scalar_optional<T>(&mut self, sql: Sql<'_>) -> Result<Option<T>>
    where
        (T,): Row,
    {
        Ok(self.fetch_optional::<(T,)>(sql).await?.map(|(v,)| v))
    }

    /// Commits a writer's transaction; a reader's connection just goes back to the pool.
    pub(crate) async fn commit(self) -> Result<()> {
        match self.0 {
            Held::SqliteTx(t) => t.commit().await?,
            Held::PostgresTx(t) => t.commit().await?,
            Held::Sqlite(_) | Held::Postgres(_) => {}
        }
        Ok(())
    }
}

/// Binds the arguments for a backend: the one place values meet sqlx's encoders.
fn arguments<DB>(args: Vec<Arg<'_>>) -> Result<DB::Arguments>
where
    DB: Database,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<bool>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<&'q str>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<DateTime<Utc>>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<NaiveDate>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<Json<&'q RawValue>>: Encode<'q, DB> + Type<DB>,
{
    let mut out = DB::Arguments::default();
    out.reserve(args.len(), 0);
    for arg in &args {
        match arg {
            Arg::I64(v) => out.add(*v),
            Arg::Bool(v) => out.add(*v),
            Arg::Text(v) => out.add(v.as_deref()),
            Arg::Time(v) => out.add(*v),
            Arg::Date(v) => out.add(*v),
            Arg::Json(v) => out.add(v.as_deref().map(Json)),
        }
        .map_err(sqlx::Error::Encode)?;
    }
    Ok(out)
}

/// A query: its text and its arguments in placeholder order.
#[derive(Debug)]
pub(crate) struct Sql<'a> {
    text: Cow<'static, str>,
    args: Vec<Arg<'a>>,
}

impl<'a> Sql<'a> {
    pub(crate) fn new(text: &'static str) -> Sql<'a> {
        Sql {
            text: Cow::Borrowed(text),
            args: Vec::new(),
        }
    }

    /// Text put together at run time. Only placeholders and SQL written in this crate may be
    /// formatted into it; every value is bound.
    pub(crate) fn built(text: String) -> Sql<'a> {
        Sql {
            text: Cow::Owned(text),
            args: Vec::new(),
        }
    }

    pub(crate) fn bind(mut self, value: impl IntoArg<'a>) -> Sql<'a> {
        self.args.push(value.into_arg());
        self
    }

    pub(crate) fn push(&mut self, value: impl IntoArg<'a>) {
        self.args.push(value.into_arg());
    }

    /// Appends text, with `$n` numbered after the arguments bound so far for each value of
    /// `values` (written where `{}` stands in `text`, joined by ", ").
    pub(crate) fn and_list<T: IntoArg<'a>>(
        mut self,
        text: &str,
        values: impl IntoIterator<Item = T>,
    ) -> Sql<'a> {
        let mut placeholders = Vec::new();
        for v in values {
            self.args.push(v.into_arg());
            placeholders.push(format!("${}", self.args.len()));
        }
        let mut s = self.text.into_owned();
        s.push_str(&text.replace("{}", &placeholders.join(", ")));
        self.text = Cow::Owned(s);
        self
    }
}

/// A bound value. Times are kept to the microsecond, PostgreSQL's resolution, so both backends
/// give back the instant that was stored.
#[derive(Debug)]
pub(crate) enum Arg<'a> {
    I64(Option<i64>),
    Bool(Option<bool>),
    Text(Option<Cow<'a, str>>),
    Time(Option<DateTime<Utc>>),
    Date(Option<NaiveDate>),
    Json(Option<Box<RawValue>>),
}

pub(crate) trait IntoArg<'a> {
    fn into_arg(self) -> Arg<'a>;
}

impl<'a> IntoArg<'a> for Arg<'a> {
    fn into_arg(self) -> Arg<'a> {
        self
    }
}

/// `T` and `Option<T>` (NULL) as one kind of argument.
macro_rules! arg_from {
    ($($ty:ty => $variant:ident($conv:expr);)+) => {$(
        impl<'a> IntoArg<'a> for $ty {
            fn into_arg(self) -> Arg<'a> {
                Arg::$variant(Some($conv(self)))
            }
        }

        impl<'a> IntoArg<'a> for Option<$ty> {
            fn into_arg(self) -> Arg<'a> {
                Arg::$variant(self.map($conv))
            }
        }
    )+};
}

arg_from! {
    i64 => I64(std::convert::identity);
    bool => Bool(std::convert::identity);
    DateTime<Utc> => Time(micros);
    NaiveDate => Date(std::convert::identity);
    String => Text(Cow::Owned);
    &'a str => Text(Cow::Borrowed);
    &'a String => Text(|s: &'a String| Cow::Borrowed(s.as_str()));
    JsonArg => Json(|j: JsonArg| j.0);
}

/// Every code enum is stored as its code.
impl<'a, T: Code> IntoArg<'a> for T {
    fn into_arg(self) -> Arg<'a> {
        Arg::Text(Some(Cow::Borrowed(self.code())))
    }
}

impl<'a, T: Code> IntoArg<'a> for Option<T> {
    fn into_arg(self) -> Arg<'a> {
        Arg::Text(self.map(|c| Cow::Borrowed(c.code())))
    }
}

/// A value serialised for a JSON column (`TEXT` on SQLite, `JSONB` on PostgreSQL).
#[derive(Debug)]
pub(crate) struct JsonArg(Box<RawValue>);

pub(crate) fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsonArg> {
    serde_json::value::to_raw_value(value)
        .map(JsonArg)
        .map_err(|e| StorageError::Invalid(format!("cannot store as JSON: {e}")))
}

/// A text column holding a code: decodes to the enum or fails as unreadable data
/// ([`StorageError::Corrupt`]), on either backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Text<T>(pub T);

impl<DB: Database, T: Code> Type<DB> for Text<T>
where
    str: Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <str as Type<DB>>::type_info()
    }

    fn compatible(ty: &DB::TypeInfo) -> bool {
        <str as Type<DB>>::compatible(ty)
    }
}

impl<'r, DB: Database, T: Code> sqlx::Decode<'r, DB> for Text<T>
where
    &'r str: sqlx::Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> std::result::Result<Self, BoxDynError> {
        let code = <&str as sqlx::Decode<DB>>::decode(value)?;
        T::from_code(code)
            .map(Text)
            .ok_or_else(|| format!("unknown {} code {code:?}", T::NAME).into())
    }
}

/// Times are kept to the microsecond: PostgreSQL's resolution, so both backends return the same
/// instant that was stored.
pub(crate) fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::DurationRound;
    t.duration_trunc(chrono::TimeDelta::microseconds(1))
        .unwrap_or(t)
}
