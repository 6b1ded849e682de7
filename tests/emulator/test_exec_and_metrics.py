"""exec over WebSocket and metrics.k8s.io: what real kubectl (1.37 and 1.32) does with them, and the framing itself."""

from __future__ import annotations

import io
import json
import os
import socket
import struct
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.emulator.conftest import Kubectl
from mcp_kubectl.emulator import Emulator
from mcp_kubectl.emulator import websocket as ws


def _pod(kubectl: Kubectl) -> tuple[str, str]:
    pod = kubectl.ok("get", "pods", "-n", "default", "-o", "json").json()["items"][0]
    return pod["metadata"]["name"], pod["spec"]["containers"][0]["name"]


def test_kubectl_exec_runs_the_fixed_commands(kubectl: Kubectl) -> None:
    pod, container = _pod(kubectl)
    echo = kubectl.run("exec", pod, "-c", container, "--", "echo", "-n", "a b")
    assert (echo.returncode, echo.stdout, echo.stderr) == (0, "-n a b\n", "")
    assert kubectl.run("exec", pod, "-c", container, "--", "cat", "/etc/hostname").stdout == f"{pod}\n"
    failed = kubectl.run("exec", pod, "-c", container, "--", "sh", "-c", "exit 7")
    assert failed.returncode == 7 and "command terminated with exit code 7" in failed.stderr
    missing = kubectl.run("exec", pod, "-c", container, "--", "no-such-program")
    assert missing.returncode == 1 and "executable file not found" in missing.stderr
    bad = kubectl.run("exec", pod, "-c", "nope", "--", "true")
    assert bad.returncode != 0 and "nope" in bad.stderr


def test_exec_needs_create_on_pods_exec(kubectl_pinned: Kubectl, emulator: Emulator) -> None:
    pod, container = _pod(kubectl_pinned)
    viewer = kubectl_pinned.run("exec", pod, "-c", container, "--", "true", kubeconfig=emulator.kubeconfig_for("viewer"))
    assert viewer.returncode != 0 and "forbidden" in viewer.stderr.lower()


def test_kubectl_top_reads_the_metrics_and_says_when_there_are_none(kubectl: Kubectl, emulator: Emulator) -> None:
    pods = kubectl.ok("top", "pods", "-n", "default", "--containers").stdout
    pod, container = _pod(kubectl)
    assert pod in pods and container in pods
    assert "emulator-node-1" in kubectl.ok("top", "nodes").stdout
    emulator.metrics.enabled = False
    try:
        gone = kubectl.run("top", "pods", "-n", "default")
        assert gone.returncode != 0 and "Metrics API not available" in gone.stderr
        raw = kubectl.run("get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes")
        assert raw.returncode != 0 and "NotFound" in raw.stderr
    finally:
        emulator.metrics.enabled = True


# ----------------------------------------------------------------------------- the framing, by hand


def _masked(opcode: int, payload: bytes) -> bytes:
    mask = os.urandom(4)
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | size)
    elif size < 1 << 16:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, size)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, size)
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


@pytest.mark.parametrize("size", [0, 125, 126, 65535, 65536])
def test_frames_round_trip_at_every_length_boundary(size: int) -> None:
    payload = bytes(i % 251 for i in range(size))
    assert ws.read_frame(io.BytesIO(_masked(ws.BINARY, payload))) == (True, ws.BINARY, payload)
    assert ws.read_frame(io.BytesIO(ws.encode_frame(ws.BINARY, payload))) == (True, ws.BINARY, payload)


@contextmanager
def seeded_pod() -> Iterator[tuple[Emulator, str, str]]:
    """A plain-HTTP emulator with the sample workloads, and its first pod's name and container."""
    with Emulator(tls=False) as emu:
        emu.seed_workloads()
        pod = emu.store.list(("", "pods"), "default")[0].obj
        yield emu, pod["metadata"]["name"], pod["spec"]["containers"][0]["name"]


def test_the_accept_key_is_rfc_6455s() -> None:
    assert ws.accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="  # the RFC's own example


def test_v4_is_answered_pings_get_pongs_and_the_status_ends_the_stream() -> None:
    with seeded_pod() as (emu, name, container):
        with socket.create_connection(("127.0.0.1", emu.port), timeout=10) as conn:
            conn.sendall(
                f"GET /api/v1/namespaces/default/pods/{name}/exec?command=sleep&command=1&container={container}"
                "&stdout=true&stderr=true HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                "Sec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n".encode()
            )
            stream = conn.makefile("rb")
            head = b""
            while not head.endswith(b"\r\n\r\n"):
                head += stream.read(1)
            assert head.startswith(b"HTTP/1.1 101") and b"Sec-WebSocket-Protocol: v4.channel.k8s.io" in head
            assert b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in head
            conn.sendall(_masked(ws.PING, b"hb"))
            frames = []
            while not frames or frames[-1][1] != ws.CLOSE:
                frames.append(ws.read_frame(stream))
            conn.sendall(_masked(ws.CLOSE, struct.pack("!H", 1000)))
    assert frames[0] == (True, ws.PONG, b"hb")  # answered while the command sleeps
    data = [payload for _, opcode, payload in frames if opcode == ws.BINARY]
    assert [d[0] for d in data] == [3] and json.loads(data[0][1:]) == {"metadata": {}, "status": "Success"}


def test_a_plain_get_of_exec_is_refused_with_a_reason() -> None:
    with seeded_pod() as (emu, name, container):
        with socket.create_connection(("127.0.0.1", emu.port), timeout=10) as conn:
            conn.sendall(f"GET /api/v1/namespaces/default/pods/{name}/exec?command=true&container={container} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            answer = b""
            while chunk := conn.recv(65536):
                answer += chunk
    assert answer.startswith(b"HTTP/1.1 400") and b"Upgrade request required" in answer
