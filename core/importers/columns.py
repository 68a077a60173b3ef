"""Find the columns of a directory file that contain the code, the name and the clearing code.

A header row is matched against known column names in Chinese and English. A file
without a header (the payment system's UNL export has none) is read by content:
a column of 12-digit values is a code column, the column with the most Chinese
characters is the name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

CODE_RE = re.compile(r"\d{12}")

# Header names per field, best first: when a file has two name-like columns
# (银行名称 = the bank and 网点名称 = the branch), the earlier alias wins.
CODE_ALIASES = (
    "联行号",
    "行号",
    "支付行号",
    "银行行号",
    "网点行号",
    "开户行行号",
    "开户行联行号",
    "大额行号",
    "支付系统行号",
    "联行行号",
    "银行联行号",
    "行号代码",
    "cnaps",
    "cnaps_code",
    "cnapscode",
    "cnaps_no",
    "bank_code",
    "bankcode",
    "bank_no",
    "bankno",
    "branch_code",
    "code",
    "bank_id",
)
NAME_ALIASES = (
    "行名",
    "网点名称",
    "开户行名称",
    "行名称",
    "联行名称",
    "银行网点名称",
    "网点全称",
    "机构名称",
    "参与者名称",
    "开户行",
    "开户银行",
    "银行全称",
    "全称",
    "银行名称",
    "名称",
    "name",
    "bank_name",
    "bankname",
    "branch_name",
    "branchname",
    "full_name",
)
CLEARING_ALIASES = (
    "清算行号",
    "参与机构行号",
    "清算行行号",
    "所属清算行号",
    "清算行",
    "直接参与者行号",
    "clearing_code",
    "clearingcode",
    "clearing_bank_code",
    "clearing_no",
    "clearing",
)

_NUMBER_LIKE = re.compile(r"['=\"]*\d{6,}(?:\.0+)?\"?")
_BANK_WORD = re.compile("银行|信用社|联社|支行|分行|营业部|分理处|储蓄所|营业所")
_STRIP = re.compile(r"[\s_\-.·:：()（）\[\]【】]+")


def normalize_header(text: str) -> str:
    """Fold a header cell for matching: NFKC, lower case, no spaces or punctuation."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", text).strip().lower())


def _alias_ranks(aliases: Sequence[str]) -> dict[str, int]:
    ranks: dict[str, int] = {}
    for rank, alias in enumerate(aliases):
        ranks.setdefault(normalize_header(alias), rank)
    return ranks


_CODE_RANKS = _alias_ranks(CODE_ALIASES)
_NAME_RANKS = _alias_ranks(NAME_ALIASES)
_CLEARING_RANKS = _alias_ranks(CLEARING_ALIASES)


@dataclass(frozen=True)
class ColumnMapping:
    """Zero-based column indexes of the fields; ``None`` where the file has no such column."""

    code: int | None
    name: int | None
    clearing: int | None = None


def _best_column(header: Sequence[str], ranks: dict[str, int], used_columns: set[int]) -> int | None:
    best: tuple[int, int] | None = None
    for index, cell in enumerate(header):
        rank = ranks.get(normalize_header(cell))
        if rank is not None and index not in used_columns and (best is None or rank < best[0]):
            best = (rank, index)
    return best[1] if best else None


def map_header(header: Sequence[str]) -> ColumnMapping:
    """Map a header row by name; fields without a known column name are ``None``."""
    used_columns: set[int] = set()
    clearing = _best_column(header, _CLEARING_RANKS, used_columns)
    if clearing is not None:
        used_columns.add(clearing)
    code = _best_column(header, _CODE_RANKS, used_columns)
    if code is not None:
        used_columns.add(code)
    name = _best_column(header, _NAME_RANKS, used_columns)
    return ColumnMapping(code=code, name=name, clearing=clearing)


def looks_like_header(row: Sequence[str]) -> bool:
    """Whether a first row is a header: it names a known column, or contains no number-like value.

    A cell of six or more digits counts as data even when it is not a valid code,
    so a headerless file whose first code is mistyped keeps that row as data and
    the importer reports it by line number.
    """
    mapping = map_header(row)
    if mapping.code is not None or mapping.name is not None or mapping.clearing is not None:
        return True
    return not any(_NUMBER_LIKE.fullmatch(cell.strip()) for cell in row)


def _cjk_count(text: str) -> int:
    return sum(1 for char in text if "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff")


def infer_columns(rows: Sequence[Sequence[str]], known: ColumnMapping | None = None) -> ColumnMapping:
    """Fill the fields ``known`` lacks from the content of sample data rows.

    Columns where at least half the non-empty cells are 12 digits are code
    columns: the one with the most distinct values is the branch code and the
    next is the clearing code, because many branches share one clearing bank.
    The name is the column where most cells contain a bank word (银行, 支行,
    信用社, ...), because an address column may be longer. Among equals, the
    one with the most Chinese characters per row wins.
    """
    known = known or ColumnMapping(code=None, name=None)
    width = max((len(row) for row in rows), default=0)
    used_columns = {index for index in (known.code, known.name, known.clearing) if index is not None}

    code_columns: list[tuple[int, int]] = []  # (distinct values, column)
    name_scores: list[tuple[float, float, int]] = []  # (bank-word share, CJK per row, column)
    for column in range(width):
        if column in used_columns:
            continue
        cells = [row[column].strip() for row in rows if column < len(row) and row[column].strip()]
        if not cells:
            continue
        digit_cells = [cell for cell in cells if CODE_RE.fullmatch(cell)]
        if len(digit_cells) * 2 >= len(cells):
            code_columns.append((len(set(digit_cells)), column))
            continue
        bank_share = sum(1 for cell in cells if _BANK_WORD.search(cell)) / len(cells)
        name_scores.append((bank_share, sum(_cjk_count(cell) for cell in cells) / len(rows), column))

    # Most distinct first; on a tie the leftmost column is the code.
    code_columns.sort(key=lambda item: (-item[0], item[1]))
    code = known.code
    clearing = known.clearing
    remaining = [column for _, column in code_columns]
    if code is None and remaining:
        code = remaining.pop(0)
    if clearing is None and remaining:
        clearing = remaining.pop(0)

    name = known.name
    if name is None:
        name_scores.sort(key=lambda item: (-item[0], -item[1], item[2]))
        if name_scores and name_scores[0][1] > 0:
            name = name_scores[0][2]
    return ColumnMapping(code=code, name=name, clearing=clearing)
