"""Resolve: mentions -> a canonical registry with stable ids and explainable merges.

Public surface: ``resolve``, ``Prior``, ``Resolution``, ``mention_key``, ``explain``.
"""
from .api import Prior, Resolution, mention_key, resolve
from .explain import explain
from .registry import tombstone_entries

__all__ = ["Prior", "Resolution", "explain", "mention_key", "resolve", "tombstone_entries"]
