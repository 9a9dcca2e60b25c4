"""The refresh pipeline: crawl -> features -> train -> evaluation, incremental (docs/pipeline.md)."""
