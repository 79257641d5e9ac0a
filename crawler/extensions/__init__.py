"""Extensions: the crawl reporter (progress lines and the run's summary)."""
