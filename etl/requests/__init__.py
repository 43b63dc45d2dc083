"""Record-level request logs: the file format, the synthetic generator, ingest and rollups."""
