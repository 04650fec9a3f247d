"""Config checks: encryption and access settings (being written)."""

from __future__ import annotations
