"""Loading ``prompts.toml``, building prompts from it and parsing what the model writes."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from core.errors import DatasetError

PROMPTS_PATH = Path(__file__).resolve().parent / "prompts.toml"

# A list marker at the start of a line: "-", "*", "•", "1.", "2、", "(3)".
_MARKER = re.compile(r"^\s*(?:[-*•·]|\(?\d{1,2}[.、)）]|（\d{1,2}）)\s*")
_QUOTES = "\"'“”‘’「」『』《》"


@dataclass(frozen=True)
class GenerationSettings:
    max_tokens: int
    temperature: float
    top_p: float
    top_k: int
    repeat_penalty: float
    count: int


@dataclass(frozen=True)
class PromptFields:
    """The values a prompt template may use: ``{name}``, ``{bank_short}``, ``{place}``, ``{branch}``."""

    name: str  # the official name
    bank_short: str  # the bank's usual short name: "农行"; the full name when it has none
    place: str  # the branch's place as the name writes it: "天津"; "" when unknown
    branch: str  # the branch with its unit type: "子牙支行"

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "bank_short": self.bank_short, "place": self.place, "branch": self.branch}


@dataclass(frozen=True)
class PromptSet:
    """The contents of one prompts file."""

    version: str
    generation: GenerationSettings
    completion_header: str
    completion_block: str
    completion_line: str
    completion_stop: tuple[str, ...]
    examples: tuple[tuple[PromptFields, tuple[str, ...]], ...]  # (fields, variants)
    chat_system: str
    chat_user: str

    def completion_prompt(self, fields: PromptFields) -> str:
        """Few-shot text for a base model: the examples, then the branch with an open list."""
        parts = [self.completion_header]
        for example_fields, variants in self.examples:
            parts.append(self.completion_block.format(**example_fields.as_dict()))
            parts.extend(self.completion_line.format(variant=variant) for variant in variants)
            parts.append("\n")
        parts.append(self.completion_block.format(**fields.as_dict()))
        # The prompt ends in the open marker "-" of the first variant. A trailing space
        # would split the token the model normally writes there (" 华"), which hurts output.
        parts.append(self.completion_line.split("{variant}")[0].rstrip(" "))
        return "".join(parts)

    def chat_messages(self, fields: PromptFields) -> list[dict[str, str]]:
        values = {**fields.as_dict(), "count": self.generation.count}
        return [
            {"role": "system", "content": self.chat_system.format(**values)},
            {"role": "user", "content": self.chat_user.format(**values)},
        ]


def load_prompts(path: Path | None = None) -> PromptSet:
    """Read a prompts file (the packaged one by default); raise ``DatasetError`` naming a bad field."""
    path = path or PROMPTS_PATH
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise DatasetError(f"prompts file {path} cannot be read: {error}", path=str(path)) from error
    try:
        generation = data["generation"]
        completion = data["completion"]
        chat = data["chat"]
        return PromptSet(
            version=str(data["version"]),
            generation=GenerationSettings(
                max_tokens=int(generation["max_tokens"]),
                temperature=float(generation["temperature"]),
                top_p=float(generation["top_p"]),
                top_k=int(generation["top_k"]),
                repeat_penalty=float(generation["repeat_penalty"]),
                count=int(generation["count"]),
            ),
            completion_header=str(completion["header"]),
            completion_block=str(completion["block"]),
            completion_line=str(completion["line"]),
            completion_stop=tuple(str(stop) for stop in completion["stop"]),
            examples=tuple(
                (
                    PromptFields(
                        name=str(example["name"]),
                        bank_short=str(example.get("bank_short", "")),
                        place=str(example.get("place", "")),
                        branch=str(example.get("branch", "")),
                    ),
                    tuple(str(variant) for variant in example["variants"]),
                )
                for example in completion["examples"]
            ),
            chat_system=str(chat["system"]),
            chat_user=str(chat["user"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise DatasetError(
            f"prompts file {path} lacks or mistypes the field {error}; compare it with {PROMPTS_PATH}",
            path=str(path),
        ) from error


def parse_variants(output: str) -> list[str]:
    """Split model output into candidate variants: one per line, markers and quotes stripped.

    Empty lines are dropped. Overlong lines are kept, so that the aligner can count
    them as rejected.
    """
    variants = []
    for line in output.splitlines():
        text = _MARKER.sub("", line).strip().strip(_QUOTES).strip()
        if text:
            variants.append(text)
    return variants
