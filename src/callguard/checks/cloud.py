"""AWS checks over Terraform and CloudFormation: encryption at rest and in transit, exposure.

Each check reads both formats through the `Resource` view and reports the attribute that is
wrong, or the resource block when a required attribute is missing. Values known only at deploy
time (variables, `!Ref`, `Fn::If`) are never guessed at: such a resource is not reported.

Defaults are AWS's, as documented: an RDS instance, EBS volume, ElastiCache replication group
or CloudTrail trail without the setting is unencrypted, so a missing setting is reported. S3 is
the exception: since January 2023 AWS encrypts every object in every bucket with SSE-S3 and
this cannot be turned off, so a bucket without an encryption configuration is *not* reported
(Checkov agrees, Trivy AWS-0088 does not); an explicit configuration with no or an invalid
algorithm is. Block Public Access is on by default only for buckets created since April 2023,
so a bucket without a public access block is reported, with lower confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from callguard.checks import aws_network, workloads
from callguard.checks.configrule import (
    IAC_KINDS,
    Hit,
    Resource,
    block_text,
    detector,
    dig,
    is_false,
    is_true,
    items,
    resources,
)
from callguard.document import Document
from callguard.formats.iac_parse import Tree, Unknown

_SSE_ALGORITHMS = frozenset({"AES256", "aws:kms", "aws:kms:dsse"})
_PUBLIC_ACLS = frozenset(
    {
        "public-read",
        "public-read-write",
        "authenticated-read",
        "PublicRead",
        "PublicReadWrite",
        "AuthenticatedRead",
    }
)
_PAB_FLAGS = (
    ("block_public_acls", "BlockPublicAcls"),
    ("block_public_policy", "BlockPublicPolicy"),
    ("ignore_public_acls", "IgnorePublicAcls"),
    ("restrict_public_buckets", "RestrictPublicBuckets"),
)
_BUCKET_REF = re.compile(r"aws_s3_bucket\.([A-Za-z0-9_-]{1,200})")
_CFN_REF = re.compile(r"(?:!Ref|Ref|!GetAtt|Fn::GetAtt)\s+([A-Za-z0-9]{1,255})")


def _tf(tree: Tree) -> bool:
    return tree.kind == "terraform"


def _linked_bucket(value: Any) -> str | None:
    """The bucket a Terraform `bucket = aws_s3_bucket.NAME.id` or CFN `!Ref NAME` points at."""
    text = value.text if isinstance(value, Unknown) else ""
    found = _BUCKET_REF.search(text) or _CFN_REF.search(text)
    return found.group(1) if found else None


# -- S3 ----------------------------------------------------------------------------------------


def _sse_problem(rules: Any, algorithm_key: tuple[str, str]) -> tuple[str, tuple[Any, ...]] | None:
    """Why an explicit SSE configuration fails, and the path of the offending key; None if ok."""
    by_default, algorithm = algorithm_key
    listed = items(rules)
    if not listed:
        return "encryption configuration has no rule", ()
    for index, rule in enumerate(listed):
        value = dig(rule, by_default, algorithm)
        if isinstance(value, Unknown):
            return None
        if value is None:
            return "encryption rule sets no algorithm", (index,)
        if value not in _SSE_ALGORITHMS:
            return "encryption algorithm is not AES256 or aws:kms", (index, by_default, algorithm)
    return None


def s3_encryption(tree: Tree, document: Document) -> Iterator[Hit]:
    if _tf(tree):
        headers = {r.name: r.at() for r in resources(tree, "aws_s3_bucket")}
        keys = ("apply_server_side_encryption_by_default", "sse_algorithm")
        for bucket in resources(tree, "aws_s3_bucket"):
            config = bucket.get("server_side_encryption_configuration")
            if config is not None:
                problem = _sse_problem(dig(config, "rule"), keys)
                if problem:
                    yield bucket.hit(
                        problem[0], "server_side_encryption_configuration", 0, "rule", *problem[1]
                    )
        for config in resources(tree, "aws_s3_bucket_server_side_encryption_configuration"):
            problem = _sse_problem(config.get("rule"), keys)
            if problem:
                hit = config.hit(problem[0], "rule", *problem[1])
                linked = headers.get(_linked_bucket(config.get("bucket")) or "")
                yield Hit((*hit.spans, linked), hit.subject, hit.detail) if linked else hit
        return
    for bucket in resources(tree, "AWS::S3::Bucket"):
        config = bucket.get("BucketEncryption")
        if config is not None and not isinstance(config, Unknown):
            rules = dig(config, "ServerSideEncryptionConfiguration")
            problem = _sse_problem(rules, ("ServerSideEncryptionByDefault", "SSEAlgorithm"))
            if problem:
                yield bucket.hit(
                    problem[0], "BucketEncryption", "ServerSideEncryptionConfiguration", *problem[1]
                )


def s3_public_acl(tree: Tree, document: Document) -> Iterator[Hit]:
    for bucket in resources(tree, "aws_s3_bucket", "aws_s3_bucket_acl", "AWS::S3::Bucket"):
        key = "acl" if _tf(tree) else "AccessControl"
        if bucket.get(key) in _PUBLIC_ACLS:
            yield bucket.hit(f"canned ACL {bucket.get(key)} grants public access", key)


def s3_public_access_block(tree: Tree, document: Document) -> Iterator[Hit]:
    if _tf(tree):
        account = resources(tree, "aws_s3_account_public_access_block")
        if any(all(is_true(a.get(flag)) for flag, _ in _PAB_FLAGS) for a in account):
            return
        blocks = resources(tree, "aws_s3_bucket_public_access_block")
        yield from _pab_flags(blocks, 0)
        covered = {_linked_bucket(block.get("bucket")) for block in blocks}
        for bucket in resources(tree, "aws_s3_bucket"):
            if bucket.name not in covered:
                yield bucket.hit("no aws_s3_bucket_public_access_block", confidence=0.6)
        return
    for bucket in resources(tree, "AWS::S3::Bucket"):
        config = bucket.get("PublicAccessBlockConfiguration")
        if config is None:
            yield bucket.hit("no PublicAccessBlockConfiguration", confidence=0.6)
        elif isinstance(config, dict):
            yield from _pab_flags([bucket], 1, ("PublicAccessBlockConfiguration",))


def _pab_flags(blocks: list[Resource], column: int, prefix: tuple[str, ...] = ()) -> Iterator[Hit]:
    for block in blocks:
        flags = [names[column] for names in _PAB_FLAGS]
        values = [block.get(*prefix, flag) for flag in flags]
        off = [flag for flag, value in zip(flags, values, strict=True) if is_false(value)]
        unset = [flag for flag, value in zip(flags, values, strict=True) if value is None]
        if off:
            yield block.hit(f"{', '.join(off)} disabled", *prefix, off[0])
        elif unset:
            yield block.hit(f"{', '.join(unset)} not set (defaults to false)", *prefix)


def s3_tls_only(tree: Tree, document: Document) -> Iterator[Hit]:
    raw = document.raw_text
    if _tf(tree):
        enforced = set()
        documents = {
            r.name: block_text(tree, r, raw) for r in _data(tree, "aws_iam_policy_document")
        }
        for policy in resources(tree, "aws_s3_bucket_policy"):
            text = block_text(tree, policy, raw)
            text += "".join(
                t for n, t in documents.items() if f"aws_iam_policy_document.{n}." in text
            )
            if "aws:SecureTransport" in text:
                enforced.add(_linked_bucket(policy.get("bucket")))
        for bucket in resources(tree, "aws_s3_bucket"):
            if bucket.name not in enforced:
                yield bucket.hit("no bucket policy denying requests without aws:SecureTransport")
        return
    enforced = {
        _linked_bucket(policy.get("Bucket"))
        for policy in resources(tree, "AWS::S3::BucketPolicy")
        if "aws:SecureTransport" in repr(policy.get("PolicyDocument"))
    }
    for bucket in resources(tree, "AWS::S3::Bucket"):
        if bucket.name not in enforced:
            yield bucket.hit("no bucket policy denying requests without aws:SecureTransport")


def _data(tree: Tree, data_type: str) -> list[Resource]:
    found = []
    for index, block in enumerate(tree.value):
        if getattr(block, "keyword", "") == "data" and block.type == data_type:
            found.append(Resource(block.type, block.name, block.body, (index,), (index,), tree))
    return found


# -- encryption flags that default to off --------------------------------------------------------


def _required_flag(resource: Resource, key: str, what: str) -> Hit | None:
    value = resource.get(key)
    if value is None:
        return resource.hit(f"{key} not set ({what} is off by default)")
    if is_false(value):
        return resource.hit(f"{key} is false", key)
    return None


def _flag_check(
    tf_types: tuple[str, ...],
    cfn_types: tuple[str, ...],
    keys: tuple[str, str],
    what: str,
    skip: Any = None,
) -> Any:
    def check(tree: Tree, document: Document) -> Iterator[Hit]:
        key = keys[0] if _tf(tree) else keys[1]
        for resource in resources(tree, *(tf_types if _tf(tree) else cfn_types)):
            if skip is not None and skip(resource):
                continue
            hit = _required_flag(resource, key, what)
            if hit is not None:
                yield hit

    return check


def _rds_inherits(resource: Resource) -> bool:
    """Aurora instances and read replicas take encryption from their cluster or source."""
    engine = resource.get("engine") or resource.get("Engine")
    inherited = ("replicate_source_db", "DBClusterIdentifier", "SourceDBInstanceIdentifier")
    return any(resource.get(key) is not None for key in inherited) or (
        isinstance(engine, str)
        and engine.startswith("aurora")
        and resource.type.endswith(("db_instance", "DBInstance"))
    )


def _kms_asymmetric(resource: Resource) -> bool:
    spec = resource.get("customer_master_key_spec") or resource.get("KeySpec")
    return spec is not None and spec != "SYMMETRIC_DEFAULT"


rds_encryption = _flag_check(
    ("aws_db_instance", "aws_rds_cluster"),
    ("AWS::RDS::DBInstance", "AWS::RDS::DBCluster"),
    ("storage_encrypted", "StorageEncrypted"),
    "storage encryption",
    _rds_inherits,
)
ebs_encryption = _flag_check(
    ("aws_ebs_volume",),
    ("AWS::EC2::Volume",),
    ("encrypted", "Encrypted"),
    "volume encryption",
)
kms_rotation = _flag_check(
    ("aws_kms_key",),
    ("AWS::KMS::Key",),
    ("enable_key_rotation", "EnableKeyRotation"),
    "automatic key rotation",
    _kms_asymmetric,
)
cloudtrail_validation = _flag_check(
    ("aws_cloudtrail",),
    ("AWS::CloudTrail::Trail",),
    ("enable_log_file_validation", "EnableLogFileValidation"),
    "log file validation",
)
elasticache_at_rest = _flag_check(
    ("aws_elasticache_replication_group",),
    ("AWS::ElastiCache::ReplicationGroup",),
    ("at_rest_encryption_enabled", "AtRestEncryptionEnabled"),
    "encryption at rest",
)
elasticache_in_transit = _flag_check(
    ("aws_elasticache_replication_group",),
    ("AWS::ElastiCache::ReplicationGroup",),
    ("transit_encryption_enabled", "TransitEncryptionEnabled"),
    "encryption in transit",
)


def _ebs_default_on(tree: Tree, document: Document) -> Iterator[Hit]:
    if any(is_true(r.get("enabled")) for r in resources(tree, "aws_ebs_encryption_by_default")):
        return
    yield from ebs_encryption(tree, document)


def rds_public(tree: Tree, document: Document) -> Iterator[Hit]:
    key = "publicly_accessible" if _tf(tree) else "PubliclyAccessible"
    for db in resources(tree, "aws_db_instance", "AWS::RDS::DBInstance"):
        if is_true(db.get(key)):
            yield db.hit(f"{key} is true: the database gets a public endpoint", key)


def cloudtrail_kms(tree: Tree, document: Document) -> Iterator[Hit]:
    key = "kms_key_id" if _tf(tree) else "KMSKeyId"
    for trail in resources(tree, "aws_cloudtrail", "AWS::CloudTrail::Trail"):
        if trail.get(key) in (None, ""):
            yield trail.hit(f"{key} not set: logs use SSE-S3, not a customer KMS key")


# -- Amazon Connect ----------------------------------------------------------------------------


def connect_storage_kms(tree: Tree, document: Document) -> Iterator[Hit]:
    if _tf(tree):
        configs = (
            ("s3_config", "encryption_config", "key_id", "encryption_type"),
            ("kinesis_video_stream_config", "encryption_config", "key_id", "encryption_type"),
        )
        found = resources(tree, "aws_connect_instance_storage_config")
        prefix: tuple[str | int, ...] = ("storage_config", 0)
        kind_key = "resource_type"
    else:
        configs = (
            ("S3Config", "EncryptionConfig", "KeyId", "EncryptionType"),
            ("KinesisVideoStreamConfig", "EncryptionConfig", "KeyId", "EncryptionType"),
        )
        found = resources(tree, "AWS::Connect::InstanceStorageConfig")
        prefix, kind_key = (), "ResourceType"
    for storage in found:
        data = storage.get(kind_key)
        label = data if isinstance(data, str) else "storage"
        for section, encryption, key_id, kind in configs:
            if storage.get(*prefix, section) is None:
                continue
            config = storage.get(*prefix, section, encryption)
            if config is None:
                yield storage.hit(f"{label} stored without a customer KMS key", *prefix, section)
            elif dig(config, kind) not in ("KMS", None) and not isinstance(
                dig(config, kind), Unknown
            ):
                yield storage.hit(
                    f"{label} encryption type is not KMS", *prefix, section, 0, encryption
                )
            elif dig(config, key_id) in (None, ""):
                yield storage.hit(
                    f"{label} encrypted without a customer KMS key id",
                    *prefix,
                    section,
                    0,
                    encryption,
                )


DETECTORS = {
    "aws_s3_encryption": detector(s3_encryption, IAC_KINDS),
    "aws_s3_public_acl": detector(s3_public_acl, IAC_KINDS),
    "aws_s3_public_access_block": detector(s3_public_access_block, IAC_KINDS),
    "aws_s3_tls_only": detector(s3_tls_only, IAC_KINDS),
    "aws_rds_encryption": detector(rds_encryption, IAC_KINDS),
    "aws_rds_public": detector(rds_public, IAC_KINDS),
    "aws_db_force_tls": detector(aws_network.db_force_tls, IAC_KINDS),
    "aws_ebs_encryption": detector(_ebs_default_on, IAC_KINDS),
    "aws_kms_rotation": detector(kms_rotation, IAC_KINDS),
    "aws_cloudtrail_kms": detector(cloudtrail_kms, IAC_KINDS),
    "aws_cloudtrail_validation": detector(cloudtrail_validation, IAC_KINDS),
    "aws_open_admin_ports": detector(aws_network.open_admin_ports, IAC_KINDS),
    "aws_lb_plain_http": detector(aws_network.lb_plain_http, IAC_KINDS),
    "aws_lb_tls_policy": detector(aws_network.lb_tls_policy, IAC_KINDS),
    "aws_elasticache_at_rest": detector(elasticache_at_rest, IAC_KINDS),
    "aws_elasticache_in_transit": detector(elasticache_in_transit, IAC_KINDS),
    "aws_connect_storage_kms": detector(connect_storage_kms, IAC_KINDS),
    **workloads.DETECTORS,
}
