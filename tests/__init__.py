"""Closet's test suite; its tree mirrors the project's packages."""
