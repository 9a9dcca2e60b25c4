"""A/B experiments: which variant of the ranking a browser session sees.

The variant is a pure function of (salt, session id), so the backend (which stamps it on every event and
survey row) and the app (which ranks accordingly) agree without storing an assignment table, and the same
session always sees the same variant. Changing the salt re-shuffles everyone for a new experiment.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict, Field, field_validator

CONTROL = "control"
FEEDBACK = "feedback"


class ExperimentConfig(BaseModel):
    """One running experiment: a name, variants with relative weights, and the hashing salt."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(default="feedback-v1", min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    variants: dict[str, float] = Field(default_factory=lambda: {CONTROL: 0.5, FEEDBACK: 0.5})
    salt: str = Field(default="closet-feedback-2026-12", min_length=1, max_length=200)

    @field_validator("variants")
    @classmethod
    def _weights(cls, variants: dict[str, float]) -> dict[str, float]:
        if not variants:
            raise ValueError("an experiment needs at least one variant")
        if any(w < 0 for w in variants.values()) or sum(variants.values()) <= 0:
            raise ValueError("variant weights must be non-negative and not all zero")
        if any(not name or len(name) > 32 for name in variants):
            raise ValueError("variant names are 1-32 characters")
        return variants


def _unit_interval(salt: str, session_id: str) -> float:
    """A uniform number in [0, 1) from the first 8 bytes of SHA-256(salt ':' session id)."""
    digest = hashlib.sha256(f"{salt}:{session_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def assign_variant(config: ExperimentConfig, session_id: str) -> str:
    """The session's variant: the weights cut [0, 1) into consecutive slices, in the order given."""
    total = sum(config.variants.values())
    point = _unit_interval(config.salt, session_id) * total
    edge = 0.0
    for name, weight in config.variants.items():
        edge += weight
        if point < edge:
            return name
    return next(name for name, weight in reversed(config.variants.items()) if weight > 0)


def experiment_columns(config: ExperimentConfig, session_id: str | None) -> dict[str, str | None]:
    """The `experiment` and `variant` columns for a row of this session (NULL without a session)."""
    if not session_id:
        return {"experiment": None, "variant": None}
    return {"experiment": config.name, "variant": assign_variant(config, session_id)}
