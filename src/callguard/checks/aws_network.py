"""AWS network checks: security groups open to the internet, plaintext and old-TLS listeners,
database parameter groups that do not require TLS.

Port semantics follow the AWS API: protocol `-1`/`all` opens every port; a 0-0 range on a
Terraform rule is read as "all ports" too, as Terraform authors write it (Checkov reads it the
same way). Listener TLS policies are judged by the minimum protocol version in their name
(`…TLS13-1-2…`, `…TLS-1-1…`, `…FS-1-2…`); a listener without a policy gets AWS's API default
`ELBSecurityPolicy-2016-08`, which still accepts TLS 1.0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from callguard.checks.configrule import Hit, Resource, dig, is_true, items, resources
from callguard.document import Document
from callguard.formats.iac_parse import Tree, Unknown

ADMIN_PORTS = {
    22: "ssh",
    3389: "rdp",
    3306: "mysql",
    5432: "postgres",
    1433: "sql server",
    6379: "redis",
    27017: "mongodb",
    5060: "sip",
    5061: "sip-tls",
}
_ANYWHERE = frozenset({"0.0.0.0/0", "::/0"})
_ALL_PROTOCOLS = frozenset({"-1", "all", -1})
_DEFAULT_TLS_POLICY = "ELBSecurityPolicy-2016-08"
_POLICY_MINIMUM = (
    (re.compile(r"TLS13-1-([0-3])"), None),
    (re.compile(r"TLS-1-([0-2])"), None),
    (re.compile(r"FS-1-([12])"), None),
    (re.compile(r"^ELBSecurityPolicy-(?:FS-)?20\d\d-\d\d$"), 0),
)


# -- security groups ---------------------------------------------------------------------------


def _port_range(rule: Any, keys: tuple[str, str, str]) -> tuple[int, int] | None:
    """The (from, to) ports a rule opens; None when they cannot be known statically."""
    protocol, low, high = (dig(rule, key) for key in keys)
    if protocol in _ALL_PROTOCOLS or str(protocol).lower() in ("-1", "all"):
        return 0, 65535
    if any(isinstance(v, Unknown) for v in (protocol, low, high)) or str(protocol) in (
        "icmp",
        "icmpv6",
        "1",
        "58",
    ):
        return None
    try:
        start, stop = int(low), int(high)
    except (TypeError, ValueError):
        return None
    if start in (0, -1) and stop in (0, -1, 65535):
        return 0, 65535
    return start, stop


def _exposure(rule: Any, cidr_keys: tuple[str, ...], port_keys: tuple[str, str, str]) -> str | None:
    cidrs: list[Any] = []
    for key in cidr_keys:
        value = dig(rule, key)
        cidrs.extend(value if isinstance(value, list) else [value])
    open_to = sorted({cidr for cidr in cidrs if cidr in _ANYWHERE})
    ports = _port_range(rule, port_keys) if open_to else None
    if ports is None:
        return None
    exposed = [
        f"{port} ({name})" for port, name in ADMIN_PORTS.items() if ports[0] <= port <= ports[1]
    ]
    if not exposed:
        return None
    shown = "all ports" if ports == (0, 65535) else ", ".join(exposed)
    return f"{shown} open to {' and '.join(open_to)}"


def open_admin_ports(tree: Tree, document: Document) -> Iterator[Hit]:
    if tree.kind == "terraform":
        tf_ports = ("protocol", "from_port", "to_port")
        for group in resources(tree, "aws_security_group"):
            for index, rule in enumerate(items(group.get("ingress"))):
                problem = _exposure(rule, ("cidr_blocks", "ipv6_cidr_blocks"), tf_ports)
                if problem:
                    yield group.hit(problem, "ingress", index, _cidr_key(rule))
        for rule in resources(tree, "aws_security_group_rule"):
            if rule.get("type") == "ingress":
                problem = _exposure(rule.body, ("cidr_blocks", "ipv6_cidr_blocks"), tf_ports)
                if problem:
                    yield rule.hit(problem, _cidr_key(rule.body))
        for rule in resources(tree, "aws_vpc_security_group_ingress_rule"):
            problem = _exposure(
                rule.body, ("cidr_ipv4", "cidr_ipv6"), ("ip_protocol", "from_port", "to_port")
            )
            if problem:
                yield rule.hit(problem, "cidr_ipv4" if rule.get("cidr_ipv4") else "cidr_ipv6")
        return
    cfn_ports = ("IpProtocol", "FromPort", "ToPort")
    for group in resources(tree, "AWS::EC2::SecurityGroup"):
        for index, rule in enumerate(items(group.get("SecurityGroupIngress"))):
            problem = _exposure(rule, ("CidrIp", "CidrIpv6"), cfn_ports)
            if problem:
                yield group.hit(problem, "SecurityGroupIngress", index)
    for rule in resources(tree, "AWS::EC2::SecurityGroupIngress"):
        problem = _exposure(rule.body, ("CidrIp", "CidrIpv6"), cfn_ports)
        if problem:
            yield rule.hit(problem, "CidrIp" if rule.get("CidrIp") else "CidrIpv6")


def _cidr_key(rule: Any) -> str:
    ipv4 = dig(rule, "cidr_blocks")
    return "cidr_blocks" if isinstance(ipv4, list) and set(ipv4) & _ANYWHERE else "ipv6_cidr_blocks"


# -- load balancer listeners -------------------------------------------------------------------

_LISTENERS = ("aws_lb_listener", "aws_alb_listener", "AWS::ElasticLoadBalancingV2::Listener")


def _listener_keys(tree: Tree) -> tuple[str, str, str, str, str]:
    if tree.kind == "terraform":
        return "protocol", "ssl_policy", "default_action", "redirect", "type"
    return "Protocol", "SslPolicy", "DefaultActions", "RedirectConfig", "Type"


def lb_plain_http(tree: Tree, document: Document) -> Iterator[Hit]:
    protocol_key, _, actions_key, redirect_key, type_key = _listener_keys(tree)
    for listener in resources(tree, *_LISTENERS):
        if str(listener.get(protocol_key)).upper() != "HTTP":
            continue
        actions = listener.get(actions_key)
        if isinstance(actions, Unknown) or any(isinstance(a, Unknown) for a in items(actions)):
            continue
        redirects = [
            action
            for action in items(actions)
            if dig(action, type_key) == "redirect"
            and str(dig(action, redirect_key, protocol_key)).upper() == "HTTPS"
        ]
        if not redirects:
            yield listener.hit("plain HTTP listener without a redirect to HTTPS", protocol_key)


def tls_policy_minimum(policy: str) -> int | None:
    """The lowest TLS 1.x minor version an ELB security policy accepts; None if unknown."""
    for pattern, fixed in _POLICY_MINIMUM:
        found = pattern.search(policy)
        if found:
            return fixed if fixed is not None else int(found.group(1))
    return None


def lb_tls_policy(tree: Tree, document: Document) -> Iterator[Hit]:
    protocol_key, policy_key, *_ = _listener_keys(tree)
    for listener in resources(tree, *_LISTENERS):
        if str(listener.get(protocol_key)).upper() not in ("HTTPS", "TLS"):
            continue
        policy = listener.get(policy_key)
        if isinstance(policy, Unknown):
            continue
        if policy is None:
            yield listener.hit(
                f"no {policy_key}: the default {_DEFAULT_TLS_POLICY} accepts TLS 1.0",
                confidence=0.7,
            )
            continue
        minimum = tls_policy_minimum(str(policy))
        if minimum is not None and minimum < 2:
            yield listener.hit(f"{policy} accepts TLS 1.{minimum}", policy_key)


# -- database parameter groups -----------------------------------------------------------------

# family prefix -> (parameter, minimum major version from which the engine enforces by default)
_TLS_PARAMETERS = (
    ("aurora-postgresql", "rds.force_ssl", None),
    ("postgres", "rds.force_ssl", 15),
    ("sqlserver", "rds.force_ssl", None),
    ("aurora-mysql", "require_secure_transport", None),
    ("mysql", "require_secure_transport", None),
    ("mariadb", "require_secure_transport", None),
    ("redshift", "require_ssl", None),
)
_PARAMETER_GROUPS = (
    "aws_db_parameter_group",
    "aws_rds_cluster_parameter_group",
    "aws_redshift_parameter_group",
    "AWS::RDS::DBParameterGroup",
    "AWS::RDS::DBClusterParameterGroup",
    "AWS::Redshift::ClusterParameterGroup",
)
_VERSION = re.compile(r"(\d{1,2})")


def _parameters(group: Resource) -> tuple[dict[str, Any], dict[str, tuple[str | int, ...]]]:
    """Parameter name -> value, and name -> attribute path, in any of the three layouts."""
    values: dict[str, Any] = {}
    paths: dict[str, tuple[str | int, ...]] = {}
    if group.tree.kind == "terraform":
        for index, item in enumerate(items(group.get("parameter"))):
            values[str(dig(item, "name"))] = dig(item, "value")
            paths[str(dig(item, "name"))] = ("parameter", index)
    elif isinstance(group.get("Parameters"), dict):
        for name, value in group.get("Parameters").items():
            values[name], paths[name] = value, ("Parameters", name)
    else:
        for index, item in enumerate(items(group.get("Parameters"))):
            name = str(dig(item, "ParameterName"))
            values[name], paths[name] = dig(item, "ParameterValue"), ("Parameters", index)
    return values, paths


def db_force_tls(tree: Tree, document: Document) -> Iterator[Hit]:
    for group in resources(tree, *_PARAMETER_GROUPS):
        family = group.get("family") or group.get("Family") or group.get("ParameterGroupFamily")
        if not isinstance(family, str):
            continue
        rule = next((r for r in _TLS_PARAMETERS if family.lower().startswith(r[0])), None)
        if rule is None:
            continue
        _, parameter, default_from = rule
        values, paths = _parameters(group)
        value = values.get(parameter)
        if isinstance(value, Unknown) or is_true(value):
            continue
        if value is not None:
            yield group.hit(
                f"{parameter} = {value}: clients may connect without TLS", *paths[parameter]
            )
            continue
        version = _VERSION.search(family)
        if default_from is not None and version and int(version.group(1)) >= default_from:
            continue
        yield group.hit(f"{parameter} not set (TLS is not required by default)", confidence=0.7)
