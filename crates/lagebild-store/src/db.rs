//! One small SQL interface over both backends, so that every query, write and
//! migration step is written once.
//!
//! Statements are written in the SQL that SQLite and PostgreSQL share, with
//! `?` or `?N` placeholders (rewritten to `$N` for PostgreSQL); the few places
//! that differ (full-text search, schema, locking, queue claims) ask
//! [`Conn::dialect`]. Values travel as [`Val`] and rows as [`Row`]: a value
//! adapts to the column type the server reports, so an `i64` can fill an
//! `INTEGER` column on either side.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::{Result, StoreError};

/// Which SQL a connection speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A value bound to a placeholder or read from a column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::Int(v)
    }
}
impl From<usize> for Val {
    fn from(v: usize) -> Self {
        Val::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Self {
        Val::Real(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Text(v.to_string())
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::Text(v)
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Self {
        Val::Text(v.clone())
    }
}
impl<T: Into<Val>> From<Option<T>> for Val {
    fn from(v: Option<T>) -> Self {
        v.map_or(Val::Null, Into::into)
    }
}

/// `args![a, b]`: the values of a statement's placeholders, in order.
macro_rules! args {
    ($($v:expr),* $(,)?) => { &[$($crate::db::Val::from($v)),*][..] };
}
pub(crate) use args;

/// A value a column can be read as.
pub(crate) trait FromVal: Sized {
    fn from_val(v: &Val) -> Option<Self>;
}
impl FromVal for String {
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
}
impl FromVal for i64 {
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Int(i) => Some(*i),
            _ => None,
        }
    }
}
impl FromVal for f64 {
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Real(f) => Some(*f),
            Val::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
}
impl<T: FromVal> FromVal for Option<T> {
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Null => Some(None),
            v => T::from_val(v).map(Some),
        }
    }
}

/// One result row.
#[derive(Debug, Clone)]
pub(crate) struct Row(Vec<Val>);

impl Row {
    /// Column `i` as `T`; a NULL or a value of another type is an error naming the column.
    pub fn get<T: FromVal>(&self, i: usize) -> Result<T> {
        let v = self.0.get(i).unwrap_or(&Val::Null);
        T::from_val(v).ok_or_else(|| StoreError::Column {
            index: i,
            found: format!("{v:?}"),
            wanted: std::any::type_name::<T>(),
        })
    }
}

/// The statements both backends run.
pub(crate) trait Conn {
    fn dialect(&self) -> Dialect;
    /// All rows of a query.
    fn rows(&self, sql: &str, args: &[Val]) -> Result<Vec<Row>>;
    /// Runs a statement; the number of rows it changed.
    fn exec(&self, sql: &str, args: &[Val]) -> Result<u64>;
    /// Runs statements without placeholders (schema, transaction control).
    fn batch(&self, sql: &str) -> Result<()>;

    fn opt(&self, sql: &str, args: &[Val]) -> Result<Option<Row>> {
        Ok(self.rows(sql, args)?.into_iter().next())
    }
    fn one(&self, sql: &str, args: &[Val]) -> Result<Row> {
        self.opt(sql, args)?.ok_or_else(|| StoreError::Column {
            index: 0,
            found: "no row".into(),
            wanted: "one row",
        })
    }
    fn exists(&self, sql: &str, args: &[Val]) -> Result<bool> {
        Ok(self.opt(sql, args)?.is_some())
    }
    /// Column 0 of every row.
    fn column<T: FromVal>(&self, sql: &str, args: &[Val]) -> Result<Vec<T>>
    where
        Self: Sized,
    {
        self.rows(sql, args)?.iter().map(|r| r.get(0)).collect()
    }
}

/// Most rows one multi-row `INSERT` carries.
const ROWS_PER_INSERT: usize = 100;

/// `INSERT INTO {head} VALUES (…), (…) {suffix}` for `values` (`width` per
/// row), in statements of up to [`ROWS_PER_INSERT`] rows: one round trip per
/// statement instead of one per row. The rows `suffix`'s `RETURNING` gives.
pub(crate) fn insert_rows<C: Conn>(
    c: &C,
    head: &str,
    width: usize,
    values: &[Val],
    suffix: &str,
) -> Result<Vec<Row>> {
    let row = format!("({})", vec!["?"; width].join(", "));
    let before = format!("INSERT INTO {head} VALUES");
    multi_row(c, &before, &row, width, values, suffix)
}

/// `{before} {row}, {row}, … {after}` over `values` (`width` per row, one
/// `?` each in `row`), in statements of up to [`ROWS_PER_INSERT`] rows.
pub(crate) fn multi_row<C: Conn>(
    c: &C,
    before: &str,
    row: &str,
    width: usize,
    values: &[Val],
    after: &str,
) -> Result<Vec<Row>> {
    let mut out = Vec::new();
    if width == 0 {
        return Ok(out);
    }
    for chunk in values.chunks(width * ROWS_PER_INSERT) {
        let n = chunk.len() / width;
        let sql = format!("{before} {} {after}", vec![row; n].join(", "));
        if after.contains("RETURNING") {
            out.extend(c.rows(&sql, chunk)?);
        } else {
            c.exec(&sql, chunk)?;
        }
    }
    Ok(out)
}

/// Runs `f` in a transaction: committed when it returns `Ok`, rolled back
/// otherwise. SQLite takes the write lock at the start (`BEGIN IMMEDIATE`), so
/// two writers queue instead of failing half-way.
pub(crate) fn in_tx<C: Conn, T>(c: &C, f: impl FnOnce(&C) -> Result<T>) -> Result<T> {
    c.batch(match c.dialect() {
        Dialect::Sqlite => "BEGIN IMMEDIATE",
        Dialect::Postgres => "BEGIN",
    })?;
    match f(c) {
        Ok(v) => {
            c.batch("COMMIT")?;
            Ok(v)
        }
        Err(e) => {
            if let Err(re) = c.batch("ROLLBACK") {
                tracing::warn!(error = %re, "rollback failed");
            }
            Err(e)
        }
    }
}

// ---------------------------------------------------------------- SQLite

impl rusqlite::ToSql for Val {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Val::Null => ValueRef::Null,
            Val::Int(i) => ValueRef::Integer(*i),
            Val::Real(f) => ValueRef::Real(*f),
            Val::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

impl Conn for rusqlite::Connection {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn rows(&self, sql: &str, args: &[Val]) -> Result<Vec<Row>> {
        use rusqlite::types::ValueRef;
        let mut st = self.prepare_cached(sql)?;
        let n = st.column_count();
        let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut vals = Vec::with_capacity(n);
            for i in 0..n {
                vals.push(match r.get_ref(i)? {
                    ValueRef::Null => Val::Null,
                    ValueRef::Integer(v) => Val::Int(v),
                    ValueRef::Real(v) => Val::Real(v),
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        Val::Text(String::from_utf8_lossy(t).into_owned())
                    }
                });
            }
            out.push(Row(vals));
        }
        Ok(out)
    }

    fn exec(&self, sql: &str, args: &[Val]) -> Result<u64> {
        Ok(self
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(args.iter()))? as u64)
    }

    fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.execute_batch(sql)?)
    }
}

// ------------------------------------------------------------ PostgreSQL

mod pg {
    use super::Val;
    use bytes::BytesMut;
    use postgres::types::{to_sql_checked, FromSql, IsNull, ToSql, Type};

    type BoxError = Box<dyn std::error::Error + Sync + Send>;

    impl ToSql for Val {
        fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
            match self {
                Val::Null => Ok(IsNull::Yes),
                Val::Int(i) => match *ty {
                    Type::INT8 => i.to_sql(ty, out),
                    Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                    Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                    Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                    Type::FLOAT4 => (*i as f32).to_sql(ty, out),
                    Type::BOOL => (*i != 0).to_sql(ty, out),
                    _ => i.to_string().to_sql(ty, out),
                },
                Val::Real(f) => match *ty {
                    Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                    Type::FLOAT8 => f.to_sql(ty, out),
                    _ => f.to_string().to_sql(ty, out),
                },
                Val::Text(s) => s.as_str().to_sql(ty, out),
            }
        }

        fn accepts(_: &Type) -> bool {
            true
        }

        to_sql_checked!();
    }

    impl<'a> FromSql<'a> for Val {
        fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
            Ok(match *ty {
                Type::INT8 => Val::Int(i64::from_sql(ty, raw)?),
                Type::INT4 => Val::Int(i32::from_sql(ty, raw)?.into()),
                Type::INT2 => Val::Int(i16::from_sql(ty, raw)?.into()),
                Type::BOOL => Val::Int(bool::from_sql(ty, raw)?.into()),
                Type::FLOAT8 => Val::Real(f64::from_sql(ty, raw)?),
                Type::FLOAT4 => Val::Real(f32::from_sql(ty, raw)?.into()),
                _ if <&str as FromSql>::accepts(ty) => {
                    Val::Text(<&str as FromSql>::from_sql(ty, raw)?.to_string())
                }
                _ => return Err(format!("column type {ty} is not read by lagebild").into()),
            })
        }

        fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
            Ok(Val::Null)
        }

        fn accepts(_: &Type) -> bool {
            true
        }
    }
}

/// Rewrites `?` and `?N` placeholders to PostgreSQL's `$N` (outside quoted
/// strings and identifiers).
pub(crate) fn to_postgres(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut next = 1;
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                out.push('$');
                if digits.is_empty() {
                    out.push_str(&next.to_string());
                    next += 1;
                } else {
                    out.push_str(&digits);
                }
            }
            None => out.push(c),
        }
    }
    out
}

/// A PostgreSQL connection with its prepared statements.
pub struct PgConn {
    client: RefCell<postgres::Client>,
    prepared: RefCell<HashMap<String, postgres::Statement>>,
}

impl PgConn {
    pub(crate) fn new(client: postgres::Client) -> Self {
        PgConn {
            client: RefCell::new(client),
            prepared: RefCell::new(HashMap::new()),
        }
    }

    fn statement(&self, sql: &str) -> Result<postgres::Statement> {
        if let Some(st) = self.prepared.borrow().get(sql) {
            return Ok(st.clone());
        }
        let st = self.client.borrow_mut().prepare(&to_postgres(sql))?;
        self.prepared
            .borrow_mut()
            .insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

fn pg_params(args: &[Val]) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
    args.iter()
        .map(|a| a as &(dyn postgres::types::ToSql + Sync))
        .collect()
}

impl Conn for PgConn {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn rows(&self, sql: &str, args: &[Val]) -> Result<Vec<Row>> {
        let st = self.statement(sql)?;
        let rows = self.client.borrow_mut().query(&st, &pg_params(args))?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| r.try_get::<_, Val>(i))
                    .collect::<std::result::Result<Vec<_>, _>>()
                    .map(Row)
                    .map_err(StoreError::from)
            })
            .collect()
    }

    fn exec(&self, sql: &str, args: &[Val]) -> Result<u64> {
        let st = self.statement(sql)?;
        Ok(self.client.borrow_mut().execute(&st, &pg_params(args))?)
    }

    fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.client.borrow_mut().batch_execute(sql)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_numbered_outside_strings() {
        assert_eq!(
            to_postgres("SELECT a FROM t WHERE b = ? AND c LIKE 'x?%' AND d = ?"),
            "SELECT a FROM t WHERE b = $1 AND c LIKE 'x?%' AND d = $2"
        );
        assert_eq!(
            to_postgres("UPDATE t SET a = ?2 WHERE id = ?1 AND \"q?\" = ?1"),
            "UPDATE t SET a = $2 WHERE id = $1 AND \"q?\" = $1"
        );
    }

    #[test]
    fn rows_read_typed_values_and_name_a_wrong_type() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        c.batch("CREATE TABLE t (a INTEGER, b TEXT, c REAL)")
            .unwrap();
        c.exec(
            "INSERT INTO t VALUES (?1, ?2, ?3)",
            args![7i64, "x", Some(1.5f64)],
        )
        .unwrap();
        c.exec(
            "INSERT INTO t VALUES (?, ?, ?)",
            args![8i64, None::<String>, None::<f64>],
        )
        .unwrap();
        let rows = c.rows("SELECT a, b, c FROM t ORDER BY a", &[]).unwrap();
        assert_eq!(rows[0].get::<i64>(0).unwrap(), 7);
        assert_eq!(rows[0].get::<String>(1).unwrap(), "x");
        assert_eq!(rows[0].get::<f64>(2).unwrap(), 1.5);
        assert_eq!(rows[1].get::<Option<String>>(1).unwrap(), None);
        let err = rows[1].get::<String>(1).unwrap_err().to_string();
        assert!(err.contains("column 1"), "{err}");
        // a failed transaction leaves nothing behind
        let r: Result<()> = in_tx(&c, |c| {
            c.exec("INSERT INTO t VALUES (9, 'y', 0)", &[])?;
            c.exec("INSERT INTO nope VALUES (1)", &[])?;
            Ok(())
        });
        assert!(r.is_err());
        assert_eq!(c.column::<i64>("SELECT a FROM t", &[]).unwrap(), vec![7, 8]);
    }
}
