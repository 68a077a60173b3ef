"""The generation stages of a dataset: rule variants for every branch, then LLM variants.

``generate_samples`` reads the branches of a directory, builds one profile per branch,
runs the rule generators, and optionally runs a GGUF model on a seeded sample of
branches. It returns the samples with what the manifest needs; writing them is
``dataset.py``'s job.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.augment.align import VariantAligner
from core.augment.gguf import default_model_path
from core.augment.llm import LLMReport, VariantModel, branch_seed, generate_llm_samples, pick_llm_branches
from core.augment.options import AugmentOptions
from core.augment.profile import BranchProfile, ProfileBuilder
from core.augment.prompts import load_prompts
from core.augment.rules import rule_samples
from core.augment.samples import Sample
from core.errors import DatasetError
from core.jobs import Progress
from core.names.gazetteer import Gazetteer, read_city_table
from core.text.banks import GENERIC_BANK_WORDS, single_bank_aliases
from core.text.normalize import LEGAL_SUFFIXES

if TYPE_CHECKING:
    from core.store import Directory

logger = logging.getLogger(__name__)

# Rule generation reports progress every this many branches; per branch would cost more
# in locking than the generation itself.
_PROGRESS_EVERY = 200


@dataclass(frozen=True)
class BranchRecord:
    """The columns of one directory row that generation reads."""

    cnaps_code: str
    name: str
    city_name: str
    province_name: str
    legal_name: str


@dataclass
class GenerationResult:
    samples: list[Sample]
    names: dict[str, str]  # cnaps_code -> official name, for the readable export
    directory_branch_count: int
    rules_seconds: float
    # CPU seconds of the rule stage; on a shared machine the better measure of its speed.
    rules_cpu_seconds: float
    rule_sample_count: int
    llm: LLMReport | None


def read_branches(directory: Directory, limit: int | None = None, seed: int = 0) -> list[BranchRecord]:
    """Read the branches of a ``core.store.Directory`` in code order.

    With ``limit``, return a seeded sample of that many branches spread over the
    banks (see ``spread_over_banks``), since the first codes all belong to one bank.
    """
    sql = "SELECT cnaps_code, name, city_name, province_name, legal_name FROM branches ORDER BY cnaps_code"
    branches = [
        BranchRecord(code, name, city or "", province or "", legal or "")
        for code, name, city, province, legal in directory.db.execute(sql)
    ]
    if limit is None or limit >= len(branches):
        return branches
    return spread_over_banks(branches, limit, seed)


def spread_over_banks(branches: list[BranchRecord], limit: int, seed: int) -> list[BranchRecord]:
    """Return ``limit`` branches sampled in proportion to each bank's size, in code order.

    Each bank's branches are shuffled and ranked by their position divided by the
    bank's size, so every bank gets its first branch before any gets a second
    (when ``limit`` allows) and larger banks get proportionally more.
    """
    rng = random.Random(seed)
    by_bank: dict[str, list[BranchRecord]] = {}
    for branch in branches:
        by_bank.setdefault(branch.cnaps_code[:3], []).append(branch)
    ranked = []
    for bank in sorted(by_bank):
        members = by_bank[bank]
        rng.shuffle(members)
        ranked.extend(
            (position / len(members), rng.random(), branch) for position, branch in enumerate(members)
        )
    ranked.sort(key=lambda item: item[:2])
    return sorted((branch for _, _, branch in ranked[:limit]), key=lambda branch: branch.cnaps_code)


def generate_samples(
    directory: Directory, options: AugmentOptions, progress: Progress | None = None
) -> GenerationResult:
    """Run the rule stage and, when enabled, the LLM stage over the directory's branches."""
    branches = read_branches(directory, options.max_branches, options.seed)
    if not branches:
        raise DatasetError("the directory has no branches; import a directory file first")
    branch_count = directory.count()

    gazetteer = Gazetteer.build(read_city_table(), (branch.name for branch in branches))
    builder = ProfileBuilder(gazetteer)
    profiles, samples, rules_seconds, rules_cpu_seconds = _rule_stage(branches, builder, options, progress)
    rule_sample_count = len(samples)

    report = None
    if options.llm_enabled:
        aligner = VariantAligner(known_names(gazetteer, branches))
        llm_samples, report = _llm_stage(profiles, samples, aligner, options, progress)
        samples.extend(llm_samples)

    return GenerationResult(
        samples=samples,
        names={branch.cnaps_code: branch.name for branch in branches},
        directory_branch_count=branch_count,
        rules_seconds=rules_seconds,
        rules_cpu_seconds=rules_cpu_seconds,
        rule_sample_count=rule_sample_count,
        llm=report,
    )


def _rule_stage(
    branches: list[BranchRecord], builder: ProfileBuilder, options: AugmentOptions, progress: Progress | None
) -> tuple[list[BranchProfile], list[Sample], float, float]:
    if progress is not None:
        progress.start_stage("rules", total=len(branches))
    started = time.perf_counter()
    cpu_started = time.thread_time()
    profiles: list[BranchProfile] = []
    samples: list[Sample] = []
    for index, branch in enumerate(branches, start=1):
        profile = builder.build(branch.cnaps_code, branch.name, branch.city_name, branch.province_name)
        profiles.append(profile)
        rng = random.Random(branch_seed(options.seed, branch.cnaps_code))
        samples.extend(rule_samples(profile, options.per_branch, options.kinds, rng))
        if progress is not None and index % _PROGRESS_EVERY == 0:
            progress.set_done(index)
    seconds = time.perf_counter() - started
    cpu_seconds = time.thread_time() - cpu_started
    if progress is not None:
        progress.set_done(len(branches))
    logger.info(
        "rules: %d samples for %d branches in %.2f s, %.2f CPU s (%.0f samples/s)",
        len(samples),
        len(branches),
        seconds,
        cpu_seconds,
        len(samples) / seconds if seconds else 0.0,
    )
    return profiles, samples, seconds, cpu_seconds


def load_variant_model(options: AugmentOptions) -> VariantModel:
    """Load the GGUF model and prompts that ``options`` name (the bundled model when none is set)."""
    prompts = load_prompts(options.prompts_path)
    model_path = Path(options.llm_model_path) if options.llm_model_path else default_model_path()
    return VariantModel(
        model_path,
        prompts,
        n_threads=options.n_threads,
        n_ctx=options.n_ctx,
        seed=options.seed,
        max_tokens=options.llm_max_tokens,
    )


def _llm_stage(
    profiles: list[BranchProfile],
    rule_samples_so_far: list[Sample],
    aligner: VariantAligner,
    options: AugmentOptions,
    progress: Progress | None,
) -> tuple[list[Sample], LLMReport]:
    model = load_variant_model(options)

    # Head offices have no branch name to align, so every variant of theirs would be rejected.
    eligible = {profile.cnaps_code: profile for profile in profiles if not profile.is_head_office}
    chosen = pick_llm_branches(list(eligible), options.llm_branches, options.seed)
    existing: dict[str, set[str]] = {}
    for sample in rule_samples_so_far:
        existing.setdefault(sample["cnaps_code"], set()).add(sample["text"])
    try:
        return generate_llm_samples(
            [(code, eligible[code].forms(), eligible[code].prompt_fields()) for code in chosen],
            model,
            aligner,
            existing,
            seed=options.seed,
            time_budget_s=options.llm_time_budget_s,
            progress=progress,
        )
    finally:
        model.close()


def known_names(gazetteer: Gazetteer, branches: list[BranchRecord]) -> dict[str, str]:
    """Every bank and place name the aligner should recognize as naming something.

    Banks: the bank table's names and short names, its generic words (农商行, 信用社),
    and the legal names found in the directory without their suffix. Places: every
    form in the gazetteer. A string that is both keeps its bank label.
    """
    names = dict.fromkeys(gazetteer.forms, "LOC")
    bank_names = set(single_bank_aliases()) | set(GENERIC_BANK_WORDS)
    for branch in branches:
        legal = branch.legal_name
        for suffix in LEGAL_SUFFIXES:
            if legal.endswith(suffix):
                legal = legal[: -len(suffix)]
                break
        if legal:
            bank_names.add(legal)
    names.update(dict.fromkeys(bank_names, "BANK"))
    return names
