"""Just enough RFC 6455 WebSocket for the server side of `kubectl exec`: the handshake and framing.

Written by hand (test infrastructure; no dependency the package would carry for it): the opening
handshake's accept key, reading masked client frames (any payload length, fragments joined),
writing unmasked server frames, answering pings, and the closing handshake. Kubernetes' stream
protocols (`v5.channel.k8s.io`, `v4.channel.k8s.io`) put one channel byte in front of every binary
message; that is `podexec`'s business, not this module's.
"""

from __future__ import annotations

import base64
import hashlib
import struct
import threading
from io import BufferedIOBase

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
NORMAL_CLOSURE = 1000
MAX_MESSAGE = 1 << 20  # what a client may send in one message (kubectl sends a few bytes)


class WebSocketClosed(Exception):
    """The peer closed the connection (a close frame, or the socket ended)."""


def accept_key(key: str) -> str:
    """Sec-WebSocket-Accept for a client's Sec-WebSocket-Key."""
    return base64.b64encode(hashlib.sha1(key.strip().encode("ascii") + _GUID).digest()).decode("ascii")


def offered_protocols(header: str | None) -> list[str]:
    """The subprotocols a client offers, in its order (Sec-WebSocket-Protocol may be repeated or comma-joined)."""
    return [p.strip() for p in (header or "").split(",") if p.strip()]


def is_upgrade(headers: dict[str, str]) -> bool:
    """A WebSocket opening handshake (headers lower-cased)."""
    connection = {t.strip().lower() for t in headers.get("connection", "").split(",")}
    return headers.get("upgrade", "").lower() == "websocket" and "upgrade" in connection and bool(headers.get("sec-websocket-key"))


def encode_frame(opcode: int, payload: bytes) -> bytes:
    """One final, unmasked frame (servers never mask)."""
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", 0x80 | opcode, size)
    elif size < 1 << 16:
        header = struct.pack("!BBH", 0x80 | opcode, 126, size)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 127, size)
    return header + payload


def _read_exactly(stream: BufferedIOBase, size: int) -> bytes:
    data = stream.read(size) if size else b""
    if len(data) != size:
        raise WebSocketClosed("the connection ended inside a frame")
    return data


def read_frame(stream: BufferedIOBase) -> tuple[bool, int, bytes]:
    """(fin, opcode, unmasked payload) of the next frame; `WebSocketClosed` at the end of the stream."""
    first, second = _read_exactly(stream, 2)
    fin, opcode = bool(first & 0x80), first & 0x0F
    masked, size = bool(second & 0x80), second & 0x7F
    if size == 126:
        (size,) = struct.unpack("!H", _read_exactly(stream, 2))
    elif size == 127:
        (size,) = struct.unpack("!Q", _read_exactly(stream, 8))
    if size > MAX_MESSAGE:
        raise WebSocketClosed(f"a {size}-byte frame is more than this server reads")
    mask = _read_exactly(stream, 4) if masked else b""
    payload = _read_exactly(stream, size)
    if masked:
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return fin, opcode, payload


class WebSocket:
    """The server end of one upgraded connection: thread-safe sends, one reader."""

    def __init__(self, rfile: BufferedIOBase, wfile: BufferedIOBase) -> None:
        self._rfile = rfile
        self._wfile = wfile
        self._write_lock = threading.Lock()
        self._closed = False

    def _send(self, opcode: int, payload: bytes) -> None:
        with self._write_lock:
            if self._closed:
                raise WebSocketClosed("already closed")
            try:
                self._wfile.write(encode_frame(opcode, payload))
                self._wfile.flush()
            except OSError as exc:
                self._closed = True
                raise WebSocketClosed(str(exc)) from exc

    def send_binary(self, payload: bytes) -> None:
        self._send(BINARY, payload)

    def close(self, code: int = NORMAL_CLOSURE, reason: str = "") -> None:
        """Start (or answer) the closing handshake; later sends fail. Idempotent."""
        try:
            self._send(CLOSE, struct.pack("!H", code) + reason.encode("utf-8")[:120])
        except WebSocketClosed:
            pass
        with self._write_lock:
            self._closed = True

    def receive(self) -> tuple[int, bytes]:
        """The next data message (opcode, payload); pings are answered on the way. `WebSocketClosed` on close."""
        opcode_of_message = 0
        parts: list[bytes] = []
        while True:
            fin, opcode, payload = read_frame(self._rfile)
            if opcode == PING:
                try:
                    self._send(PONG, payload)
                except WebSocketClosed:
                    pass
                continue
            if opcode == PONG:
                continue
            if opcode == CLOSE:
                self.close()
                raise WebSocketClosed("the client closed the connection")
            if opcode != CONTINUATION:
                opcode_of_message, parts = opcode, []
            parts.append(payload)
            if sum(len(p) for p in parts) > MAX_MESSAGE:
                raise WebSocketClosed("message too large")
            if fin:
                return opcode_of_message, b"".join(parts)
