"""Placeholder: these config checks are being written."""

from __future__ import annotations
