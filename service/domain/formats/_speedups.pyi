# Types of the compiled hot paths in _speedups.c. Each has a Python reference:
# kialo._layout_py and _util._ref_codes_py.
from collections.abc import Callable

from service.domain.graph import Conflict, Inference, Statement

def kialo_layout(
    statements: list[Statement],
    texts: list[str],
    inferences: list[Inference],
    conflicts: list[Conflict],
    title: str,
    undercut: object,
    fallback: Callable[[], list[int]],
    limit: int,
    /,
) -> tuple[bytes, list[int], int, int, int, int] | None: ...
def ref_codes(keys: list[str], codes: bytes, refs: list[object], missing: int, /) -> bytes | None: ...
