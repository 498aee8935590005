"""Persistence."""

from dashboard.store.store import DatasetMeta, DuplicateDatasetError, Store

__all__ = ["DatasetMeta", "DuplicateDatasetError", "Store"]
