"""What replaces a finding: the strategy per entity type, and how each strategy renders.

Strategies (INTERFACE.md, "Redaction"):
* `tag`     -> `[CREDIT_CARD]`
* `mask`    -> same length: digits `#`, other characters `*`; spaces and `- . / : @` kept
* `partial` -> PCI DSS 3.4.1 display rule for card numbers: at most the first six and last four
               digits of the whole number (counted over all its pieces); nothing of sensitive
               authentication data (CVV, PIN, expiry, track data); every other type masked
* `hash`    -> `[CREDIT_CARD:hmac:1a2b3c4d5e6f]`, HMAC-SHA256 under the redaction key of the
               type and the value's letters and digits: the same card gives the same token
* `token`   -> reversible authenticated encryption (see tokens.py)
* `keep`    -> left as it is (e.g. `PERSON=keep` when only card data must go)
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from callguard.errors import ConfigError, KeyMaterialError
from callguard.redaction.keys import HASH_PURPOSE, RedactionKey

if TYPE_CHECKING:
    from callguard.redaction.pieces import Piece
    from callguard.redaction.tokens import TokenCipher

STRATEGIES = ("tag", "mask", "partial", "hash", "token", "keep")
_KEYED = frozenset({"hash", "token"})
_SHOWN = " -./:@"
_PAN_MIN_DIGITS = 13


@dataclass(frozen=True)
class Policy:
    """The strategy for each entity type, with a default for the rest."""

    default: str = "tag"
    by_type: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def strategy_for(self, entity_type: str) -> str:
        """The strategy that applies to `entity_type`; config checks are never redacted."""
        if entity_type == "CONFIG":
            return "keep"
        return self.by_type.get(entity_type, self.default)

    @property
    def needs_key(self) -> bool:
        """True if any strategy is keyed (hash, token)."""
        return self.default in _KEYED or any(s in _KEYED for s in self.by_type.values())

    @property
    def uses_tokens(self) -> bool:
        return self.default == "token" or "token" in self.by_type.values()

    def describe(self) -> dict[str, str]:
        """The policy as a plain mapping, for run summaries."""
        return {"default": self.default, **dict(sorted(self.by_type.items()))}

    @classmethod
    def parse(cls, text: str) -> Policy:
        """`partial`, or `CREDIT_CARD=partial,CARD_CVV=mask,default=tag` (types upper case)."""
        default, by_type = "tag", {}
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            name, _, strategy = part.rpartition("=")
            strategy = strategy.strip().lower()
            if strategy not in STRATEGIES:
                allowed = "|".join(STRATEGIES)
                raise ConfigError(f"--strategy: unknown strategy {strategy!r}; use {allowed}")
            name = name.strip()
            if not name or name.lower() == "default":
                default = strategy
            elif name.replace("_", "").isalnum() and name.isupper():
                by_type[name] = strategy
            else:
                raise ConfigError(f"--strategy: {name!r} is not an entity type like CREDIT_CARD")
        return cls(default=default, by_type=MappingProxyType(by_type))


def as_policy(strategy: str | Policy) -> Policy:
    """A Policy from a Policy or its text form."""
    return strategy if isinstance(strategy, Policy) else Policy.parse(strategy)


class Renderer:
    """Turns pieces into replacement text under one policy and key."""

    def __init__(self, policy: Policy, key: RedactionKey | None) -> None:
        if policy.needs_key and key is None:
            raise KeyMaterialError(
                "strategies hash and token need a key: --key-file FILE (chmod 600) or "
                "CALLGUARD_REDACTION_KEY (64 hex digits)"
            )
        self.policy = policy
        self._hash_key = key.derive(HASH_PURPOSE) if key is not None else b""
        self._cipher: TokenCipher | None = None
        if policy.uses_tokens and key is not None:
            from callguard.redaction.tokens import TokenCipher

            self._cipher = TokenCipher(key)

    def __repr__(self) -> str:
        return f"Renderer({self.policy.describe()})"

    def render(self, piece: Piece) -> str:
        """The replacement for one piece, not yet escaped for the file's syntax."""
        strategy = self.policy.strategy_for(piece.entity_type)
        if strategy == "tag":
            return f"[{piece.entity_type}]"
        if strategy == "hash":
            message = f"{piece.entity_type}\x00{piece.group_value}".encode("utf-8", "replace")
            digest = hmac.new(self._hash_key, message, hashlib.sha256).hexdigest()[:12]
            return f"[{piece.entity_type}:hmac:{digest}]"
        if strategy == "token" and self._cipher is not None:
            return self._cipher.seal(piece.entity_type, piece.raw)
        if strategy == "partial" and piece.entity_type == "CREDIT_CARD" and not piece.merged:
            return _partial_pan(piece)
        if strategy == "keep":
            return piece.text
        return mask(piece.text)


def mask(text: str) -> str:
    """Same length: digits `#`, everything else `*`, spaces and `- . / : @` kept."""
    return "".join(
        "#" if char.isdigit() else char if char in _SHOWN or char.isspace() else "*"
        for char in text
    )


def _partial_pan(piece: Piece) -> str:
    """First six and last four digits of the whole number, counted across its pieces."""
    total = piece.digit_total
    if total < _PAN_MIN_DIGITS:
        return mask(piece.text)
    out: list[str] = []
    index = piece.digit_offset
    for char in piece.text:
        if char.isdigit():
            out.append(char if index < 6 or index >= total - 4 else "*")
            index += 1
        else:
            out.append(char if char in _SHOWN or char.isspace() else "*")
    return "".join(out)
