"""What every tool is built with: the `ToolKit`, the wrapper that turns a tool function's answer
into an MCP result and one audit line, and `build_tool`, which makes an MCP tool of a table row.

Tool functions live by family in `reads`, `writes`, `workloads` and `helm`, each a plain
`async def tool(ops, ...)`; a write's confirmation resolver sits beside it and its table row names
both. The tool function's signature is the tool's input schema and its docstring the
description the model reads. Parameters carry their wire names (the Go mcp-k8s
server's, so existing prompts keep working). An answer is structured content plus the text its
renderer (`mcp_kubectl.tools.render`, chosen in the tool table) makes for the model.
"""

# No `from __future__ import annotations`: the SDK reads the tool signatures at
# registration, and the confirmation resolvers are closures it must see as objects.
import inspect
import logging
import time
import typing
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from mcp.server.mcpserver import Resolve
from mcp.server.mcpserver.tools import Tool
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from mcp_kubectl.cluster.process import RunLog
from mcp_kubectl.errors import InternalError, McpKubectlError
from mcp_kubectl.ops.kubernetes import Kubernetes
from mcp_kubectl.ops.reads import ListPage
from mcp_kubectl.safety.audit import AuditEntry, AuditLog, summarize_arguments
from mcp_kubectl.safety.confirm import Confirmation, Confirmer
from mcp_kubectl.safety.manifests import one_parse_per_call
from mcp_kubectl.safety.redaction import redact_text
from mcp_kubectl.settings import Settings
from mcp_kubectl.shaping.hints import tool_hint
from mcp_kubectl.tools import render
from mcp_kubectl.tools.arguments import argument_problem, trim
from mcp_kubectl.tools.schemas import Answer

logger = logging.getLogger(__name__)

# Parameters several families take, described once. (A namespace or a name needs no words: the
# default namespace is in the server's instructions, said once, not in every tools/list.)
Kind = Annotated[str, Field(description="Type as kubectl takes it: pods, deploy, deployments.apps, a CRD plural.")]
ContextName = Annotated[str | None, Field(description="kubeconfig context, if the server allows more than its own.")]
DryRun = Annotated[bool, Field(description="Server-side dry run: validate and show the result, change nothing.")]

ToolFunction = Callable[..., Awaitable[Any]]
"""A tool: `async fn(ops, **arguments)`, its signature the input schema, its docstring the description."""

Resolver = Callable[..., Awaitable[Any]]
"""A confirmation resolver: takes the MCP `Context` and tool arguments by name, asks the person
(`Confirmer.ask`, with a preview of the write) and returns their answer."""


def _result(payload: dict[str, Any] | ListPage, show: render.Renderer) -> CallToolResult:
    """Structured content for programs; for the model, the tool's rendering of the same answer."""
    data = payload.answer if isinstance(payload, ListPage) else payload
    return CallToolResult(content=[TextContent(type="text", text=show(payload))], structured_content=data)


def _error(error: McpKubectlError) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(type="text", text=str(error))],
        structured_content={"error": error.to_dict()},
        is_error=True,
    )


def for_the_model(error: McpKubectlError, tool: str, settings: Settings) -> McpKubectlError:
    """The error as the model sees it: its text redacted (once, here) and a hint that may name tools."""
    if not settings.show_secrets:
        error = error.with_message(redact_text(error.message))
    hint = tool_hint(error, tool, settings)
    return error.with_hint(hint) if hint else error


def answers(
    tool: str,
    audit_log: AuditLog | None,
    ops: Kubernetes,
    show: render.Renderer = render.as_json,
    confirmer: Confirmer | None = None,
    *,
    in_context: bool = True,
    resolver: Resolver | None = None,
) -> Callable[[Callable[..., Awaitable[Any]]], Callable[..., Awaitable[CallToolResult]]]:
    """Wrap a tool function `fn(ops, **arguments)`: it gets the operations bound to this call's
    run log and, `in_context`, to the call's `context` argument (checked once, here: `fn` never
    sees it, so no operation can forget it); its answer becomes a result (the data, and `show`'s
    text for the model), its McpKubectlError a tool error, and the call (with every process it
    ran) one audit line. A write names its confirmation `resolver`: the wrapper takes a
    `confirmation` it fills (the person's answer, or an approval when no one must be asked) and
    checks it here, before `fn` runs, so no write can forget to and `fn` never sees it. The MCP
    schema is `fn`'s signature without `ops`, and with `context` last when `in_context`."""

    if resolver is not None and confirmer is None:
        raise TypeError(f"{tool} asks for confirmation: answers() needs the confirmer that checks it")

    def decorate(fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[CallToolResult]]:
        signature = inspect.signature(fn)

        async def answer(**kwargs: Any) -> CallToolResult:
            started = time.monotonic()
            log = RunLog()
            arguments = {k: v for k, v in kwargs.items() if k not in ("context", "confirmation")}  # the audit line keeps context as sent
            try:
                if resolver is not None and confirmer is not None:
                    confirmer.check(kwargs["confirmation"])  # raises unless approved (or no one had to)
                bound = ops.for_call(log, kwargs.get("context")) if in_context else ops.for_local_call(log)
                result = _result(await fn(bound, **arguments), show)
                outcome = "ok"
            except McpKubectlError as error:
                result = _error(for_the_model(error, tool, ops.settings))
                outcome = error.reason
            except Exception:
                # A bug, or cluster output no rule foresaw: still a typed answer and an audit
                # line, never a traceback to the client; the details go to the server log.
                logger.exception("%s failed unexpectedly", tool)
                result = _error(InternalError())
                outcome = InternalError.reason
            record(audit_log, tool, kwargs, result, outcome, started=started, runs=log.runs)
            return result

        async def wrapper(**kwargs: Any) -> CallToolResult:
            with one_parse_per_call():  # the operation and the audit line share one manifest parse
                return await answer(**kwargs)

        parameters = list(signature.parameters.values())[1:]  # `ops` is ours, not the model's
        annotations = {k: v for k, v in fn.__annotations__.items() if k != next(iter(signature.parameters))}
        if in_context:
            parameters.append(inspect.Parameter("context", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None, annotation=ContextName))
            annotations["context"] = ContextName
        if resolver is not None:  # filled by the resolver, never by the model: not in the input schema
            asked = Annotated[Confirmation, Resolve(resolver)]
            parameters.append(inspect.Parameter("confirmation", inspect.Parameter.KEYWORD_ONLY, annotation=asked))
            annotations["confirmation"] = asked
        wrapper.__name__ = wrapper.__qualname__ = fn.__name__
        wrapper.__doc__ = fn.__doc__
        returns = signature.return_annotation
        if getattr(returns, "__metadata__", ()):  # the client gets the answer's data, a dict, whatever form `fn` returns (a `ListPage`)
            returns = Annotated[(dict[str, Any], *returns.__metadata__)]
        wrapper.__signature__ = signature.replace(parameters=parameters, return_annotation=returns)  # type: ignore[attr-defined]
        if "return" in annotations:
            annotations["return"] = returns
        wrapper.__annotations__ = annotations
        return wrapper

    return decorate


def record(
    audit_log: AuditLog | None, tool: str, arguments: Mapping[str, Any], result: CallToolResult, outcome: str, *, started: float, runs: Any = ()
) -> None:
    """One audit line for one call, answered or refused (the confirmation is the client's, not an argument)."""
    if audit_log is None:
        return
    audit_log.record(
        AuditEntry(
            tool=tool,
            arguments=summarize_arguments({k: v for k, v in arguments.items() if k != "confirmation"}),  # names objects from the call's own parse
            runs=runs,
            duration_ms=(time.monotonic() - started) * 1000,
            bytes_returned=sum(len(getattr(block, "text", "")) for block in result.content),
            outcome=outcome,
        )
    )


@dataclass(frozen=True)


class ToolKit:
    """What every tool function works with: the operations and, for writes, the confirmer."""

    ops: Kubernetes
    confirmer: Confirmer

    def for_preview(self, context: str | None) -> Kubernetes:
        """The operations a confirmation resolver previews with: it runs before the tool body,
        outside `answers`, so it binds its own copy to the call's `context`, checked the same way."""
        return self.ops.for_call(RunLog(), context)


def sentence(text: str) -> Callable[[], Awaitable[str]]:
    """A confirmation preview known before anything runs (a Helm repository to add or remove)."""

    async def preview() -> str:
        return text

    return preview


ConfirmationOf = Callable[[ToolKit], Resolver]
"""What a write's table row names: the maker of its resolver (which needs the kit's confirmer,
and the kit's operations to preview with)."""


def build_tool(
    name: str,
    handler: ToolFunction,
    annotations: ToolAnnotations,
    kit: ToolKit,
    audit: AuditLog | None,
    *,
    offer_context: bool,
    in_context: bool = True,
    confirmation: ConfirmationOf | None = None,
    show: render.Renderer = render.as_json,
) -> Tool:
    """One MCP tool from a row of `mcp_kubectl.tools.table`: its function, wrapped so every answer is
    a result and one audit line; its input schema closed (no unknown arguments), with `context`
    if it runs `in_context` and the server may use more than one; its output schema the
    function's `Returns`; its text for the model `show`'s rendering of the answer."""
    resolver = confirmation(kit) if confirmation is not None else None
    wrapped = answers(name, audit, kit.ops, show, kit.confirmer, in_context=in_context, resolver=resolver)(handler)
    tool = typing.cast(CheckedTool, CheckedTool.from_function(wrapped, name=name, annotations=annotations))
    tool.audit_log = audit  # a refused argument is a call too: it gets its audit line
    parameters = tool.parameters
    trim(parameters)
    if not offer_context:
        parameters["properties"].pop("context", None)
    parameters["additionalProperties"] = False
    returns = _returns(handler)
    if returns is not None:
        tool.fn_metadata.output_schema = returns.schema()
    return tool


class CheckedTool(Tool):
    """A tool whose arguments are checked against its advertised input schema before anything runs.

    An unknown argument, a missing one or a value of the wrong type or range is an
    `InvalidArgument` answer in the same shape as every other error (which parameter,
    what was wrong, what is accepted), instead of the SDK's raw pydantic text, and one audit
    line like every other call.
    """

    audit_log: Any = Field(default=None, exclude=True)  # AuditLog | None (pydantic: no schema for it)

    async def run(self, arguments: dict[str, Any], context: Any, convert_result: bool = False) -> Any:
        started = time.monotonic()
        problem = argument_problem(self.name, self.parameters, arguments, self.fn_metadata.validate_arguments)
        if problem is not None:
            result = _error(problem)
            record(self.audit_log, self.name, arguments, result, problem.reason, started=started)
            return result
        return await super().run(arguments, context, convert_result=convert_result)


def _returns(fn: Callable[..., Any]) -> Answer | None:
    hint = typing.get_type_hints(fn, include_extras=True).get("return")
    return next((meta for meta in getattr(hint, "__metadata__", ()) if isinstance(meta, Answer)), None)
