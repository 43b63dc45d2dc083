"""Writing checked request rows in bulk, the fastest way each database takes them: SQLite through
the driver's executemany with values formatted as SQLAlchemy stores them, PostgreSQL through
COPY, any other database through SQLAlchemy's executemany. Also the settings and index changes
that make a large first load fast, all inside the caller's transaction.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import Index, Table, insert
from sqlalchemy.engine import Connection

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
        values = list(zip(*columns.values(), *([v] * len(rows) for v in constants.values())))
        verb = "INSERT OR IGNORE" if skip_taken_keys else "INSERT"
        statement = (
            f"{verb} INTO {table.name} ({', '.join(names)}) "
            f"VALUES ({', '.join('?' for _ in names)})"
        )
        return connection.exec_driver_sql(statement, values).rowcount
    if constants or skip_taken_keys:
        raise ValueError("constants and skipped keys are for SQLite only")
    if dialect == "postgresql":
        copy_rows(connection, table, rows)
        return len(rows)
    records = rows.to_arrow().to_pylist()  # datetime, date, None for missing values
    connection.execute(insert(table), records)
    return len(records)


def copy_rows(connection: Connection, table: Table, rows: TypedRows) -> None:
    """PostgreSQL: COPY the rows into `table` as CSV written by Arrow (no Python per row)."""
    arrow = rows.to_arrow()
    arrow = pa.table(
        [c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c for c in arrow.columns],
        names=arrow.column_names,
    )
    buffer = io.BytesIO()
    pacsv.write_csv(arrow, buffer, pacsv.WriteOptions(include_header=False))
    driver = connection.connection.driver_connection
    statement = f"COPY {table.name} ({', '.join(arrow.column_names)}) FROM STDIN (FORMAT csv)"
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        copy.write(buffer.getbuffer())


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
