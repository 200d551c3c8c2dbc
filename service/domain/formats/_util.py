"""Helpers shared by the codecs: id sanitising, JSON reading with located errors, text
limits and the final validation every import goes through.

Kept private to the `formats` package so codecs agree on how a foreign id or an
over-long text becomes a valid element, and report it the same way.
"""

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from operator import attrgetter
from typing import Any, Final, ParamSpec, TypeVar

import msgspec

from service.domain.formats.base import FormatError, Imported
from service.domain.gc_pause import gc_paused as paused
from service.domain.graph import MAX_TEXT, Equivalence, Inference, MapDocument
from service.domain.validation import validate

ID_RE: Final = re.compile(r"^[A-Za-z0-9_.:~-]{1,128}$")
# Many ids at once, joined by newlines (see `all_valid_ids`).
_ID_LINES: Final = re.compile(r"[A-Za-z0-9_.:~-]{1,128}(?:\n[A-Za-z0-9_.:~-]{1,128})*")
_BAD_ID_CHARS: Final = re.compile(r"[^A-Za-z0-9_.:~-]+")
SHORT_MAX: Final = 500

_P = ParamSpec("_P")
_R = TypeVar("_R")


def gc_paused(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run the codec `fn` with the cyclic garbage collector paused (see `gc_pause`)."""

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with paused():
            return fn(*args, **kwargs)

    return wrapper


class IdAllocator:
    """Hands out element ids unique across one map, keeping foreign ids when they are
    valid so that ids stay stable across export and import."""

    __slots__ = ("used",)

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, raw: str, warnings: list[str] | None = None, what: str = "id") -> str:
        """`raw` itself when valid and free; otherwise a sanitised, de-duplicated form
        (reported in `warnings` when the raw id was not valid)."""
        if raw not in self.used and ID_RE.match(raw) is not None:
            self.used.add(raw)
            return raw
        base = _BAD_ID_CHARS.sub("-", raw).strip("-")[:120] or "x"
        if warnings is not None and ID_RE.match(raw) is None:
            warnings.append(f"{what} {raw!r} is not a valid element id; it became {self._free(base)!r}")
        out = self._free(base)
        self.used.add(out)
        return out

    def _free(self, base: str) -> str:
        if base not in self.used:
            return base
        n = 2
        while f"{base}-{n}" in self.used:
            n += 1
        return f"{base}-{n}"


def all_valid_ids(raws: list[str]) -> bool:
    """True when every string is a valid element id: one regex pass over all of them
    instead of one call per id. A string holding the separator fails the count check, so
    a False answer only means the caller must look at each id on its own."""
    if not raws:
        return True
    joined = "\n".join(raws)
    return joined.count("\n") == len(raws) - 1 and _ID_LINES.fullmatch(joined) is not None


def as_str_list(values: list[str | int]) -> list[str]:
    """Foreign ids that may be JSON numbers, as strings (a copy only when needed)."""
    if {*map(type, values)} <= {str}:
        return values  # type: ignore[return-value]  # every item was just checked to be a str
    return list(map(str, values))


# Every character `str.split()` treats as whitespace, except the plain space and the newline.
OTHER_WHITESPACE: Final = (
    "\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
ASCII_OTHER_WHITESPACE: Final = "".join(ch for ch in OTHER_WHITESPACE if ch.isascii())


def clip_text(text: str, where: str, warnings: list[str]) -> str | None:
    """A statement text cut to the model's limit; None (with a warning) when blank."""
    text = text.strip()
    if not text:
        warnings.append(f"{where}: empty text, element skipped")
        return None
    if len(text) > MAX_TEXT:
        warnings.append(f"{where}: text longer than {MAX_TEXT} characters was cut")
        text = text[:MAX_TEXT]
    return text


def clip_short(text: str | None, limit: int = SHORT_MAX) -> str | None:
    """A short label (title, name, scheme) cut to its limit; None when blank."""
    if text is None:
        return None
    text = " ".join(text.split())
    return text[:limit] if text else None


def load_json(data: bytes | str, what: str) -> Any:
    try:
        return msgspec.json.decode(data)
    except msgspec.DecodeError as e:
        raise FormatError(f"not valid JSON for {what}: {e}") from None


def as_bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def as_text(data: bytes | str, what: str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FormatError(f"{what} is not UTF-8 text: {e.reason}", f"byte {e.start}") from None


def finish(doc: MapDocument, warnings: list[str]) -> Imported:
    """The last step of every import: a document that breaks an invariant is a bug in
    the codec or a case it did not foresee, so it surfaces as a FormatError rather than
    as an invalid map in storage."""
    problems = validate(doc)
    if problems:
        p = problems[0]
        raise FormatError(f"imported map is not valid: {p.reason}", f"{p.element}/{p.id}/{p.field}")
    return Imported(doc, warnings)


def count_truthy(items: Sequence[object], field: str) -> int:
    """How many items have a non-empty `field` (a locator, tags, an author...), counted
    without a Python-level loop."""
    return sum(map(bool, map(attrgetter(field), items)))


def split_equivalences(doc: MapDocument) -> tuple[list[Equivalence], int]:
    """The equivalences between two statements of this map, and how many others join a
    statement of another map, which no single-map graph format can hold."""
    local = [e for e in doc.equivalences if e.second_map is None]
    return local, len(doc.equivalences) - len(local)


def loss(warnings: list[str], fmt: str, count: int, what: str) -> None:
    if count:
        warnings.append(f"{fmt} cannot hold {what}: {count} dropped")


# --- building big exports -----------------------------------------------------------
#
# On a 100,000-statement map every Python-level step per element costs about as much
# as msgspec needs to encode the whole element, and scattered memory reads and fresh
# pages cost more than the work itself. What the exporters do about it:
# - read fields with list comprehensions: CPython 3.11 specialises `s.id` in a
#   comprehension, which is about twice as fast as `map(attrgetter("id"), ...)` on
#   msgspec Structs;
# - decide with a few scans of many strings joined whether any needs escaping or
#   normalising (`flat_texts`, `free_of`), and escape one by one only when one does;
# - write rows a few thousand at a time (`chunks`), either one f-string per element or
#   whole columns laid out by list slice assignment (`rows_into`).


def rows_into(parts: list[str], template: Sequence[str], *columns: list[str]) -> None:
    """Append to `parts`, for every row k, `template[0] + columns[0][k] + template[1] +
    columns[1][k] + ... + template[-1]` as separate items, without a Python-level loop.

    `template` has one more piece than there are columns; all columns have one length.
    Pieces between rows are merged, so a row costs two list items per column."""
    width = len(columns)
    if len(template) != width + 1:
        raise ValueError("a row template needs one more piece than there are columns")
    n = len(columns[0])
    if n == 0:
        return
    row: list[str] = [""] * (2 * width)
    for j in range(1, width):
        row[2 * j - 1] = template[j]
    row[-1] = template[-1] + template[0]
    parts.append(template[0])
    base = len(parts)
    parts += row * n
    step = 2 * width
    for j, column in enumerate(columns):
        if len(column) != n:
            raise ValueError("row columns differ in length")
        parts[base + 2 * j :: step] = column
    parts[-1] = template[-1]


def json_texts(texts: list[str]) -> list[str]:
    """Each text as the inside of a JSON string literal (escaped, without the quotes),
    from one msgspec encode of the whole list. Inside a literal every quote is escaped,
    so `","` occurs in the encoded array only between two items."""
    if not texts:
        return []
    encoded = msgspec.json.encode(texts).decode("utf-8")
    return encoded[2:-2].split('","')


_json_encoder: Final = msgspec.json.Encoder()


def json_plain(*columns: list[str]) -> bool:
    """True when no string in the columns needs an escape inside a JSON string literal
    (valid ids never do): a backslash in msgspec's encoding of them can only be one. A
    column given several times is encoded once."""
    return b"\\" not in _json_encoder.encode(list({id(c): c for c in columns}.values()))


_DOUBLE_SPACE: Final = re.compile("  ")


def flat_texts(texts: list[str], specials: str) -> bool:
    """True when no text holds a character of `specials` or a newline and every text is
    already whitespace-normalised (`" ".join(t.split()) == t`), from a few scans.

    The texts are joined by single spaces, so an empty text, a leading or trailing space
    and a double space inside a text all show up as a double space or a space at either
    end; a regex finds a literal double space about twice as fast as `str.__contains__`
    (whose two-character search stops at every single space). A False answer may be
    conservative (an empty text): it only means "look at each"."""
    if not texts:
        return True
    joined = " ".join(texts)
    if joined.startswith(" ") or joined.endswith(" ") or _DOUBLE_SPACE.search(joined) is not None:
        return False
    if joined.isascii():
        return not any(ch in joined for ch in "\n" + specials + ASCII_OTHER_WHITESPACE)
    return re.search(f"[{re.escape(specials + OTHER_WHITESPACE)}\n]", joined) is None


# --- writing a big export in bounded pieces -------------------------------------------
#
# Measured on the benchmark machine: the kernel fills every fresh page on first touch,
# about 1.5 us per 4 KiB page, and glibc hands memory back once more than ~64 MiB lies
# free at the top of the heap, so each export that builds one string per element plus
# the whole text plus its bytes pays for ~100 MiB of new pages every time. Writing the
# rows a few thousand at a time into an `io.BytesIO` keeps the temporaries small enough
# to be reused, and `BytesIO.getvalue()` hands over its buffer without a copy.

EXPORT_CHUNK: Final = 4096


def chunks(count: int, size: int = EXPORT_CHUNK) -> list[slice]:
    """Slices that cut `range(count)` into consecutive runs of at most `size`."""
    return [slice(start, start + size) for start in range(0, count, size)]


# --- looking for forbidden characters in many strings at once --------------------------
#
# Joined, ASCII text goes through one `bytes.translate` that deletes every forbidden
# character, and only the length is compared: about 1 ns a character, where a regex
# character class takes several; other text falls back to the regex.


class Forbidden:
    """Characters that must not occur, in the two shapes `free_of` uses. NUL is always
    among them."""

    __slots__ = ("ascii", "pattern")

    def __init__(self, ascii_chars: str, pattern: str) -> None:
        """`ascii_chars`: the forbidden ASCII characters; `pattern`: a regex character
        class matching every forbidden character, ASCII or not."""
        self.ascii = bytes(sorted({0, *(ord(ch) for ch in ascii_chars if ch.isascii())}))
        self.pattern = re.compile(f"\\x00|{pattern}")


def inference_refs(chunk: Sequence[Inference]) -> Iterable[str]:
    """Every id an inference row writes: its own, its conclusion's and its premises'."""
    return chain([x.id for x in chunk], [x.conclusion for x in chunk], chain.from_iterable([x.premises for x in chunk]))


def free_of(strings: Iterable[str], forbidden: Forbidden) -> bool:
    """True when no string holds a forbidden character."""
    joined = "".join(strings)
    if joined.isascii():
        data = joined.encode("ascii")
        return len(data.translate(None, forbidden.ascii)) == len(data)
    return forbidden.pattern.search(joined) is None


def _ref_codes_py(keys: list[str], codes: bytes, refs: list[object], missing: int) -> bytes | None:
    """For each ref, the code of the key it equals (`codes[k]` for `keys[k]`), or
    `missing` when it names no key or is not a str; None when a key repeats.

    The reference for the compiled `_speedups.ref_codes`, which tests hold to the same
    result. Importers use it to check every relation end of a file in one call."""
    if not all(type(k) is str for k in keys):
        raise TypeError("ref_codes: keys must be str")
    index = dict(zip(keys, codes, strict=True))
    if len(index) != len(keys):
        return None
    return bytes([index.get(r, missing) if type(r) is str else missing for r in refs])


# The compiled version when the install could build it (it needs a C compiler).
ref_codes: Callable[[list[str], bytes, list[object], int], bytes | None]
try:
    from service.domain.formats._speedups import ref_codes
except ImportError:  # pragma: no cover - depends on the build
    ref_codes = _ref_codes_py
