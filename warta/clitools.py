"""Shared pieces of the ``warta`` commands: one-line errors, opening the archive, output."""

from __future__ import annotations

import csv
import json
import sys
from typing import Any, NoReturn

import click


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``code``."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def open_archive(db: str) -> Any:
    """The archive at ``db`` (migrated), or a one-line error when there is none."""
    from storage.archive import ArchiveError, open_db

    try:
        return open_db(db, create=False)
    except ArchiveError as exc:
        fail(str(exc))


def emit(rows: list[dict[str, Any]], as_json: bool, as_csv: bool) -> bool:
    """Print rows as JSON or CSV (lists as JSON text) when asked; return True if printed."""
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return True
    if as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else [])
        writer.writeheader()
        for row in rows:
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict)
                             else v for k, v in row.items()})
        return True
    return False
