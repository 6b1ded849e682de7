"""Bearer-token authentication and simple per-user authorization rules.

A real apiserver answers 401 ``Unauthorized`` for an unknown token and 403 Forbidden, with a message naming
the user, verb, resource, group and namespace, when RBAC denies a request. Here each user has a token and a
list of ``Rule``s; discovery, version and OpenAPI paths are open to every authenticated user, as the
``system:discovery`` ClusterRole makes them on a real cluster.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

ADMIN = "admin"


@dataclass(frozen=True)
class Rule:
    """Allows ``verbs`` on ``resources`` (``pods``, ``pods/log``, ``*``) in ``namespaces`` (``*``: all, ``""``: cluster scope)."""

    verbs: tuple[str, ...] = ("*",)
    resources: tuple[str, ...] = ("*",)
    namespaces: tuple[str, ...] = ("*",)

    def allows(self, verb: str, resource: str, namespace: str) -> bool:
        return (
            ("*" in self.verbs or verb in self.verbs)
            and ("*" in self.resources or resource in self.resources)
            and ("*" in self.namespaces or namespace in self.namespaces)
        )

    @classmethod
    def from_value(cls, value: Rule | Mapping[str, Any]) -> Rule:
        """Accept a Rule or a mapping with the keys ``verbs``, ``resources``, ``namespaces``."""
        if isinstance(value, Rule):
            return value
        return cls(
            verbs=tuple(value.get("verbs", ("*",))),
            resources=tuple(value.get("resources", ("*",))),
            namespaces=tuple(value.get("namespaces", ("*",))),
        )


ALLOW_ALL: tuple[Rule, ...] = (Rule(),)
READ_ONLY: tuple[Rule, ...] = (Rule(verbs=("get", "list", "watch")),)

UsersConfig = Mapping[str, Iterable[Rule | Mapping[str, Any]]]


class Authenticator:
    """Maps bearer tokens to users and users to rules; the ``admin`` user is always there and may do anything."""

    def __init__(self, users: UsersConfig | None = None, anonymous_user: str | None = None) -> None:
        self.anonymous_user = anonymous_user
        configured = dict(users or {})
        configured.setdefault(ADMIN, ALLOW_ALL)
        self.rules: dict[str, tuple[Rule, ...]] = {
            name: tuple(Rule.from_value(r) for r in rules) for name, rules in configured.items()
        }
        self.tokens: dict[str, str] = {name: secrets.token_urlsafe(24) for name in self.rules}
        self._by_token = {token: name for name, token in self.tokens.items()}

    def user_for(self, authorization: str | None) -> str | None:
        """The user named by an ``Authorization: Bearer`` header, or None (→ 401).

        kubectl sends no bearer token over plain HTTP, so in ``--http`` mode requests without one run as
        ``anonymous_user`` (admin), as on the insecure port old apiservers had."""
        if not authorization:
            return self.anonymous_user
        if not authorization.startswith("Bearer "):
            return None
        return self._by_token.get(authorization[len("Bearer ") :].strip())

    def allowed(self, user: str, verb: str, resource: str, namespace: str) -> bool:
        return any(rule.allows(verb, resource, namespace) for rule in self.rules.get(user, ()))


def forbidden_message(user: str, verb: str, plural: str, subresource: str, group: str, namespace: str, name: str) -> str:
    """The RBAC denial text of a real apiserver (apiserver/pkg/endpoints/handlers/responsewriters/errors.go)."""
    qualified = f"{plural}.{group}" if group else plural
    subject = f'{qualified} "{name}"' if name else qualified
    resource = f"{plural}/{subresource}" if subresource else plural
    scope = f'in the namespace "{namespace}"' if namespace else "at the cluster scope"
    return f'{subject} is forbidden: User "{user}" cannot {verb} resource "{resource}" in API group "{group}" {scope}'
