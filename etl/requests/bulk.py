"""Writing checked request rows in bulk, the fastest way each database takes them: SQLite through
the driver's executemany of statements of many rows each, with values formatted as SQLAlchemy
stores them, PostgreSQL through COPY (one statement streamed across blocks for a first load),
any other database through SQLAlchemy's executemany. Also the settings, key and index changes
that make a large first load fast, all inside the caller's transaction.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import Index, Table, insert, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, ProgrammingError

from etl.requests.checks import LOADED_COLUMNS, TypedRows

SQLITE_CACHE_KIB = 256 * 1024  # page cache of the ETL's connection during a load
SQLITE_ROWS_A_STATEMENT = 64  # rows in one multi-row INSERT
SQLITE_MAX_PARAMETERS = 999  # the least any SQLite build allows in one statement


def _texts(column: pa.Array) -> list:
    """Python values of an Arrow column; a dictionary column shares one str per code."""
    if pa.types.is_dictionary(column.type):
        codes = np.array(column.dictionary.to_pylist(), dtype=object)
        return codes[column.indices.to_numpy(zero_copy_only=False)].tolist()
    return column.to_pylist()


# a column SQLite computes from another as it stores the row, rather than being sent its value:
# the Korea-time day of a Korea-time `received_at` is its first ten characters
SQLITE_DERIVED = {"received_date": ("received_at", "substr({}, 1, 10)")}


def sqlite_columns(rows: TypedRows) -> dict[str, list]:
    """Each loaded column but those in SQLITE_DERIVED as the values SQLAlchemy would store in
    SQLite: times as `YYYY-MM-DD HH:MM:SS.ffffff` text, booleans as 0 or 1, None for missing
    times and hours."""
    table = rows.to_arrow()
    out = {}
    for name in LOADED_COLUMNS:
        if name in SQLITE_DERIVED:
            continue
        if name == "is_synthetic":
            out[name] = rows.is_synthetic.astype(np.int8).tolist()
        elif name == "row_number":
            out[name] = rows.row_number.tolist()
        else:
            column = table.column(name).combine_chunks()
            if pa.types.is_timestamp(column.type):
                column = column.cast(pa.string())
            out[name] = _texts(column)
    return out


def insert_rows(
    connection: Connection,
    table: Table,
    rows: TypedRows,
    constants: dict | None = None,
    skip_taken_keys: bool = False,
) -> int:
    """Insert the rows' LOADED_COLUMNS, plus `constants` in every row, into `table`; returns
    how many were inserted. SQLite only: `constants`, and `skip_taken_keys` (a row whose
    primary key is taken is left out instead of failing the statement)."""
    if not len(rows):
        return 0
    dialect = connection.dialect.name
    if dialect == "sqlite":
        columns = sqlite_columns(rows)
        return sqlite_insert(
            connection, table.name, columns, constants, SQLITE_DERIVED, skip_taken_keys
        )
    if constants or skip_taken_keys:
        raise ValueError("constants and skipped keys are for SQLite only")
    if dialect == "postgresql":
        copy_rows(connection, table, rows)
        return len(rows)
    records = rows.to_arrow().to_pylist()  # datetime, date, None for missing values
    connection.execute(insert(table), records)
    return len(records)


def _sql_literal(value: object) -> str:
    """A constant written into an INSERT statement: an integer, or text quoted for SQL."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"not an integer or text: {value!r}")
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def _sqlite_rows_sql(names: list[str], constants: dict, derived: dict, rows: int) -> str:
    """`rows` VALUES rows binding `names` by number, one row after another, with the columns of
    `derived` computed from theirs and `constants` written in."""
    width = len(names)
    fixed = [_sql_literal(v) for v in constants.values()]
    out = []
    for row in range(rows):
        first = row * width + 1
        values = [f"?{first + i}" for i in range(width)]
        for source, expression in derived.values():
            values.append(expression.format(f"?{first + names.index(source)}"))
        out.append("(" + ", ".join(values + fixed) + ")")
    return ", ".join(out)


def sqlite_insert(
    connection: Connection,
    table: str,
    columns: dict[str, list],
    constants: dict | None = None,
    derived: dict[str, tuple[str, str]] | None = None,
    skip_taken_keys: bool = False,
) -> int:
    """SQLite: insert `columns` (values as the driver binds them, all of one length) into
    `table`, SQLITE_ROWS_A_STATEMENT rows at a time: one statement with many VALUES rows binds
    the same values as many one-row statements, for a fraction of their overhead. `constants`
    are written into the statement once rather than bound in every row; `derived` maps a
    column to (the column it is computed from, an SQL expression with `{}` for that value).
    Returns how many rows were inserted (with `skip_taken_keys`, a row whose key is taken is
    left out)."""
    constants, derived = constants or {}, derived or {}
    names = list(columns)
    width, count = len(names), len(next(iter(columns.values())))
    if not count:
        return 0
    grid = np.empty((count, width), dtype=object)  # one row a line, as the statement binds them
    for position, values in enumerate(columns.values()):
        grid[:, position] = values
    verb = "INSERT OR IGNORE" if skip_taken_keys else "INSERT"
    stored = [*names, *derived, *constants]
    head = f"{verb} INTO {table} ({', '.join(stored)}) VALUES "
    per = max(1, min(SQLITE_ROWS_A_STATEMENT, SQLITE_MAX_PARAMETERS // width))
    whole = count - count % per
    cursor = connection.connection.driver_connection.cursor()
    try:
        inserted = 0
        if whole:
            statement = head + _sqlite_rows_sql(names, constants, derived, per)
            cursor.executemany(statement, grid[:whole].reshape(-1, per * width).tolist())
            inserted += cursor.rowcount
        if whole < count:
            statement = head + _sqlite_rows_sql(names, constants, derived, count - whole)
            cursor.execute(statement, grid[whole:].ravel().tolist())
            inserted += cursor.rowcount
        return inserted
    finally:
        cursor.close()


def _csv(rows: TypedRows, constants: dict | None = None) -> tuple[list[str], memoryview]:
    """(column names, the rows and `constants` in every row as CSV written by Arrow)."""
    arrow = rows.to_arrow()
    columns = [c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c for c in arrow.columns]
    names = list(arrow.column_names)
    for name, value in (constants or {}).items():
        columns.append(pa.repeat(pa.scalar(value), len(rows)))
        names.append(name)
    buffer = io.BytesIO()
    options = pacsv.WriteOptions(include_header=False)
    pacsv.write_csv(pa.table(columns, names=names), buffer, options)
    return names, buffer.getbuffer()


def _copy_statement(table: Table, names: list[str]) -> str:
    return f"COPY {table.name} ({', '.join(names)}) FROM STDIN (FORMAT csv)"


def copy_rows(connection: Connection, table: Table, rows: TypedRows) -> None:
    """PostgreSQL: COPY the rows into `table` as CSV written by Arrow (no Python per row)."""
    names, data = _csv(rows)
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(_copy_statement(table, names)) as copy:
        copy.write(data)


class CopyStream:
    """PostgreSQL: rows COPYed into `table`, with `constants` in every row, through one COPY
    statement kept open from write to write, so that the server stores a block while the next
    one is read and checked. `pause` ends the statement (before any other statement on the
    connection, and at the end); the next write starts another."""

    def __init__(self, connection: Connection, table: Table, constants: dict | None = None):
        self.connection, self.table, self.constants = connection, table, constants
        self._cursor = self._statement = self._copy = None

    def write(self, rows: TypedRows) -> None:
        if not len(rows):
            return
        names, data = _csv(rows, self.constants)
        if self._copy is None:
            self._cursor = self.connection.connection.driver_connection.cursor()
            self._statement = self._cursor.copy(_copy_statement(self.table, names))
            self._copy = self._statement.__enter__()
        self._copy.write(data)

    def pause(self) -> None:
        if self._copy is None:
            return
        statement, cursor = self._statement, self._cursor
        self._cursor = self._statement = self._copy = None
        try:
            statement.__exit__(None, None, None)
        finally:
            cursor.close()


def drop_primary_key(connection: Connection, table: Table) -> str:
    """PostgreSQL: drop the table's primary key (its index is built again in one sort rather
    than updated row by row); returns the statement that adds it back, as it was."""
    name, definition = connection.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = CAST(:table AS regclass) AND contype = 'p'"
        ),
        {"table": table.name},
    ).one()
    connection.exec_driver_sql(f'ALTER TABLE {table.name} DROP CONSTRAINT "{name}"')
    return f'ALTER TABLE {table.name} ADD CONSTRAINT "{name}" {definition}'


@contextmanager
def foreign_keys_trusted(connection: Connection) -> Iterator[bool]:
    """PostgreSQL: no per-row foreign-key check in the block, when the role may set
    `session_replication_role` (a superuser, or a role granted SET on it); yields whether the
    checks are skipped. Only for rows whose keys hold by construction (a load's rows carry its
    own run, inserted before them in the same transaction)."""
    try:
        with connection.begin_nested():
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        trusted = True
    except ProgrammingError:  # not allowed: the checks stay
        trusted = False
    if not trusted:
        yield False
        return
    try:
        yield True
    except DBAPIError:
        raise  # the transaction is void and rolls the setting back with it
    except BaseException:
        connection.exec_driver_sql("SET LOCAL session_replication_role = origin")
        raise
    connection.exec_driver_sql("SET LOCAL session_replication_role = origin")


@contextmanager
def large_cache(connection: Connection) -> Iterator[None]:
    """SQLite: a larger page cache on this connection while the block runs (the journal and
    its guarantees are untouched); other databases: nothing."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")


@contextmanager
def secondary_indexes_dropped(connection: Connection, table: Table) -> Iterator[None]:
    """Drop the table's secondary indexes and build them again after the block (one sort
    instead of an update per row); the caller's transaction makes both steps atomic."""
    indexes: list[Index] = sorted(table.indexes, key=lambda index: index.name)
    for index in indexes:
        index.drop(connection)
    try:
        yield
    finally:
        for index in indexes:
            index.create(connection)
