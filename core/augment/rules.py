"""Rule-based variants: the ways clerks write a branch, built from its profile.

Every generator returns a list of labelled segments (see ``samples.py``) or None when
its kind does not apply to the branch (a bank without regional names, a head office
without a branch name). Kinds:

* ``official``: the official name as the directory writes it.
* ``short``: bank short names, the legal suffix or the unit type dropped, brackets.
* ``colloquial``: the place first, filler words ("江油西山的华夏银行", "西山那个华夏"),
  a rural branch with a word for its kind of bank ("孙集农商行").
* ``incomplete``: no city, no bank, or the branch alone.
* ``regional``: 信用社/农信社/农商行 for rural banks, 邮政 for the postal bank, former names.
* ``typo``: one homophone, near-homophone, similar-shape, dropped or doubled character.
* ``traditional``: traditional characters (OpenCC ``s2t``).
* ``fullwidth``: full-width brackets and spaces.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from core.augment.charforms import fullwidth_segments, traditional_segments
from core.augment.profile import BranchProfile
from core.augment.samples import Sample, Segment, compose, recompose
from core.augment.typos import random_typo
from core.names.parts import UNIT_TYPES

Generator = Callable[[BranchProfile, random.Random], list[Segment] | None]

# Weights of the labelled parts a typo goes into. The branch name gets the most,
# because that is the part a clerk types from memory.
_TYPO_TARGETS = (("BRANCH", 0.5), ("LOC", 0.25), ("BANK", 0.25))


def official(profile: BranchProfile, rng: random.Random) -> list[Segment] | None:
    name = profile.name
    segments: list[Segment] = []
    position = 0
    for entity in sorted(profile.parts.spans, key=lambda item: item.start):
        if entity.start > position:
            segments.append((name[position : entity.start], None))
        segments.append((entity.text, entity.label))
        position = entity.end
    if position < len(name):
        segments.append((name[position:], None))
    return segments


def short(profile: BranchProfile, rng: random.Random) -> list[Segment] | None:
    bank = _bank_short(profile, rng)
    if profile.is_head_office:
        return [(bank, "BANK")] if bank != profile.bank_full else None
    template = rng.randrange(5)
    if template == 0:
        return [(bank, "BANK"), *_places(profile, rng, 0.6), (profile.branch_full, "BRANCH")]
    if template == 1:
        # The full bank name without its legal suffix, everything else as written.
        return [
            (profile.bank_full, "BANK"),
            *_name_places(profile, rng, written=True),
            (profile.branch_full, "BRANCH"),
        ]
    if template == 2:
        return [
            (bank, "BANK"),
            *_places(profile, rng, 0.0),
            (_branch(profile, rng, bare_share=0.7), "BRANCH"),
        ]
    if template == 3:
        return [
            (bank, "BANK"),
            ("(", None),
            *_places(profile, rng, 0.5),
            (profile.branch_full, "BRANCH"),
            (")", None),
        ]
    return [(bank, "BANK"), *_places(profile, rng, 0.5), (_branch(profile, rng, bare_share=0.5), "BRANCH")]


def colloquial(profile: BranchProfile, rng: random.Random) -> list[Segment] | None:
    if profile.is_head_office:
        return None
    bank = _bank_short(profile, rng)
    places = _places(profile, rng, 1.0)
    branch = _branch(profile, rng, bare_share=0.7)
    if not profile.branch_bare:
        # Only a unit type ("营业部"): the place identifies the branch, so it leads.
        if not places:
            return None
        return [*places, (rng.choice(("的", "")), None), (bank, "BANK"), (branch, "BRANCH")]
    # A rural bank's branch by its own name and a word for the kind of bank ("孙集农商行"):
    # the branch name already says where it is, so clerks drop the bank's place.
    generic = [word for word in profile.bank_generic if word not in UNIT_TYPES]
    if generic and len(profile.branch_bare) >= 2 and rng.random() < 0.3:
        filler = rng.choice(("", "", "的", "这个"))
        return [(profile.branch_bare, "BRANCH"), (filler, None), (rng.choice(generic), "BANK")]
    template = rng.randrange(6)
    if template == 0 and places:
        return [*places, (branch, "BRANCH"), ("的", None), (bank, "BANK")]
    if template == 1:
        return [(branch, "BRANCH"), (rng.choice(("那个", "那家", "的")), None), (bank, "BANK")]
    if template == 2 and places:
        return [*places, (bank, "BANK"), (branch, "BRANCH")]
    if template == 3 and places:
        return [*places, ("的", None), (bank, "BANK"), (profile.branch_full, "BRANCH")]
    if template == 4:
        return [(bank, "BANK"), (" ", None), (branch, "BRANCH")]
    return [(branch, "BRANCH"), (bank, "BANK")]


def incomplete(profile: BranchProfile, rng: random.Random) -> list[Segment] | None:
    if profile.is_head_office:
        return None
    template = rng.randrange(3)
    places = _places(profile, rng, 1.0)
    if not profile.branch_bare:
        # Without its place, a unit type ("营业部") names nothing: keep the place, drop the bank.
        return [*places, (profile.branch_full, "BRANCH")] if places else None
    if template == 0 or (template == 1 and not places):
        # No city: the bank and the branch.
        return [(_bank_short(profile, rng), "BANK"), (_branch(profile, rng, bare_share=0.3), "BRANCH")]
    if template == 1:
        return [*places, (_branch(profile, rng, bare_share=0.3), "BRANCH")]
    # The branch alone, with its unit type: a bare two-character name ("城南") is too vague.
    if len(profile.branch_full) < 3:
        return None
    return [(profile.branch_full, "BRANCH")]


def regional(profile: BranchProfile, rng: random.Random) -> list[Segment] | None:
    wordings = [*profile.bank_regional, *profile.bank_former]
    if not wordings:
        return None
    bank = rng.choice(wordings)
    if profile.is_head_office:
        return [(bank, "BANK")]
    branch = _branch(profile, rng, bare_share=0.4)
    places = _places(profile, rng, 0.5)
    if places and rng.random() < 0.3:
        return [*places, (bank, "BANK"), (branch, "BRANCH")]
    return [(bank, "BANK"), *places, (branch, "BRANCH")]


def typo(profile: BranchProfile, rng: random.Random) -> list[Segment] | None:
    base = rng.choice((short, colloquial, incomplete, official))(profile, rng)
    if not base:
        return None
    # Labels settle before the typo, or "潜江分行" mistyped as "潜江分辛" would keep
    # 潜江 as a place while the correct spelling makes it part of the branch.
    segments = recompose(base)
    indexes = _typo_order(segments, rng)
    for index in indexes:
        piece, label = segments[index]
        changed = random_typo(piece, rng)
        if changed is not None:
            segments[index] = (changed[0], label)
            return segments
    return None


def traditional(profile: BranchProfile, rng: random.Random) -> list[Segment] | None:
    for base_kind in rng.sample((official, short, colloquial), 3):
        base = base_kind(profile, rng)
        if base is None:
            continue
        converted = traditional_segments(base)
        if converted != base:
            return converted
    return None


def fullwidth(profile: BranchProfile, rng: random.Random) -> list[Segment] | None:
    if profile.is_head_office:
        return None
    bank = _bank_short(profile, rng)
    if rng.random() < 0.7:
        base: list[Segment] = [
            (bank, "BANK"),
            ("(", None),
            *_places(profile, rng, 0.5),
            (profile.branch_full, "BRANCH"),
            (")", None),
        ]
    else:
        places = _places(profile, rng, 0.5)
        spaced_places: list[Segment] = [*places, (" ", None)] if places else []
        base = [
            (bank, "BANK"),
            (" ", None),
            *spaced_places,
            (_branch(profile, rng, bare_share=0.5), "BRANCH"),
        ]
    return fullwidth_segments(base)


GENERATORS: dict[str, Generator] = {
    "official": official,
    "short": short,
    "colloquial": colloquial,
    "incomplete": incomplete,
    "regional": regional,
    "typo": typo,
    "traditional": traditional,
    "fullwidth": fullwidth,
}


def rule_samples(
    profile: BranchProfile, count: int, kinds: tuple[str, ...], rng: random.Random
) -> list[Sample]:
    """Generate up to ``count`` distinct samples of ``profile``, spread evenly over ``kinds``.

    The official name comes first when ``official`` is among the kinds. The other kinds
    take turns in a shuffled order; a kind that does not apply to the branch gives its
    turn to the next one. Fewer than ``count`` samples come back only when the
    branch has too few distinct wordings (a head office, for instance).
    """
    samples: list[Sample] = []
    seen: set[str] = set()

    def add(segments: list[Segment] | None, kind: str) -> None:
        if not segments:
            return
        text, labels = compose(segments)
        if text and text not in seen:
            seen.add(text)
            samples.append(
                {
                    "text": text,
                    "labels": labels,
                    "cnaps_code": profile.cnaps_code,
                    "kind": kind,
                    "source": "rules",
                }
            )

    if "official" in kinds:
        add(official(profile, rng), "official")
    others = [kind for kind in kinds if kind != "official"]
    if not others:
        return samples[:count]
    attempts = 0
    max_attempts = 4 * count
    while len(samples) < count and attempts < max_attempts:
        turn = others[:]
        rng.shuffle(turn)
        for kind in turn:
            if len(samples) >= count:
                break
            attempts += 1
            add(GENERATORS[kind](profile, rng), kind)
    return samples


def _bank_short(profile: BranchProfile, rng: random.Random) -> str:
    """Pick a short name most of the time, the full name (without legal suffix) otherwise."""
    if profile.bank_short and rng.random() < 0.8:
        # ASCII abbreviations ("icbc") are rarer in practice than Chinese short names.
        chinese = [name for name in profile.bank_short if not name.isascii()]
        pool = chinese if chinese and rng.random() < 0.95 else list(profile.bank_short)
        return rng.choice(pool)
    return profile.bank_full


def _branch(profile: BranchProfile, rng: random.Random, bare_share: float) -> str:
    """Pick the branch with or without its unit type.

    The unit type is dropped ``bare_share`` of the time, when at least two characters remain.
    """
    if len(profile.branch_bare) >= 2 and rng.random() < bare_share:
        return profile.branch_bare
    return profile.branch_full


def _name_places(profile: BranchProfile, rng: random.Random, written: bool) -> list[Segment]:
    """Return the places of the official name, each in its written form or a random one."""
    return [(forms[0] if written else rng.choice(forms), "LOC") for forms in profile.places]


def _places(profile: BranchProfile, rng: random.Random, share: float) -> list[Segment]:
    """Pick places for a variant (``share`` of the time): those of the name, or else the code's city.

    A branch without its own name ("分行营业部") always gets its places, because they
    are what sets it apart from the bank's other units.
    """
    if profile.branch_bare and rng.random() >= share:
        return []
    if profile.places:
        # People often drop the larger place and keep the smaller one ("海淀" for "北京海淀区").
        places = _name_places(profile, rng, written=False)
        if len(places) > 1 and rng.random() < 0.3:
            places = places[1:]
        return places
    if profile.city:
        return [(rng.choice(profile.city), "LOC")]
    return []


def _typo_order(segments: list[Segment], rng: random.Random) -> list[int]:
    """Indexes of the labelled segments in the order a typo should try them."""
    weights = dict(_TYPO_TARGETS)
    labelled = [index for index, (_, label) in enumerate(segments) if label is not None]
    # Weighted shuffle: sort by a random key scaled by each label's weight.
    return sorted(labelled, key=lambda index: -(rng.random() ** (1 / weights[segments[index][1]])))
