"""Write argmap_client/sync.py from argmap_client/aio.py.

The two clients differ only in `async`/`await` and in the httpx class they wrap, so
the sync one is derived by a fixed list of textual rewrites instead of being kept by
hand. Run `python clients/python/generate_sync.py` after editing aio.py; with `--check`
it only reports (exit 1) when sync.py is out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "argmap_client" / "aio.py"
TARGET = HERE / "argmap_client" / "sync.py"

HEADER = '''"""`Client`: every argmap endpoint as a typed method, over httpx.

GENERATED from aio.py by clients/python/generate_sync.py: edit aio.py, then rerun it.
"""
'''

# Order matters: longer, more specific patterns first.
REWRITES: list[tuple[str, str]] = [
    # Keep the generated file as ruff would write it.
    (r"from collections\.abc import AsyncIterator, Callable", "from collections.abc import Callable, Iterator"),
    (r"for (\w+) in ([\w.]+):\n(\s+)yield \1\n", r"yield from \2\n"),
    (r"\basync def __aenter__\(self\) -> AsyncClient", "def __enter__(self) -> Client"),
    (r"\basync def __aexit__", "def __exit__"),
    (r"\bimport asyncio\b", "import time"),
    (r"\bawait asyncio\.sleep\(", "time.sleep("),
    (r"\bhttpx\.AsyncBaseTransport\b", "httpx.BaseTransport"),
    (r"\bhttpx\.AsyncClient\b", "httpx.Client"),
    (r"\bAsyncClient\b", "Client"),
    (r"\bAsyncIterator\b", "Iterator"),
    (r"\.aiter_lines\(", ".iter_lines("),
    (r"\.aread\(", ".read("),
    (r"\baclose\b", "close"),
    (r"\basync def\b", "def"),
    (r"\basync for\b", "for"),
    (r"\basync with\b", "with"),
    (r"\bawait ", ""),
]


def generate() -> str:
    text = SOURCE.read_text(encoding="utf-8")
    # Replace the module docstring: it describes the async client.
    body = re.sub(r'\A""".*?"""\n', "", text, count=1, flags=re.S)
    for pattern, repl in REWRITES:
        body = re.sub(pattern, repl, body)
    return HEADER + body


def main(argv: list[str]) -> int:
    fresh = generate()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != fresh:
            print(f"{TARGET} is out of date: run python {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(fresh, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
