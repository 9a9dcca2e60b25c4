"""In-app survey: a 1-5 rating of a recommended item or an outfit."""

from __future__ import annotations

from fastapi import APIRouter, Response

from backend.api.deps import SessionDep, SettingsDep
from backend.api.respond import respond
from backend.errors import ApiError
from backend.schemas import Created, ErrorResponse, SurveyIn
from backend.services.items import unknown_references
from db.experiments import experiment_columns
from db.models import SurveyResponse

router = APIRouter(tags=["survey"])


@router.post("/survey", status_code=201, response_model=Created,
             responses={422: {"model": ErrorResponse}}, summary="Record one survey answer")
def create_response(body: SurveyIn, session: SessionDep, settings: SettingsDep) -> Response:
    unknown = unknown_references(session, [body.item_id, body.query_item_id], [body.outfit_id])
    if unknown:
        raise ApiError(422, "unknown_reference", "The answer refers to items or outfits that do not exist.",
                       unknown)
    response = SurveyResponse(**body.model_dump(), **experiment_columns(settings.experiment, body.session_id))
    session.add(response)
    session.commit()
    return respond(Created, {"id": response.id}, status_code=201)
