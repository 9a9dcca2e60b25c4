"""Importers that load outfit data (exported crawls, real data sets) into the database."""
