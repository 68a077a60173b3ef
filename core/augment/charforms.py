"""Character-form variants: traditional characters and full-width forms.

Both act on one segment at a time, so the labels of a sample stay exact even where a
conversion changes a segment's length.
"""

from __future__ import annotations

import functools
import unicodedata

import opencc

from core.augment.samples import Segment

# ASCII "!" .. "~" map to U+FF01 .. U+FF5E; the space maps to the ideographic space.
_FULLWIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}
_FULLWIDTH[0x20] = 0x3000


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_traditional(text: str) -> str:
    """Convert simplified characters to traditional ones (OpenCC ``s2t``)."""
    return _converter("s2t").convert(text)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text)


def to_fullwidth(text: str) -> str:
    """Replace ASCII letters, digits, brackets and spaces by their full-width forms."""
    return text.translate(_FULLWIDTH)


def fold_char(char: str) -> str:
    """Fold one character to its simplified, half-width form; keep it when that is not one character."""
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) != 1:
        return char
    simplified = to_simplified(folded)
    return simplified if len(simplified) == 1 else folded


def fold(text: str) -> str:
    """Fold ``text`` character by character, so that offsets into the result index ``text`` too."""
    return "".join(fold_char(char) for char in text)


def traditional_segments(segments: list[Segment]) -> list[Segment]:
    return [(to_traditional(piece), label) for piece, label in segments]


def fullwidth_segments(segments: list[Segment]) -> list[Segment]:
    return [(to_fullwidth(piece), label) for piece, label in segments]
