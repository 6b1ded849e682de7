"""`pods/exec` over the WebSocket stream protocols current kubectl speaks: a small, fixed set of commands.

Nothing runs: a command is looked up in `COMMANDS` and answered with fixed output from the pod's own
fields. The channels are Kubernetes' (one byte in front of every binary message): 0 stdin, 1 stdout,
2 stderr, 3 the error channel (a `Status`: Success, NonZeroExitCode with the exit code, or a
failure), 4 resize; `v5.channel.k8s.io` adds 255, the client's "stream closed" signal, which is
read and ignored like stdin (the emulator never asks for stdin). kubectl 1.37 offers v5 only; v4
is answered the same way for clients that ask for it.

Commands: `echo ARGS`, `cat /etc/hostname` (other files: No such file), `hostname`, `env` (the
container's env, Secret references resolved), `sh -c 'exit N'`, `sh -c 'echo TEXT'`, `true`,
`false`, `sleep SECONDS` (ends early when the client goes), `seq N` (big outputs), `printenv NAME`.
Anything else fails as a container runtime says an executable is missing.
"""

from __future__ import annotations

import json
import logging
import shlex
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mcp_kubectl.emulator.websocket import WebSocket, WebSocketClosed

logger = logging.getLogger(__name__)

PROTOCOLS = ("v5.channel.k8s.io", "v4.channel.k8s.io")
STDOUT, STDERR, ERROR = 1, 2, 3
_CHUNK = 32 * 1024
MAX_SLEEP_S = 600.0
MAX_SEQ = 5_000_000
_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# secret_value(namespace, secret, key) -> the decoded value, or None: resolves env's secretKeyRef.
SecretLookup = Callable[[str, str, str], str | None]


@dataclass(frozen=True)
class Outcome:
    """What a command leaves: its output, then an exit code (or a runtime failure), maybe after a sleep."""

    stdout: bytes = b""
    stderr: bytes = b""
    exit_code: int = 0
    failure: str | None = None  # the runtime could not start the command
    sleep_s: float = 0.0


def choose_protocol(offered: list[str]) -> str | None:
    """The first protocol the client offers that the emulator speaks."""
    return next((p for p in offered if p in PROTOCOLS), None)


def _environment(pod: dict[str, Any], container: dict[str, Any], secret_value: SecretLookup) -> list[tuple[str, str]]:
    namespace = (pod.get("metadata") or {}).get("namespace", "")
    pairs = [("PATH", _PATH), ("HOSTNAME", (pod.get("metadata") or {}).get("name", ""))]
    for var in container.get("env") or []:
        name = str(var.get("name", ""))
        if "value" in var:
            pairs.append((name, str(var["value"])))
            continue
        ref = (var.get("valueFrom") or {}).get("secretKeyRef") or {}
        if ref.get("name") and ref.get("key"):
            value = secret_value(namespace, str(ref["name"]), str(ref["key"]))
            if value is not None:
                pairs.append((name, value))
    pairs += [("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("KUBERNETES_SERVICE_PORT", "443"), ("HOME", "/root")]
    return pairs


def _shell(script: str) -> Outcome:
    """`sh -c` for the two scripts tests write: `exit N` and `echo TEXT` (joined with `;` or `&&`)."""
    stdout = b""
    for statement in script.replace("&&", ";").split(";"):
        words = shlex.split(statement)
        if not words:
            continue
        if words[0] == "exit":
            return Outcome(stdout=stdout, exit_code=int(words[1]) if len(words) > 1 and words[1].isdigit() else 0)
        if words[0] == "echo":
            stdout += (" ".join(words[1:]) + "\n").encode()
        else:
            return Outcome(stdout=stdout, stderr=f"sh: 1: {words[0]}: not found\n".encode(), exit_code=127)
    return Outcome(stdout=stdout)


def run(argv: list[str], pod: dict[str, Any], container: dict[str, Any], secret_value: SecretLookup) -> Outcome:
    """The outcome of one command in one container of a pod."""
    name = (pod.get("metadata") or {}).get("name", "")
    program, args = (argv[0], argv[1:]) if argv else ("", [])
    if program == "echo":
        return Outcome(stdout=(" ".join(args) + "\n").encode())
    if program == "hostname" or (program == "cat" and args == ["/etc/hostname"]):
        return Outcome(stdout=f"{name}\n".encode())
    if program == "cat":
        missing = "".join(f"cat: {a}: No such file or directory\n" for a in args)
        return Outcome(stderr=missing.encode(), exit_code=1)
    if program == "env":
        return Outcome(stdout="".join(f"{k}={v}\n" for k, v in _environment(pod, container, secret_value)).encode())
    if program == "printenv" and len(args) == 1:
        found = dict(_environment(pod, container, secret_value)).get(args[0])
        return Outcome(stdout=f"{found}\n".encode()) if found is not None else Outcome(exit_code=1)
    if program in ("true", "false"):
        return Outcome(exit_code=0 if program == "true" else 1)
    if program in ("sh", "/bin/sh", "bash") and len(args) == 2 and args[0] == "-c":
        return _shell(args[1])
    if program == "sleep" and len(args) == 1:
        try:
            return Outcome(sleep_s=min(MAX_SLEEP_S, max(0.0, float(args[0]))))
        except ValueError:
            return Outcome(stderr=f"sleep: invalid time interval '{args[0]}'\n".encode(), exit_code=1)
    if program == "seq" and len(args) == 1 and args[0].isdigit():
        count = min(int(args[0]), MAX_SEQ)
        return Outcome(stdout="".join(f"{i}\n" for i in range(1, count + 1)).encode())
    return Outcome(
        failure=(
            "error executing command in container: failed to exec in container: OCI runtime exec failed: "
            f'exec failed: unable to start container process: exec: "{program}": executable file not found in $PATH: unknown'
        )
    )


def status(outcome: Outcome, argv: list[str]) -> dict[str, Any]:
    """The error channel's Status, as the kubelet writes it."""
    if outcome.failure is not None:
        return {"metadata": {}, "status": "Failure", "message": f"Internal error occurred: {outcome.failure}",
                "reason": "InternalError", "code": 500}
    if outcome.exit_code == 0:
        return {"metadata": {}, "status": "Success"}
    return {
        "metadata": {}, "status": "Failure",
        "message": f"command terminated with non-zero exit code: error executing command {argv}, exit code {outcome.exit_code}",
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": str(outcome.exit_code)}]},
    }  # fmt: skip


def serve_session(ws: WebSocket, argv: list[str], outcome: Outcome, closing: threading.Event) -> None:
    """Answer one exec over an upgraded connection: output, then the Status, then the closing handshake."""
    gone = threading.Event()

    def read_until_closed() -> None:
        try:
            while True:
                ws.receive()  # stdin and v5's close signal: nothing to do with them here
        except (WebSocketClosed, OSError, ValueError):
            gone.set()

    reader = threading.Thread(target=read_until_closed, name="emulator-exec-reader", daemon=True)
    reader.start()
    if outcome.sleep_s:
        ends = time.monotonic() + outcome.sleep_s
        while time.monotonic() < ends and not gone.is_set() and not closing.is_set():
            gone.wait(0.1)
    try:
        if gone.is_set() or closing.is_set():
            return  # the client went away mid-command (kubectl killed at its deadline)
        for channel, data in ((STDOUT, outcome.stdout), (STDERR, outcome.stderr)):
            for start in range(0, len(data), _CHUNK):
                ws.send_binary(bytes([channel]) + data[start : start + _CHUNK])
        ws.send_binary(bytes([ERROR]) + json.dumps(status(outcome, argv)).encode())
        ws.close()
        reader.join(timeout=5)  # the client's close frame, or the socket's end
    except WebSocketClosed:
        logger.debug("exec client went away while being answered")
    finally:
        ws.close()
