"""The native `argmap/1` JSON format: msgspec-encoded `MapDocument`, byte-stable.

Older format versions are upgraded here, one step at a time, before typed decoding, so a
file written by any earlier argmap keeps loading (see `UPGRADES`).
"""

import re
from collections.abc import Callable
from typing import Any, Final

import msgspec

from service.domain.formats.base import Exported, FormatError, Imported
from service.domain.graph import FORMAT, MapDocument

MEDIA_TYPE: Final = "application/vnd.argmap+json"
_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(MapDocument)

# format version -> function turning a raw document of that version into the next one.
# argmap/1 is the first version; when argmap/2 arrives, add "argmap/1": _v1_to_v2 here
# and keep the fixtures of argmap/1 in tests/data/native/ loading.
UPGRADES: Final[dict[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {}

_PATH = re.compile(r" - at `(\$[^`]*)`$")


def json_pointer(msgspec_path: str) -> str:
    """`$.statements[3].text` -> `/statements/3/text` (RFC 6901)."""
    out = msgspec_path.removeprefix("$")
    out = re.sub(r"\[(\d+)\]", r".\1", out)
    out = re.sub(r"\[(['\"])(.*?)\1\]", r".\2", out)
    return out.replace(".", "/") or ""


def split_error(err: msgspec.ValidationError | msgspec.DecodeError) -> tuple[str, str | None]:
    """A msgspec error message as (reason, JSON pointer)."""
    text = str(err)
    m = _PATH.search(text)
    if m is None:
        return text, None
    return text[: m.start()], json_pointer(m.group(1))


def encode(doc: MapDocument) -> bytes:
    return _encoder.encode(doc)


def export(doc: MapDocument) -> Exported:
    return Exported(encode(doc), MEDIA_TYPE, "argmap.json")


def decode(data: bytes | str) -> MapDocument:
    """Bytes -> typed document; raises FormatError naming the JSON pointer of the fault."""
    try:
        return _decoder.decode(data)
    except msgspec.ValidationError as typed_error:
        raw = _raw(data)
        version = raw.get("format", FORMAT) if isinstance(raw, dict) else FORMAT
        if version == FORMAT or version not in UPGRADES:
            if version != FORMAT and isinstance(version, str) and version not in UPGRADES:
                raise FormatError(
                    f"unknown format version {version!r}; this server reads {FORMAT}", "/format"
                ) from None
            reason, pointer = split_error(typed_error)
            raise FormatError(reason, pointer) from None
        while version != FORMAT:
            raw = UPGRADES[version](raw)
            version = raw["format"]
        try:
            return msgspec.convert(raw, MapDocument)
        except msgspec.ValidationError as e:
            reason, pointer = split_error(e)
            raise FormatError(reason, pointer) from None
    except msgspec.DecodeError as e:
        raise FormatError(f"not valid JSON: {e}") from None


def import_(data: bytes | str) -> Imported:
    return Imported(decode(data))


def _raw(data: bytes | str) -> Any:
    try:
        return msgspec.json.decode(data)
    except msgspec.DecodeError as e:
        raise FormatError(f"not valid JSON: {e}") from None


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the native format, generated from the Structs themselves."""
    schema: dict[str, Any] = msgspec.json.schema(MapDocument)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "argmap/1 map document"
    return schema
