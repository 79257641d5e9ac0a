"""Item pipelines, in order: extract text, store raw bytes, store the document row."""
