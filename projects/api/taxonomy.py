"""/api/taxonomy/: the catalog's five facets with their terms in display order, each with the number of
visible catalog projects that carry it."""

from typing import Annotated, Literal

from ninja import Path, Router

from projects.models import FACETS
from projects.public_records import published_projects, term_records

from .responses import cached_json
from .schemas import ERRORS, Facet, Taxonomy

router = Router(tags=["分類"])

FacetKey = Literal[tuple(facet.key for facet in FACETS)]


def _facets():
    terms = term_records(published_projects())
    return {
        facet.key: {"key": facet.key, "label": str(facet.label), "terms": terms[facet.key]}
        for facet in FACETS
    }


@router.get(
    "/",
    response={200: Taxonomy, **ERRORS},
    summary="分類の一覧",
    description="解決したい課題・カテゴリ・支援内容・地域・プログラムの5つの分類と、その項目を返します。"
    "項目のスラッグはプロジェクトの絞り込みに使えます。",
    operation_id="list_facets",
    openapi_extra={"x-example": "/api/taxonomy/"},
)
def list_facets(request):
    return cached_json(request.path, [], lambda: {"facets": list(_facets().values())})


@router.get(
    "/{facet}/",
    response={200: Facet, **ERRORS},
    summary="分類1つ",
    description="指定した分類の項目を返します。",
    operation_id="get_facet",
    openapi_extra={"x-example": "/api/taxonomy/area/"},
)
def get_facet(
    request,
    facet: Annotated[FacetKey, Path(description="分類のキー(problem、category、support、area、program)。")],
):
    return cached_json(request.path, [], lambda: _facets()[facet])
