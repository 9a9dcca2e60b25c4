"""HTTP layer: dependencies and one router per resource under /api/v1."""
