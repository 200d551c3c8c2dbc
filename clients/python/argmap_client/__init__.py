"""argmap_client: a typed client (sync and async) for the argmap HTTP API.

    from argmap_client import Client
    with Client("http://127.0.0.1:8000", token="amp_...") as api:
        for info in api.iter_maps(q="belarus"):
            print(info.slug, info.revision)

Wire types live in `argmap_client.types`; exceptions in `argmap_client.errors` (both are
re-exported here, except the map element `Conflict`, which is `ConflictElement` here
because `Conflict` names the HTTP 409 exception).
"""

from argmap_client._base import OPERATIONS, RetryPolicy
from argmap_client.aio import AsyncClient
from argmap_client.errors import (
    ArgmapError,
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    RateLimited,
    ServerError,
    TransportError,
    Unauthorized,
    ValidationFailed,
)
from argmap_client.sync import Client
from argmap_client.types import (
    COLLECTIONS,
    Author,
    AuthorComparison,
    ConflictElement,
    Equivalence,
    Export,
    Health,
    ImportReport,
    Inference,
    Locator,
    MapComparison,
    MapDiff,
    MapDocument,
    MapInfo,
    MapPage,
    MapPatch,
    Source,
    Stance,
    Statement,
    Topic,
)

__version__ = "0.1.0"
__all__ = [
    "COLLECTIONS",
    "OPERATIONS",
    "ArgmapError",
    "AsyncClient",
    "Author",
    "AuthorComparison",
    "Client",
    "Conflict",
    "ConflictElement",
    "Equivalence",
    "Export",
    "Forbidden",
    "Health",
    "ImportReport",
    "Inference",
    "Locator",
    "MapComparison",
    "MapDiff",
    "MapDocument",
    "MapInfo",
    "MapPage",
    "MapPatch",
    "NotFound",
    "PreconditionFailed",
    "RateLimited",
    "RetryPolicy",
    "ServerError",
    "Source",
    "Stance",
    "Statement",
    "Topic",
    "TransportError",
    "Unauthorized",
    "ValidationFailed",
]
