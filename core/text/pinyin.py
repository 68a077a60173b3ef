"""Per-character pinyin without tones: the sound of a name, for homophone-tolerant matching.

The table is pypinyin's single-character dictionary, loaded on its own: importing
the pypinyin package also loads its phrase dictionary, which costs about 55 MB of
memory that the lookup process does not need.
"""

from __future__ import annotations

import importlib.util
import os
import unicodedata

_PINYIN: dict[str, str] = {}
_LOADED: list[bool] = []


def _load_table() -> None:
    """Fill ``_PINYIN`` with the first (most common) reading of every character, toneless."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pypinyin is not installed; install the bankcode package's dependencies")
    path = os.path.join(spec.submodule_search_locations[0], "pinyin_dict.py")
    module_spec = importlib.util.spec_from_file_location("_bankcode_pinyin_dict", path)
    module = importlib.util.module_from_spec(module_spec)  # type: ignore[arg-type]
    module_spec.loader.exec_module(module)  # type: ignore[union-attr]
    for code_point, readings in module.pinyin_dict.items():
        first = readings.split(",", 1)[0]
        plain = "".join(
            char for char in unicodedata.normalize("NFD", first) if not unicodedata.combining(char)
        )
        # NFD turns "ü" into "u" plus a diaeresis; pypinyin's NORMAL style writes it "v".
        if "\u0308" in unicodedata.normalize("NFD", first):
            plain = plain.replace("u", "v")
        _PINYIN[chr(code_point)] = plain
    _LOADED.append(True)


def char_pinyin(char: str) -> str:
    """Return the toneless pinyin of one character (the character itself if it has none).

    A character with several readings gets the most common one ("行" -> "xing"),
    which is the same on both sides of a comparison.
    """
    if not _LOADED:
        _load_table()
    return _PINYIN.get(char, char)


def pinyin_key(text: str) -> tuple[str, ...]:
    """Return the pinyin of every character of ``text``."""
    return tuple(char_pinyin(char) for char in text)


def initials(text: str) -> str:
    """Return the pinyin initials of ``text`` ("邮政储蓄" -> "yzcx", "盛京银行" -> "sjyh").

    "行" after "银" is read "hang", as in every bank name.
    """
    letters = []
    for index, char in enumerate(text):
        if char == "行" and index > 0 and text[index - 1] == "银":
            letters.append("h")
        else:
            letters.append(char_pinyin(char)[:1].lower())
    return "".join(letters)
