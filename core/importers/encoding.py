"""Text encoding of a directory file: UTF-8 (with or without BOM) or GB18030.

Bank systems in China export UTF-8, GBK or GB18030. GB18030 decodes every GBK
file, so the start of the file is decoded as UTF-8 first, then as GB18030.
charset-normalizer is asked only when neither decodes it.
"""

from __future__ import annotations

import codecs
import logging
from pathlib import Path

from core.errors import ImportFileError

logger = logging.getLogger(__name__)

SAMPLE_BYTES = 1 << 20

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decodes(sample: bytes, encoding: str, final: bool) -> bool:
    # An incremental decoder accepts a multi-byte character cut at the sample's end.
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        decoder.decode(sample, final=final)
    except UnicodeDecodeError:
        return False
    return True


def _looks_binary(text: str) -> bool:
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\r\n\f")
    return "\x00" in text or controls > len(text) // 100


def detect_encoding(path: Path) -> str:
    """Return the Python codec name to read ``path`` with.

    Raises ``ImportFileError`` (key ``store.error_encoding``) when the start of the
    file decodes as none of the candidates or decodes only to control characters.
    NOTE: only the first MiB is checked; a UTF-8 file with a GBK line further on
    fails later with ``store.error_decode_line`` naming that line.
    """
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
        whole = not handle.read(1)
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    for encoding in ("utf-8", "gb18030"):
        if _decodes(sample, encoding, whole) and not _looks_binary(sample.decode(encoding, "ignore")):
            return encoding
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is not None and not _looks_binary(str(best)):
        logger.warning("%s is neither UTF-8 nor GB18030; reading it as %s", path, best.encoding)
        return best.encoding
    raise ImportFileError(
        f"{path} is not text in UTF-8 or GB18030 (GBK); save it as UTF-8 CSV and import again",
        key="store.error_encoding",
        path=str(path),
    )
