"""The API's own NinjaAPI instance. Wagtail 8 ships one (`wagtail.api.v3.api`), but it has write endpoints
and a generic pages endpoint that reads any page type past the catalog's querysets; this one serves only the
read-only resources below, each through the named visible querysets (docs/api.md)."""

from ninja import NinjaAPI

from . import annual_results, events, organizations, projects, taxonomy
from .errors import register_error_handlers

api = NinjaAPI(
    title="八王子市市民活動支援センター オープンデータAPI",
    version="1.0.0",
    description="プロボノ支援のプロジェクト・団体・イベント・分類・年度別の支援実績を JSON で提供します。"
    "取得(GET)だけの読み取り専用で、登録は不要です。",
    urls_namespace="open_data_api",
    # The schema is served by views.schema (rate limited, cached); no Swagger UI, which loads from a CDN.
    openapi_url=None,
    docs_url=None,
)
register_error_handlers(api)

api.add_router("/projects/", projects.router)
api.add_router("/organizations/", organizations.router)
api.add_router("/events/", events.router)
api.add_router("/taxonomy/", taxonomy.router)
api.add_router("/annual-results/", annual_results.router)
