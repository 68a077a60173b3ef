"""Re-checking a written data folder: spans, split leakage, and LLM samples for a person to read."""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from core.augment.dataset import SPLITS
from core.augment.samples import Sample, invalid_spans
from core.errors import DatasetError


@dataclass
class CheckReport:
    """Span validity per kind, split leakage and a sample of LLM variants of one data folder."""

    path: Path
    samples: int = 0
    valid: int = 0
    total_by_kind: Counter[str] = field(default_factory=Counter)
    valid_by_kind: Counter[str] = field(default_factory=Counter)
    # (split, line number, English description) of the first broken samples.
    problems: list[tuple[str, int, str]] = field(default_factory=list)
    leaked_codes: list[str] = field(default_factory=list)  # codes found in more than one split
    llm_samples: list[Sample] = field(default_factory=list)  # a random selection to read

    def valid_share(self, kind: str) -> float:
        total = self.total_by_kind[kind]
        return self.valid_by_kind[kind] / total if total else 0.0

    @property
    def ok(self) -> bool:
        return self.valid == self.samples and not self.leaked_codes


# Broken samples listed in full; the rest are only counted.
_MAX_PROBLEMS = 20


def check_dataset(data_dir: Path, show_llm: int = 20, seed: int = 0) -> CheckReport:
    """Re-verify every span of every split in ``data_dir``; pick ``show_llm`` LLM samples at random."""
    data_dir = Path(data_dir)
    report = CheckReport(path=data_dir)
    codes_by_split: dict[str, set[str]] = {}
    llm_samples: list[Sample] = []
    found_any = False
    for split in SPLITS:
        path = data_dir / f"{split}.jsonl"
        if not path.is_file():
            continue
        found_any = True
        codes = codes_by_split.setdefault(split, set())
        for number, sample in _read_jsonl(path):
            kind = str(sample.get("kind", "?"))
            report.samples += 1
            report.total_by_kind[kind] += 1
            try:
                problems = invalid_spans(sample)
            except (KeyError, TypeError) as error:
                problems = [f"malformed label: {error!r}"]
            if problems:
                if len(report.problems) < _MAX_PROBLEMS:
                    report.problems.append((split, number, "; ".join(problems)))
            else:
                report.valid += 1
                report.valid_by_kind[kind] += 1
            codes.add(str(sample.get("cnaps_code", "")))
            if sample.get("source") == "llm":
                llm_samples.append(sample)
    if not found_any:
        raise DatasetError(
            f"{data_dir} contains no train.jsonl, dev.jsonl or test.jsonl; "
            "generate data with `bankcode augment`",
            path=str(data_dir),
        )

    seen: dict[str, str] = {}
    leaked: set[str] = set()
    for split, codes in codes_by_split.items():
        for code in codes:
            if code in seen and seen[code] != split:
                leaked.add(code)
            seen.setdefault(code, split)
    report.leaked_codes = sorted(leaked)
    report.llm_samples = random.Random(seed).sample(llm_samples, min(show_llm, len(llm_samples)))
    return report


def _read_jsonl(path: Path):
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except ValueError as error:
                raise DatasetError(
                    f"{path} line {number} is not valid JSON: {error}", path=str(path)
                ) from error
