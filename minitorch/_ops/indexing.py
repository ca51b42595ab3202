"""Indexing, gather and scatter ops (being written: see issue 2)."""
__all__: list = []
