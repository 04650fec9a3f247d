"""Peer conformance: callguard's config checks against Checkov, KICS, Trivy and Semgrep fixtures.

Reads the fixtures BY PATH from shared/external/config-fixtures (never copied), scans each with
the `config` profile, and compares callguard's verdict per resource, block or line with the
verdicts in that folder's README (encoded below as data). Prints agreement per check and in
total, and every disagreement with the peer that disagrees and what callguard chose.

    python benchmarks/conformance.py [FIXTURES_DIR]

UNKNOWN / N-A verdicts are listed but left out of the agreement figures.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from callguard import Finding, Scanner
from callguard.formats import read_text
from callguard.formats.iac import parsed_tree

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "external" / "config-fixtures"
F, P, U = "FAIL", "PASS", "UNKNOWN"


@dataclass(frozen=True)
class Case:
    check: str
    rules: tuple[str, ...]
    path: str
    peer: str
    verdicts: dict[
        str, str
    ]  # subject -> verdict; subject = resource address, "@3-9" (lines) or "file"


def _v(fail: str = "", passed: str = "", unknown: str = "") -> dict[str, str]:
    verdicts = {}
    for words, verdict in ((fail, F), (passed, P), (unknown, U)):
        verdicts.update({word: verdict for word in words.split()})
    return verdicts


CK, TR, KI, SG = "checkov", "trivy", "kics", "semgrep"
LB = ("CFG112", "CFG113")
CASES = [
    Case(
        "RDS encryption",
        ("CFG104",),
        "checkov/CKV_AWS_16-rds-encryption-tf/main.tf",
        CK,
        _v("aws_db_instance.default aws_db_instance.disabled", "aws_db_instance.enabled"),
    ),
    Case(
        "RDS encryption",
        ("CFG104",),
        "checkov/CKV_AWS_16-rds-encryption-cfn/RDSEncryption-FAIL.yaml",
        CK,
        _v("MyDB0 MyDB1"),
    ),
    Case(
        "RDS encryption",
        ("CFG104",),
        "checkov/CKV_AWS_16-rds-encryption-cfn/RDSEncryption-PASSED.yaml",
        CK,
        _v(passed="MyDB0"),
    ),
    Case(
        "S3 encryption",
        ("CFG100",),
        "checkov/CKV_AWS_19-s3-encryption-tf/main.tf",
        CK,
        _v(
            " ".join(f"aws_s3_bucket.bucket_bad_{n}" for n in (2, 3, 4, 5, 6)),
            " ".join(
                f"aws_s3_bucket.{n}"
                for n in (
                    "bucket_good_1",
                    "bucket_good_2",
                    "bucket_good_3",
                    "bucket_good_5",
                    "bucket_good_6",
                    "default_encryption_bucket",
                )
            ),
            "aws_s3_bucket.bucket_unknown aws_s3_bucket.bucket_unknown2"
            " aws_s3_bucket.bucket_unknown3",
        ),
    ),
    Case(
        "S3 encryption",
        ("CFG100",),
        "trivy/AWS-0088-s3-bucket-encryption/terraform-good1.tf",
        TR,
        _v(passed="aws_s3_bucket.good_example"),
    ),
    Case(
        "S3 encryption",
        ("CFG100",),
        "trivy/AWS-0088-s3-bucket-encryption/terraform-good2.tf",
        TR,
        _v(passed="aws_s3_bucket.good_example"),
    ),
    Case(
        "S3 encryption",
        ("CFG100",),
        "trivy/AWS-0088-s3-bucket-encryption/cloudformation-good1.yaml",
        TR,
        _v(passed="GoodExample"),
    ),
    Case(
        "S3 encryption",
        ("CFG100",),
        "trivy/AWS-0088-s3-bucket-encryption/terraform-bad1.tf",
        TR,
        _v("aws_s3_bucket.bad_example"),
    ),
    Case(
        "S3 encryption",
        ("CFG100",),
        "trivy/AWS-0088-s3-bucket-encryption/terraform-bad1.tf",
        CK,
        _v(passed="aws_s3_bucket.bad_example"),
    ),
    Case(
        "S3 encryption",
        ("CFG100",),
        "trivy/AWS-0088-s3-bucket-encryption/terraform-bad2.tf",
        TR,
        _v("aws_s3_bucket.bad_example"),
    ),
    Case(
        "S3 encryption",
        ("CFG100",),
        "trivy/AWS-0088-s3-bucket-encryption/cloudformation-bad1.yaml",
        TR,
        _v("BadExample"),
    ),
    Case(
        "S3 encryption",
        ("CFG100",),
        "trivy/AWS-0088-s3-bucket-encryption/cloudformation-bad1.yaml",
        CK,
        _v(passed="BadExample"),
    ),
    Case(
        "EBS encryption",
        ("CFG107",),
        "checkov/CKV_AWS_3-ebs-encryption-tf/aws_ebs_volume.tf",
        CK,
        _v("aws_ebs_volume.default aws_ebs_volume.disabled", "aws_ebs_volume.enabled"),
    ),
    Case(
        "KMS rotation",
        ("CFG108",),
        "checkov/CKV_AWS_7-kms-rotation-tf/main.tf",
        CK,
        _v(
            " ".join(f"aws_kms_key.fail{n}" for n in range(1, 5)),
            "aws_kms_key.pass1 aws_kms_key.pass2",
            "aws_kms_key.unknown1 aws_kms_key.unknown2",
        ),
    ),
    Case(
        "Security group admin ports",
        ("CFG111",),
        "checkov/CKV_AWS_24-sg-ssh-open-tf/main.tf",
        CK,
        _v(
            "aws_security_group.fail aws_security_group.fail2 aws_security_group.fail3 "
            "aws_security_group.fail4 aws_security_group.fail-ipv6 aws_security_group.not_self "
            "aws_security_group_rule.fail aws_vpc_security_group_ingress_rule.fail "
            "aws_vpc_security_group_ingress_rule.fail2",
            " ".join(
                f"aws_security_group.{n}"
                for n in (
                    "pass",
                    "pass2",
                    "pass3",
                    "pass4",
                    "pass5",
                    "pass6",
                    "pass7",
                    "pass-ipv6",
                    "pass_self",
                    "pass_self2",
                )
            )
            + " aws_security_group_rule.pass aws_security_group_rule.pass2"
            " aws_security_group_rule.pass3 aws_security_group_rule.pass4"
            " aws_vpc_security_group_ingress_rule.pass",
            "aws_security_group_rule.unknown",
        ),
    ),
    Case(
        "LB listener TLS",
        LB,
        "checkov/CKV_AWS_103-alb-tls12-cfn/ALBListenerTLS1.2-FAILED.yaml",
        CK,
        _v(
            "ListenerHTTPSFAILED1 ListenerHTTPSFAILED2 ListenerTLSFAILED1 ListenerTLSFAILED2 "
            "ListenerTLSFAILED3 ListenerHTTPFAILED1"
        ),
    ),
    Case(
        "LB listener TLS",
        LB,
        "checkov/CKV_AWS_103-alb-tls12-cfn/ALBListenerTLS1.2-PASSED.yaml",
        CK,
        _v(
            passed="ListenerHTTPSPASSED1 ListenerHTTPPASSED2 ListenerTLSPASSED1 ListenerTLSPASSED2 "
            "ListenerTLSPASSED3 ListenerTCPPASSED4",
            unknown="ListenerHTTPUnknown",
        ),
    ),
    Case(
        "LB listener TLS",
        LB,
        "trivy/AWS-0047-elb-secure-tls-policy/terraform-good1.tf",
        TR,
        _v(passed="aws_alb_listener.good_example"),
    ),
    Case(
        "LB listener TLS",
        LB,
        "trivy/AWS-0047-elb-secure-tls-policy/terraform-bad1.tf",
        TR,
        _v("aws_alb_listener.bad_example"),
    ),
    Case(
        "LB listener TLS",
        LB,
        "trivy/AWS-0047-elb-secure-tls-policy/cloudformation-good1.yaml",
        TR,
        _v(passed="GoodExample"),
    ),
    Case(
        "LB listener TLS",
        LB,
        "trivy/AWS-0047-elb-secure-tls-policy/cloudformation-bad1.yaml",
        TR,
        _v("BadExample"),
    ),
    Case(
        "LB listener TLS",
        LB,
        "semgrep/tf-insecure-load-balancer-tls-version/insecure-load-balancer-tls-version.tf",
        SG,
        _v(
            "aws_lb_listener.http aws_lb_listener.https_2016 aws_lb_listener.tls_fs_1_1 "
            "aws_alb_listener.tls_fs_1_1",
            "aws_lb_listener.http_redirect aws_lb_listener.tcp aws_lb_listener.udp "
            "aws_lb_listener.tcp_udp aws_lb_listener.tls_fs_1_2 aws_lb_listener.https_fs_1_2 "
            "aws_alb_listener.https_fs_1_2 aws_lb_target_group.foo aws_alb_listener.tls_1_3",
        ),
    ),
    Case(
        "CloudTrail KMS",
        ("CFG109",),
        "checkov/CKV_AWS_35-cloudtrail-kms-cfn/CloudTrailEncryption-FAILED.yaml",
        CK,
        _v("myTrail"),
    ),
    Case(
        "CloudTrail KMS",
        ("CFG109",),
        "checkov/CKV_AWS_35-cloudtrail-kms-cfn/CloudTrailEncryption-PASSED.yaml",
        CK,
        _v(passed="myTrail"),
    ),
    Case(
        "Connect storage CMK",
        ("CFG116",),
        "checkov/CKV_AWS_270-connect-s3-storage-cmk/main.tf",
        CK,
        _v("aws_connect_instance_storage_config.fail", "aws_connect_instance_storage_config.pass"),
    ),
    Case(
        "Connect storage CMK",
        ("CFG116",),
        "checkov/CKV_AWS_269-connect-kvs-storage-cmk/main.tf",
        CK,
        _v("aws_connect_instance_storage_config.fail", "aws_connect_instance_storage_config.pass"),
    ),
    Case(
        "ElastiCache in transit",
        ("CFG115",),
        "trivy/AWS-0051-elasticache-in-transit/terraform-bad1.tf",
        TR,
        _v("aws_elasticache_replication_group.bad_example"),
    ),
    Case(
        "ElastiCache in transit",
        ("CFG115",),
        "trivy/AWS-0051-elasticache-in-transit/terraform-good1.tf",
        TR,
        _v(passed="aws_elasticache_replication_group.good_example"),
    ),
    Case(
        "ElastiCache in transit",
        ("CFG115",),
        "trivy/AWS-0051-elasticache-in-transit/cloudformation-bad1.yaml",
        TR,
        _v("BadExample"),
    ),
    Case(
        "ElastiCache in transit",
        ("CFG115",),
        "trivy/AWS-0051-elasticache-in-transit/cloudformation-good1.yaml",
        TR,
        _v(passed="GoodExample"),
    ),
    Case(
        "DB requires TLS",
        ("CFG106",),
        "semgrep/tf-redshift-require-ssl/aws-insecure-redshift-ssl-configuration.tf",
        SG,
        _v(
            "aws_redshift_parameter_group.failasfalse aws_redshift_parameter_group.fail",
            "aws_redshift_parameter_group.pass aws_redshift_parameter_group.passbutbool",
        ),
    ),
    Case(
        "k8s anonymous auth",
        ("CFG130",),
        "checkov/CKV_K8S_68-apiserver-anonymous-auth/ApiServer-AnonymousAuth-False-PASSED.yaml",
        CK,
        _v(passed="file"),
    ),
    Case(
        "k8s anonymous auth",
        ("CFG130",),
        "checkov/CKV_K8S_68-apiserver-anonymous-auth/ApiServer-AnonymousAuth-True-FAILED.yaml",
        CK,
        _v("file"),
    ),
    Case(
        "k8s anonymous auth",
        ("CFG130",),
        "checkov/CKV_K8S_68-apiserver-anonymous-auth/ApiServer-AnonymousAuth-Missing-FAILED.yaml",
        CK,
        _v("file"),
    ),
    Case(
        "k8s cipher suites",
        ("CFG132",),
        "checkov/CKV_K8S_105-apiserver-strong-ciphers/"
        "ApiServerStrongCryptographicCiphers-FAILED.yaml",
        CK,
        _v("file"),
    ),
    Case(
        "k8s cipher suites",
        ("CFG132",),
        "checkov/CKV_K8S_105-apiserver-strong-ciphers/"
        "ApiServerStrongCryptographicCiphers-PASSED.yaml",
        CK,
        _v(passed="file"),
    ),
    Case(
        "k8s cipher suites",
        ("CFG132",),
        "kics/k8s-weak-tls-cipher-suites/positive1.yaml",
        KI,
        _v("file"),
    ),
    Case(
        "k8s cipher suites",
        ("CFG132",),
        "kics/k8s-weak-tls-cipher-suites/negative1.yaml",
        KI,
        _v(passed="file"),
    ),
    Case(
        "Compose published ports",
        ("CFG140",),
        "kics/compose-ports-not-bound-to-host-interface/positive1.yaml",
        KI,
        _v("file"),
    ),
    Case(
        "Compose published ports",
        ("CFG140",),
        "kics/compose-ports-not-bound-to-host-interface/negative1.yaml",
        KI,
        _v(passed="file"),
    ),
    Case(
        "Spring actuator",
        ("CFG152",),
        "semgrep/spring-actuator-exposure/spring-actuator-fully-enabled.properties",
        SG,
        _v("@4", "@2"),
    ),
    Case(
        "Spring actuator",
        ("CFG152",),
        "semgrep/spring-actuator-exposure/spring-actuator-non-health-enabled.properties",
        SG,
        # Line 8 (`include=*`) is `ok` for semgrep's dangerous-endpoints rule only; its
        # fully-enabled rule reports it, so semgrep as a whole fails it.
        _v("@4 @8", "@6"),
    ),
    # Server configs (checks by the server-config engineer), block-level verdicts.
    Case(
        "TLS protocol (nginx)",
        ("CFG001",),
        "semgrep/nginx-insecure-ssl-version/insecure-ssl-version.conf",
        SG,
        _v("@1-15", "@17-31"),
    ),
    Case(
        "TLS protocol (nginx)",
        ("CFG001",),
        "semgrep/nginx-missing-ssl-version/missing-ssl-version.conf",
        SG,
        _v("@2-13", "@16-24 @27-40"),
    ),
    Case(
        "TLS ciphers (nginx)",
        ("CFG002",),
        "semgrep/nginx-insecure-ssl-version/insecure-ssl-version.conf",
        SG,
        _v("@1-15 @17-31"),
    ),
]

_TF_HEADER = re.compile(r'^resource\s+"([\w-]+)"\s+"([\w-]+)"', re.MULTILINE)


def _headers(path: Path, text: str) -> list[tuple[int, str]]:
    """(line, subject) of every Terraform resource or CloudFormation logical resource."""
    found = [
        (text.count("\n", 0, m.start()) + 1, f"{m.group(1)}.{m.group(2)}")
        for m in _TF_HEADER.finditer(text)
    ]
    if found:
        return found
    tree = parsed_tree(next(read_text(str(path), text)))
    if tree is None or tree.kind != "cloudformation":
        return []
    return sorted(
        (text.count("\n", 0, span[0]) + 1, str(key[2]))
        for key, span in tree.spans.items()
        if len(key) == 3 and key[1] == "Resources"
    )


def _subjects_failed(
    path: Path, text: str, findings: list[Finding], rules: tuple[str, ...]
) -> set[str]:
    """Resources (by header) and lines that a finding of `rules` points into."""
    headers = _headers(path, text)
    failed: set[str] = set()
    for finding in findings:
        if finding.rule_id not in rules:
            continue
        failed.add("file")
        for location in finding.locations:
            failed.add(f"line:{location.start_line}")
            owners = [subject for line, subject in headers if line <= location.start_line]
            if owners:
                failed.add(owners[-1])
    return failed


def _our_verdict(subject: str, failed: set[str]) -> str:
    if subject.startswith("@"):
        low, _, high = subject[1:].partition("-")
        lines = range(int(low), int(high or low) + 1)
        return F if any(f"line:{line}" in failed for line in lines) else P
    return F if subject in failed else P


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    scanner = Scanner(profile="config")
    agree: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    notes: list[str] = []
    for case in CASES:
        path = root / case.path
        text = path.read_text(encoding="utf-8")
        failed = _subjects_failed(path, text, list(scanner.scan_paths([path]).findings), case.rules)
        for subject, verdict in case.verdicts.items():
            ours = _our_verdict(subject, failed)
            if verdict == U:
                notes.append(
                    f"  n/a   {case.check}: {case.peer} {verdict}, callguard {ours}: "
                    f"{case.path} {subject}"
                )
                continue
            tally = agree[f"{case.check}|{case.peer}"]
            tally[1] += 1
            if ours == verdict:
                tally[0] += 1
            else:
                notes.append(
                    f"  DIFF  {case.check}: {case.peer} {verdict}, callguard {ours}: "
                    f"{case.path} {subject}"
                )
    _print(agree, notes)
    return 0


def _print(agree: dict[str, list[int]], notes: list[str]) -> None:
    print(f"{'check':<28} {'peer':<8} {'agree':>9}")
    total = [0, 0]
    for key in sorted(agree):
        check, peer = key.split("|")
        same, count = agree[key]
        total[0] += same
        total[1] += count
        print(f"{check:<28} {peer:<8} {same:>4}/{count:<4}")
    print(f"{'TOTAL':<28} {'':<8} {total[0]:>4}/{total[1]:<4} ({100 * total[0] / total[1]:.1f}%)")
    print("\nDisagreements and undecided verdicts:")
    print("\n".join(notes) or "  none")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
