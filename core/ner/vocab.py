"""The character vocabulary: one token per character, so the runtime needs no tokenizer library.

The file format is BERT's ``vocab.txt`` (one token a line, the line number is the id),
which is also how a local pretrained Chinese BERT ships its vocabulary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from core.errors import ModelError

PAD, UNK, CLS, SEP, MASK = "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"
SPECIAL_TOKENS = (PAD, UNK, CLS, SEP, MASK)


class CharVocab:
    """Maps characters to token ids; unknown characters map to ``[UNK]``."""

    def __init__(self, tokens: list[str]) -> None:
        missing = [token for token in (PAD, UNK, CLS, SEP) if token not in tokens]
        if missing:
            raise ModelError(
                f"vocabulary lacks the special tokens {missing}; rebuild it with CharVocab.build"
            )
        self.tokens = tokens
        self._ids = {token: index for index, token in enumerate(tokens)}
        self.pad_id = self._ids[PAD]
        self.unk_id = self._ids[UNK]
        self.cls_id = self._ids[CLS]
        self.sep_id = self._ids[SEP]

    def __len__(self) -> int:
        return len(self.tokens)

    @classmethod
    def build(cls, texts: Iterable[str], min_count: int = 1) -> CharVocab:
        """Collect every character seen at least ``min_count`` times, most frequent first."""
        counts = Counter(char for text in texts for char in text if not char.isspace() or char == " ")
        chars = sorted(
            (char for char, count in counts.items() if count >= min_count), key=lambda c: (-counts[c], c)
        )
        return cls(list(SPECIAL_TOKENS) + [char for char in chars if char not in SPECIAL_TOKENS])

    @classmethod
    def load(cls, path: Path) -> CharVocab:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise ModelError(f"cannot read vocabulary {path}: {error}") from error
        # Split on "\n" only: a line holding a single space is the space token.
        return cls(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"))

    def save(self, path: Path) -> None:
        Path(path).write_text("".join(token + "\n" for token in self.tokens), encoding="utf-8")

    def token_id(self, char: str) -> int:
        found = self._ids.get(char)
        if found is None:
            # Pretrained Chinese BERT vocabularies hold lower-case Latin letters only.
            found = self._ids.get(char.lower(), self.unk_id)
        return found

    def encode(self, text: str, max_length: int) -> list[int]:
        """Return ``[CLS] chars [SEP]``, keeping the first ``max_length - 2`` characters."""
        chars = text[: max(max_length - 2, 0)]
        return [self.cls_id] + [self.token_id(char) for char in chars] + [self.sep_id]
