"""FastAPI service for item search, metadata, outfits, shop links, survey and events."""
