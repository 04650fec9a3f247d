"""Placeholder: this family's detectors are being written."""

from __future__ import annotations
