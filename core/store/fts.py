"""The two full-text indexes over branch names and how to query them.

``branches_fts`` uses FTS5's trigram tokenizer: a MATCH term finds any substring of
three or more characters, but a shorter term matches nothing. Most words in a
branch query are two characters (西山, 工行, 江油), so ``branches_chars`` indexes the
same name written as single characters separated by spaces under the unicode61
tokenizer; the phrase query ``"西 山"`` then finds the two characters side by side.

Both tables index the NFKC form of the official name (full-width letters, digits
and brackets become ASCII), so a query must be normalized the same way: use
``trigram_query`` and ``chars_query``. In both tables the rowid is the 联行号 as an
integer (``code_of_rowid`` turns it back into 12 digits). ``branches_fts`` also
returns ``cnaps_code`` and ``name``; ``branches_chars`` is contentless and returns
only the rowid, so join it to ``branches`` for the name::

    SELECT b.cnaps_code, b.name FROM branches_chars c
    JOIN branches b ON b.cnaps_code = printf('%012d', c.rowid)
    WHERE branches_chars MATCH ?
"""

from __future__ import annotations

import sqlite3
import unicodedata


def fts_name(name: str) -> str:
    """Return the NFKC form of ``name`` that both indexes tokenize."""
    return unicodedata.normalize("NFKC", name)


def spaced_chars(text: str) -> str:
    """Return the NFKC characters of ``text`` separated by single spaces, whitespace dropped."""
    return " ".join(char for char in fts_name(text) if not char.isspace())


def _quote(text: str) -> str:
    # FTS5 reads a query only up to a NUL character, so one would leave the quote open.
    return '"' + text.replace("\x00", "").replace('"', '""') + '"'


def chars_query(text: str) -> str:
    """Return an FTS5 phrase for ``branches_chars`` matching ``text`` as consecutive characters.

    ``"西 山"`` for 西山. Punctuation in ``text`` is dropped by the unicode61 tokenizer
    on both sides, so it neither helps nor hurts a match.
    """
    return _quote(spaced_chars(text))


def trigram_query(text: str) -> str:
    """Return an FTS5 string for ``branches_fts``; it matches nothing when ``text`` is under 3 characters."""
    return _quote(fts_name(text))


def code_of_rowid(rowid: int) -> str:
    return f"{rowid:012d}"


def register_functions(conn: sqlite3.Connection) -> None:
    """Register the SQL functions the importer uses to fill the indexes in one statement."""
    conn.create_function("bankcode_fts_name", 1, fts_name, deterministic=True)
    conn.create_function("bankcode_spaced_chars", 1, spaced_chars, deterministic=True)


def _insert(conn: sqlite3.Connection, source: str) -> None:
    # FTS5 flushes its pending terms whenever a rowid is not larger than the last
    # one, so rows go in by ascending code: building both indexes for 150,000
    # rows took a third of the CPU time needed in file order.
    conn.execute(
        "INSERT INTO branches_fts (rowid, cnaps_code, name) "
        "SELECT CAST(b.cnaps_code AS INTEGER), b.cnaps_code, bankcode_fts_name(b.name) "
        f"FROM {source} ORDER BY b.cnaps_code"
    )
    conn.execute(
        "INSERT INTO branches_chars (rowid, name) "
        "SELECT CAST(b.cnaps_code AS INTEGER), bankcode_spaced_chars(b.name) "
        f"FROM {source} ORDER BY b.cnaps_code"
    )


def rebuild_all(conn: sqlite3.Connection) -> None:
    """Refill both indexes from ``branches``; call it inside the import's transaction."""
    register_functions(conn)
    conn.execute("DELETE FROM branches_fts")
    conn.execute("INSERT INTO branches_chars (branches_chars) VALUES ('delete-all')")
    _insert(conn, "branches b")


def remove_codes(conn: sqlite3.Connection, codes_table: str) -> None:
    """Remove the codes listed in ``codes_table`` (column ``cnaps_code``) from both indexes.

    Call it before ``branches`` changes: a contentless FTS5 table can only delete
    a row when given the exact text it indexed, which is computed from the name
    still stored in ``branches``. Call it inside the import's transaction.
    """
    register_functions(conn)
    conn.execute(
        f"DELETE FROM branches_fts WHERE rowid IN (SELECT CAST(cnaps_code AS INTEGER) FROM {codes_table})"
    )
    conn.execute(
        "INSERT INTO branches_chars (branches_chars, rowid, name) "
        "SELECT 'delete', CAST(b.cnaps_code AS INTEGER), bankcode_spaced_chars(b.name) "
        f"FROM branches b JOIN {codes_table} c ON c.cnaps_code = b.cnaps_code"
    )


def add_codes(conn: sqlite3.Connection, codes_table: str) -> None:
    """Index the codes listed in ``codes_table`` that are in ``branches``; call after it changed."""
    register_functions(conn)
    _insert(conn, f"branches b JOIN {codes_table} c ON c.cnaps_code = b.cnaps_code")
