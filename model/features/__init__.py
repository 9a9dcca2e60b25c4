"""Preprocessing: normalised categories, colour families, clusters and co-occurrence counts.

Submodules are imported explicitly (``from model.features.names import parse_name``) so that the
light parts (vocabulary, names) never pull in image libraries.
"""
