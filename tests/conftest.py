"""Test-wide guards: no test may touch the network (callguard must work air-gapped)."""

from __future__ import annotations

import socket
from typing import Any

import pytest


class NetworkAccessError(AssertionError):
    """Raised when code under test tries to open a network connection."""


def _refuse(*args: Any, **kwargs: Any) -> Any:
    raise NetworkAccessError("callguard tried to use the network during a test")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Block outbound connections and name lookups for every test."""
    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)


@pytest.fixture(autouse=True)
def _stable_fingerprint_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed test key, so fingerprints are comparable across scanners in one test."""
    monkeypatch.setenv("CALLGUARD_FINGERPRINT_KEY", "00112233445566778899aabbccddeeff")
