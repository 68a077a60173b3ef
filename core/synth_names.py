"""Official branch names for the synthetic directory, one pattern per bank style.

A name is the bank as written (with or without its legal suffix), usually a city or
county, the branch's place word and a unit type, as in "中国工商银行股份有限公司唐山
人民路支行" or "庆城县农村信用合作联社太白梁信用社". The patterns and their shares
are estimates read off the demo rows, not measured on the national directory.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from core.synth_banks import Issuer
from core.synth_places import (
    DISTRICTS,
    ORDINALS,
    landmark_name,
    road_name,
    short_city_name,
    town_name,
    weighted_choice,
)

if TYPE_CHECKING:
    from core.synth import City, _Model

URBAN_UNITS = (("支行", 80), ("分理处", 8), ("储蓄所", 4), ("营业所", 3), ("营业室", 2), ("营业部", 2))
POSTAL_UNITS = (("支行", 78), ("营业所", 15), ("储蓄所", 5), ("营业部", 2))
RURAL_UNITS = (("支行", 70), ("分理处", 20), ("储蓄所", 4), ("分社", 3), ("营业部", 3))
CREDIT_UNION_UNITS = (("信用社", 65), ("分社", 25), ("营业部", 5), ("储蓄所", 5))


def build_name(issuer: Issuer, city: City, model: _Model, rng: random.Random, *, head_office: bool) -> str:
    """Compose one official name for a branch of ``issuer`` in ``city``."""
    bank = issuer.bank + issuer.legal_suffix
    if head_office:
        return bank
    # About one name in ten writes the bank without its legal suffix.
    if issuer.legal_suffix and rng.random() < 0.1:
        bank = issuer.bank
    if issuer.style == "policy":
        return bank + _policy_branch(city, model, rng)
    if issuer.style in ("rural", "credit_union", "village"):
        return bank + _county_branch(issuer, model, rng)
    if issuer.style == "foreign":
        if rng.random() < 0.4:
            return bank + short_city_name(city.name) + "分行"
        return bank + short_city_name(city.name) + _place(model, rng, rural=False) + "支行"
    return bank + _city_branch(issuer, city, model, rng)


def _city_branch(issuer: Issuer, city: City, model: _Model, rng: random.Random) -> str:
    """The part after the bank for nationwide, joint-stock and city commercial banks."""
    postal = issuer.category == "403"
    location = _location(city, model, rng, full_share=0.6 if postal else 0.25)
    # A city branch is named by its city alone, so it always writes one: "中国银行支行"
    # would name no branch at all.
    city_location = location or short_city_name(city.name)
    roll = rng.random()
    if city.is_prefecture:
        if roll < 0.03:
            return city_location + "分行"
        if roll < 0.05:
            return city_location + "分行营业部"
    elif roll < 0.08:
        return city_location + "支行"
    if rng.random() < 0.03:
        return location + rng.choice(ORDINALS) + rng.choice(("储蓄所", "分理处"))
    unit = weighted_choice(rng, POSTAL_UNITS if postal else URBAN_UNITS)
    return location + _place(model, rng, rural=not city.is_prefecture) + unit


def _policy_branch(city: City, model: _Model, rng: random.Random) -> str:
    """中国农业发展银行 names: "唐山市分行", "滦南县支行", "唐山市城东支行"."""
    name = city.name if city.name[-1] in "市县区旗盟州" else city.name + "市"
    if not city.is_prefecture:
        return name + "支行"
    roll = rng.random()
    if roll < 0.4:
        return name + "分行"
    if roll < 0.55:
        return name + "分行营业部"
    return name + rng.choice(DISTRICTS) + "支行"


def _county_branch(issuer: Issuer, model: _Model, rng: random.Random) -> str:
    """Rural and village banks name a town and leave the county out: "太白梁信用社"."""
    units = CREDIT_UNION_UNITS if issuer.style == "credit_union" else RURAL_UNITS
    unit = weighted_choice(rng, units)
    if unit == "营业部":
        return unit
    return _place(model, rng, rural=True) + unit


def _location(city: City, model: _Model, rng: random.Random, full_share: float) -> str:
    """The city as a branch name writes it: "唐山", "唐山市", "唐山滦南" or nothing."""
    roll = rng.random()
    if roll < 0.08:
        return ""
    short = short_city_name(city.name)
    written = city.name if rng.random() < full_share else short
    if not city.is_prefecture and roll > 0.8:
        prefecture = model.by_code[city.prefecture]
        return short_city_name(prefecture.name) + written
    return written


def _place(model: _Model, rng: random.Random, *, rural: bool) -> str:
    """A branch's own place word: a road, a harvested word, a landmark, a district or a town."""
    roll = rng.random()
    if rural:
        if roll < 0.55:
            return town_name(rng, with_suffix=rng.random() < 0.3)
        if roll < 0.75:
            return rng.choice(model.place_words)
        if roll < 0.9:
            return road_name(rng)
        return rng.choice(DISTRICTS)
    if roll < 0.35:
        return road_name(rng)
    if roll < 0.7:
        return rng.choice(model.place_words)
    if roll < 0.82:
        return landmark_name(rng)
    if roll < 0.92:
        return rng.choice(DISTRICTS)
    return town_name(rng, with_suffix=True)
