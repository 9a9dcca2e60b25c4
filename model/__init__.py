"""Features (categories, colours, clusters) and the recommender (candidates + LightGCN)."""
