"""Closet's recommender: `Recommender.load().recommend(item_id, k=10)` (see docs/recommender.md)."""

from model.recommender.api import ArtifactMissing, GarmentQuery, Recommendation, Recommender, UnknownItem

__all__ = ["ArtifactMissing", "GarmentQuery", "Recommendation", "Recommender", "UnknownItem"]
