"""Normalization of queries and official names before matching.

Both sides of a match go through the same steps: full-width forms to half-width
(NFKC), traditional to simplified characters (OpenCC ``t2s``), lower case, and
removal of spaces, punctuation and brackets. Queries also lose the words people add
when asking ("请问", "的联行号是多少"). ``Normalized.offsets`` maps every output
character back to its position in the input, so entity spans found on the
normalized text can be reported on what the clerk typed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import opencc

# Characters kept besides CJK ideographs, ASCII letters and digits. Everything else
# (spaces, punctuation, brackets, symbols) is dropped.
_KEPT_EXTRA = frozenset("·")

# Legal-form suffixes that official names carry and people leave out.
LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司")

# Words of asking, removed from the start of a query. Longest first.
_ASKING_PREFIXES = tuple(
    sorted(
        (
            "请帮我查一下",
            "请帮忙查一下",
            "帮我查一下",
            "帮忙查一下",
            "麻烦查一下",
            "请查一下",
            "帮我查询",
            "帮忙查询",
            "我想查询",
            "我想查一下",
            "我想查",
            "请帮我查",
            "帮我查",
            "请查询",
            "查询一下",
            "查一下",
            "请问一下",
            "请问",
            "查询",
            "麻烦",
            "你好",
            "您好",
            "想问一下",
            "问一下",
            "帮忙查",
            "请帮忙查",
            "查找",
            "搜索",
            "搜",
        ),
        key=len,
        reverse=True,
    )
)

# Words of asking at the end of a query. The regular expression is anchored at the
# end and applied repeatedly, so "的联行号是多少" and "行号是多少呢" both go.
_ASKING_SUFFIX = re.compile(
    r"(?:"
    r"是多少|是什么|多少|是啥|怎么查|在哪里|在哪|呢|啊|吗|呀|谢谢|"
    r"(?:的)?(?:大额|人行|支付系统|银行|开户行)?(?:联行号|联行行号|清算行号|支付行号|cnaps|cnaps号|cnaps码|银联号)(?:码)?|"
    r"(?:的|大额|人行|支付系统|开户行)行号(?:码)?|"
    r"(?:的)?(?:全称|行名|开户行全称|开户行名称|开户行|开户网点|网点名称|名称|地址|代码|营业厅|营业网点|网点)"
    r")$"
)

# "支行号" must keep its "行": only strip a bare "行号" after a unit word.
_BARE_HANGHAO = re.compile(r"(?<=[行部处所社室])行号码?$")


@dataclass(frozen=True)
class Normalized:
    """Normalized text with, for each character, its index in the original text."""

    text: str
    offsets: tuple[int, ...]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the half-open span ``[start, end)`` of ``text`` to the original text."""
        if start >= end:
            position = (
                self.offsets[start]
                if start < len(self.offsets)
                else (self.offsets[-1] + 1 if self.offsets else 0)
            )
            return position, position
        return self.offsets[start], self.offsets[end - 1] + 1


@functools.cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _keep(char: str) -> bool:
    if char.isascii():
        return char.isalnum()
    if char in _KEPT_EXTRA:
        return True
    # CJK ideographs (letters in Unicode terms); drops CJK punctuation and symbols.
    return unicodedata.category(char) == "Lo"


def normalize(text: str) -> Normalized:
    """Normalize ``text`` for matching and keep the offsets into the original."""
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char) if not char.isascii() else char
        for piece in folded:
            piece = piece.lower()
            if _keep(piece):
                chars.append(piece)
                offsets.append(index)
    joined = "".join(chars)
    simplified = _converter().convert(joined)
    if len(simplified) != len(joined):
        # OpenCC t2s maps one character to one character in practice; if a phrase rule
        # ever changes the length, convert character by character to keep offsets.
        simplified = "".join(_converter().convert(char)[:1] or char for char in joined)
    return Normalized(simplified, tuple(offsets))


_DROPPED = re.compile(r"[^0-9a-z\u00b7\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+")


def normalize_text(text: str) -> str:
    """Normalize ``text`` and return only the string (for names and index keys).

    The same steps as ``normalize`` on the whole string at once, without offsets,
    which is several times faster for building the index.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    kept = _DROPPED.sub("", folded)
    if not kept.isascii():
        kept = _converter().convert(kept)
    return kept


def strip_asking(normalized: Normalized) -> Normalized:
    """Remove the words of asking from both ends of a normalized query.

    A query made only of such words is returned unchanged, so the caller can tell an
    empty query from one that still has content.
    """
    text = normalized.text
    start, end = 0, len(text)
    changed = True
    while changed and start < end:
        changed = False
        for prefix in _ASKING_PREFIXES:
            if text.startswith(prefix, start, end) and end - start > len(prefix):
                start += len(prefix)
                changed = True
                break
        body = text[start:end]
        match = _ASKING_SUFFIX.search(body) or _BARE_HANGHAO.search(body)
        if match and match.start() > 0:
            end = start + match.start()
            changed = True
    if start == 0 and end == len(text):
        return normalized
    return Normalized(text[start:end], normalized.offsets[start:end])


def normalize_query(text: str) -> Normalized:
    """Normalize a clerk's query: ``normalize`` followed by ``strip_asking``."""
    return strip_asking(normalize(text))


def strip_legal_suffix(name: str) -> str:
    """Remove every legal-form suffix ("股份有限公司", ...) from a normalized name."""
    for suffix in LEGAL_SUFFIXES:
        if suffix in name:
            name = name.replace(suffix, "")
    return name
