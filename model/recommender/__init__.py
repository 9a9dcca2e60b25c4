"""Closet's recommender: `Recommender.load().recommend(item_id, k=10)` (see docs/recommender.md)."""

from model.recommender.api import ArtifactMissing, GarmentQuery, Recommendation, Recommender, UnknownItem
from model.recommender.outfits import ClosetOutfit, OutfitPair, OutfitScore, ShopPick

__all__ = ["ArtifactMissing", "ClosetOutfit", "GarmentQuery", "OutfitPair", "OutfitScore", "Recommendation",
           "Recommender", "ShopPick", "UnknownItem"]
