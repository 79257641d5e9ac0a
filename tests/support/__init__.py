"""Test support shared by the crawler tests and the end-to-end tests: a loopback HTTP server and fixture sites."""
