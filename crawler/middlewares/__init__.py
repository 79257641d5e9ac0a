"""Downloader middlewares: address/scheme policy and conditional requests for pages."""
