"""API errors as the real apiserver reports them: a ``Status`` object with reason, code and message.

One exception, ``ApiError``, carries everything needed to write the ``Status`` body; the helpers
below build the common ones with the exact wording of k8s.io/apimachinery/pkg/api/errors, because
kubectl prints that message verbatim (``Error from server (NotFound): configmaps "x" not found``).
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A failed request, turned into a ``Status`` response by the HTTP layer."""

    def __init__(self, *, code: int, reason: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details

    def status(self) -> dict[str, Any]:
        """The ``Status`` object, field order as the real server writes it."""
        body: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
        }
        if self.details is not None:
            body["details"] = self.details
        body["code"] = self.code
        return body


def qualified_resource(plural: str, group: str) -> str:
    """``configmaps`` or ``deployments.apps``: how apiserver names a resource in messages."""
    return f"{plural}.{group}" if group else plural


def _details(name: str | None, plural: str, group: str) -> dict[str, Any]:
    """The ``details`` of a Status about one resource; no name (None or empty) leaves the field out,
    as Go's ``omitempty`` does on the real server."""
    details: dict[str, Any] = {"name": name} if name else {}
    if group:
        details["group"] = group
    details["kind"] = plural
    return details


def _about_object(code: int, reason: str, wording: str, plural: str, group: str, name: str) -> ApiError:
    """An error about one named object; ``wording`` says ``{object}`` where the message names it."""
    subject = f'{qualified_resource(plural, group)} "{name}"'
    return ApiError(code=code, reason=reason, message=wording.format(object=subject), details=_details(name, plural, group))


def not_found(plural: str, group: str, name: str) -> ApiError:
    return _about_object(404, "NotFound", "{object} not found", plural, group, name)


def already_exists(plural: str, group: str, name: str) -> ApiError:
    return _about_object(409, "AlreadyExists", "{object} already exists", plural, group, name)


def conflict(plural: str, group: str, name: str) -> ApiError:
    return _about_object(
        409,
        "Conflict",
        "Operation cannot be fulfilled on {object}: "
        "the object has been modified; please apply your changes to the latest version and try again",
        plural,
        group,
        name,
    )


def invalid(kind: str, group: str, name: str, causes: list[tuple[str, str, str]]) -> ApiError:
    """``causes``: (reason like FieldValueRequired, field path, message after the field path)."""
    text = ", ".join(f"{field}: {message}" for _, field, message in causes)
    if len(causes) > 1:
        text = f"[{text}]"
    details = _details(name, kind, group)
    details["causes"] = [{"reason": reason, "message": message, "field": field} for reason, field, message in causes]
    return ApiError(
        code=422,
        reason="Invalid",
        message=f'{qualified_resource(kind, group)} "{name}" is invalid: {text}',
        details=details,
    )


def bad_request(message: str) -> ApiError:
    return ApiError(code=400, reason="BadRequest", message=message)


def forbidden(message: str, *, name: str, plural: str, group: str) -> ApiError:
    return ApiError(code=403, reason="Forbidden", message=message, details=_details(name or None, plural, group))


def unauthorized() -> ApiError:
    return ApiError(code=401, reason="Unauthorized", message="Unauthorized")


def method_not_allowed() -> ApiError:
    return ApiError(
        code=405,
        reason="MethodNotAllowed",
        message="the server does not allow this method on the requested resource",
        details={},
    )


def unsupported_media_type() -> ApiError:
    return ApiError(
        code=415,
        reason="UnsupportedMediaType",
        message="the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
    )


def not_found_path() -> ApiError:
    return ApiError(code=404, reason="NotFound", message="the server could not find the requested resource", details={})


def internal_error(message: str) -> ApiError:
    return ApiError(code=500, reason="InternalError", message=f"Internal error occurred: {message}")
