"""The users of the internal view: name, password hash, role; written only by `etl users`."""

from __future__ import annotations

from sqlalchemy import Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.schema import Base

ROLES = ("analyst", "admin")


class User(Base):
    """One person who may log in to the internal view. `password_hash` is an Argon2id hash in
    PHC string format; the password itself is never stored."""

    __tablename__ = "users"
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))  # analyst | admin
    created_at: Mapped[object] = mapped_column(DateTime)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
