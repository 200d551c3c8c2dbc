"""Helpers shared by the codecs: id sanitising, JSON reading with located errors, text
limits and the final validation every import goes through.

Kept private to the `formats` package so codecs agree on how a foreign id or an
over-long text becomes a valid element, and report it the same way.
"""

import functools
import re
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any, Final, ParamSpec, TypeVar

import msgspec

from service.domain.formats.base import FormatError, Imported
from service.domain.gc_pause import gc_paused as paused
from service.domain.graph import MAX_TEXT, MapDocument, Statement
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


def plain_texts(texts: list[str], specials: str) -> bool:
    """True when no text contains a character of `specials` and every text is already
    whitespace-normalised (`" ".join(t.split()) == t`), decided with a few scans of all
    texts joined together instead of work per text. False only means "look at each"."""
    joined = "\n".join(texts)
    if not (
        joined.count("\n") == len(texts) - 1
        and not joined.startswith(" ")
        and not joined.endswith(" ")
        and "  " not in joined
        and " \n" not in joined
        and "\n " not in joined
    ):
        return False
    if joined.isascii():
        # one fast substring scan per character beats a character-class regex on ASCII
        return not any(ch in joined for ch in specials + ASCII_OTHER_WHITESPACE)
    return re.search(f"[{re.escape(specials + OTHER_WHITESPACE)}]", joined) is None


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


_EXTRAS: Final = attrgetter("locator", "stances", "tags", "title", "author")


def statements_with_extras(statements: Sequence[Statement]) -> int:
    """How many statements carry anything beyond id, text, kind and score; when none do
    (the common case for large imported maps), exports skip counting each kind of loss."""
    return sum(map(any, map(_EXTRAS, statements)))


def loss(warnings: list[str], fmt: str, count: int, what: str) -> None:
    if count:
        warnings.append(f"{fmt} cannot hold {what}: {count} dropped")
