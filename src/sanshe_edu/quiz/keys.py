"""Salted hashes and sealed texts for answer keys in shipped banks.

A shipped bank never holds a plain answer. It holds ``digest(salt, qid, part, answer)`` for each
part of the key, and texts that would give the answer away (the "why" of a right answer) are
*sealed* with that answer, so they can only be opened once the student has found it.

This keeps answers out of sight in the data file, the notebook JSON and the widget state. It is
not cryptography against a determined student with Python: a question with three options can be
brute-forced by trying three answers, exactly as clicking three times would.

>>> salt = "abc"
>>> key = digest(salt, "q1", "item", "bin_a")
>>> key == digest(salt, "q1", "item", "bin_a"), key == digest(salt, "q1", "item", "bin_b")
(True, False)
>>> blob = seal({"zh": "因为……", "en": "because"}, salt, "q1", "item", "bin_a")
>>> unseal(blob, salt, "q1", "item", "bin_a")["en"]
'because'
"""

from __future__ import annotations

import base64
import hashlib
import json

_SEP = "\x1f"


def digest(salt: str, *parts: str) -> str:
    """Hex sha256 of the salt and the parts (32 hex digits are plenty to compare)."""
    data = _SEP.join(("sanshe-edu/key/1", salt, *map(str, parts))).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:32]


def _stream(salt: str, parts: tuple[str, ...], length: int) -> bytes:
    seed = _SEP.join(("sanshe-edu/seal/1", salt, *map(str, parts))).encode("utf-8")
    out = bytearray()
    counter = 0
    while len(out) < length:
        out += hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return bytes(out[:length])


def seal(texts: dict[str, str], salt: str, *parts: str) -> str:
    """Hide a ``{lang: text}`` mapping behind the key ``parts`` (base64 text)."""
    raw = json.dumps(texts, ensure_ascii=False, sort_keys=True).encode("utf-8")
    mixed = bytes(a ^ b for a, b in zip(raw, _stream(salt, parts, len(raw)), strict=True))
    return base64.b64encode(mixed).decode("ascii")


def unseal(blob: str, salt: str, *parts: str) -> dict[str, str] | None:
    """Open a sealed text with the key ``parts``; ``None`` if the key is wrong."""
    try:
        mixed = base64.b64decode(blob.encode("ascii"))
        raw = bytes(a ^ b for a, b in zip(mixed, _stream(salt, parts, len(mixed)), strict=True))
        value = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None
