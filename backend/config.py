"""Backend-only knobs (environment variables prefixed BACKEND_); shared settings live in db.settings."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from db.settings import PROJECT_ROOT


class BackendSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BACKEND_", env_file=PROJECT_ROOT / ".env",
                                      env_file_encoding="utf-8", extra="ignore")

    startup_timeout_s: float = Field(
        default=30.0, ge=0, description="How long start-up retries an unreachable database before "
        "serving anyway (readiness answers 503 until it is back).")
    threads: int = Field(
        default=8, ge=1, le=200, description="Worker threads for the (synchronous) routes of each "
        "process; more only adds GIL contention, since database calls are short.")
    search_index_interval_s: float = Field(
        default=30.0, gt=0, description="How often new or changed items are added to the search index.")


@lru_cache
def get_backend_settings() -> BackendSettings:
    return BackendSettings()
