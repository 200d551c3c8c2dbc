"""The HTTP layer: thin controllers over the domain and the database."""

from typing import Any


def routes() -> list[Any]:
    from service.api.accounts import SharingController, TokensController, UsersController
    from service.api.compare_api import compare_routes
    from service.api.elements import element_routers
    from service.api.formats_api import FormatsController, export_ndjson, list_formats, native_schema
    from service.api.health import health
    from service.api.maps import MapsController
    from service.api.pages import page_routes

    return [
        health,
        FormatsController,
        MapsController,
        *element_routers(),
        UsersController,
        TokensController,
        SharingController,
        export_ndjson,
        list_formats,
        native_schema,
        *page_routes(),
        *compare_routes(),
    ]
