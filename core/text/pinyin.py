"""Per-character pinyin, cached: the sound of a name for homophone-tolerant matching."""

from __future__ import annotations

import functools

from pypinyin import Style, lazy_pinyin


@functools.cache
def char_pinyin(char: str) -> str:
    """Return the toneless pinyin of one character (the character itself if it has none).

    A character with several readings gets pypinyin's most common one ("行" -> "xing"),
    which is the same on both sides of a comparison.
    """
    return lazy_pinyin(char, style=Style.NORMAL, errors="default")[0]


@functools.cache
def char_initial(char: str) -> str:
    """Return the first letter of a character's pinyin (letters and digits map to themselves)."""
    syllable = char_pinyin(char)
    return syllable[:1].lower() if syllable else ""


def pinyin_key(text: str) -> tuple[str, ...]:
    """Return the pinyin of every character of ``text``."""
    return tuple(char_pinyin(char) for char in text)


def initials(text: str) -> str:
    """Return the pinyin initials of ``text`` ("邮政储蓄" -> "yzcx"), reading words as phrases.

    Phrase reading gives "银行" its bank reading "yh"; ``char_initial`` alone would give "yx".
    """
    return "".join(letter[:1].lower() for letter in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default"))
