"""Training samples generated around corrected queries.

For each active correction the samples are:

* the corrected query itself, labelled by aligning it to the chosen branch;
* the confusable branches (the engine's wrong answer and the other candidates it
  logged for that query) written the same way as the query: each labelled part of
  the query is replaced by the confusable branch's part of the same kind and length
  class (a short bank name by its short bank name, a bare branch name by its bare
  branch name), so the model sees both spellings side by side;
* rule variants of the chosen and the confusable branches;
* LLM variants of those branches when the LLM stage is enabled.

Each sample carries ``weight``: how many times it goes into the training split.
"""

from __future__ import annotations

import json
import logging
import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

from core.augment.align import VariantAligner
from core.augment.generate import BranchRecord, known_names, load_variant_model
from core.augment.llm import branch_seed, generate_llm_samples
from core.augment.options import AugmentOptions
from core.augment.profile import BranchProfile, ProfileBuilder
from core.augment.rules import rule_samples
from core.augment.samples import Sample, Segment, make_sample, segments_of
from core.feedback.record import alias_key, list_corrections
from core.jobs import Progress, check
from core.names.gazetteer import Gazetteer, read_city_table

logger = logging.getLogger(__name__)

KIND_CORRECTED = "corrected"
KIND_CONFUSABLE = "confusable"


@dataclass(frozen=True)
class FeedbackSampleOptions:
    """How many samples to write around each correction and how much they weigh."""

    augment: AugmentOptions = AugmentOptions(use_llm=False)
    # Training-split repetitions of the query and its confusable rewritings, per correction of that text.
    query_weight: int = 8
    # Repetitions of the rule and LLM variants of the branches involved.
    variant_weight: int = 2
    # Logged candidates, besides the engine's answer, that count as confusable.
    logged_confusables: int = 2


@dataclass(frozen=True)
class CorrectionCase:
    """One corrected text: the right branch, the branches it was confused with, and how often."""

    query: str
    chosen_code: str
    confusable_codes: tuple[str, ...]
    count: int


def correction_cases(directory: Any, logged_confusables: int = 2) -> list[CorrectionCase]:
    """Group the active corrections by normalized text; confirmations count only as weight."""
    grouped: dict[str, list[Any]] = {}
    for row in reversed(list_corrections(directory)):
        grouped.setdefault(alias_key(row.query), []).append(row)
    cases = []
    for key, rows in grouped.items():
        latest = rows[-1]
        if directory.get(latest.chosen_code) is None:
            # A later directory import removed the branch; its alias is ignored as well.
            logger.info(
                "skipping correction %r: %s is no longer in the directory", latest.query, latest.chosen_code
            )
            continue
        confusable: list[str] = []
        for row in rows:
            if row.previous_code and row.previous_code != latest.chosen_code:
                confusable.append(row.previous_code)
        confusable.extend(_logged_candidates(directory, key, latest.chosen_code, logged_confusables))
        known = [code for code in dict.fromkeys(confusable) if directory.get(code) is not None]
        cases.append(CorrectionCase(latest.query, latest.chosen_code, tuple(known), len(rows)))
    return cases


def feedback_samples(
    directory: Any,
    cases: list[CorrectionCase],
    options: FeedbackSampleOptions,
    progress: Progress | None = None,
) -> list[Sample]:
    """Generate the weighted samples around ``cases``; see the module docstring."""
    codes = sorted({code for case in cases for code in (case.chosen_code, *case.confusable_codes)})
    branches = [_record(directory, code) for code in codes]
    gazetteer = Gazetteer.build(read_city_table(), (branch.name for branch in branches))
    builder = ProfileBuilder(gazetteer)
    profiles = {
        branch.cnaps_code: builder.build(
            branch.cnaps_code, branch.name, branch.city_name, branch.province_name
        )
        for branch in branches
    }
    aligner = VariantAligner(known_names(gazetteer, _all_branches(directory)))
    if progress is not None:
        progress.start_stage("feedback_samples", total=len(cases))

    samples: list[Sample] = []
    seen: set[tuple[str, str]] = set()

    def add(sample: Sample, weight: int) -> None:
        if (sample["text"], sample["cnaps_code"]) in seen:
            return
        seen.add((sample["text"], sample["cnaps_code"]))
        samples.append({**sample, "weight": weight})  # type: ignore[typeddict-unknown-key]

    for case in cases:
        check(progress)
        chosen = profiles[case.chosen_code]
        query_weight = options.query_weight * case.count
        alignment = aligner.align(case.query, chosen.forms())
        if alignment.accepted:
            corrected: Sample = {
                "text": alignment.text,
                "labels": list(alignment.labels),
                "cnaps_code": case.chosen_code,
                "kind": KIND_CORRECTED,
                "source": "feedback",
            }
            add(corrected, query_weight)
            for code in case.confusable_codes:
                rewritten = restyle(corrected, chosen, profiles[code])
                if rewritten is not None:
                    add(rewritten, query_weight)
        else:
            logger.info(
                "corrected query %r does not align to %s (%s)", case.query, chosen.name, alignment.reason
            )
        for code in (case.chosen_code, *case.confusable_codes):
            rng = random.Random(branch_seed(options.augment.seed, code))
            for sample in rule_samples(
                profiles[code], options.augment.per_branch, options.augment.kinds, rng
            ):
                add(sample, options.variant_weight)
        if progress is not None:
            progress.advance()

    if options.augment.llm_enabled:
        for sample in _llm_samples(profiles, aligner, samples, options.augment, progress):
            add(sample, options.variant_weight)
    logger.info(
        "feedback samples: %d for %d corrected texts (%s)",
        len(samples),
        len(cases),
        dict(Counter(sample["kind"] for sample in samples)),
    )
    return samples


def restyle(sample: Sample, source: BranchProfile, target: BranchProfile) -> Sample | None:
    """Write ``target`` the way ``sample`` writes ``source``; None when a part has no counterpart."""
    segments: list[Segment] = []
    for piece, label in segments_of(sample):
        if label is None:
            segments.append((piece, None))
            continue
        replacement = _counterpart(piece, label, source, target)
        if not replacement:
            return None
        segments.append((replacement, label))
    rewritten = make_sample(segments, target.cnaps_code, KIND_CONFUSABLE, "feedback")
    return rewritten if rewritten["text"] != sample["text"] else None


def _counterpart(piece: str, label: str, source: BranchProfile, target: BranchProfile) -> str:
    if label == "BANK":
        if piece == source.bank_full or not target.bank_short:
            return target.bank_full
        chinese = [name for name in target.bank_short if not name.isascii()] or list(target.bank_short)
        return min(chinese, key=lambda name: abs(len(name) - len(piece)))
    if label == "BRANCH":
        if piece == source.branch_full or not target.branch_bare:
            return target.branch_full
        return target.branch_bare
    forms = [form for place in target.places for form in place] or list(target.city)
    if not forms:
        return ""
    return min(forms, key=lambda form: abs(len(form) - len(piece)))


def _llm_samples(
    profiles: dict[str, BranchProfile],
    aligner: VariantAligner,
    existing_samples: list[Sample],
    options: AugmentOptions,
    progress: Progress | None,
) -> list[Sample]:
    model = load_variant_model(options)
    existing: dict[str, set[str]] = {}
    for sample in existing_samples:
        existing.setdefault(sample["cnaps_code"], set()).add(sample["text"])
    branches = [
        (code, profile.forms(), profile.prompt_fields())
        for code, profile in sorted(profiles.items())
        if not profile.is_head_office
    ][: options.llm_branches]
    samples, _report = generate_llm_samples(
        branches,
        model,
        aligner,
        existing,
        seed=options.seed,
        time_budget_s=options.llm_time_budget_s,
        progress=progress,
    )
    return samples


def _logged_candidates(directory: Any, key: str, chosen_code: str, limit: int) -> list[str]:
    """Return the best logged candidates of lookups of ``key`` other than the chosen code."""
    if limit <= 0:
        return []
    found: list[str] = []
    rows = directory.db.execute("SELECT query, candidates_json FROM lookup_log ORDER BY id DESC LIMIT 5000")
    for query, candidates_json in rows:
        if alias_key(query) != key:
            continue
        for candidate in json.loads(candidates_json or "[]"):
            code = candidate.get("cnaps_code")
            if code and code != chosen_code and code not in found:
                found.append(code)
        if len(found) >= limit:
            break
    return found[:limit]


def _record(directory: Any, code: str) -> BranchRecord:
    row = directory.get(code)
    return BranchRecord(row.cnaps_code, row.name, row.city_name, row.province_name, row.legal_name)


def _all_branches(directory: Any) -> list[BranchRecord]:
    from core.augment.generate import read_branches

    return read_branches(directory)
