"""Grammar checks for every value a model sends before it can reach kubectl's argv.

Each check either returns the value unchanged or raises `InvalidArgument` naming the
argument and the rule. The rules are Kubernetes' own (DNS-1123 names, the label
selector grammar), narrowed to ASCII so look-alike characters never pass, and none
lets a value start with `-`, so nothing the model sends can be read as a flag.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from mcp_kubectl.errors import InvalidArgument

# Kubernetes' own grammars (k8s.io/apimachinery/pkg/util/validation), with every label at most 63.
DNS1123_LABEL = r"[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?"
DNS1123_SUBDOMAIN = rf"{DNS1123_LABEL}(?:\.{DNS1123_LABEL})*"


@dataclass(frozen=True)
class Grammar:
    """One kind of value: the argument it usually fills, its pattern, and the rule an error states.

    Calling it checks a value: returned unchanged, or `InvalidArgument` naming the argument and the rule.
    """

    argument: str
    pattern: str
    rule: str
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", re.compile(self.pattern))

    def __call__(self, value: str, argument: str | None = None) -> str:
        argument = self.argument if argument is None else argument
        if not isinstance(value, str) or not self.compiled.fullmatch(value):
            raise InvalidArgument(f"{argument} {value!r} is not valid: {self.rule}", argument=argument)
        return value


check_namespace = Grammar("namespace", DNS1123_LABEL, "a namespace is lowercase letters, digits and '-', at most 63, starting and ending with a letter or digit")
check_container = Grammar("container", DNS1123_LABEL, "a container name is lowercase letters, digits and '-', at most 63")
check_context = Grammar("context", r"[A-Za-z0-9](?:[A-Za-z0-9._:@/-]{0,251}[A-Za-z0-9])?", "a context name is letters, digits and '-', '.', ':', '_', '@', '/'")
check_api_group = Grammar("apiGroup", rf"(?:{DNS1123_SUBDOMAIN})?", "an API group is a DNS subdomain such as 'apps' or 'networking.k8s.io', or '' for core")
check_verb = Grammar("verb", r"[a-z]{1,32}", "a verb is lowercase letters, such as 'list' or 'delete'")
# Object names: DNS-1123 subdomains, plus the `:` `_` `@` and capitals that some kinds
# allow (RBAC's `system:controller:...`, custom resources). Never `/`, never `..`.
_NAME = Grammar(
    "name", r"[A-Za-z0-9](?:[A-Za-z0-9._:@-]{0,251}[A-Za-z0-9])?",
    "use letters, digits, '-', '.', ':', '_' or '@', starting and ending with a letter or digit",
)  # fmt: skip
# A type argument: `pods`, `Pod`, `po`, `deployments.apps`, `deployments.v1.apps`, `secrets.v1.`.
_KIND = Grammar(
    "kind", r"[A-Za-z][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?",
    "expected a resource type such as 'pods', 'Deployment', 'deploy' or 'deployments.v1.apps'",
)  # fmt: skip

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


def check_name(value: str, argument: str = "name") -> str:
    """An object name (DNS-1123 subdomain, or the wider RBAC/custom-resource form)."""
    if len(value) > 253:
        raise InvalidArgument(f"{argument} is longer than 253 characters", argument=argument)
    return _NAME(value, argument)


def check_kind(value: str, argument: str = "kind") -> str:
    """A type argument as kubectl accepts it: plural, singular, short name, Kind, with optional version and group."""
    if len(value) > 253 or ".." in value.rstrip("."):
        raise InvalidArgument(f"{argument} {value!r} is not a resource type", argument=argument)
    return _KIND(value, argument)


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
    hint = "Use forms like 'app=web', 'tier!=db', 'env in (prod,stage)', 'release', '!canary'."
    return _check_selector(value, argument, _split_outside_parens, _REQUIREMENT, hint)


def check_field_selector(value: str, argument: str = "fieldSelector") -> str:
    """A field selector: comma-separated `field=value`, `field==value` or `field!=value`."""
    hint = "Use forms like 'status.phase=Running' or 'spec.nodeName=node-1,metadata.name!=x'."
    return _check_selector(value, argument, lambda text: text.split(","), _FIELD_REQUIREMENT, hint)


def _check_selector(value: str, argument: str, split: Callable[[str], list[str]], requirement: re.Pattern[str], hint: str) -> str:
    """A selector within the length cap, printable ASCII, each requirement (as `split` finds them) in its grammar."""
    if len(value) > _MAX_SELECTOR:
        raise InvalidArgument(f"{argument} is longer than {_MAX_SELECTOR} characters", argument=argument)
    if not _SELECTOR_CHARS.fullmatch(value):
        raise InvalidArgument(f"{argument} {value!r} may hold printable ASCII only (no newlines or control characters)", argument=argument)
    for part in split(value):
        if not requirement.fullmatch(part):
            raise InvalidArgument(f"{argument} {value!r} is not valid near {part.strip()!r}", argument=argument, hint=hint)
    return value
