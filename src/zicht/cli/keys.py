"""`zicht keys`: API keys for the service (stored hashed; the key itself is shown once)."""

from __future__ import annotations

import typer

from zicht.db.engine import default_db_url, open_database
from zicht.db.keys import ROLES, create_key

app = typer.Typer(help="Create API keys for `zicht serve` (field lab, steward or admin).", no_args_is_help=True)


@app.command()
def create(
    role: str = typer.Option(..., "--role", help=f"Role of the key: {', '.join(ROLES)}."),
    lab: str = typer.Option(None, "--lab", help="The field lab (definition author) a fieldlab key belongs to."),
    db: str = typer.Option(None, "--db", help="Database URL (default: $ZICHT_DB or the SQLite file `zicht serve` uses)."),
) -> None:
    """Create a key, store its hash and print the key once (it cannot be shown again)."""
    url = db or default_db_url()
    engine, sessions = open_database(url)
    try:
        with sessions() as session:
            row, plain = create_key(session, role, lab)
            session.commit()
            typer.echo(plain)
            typer.echo(f"key {row.id}: role {row.role}{', lab ' + row.lab if row.lab else ''}; store it now, it is not shown again", err=True)
    finally:
        engine.dispose()
