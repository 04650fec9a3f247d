"""Start-up stays light: `import callguard`, `--help` and a PCI scan never load the NLP stack."""

from __future__ import annotations

import subprocess
import sys

HEAVY = (
    "presidio_analyzer",
    "spacy",
    "thinc",
    "torch",
    "cryptography.hazmat",
    "jsonschema",
    "fsspec",
)


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    output = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return {name for name in output.splitlines() if name.startswith(HEAVY)}


def test_import_callguard_is_light() -> None:
    assert _loaded_after("import callguard") == set()


def test_pci_scan_is_light() -> None:
    code = "import callguard\ncallguard.scan_text('card 4111 1111 1111 1111', profile='pci')"
    assert _loaded_after(code) == set()


def test_cli_help_is_light() -> None:
    code = (
        "import sys\nfrom callguard.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert _loaded_after(code) == set()
