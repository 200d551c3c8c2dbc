"""Edits of a map as data: a `ChangeSet` says which elements were put or removed and which
metadata fields changed. The same change set is applied to the in-memory graph (to
validate the result), written to the element rows, and kept as the revision's delta in
the history, so the three can never disagree.
"""

from typing import Any

import msgspec

from service.domain.graph import COLLECTIONS, METADATA_FIELDS, SINGULAR, Element, MapDocument, dependents


class ElementChange(msgspec.Struct, frozen=True, omit_defaults=True, kw_only=True):
    collection: str
    id: str
    # The element as it is after the change; None when it was removed.
    value: dict[str, Any] | None = None


class ChangeSet(msgspec.Struct, omit_defaults=True, kw_only=True):
    metadata: dict[str, Any] = {}
    elements: list[ElementChange] = []

    def is_empty(self) -> bool:
        return not self.metadata and not self.elements

    def summary(self) -> str:
        parts = [f"{k}" for k in self.metadata]
        for ch in self.elements[:5]:
            verb = "removed" if ch.value is None else "put"
            parts.append(f"{verb} {SINGULAR.get(ch.collection, ch.collection)} {ch.id}")
        if len(self.elements) > 5:
            parts.append(f"and {len(self.elements) - 5} more")
        return "; ".join(parts)[:500]


class NotFound(Exception):
    def __init__(self, collection: str, element_id: str) -> None:
        super().__init__(f"{SINGULAR.get(collection, collection)} {element_id!r} does not exist in this map")
        self.collection = collection
        self.element_id = element_id


class HasDependents(Exception):
    def __init__(self, collection: str, element_id: str, found: list[tuple[str, str]]) -> None:
        names = ", ".join(f"{SINGULAR[c]} {i}" for c, i in found[:20])
        more = f" and {len(found) - 20} more" if len(found) > 20 else ""
        super().__init__(
            f"{SINGULAR[collection]} {element_id!r} is referenced by {names}{more}; "
            "remove those first or repeat with ?cascade=true"
        )
        self.dependents = found


def element_to_builtins(el: Element) -> dict[str, Any]:
    out: dict[str, Any] = msgspec.to_builtins(el)
    return out


def find(doc: MapDocument, collection: str, element_id: str) -> Element:
    for el in getattr(doc, collection):
        if el.id == element_id:
            found: Element = el
            return found
    raise NotFound(collection, element_id)


def apply(doc: MapDocument, changes: ChangeSet) -> MapDocument:
    """A new document with `changes` applied; `doc` itself is left as it was."""
    updates: dict[str, Any] = dict(changes.metadata)
    by_collection: dict[str, list[ElementChange]] = {}
    for ch in changes.elements:
        by_collection.setdefault(ch.collection, []).append(ch)
    for collection, chs in by_collection.items():
        struct = COLLECTIONS[collection]
        items: list[Element] = list(getattr(doc, collection))
        index = {el.id: k for k, el in enumerate(items)}
        removed: set[int] = set()
        for ch in chs:
            k = index.get(ch.id)
            if ch.value is None:
                if k is not None:
                    removed.add(k)
                    del index[ch.id]
                continue
            el = msgspec.convert(ch.value, struct)
            if k is None:
                index[ch.id] = len(items)
                items.append(el)
            else:
                items[k] = el
        updates[collection] = [el for k, el in enumerate(items) if k not in removed]
    return msgspec.structs.replace(doc, **updates)


def put_element(doc: MapDocument, collection: str, element: Element) -> ChangeSet:
    return ChangeSet(elements=[ElementChange(collection=collection, id=element.id, value=element_to_builtins(element))])


def delete_element(doc: MapDocument, collection: str, element_id: str, *, cascade: bool) -> ChangeSet:
    """Changes that remove the element. Statements, inferences and the like that depend
    on it are removed too when `cascade`; references from statements to an author,
    source or topic are cleared instead, since the statement still stands without them."""
    find(doc, collection, element_id)
    found = dependents(doc, element_id)
    if found and not cascade:
        raise HasDependents(collection, element_id, found)
    changes: list[ElementChange] = []
    done: set[str] = {element_id}
    # Removing an inference can orphan the undercuts against it: follow references
    # until nothing new depends on what is being removed.
    queue = list(found)
    while queue:
        dep_collection, dep_id = queue.pop(0)
        if dep_id in done:
            continue
        if dep_collection == "statements" and collection in ("authors", "sources", "topics"):
            st = find(doc, "statements", dep_id)
            cleared = element_to_builtins(st)
            if cleared.get("author") == element_id:
                cleared.pop("author")
            if cleared.get("locator", {}).get("source") == element_id:
                cleared.pop("locator")
            if "stances" in cleared:
                cleared["stances"] = [s for s in cleared["stances"] if s["topic"] != element_id]
            changes.append(ElementChange(collection="statements", id=dep_id, value=cleared))
            continue
        if dep_collection in ("inferences", "conflicts", "equivalences") and collection == "authors":
            el = element_to_builtins(find(doc, dep_collection, dep_id))
            el.pop("author", None)
            changes.append(ElementChange(collection=dep_collection, id=dep_id, value=el))
            continue
        done.add(dep_id)
        queue.extend(dependents(doc, dep_id))
        changes.append(ElementChange(collection=dep_collection, id=dep_id))
    # Removals are ordered dependents-first so that storage never holds a dangling
    # reference, even for a moment.
    changes.reverse()
    changes.append(ElementChange(collection=collection, id=element_id))
    return ChangeSet(elements=changes)


def metadata_changes(doc: MapDocument, patch: dict[str, Any]) -> ChangeSet:
    return ChangeSet(metadata={k: v for k, v in patch.items() if k in METADATA_FIELDS and getattr(doc, k) != v})
