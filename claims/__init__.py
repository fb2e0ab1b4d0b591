"""Claims: ingest an article, strip boilerplate, segment it into attributed, scored claims."""
