"""The model registry: which NER model folders exist and which one is active.

Models live in folders named ``ner-<version>`` under a registry root (the user's models
folder, or any folder given to ``bankcode train --out``). The root's ``registry.json``
stores ``{"active": version, "history": [earlier active versions, oldest first]}`` and is
replaced atomically, so a reader sees the old or the new file, never half of one. The
user registry falls back to the shipped ``models/`` folder for models and for the active
version while the user has activated none.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core import paths
from core.errors import ModelError

logger = logging.getLogger(__name__)

REGISTRY_FILE = "registry.json"
FOLDER_PREFIX = "ner-"
_write_lock = threading.Lock()


@dataclass(frozen=True)
class ModelInfo:
    """A model folder known to the registry."""

    version: str
    path: Path
    created_at: str  # ISO 8601, UTC
    base: str  # pretrained folder it was fine-tuned from, "" when trained from scratch
    test_f1: float | None  # entity F1 on its data's test split, None when not evaluated
    shipped: bool  # True for a model in the read-only shipped folder
    active: bool


class ModelRegistry:
    """Model folders under ``root``, with ``fallback`` (read only) consulted after it."""

    def __init__(self, root: Path, fallback: Path | None = None) -> None:
        self.root = Path(root)
        self.fallback = Path(fallback) if fallback is not None else None

    def list_models(self) -> list[ModelInfo]:
        """Return every valid model folder, newest version first; a root model hides a shipped one."""
        active = self._active_version()
        found: dict[str, ModelInfo] = {}
        for folder_root, shipped in ((self.root, False), (self.fallback, True)):
            for path in _model_folders(folder_root):
                info = _read_info(path, shipped, active)
                if info is not None and info.version not in found:
                    found[info.version] = info
        return sorted(found.values(), key=lambda info: info.version, reverse=True)

    def active_model(self) -> ModelInfo | None:
        """Return the active model, or None when no registry names an existing model."""
        active = self._active_version()
        return next((info for info in self.list_models() if info.version == active), None)

    def activate(self, version: str) -> ModelInfo:
        """Make ``version`` the active model; the previously active one is remembered for ``rollback``."""
        info = self._find(version)
        with _write_lock:
            state = self._read_state(self.root)
            current = self._active_version()
            if current != version:
                history = [item for item in state.get("history", []) if item != version]
                if current is not None:
                    history.append(current)
                self._write_state({"active": version, "history": history})
        logger.info("activated NER model %s (previously %s)", version, current)
        return ModelInfo(**{**info.__dict__, "active": True})

    def rollback(self) -> ModelInfo:
        """Reactivate the most recent earlier active model that still exists."""
        available = {info.version: info for info in self.list_models()}
        with _write_lock:
            state = self._read_state(self.root)
            history = list(state.get("history", []))
            current = self._active_version()
            while history:
                version = history.pop()
                if version in available and version != current:
                    self._write_state({"active": version, "history": history})
                    logger.info("rolled back NER model from %s to %s", current, version)
                    return ModelInfo(**{**available[version].__dict__, "active": True})
        raise ModelError(
            "no earlier NER model to roll back to; activate a version by name instead",
            key="ner.nothing_to_roll_back",
        )

    def new_version(self) -> str:
        """Return an unused version name made of the UTC time."""
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
        version, suffix = stamp, 1
        while (self.root / f"{FOLDER_PREFIX}{version}").exists() or (
            self.root / f".staging-{version}"
        ).exists():
            suffix += 1
            version = f"{stamp}-{suffix}"
        return version

    def staging_dir(self, version: str) -> Path:
        """Return the hidden folder where a model is built; ``list_models`` ignores it."""
        return self.root / f".staging-{version}"

    def register(self, staging: Path, version: str) -> Path:
        """Move a finished model folder into place under its version name and return the new path."""
        target = self.root / f"{FOLDER_PREFIX}{version}"
        if target.exists():
            raise ModelError(f"model folder {target} already exists; choose another version")
        _fsync_tree(staging)
        os.replace(staging, target)
        _fsync_folder(self.root)
        logger.info("registered NER model %s at %s", version, target)
        return target

    def _find(self, version: str) -> ModelInfo:
        models = self.list_models()
        for info in models:
            if info.version == version:
                return info
        known = ", ".join(info.version for info in models) or "none"
        raise ModelError(
            f"NER model version {version!r} not found; available versions: {known}",
            key="ner.version_not_found",
            version=version,
            known=known,
        )

    def _active_version(self) -> str | None:
        for folder_root in (self.root, self.fallback):
            if folder_root is None:
                continue
            active = self._read_state(folder_root).get("active")
            if active:
                return str(active)
        return None

    @staticmethod
    def _read_state(folder_root: Path) -> dict[str, Any]:
        path = folder_root / REGISTRY_FILE
        if not path.is_file():
            return {}
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ModelError(
                f"model registry {path} cannot be read ({error}); delete it to start afresh"
            ) from error
        if not isinstance(state, dict):
            raise ModelError(f"model registry {path} is not a JSON object; delete it to start afresh")
        return state

    def _write_state(self, state: dict[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".registry-", suffix=".json", dir=self.root)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(state, stream, ensure_ascii=False, indent=2)
                stream.write("\n")
                stream.flush()
                os.fsync(stream.fileno())
            # mkstemp creates the file readable by its owner only; a shipped registry must be readable by all.
            os.chmod(temporary, 0o644)
            os.replace(temporary, self.root / REGISTRY_FILE)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _fsync_tree(folder: Path) -> None:
    """Flush every file under ``folder`` to disk, so a power cut after the rename finds whole files."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    for path in [folder, *(item for item in folder.rglob("*") if item.is_dir())]:
        _fsync_folder(path)


def _fsync_folder(folder: Path) -> None:
    # POSIX only: Windows cannot open a folder to fsync it.
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def default_registry() -> ModelRegistry:
    """Return the user's registry, falling back to the models shipped with the product."""
    return ModelRegistry(paths.user_models_dir(), paths.SHIPPED_MODELS)


def list_models() -> list[ModelInfo]:
    return default_registry().list_models()


def active_model() -> ModelInfo | None:
    return default_registry().active_model()


def activate(version: str) -> ModelInfo:
    return default_registry().activate(version)


def rollback() -> ModelInfo:
    return default_registry().rollback()


def _model_folders(folder_root: Path | None) -> list[Path]:
    if folder_root is None or not folder_root.is_dir():
        return []
    return [path for path in folder_root.iterdir() if path.is_dir() and path.name.startswith(FOLDER_PREFIX)]


def _read_info(path: Path, shipped: bool, active: str | None) -> ModelInfo | None:
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        logger.warning("skipping model folder %s: config.json cannot be read (%s)", path, error)
        return None
    if not (path / "ct2" / "model.bin").is_file() or not (path / "head.npz").is_file():
        logger.warning("skipping model folder %s: ct2/model.bin or head.npz is missing", path)
        return None
    test_f1 = None
    metrics_file = path / "metrics.json"
    if metrics_file.is_file():
        try:
            test_f1 = json.loads(metrics_file.read_text(encoding="utf-8")).get("test", {}).get("f1")
        except (OSError, ValueError):
            logger.warning("ignoring unreadable %s", metrics_file)
    version = str(config.get("version") or path.name.removeprefix(FOLDER_PREFIX))
    return ModelInfo(
        version=version,
        path=path,
        created_at=str(config.get("created_at", "")),
        base=str(config.get("base", "")),
        test_f1=test_f1,
        shipped=shipped,
        active=version == active,
    )
