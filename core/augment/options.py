"""Options of a data generation job."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

RULE_KINDS = ("official", "short", "colloquial", "incomplete", "regional", "typo", "traditional", "fullwidth")


def default_threads() -> int:
    """Half the logical cores, at least one: generation must leave the machine usable."""
    return max(1, (os.cpu_count() or 2) // 2)


@dataclass(frozen=True)
class AugmentOptions:
    """Settings of one ``build_dataset`` run.

    Rule variants cover every branch; LLM variants cover a seeded sample of
    ``llm_branches`` branches, because a CPU generates about one branch per second.
    """

    seed: int = 13
    # Rule samples per branch, spread over ``kinds``; the official name counts as one.
    per_branch: int = 8
    kinds: tuple[str, ...] = RULE_KINDS
    # A seeded sample of this many branches, spread over the banks; None means all. For quick runs.
    max_branches: int | None = None

    use_llm: bool = True
    # A GGUF file; None selects the bundled Gemma 3 270M model.
    llm_model_path: Path | None = None
    # Branches sampled for LLM variants; 0 turns the LLM off like ``use_llm=False``.
    llm_branches: int = 200
    # Wall-clock limit of the LLM stage in seconds; branches left over get rule variants only.
    llm_time_budget_s: float = 600.0
    # Tokens generated per branch; None takes ``max_tokens`` from prompts.toml.
    llm_max_tokens: int | None = None
    n_threads: int = field(default_factory=default_threads)
    # Context window: the few-shot prompt is about 250 tokens, so 1,024 leaves room.
    n_ctx: int = 1024
    # A prompts file to use in place of the packaged core/augment/prompts.toml.
    prompts_path: Path | None = None

    # Shares of branches in the dev and test splits; the rest is train.
    dev_fraction: float = 0.1
    test_fraction: float = 0.1

    def __post_init__(self) -> None:
        unknown = [kind for kind in self.kinds if kind not in RULE_KINDS]
        if unknown:
            raise ValueError(f"unknown sample kinds {unknown}; use any of {', '.join(RULE_KINDS)}")
        if self.per_branch < 1:
            raise ValueError(f"per_branch must be at least 1, got {self.per_branch}")
        if self.llm_branches < 0:
            raise ValueError(f"llm_branches must be 0 or more, got {self.llm_branches}")
        if self.n_threads < 1:
            raise ValueError(f"n_threads must be at least 1, got {self.n_threads}")
        if not (
            0 <= self.dev_fraction < 1
            and 0 <= self.test_fraction < 1
            and self.dev_fraction + self.test_fraction < 1
        ):
            raise ValueError(
                f"dev_fraction {self.dev_fraction} and test_fraction {self.test_fraction} "
                "must each be in [0, 1) and add up to less than 1"
            )

    @property
    def llm_enabled(self) -> bool:
        return self.use_llm and self.llm_branches > 0
