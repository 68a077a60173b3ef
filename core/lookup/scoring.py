"""Ranking of retrieved branches against a query, and the confidence of the top one.

Each candidate gets a score in [0, 1]: the edit similarity of the query's branch
text and the branch's, after removing the places both name, where a homophone or
a doubled character costs less than another typo. Places the query names that
the branch is not in, places the branch names that the query leaves out, and a
different unit type each lower the score. Confidence is the top score shrunk by
how close the runner-up is, because two near-equal candidates mean the query
does not pick one branch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from core.lookup.index import BranchIndex
from core.names.gazetteer import PROVINCE, Gazetteer, place_forms
from core.text.pinyin import char_pinyin

# Below this gap between the two best scores the confidence shrinks linearly, to
# half the top score when they tie.
MARGIN = 0.12
# Penalty per place of the query that the branch is not in.
PLACE_CONFLICT_PENALTY = 0.3
# Penalty when both sides name a unit type and they differ ("支行" against "分理处").
UNIT_MISMATCH_PENALTY = 0.2
# Cost of a homophone substitution ("瓶泉" for "平泉") and of a doubled character,
# in units of one edit.
HOMOPHONE_COST = 0.35
DOUBLED_COST = 0.5
# Minimum cost of one edit as a share of the similarity.
MIN_EDIT_COST = 0.2
# Penalty when the branch's name has places the query leaves out ("新沙" for "深圳新沙").
OMITTED_PLACE_PENALTY = 0.2
# Penalty per query place that cannot be checked against the branch (a district
# missing from the gazetteer and from the branch's name).
UNCHECKED_PLACE_PENALTY = 0.08
# Penalty when one unit type contains the other ("支行" against "支行营业部").
UNIT_VARIANT_PENALTY = 0.2

# Sounds of the characters of "银行", "储蓄", "农商": what is left of a
# mistyped bank name in front of the branch.
_BANK_WORD_SOUNDS = frozenset({"yin", "hang", "xing", "chu", "xu", "nong", "shang"})

_PLACE_SUFFIXES = frozenset("区县市旗")
_UNITS_LONGEST_FIRST = (
    "分行营业部",
    "支行营业部",
    "营业部",
    "分理处",
    "营业所",
    "营业室",
    "储蓄所",
    "办事处",
    "信用分社",
    "信用社",
    "分行",
    "支行",
    "分社",
    "联社",
)

_UNIT_SUFFIX = re.compile(
    r"(?:分行营业部|支行营业部|营业部|分行|支行|分理处|营业所|营业室|储蓄所|办事处|信用分社|信用社|分社|联社)$"
)
_TYPE_WORDS = re.compile(
    r"(?:农村信用合作联社|信用合作联社|农村商业银行|农村合作银行|农村信用联社|农村信用社|村镇银行|商业银行|农联社|联社|信用社|银行)$"
)


def split_unit(text: str) -> tuple[str, str]:
    """Split ``text`` into its core and its trailing unit type ("西山支行" -> "西山", "支行")."""
    match = _UNIT_SUFFIX.search(text)
    if match is None:
        return text, ""
    return text[: match.start()], match.group(0)


def split_mistyped_unit(text: str) -> tuple[str, str, float]:
    """Split off a unit type written with one wrong character ("支型", "分理矗", "信用拾").

    Returns the core, the unit as the directory writes it, and the cost of the typo:
    ``HOMOPHONE_COST`` of an edit for a homophone, a whole edit otherwise (allowed
    only for the last character of a unit of three or more, so "营运部" stays a
    name of its own). A text with no such ending comes back whole with no unit.
    """
    for unit in _UNITS_LONGEST_FIRST:
        length = len(unit)
        if len(text) <= length:
            continue
        ending = text[-length:]
        different = [index for index in range(length) if ending[index] != unit[index]]
        if len(different) != 1:
            continue
        index = different[0]
        if char_pinyin(ending[index]) == char_pinyin(unit[index]):
            return text[:-length], unit, HOMOPHONE_COST * MIN_EDIT_COST
        if length >= 3 and index == length - 1:
            return text[:-length], unit, MIN_EDIT_COST
    return text, "", 0.0


def chain_free(text: str) -> str:
    """Remove "分行" inside a chain ("北京市分行西单" -> "北京市西单"), keeping a final one."""
    return text.replace("分行", "") if "分行" in text else text


def entity_places(entity: str) -> str:
    """Return an entity's name without its type word ("临汾市尧都区农村信用社" -> "临汾市尧都区")."""
    return _TYPE_WORDS.sub("", entity)


def similarity(left: str, right: str, length: int = 0) -> float:
    """Return the similarity in [0, 1] of two normalized strings, tolerant of typos.

    Each edit costs ``max(1 / length, MIN_EDIT_COST)`` of the longer string, so one
    wrong character in a long name ("城北" for "城西" in a ten-character name) still
    costs enough to keep the match below the answer threshold. A homophone
    ("瓶泉" for "平泉") costs ``HOMOPHONE_COST`` of an edit and a doubled character
    ``DOUBLED_COST``, because those are how clerks mistype the same branch.
    ``length``, when given, replaces the longer length in the edit cost, so shared
    places around the edit do not dilute it.
    """
    if left == right:
        return 1.0
    if not left or not right:
        return 0.0
    operations = Levenshtein.editops(left, right)
    cost = 0.0
    for operation in operations:
        if operation.tag == "replace":
            same_sound = char_pinyin(left[operation.src_pos]) == char_pinyin(right[operation.dest_pos])
            cost += HOMOPHONE_COST if same_sound else 1.0
        elif operation.tag == "delete":
            cost += DOUBLED_COST if _is_doubled(left, operation.src_pos) else 1.0
        else:
            cost += DOUBLED_COST if _is_doubled(right, operation.dest_pos) else 1.0
    unit = max(1.0 / (length or max(len(left), len(right))), MIN_EDIT_COST)
    return max(0.0, 1.0 - cost * unit)


def _is_doubled(text: str, position: int) -> bool:
    char = text[position]
    return (position > 0 and text[position - 1] == char) or (
        position + 1 < len(text) and text[position + 1] == char
    )


@dataclass(frozen=True)
class QueryShape:
    """The parts of a query that ranking compares."""

    core: str  # places and branch name without unit: "江油西山"
    core_without_province: str  # the core without a leading province: "临汾市尧都区"
    branch: str  # the core without its leading places: "西山"
    unit: str
    places: tuple[str, ...]
    place_forms: tuple[str, ...]  # every written form of those places, longest first
    whole: str  # the normalized query, for queries with no bank mention
    generic_bank: bool  # the bank mention names a kind of bank, not one entity
    unit_typo: float = 0.0  # cost of a mistyped unit type ("支型" for "支行")


def shape_query(
    rest: str, places: tuple[str, ...], whole: str, generic_bank: bool, gazetteer: Gazetteer
) -> QueryShape:
    core, unit = split_unit(rest)
    unit_typo = 0.0
    if not unit:
        core, unit, unit_typo = split_mistyped_unit(rest)
    core = chain_free(core) if core.count("分行") and not core.endswith("分行") else core
    branch = core
    for place in places:
        if branch.startswith(place):
            branch = branch[len(place) :]
    forms = {place for place in places}
    for place in places:
        for entry in gazetteer.places(place):
            forms.update(place_forms(entry.name))
    ordered = tuple(sorted(forms, key=len, reverse=True))
    without_province = core
    if places and gazetteer.level(places[0]) == PROVINCE and core.startswith(places[0]):
        without_province = core[len(places[0]) :]
    return QueryShape(core, without_province, branch, unit, places, ordered, whole, generic_bank, unit_typo)


def same_place(gazetteer: Gazetteer, left: str, right: str) -> bool:
    if left == right:
        return True
    right_places = gazetteer.places(right)
    return any(place in right_places for place in gazetteer.places(left))


def strip_common_places(index: BranchIndex, row: int, query: QueryShape, core: str) -> tuple[str, str, int]:
    """Remove the leading places of the query that the branch at ``row`` lies in.

    A place both sides write is removed from both; a place only the query writes
    ("山西省临汾..." or "苏州昆山..." against "昆山...") is removed from the query.
    Returns both tails and the count of removed places that could not be checked
    (a district the gazetteer lacks).
    """
    gazetteer = index.gazetteer
    branch_places = index.places[row]
    query_core = query.core
    position = 0
    unchecked = 0
    for query_place in query.places:
        if not query_core.startswith(query_place):
            break
        if (
            position < len(branch_places)
            and same_place(gazetteer, query_place, branch_places[position])
            and core.startswith(branch_places[position])
        ):
            core = core[len(branch_places[position]) :]
            position += 1
        else:
            inside = _is_in(index, row, query_place)
            if inside is False:
                break
            if inside is None:
                unchecked += 1
            elif query_place not in core and query_place[:-1] in core:
                # "海淀区" in the query, "海淀" inside the branch's name: compare without it.
                core = core.replace(query_place[:-1], "", 1)
        query_core = query_core[len(query_place) :]
    return query_core, core, unchecked


def _without_forms(text: str, forms: tuple[str, ...]) -> str:
    for form in forms:
        if form in text:
            text = text.replace(form, "", 1)
    return text


def _suffix_tolerant_similarity(query_text: str, branch_text: str) -> float:
    """Return ``similarity``, also trying the query without a final 区/县/市/旗.

    "惠山区" for the directory's "惠山" is the same branch; the 0.02 keeps an exact
    match ahead.
    """
    best = similarity(query_text, branch_text)
    if len(query_text) >= 3 and query_text[-1] in _PLACE_SUFFIXES:
        best = max(best, similarity(query_text[:-1], branch_text) - 0.02)
    return best


def _is_in(index: BranchIndex, row: int, form: str) -> bool | None:
    """Whether the branch at ``row`` lies in the place ``form`` names; None when unknown.

    The city table gives prefecture codes ending in 0 ("3050" 苏州); codes sharing
    their first three digits ("3052" 昆山) are places inside the prefecture. A
    district the gazetteer lacks ("海淀区") is known only when the name contains it.
    """
    key = index.keys[row]
    if form in key or (len(form) >= 3 and form[:-1] in key):
        return True
    city_code = index.city_codes[row]
    places = index.gazetteer.places(form)
    if not places:
        return None
    for place in places:
        if (
            city_code in place.city_codes
            or place.name in (index.city_names[row], index.provinces[row])
            or place.name in key
            or any(code.endswith("0") and code[:3] == city_code[:3] for code in place.city_codes)
        ):
            return True
    return False


def place_conflicts(index: BranchIndex, row: int, places: tuple[str, ...]) -> int:
    """Count the query places that the branch at ``row`` is not in."""
    return sum(1 for form in places if _is_in(index, row, form) is False)


def score_row(index: BranchIndex, row: int, query: QueryShape) -> float:
    """Score the branch at ``row`` against the query, in [0, 1]."""
    rest = index.rest(row)
    core, unit = split_unit(rest)
    core = chain_free(core) if "分行" in core and not core.endswith("分行") else core
    branch = index.branch_names[row]

    # Compare what follows the places both sides name ("沧州市解放路" against
    # "沧州市解放西路" compares "解放路" with "解放西路"), so shared places do not
    # inflate the similarity.
    query_tail, branch_tail, unchecked = strip_common_places(index, row, query, core)
    best = _suffix_tolerant_similarity(query_tail, branch_tail) - UNCHECKED_PLACE_PENALTY * unchecked
    remaining = _without_forms(core, query.place_forms)
    if branch and branch != branch_tail:
        # The branch's name has places the query leaves out ("新沙" for "深圳新沙").
        penalty = 0.0 if remaining == branch else OMITTED_PLACE_PENALTY
        best = max(best, _suffix_tolerant_similarity(query.branch, branch) - penalty)
    # Whole cores as well: a homophone of a place suffix ("葫芦岛使铁北路" for
    # "葫芦岛市铁北路") hides the place boundary from the split above.
    best = max(best, similarity(query.core, core, max(len(query_tail), len(branch_tail), 1)))
    extra = len(query.branch) - len(remaining)
    if (
        not query.whole
        and len(remaining) >= 2
        and 0 < extra <= 2
        and query.branch.endswith(remaining)
        and all(char_pinyin(char) in _BANK_WORD_SOUNDS for char in query.branch[:extra])
    ):
        # Leftovers of a mistyped bank name before the branch ("邮储银兴山丹县").
        best = max(best, 1.0 - 0.05 * extra)
    if query.generic_bank or not rest:
        # The query's places may be those in the entity's name ("临汾市尧都区信用社").
        written = entity_places(index.entities[row]) + core
        best = max(best, similarity(query.core, written), similarity(query.core_without_province, written))
    if query.whole:
        best = max(best, similarity(query.whole, index.keys[row]) - 0.02)
        if len(rest) >= 3 and query.whole.endswith(rest):
            head = query.whole[: -len(rest)]
            best = max(best, 0.6 + 0.4 * similarity(head, index.entities[row]) - 0.02)

    if not query.branch and not query.unit and unit and unit != "支行":
        # "农业银行北京" does not say whether the 分行 or its 营业部 is meant.
        best = min(best, 0.75)
    conflicts = place_conflicts(index, row, query.places)
    if query.places and not query.branch and not conflicts:
        # Only places and a bank ("中行石家庄"): every branch there is a candidate, and
        # the city-level office (no name of its own) comes first.
        best = max(best, 0.75 if not branch else 0.5)
    score = best - PLACE_CONFLICT_PENALTY * conflicts - query.unit_typo
    if query.unit and unit and query.unit != unit:
        contained = unit in query.unit or query.unit in unit
        score -= UNIT_VARIANT_PENALTY if contained else UNIT_MISMATCH_PENALTY
    elif query.unit and not unit and not rest:
        # A unit ("汝阳县联社信用社") is not the head office the entity's name alone is.
        score -= UNIT_MISMATCH_PENALTY
    return max(0.0, min(1.0, score))


def confidence(top: float, runner_up: float) -> float:
    """Shrink the top score when the runner-up is within ``MARGIN`` of it."""
    gap = top - runner_up
    return top * (0.5 + 0.5 * min(1.0, gap / MARGIN))
