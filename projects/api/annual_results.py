"""/api/annual-results/: the 年度 that have results, newest first, with their figures, and one 年度 with
its breakdowns and projects (projects.annual_results, the 年度別の支援実績 pages' own computation)."""

from ninja import Path, Router

from home import dates
from projects.annual_results import annual_results, available_fiscal_years
from projects.public_records import annual_results_record, annual_results_summary

from .errors import ApiError
from .responses import cached_json
from .schemas import ERRORS, AnnualResults, AnnualSummaryList

router = Router(tags=["年度別の支援実績"])


@router.get(
    "/",
    response={200: AnnualSummaryList, **ERRORS},
    summary="年度別の支援実績の一覧",
    description="実績のある年度(4月〜翌年3月)ごとの件数を、新しい年度から返します。",
    operation_id="list_annual_results",
    openapi_extra={"x-example": "/api/annual-results/"},
)
def list_annual_results(request):
    # The current 年度 decides which years have results, so the day is part of the key.
    return cached_json(
        request.path,
        [dates.today().isoformat()],
        lambda: {
            "items": [annual_results_summary(annual_results(year)) for year in available_fiscal_years()]
        },
    )


@router.get(
    "/{year}/",
    response={200: AnnualResults, **ERRORS},
    summary="1年度の支援実績",
    description="指定した年度の件数、支援内容別・地域別の内訳、プロジェクトの一覧を返します。",
    operation_id="get_annual_results",
    openapi_extra={"x-example": "/api/annual-results/2016/"},
)
def get_annual_results(
    request, year: int = Path(..., ge=1000, le=9999, description="年度(4桁の西暦。例: 2016)。")
):
    def build():
        if year not in available_fiscal_years():
            raise ApiError(404, "この年度の実績はありません。")
        return annual_results_record(year)

    return cached_json(request.path, [dates.today().isoformat()], build)
