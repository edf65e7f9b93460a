"""Provenance: content signatures, the result cache, run records."""
