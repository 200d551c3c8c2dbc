"""/health: is the service up and can it reach its database?"""

from litestar import get
from litestar.di import NamedDependency

from service import __version__
from service.api.problems import Problem, problem_responses
from service.api.schemas import Health
from service.db.engine import Database


@get("/health", summary="Service and database health", tags=["health"], responses=problem_responses(503))
async def health(db: NamedDependency[Database]) -> Health:
    try:
        await db.ping()
    except Exception as e:  # any failure to reach the database is "unhealthy", not a crash
        raise Problem(503, f"the database is unreachable: {type(e).__name__}") from None
    return Health(status="ok", database=db.dialect, version=__version__)
