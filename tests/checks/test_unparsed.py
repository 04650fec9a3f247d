"""CFG098: a recognised config that does not parse is reported, and its text is still scanned."""

from __future__ import annotations

from callguard import Scanner

BROKEN_TF = 'resource "aws_s3_bucket" "b" {\n  bucket = \n'
BROKEN_YAML = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: billing\n"
    "  annotations: {note: [unclosed\n# test card 4111 1111 1111 1111\n"
)


def test_broken_terraform_is_reported_not_skipped() -> None:
    findings = Scanner(profile="config").scan_bytes(BROKEN_TF.encode(), path="main.tf")
    assert [(f.rule_id, f.location.start_line) for f in findings] == [("CFG098", 1)]
    assert "terraform not parsed" in findings[0].message


def test_broken_kubernetes_yaml_points_at_the_error_line_and_pan_is_still_found() -> None:
    findings = Scanner(profile="all").scan_bytes(BROKEN_YAML.encode(), path="pod.yaml")
    by_rule = {(f.rule_id, f.location.start_line) for f in findings}
    assert ("CFG098", 7) in by_rule  # where PyYAML gave up: the end of the file
    assert ("PCI001", 6) in by_rule


def test_valid_terraform_gives_no_parse_finding() -> None:
    text = 'resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n'
    findings = Scanner(profile="config").scan_bytes(text.encode(), path="main.tf")
    assert "CFG098" not in {f.rule_id for f in findings}
