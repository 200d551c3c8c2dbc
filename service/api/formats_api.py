"""Export and import in every format the domain codecs know, and bulk NDJSON export.

The codecs are pure functions in `service.domain.formats`; this module only moves bytes
in and out of HTTP, checks permissions, and reports each codec's warnings (what the
target format could not hold, what an import skipped) instead of dropping them silently.
"""

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Stream

from service.api.auth import Principal, require_map, require_user
from service.api.http import bulk_body, etag, not_modified
from service.api.maps import ERRORS, MapRef, check_valid, counts_of, map_info
from service.api.problems import FieldError, Problem
from service.api.schemas import Counts, MapInfo
from service.db import maps as store
from service.db.engine import Database
from service.domain import formats
from service.domain.formats.base import Exported, FormatError
from service.domain.formats.native import encode as native_encode
from service.domain.formats.native import json_schema as native_json_schema
from service.domain.graph import MapDocument

WARNINGS_HEADER = "X-Argmap-Warnings"


class ImportReport(msgspec.Struct, kw_only=True, omit_defaults=True):
    """What an import did (or, with dry_run, would do)."""

    format: str
    dry_run: bool
    counts: Counts
    warnings: list[str]
    map: MapInfo | None = None
    document: MapDocument | None = None


class ExportEnvelope(msgspec.Struct, kw_only=True):
    format: str
    media_type: str
    filename: str
    warnings: list[str]
    data: str


def warnings_header(warnings: list[str]) -> dict[str, str]:
    if not warnings:
        return {}
    # JSON with ASCII escapes: header values must be Latin-1; cap the size for proxies.
    shown = list(warnings)
    text = json.dumps(shown, ensure_ascii=True)
    while len(text) > 6000 and len(shown) > 1:
        shown = shown[: len(shown) // 2]
        text = json.dumps([*shown, f"... and {len(warnings) - len(shown)} more"], ensure_ascii=True)
    return {WARNINGS_HEADER: text, "X-Argmap-Warning-Count": str(len(warnings))}


def format_problem(e: FormatError, status: int = 400) -> Problem:
    return Problem(
        status,
        str(e),
        title="Unreadable file",
        errors=[FieldError(location=e.location, reason=e.message)],
    )


def run_export(doc: MapDocument, fmt: str) -> Exported:
    try:
        return formats.export(doc, fmt)
    except FormatError as e:
        raise Problem(400, str(e), errors=[FieldError(parameter="query:format", reason=e.message)]) from None


def export_response(
    doc: MapDocument, fmt: str, name: str, *, envelope: bool = False, tag: str | None = None
) -> Response[Any]:
    out = run_export(doc, fmt)
    filename = f"{name}.{out.extension}"
    if envelope:
        text = out.data.decode("utf-8", errors="replace") if not out.media_type.startswith("image/png") else ""
        if out.media_type.startswith("image/png"):
            import base64

            text = base64.b64encode(out.data).decode()
        body = ExportEnvelope(
            format=fmt, media_type=out.media_type, filename=filename, warnings=out.warnings, data=text
        )
        return Response(msgspec.json.encode(body), media_type="application/json")
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', **warnings_header(out.warnings)}
    if tag is not None:
        headers["ETag"] = tag
    # Litestar appends the charset to text/* types itself.
    media_type = out.media_type.split(";")[0] if out.media_type.startswith("text/") else out.media_type
    return Response(out.data, media_type=media_type, headers=headers)


FormatParam = Annotated[
    str,
    QueryParameter(description="argmap, aif, argdown, graphml, dot, mermaid, kialo, sadface, svg, png", max_length=20),
]


class FormatsController(Controller):
    path = "/maps"
    tags = ["formats"]

    @get("/{map_ref:str}/export", summary="Export a map (optionally at a revision) in a format", responses=ERRORS)
    async def export_map(
        self,
        request: Request[Any, Any, Any],
        map_ref: MapRef,
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
        format: FormatParam = "argmap",
        revision: Annotated[int | None, QueryParameter(ge=1)] = None,
        envelope: Annotated[bool, QueryParameter(description="Wrap the file and its warnings in JSON")] = False,
    ) -> Response[Any]:
        async with db.read() as conn:
            m = await require_map(conn, principal, map_ref)
            rev = revision or m.revision
            tag = etag(m.id, rev)[:-1] + f'-{format}"'
            if not envelope and not_modified(request, tag):
                return Response(b"", status_code=304, headers={"ETag": tag})
            doc = await store.document_at(conn, m, rev)
        if doc is None:
            raise Problem(404, f"map {map_ref!r} has no revision {revision} (current: {m.revision})")
        name = (m.slug or str(m.id)) + (f"-r{revision}" if revision else "")
        resp = export_response(doc, format, name, envelope=envelope)
        if not envelope:
            resp.headers["ETag"] = tag
        return resp

    @post(
        "/import",
        summary="Import a file in any supported format as a new map (or check it with dry_run)",
        status_code=201,
        responses=ERRORS,
        opt={"any_content_type": True},
        middleware=[bulk_body],
    )
    async def import_map(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
        format: Annotated[
            str | None, QueryParameter(max_length=20, description="Default: sniffed from the content")
        ] = None,
        dry_run: Annotated[bool, QueryParameter(description="Only report what the import would do")] = False,
        visibility: Annotated[str, QueryParameter(pattern="^(private|unlisted|public)$")] = "private",
        filename: Annotated[str | None, QueryParameter(max_length=300)] = None,
    ) -> Response[bytes]:
        user_id = require_user(principal)
        ctype = request.headers.get("content-type", "")
        if ctype.startswith("multipart/form-data"):
            form = await request.form()
            upload = next((v for v in form.values() if hasattr(v, "read")), None)
            if upload is None:
                raise Problem(400, "the multipart body has no file part")
            data = await upload.read()
            filename = filename or getattr(upload, "filename", None)
            ctype = getattr(upload, "content_type", "") or ""
        else:
            data = await request.body()
        if not data:
            raise Problem(400, "the body is empty: send the file as the request body or as a multipart upload")
        try:
            fmt = format or formats.sniff(data, filename, ctype)
            imported = formats.import_(data, fmt, filename=filename, content_type=ctype)
        except FormatError as e:
            raise format_problem(e) from None
        doc = imported.document
        check_valid(doc)
        report = ImportReport(format=fmt, dry_run=dry_run, counts=counts_of(doc), warnings=imported.warnings)
        if dry_run:
            report.document = doc
            return Response(msgspec.json.encode(report), status_code=200, media_type="application/json")
        async with db.write() as conn:
            if doc.slug is not None and await store.get_map(conn, doc.slug) is not None:
                # An imported file may carry the slug of a map that exists: keep both maps.
                doc = msgspec.structs.replace(doc, slug=None)
                report.warnings.append("the file's slug is already used by another map, so the new map has none")
            m = await store.create_map(conn, doc, owner_id=user_id, visibility=visibility, action=f"import {fmt}")
        report.map = map_info(m, owner=principal.name, counts=counts_of(doc))
        return Response(
            msgspec.json.encode(report),
            status_code=201,
            media_type="application/json",
            headers={"Location": f"/maps/{m.id}", **warnings_header(report.warnings)},
        )


@get(
    "/export/maps.ndjson",
    summary="Stream every map you may list as native JSON, one per line",
    tags=["formats"],
    responses=ERRORS,
)
async def export_ndjson(
    db: NamedDependency[Database],
    principal: NamedDependency[Principal],
    q: Annotated[str | None, QueryParameter(max_length=200)] = None,
    author: Annotated[str | None, QueryParameter(max_length=200)] = None,
    topic: Annotated[str | None, QueryParameter(max_length=200)] = None,
) -> Stream:
    async with db.read() as conn:
        rows, _ = await store.list_maps(
            conn, user_id=principal.user_id, is_admin=principal.is_admin, q=q, author=author, topic=topic,
            limit=1_000_000, offset=0,
        )  # fmt: skip
    ids = [str(r.id) for r in rows]

    async def lines() -> AsyncIterator[bytes]:
        # One short read transaction per map keeps memory flat and never holds a
        # snapshot open for the whole (possibly long) download.
        for ref in ids:
            async with db.read() as conn:
                m = await store.get_map(conn, ref)
                if m is None:  # deleted while streaming
                    continue
                doc = await store.load_document(conn, m)
            yield native_encode(doc) + b"\n"

    return Stream(
        lines(),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="maps.ndjson"'},
    )


class FormatInfo(msgspec.Struct, kw_only=True):
    name: str
    media_type: str
    extension: str
    can_import: bool
    can_export: bool


@get("/formats", summary="The formats this server reads and writes", tags=["formats"], responses=ERRORS)
async def list_formats() -> list[FormatInfo]:
    out = [
        FormatInfo(
            name=name,
            media_type=info.media_type,
            extension=info.extension,
            can_import=info.import_ is not None,
            can_export=info.export is not None,
        )
        for name, info in formats.FORMATS.items()
    ]
    out += [
        FormatInfo(name=name, media_type=media, extension=ext, can_import=False, can_export=True)
        for name, (_, media, ext) in formats.LAZY_EXPORTS.items()
    ]
    return out


@get("/formats/argmap/schema", summary="JSON Schema of the native argmap/1 format", tags=["formats"], responses=ERRORS)
async def native_schema() -> Response[bytes]:
    return Response(
        msgspec.json.encode(native_json_schema()),
        media_type="application/schema+json",
        headers={"Cache-Control": "public, max-age=3600"},
    )
