"""The installation self-test behind ``bankcode selftest`` and ``bankcode-gui --selftest``.

It runs the product's parts once, in the order a clerk's first lookup needs them.
It opens the directory database, looks up a demo branch and compares its 联行号,
loads the active NER model and tags a query, then loads the GGUF (assembling it if
needed) and completes a short prompt. Each step is checked on its own, so one report names every
part that failed. No Qt here: the desktop entry adds its Qt check through
``extra_checks``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core import __version__
from core.i18n import describe_error, has, tr

logger = logging.getLogger(__name__)

# A demo branch written the way clerks type it (traditional characters, no legal
# suffix). The lookup engine returns it with confidence 1.0 from the demo directory.
DEMO_QUERY = "中國銀行石家莊師範街支行"
DEMO_CODE = "104121006139"
NER_QUERY = "中国银行石家庄师范街支行"
LLM_PROMPT = "中国人民银行是"
LLM_MAX_TOKENS = 8
LLM_CONTEXT = 256

# An extra check returns its Chinese success line or raises; the desktop adds "qt".
ExtraCheck = tuple[str, Callable[[], str]]


@dataclass(frozen=True)
class SelftestOptions:
    """Settings of one self-test run."""

    # Directory database to open; None opens the user's (under BANKCODE_HOME when set).
    db_path: Path | None = None
    # Load the GGUF and complete a prompt; the slowest step (seconds, and the first
    # run in a new data folder assembles the model file).
    llm: bool = True
    # CPU threads for the NER model and llama.cpp.
    threads: int = 2


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one self-test step."""

    name: str  # "database", "lookup", "ner", "llm", or an extra check's name
    ok: bool
    message: str  # Chinese: what was checked, or why it failed
    elapsed_s: float


@dataclass
class SelftestReport:
    """Every step's outcome and the versions of the parts that ran."""

    checks: list[CheckResult] = field(default_factory=list)
    # Chinese label -> version text, in display order.
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def failed(self) -> list[str]:
        return [check.name for check in self.checks if not check.ok]

    def lines(self) -> list[str]:
        """Return the Chinese report, one line per check and per version, ending with the verdict."""
        lines = [tr("selftest.title")]
        for check in self.checks:
            key = "selftest.check_ok" if check.ok else "selftest.check_failed"
            lines.append(tr(key, step=_step_name(check.name), message=check.message, seconds=check.elapsed_s))
        lines.append(tr("selftest.versions"))
        lines.extend(
            tr("selftest.version_line", label=label, value=value) for label, value in self.versions.items()
        )
        if self.ok:
            lines.append(tr("selftest.passed"))
        else:
            lines.append(tr("selftest.failed", steps="、".join(_step_name(name) for name in self.failed)))
        return lines


class CheckFailed(Exception):
    """A step ran but its result was wrong; the message is the Chinese line to show."""


def run_selftest(
    options: SelftestOptions | None = None,
    extra_checks: Sequence[ExtraCheck] = (),
    extra_versions: dict[str, str] | None = None,
) -> SelftestReport:
    """Run every step and return the report; a failed step is recorded in the report, not raised."""
    options = options or SelftestOptions()
    report = SelftestReport()
    report.versions.update(_base_versions())
    state: dict[str, Any] = {}
    started = time.monotonic()

    steps: list[ExtraCheck] = [
        ("database", lambda: _check_database(options, state, report.versions)),
        ("lookup", lambda: _check_lookup(state)),
        ("ner", lambda: _check_ner(options, report.versions)),
    ]
    if options.llm:
        steps.append(("llm", lambda: _check_llm(options, report.versions)))
    steps.extend(extra_checks)
    try:
        for name, check in steps:
            report.checks.append(_run_step(name, check))
    finally:
        directory = state.get("directory")
        if directory is not None:
            directory.close()

    report.versions.update(extra_versions or {})
    logger.info(
        "self-test %s in %.1f s%s",
        "passed" if report.ok else "failed",
        time.monotonic() - started,
        "" if report.ok else f": {', '.join(report.failed)}",
    )
    return report


@contextlib.contextmanager
def temporary_home() -> Iterator[Path]:
    """Point ``BANKCODE_HOME`` at a new temporary folder while the block runs, then delete it."""
    previous = os.environ.get("BANKCODE_HOME")
    home = Path(tempfile.mkdtemp(prefix="bankcode-selftest-"))
    os.environ["BANKCODE_HOME"] = str(home)
    try:
        yield home
    finally:
        if previous is None:
            os.environ.pop("BANKCODE_HOME", None)
        else:
            os.environ["BANKCODE_HOME"] = previous
        # On Windows llama.cpp may still map the GGUF; a leftover temp folder is harmless.
        shutil.rmtree(home, ignore_errors=True)


def build_info() -> dict[str, Any]:
    """Return the stamp of a frozen build (version, commit, build time); empty in a checkout."""
    try:
        import bankcode_build_info  # written by build/build_app.py into the bundle only
    except ImportError:
        return {}
    return {
        "version": bankcode_build_info.VERSION,
        "commit": bankcode_build_info.COMMIT,
        "built_at": bankcode_build_info.BUILT_AT,
        "with_training": bankcode_build_info.WITH_TRAINING,
    }


def _run_step(name: str, check: Callable[[], str]) -> CheckResult:
    started = time.monotonic()
    try:
        message = check()
        ok = True
    except CheckFailed as failure:
        message, ok = str(failure), False
        logger.error("self-test step %s failed: %s", name, failure)
    except Exception as error:  # the self-test reports any failure instead of stopping at it
        message, ok = describe_error(error), False
        logger.exception("self-test step %s failed", name)
    elapsed = time.monotonic() - started
    logger.info("self-test step %s %s in %.2f s", name, "passed" if ok else "failed", elapsed)
    return CheckResult(name, ok, message, elapsed)


def _check_database(options: SelftestOptions, state: dict[str, Any], versions: dict[str, str]) -> str:
    from core.store import open_directory

    directory = open_directory(options.db_path)
    state["directory"] = directory
    count = directory.count()
    size_mb = directory.path.stat().st_size / 1e6
    versions[tr("selftest.label_directory")] = tr("selftest.directory_value", count=count, size_mb=size_mb)
    if count == 0:
        raise CheckFailed(tr("selftest.database_empty", path=str(directory.path)))
    return tr("selftest.database_ok", count=count, path=str(directory.path))


def _check_lookup(state: dict[str, Any]) -> str:
    """Look up the demo branch; a directory without it (the user replaced the demo) looks up its first row."""
    directory = state.get("directory")
    if directory is None:
        raise CheckFailed(tr("selftest.skipped_no_database"))
    from core.lookup.engine import LookupEngine

    engine = LookupEngine(directory)
    query, expected = DEMO_QUERY, DEMO_CODE
    if directory.get(DEMO_CODE) is None:
        row = directory.db.execute(
            "SELECT cnaps_code, name FROM branches ORDER BY cnaps_code LIMIT 1"
        ).fetchone()
        expected, query = row[0], row[1]
    result = engine.lookup(query)
    found = result.answer.cnaps_code if result.answer is not None else ""
    if found != expected:
        raise CheckFailed(tr("selftest.lookup_wrong", query=query, expected=expected, found=found or "-"))
    return tr("selftest.lookup_ok", query=query, code=found, name=result.answer.name)


def _check_ner(options: SelftestOptions, versions: dict[str, str]) -> str:
    from core.ner.registry import active_model
    from core.ner.runtime import NerModel, NerOptions

    info = active_model()
    if info is None:
        raise CheckFailed(tr("selftest.ner_none"))
    model = NerModel(info.path, NerOptions(intra_threads=options.threads))
    versions[tr("selftest.label_model")] = tr(
        "selftest.model_value",
        version=model.version,
        source=tr("selftest.model_shipped" if info.shipped else "selftest.model_user"),
    )
    entities = model.extract(NER_QUERY)
    tagged = " ".join(f"{entity.label}:{entity.text}" for entity in entities)
    if not any(entity.label == "BANK" for entity in entities):
        raise CheckFailed(tr("selftest.ner_no_bank", query=NER_QUERY, entities=tagged or "-"))
    return tr("selftest.ner_ok", version=model.version, query=NER_QUERY, entities=tagged)


def _check_llm(options: SelftestOptions, versions: dict[str, str]) -> str:
    import llama_cpp

    from core.augment.gguf import default_model_path, load_llama

    features = llama_cpp.llama_print_system_info().decode("utf-8", "replace").strip()
    versions["llama.cpp"] = f"llama-cpp-python {llama_cpp.__version__} ({features})"
    path = default_model_path()
    llm = load_llama(path, n_threads=options.threads, n_ctx=LLM_CONTEXT, seed=0)
    try:
        output = llm.create_completion(LLM_PROMPT, max_tokens=LLM_MAX_TOKENS, temperature=0.0)
    finally:
        llm.close()
    tokens = int(output["usage"]["completion_tokens"])
    text = output["choices"][0]["text"].strip().replace("\n", " ")
    versions[tr("selftest.label_gguf")] = f"{path.name} ({path.stat().st_size / 1e6:,.0f} MB, {path.parent})"
    if tokens == 0:
        raise CheckFailed(tr("selftest.llm_no_tokens", name=path.name, prompt=LLM_PROMPT))
    return tr("selftest.llm_ok", name=path.name, prompt=LLM_PROMPT, text=text, tokens=tokens)


def _base_versions() -> dict[str, str]:
    stamp = build_info()
    if stamp:
        app = tr(
            "selftest.app_frozen",
            version=stamp["version"],
            commit=stamp["commit"],
            built_at=stamp["built_at"],
        )
    else:
        app = tr("selftest.app_source", version=__version__)
    versions = {
        "bankcode": app,
        "Python": f"{platform.python_version()} ({platform.platform()})",
        tr("selftest.label_program"): sys.executable,
    }
    try:
        import ctranslate2

        versions["CTranslate2"] = ctranslate2.__version__
    except ImportError as error:
        versions["CTranslate2"] = tr("selftest.missing", detail=str(error))
    # Filled in by the GGUF step: llama.cpp is loaded only there, so that --no-llm works on
    # a CPU that cannot run its AVX2 build.
    versions["llama.cpp"] = tr("selftest.not_checked")
    return versions


def _step_name(name: str) -> str:
    key = f"selftest.step_{name}"
    return tr(key) if has(key) else name
