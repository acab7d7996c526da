"""Two sqlite-utils calls without their per-call costs, for the statements run for every
stored article.

- :func:`atomic`: ``Database.atomic()`` names each nested savepoint anew
  (``sqlite_utils_<random hex>``), so its two statements are compiled anew each time and
  push cached ones out of sqlite3's statement cache; here every savepoint has one name.
  SQLite nests savepoints of one name as a stack: ``RELEASE`` and ``ROLLBACK TO`` act on
  the innermost, so nesting behaves as with distinct names.
- :func:`rows`: ``Database.query()`` wraps each read in a savepoint of its own (three
  statements: it guards against a statement that returns no rows) and parses the SQL's
  first keyword; the reads here are warta's own SELECTs.

:func:`in_chunks` splits the values of an ``in (...)`` list to fit SQLite's limit on bound
parameters. :func:`rows_by_number` reads rows by row number in such chunks: what a job that
walks the whole archive holds between batches is the numbers (8 bytes an article), not the
rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlite_utils import Database

SAVEPOINT = "warta"
IN_LIST_MAX = 500
"""Values bound in one ``in (...)`` list: under SQLite's limit on parameters (999 before
SQLite 3.32), with room for a statement's others."""

T = TypeVar("T")


@contextmanager
def atomic(db: Database) -> Iterator[None]:
    """``db.atomic()`` (a transaction, or a savepoint inside an open one) with one fixed
    savepoint name."""
    conn = db.conn
    if not conn.in_transaction:
        with db.atomic():
            yield
        return
    conn.execute(f"SAVEPOINT {SAVEPOINT}")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # an error may have ended the transaction already
            conn.execute(f"ROLLBACK TO {SAVEPOINT}")
            conn.execute(f"RELEASE {SAVEPOINT}")
        raise
    conn.execute(f"RELEASE {SAVEPOINT}")


def rows(db: Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """The rows of a SELECT as dicts (column name -> value), like ``db.query``."""
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def rows_by_number(db: Database, columns: str, numbers: Sequence[int], *,
                   table: str = "articles") -> list[dict[str, Any]]:
    """``columns`` (SQL written by warta, never input) of the rows of ``table`` with these
    row numbers, in row order, each with its ``row_number``; rows deleted since are left
    out. :data:`IN_LIST_MAX` numbers a query."""
    found: list[dict[str, Any]] = []
    for chunk, marks in in_chunks(numbers):
        found += rows(db, f"select rowid as row_number, {columns} from [{table}] "  # noqa: S608
                      f"where rowid in ({marks}) order by rowid", chunk)
    return found


def in_chunks(values: Sequence[T], size: int = IN_LIST_MAX) -> Iterator[tuple[list[T], str]]:
    """``values`` a chunk of at most ``size`` at a time, each with its placeholders
    (``?, ?, ...``) for ``in (...)``: ``for chunk, marks in in_chunks(ids):
    db.execute(f"... where id in ({marks})", chunk)``."""
    for start in range(0, len(values), size):
        chunk = list(values[start:start + size])
        yield chunk, ", ".join("?" * len(chunk))
