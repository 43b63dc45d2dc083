"""`python -m etl users ...`: add, list, change and remove the users of the internal view.

The ETL is the only writer of the database, users included: the app only reads them. Passwords
are read from the terminal (twice, without echo) or, for scripts, from standard input with
`--password-stdin`; never from the command line, where other users of the machine could see
them. No user exists until one is added: there is no default account or password.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import re
import sys

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine

from db.auth_schema import ROLES, User
from db.engine import create_schema, make_engine
from db.passwords import hash_password, password_problem

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")


class UserError(Exception):
    """A refusal the command line reports as one line, exiting 1."""


def normalise_username(name: str) -> str:
    """User names are compared in lower case; letters, digits and `. _ @ -` only."""
    username = name.strip().lower()
    if not USERNAME.match(username):
        raise UserError(
            f"'{name}' is not a valid user name: 1 to 64 letters, digits or . _ @ -, "
            "starting with a letter or digit"
        )
    return username


def add_user(engine: Engine, name: str, password: str, role: str) -> str:
    username = normalise_username(name)
    if role not in ROLES:
        raise UserError(f"unknown role '{role}': use one of {', '.join(ROLES)}")
    _check_password(password, username)
    with engine.begin() as connection:
        if connection.scalar(select(User.user_id).where(User.username == username)):
            raise UserError(f"user '{username}' already exists")
        connection.execute(
            User.__table__.insert().values(
                username=username,
                password_hash=hash_password(password),
                role=role,
                created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                disabled=False,
            )
        )
    return username


def set_password(engine: Engine, name: str, password: str) -> str:
    username = normalise_username(name)
    _check_password(password, username)
    _change(engine, username, password_hash=hash_password(password))
    return username


def set_disabled(engine: Engine, name: str, disabled: bool) -> str:
    username = normalise_username(name)
    _change(engine, username, disabled=disabled)
    return username


def remove_user(engine: Engine, name: str) -> str:
    username = normalise_username(name)
    with engine.begin() as connection:
        if not connection.execute(delete(User).where(User.username == username)).rowcount:
            raise UserError(f"no user '{username}'")
    return username


def list_users(engine: Engine) -> list[dict]:
    """Every user without the password hash, in name order."""
    query = select(User.username, User.role, User.created_at, User.disabled).order_by(User.username)
    with engine.connect() as connection:
        return [
            {
                "username": row.username,
                "role": row.role,
                "created_at": row.created_at.isoformat(timespec="seconds") + "Z",
                "disabled": bool(row.disabled),
            }
            for row in connection.execute(query)
        ]


def _change(engine: Engine, username: str, **values) -> None:
    with engine.begin() as connection:
        changed = connection.execute(
            update(User).where(User.username == username).values(**values)
        ).rowcount
        if not changed:
            raise UserError(f"no user '{username}'")


def _check_password(password: str, username: str) -> None:
    problem = password_problem(password, username)
    if problem:
        raise UserError(problem)


def read_password(from_stdin: bool) -> str:
    """The new password: one line of standard input, or typed twice at the terminal."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UserError("no password on standard input")
        return password
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != password:
        raise UserError("the two passwords differ; nothing was changed")
    return password


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add `users` and its commands to the ETL's command line."""
    users = sub.add_parser("users", help="add, list, change or remove users of the internal view")
    commands = users.add_subparsers(dest="users_command", required=True)
    p = commands.add_parser("add", help="add a user (the password is asked twice)")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=ROLES, help="analyst or admin")
    _stdin_option(p)
    p = commands.add_parser("list", help="list users (never their passwords)")
    p.add_argument("--json", action="store_true", help="print the users as a JSON list")
    p = commands.add_parser("set-password", help="give a user a new password")
    p.add_argument("name")
    _stdin_option(p)
    for name, help_text in (
        ("remove", "remove a user; their sessions end at their next request"),
        ("disable", "keep a user but refuse their logins and end their sessions"),
        ("enable", "accept a disabled user's logins again"),
    ):
        commands.add_parser(name, help=help_text).add_argument("name")


def _stdin_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from one line of standard input (for scripts)",
    )


def main(args: argparse.Namespace) -> int:
    """Run one `users` command; refusals print one line and exit 1."""
    engine = make_engine()
    create_schema(engine)
    try:
        return _run(engine, args)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()


def _run(engine: Engine, args: argparse.Namespace) -> int:
    command = args.users_command
    if command == "list":
        users = list_users(engine)
        if args.json:
            print(json.dumps(users, ensure_ascii=False, indent=1))
        elif not users:
            print("no users: the internal view runs in local single-user mode on 127.0.0.1")
        for user in [] if args.json else users:
            status = "disabled" if user["disabled"] else "active"
            print(f"{user['username']:<24} {user['role']:<8} {status:<8} {user['created_at']}")
        return 0
    if command == "add":
        username = normalise_username(args.name)  # refuse a bad name before asking
        username = add_user(engine, username, read_password(args.password_stdin), args.role)
        print(f"added user '{username}' ({args.role})")
    elif command == "set-password":
        username = normalise_username(args.name)
        if not any(u["username"] == username for u in list_users(engine)):
            raise UserError(f"no user '{username}'")
        set_password(engine, username, read_password(args.password_stdin))
        print(f"new password set for '{username}'; their other sessions have ended")
    elif command == "remove":
        print(f"removed user '{remove_user(engine, args.name)}'")
    else:
        disabled = command == "disable"
        username = set_disabled(engine, args.name, disabled)
        print(f"{'disabled' if disabled else 'enabled'} user '{username}'")
    return 0
