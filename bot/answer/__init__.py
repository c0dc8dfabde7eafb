"""Extractive answers with citations, or a plain abstention."""
