"""One settings object for every Closet process, read from the environment and `.env`.

Kept in `db/` because every other package (backend, frontend, model, crawler) already
depends on the database layer; putting settings here adds no new dependency.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from db.experiments import ExperimentConfig

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _absolute(path: Path) -> Path:
    """Resolve a relative path against the project root, so commands work from any directory."""
    return path if path.is_absolute() else PROJECT_ROOT / path


class Settings(BaseSettings):
    """Closet configuration; every field can be set as an upper-case environment variable."""

    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(
        default="sqlite:///data/closet.db",
        description="SQLAlchemy URL; relative SQLite paths are resolved against the project root.",
    )
    data_dir: Path = Field(default=Path("data"), description="Databases, images, demo shop.")
    artifact_dir: Path = Field(default=Path("data/artifacts"), description="Trained models.")
    image_dir: Path = Field(default=Path("data/images"), description="Content-addressed images.")
    backend_url: str = Field(default="http://127.0.0.1:8000", description="Used by the frontend.")
    backend_host: str = "127.0.0.1"
    backend_port: int = 8000
    backend_workers: int = 1
    backend_threads: int = Field(
        default=2, ge=1, le=200, description="Worker threads for the backend's synchronous routes, per "
        "process. Reads are short and mostly CPU under one GIL: more threads only share the CPU between more "
        "requests at once (at 1,000,000 items, 8 threads doubled the p99 of 2 on SQLite); raise it for a "
        "database far away, whose round trips leave the CPU idle.")
    backend_startup_timeout_s: float = Field(
        default=30.0, ge=0, description="How long backend start-up retries an unreachable database "
        "before serving anyway (readiness answers 503 until it is back).")
    backend_search_index_interval_s: float = Field(
        default=30.0, gt=0,
        description="How often the backend adds new or changed items to its search index.")
    backend_max_body_bytes: int = Field(
        default=1_048_576, ge=1, description="Largest request body the backend reads (bytes); a larger "
        "one answers 413 before it is read into memory.")
    backend_write_timeout_s: float = Field(
        default=3.0, gt=0, le=60, description="How long a backend write waits for a free writer thread "
        "and then for a database lock (SQLite busy timeout, MariaDB lock wait timeout) before it answers "
        "503 with Retry-After.")
    backend_write_threads: int = Field(
        default=2, ge=1, le=32, description="Threads that run the backend's writes (events, survey, shop "
        "clicks), apart from the read threads, so a held write lock never stalls reads.")
    admin_token: SecretStr | None = Field(
        default=None, description="Bearer token for admin endpoints; unset disables them."
    )
    recommend_floor: float | None = Field(
        default=None, ge=0.0, lt=1.0,
        description="Matches must have a calibrated probability above this; unset: what the trained "
        "artifact measured for a random item of the candidate's big class (model/recommender/shopper.py).")
    recommend_exact_below: int = Field(
        default=200_000, ge=0,
        description="Catalogues with fewer items score every item exactly; larger ones score a candidate "
        "set (faiss nearest neighbours plus co-occurrence rows) and rescore it exactly "
        "(model/recommender/candidates.py).")
    shop_hosts: list[str] = Field(
        default=["www.musinsa.com", "store.musinsa.com", "musinsa.com", "shop.mango.com"],
        description="Hosts the shop-link redirect may send a browser to (any port, http or https).",
    )
    shop_origins: list[str] = Field(
        default=["http://127.0.0.1:8600"],
        description="Exact origins (scheme://host:port) the shop-link redirect may also go to: the "
        "local replica shop, and no other local port.",
    )

    experiment: ExperimentConfig = Field(
        default_factory=ExperimentConfig,
        description="The running A/B experiment (JSON: name, variants with weights, salt); the shipped "
        "default splits sessions evenly between `control` and `feedback`.")
    feedback_pseudo_count: float = Field(
        default=5.0, gt=0, description="Feedback evidence: Beta prior strength towards the model's "
        "probability, in examinations (more = a few clicks move the ranking less).")
    feedback_explore_share: float = Field(
        default=0.05, ge=0, le=1, description="Share of `feedback` match pages shown in a shuffled order, "
        "from which the job estimates how often each rank is looked at.")

    @field_validator("data_dir", "artifact_dir", "image_dir")
    @classmethod
    def _resolve_dirs(cls, value: Path) -> Path:
        return _absolute(value)

    @field_validator("database_url")
    @classmethod
    def _resolve_sqlite_path(cls, value: str) -> str:
        prefix = "sqlite:///"
        if value.startswith(prefix) and value != prefix + ":memory:":
            path = Path(value[len(prefix):])
            if not path.is_absolute():
                return prefix + str(_absolute(path))
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached: the environment is read once)."""
    return Settings()
