"""Spiders; one per source kind."""
