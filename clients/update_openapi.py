"""Regenerate clients/openapi.json, the committed API contract, from this code base.

Run `.venv/bin/python clients/update_openapi.py` (same as `argmap openapi --write
clients/openapi.json`); `--check` exits 1 when the committed file is stale.
"""

import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent / "openapi.json"


def main(argv: list[str]) -> int:
    from service.cli.remote import canonical_json, local_openapi

    text = canonical_json(local_openapi())
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is stale: run python {Path(__file__).name}", file=sys.stderr)
            return 1
        print(f"{TARGET} is up to date")
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    raise SystemExit(main(sys.argv[1:]))
