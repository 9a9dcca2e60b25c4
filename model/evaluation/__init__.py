"""The evaluation protocol shared by every recommendation method (see docs/recommender.md)."""
