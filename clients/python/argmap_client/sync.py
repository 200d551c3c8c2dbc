"""`Client`: every argmap endpoint as a typed method, over httpx.

GENERATED from aio.py by clients/python/generate_sync.py: edit aio.py, then rerun it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import msgspec

from argmap_client import _base
from argmap_client._base import RETRY_STATUSES, RetryPolicy, if_match_header, params, seg
from argmap_client.errors import PreconditionFailed, TransportError, error_for
from argmap_client.types import (
    AuthorComparison,
    CommentOut,
    ConfirmResult,
    Deleted,
    Element,
    Export,
    FormatInfo,
    Health,
    ImportReport,
    MapComparison,
    MapDiff,
    MapDocument,
    MapInfo,
    MapPage,
    MapPatch,
    MapRole,
    MemberOut,
    RevisionOut,
    ShareCreated,
    ShareOut,
    TokenCreated,
    TokenOut,
    UserCreated,
    UserOut,
    UserRole,
    Visibility,
)

T = TypeVar("T")
_enc = msgspec.json.Encoder()
_doc_decoder = msgspec.json.Decoder(MapDocument)


class Client:
    """A client of one argmap server.

    `base_url` and `token` default to ARGMAP_URL and ARGMAP_TOKEN. Requests the server
    turns away with 429 or 503 are repeated after its Retry-After (or a growing pause),
    up to `retries` times (default: ARGMAP_RETRIES or 3). `last_etag` holds the ETag of the latest response: after an
    element write it pins the next write with `if_match=client.last_etag`."""

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        *,
        timeout: float = 30.0,
        retries: int | None = None,
        backoff: float = 0.5,
        max_retry_wait: float = 60.0,
        headers: dict[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url, self.token = _base.resolve(base_url, token)
        self.retry = RetryPolicy(retries=_base.default_retries(retries), backoff=backoff, max_wait=max_retry_wait)
        self.last_etag: str | None = None
        self._http = httpx.Client(
            base_url=self.base_url,
            headers=_base.headers_for(self.token, headers),
            timeout=timeout,
            transport=transport,
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # ---- transport ------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, Any] | None = None,
        body: Any = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        stream: bool = False,
    ) -> httpx.Response:
        hdrs = dict(headers or {})
        if body is not None:
            content = _enc.encode(body)
            hdrs.setdefault("Content-Type", "application/json")
        attempt = 0
        while True:
            request = self._http.build_request(method, path, params=query, content=content, headers=hdrs)
            try:
                response = self._http.send(request, stream=stream)
            except (httpx.ConnectError, httpx.ConnectTimeout) as e:
                # Nothing reached the server, so any method may be repeated.
                wait = self.retry.delay(attempt, None)
                if wait is None:
                    raise TransportError(0, "Transport error", f"cannot reach {self.base_url}: {e}") from e
                attempt += 1
                time.sleep(wait)
                continue
            except httpx.HTTPError as e:
                raise TransportError(0, "Transport error", f"{method} {path} failed: {e}") from e
            if response.status_code in RETRY_STATUSES:
                wait = self.retry.delay(attempt, response.headers.get("retry-after"))
                if wait is not None:
                    response.close()
                    attempt += 1
                    time.sleep(wait)
                    continue
            if response.status_code >= 400:
                data = response.read()
                response.close()
                raise error_for(response.status_code, data, dict(response.headers), response.reason_phrase)
            self.last_etag = response.headers.get("etag")
            return response

    def _call(self, type_: type[T], method: str, path: str, **kw: Any) -> T:
        response = self._request(method, path, **kw)
        return msgspec.json.decode(response.content, type=type_)

    def _text(self, path: str, query: dict[str, Any] | None = None) -> str:
        response = self._request("GET", path, query=query, headers={"Accept": "text/html"})
        return response.text

    def _empty(self, method: str, path: str, **kw: Any) -> None:
        self._request(method, path, **kw)

    # ---- health -------------------------------------------------------------------------

    def health(self) -> Health:
        return self._call(Health, "GET", "/health")

    # ---- maps -----------------------------------------------------------------------------

    def list_maps(
        self,
        *,
        q: str | None = None,
        author: str | None = None,
        topic: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> MapPage:
        query = params(q=q, author=author, topic=topic, limit=limit, offset=offset)
        return self._call(MapPage, "GET", "/maps", query=query)

    def iter_maps(
        self, *, q: str | None = None, author: str | None = None, topic: str | None = None, page_size: int = 100
    ) -> Iterator[MapInfo]:
        """Every map you may list, page after page."""
        offset = 0
        while True:
            page = self.list_maps(q=q, author=author, topic=topic, limit=page_size, offset=offset)
            yield from page.items
            offset += len(page.items)
            if not page.items or offset >= page.total:
                return

    def create_map(self, document: MapDocument, *, visibility: Visibility = "private") -> MapInfo:
        return self._call(MapInfo, "POST", "/maps", body=document, query=params(visibility=visibility))

    def get_map(self, ref: str, *, revision: int | None = None) -> MapDocument:
        response = self._request("GET", f"/maps/{seg(ref)}", query=params(revision=revision))
        return _doc_decoder.decode(response.content)

    def replace_map(self, ref: str, document: MapDocument, *, if_match: str | int | None = None) -> MapInfo:
        return self._call(MapInfo, "PUT", f"/maps/{seg(ref)}", body=document, headers=if_match_header(if_match))

    def patch_map(
        self, ref: str, patch: MapPatch | None = None, *, if_match: str | int | None = None, **fields: Any
    ) -> MapInfo:
        """Change metadata: pass a `MapPatch` or keyword fields (title=..., visibility=...)."""
        body = patch if patch is not None else msgspec.convert(fields, MapPatch)
        return self._call(MapInfo, "PATCH", f"/maps/{seg(ref)}", body=body, headers=if_match_header(if_match))

    def delete_map(self, ref: str, *, if_match: str | int | None = None) -> None:
        self._empty("DELETE", f"/maps/{seg(ref)}", headers=if_match_header(if_match))

    def edit_map(self, ref: str, fn: Callable[[MapDocument], MapDocument], *, retries: int = 3) -> MapInfo:
        """Read the map, apply `fn` to it and write the result pinned to the revision read.

        When someone else wrote in between (412), read again and re-apply `fn`, up to
        `retries` more times; `fn` must therefore be safe to call more than once."""
        attempt = 0
        while True:
            doc = self.get_map(ref)
            changed = fn(doc)
            try:
                return self.replace_map(ref, changed, if_match=doc.etag or doc.revision)
            except PreconditionFailed:
                if attempt >= retries:
                    raise
                attempt += 1

    def list_revisions(self, ref: str, *, limit: int = 100, offset: int = 0) -> list[RevisionOut]:
        query = params(limit=limit, offset=offset)
        return self._call(list[RevisionOut], "GET", f"/maps/{seg(ref)}/revisions", query=query)

    def restore_revision(self, ref: str, revision: int, *, if_match: str | int | None = None) -> MapInfo:
        path = f"/maps/{seg(ref)}/revisions/{int(revision)}/restore"
        return self._call(MapInfo, "POST", path, headers=if_match_header(if_match))

    # ---- elements -------------------------------------------------------------------------

    def _element_path(self, ref: str, collection: str, element_id: str | None = None) -> str:
        base = f"/maps/{seg(ref)}/{_base.check_collection(collection)}"
        return base if element_id is None else f"{base}/{seg(element_id)}"

    def list_elements(self, ref: str, collection: str) -> list[Element]:
        response = self._request("GET", self._element_path(ref, collection))
        return _base.decode_elements(collection, response.content)

    def get_element(self, ref: str, collection: str, element_id: str) -> Element:
        response = self._request("GET", self._element_path(ref, collection, element_id))
        return _base.decode_element(collection, response.content)

    def create_element(
        self, ref: str, collection: str, element: Element, *, if_match: str | int | None = None
    ) -> Element:
        path = self._element_path(ref, collection)
        response = self._request("POST", path, body=element, headers=if_match_header(if_match))
        return _base.decode_element(collection, response.content)

    def replace_element(
        self, ref: str, collection: str, element: Element, *, if_match: str | int | None = None
    ) -> Element:
        path = self._element_path(ref, collection, element.id)
        response = self._request("PUT", path, body=element, headers=if_match_header(if_match))
        return _base.decode_element(collection, response.content)

    def patch_element(
        self,
        ref: str,
        collection: str,
        element_id: str,
        changes: dict[str, Any],
        *,
        if_match: str | int | None = None,
    ) -> Element:
        """Change some fields; a None value removes an optional field (JSON Merge Patch)."""
        path = self._element_path(ref, collection, element_id)
        response = self._request("PATCH", path, body=changes, headers=if_match_header(if_match))
        return _base.decode_element(collection, response.content)

    def delete_element(
        self,
        ref: str,
        collection: str,
        element_id: str,
        *,
        cascade: bool = False,
        if_match: str | int | None = None,
    ) -> Deleted:
        path = self._element_path(ref, collection, element_id)
        query = params(cascade=cascade)
        return self._call(Deleted, "DELETE", path, query=query, headers=if_match_header(if_match))

    # ---- formats ------------------------------------------------------------------------------

    def list_formats(self) -> list[FormatInfo]:
        """The formats the server reads and writes."""
        return self._call(list[FormatInfo], "GET", "/formats")

    def native_schema(self) -> dict[str, Any]:
        """The JSON Schema of the native argmap/1 format."""
        return self._call(dict[str, Any], "GET", "/formats/argmap/schema")

    def export_map(self, ref: str, format: str = "argmap", *, revision: int | None = None) -> Export:
        query = params(format=format, revision=revision)
        response = self._request("GET", f"/maps/{seg(ref)}/export", query=query, headers={"Accept": "*/*"})
        return _export_of(response)

    def import_map(
        self,
        data: bytes | str | Path,
        *,
        format: str | None = None,
        dry_run: bool = False,
        visibility: Visibility = "private",
        filename: str | None = None,
    ) -> ImportReport:
        """Import a file (bytes, text, or a path) as a new map; `dry_run` only checks it.
        The format is sniffed from the content and file name when not given."""
        if isinstance(data, Path):
            filename = filename or data.name
            data = data.read_bytes()
        content = data.encode("utf-8") if isinstance(data, str) else data
        query = params(format=format, dry_run=dry_run, visibility=visibility, filename=filename)
        headers = {"Content-Type": "application/octet-stream"}
        return self._call(ImportReport, "POST", "/maps/import", query=query, content=content, headers=headers)

    def iter_export(
        self, *, q: str | None = None, author: str | None = None, topic: str | None = None
    ) -> Iterator[MapDocument]:
        """Every map you may list, as native documents, streamed one at a time."""
        for line in self.iter_export_lines(q=q, author=author, topic=topic):
            yield _doc_decoder.decode(line)

    def iter_export_lines(
        self, *, q: str | None = None, author: str | None = None, topic: str | None = None
    ) -> Iterator[bytes]:
        """Like `iter_export`, but each map's native JSON exactly as the server wrote it."""
        response = self._request(
            "GET", "/export/maps.ndjson", query=params(q=q, author=author, topic=topic), stream=True
        )
        try:
            for line in response.iter_lines():
                if line.strip():
                    yield line.encode("utf-8")
        finally:
            response.close()

    # ---- diff and comparison ----------------------------------------------------------------------

    def diff(self, ref: str, from_: int | None = None, to: int | None = None) -> MapDiff:
        """What changed between two revisions of a map (`to` defaults to the current one)."""
        return self._call(MapDiff, "GET", f"/maps/{seg(ref)}/diff", query=params(from_=from_, to=to))

    def compare_authors(self, ref: str, authors: list[str], *, topic: str | None = None) -> AuthorComparison:
        query = params(authors=list(authors), topic=topic)
        return self._call(AuthorComparison, "GET", f"/maps/{seg(ref)}/compare/authors", query=query)

    def compare_authors_view(self, ref: str, authors: list[str], *, topic: str | None = None) -> str:
        return self._text(f"/maps/{seg(ref)}/compare/authors/view", params(authors=list(authors), topic=topic))

    def compare_maps(
        self,
        reference: str,
        candidate: str,
        *,
        confirmed: list[tuple[str, str]] | None = None,
        rejected: list[tuple[str, str]] | None = None,
        threshold: float | None = None,
        reference_revision: int | None = None,
        candidate_revision: int | None = None,
    ) -> MapComparison:
        """Score map `candidate` against map `reference` (ids or slugs). `confirmed` pairs
        (reference statement id, candidate statement id) are taken as matches; `rejected`
        pairs are never suggested."""
        body: dict[str, Any] = params(
            reference=reference,
            candidate=candidate,
            threshold=threshold,
            reference_revision=reference_revision,
            candidate_revision=candidate_revision,
        )
        if confirmed is not None:
            body["confirmed"] = [list(p) for p in confirmed]
        if rejected is not None:
            body["rejected"] = [list(p) for p in rejected]
        return self._call(MapComparison, "POST", "/compare/maps", body=body)

    def confirm_matches(
        self,
        reference: str,
        candidate: str,
        pairs: list[tuple[str, str]],
        *,
        reference_revision: int | None = None,
        if_match: str | int | None = None,
    ) -> ConfirmResult:
        """Record pairs (reference id, candidate id) as equivalences in the candidate map,
        so later comparisons align them without being told; `if_match` pins the candidate."""
        body: dict[str, Any] = params(reference=reference, candidate=candidate, reference_revision=reference_revision)
        body["pairs"] = [list(p) for p in pairs]
        headers = if_match_header(if_match)
        return self._call(ConfirmResult, "POST", "/compare/maps/confirm", body=body, headers=headers)

    def compare_maps_view(
        self,
        reference: str,
        candidate: str,
        *,
        threshold: float | None = None,
        reference_revision: int | None = None,
        candidate_revision: int | None = None,
    ) -> str:
        query = params(
            reference=reference,
            candidate=candidate,
            threshold=threshold,
            reference_revision=reference_revision,
            candidate_revision=candidate_revision,
        )
        return self._text("/compare/maps/view", query)

    # ---- accounts -------------------------------------------------------------------------------

    def me(self) -> UserOut:
        return self._call(UserOut, "GET", "/users/me")

    def list_users(self) -> list[UserOut]:
        return self._call(list[UserOut], "GET", "/users")

    def create_user(self, name: str, email: str, role: UserRole = "teacher") -> UserCreated:
        body = {"name": name, "email": email, "role": role}
        return self._call(UserCreated, "POST", "/users", body=body)

    def delete_user(self, user_id: str) -> None:
        self._empty("DELETE", f"/users/{seg(user_id)}")

    def list_tokens(self) -> list[TokenOut]:
        return self._call(list[TokenOut], "GET", "/auth/tokens")

    def create_token(self, name: str, *, expires_at: str | None = None) -> TokenCreated:
        """A new token for yourself; `expires_at` is an ISO 8601 time with a timezone."""
        body: dict[str, Any] = {"name": name}
        if expires_at is not None:
            body["expires_at"] = expires_at
        return self._call(TokenCreated, "POST", "/auth/tokens", body=body)

    def revoke_token(self, token_id: str) -> None:
        self._empty("DELETE", f"/auth/tokens/{seg(token_id)}")

    # ---- sharing -----------------------------------------------------------------------------------

    def list_members(self, ref: str) -> list[MemberOut]:
        return self._call(list[MemberOut], "GET", f"/maps/{seg(ref)}/members")

    def set_member(self, ref: str, user_id: str, role: MapRole) -> MemberOut:
        return self._call(MemberOut, "PUT", f"/maps/{seg(ref)}/members/{seg(user_id)}", body={"role": role})

    def remove_member(self, ref: str, user_id: str) -> None:
        self._empty("DELETE", f"/maps/{seg(ref)}/members/{seg(user_id)}")

    def list_shares(self, ref: str) -> list[ShareOut]:
        return self._call(list[ShareOut], "GET", f"/maps/{seg(ref)}/shares")

    def create_share(self, ref: str, *, name: str = "", expires_at: str | None = None) -> ShareCreated:
        body: dict[str, Any] = {"name": name}
        if expires_at is not None:
            body["expires_at"] = expires_at
        return self._call(ShareCreated, "POST", f"/maps/{seg(ref)}/shares", body=body)

    def revoke_share(self, ref: str, share_id: str) -> None:
        self._empty("DELETE", f"/maps/{seg(ref)}/shares/{seg(share_id)}")

    def list_comments(self, ref: str, *, element: str | None = None) -> list[CommentOut]:
        query = params(element=element)
        return self._call(list[CommentOut], "GET", f"/maps/{seg(ref)}/comments", query=query)

    def add_comment(self, ref: str, element: str, text: str) -> CommentOut:
        body = {"element": element, "text": text}
        return self._call(CommentOut, "POST", f"/maps/{seg(ref)}/comments", body=body)

    def delete_comment(self, ref: str, comment_id: str) -> None:
        self._empty("DELETE", f"/maps/{seg(ref)}/comments/{seg(comment_id)}")

    # ---- pages and share links --------------------------------------------------------------------

    def view_map(self, ref: str, *, root: str | None = None, depth: int | None = None) -> str:
        return self._text(f"/maps/{seg(ref)}/view", params(root=root, depth=depth))

    def debate_view(self, ref: str, *, topic: str | None = None) -> str:
        return self._text(f"/maps/{seg(ref)}/debate", params(topic=topic))

    def shared_view(self, token: str, *, root: str | None = None, depth: int | None = None) -> str:
        return self._text(f"/s/{seg(token)}", params(root=root, depth=depth))

    def shared_debate(self, token: str, *, topic: str | None = None) -> str:
        return self._text(f"/s/{seg(token)}/debate", params(topic=topic))

    def shared_map(self, token: str) -> MapDocument:
        response = self._request("GET", f"/s/{seg(token)}/map")
        return _doc_decoder.decode(response.content)

    def shared_export(self, token: str, format: str = "argmap") -> Export:
        response = self._request("GET", f"/s/{seg(token)}/export", query=params(format=format))
        return _export_of(response)


def _export_of(response: httpx.Response) -> Export:
    return Export(
        data=response.content,
        media_type=response.headers.get("content-type", "application/octet-stream"),
        filename=_base.filename_of(response.headers),
        warnings=_base.warnings_of(response.headers),
        etag=response.headers.get("etag"),
    )
