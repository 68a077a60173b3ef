"""Exceptions raised by core.

Messages are English and name the bad value and the fix. The CLI and the GUI turn
each class into Simplified Chinese through ``core.i18n.describe_error``, which fills
the catalogue text with the keyword arguments stored in ``params``.
"""

from __future__ import annotations

from typing import Any


class BankcodeError(Exception):
    """Base class of every error this product reports to a user."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.params: dict[str, Any] = params


class Cancelled(BankcodeError):
    """A long job stopped because the user cancelled it; callers show nothing."""

    def __init__(self, message: str = "cancelled by the user") -> None:
        super().__init__(message)


class InvalidQueryError(BankcodeError):
    """A lookup query that cannot be searched, such as an empty one."""


class ImportFileError(BankcodeError):
    """A directory file that cannot be imported at all; the database is unchanged."""


class DatabaseError(BankcodeError):
    """The directory database cannot be opened, written or migrated."""


class ModelError(BankcodeError):
    """An NER model folder, GGUF file or model registry that cannot be used."""


class TrainingError(BankcodeError):
    """Training, export or evaluation of a new model failed; the active model is unchanged."""


class DatasetError(BankcodeError):
    """A training data folder that is missing, empty or malformed."""


class FeedbackError(BankcodeError):
    """A corrections file or correction that cannot be applied."""


class BatchFileError(BankcodeError):
    """A batch lookup file that cannot be read or written, or lacks the chosen column."""
