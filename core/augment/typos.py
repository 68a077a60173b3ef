"""Typing mistakes a clerk makes: homophones, near-homophones, similar shapes, a dropped
or doubled character.

Pinyin input methods produce most mistakes in Chinese text: the right syllable with the
wrong character (homophone), or a syllable that a regional accent blurs (zh/z, n/l,
an/ang, ...). Handwriting and OCR produce similar-shape swaps. Replacement characters
come from the 3,755 level-1 characters of GB 2312, which a clerk's input method offers
first, so the typos stay realistic instead of picking rare characters.
"""

from __future__ import annotations

import functools
import random
from collections import defaultdict

from pypinyin import Style, pinyin
from pypinyin.pinyin_dict import pinyin_dict

TYPO_KINDS = ("homophone", "near_homophone", "shape", "drop", "double")

# Each string is a group of characters that are easy to mistake for each other by shape.
# Hand-written: no shape-similarity table is packaged for Python.
SHAPE_GROUPS = (
    "己已巳",
    "未末",
    "土士",
    "日曰",
    "天夭",
    "戊戌戍",
    "人入八",
    "大太犬",
    "王玉主",
    "干千于",
    "免兔",
    "侯候",
    "折拆",
    "贝见",
    "冈岗",
    "沪泸",
    "崇祟",
    "拔拨",
    "辨辩辫",
    "即既",
    "析折",
    "汨汩",
    "刺剌",
    "栗粟",
    "盲肓",
    "壁璧",
    "茶荼",
    "幕暮墓慕",
    "钓钩",
    "历厉",
    "仑仓",
    "杨扬场",
    "洲州",
    "清情晴请",
    "湾弯",
    "桥侨",
    "河何",
    "坝坎",
    "埠阜",
    "沟钩",
    "塘溏",
    "镇填",
    "庄压",
    "园圆",
    "村材",
    "城诚",
    "泉全",
    "峰锋蜂",
    "岭领",
    "阳陌",
    "湖糊",
    "江汪",
    "兴光",
    "营菅",
    "新亲",
    "东车",
    "西酉",
    "南育",
    "北比",
    "中申",
    "山出",
    "林材",
    "宁守",
    "安案",
    "华毕",
    "昌冒",
    "盛胜",
    "浦蒲",
    "坪砰",
    "塔搭",
    "溪奚",
    "潭谭",
    "沙抄",
    "渡度",
    "路络",
    "街衔",
    "道遒",
    "区匹",
    "县悬",
    "市币",
    "州川",
    "口日",
    "门闩",
    "坊访",
    "岗刚",
    "桂佳",
)

# Pinyin initials and finals that accents and hurried typing confuse, in both directions.
_INITIAL_SWAPS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("f", "h"), ("r", "l"))
_FINAL_SWAPS = (("ang", "an"), ("eng", "en"), ("ing", "in"), ("iang", "ian"), ("uang", "uan"))


# Characters a typo never introduces: a training sample must not turn a bank name rude.
_OFFENSIVE = frozenset("淫屎尿屁死尸妓奸贱骚婊娼屌逼操粪阴乳裸奶痔癌瘟丧葬坟")


# Characters whose loss makes another real name rather than a slip: 中华北大街 without
# 北 is 中华大街, which may be a different branch. A typo never drops them.
MEANINGFUL_CHARS = frozenset("东西南北中上下前后内外新老大小一二三四五六七八九十0123456789")


def _is_common(char: str) -> bool:
    """Whether ``char`` is a level-1 (most frequent) character of GB 2312."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


@functools.cache
def _readings(char: str, style: Style) -> tuple[str, ...]:
    """Every reading of ``char`` (厦 is both "xia" and "sha")."""
    return tuple(pinyin(char, style=style, heteronym=True)[0])


@functools.cache
def _homophone_index() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Map toneless and toned pinyin to the common characters read that way."""
    toneless: dict[str, list[str]] = defaultdict(list)
    toned: dict[str, list[str]] = defaultdict(list)
    for code in pinyin_dict:
        char = chr(code)
        if not _is_common(char) or char in _OFFENSIVE:
            continue
        for reading in _readings(char, Style.NORMAL):
            toneless[reading].append(char)
        for reading in _readings(char, Style.TONE3):
            toned[reading].append(char)
    return (
        {key: tuple(chars) for key, chars in toneless.items()},
        {key: tuple(chars) for key, chars in toned.items()},
    )


@functools.cache
def _shape_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, set[str]] = defaultdict(set)
    for group in SHAPE_GROUPS:
        for char in group:
            index[char].update(other for other in group if other != char and other not in _OFFENSIVE)
    return {char: tuple(sorted(others)) for char, others in index.items()}


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


@functools.cache
def homophones(char: str, same_tone: bool = True) -> tuple[str, ...]:
    """Common characters that share a reading with ``char`` (same tone, or any tone), without ``char``."""
    if not _is_han(char):
        return ()
    toneless, toned = _homophone_index()
    index, style = (toned, Style.TONE3) if same_tone else (toneless, Style.NORMAL)
    found = [other for reading in _readings(char, style) for other in index.get(reading, ())]
    return tuple(dict.fromkeys(other for other in found if other != char))


def _swap_syllable(syllable: str) -> list[str]:
    swapped = []
    for left, right in _INITIAL_SWAPS:
        for source, target in ((left, right), (right, left)):
            # "zh" must not also count as a "z" initial.
            if syllable.startswith(source) and not (len(source) == 1 and syllable[:2] in ("zh", "ch", "sh")):
                swapped.append(target + syllable[len(source) :])
    for left, right in _FINAL_SWAPS:
        for source, target in ((left, right), (right, left)):
            if syllable.endswith(source) and not (source == "an" and syllable.endswith(("ian", "uan"))):
                swapped.append(syllable[: -len(source)] + target)
    return swapped


@functools.cache
def near_homophones(char: str) -> tuple[str, ...]:
    """Common characters whose syllable differs from one of ``char``'s by one accent-prone sound."""
    if not _is_han(char):
        return ()
    toneless, _ = _homophone_index()
    found: list[str] = []
    for syllable in _readings(char, Style.NORMAL):
        for other_syllable in _swap_syllable(syllable):
            found.extend(toneless.get(other_syllable, ()))
    return tuple(dict.fromkeys(other for other in found if other != char))


def similar_shapes(char: str) -> tuple[str, ...]:
    return _shape_index().get(char, ())


def make_typo(text: str, typo_kind: str, rng: random.Random) -> str | None:
    """Return ``text`` with one mistake of ``typo_kind``, or None when none applies.

    A dropped character needs at least three characters, so a two-character place
    name never shrinks to one, and is never one of ``MEANINGFUL_CHARS``.
    """
    if typo_kind == "drop":
        positions = [index for index, char in enumerate(text) if char not in MEANINGFUL_CHARS]
        if len(text) < 3 or not positions:
            return None
        position = rng.choice(positions)
        return text[:position] + text[position + 1 :]
    if typo_kind == "double":
        positions = [index for index, char in enumerate(text) if _is_han(char)]
        if not positions:
            return None
        position = rng.choice(positions)
        return text[: position + 1] + text[position:]

    finder = {
        "homophone": homophones,
        "near_homophone": near_homophones,
        "shape": similar_shapes,
    }.get(typo_kind)
    if finder is None:
        raise ValueError(f"unknown typo kind {typo_kind!r}; use one of {', '.join(TYPO_KINDS)}")
    positions = list(range(len(text)))
    rng.shuffle(positions)
    for position in positions:
        replacements = finder(text[position])
        if replacements:
            return text[:position] + rng.choice(replacements) + text[position + 1 :]
    return None


def random_typo(text: str, rng: random.Random, kinds: tuple[str, ...] = TYPO_KINDS) -> tuple[str, str] | None:
    """Apply the first typo kind, in random order, that changes ``text``; return (text, kind)."""
    order = list(kinds)
    rng.shuffle(order)
    for typo_kind in order:
        changed = make_typo(text, typo_kind, rng)
        if changed is not None and changed != text:
            return changed, typo_kind
    return None
