"""Writing checked request rows in bulk, the fastest way each database takes them: SQLite through
the driver's executemany with values formatted as SQLAlchemy stores them, PostgreSQL through
COPY (one statement streamed across blocks for a first load), any other database through
SQLAlchemy's executemany. Also the settings, key and index changes that make a large first load
fast, all inside the caller's transaction.
"""

from __future__ import annotations

import io
import itertools
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


def _texts(column: pa.Array) -> list:
    """Python values of an Arrow column; a dictionary column shares one str per code."""
    if pa.types.is_dictionary(column.type):
        codes = np.array(column.dictionary.to_pylist(), dtype=object)
        return codes[column.indices.to_numpy(zero_copy_only=False)].tolist()
    return column.to_pylist()


def sqlite_columns(rows: TypedRows) -> dict[str, list]:
    """Each loaded column as the values SQLAlchemy would store in SQLite: times as
    `YYYY-MM-DD HH:MM:SS.ffffff` text, days as `YYYY-MM-DD`, booleans as 0 or 1, None for
    missing times and hours."""
    table = rows.to_arrow()
    out = {}
    for name in LOADED_COLUMNS:
        column = table.column(name).combine_chunks()
        if pa.types.is_timestamp(column.type) or pa.types.is_date(column.type):
            column = column.cast(pa.string())
        if name == "is_synthetic":
            out[name] = rows.is_synthetic.astype(np.int8).tolist()
        elif name == "row_number":
            out[name] = rows.row_number.tolist()
        else:
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
        constants = constants or {}
        names = [*columns, *constants]
        verb = "INSERT OR IGNORE" if skip_taken_keys else "INSERT"
        statement = (
            f"{verb} INTO {table.name} ({', '.join(names)}) "
            f"VALUES ({', '.join('?' for _ in names)})"
        )
        # each row's tuple is made as the driver takes it, never a list of them all
        values = zip(*columns.values(), *(itertools.repeat(v) for v in constants.values()))
        cursor = connection.connection.driver_connection.cursor()
        try:
            cursor.executemany(statement, values)
            return cursor.rowcount
        finally:
            cursor.close()
    if constants or skip_taken_keys:
        raise ValueError("constants and skipped keys are for SQLite only")
    if dialect == "postgresql":
        copy_rows(connection, table, rows)
        return len(rows)
    records = rows.to_arrow().to_pylist()  # datetime, date, None for missing values
    connection.execute(insert(table), records)
    return len(records)


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
