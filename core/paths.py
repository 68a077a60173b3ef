"""Where the product keeps its files.

Per-user data (the directory database, trained models, generated data, the GGUF,
logs) lives in the platform's user data folder; ``BANKCODE_HOME`` overrides it,
which the tests and a portable install use.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "bankcode"

PACKAGE_DATA = Path(__file__).resolve().parent / "data"
# Shipped models: the folder beside the package in a checkout or a frozen app.
SHIPPED_MODELS = Path(__file__).resolve().parent.parent / "models"


def user_data_dir() -> Path:
    override = os.environ.get("BANKCODE_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return user_data_dir() / "directory.sqlite"


def user_models_dir() -> Path:
    path = user_data_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def datasets_dir() -> Path:
    path = user_data_dir() / "datasets"
    path.mkdir(parents=True, exist_ok=True)
    return path


def logs_dir() -> Path:
    path = user_data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path
