"""The refresh pipeline: crawl -> features -> train -> feedback -> evaluation, incremental
(docs/pipeline.md)."""
