"""
Reading untrusted bytes as JSON, strictly: UTF-8 only, at most ``MAX_BYTES``, no
duplicate keys, no ``NaN``/``Infinity``, no huge numbers, and no deeper nesting than a
CASE package needs. Anything else raises ``Refused`` with a message for the person who
uploaded the file.
"""

import json
import math

from .data import Refused

# An upload through the page; a file named on the command line (an operator's) may be
# larger: a 40,000-item package is some 50 MB.
MAX_BYTES = 5 * 1024 * 1024
COMMAND_MAX_BYTES = 100 * 1024 * 1024
# A CASE package nests 7 containers deep at most (package → CFRubrics → rubric →
# criteria → criterion → levels → level), one more in a file holding an array of packages,
# two more leave room for extensions.
MAX_DEPTH = 10
# Scores, positions and sequence numbers are small; 15 digits is far beyond any of them.
MAX_NUMBER_DIGITS = 15


def decode_text(content: bytes, max_bytes: int = MAX_BYTES) -> str:
    """The bytes of an upload as text: UTF-8 (a byte-order mark is tolerated)."""
    if len(content) > max_bytes:
        raise Refused(
            f"The file is {len(content):,} bytes; files up to {max_bytes // (1024 * 1024)} MB "
            "are accepted."
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refused(
            f"The file is not UTF-8 text (byte {error.start} cannot be read). "
            "Save it as UTF-8 and try again."
        ) from None


def load_json(content: bytes, max_bytes: int = MAX_BYTES):
    text = decode_text(content, max_bytes)
    try:
        data = json.loads(
            text,
            object_pairs_hook=_object_without_duplicates,
            parse_constant=_refuse_constant,
            parse_int=_small_int,
            parse_float=_finite_float,
        )
    except RecursionError:
        raise Refused(_too_deep()) from None
    except json.JSONDecodeError as error:
        raise Refused(
            f"The file is not JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from None
    if _depth(data) > MAX_DEPTH:
        raise Refused(_too_deep())
    return data


def _too_deep() -> str:
    return f"The JSON nests deeper than a CASE package needs (more than {MAX_DEPTH} levels)."


def _object_without_duplicates(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            owner = dict(pairs).get("identifier")
            where = f" (in the object with identifier {owner})" if isinstance(owner, str) else ""
            raise Refused(f'The key "{key}" appears twice in one JSON object{where}.')
        result[key] = value
    return result


def _refuse_constant(name):
    raise Refused(f"The JSON contains {name}, which is not a number that JSON allows.")


def _small_int(text):
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise Refused(f"The JSON contains a number that is too large ({text[:20]}…).")
    return int(text)


def _finite_float(text):
    number = float(text)
    if not math.isfinite(number) or abs(number) >= 10**MAX_NUMBER_DIGITS:
        raise Refused(f"The JSON contains a number that is too large ({text[:20]}).")
    return number


def _depth(data) -> int:
    """
    How many containers deep the parsed value nests (a scalar is 0), counted one level at
    a time and only as far as MAX_DEPTH + 1: a 40,000-item package takes a fraction of a
    second.
    """
    deepest = 0
    level = [data] if isinstance(data, dict | list) else []
    while level and deepest <= MAX_DEPTH:
        deepest += 1
        level = [
            child
            for container in level
            for child in (container.values() if isinstance(container, dict) else container)
            if isinstance(child, dict | list)
        ]
    return deepest
