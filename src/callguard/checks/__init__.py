"""Config checks: encryption and access settings of the systems a contact center runs."""

from __future__ import annotations
