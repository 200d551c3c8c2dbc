"""What every codec returns and raises: the contract between formats and their callers.

A codec is a pair of pure functions over bytes and `MapDocument`. Losses are reported,
never silent: an export lists what the target format could not hold, an import lists
what it skipped and why.
"""

from dataclasses import dataclass, field

from service.domain.graph import MapDocument


class FormatError(Exception):
    """A file that cannot be read as its format. `location` points at the place:
    a JSON pointer ("/nodes/3/type"), "line 12, column 4", or an XML element id."""

    def __init__(self, message: str, location: str | None = None) -> None:
        super().__init__(message if location is None else f"{message} (at {location})")
        self.message = message
        self.location = location


@dataclass(slots=True)
class Exported:
    data: bytes
    media_type: str
    extension: str
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Imported:
    document: MapDocument
    warnings: list[str] = field(default_factory=list)
