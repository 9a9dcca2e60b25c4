"""Admin reports (Bearer ADMIN_TOKEN): survey summary, per-day activity, insights, CSV exports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse

from backend.api.deps import SearchIndexDep, SessionDep, SettingsDep, require_admin
from backend.api.respond import respond
from backend.schemas import DailyStats, ErrorResponse, ExperimentsReport, Insights, SurveySummary
from backend.services import reports
from backend.services.experiments import experiments_report
from db.models import InteractionEvent, SurveyResponse

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)],
                   responses={401: {"model": ErrorResponse}})


@router.get("/survey/summary", response_model=SurveySummary, summary="Survey ratings per kind and per day")
def survey_summary(session: SessionDep) -> Response:
    return respond(SurveySummary, reports.survey_summary(session))


@router.get("/stats/daily", response_model=DailyStats, summary="Events by type and survey answers per day")
def daily(session: SessionDep, days: Annotated[int, Query(ge=1, le=366)] = 30) -> Response:
    return respond(DailyStats, reports.daily_stats(session, days))


@router.get("/insights", response_model=Insights,
            summary="Most shown and clicked items, click-through, catalogue")
def insights(session: SessionDep, index: SearchIndexDep) -> Response:
    return respond(Insights, reports.insights(session, index=index))


@router.get("/experiments", response_model=ExperimentsReport,
            summary="A/B experiments per variant: click-through, shop opens, survey, 95 % intervals")
def experiments(session: SessionDep, settings: SettingsDep) -> Response:
    return respond(ExperimentsReport, experiments_report(session, settings.experiment))


def _csv(request: Request, table, filename: str) -> StreamingResponse:  # noqa: ANN001
    return StreamingResponse(
        reports.export_csv(request.app.state.sessionmaker, table), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/export/survey.csv", response_class=StreamingResponse, summary="All survey answers as CSV")
def export_survey(request: Request) -> StreamingResponse:
    return _csv(request, SurveyResponse.__table__, "survey.csv")


@router.get("/export/events.csv", response_class=StreamingResponse, summary="All usage events as CSV")
def export_events(request: Request) -> StreamingResponse:
    return _csv(request, InteractionEvent.__table__, "events.csv")
