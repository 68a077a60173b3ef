"""The structure of an official branch name.

Span conventions, shared by the parser, the training data and the NER model:

* BANK covers the bank as written, with its legal suffix when the two are adjacent:
  "中国工商银行股份有限公司", "华夏银行", "工行", "江苏南通农村商业银行".
* LOC covers each place name with its administrative suffix when written:
  "北京", "江油市", "海淀区". A place inside the branch's own name ("北京路") is not LOC.
* BRANCH covers the branch's own name with its unit type: "新华支行", "西山", "城区营业部".
  A branch named after a place has no name besides that place, so the place directly
  before a unit type belongs to BRANCH: "江油市支行", "南京分行", while "北京" stays
  LOC in "北京新华支行". The model cannot tell from the characters alone which words
  the gazetteer lists as counties, so one rule for every place keeps its labels learnable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.results import Entity

UNIT_TYPES = (
    "分行营业部",
    "支行营业部",
    "营业部",
    "分行",
    "支行",
    "分理处",
    "营业所",
    "营业室",
    "储蓄所",
    "办事处",
    "信用社",
    "信用分社",
    "分社",
    "联社",
)


@dataclass(frozen=True)
class NameParts:
    """An official name split into its parts; every span indexes ``name``."""

    name: str
    bank: str  # the bank as written, without legal suffix: "中国工商银行"
    legal_suffix: str  # "股份有限公司", "有限责任公司" or ""
    locations: tuple[str, ...]  # place names in order of appearance: ("北京", "海淀区")
    branch: str  # the branch's own name without unit type: "新华"
    unit: str  # unit type from UNIT_TYPES, or "" for a head office
    spans: tuple[Entity, ...] = field(default=())
