"""AWS checks on Terraform and CloudFormation: each check fails, passes, and handles defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from checks_helpers import config_scanner, only, scan_config

from callguard import Scanner

# (file name, content, rule ids looked at, expected (rule id, line) pairs)
CASES = [
    pytest.param(
        "main.tf",
        """
        resource "aws_s3_bucket" "recordings" {
          bucket = "call-recordings"
        }
        """,
        ("CFG100",),
        [],
        id="s3-no-sse-config-passes-aws-default-sse-s3",
    ),
    pytest.param(
        "main.tf",
        """
        resource "aws_s3_bucket" "recordings" {
          bucket = "call-recordings"
        }
        resource "aws_s3_bucket_server_side_encryption_configuration" "recordings" {
          bucket = aws_s3_bucket.recordings.id
          rule {
            apply_server_side_encryption_by_default {
              sse_algorithm = "aws:kms"
            }
          }
        }
        """,
        ("CFG100",),
        [],
        id="s3-linked-sse-kms",
    ),
    pytest.param(
        "main.tf",
        """
        resource "aws_s3_bucket" "recordings" {
          bucket = "call-recordings"
        }
        resource "aws_s3_bucket_server_side_encryption_configuration" "recordings" {
          bucket = aws_s3_bucket.recordings.id
          rule {}
        }
        """,
        ("CFG100",),
        [("CFG100", 6)],
        id="s3-linked-sse-without-algorithm",
    ),
    pytest.param(
        "main.tf",
        """
        resource "aws_s3_bucket" "recordings" {
          server_side_encryption_configuration {
            rule {
              apply_server_side_encryption_by_default {
                sse_algorithm = var.algorithm
              }
            }
          }
        }
        """,
        ("CFG100",),
        [],
        id="s3-algorithm-from-variable-not-judged",
    ),
    pytest.param(
        "template.yaml",
        """
        Resources:
          Recordings:
            Type: AWS::S3::Bucket
            Properties:
              BucketEncryption:
                ServerSideEncryptionConfiguration:
                  - ServerSideEncryptionByDefault:
                      SSEAlgorithm: DES
        """,
        ("CFG100",),
        [("CFG100", 8)],
        id="s3-cfn-bad-algorithm",
    ),
    pytest.param(
        "main.tf",
        """
        resource "aws_s3_bucket" "exports" {
          acl = "public-read"
        }
        resource "aws_s3_bucket_public_access_block" "exports" {
          bucket                  = aws_s3_bucket.exports.id
          block_public_acls       = true
          block_public_policy     = false
          ignore_public_acls      = true
          restrict_public_buckets = true
        }
        """,
        ("CFG101", "CFG102"),
        [("CFG101", 2), ("CFG102", 7)],
        id="s3-public-acl-and-pab-off",
    ),
    pytest.param(
        "main.tf",
        """
        resource "aws_s3_bucket" "exports" {
          bucket = "exports"
        }
        """,
        ("CFG101", "CFG102"),
        [("CFG102", 1)],
        id="s3-missing-pab",
    ),
    pytest.param(
        "main.tf",
        """
        resource "aws_s3_account_public_access_block" "all" {
          block_public_acls       = true
          block_public_policy     = true
          ignore_public_acls      = true
          restrict_public_buckets = true
        }
        resource "aws_s3_bucket" "exports" {
          bucket = "exports"
        }
        """,
        ("CFG102",),
        [],
        id="s3-account-level-pab-covers-buckets",
    ),
    pytest.param(
        "template.yaml",
        """
        Resources:
          Logs:
            Type: AWS::S3::Bucket
          LogsPolicy:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Ref Logs
              PolicyDocument:
                Statement:
                  - Effect: Deny
                    Action: "s3:*"
                    Condition: {Bool: {"aws:SecureTransport": "false"}}
          Exports:
            Type: AWS::S3::Bucket
        """,
        ("CFG103",),
        [("CFG103", 13)],
        id="s3-tls-only-policy-cfn",
    ),
    pytest.param(
        "main.tf",
        """
        resource "aws_db_instance" "crm" {
          engine              = "postgres"
          storage_encrypted   = false
          publicly_accessible = true
        }
        resource "aws_db_instance" "billing" {
          engine = "mysql"
        }
        resource "aws_db_instance" "ok" {
          storage_encrypted = true
        }
        """,
        ("CFG104", "CFG105"),
        [("CFG104", 3), ("CFG104", 6), ("CFG105", 4)],
        id="rds-encryption-false-missing-and-public",
    ),
    pytest.param(
        "template.yaml",
        """
        Resources:
          Replica:
            Type: AWS::RDS::DBInstance
            Properties:
              SourceDBInstanceIdentifier: !Ref Primary
        """,
        ("CFG104",),
        [],
        id="rds-read-replica-inherits",
    ),
    pytest.param(
        "main.tf",
        """
        resource "aws_db_parameter_group" "pg14" {
          family = "postgres14"
        }
        resource "aws_db_parameter_group" "pg16" {
          family = "postgres16"
        }
        resource "aws_db_parameter_group" "mysql" {
          family = "mysql8.0"
          parameter {
            name  = "require_secure_transport"
            value = "0"
          }
        }
        """,
        ("CFG106",),
        [("CFG106", 1), ("CFG106", 9)],
        id="db-force-tls-defaults-by-family",
    ),
    pytest.param(
        "template.yaml",
        """
        Resources:
          Params:
            Type: AWS::RDS::DBParameterGroup
            Properties:
              Family: postgres13
              Parameters:
                rds.force_ssl: 1
        """,
        ("CFG106",),
        [],
        id="db-force-tls-cfn-on",
    ),
    pytest.param(
        "main.tf",
        """
        resource "aws_ebs_volume" "media" {
          size = 10
        }
        resource "aws_kms_key" "sym" {
          description = "recordings"
        }
        resource "aws_kms_key" "rsa" {
          customer_master_key_spec = "RSA_2048"
        }
        """,
        ("CFG107", "CFG108"),
        [("CFG107", 1), ("CFG108", 4)],
        id="ebs-kms-defaults",
    ),
    pytest.param(
        "main.tf",
        """
        resource "aws_ebs_encryption_by_default" "on" {
          enabled = true
        }
        resource "aws_ebs_volume" "media" {
          size = 10
        }
        """,
        ("CFG107",),
        [],
        id="ebs-account-default-encryption",
    ),
    pytest.param(
        "template.yaml",
        """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Trail:
            Type: AWS::CloudTrail::Trail
            Properties:
              IsLogging: true
              EnableLogFileValidation: false
        """,
        ("CFG109", "CFG110"),
        [("CFG109", 3), ("CFG110", 7)],
        id="cloudtrail-cfn",
    ),
    pytest.param(
        "main.tf",
        """
        resource "aws_security_group" "pbx" {
          ingress {
            from_port   = 5060
            to_port     = 5061
            protocol    = "udp"
            cidr_blocks = ["0.0.0.0/0"]
          }
          ingress {
            from_port   = 443
            to_port     = 443
            protocol    = "tcp"
            cidr_blocks = ["0.0.0.0/0"]
          }
        }
        resource "aws_vpc_security_group_ingress_rule" "db" {
          cidr_ipv6   = "::/0"
          ip_protocol = "-1"
        }
        """,
        ("CFG111",),
        [("CFG111", 6), ("CFG111", 16)],
        id="sg-sip-and-all-ports-open",
    ),
    pytest.param(
        "template.yaml",
        """
        Resources:
          Sg:
            Type: AWS::EC2::SecurityGroup
            Properties:
              SecurityGroupIngress:
                - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}
                - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 10.0.0.0/8}
        """,
        ("CFG111",),
        [("CFG111", 6)],
        id="sg-cfn-rdp-open",
    ),
    pytest.param(
        "main.tf",
        """
        resource "aws_lb_listener" "http" {
          protocol = "HTTP"
          default_action {
            type = "forward"
          }
        }
        resource "aws_lb_listener" "https" {
          protocol = "HTTPS"
        }
        resource "aws_lb_listener" "tls13" {
          protocol   = "TLS"
          ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
        }
        """,
        ("CFG112", "CFG113"),
        [("CFG112", 2), ("CFG113", 7)],
        id="lb-http-and-default-policy",
    ),
    pytest.param(
        "template.yaml",
        """
        Resources:
          Cache:
            Type: AWS::ElastiCache::ReplicationGroup
            Properties:
              AtRestEncryptionEnabled: true
              TransitEncryptionEnabled: false
        """,
        ("CFG114", "CFG115"),
        [("CFG115", 6)],
        id="elasticache-cfn",
    ),
    pytest.param(
        "main.tf",
        """
        resource "aws_connect_instance_storage_config" "media" {
          resource_type = "MEDIA_STREAMS"
          storage_config {
            storage_type = "KINESIS_VIDEO_STREAM"
            kinesis_video_stream_config {
              prefix = "calls"
              encryption_config {
                encryption_type = "KMS"
              }
            }
          }
        }
        resource "aws_connect_instance_storage_config" "ctr" {
          resource_type = "CONTACT_TRACE_RECORDS"
          storage_config {
            storage_type = "KINESIS_STREAM"
            kinesis_stream_config {
              stream_arn = aws_kinesis_stream.ctr.arn
            }
          }
        }
        """,
        ("CFG116",),
        [("CFG116", 7)],
        id="connect-media-streams-no-key",
    ),
    pytest.param(
        "template.yaml",
        """
        Resources:
          Recordings:
            Type: AWS::Connect::InstanceStorageConfig
            Properties:
              ResourceType: CALL_RECORDINGS
              StorageType: S3
              S3Config:
                BucketName: recordings
                BucketPrefix: calls
        """,
        ("CFG116",),
        [("CFG116", 7)],
        id="connect-cfn-s3-without-encryption-config",
    ),
]


@pytest.mark.parametrize(("name", "content", "rules", "expected"), CASES)
def test_aws_checks(
    tmp_path: Path, name: str, content: str, rules: tuple[str, ...], expected: list[tuple[str, int]]
) -> None:
    assert only(scan_config(tmp_path, name, content), *rules) == expected


def test_card_numbers_in_terraform_are_still_found(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text('resource "aws_ssm_parameter" "card" {\n  value = "4111 1111 1111 1111"\n}\n')
    findings = Scanner(profile="pci").scan_paths([path]).findings
    assert [(f.rule_id, f.location.start_line, f.location.start_column) for f in findings] == [
        ("PCI001", 2, 12)
    ]


def test_contact_center_stack_fixture() -> None:
    """A realistic stack: every finding is expected, by rule and line, via `# expect:` marks."""
    fixture = Path(__file__).parents[1] / "fixtures" / "iac" / "contact-center.tf"
    lines = fixture.read_text(encoding="utf-8").splitlines()
    result = config_scanner().scan_paths([fixture])
    found = sorted((f.rule_id, f.location.start_line) for f in result.findings)
    expected = [(rule, number) for number, line in enumerate(lines, 1) for rule in _marks(line)]
    assert found == sorted(expected)


def _marks(line: str) -> list[str]:
    """Rule ids named by an `# expect: CFG104, CFG105` comment at the end of a line."""
    if "# expect: CFG" not in line:
        return []
    return [part.strip() for part in line.split("# expect:", 1)[1].split(",")]
