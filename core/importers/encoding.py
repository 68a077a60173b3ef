"""Text encoding of a directory file: UTF-8 (with or without BOM) or GB18030.

Bank systems in China export UTF-8, GBK or GB18030. GB18030 decodes every GBK
file, so the start of the file is decoded as UTF-8 first, then as GB18030.
charset-normalizer is asked only when neither decodes it.
"""

from __future__ import annotations

import codecs
import logging
import unicodedata
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


def _is_chinese(char: str) -> bool:
    # CJK ideographs, CJK punctuation and full-width forms: what a directory's
    # non-ASCII text consists of.
    return "\u3000" <= char <= "\u303f" or "\u3400" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def _chinese_share(text: str) -> float:
    """Return the share of non-ASCII characters in ``text`` that are Chinese; 1.0 for ASCII text."""
    # Non-ASCII spaces and controls (a no-break space copied from a web page) occur
    # in any encoding, so they are left out.
    non_ascii = [char for char in text if ord(char) > 127 and unicodedata.category(char)[0] not in "ZC"]
    if not non_ascii:
        return 1.0
    return sum(1 for char in non_ascii if _is_chinese(char)) / len(non_ascii)


def _reject_mixed(path: Path, sample: bytes, whole: bool) -> None:
    """Raise when ``sample`` contains both UTF-8 Chinese lines and lines that are not UTF-8.

    GB18030 decodes almost any bytes, so such a file would otherwise be read as
    GB18030 and its UTF-8 lines imported as garbled names.
    """
    lines = sample.split(b"\n")
    if not whole:
        lines.pop()  # may be cut in the middle of a character
    utf8_line = other_line = None
    for line_no, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        if _decodes(line, "utf-8", True):
            if utf8_line is None and _chinese_share(line.decode("utf-8")) >= 0.5:
                utf8_line = line_no
        elif other_line is None:
            other_line = line_no
        if utf8_line is not None and other_line is not None:
            raise ImportFileError(
                f"{path} mixes encodings: line {utf8_line} is UTF-8 but line {other_line} is not "
                "(GBK or GB18030); save the whole file in one encoding (UTF-8) and import again",
                key="store.error_mixed_encoding",
                path=str(path),
                utf8_line=utf8_line,
                other_line=other_line,
            )


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
    candidates = [
        encoding
        for encoding in ("utf-8", "gb18030")
        if _decodes(sample, encoding, whole) and not _looks_binary(sample.decode(encoding, "ignore"))
    ]
    if len(candidates) == 2:
        # A short GBK file can also be valid UTF-8 ("司" is CB BE, which UTF-8 reads
        # as U+02FE), but then its UTF-8 reading is not Chinese text.
        shares = {encoding: _chinese_share(sample.decode(encoding, "ignore")) for encoding in candidates}
        if shares["utf-8"] < 0.5 < shares["gb18030"]:
            return "gb18030"
    if candidates:
        if candidates[0] == "gb18030":
            _reject_mixed(path, sample, whole)
        return candidates[0]
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
