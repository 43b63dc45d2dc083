"""How passwords are stored in the users table: Argon2id hashes, checked in constant time.

The parameters are argon2-cffi's defaults (RFC 9106's second recommended set: 3 passes over
64 MiB, 4 lanes), written into each hash, so verifying an older hash keeps working after they
change. A password is never stored, logged or compared as text.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 1024

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An Argon2id hash of `password` with a fresh random salt (PHC string format)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches `password_hash`. The comparison runs in constant time inside
    libargon2; a malformed hash is a mismatch, never an error."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return hash_password("decoy password for names that do not exist")


def spend_verify_time(password: str) -> None:
    """Verify against a decoy hash, so that an unknown name takes as long as a wrong password
    and the time of an answer does not tell whether a user exists."""
    verify_password(_decoy_hash(), password)


def password_problem(password: str, username: str = "") -> str | None:
    """Why `password` is not acceptable for a new or changed login, or None when it is."""
    if len(password) < MIN_LENGTH:
        return f"the password needs at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"the password may have at most {MAX_LENGTH} characters"
    if username and password.strip().lower() == username.strip().lower():
        return "the password must not be the user name"
    return None
