"""Shared state: when articles were first seen, and which digests were posted."""
