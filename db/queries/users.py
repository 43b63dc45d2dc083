"""Users of the internal view as the app reads them (read-only): look one up, count them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from db.auth_schema import User


@dataclass(frozen=True)
class UserRecord:
    username: str
    password_hash: str
    role: str
    disabled: bool


def find_user(engine: Engine, username: str) -> UserRecord | None:
    """The user called `username` (disabled or not), or None."""
    query = select(User.username, User.password_hash, User.role, User.disabled).where(
        User.username == username
    )
    try:
        with engine.connect() as connection:
            row = connection.execute(query).first()
    except (OperationalError, ProgrammingError):
        if _has_users_table(engine):
            raise
        return None
    return (
        UserRecord(row.username, row.password_hash, row.role, bool(row.disabled)) if row else None
    )


def count_users(engine: Engine) -> int:
    """How many users exist, disabled ones included (a database built before the users table
    existed has none). Other database errors are raised."""
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(User))
    except (OperationalError, ProgrammingError):
        if _has_users_table(engine):
            raise
        return 0


def _has_users_table(engine: Engine) -> bool:
    return inspect(engine).has_table(User.__tablename__)
