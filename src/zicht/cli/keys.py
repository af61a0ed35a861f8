"""`zicht keys`: API keys for the service (stored hashed; the key itself is shown once)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from zicht.choices import Role
from zicht.db.engine import default_db_url, open_database
from zicht.db.keys import create_key
from zicht.db.models import ApiKey
from zicht.errors import ZichtError

app = typer.Typer(
    help="Create, list and revoke API keys for `zicht serve` (field lab, steward or admin).",
    no_args_is_help=True,
)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: $ZICHT_DB or the SQLite file `zicht serve` uses)."),
]


@contextmanager
def _session(db: str | None) -> Iterator[Session]:
    """A session on the registry database, its engine disposed afterwards."""
    engine, sessions = open_database(db or default_db_url())
    try:
        with sessions() as session:
            yield session
    finally:
        engine.dispose()


@app.command()
def create(
    role: Annotated[Role, typer.Option("--role", help="Role of the key.")],
    lab: Annotated[
        str | None, typer.Option("--lab", help="The field lab (definition author) a fieldlab key belongs to.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Create a key, store its hash and print the key once (it cannot be shown again)."""
    with _session(db) as session:
        row, plain = create_key(session, role, lab)
        session.commit()
        typer.echo(plain)
        typer.echo(
            f"key {row.id}: role {row.role}{', lab ' + row.lab if row.lab else ''}; store it now, it is not shown again",
            err=True,
        )


@app.command(name="list")
def list_keys(db: DbOption = None) -> None:
    """List keys: id, role, lab, creation time and whether revoked (never the key itself)."""
    with _session(db) as session:
        for row in session.scalars(select(ApiKey).order_by(ApiKey.id)):
            state = "revoked" if row.revoked else "active"
            typer.echo(
                f"{row.id:>5}  {row.role:<9} {state:<8} {row.created_at:%Y-%m-%d %H:%M}Z  {row.lab or ''}"
            )


@app.command()
def revoke(
    key_id: Annotated[int, typer.Argument(help="Id of the key (see `zicht keys list`).")],
    db: DbOption = None,
) -> None:
    """Revoke a key: requests with it get 401 from then on."""
    with _session(db) as session:
        row = session.get(ApiKey, key_id)
        if row is None:
            raise ZichtError(f"no API key with id {key_id}")
        row.revoked = True
        session.commit()
        typer.echo(f"key {key_id} ({row.role}{', ' + row.lab if row.lab else ''}) revoked")
