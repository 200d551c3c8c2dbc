"""The HTTP layer: thin controllers over the domain and the database."""

from typing import Any


def routes() -> list[Any]:
    from service.api.elements import element_routers
    from service.api.health import health
    from service.api.accounts import SharingController, TokensController, UsersController
    from service.api.maps import MapsController

    return [health, MapsController, *element_routers(), UsersController, TokensController, SharingController]
