"""Grammar checks for every value a model sends before it can reach kubectl's argv.

Each check either returns the value unchanged or raises `InvalidArgument` naming the
argument and the rule. The rules are Kubernetes' own (DNS-1123 names, the label
selector grammar), narrowed to ASCII so look-alike characters never pass, and none
lets a value start with `-`, so nothing the model sends can be read as a flag.
"""

from __future__ import annotations

import re

from mcp_kubectl.errors import InvalidArgument

# Object names: DNS-1123 subdomains, plus the `:` `_` `@` and capitals that some kinds
# allow (RBAC's `system:controller:...`, custom resources). Never `/`, never `..`.
_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._:@-]{0,251}[A-Za-z0-9])?")
_NAMESPACE = re.compile(r"[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?")
_CONTAINER = re.compile(r"[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?")
_CONTEXT = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._:@/-]{0,251}[A-Za-z0-9])?")
# A type argument: `pods`, `Pod`, `po`, `deployments.apps`, `deployments.v1.apps`, `secrets.v1.`.
_KIND = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?")
_API_GROUP = re.compile(r"(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)*)?")
_VERB = re.compile(r"[a-z]{1,32}")

# Label selector grammar (k8s.io/apimachinery/pkg/labels): keys are an optional DNS
# subdomain prefix and a name; values are names or empty.
_LABEL_NAME = r"[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?"
_LABEL_KEY = rf"(?:[a-z0-9](?:[-a-z0-9.]{{0,251}}[a-z0-9])?/)?{_LABEL_NAME}"
_LABEL_VALUE = rf"(?:{_LABEL_NAME})?"
_REQUIREMENT = re.compile(
    rf"""\s*(?:
        !\s*{_LABEL_KEY}                                        # !key
      | {_LABEL_KEY}\s*(?:==|=|!=)\s*{_LABEL_VALUE}             # key=value
      | {_LABEL_KEY}\s*[<>]\s*[0-9]{{1,18}}                     # key>N
      | {_LABEL_KEY}\s+(?:in|notin)\s*\(\s*{_LABEL_VALUE}(?:\s*,\s*{_LABEL_VALUE})*\s*\)   # key in (a,b)
      | {_LABEL_KEY}                                            # key
    )\s*""",
    re.VERBOSE,
)
_FIELD_REQUIREMENT = re.compile(r"\s*[A-Za-z][A-Za-z0-9.]{0,127}\s*(?:==|=|!=)\s*[A-Za-z0-9._:/-]{0,253}\s*")
_MAX_SELECTOR = 1024
# Selectors are printable ASCII: no newlines, tabs, NULs or look-alike Unicode spaces.
_SELECTOR_CHARS = re.compile(r"[\x20-\x7e]*")


def _check(pattern: re.Pattern[str], value: str, argument: str, rule: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise InvalidArgument(f"{argument} {value!r} is not valid: {rule}", argument=argument)
    return value


def check_name(value: str, argument: str = "name") -> str:
    """An object name (DNS-1123 subdomain, or the wider RBAC/custom-resource form)."""
    if len(value) > 253:
        raise InvalidArgument(f"{argument} is longer than 253 characters", argument=argument)
    return _check(_NAME, value, argument, "use letters, digits, '-', '.', ':', '_' or '@', starting and ending with a letter or digit")


def check_namespace(value: str, argument: str = "namespace") -> str:
    """A namespace name: a DNS-1123 label."""
    return _check(_NAMESPACE, value, argument, "a namespace is lowercase letters, digits and '-', at most 63, starting and ending with a letter or digit")


def check_container(value: str, argument: str = "container") -> str:
    """A container name: a DNS-1123 label."""
    return _check(_CONTAINER, value, argument, "a container name is lowercase letters, digits and '-', at most 63")


def check_context(value: str, argument: str = "context") -> str:
    """A kubeconfig context name."""
    return _check(_CONTEXT, value, argument, "a context name is letters, digits and '-', '.', ':', '_', '@', '/'")


def check_kind(value: str, argument: str = "kind") -> str:
    """A type argument as kubectl accepts it: plural, singular, short name, Kind, with optional version and group."""
    if len(value) > 253 or ".." in value.rstrip("."):
        raise InvalidArgument(f"{argument} {value!r} is not a resource type", argument=argument)
    return _check(_KIND, value, argument, "expected a resource type such as 'pods', 'Deployment', 'deploy' or 'deployments.v1.apps'")


def check_api_group(value: str, argument: str = "apiGroup") -> str:
    """An API group name (empty for the core group)."""
    return _check(_API_GROUP, value, argument, "an API group is a DNS subdomain such as 'apps' or 'networking.k8s.io', or '' for core")


def check_verb(value: str, argument: str = "verb") -> str:
    """A Kubernetes API verb such as 'list' or 'patch'."""
    return _check(_VERB, value, argument, "a verb is lowercase letters, such as 'list' or 'delete'")


def _split_outside_parens(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def check_label_selector(value: str, argument: str = "labelSelector") -> str:
    """A label selector in the full grammar: =, ==, !=, in, notin, exists, !key."""
    if len(value) > _MAX_SELECTOR:
        raise InvalidArgument(f"{argument} is longer than {_MAX_SELECTOR} characters", argument=argument)
    if not _SELECTOR_CHARS.fullmatch(value):
        raise InvalidArgument(f"{argument} {value!r} may hold printable ASCII only (no newlines or control characters)", argument=argument)
    for requirement in _split_outside_parens(value):
        if not _REQUIREMENT.fullmatch(requirement):
            raise InvalidArgument(
                f"{argument} {value!r} is not valid near {requirement.strip()!r}",
                argument=argument,
                hint="Use forms like 'app=web', 'tier!=db', 'env in (prod,stage)', 'release', '!canary'.",
            )
    return value


def check_field_selector(value: str, argument: str = "fieldSelector") -> str:
    """A field selector: comma-separated `field=value`, `field==value` or `field!=value`."""
    if len(value) > _MAX_SELECTOR:
        raise InvalidArgument(f"{argument} is longer than {_MAX_SELECTOR} characters", argument=argument)
    if not _SELECTOR_CHARS.fullmatch(value):
        raise InvalidArgument(f"{argument} {value!r} may hold printable ASCII only (no newlines or control characters)", argument=argument)
    for requirement in value.split(","):
        if not _FIELD_REQUIREMENT.fullmatch(requirement):
            raise InvalidArgument(
                f"{argument} {value!r} is not valid near {requirement.strip()!r}",
                argument=argument,
                hint="Use forms like 'status.phase=Running' or 'spec.nodeName=node-1,metadata.name!=x'.",
            )
    return value
