"""In-app survey: a 1-5 rating of a recommended item or an outfit."""

from __future__ import annotations

from fastapi import APIRouter, Response

from backend.api.deps import SessionDep, SettingsDep, WriteGateDep
from backend.api.respond import respond
from backend.schemas import Created, ErrorResponse, SurveyIn
from backend.services.recording import record_survey

router = APIRouter(tags=["survey"])


@router.post("/survey", status_code=201, response_model=Created,
             responses={422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
             summary="Record one survey answer")
async def create_response(body: SurveyIn, session: SessionDep, settings: SettingsDep,
                          writes: WriteGateDep) -> Response:
    answer_id = await writes.run(record_survey, session, body, settings.experiment)
    return respond(Created, {"id": answer_id}, status_code=201)
