"""The codec registry: format names, media types, and sniffing of unnamed uploads.

`export(doc, fmt)` and `import_(data, fmt)` are the only entry points the API and CLI
need. The picture formats (svg, png) live in modules written separately and are
imported only when asked for, so the registry keeps working without them.
"""

import importlib
import re
from collections.abc import Callable
from typing import Final, NamedTuple

from service.domain.formats import aif, argdown, dot, graphml, kialo, mermaid, microtexts, native, sadface
from service.domain.formats.base import Exported, FormatError, Imported
from service.domain.graph import MapDocument

ExportFn = Callable[[MapDocument], Exported]
ImportFn = Callable[[bytes], Imported]


class FormatInfo(NamedTuple):
    media_type: str
    extension: str
    export: ExportFn | None
    import_: ImportFn | None


FORMATS: Final[dict[str, FormatInfo]] = {
    "argmap": FormatInfo(native.MEDIA_TYPE, "argmap.json", native.export, native.import_),
    "aif": FormatInfo(aif.MEDIA_TYPE, aif.EXTENSION, aif.export, aif.import_),
    "argdown": FormatInfo(argdown.MEDIA_TYPE, argdown.EXTENSION, argdown.export, argdown.import_),
    "graphml": FormatInfo(graphml.MEDIA_TYPE, graphml.EXTENSION, graphml.export, None),
    "dot": FormatInfo(dot.MEDIA_TYPE, dot.EXTENSION, dot.export, None),
    "mermaid": FormatInfo(mermaid.MEDIA_TYPE, mermaid.EXTENSION, mermaid.export, None),
    "kialo": FormatInfo(kialo.MEDIA_TYPE, kialo.EXTENSION, kialo.export, kialo.import_),
    "microtexts": FormatInfo(microtexts.MEDIA_TYPE, microtexts.EXTENSION, None, microtexts.import_),
    "sadface": FormatInfo(sadface.MEDIA_TYPE, sadface.EXTENSION, sadface.export, sadface.import_),
}
# name -> (module, media type, extension); loaded on first use.
LAZY_EXPORTS: Final[dict[str, tuple[str, str, str]]] = {
    "svg": ("service.domain.formats.svg", "image/svg+xml", "svg"),
    "png": ("service.domain.formats.png", "image/png", "png"),
}
_EXTENSIONS: Final = (
    (".argmap.json", "argmap"),
    (".aif.json", "aif"),
    (".sadface.json", "sadface"),
    (".argdown", "argdown"),
    (".ad", "argdown"),
    (".kialo.txt", "kialo"),
    (".xml", "microtexts"),
)
_AIF_TYPES: Final = re.compile(rb'"type"\s*:\s*"(?:I|RA|CA|MA|L|YA|TA|PA)"')


def names() -> list[str]:
    return [*FORMATS, *LAZY_EXPORTS]


def _unknown(fmt: str) -> FormatError:
    return FormatError(f"unknown format {fmt!r}; known formats: {', '.join(names())}")


def export(doc: MapDocument, fmt: str) -> Exported:
    if fmt in LAZY_EXPORTS:
        module_name = LAZY_EXPORTS[fmt][0]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            raise FormatError(f"the {fmt} export is not available in this build") from None
        fn: ExportFn = module.export
        return fn(doc)
    info = FORMATS.get(fmt)
    if info is None:
        raise _unknown(fmt)
    if info.export is None:
        raise FormatError(f"format {fmt!r} can be imported but not exported")
    return info.export(doc)


def sniff(data: bytes, filename: str | None = None, content_type: str | None = None) -> str:
    """Best guess of the format of `data`: content first, then the file name."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        if re.search(rb'"format"\s*:\s*"argmap/', head):
            return "argmap"
        if b'"sadface"' in head.lower() or (b'"metadata"' in head and b'"atom"' in data):
            return "sadface"
        if b'"nodes"' in data and _AIF_TYPES.search(data):
            return "aif"
        if b'"metadata"' in data and b'"core"' in data:
            return "sadface"
        return "argmap" if b'"statements"' in data else "aif"
    if head.startswith(b"<") and b"<arggraph" in data[:65536]:
        return "microtexts"
        # "<Title>: text" is an Argdown argument, not XML
    if head.startswith(b"Discussion Title:"):
        return "kialo"
    if filename:
        lower = filename.lower()
        for ext, name in _EXTENSIONS:
            if lower.endswith(ext):
                return name
    if content_type:
        base = content_type.split(";")[0].strip().lower()
        for name, info in FORMATS.items():
            if info.import_ is not None and info.media_type.split(";")[0] == base and base != "application/json":
                return name
    return "argdown"


def import_(
    data: bytes, fmt: str | None = None, *, filename: str | None = None, content_type: str | None = None
) -> Imported:
    if fmt is None:
        fmt = sniff(data, filename, content_type)
    info = FORMATS.get(fmt)
    if info is None:
        if fmt in LAZY_EXPORTS:
            raise FormatError(f"format {fmt!r} can be exported but not imported")
        raise _unknown(fmt)
    if info.import_ is None:
        raise FormatError(f"format {fmt!r} can be exported but not imported")
    return info.import_(data)
