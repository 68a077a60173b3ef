"""A disk cache of the built lookup index, so a new process skips the build.

Building the index of 150,000 branches takes about 9 s on one core; unpickling it
takes about 0.6 s. The cache lives in the user data folder, one file per database
path, and is used only while the directory's signature (row count, last import,
total name length, lowest and highest code) and ``CACHE_VERSION`` match. The file
is written by this product into the user's own folder, so unpickling it trusts it
as much as the database itself.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import time
from pathlib import Path
from typing import Any

from core import __version__
from core.lookup.index import BranchIndex
from core.paths import user_data_dir

logger = logging.getLogger(__name__)

# Bump when BranchIndex, the parser, the gazetteer or the bank table change what an
# index holds, so that old cache files are rebuilt.
CACHE_VERSION = 10


def directory_signature(directory: Any) -> tuple:
    """Return values that change whenever the ``branches`` table changes in practice.

    NOTE: an edit that keeps the row count, the codes at both ends and the total
    name length (a rename to a name of equal length outside an import) goes
    unnoticed; every import and merge records a new import id, so those are seen.
    """
    db = directory.db
    count, total_length, lowest, highest = db.execute(
        "SELECT count(*), coalesce(sum(length(name)), 0), min(cnaps_code), max(cnaps_code) FROM branches"
    ).fetchone()
    last_import = None
    if "imports" in db.table_names():
        last_import = db.execute("SELECT max(id), max(finished_at) FROM imports").fetchone()
    return (CACHE_VERSION, __version__, count, total_length, lowest, highest, tuple(last_import or ()))


def cache_path(directory: Any) -> Path:
    resolved = str(Path(directory.path).resolve())
    digest = hashlib.sha1(resolved.encode("utf-8")).hexdigest()[:16]
    return user_data_dir() / "cache" / f"lookup-index-{digest}.pickle"


def load_cached_index(directory: Any, signature: tuple) -> BranchIndex | None:
    """Return the cached index of ``directory`` when its signature matches, else None."""
    path = cache_path(directory)
    if not path.is_file():
        return None
    started = time.perf_counter()
    try:
        with path.open("rb") as handle:
            stored = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError) as error:
        logger.warning("ignored the unreadable lookup index cache %s: %s", path, error)
        return None
    if not isinstance(stored, dict) or stored.get("signature") != signature:
        logger.info("the lookup index cache %s is stale; rebuilding", path)
        return None
    logger.info("loaded the lookup index from %s in %.2f s", path, time.perf_counter() - started)
    return stored["index"]


def save_index(directory: Any, signature: tuple, index: BranchIndex) -> None:
    """Write the index to the cache atomically; a failure is logged and otherwise ignored."""
    path = cache_path(directory)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as handle:
            pickle.dump({"signature": signature, "index": index}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError as error:
        logger.warning("could not write the lookup index cache %s: %s", path, error)
        temporary.unlink(missing_ok=True)
