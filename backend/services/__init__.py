"""Database work behind the routes: search, index upkeep, items, outfits."""
