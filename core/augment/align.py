"""Aligning a free-form variant to one branch: the filter and labeller of LLM output.

A variant is accepted when every character of it belongs to a mention of the
branch's own bank, places or branch name, or to filler words ("的", "那个"), and it
mentions the branch name. Mentions may be short names and may carry one typo. The
alignment gives the BANK / LOC / BRANCH spans. Any other text rejects the variant,
with the reason recorded: another bank, another place, or unexplained text.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from core.augment.charforms import fold
from core.augment.samples import Label, merge_places_into_units
from core.augment.typos import MEANINGFUL_CHARS, homophones, near_homophones, similar_shapes

# Words that may stand between mentions without naming anything.
FILLER_WORDS = ("那个", "那家", "这个", "这家", "附近", "旁边", "边上", "那边", "的", "在")
# Separators that carry no meaning in a branch mention.
FILLER_CHARS = frozenset(" \u3000()（）[]【】<>〈〉-—_·,，、./:：")

# Rejection reasons, in the order the checks run.
REJECT_EMPTY = "empty"
REJECT_TOO_LONG = "too_long"
REJECT_OFFICIAL = "same_as_official"
REJECT_OTHER_BANK = "other_bank"
REJECT_OTHER_PLACE = "other_place"
REJECT_UNALIGNED = "unaligned_text"
REJECT_NO_BRANCH = "no_branch"
REJECT_REPEATED = "repeated_mention"
REJECT_DUPLICATE = "duplicate"

# Longest line kept as a variant; longer output is a run-on, not a way to name a branch.
MAX_VARIANT_CHARS = 40


@dataclass(frozen=True)
class BranchForms:
    """The strings that count as mentions of one branch's bank, places and own name."""

    name: str  # the official name
    bank: tuple[str, ...]
    places: tuple[str, ...]
    branch: tuple[str, ...]


@dataclass(frozen=True)
class Alignment:
    """The outcome of aligning one variant: its labels, or the reason it was rejected."""

    text: str
    labels: tuple[Label, ...] = ()
    reason: str = ""  # "" when accepted; otherwise one of the REJECT_* values
    typo: bool = False  # whether a mention was matched with a typo

    @property
    def accepted(self) -> bool:
        return not self.reason


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    label: str
    typo: bool


class VariantAligner:
    """Aligns variants to branches; built once per job from the names of all banks and places.

    ``known_names`` maps each bank name or place name of the directory to "BANK" or
    "LOC". Such a name in unaligned text means the variant names another bank or
    place. A slip-tolerant match that is exactly such a name is not taken as a typo.
    """

    def __init__(self, known_names: Mapping[str, str]) -> None:
        self._known = {fold(name): label for name, label in known_names.items() if len(name) >= 2}
        self._max_known = max((len(name) for name in self._known), default=0)

    def align(self, text: str, forms: BranchForms) -> Alignment:
        stripped = text.strip()
        if not stripped:
            return Alignment(text, reason=REJECT_EMPTY)
        if len(stripped) > MAX_VARIANT_CHARS:
            return Alignment(stripped, reason=REJECT_TOO_LONG)
        folded = fold(stripped)
        if folded == fold(forms.name):
            return Alignment(stripped, reason=REJECT_OFFICIAL)

        matches = self._own_matches(folded, forms)
        covered = [False] * len(folded)
        for match in matches:
            for index in range(match.start, match.end):
                covered[index] = True
        _cover_fillers(folded, covered)

        reason = self._unaligned_reason(folded, covered)
        if reason:
            return Alignment(stripped, reason=reason)
        label_counts = Counter(match.label for match in matches)
        if not label_counts["BRANCH"]:
            return Alignment(stripped, reason=REJECT_NO_BRANCH)
        # Two places are normal ("北京海淀区"); a bank or branch named twice is a run-on.
        if label_counts["BRANCH"] > 1 or label_counts["BANK"] > 1:
            return Alignment(stripped, reason=REJECT_REPEATED)

        found: list[Label] = [
            {
                "start": match.start,
                "end": match.end,
                "label": match.label,
                "text": stripped[match.start : match.end],
            }
            for match in sorted(matches, key=lambda item: item.start)
        ]
        labels = tuple(merge_places_into_units(stripped, found))
        return Alignment(stripped, labels=labels, typo=any(match.typo for match in matches))

    def _own_matches(self, folded: str, forms: BranchForms) -> list[_Match]:
        """Pick the non-overlapping mentions that cover the most characters.

        Ties go to fewer typos, then fewer mentions, then BRANCH over BANK over LOC
        for the same span, because a place inside the branch's own name is not LOC.
        Coverage decides first so that "清远石角" reads as 清远 + 石角 and not as a
        slip of "清远市" followed by an unexplained "角".
        """
        candidates: list[_Match] = []
        for label, strings in (("BRANCH", forms.branch), ("BANK", forms.bank), ("LOC", forms.places)):
            for form in {fold(string) for string in strings if string}:
                for start, end in _exact_occurrences(folded, form):
                    candidates.append(_Match(start, end, label, False))
                # A dropped character leaves a bank name recognizable ("建设行"), but in a
                # place or branch name it often names something else ("商业街" -> "商街").
                for start, end in _typo_occurrences(folded, form, allow_drop=label == "BANK"):
                    if self._known.get(folded[start:end]) is None:
                        candidates.append(_Match(start, end, label, True))
        return _best_cover(sorted(set(candidates), key=lambda match: (match.end, match.start)))

    def _unaligned_reason(self, folded: str, covered: list[bool]) -> str:
        """Return why the uncovered characters reject the variant, or "" when none are left."""
        runs = _uncovered_runs(covered)
        if not runs:
            return ""
        found_labels = set()
        for start, end in runs:
            found_labels.update(self._known_in(folded[start:end]))
        if "BANK" in found_labels:
            return REJECT_OTHER_BANK
        if "LOC" in found_labels:
            return REJECT_OTHER_PLACE
        return REJECT_UNALIGNED

    def _known_in(self, text: str) -> Iterable[str]:
        for start in range(len(text)):
            for end in range(start + 2, min(len(text), start + self._max_known) + 1):
                label = self._known.get(text[start:end])
                if label is not None:
                    yield label


_LABEL_RANK = {"BRANCH": 0, "BANK": 1, "LOC": 2}


def _weight(match: _Match) -> int:
    # Covered characters dominate; a typo, an extra mention and the label only break ties.
    return (match.end - match.start) * 1000 - 100 * match.typo - 10 - _LABEL_RANK[match.label]


def _best_cover(matches: list[_Match]) -> list[_Match]:
    """Weighted interval scheduling over ``matches`` sorted by end: the best non-overlapping set."""
    best: list[tuple[int, list[_Match]]] = [(0, [])]  # best[i]: over the first i matches
    for index, match in enumerate(matches):
        previous = index
        while previous > 0 and matches[previous - 1].end > match.start:
            previous -= 1
        with_match = (best[previous][0] + _weight(match), [*best[previous][1], match])
        best.append(max(best[index], with_match, key=lambda item: item[0]))
    return best[-1][1]


def _exact_occurrences(text: str, form: str) -> Iterable[tuple[int, int]]:
    start = text.find(form)
    while start != -1:
        yield start, start + len(form)
        start = text.find(form, start + 1)


def _typo_occurrences(text: str, form: str, allow_drop: bool) -> Iterable[tuple[int, int]]:
    """Find the windows of ``text`` that are ``form`` with one typing slip.

    A slip is what ``typos.py`` generates: one character replaced by a homophone,
    near-homophone or similar shape, one character doubled, or, with ``allow_drop`` and
    in forms of three or more characters, one character dropped unless it is one of
    ``MEANINGFUL_CHARS``.
    Any other single edit is not accepted, because names of different banks and places
    often differ in one character ("工商银行", "浙商银行").
    """
    length = len(form)
    if length < 2:
        return
    for start in range(len(text) - length + 1):
        window = text[start : start + length]
        if window != form and _plausible_substitution(window, form):
            yield start, start + length
    for index in range(length):
        doubled = form[: index + 1] + form[index:]
        yield from _exact_occurrences(text, doubled)
    if allow_drop and length >= 3:
        for index in range(length):
            if form[index] in MEANINGFUL_CHARS:
                continue
            dropped = form[:index] + form[index + 1 :]
            yield from _exact_occurrences(text, dropped)


def _plausible_substitution(window: str, form: str) -> bool:
    differences = [(got, expected) for got, expected in zip(window, form, strict=True) if got != expected]
    if len(differences) != 1:
        return False
    got, expected = differences[0]
    return got in _slips_of(expected)


@functools.cache
def _slips_of(char: str) -> frozenset[str]:
    return frozenset((*homophones(char, same_tone=False), *near_homophones(char), *similar_shapes(char)))


def _cover_fillers(folded: str, covered: list[bool]) -> None:
    """Mark filler words and separators that stand in uncovered text as covered."""
    index = 0
    while index < len(folded):
        if covered[index]:
            index += 1
            continue
        if folded[index] in FILLER_CHARS:
            covered[index] = True
            index += 1
            continue
        for word in FILLER_WORDS:
            end = index + len(word)
            if folded.startswith(word, index) and not any(covered[index:end]):
                for position in range(index, end):
                    covered[position] = True
                index = end
                break
        else:
            index += 1


def _uncovered_runs(covered: list[bool]) -> list[tuple[int, int]]:
    runs = []
    start = None
    for index, is_covered in enumerate([*covered, True]):
        if not is_covered and start is None:
            start = index
        elif is_covered and start is not None:
            runs.append((start, index))
            start = None
    return runs
