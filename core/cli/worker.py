"""Run a long CLI job on a worker thread while the main thread shows its progress."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from core.jobs import Progress

T = TypeVar("T")


def run_in_worker(
    name: str,
    work: Callable[[], T],
    progress: Progress,
    follow: Callable[[threading.Thread, Progress], None],
) -> T:
    """Run ``work`` on a thread called ``name`` and return its result, or raise its exception.

    ``follow`` runs on the calling thread until the worker ends, so it can print
    ``progress`` and turn Ctrl-C into ``progress.cancel()``. ``work`` must open its own
    sqlite connections, because a connection belongs to the thread that opened it.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = work()
        except BaseException as error:  # handed to the main thread, which re-raises it
            outcome["error"] = error

    worker = threading.Thread(target=run, name=name, daemon=True)
    worker.start()
    follow(worker, progress)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
