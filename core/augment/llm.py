"""LLM variants: a local GGUF model writes phrasings of branch names, the aligner filters them.

The model is loaded once per job through llama-cpp-python. A base model without a
chat template (the bundled Gemma 3 270M) continues a few-shot list. A model with a
chat template gets a system and a user message. Both prompts live in
``prompts.toml``. Each output line is aligned to the branch (``align.py``); only
lines that name nothing but the branch's own bank, places and branch are kept, and
the alignment gives their spans. Generation is seeded per branch, so one branch's
output does not depend on which branches ran before it.
"""

from __future__ import annotations

import logging
import random
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.augment.align import REJECT_DUPLICATE, Alignment, BranchForms, VariantAligner
from core.augment.gguf import GGUFInfo, describe, has_chat_template, load_llama
from core.augment.prompts import PromptFields, PromptSet, parse_variants
from core.augment.samples import Sample
from core.errors import Cancelled
from core.jobs import Progress

logger = logging.getLogger(__name__)

PROMPT_STYLE_COMPLETION = "completion"
PROMPT_STYLE_CHAT = "chat"


@dataclass
class LLMReport:
    """Counts and timings of one LLM generation stage, recorded in the dataset manifest."""

    model_file: str
    model_sha256: str
    prompt_style: str
    prompt_version: str
    n_threads: int
    branches_planned: int = 0
    branches_done: int = 0
    candidates: int = 0
    accepted: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    generation_s: float = 0.0
    # CPU seconds of this process during generation, all threads together. On a shared
    # machine wall time says more about the neighbours than about the model.
    cpu_s: float = 0.0
    stopped_early: str = ""  # "time_budget" when the budget ran out before every branch was done

    @property
    def acceptance_rate(self) -> float:
        return self.accepted / self.candidates if self.candidates else 0.0

    @property
    def completion_tokens_per_s(self) -> float:
        return self.completion_tokens / self.generation_s if self.generation_s else 0.0

    @property
    def completion_tokens_per_cpu_s(self) -> float:
        return self.completion_tokens / self.cpu_s if self.cpu_s else 0.0

    @property
    def accepted_per_minute(self) -> float:
        return self.accepted * 60 / self.generation_s if self.generation_s else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "model_file": self.model_file,
            "model_sha256": self.model_sha256,
            "prompt_style": self.prompt_style,
            "prompt_version": self.prompt_version,
            "n_threads": self.n_threads,
            "branches_planned": self.branches_planned,
            "branches_done": self.branches_done,
            "candidates": self.candidates,
            "accepted": self.accepted,
            "rejected": dict(sorted(self.rejected.items())),
            "acceptance_rate": round(self.acceptance_rate, 4),
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "generation_s": round(self.generation_s, 2),
            "completion_tokens_per_s": round(self.completion_tokens_per_s, 2),
            "cpu_s": round(self.cpu_s, 2),
            "completion_tokens_per_cpu_s": round(self.completion_tokens_per_cpu_s, 2),
            "accepted_per_minute": round(self.accepted_per_minute, 2),
            "stopped_early": self.stopped_early,
        }


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int


class VariantModel:
    """A loaded GGUF model that writes raw variant text for official names."""

    def __init__(
        self,
        model_path: Path,
        prompts: PromptSet,
        n_threads: int,
        n_ctx: int,
        seed: int,
        max_tokens: int | None = None,
    ) -> None:
        self.info: GGUFInfo = describe(model_path)
        self.prompts = prompts
        self.n_threads = n_threads
        self.max_tokens = max_tokens or prompts.generation.max_tokens
        self._llm = load_llama(model_path, n_threads=n_threads, n_ctx=n_ctx, seed=seed)
        self.prompt_style = PROMPT_STYLE_CHAT if has_chat_template(self._llm) else PROMPT_STYLE_COMPLETION

    def complete(
        self, fields: PromptFields, seed: int, should_stop: Callable[[], bool] = lambda: False
    ) -> Completion:
        """Generate variants of one branch; stop early, keeping what was written, once ``should_stop()``.

        Tokens are streamed so that a cancel or an exhausted time budget takes effect
        within one token, even with a large model.
        """
        settings = self.prompts.generation
        sampling = {
            "max_tokens": self.max_tokens,
            "temperature": settings.temperature,
            "top_p": settings.top_p,
            "top_k": settings.top_k,
            "repeat_penalty": settings.repeat_penalty,
            "seed": seed,
            "stream": True,
        }
        if self.prompt_style == PROMPT_STYLE_CHAT:
            # NOTE: this branch has not been run against a real chat model; only the
            # bundled base model was available when it was written.
            messages = self.prompts.chat_messages(fields)
            prompt_tokens = sum(len(self._llm.tokenize(message["content"].encode())) for message in messages)
            stream = self._llm.create_chat_completion(messages=messages, **sampling)
            pieces = (chunk["choices"][0]["delta"].get("content") or "" for chunk in stream)
        else:
            prompt = self.prompts.completion_prompt(fields)
            prompt_tokens = len(self._llm.tokenize(prompt.encode()))
            stream = self._llm.create_completion(prompt, stop=list(self.prompts.completion_stop), **sampling)
            pieces = (chunk["choices"][0]["text"] for chunk in stream)
        return _collect(pieces, prompt_tokens, should_stop)

    def close(self) -> None:
        """Free the model's memory now instead of at garbage collection."""
        self._llm.close()


def _collect(pieces: Iterator[str], prompt_tokens: int, should_stop: Callable[[], bool]) -> Completion:
    text: list[str] = []
    tokens = 0
    for piece in pieces:
        text.append(piece)
        tokens += 1
        if should_stop():
            break
    return Completion("".join(text), prompt_tokens, tokens)


def branch_seed(seed: int, cnaps_code: str) -> int:
    """Derive a per-branch seed that depends only on the job seed and the code."""
    return zlib.crc32(f"{seed}:{cnaps_code}".encode()) & 0x7FFFFFFF


def classify(alignment: Alignment, forms: BranchForms) -> str:
    """Name the sample kind an accepted variant belongs to, for per-kind statistics."""
    labels = [label["label"] for label in alignment.labels]
    if alignment.typo:
        return "typo"
    if "BANK" not in labels or ("LOC" not in labels and forms.places):
        return "incomplete"
    if labels[0] != "BANK":
        return "colloquial"
    return "short"


def generate_llm_samples(
    branches: Sequence[tuple[str, BranchForms, PromptFields]],
    model: VariantModel,
    aligner: VariantAligner,
    existing_texts: dict[str, set[str]],
    seed: int,
    time_budget_s: float,
    progress: Progress | None = None,
) -> tuple[list[Sample], LLMReport]:
    """Generate, align and deduplicate LLM variants for ``branches`` ((cnaps_code, forms, fields) triples).

    ``existing_texts`` maps each code to the texts it already has (the rule variants);
    accepted variants are added to it. Stops at the time budget, returning what was
    accepted so far; raises ``Cancelled`` when ``progress`` is cancelled.
    """
    report = LLMReport(
        model_file=model.info.file_name,
        model_sha256=model.info.sha256,
        prompt_style=model.prompt_style,
        prompt_version=model.prompts.version,
        n_threads=model.n_threads,
        branches_planned=len(branches),
    )
    if progress is not None:
        progress.start_stage("llm", total=len(branches))
    samples: list[Sample] = []
    started = time.monotonic()
    cpu_started = time.process_time()
    deadline = started + time_budget_s

    def should_stop() -> bool:
        return time.monotonic() > deadline or (progress is not None and progress.cancelled)

    for cnaps_code, forms, fields in branches:
        if time.monotonic() > deadline:
            report.stopped_early = "time_budget"
            break
        completion = model.complete(fields, branch_seed(seed, cnaps_code), should_stop)
        if progress is not None and progress.cancelled:
            raise Cancelled()
        report.prompt_tokens += completion.prompt_tokens
        report.completion_tokens += completion.completion_tokens
        seen = existing_texts.setdefault(cnaps_code, set())
        for variant in parse_variants(completion.text):
            report.candidates += 1
            alignment = aligner.align(variant, forms)
            if alignment.accepted and alignment.text in seen:
                alignment = Alignment(alignment.text, reason=REJECT_DUPLICATE)
            if not alignment.accepted:
                report.rejected[alignment.reason] += 1
                logger.debug("rejected %r for %s: %s", variant, cnaps_code, alignment.reason)
                continue
            seen.add(alignment.text)
            report.accepted += 1
            samples.append(
                {
                    "text": alignment.text,
                    "labels": list(alignment.labels),
                    "cnaps_code": cnaps_code,
                    "kind": classify(alignment, forms),
                    "source": "llm",
                }
            )
        report.branches_done += 1
        if progress is not None:
            progress.advance()

    report.generation_s = time.monotonic() - started
    report.cpu_s = time.process_time() - cpu_started
    logger.info(
        "LLM: %d branches in %.1f s, %d of %d variants accepted (%.0f%%), %.1f tokens/s",
        report.branches_done,
        report.generation_s,
        report.accepted,
        report.candidates,
        report.acceptance_rate * 100,
        report.completion_tokens_per_s,
    )
    return samples, report


def pick_llm_branches(codes: Sequence[str], count: int, seed: int) -> list[str]:
    """Choose ``count`` codes for LLM generation, the same ones for the same seed and codes."""
    ordered = sorted(codes)
    if count >= len(ordered):
        return ordered
    return sorted(random.Random(seed).sample(ordered, count))
