"""A Kubernetes API emulator that the real kubectl accepts: the project's test bed and built-in demo cluster.

It is an emulator, not a cluster: objects live in memory, nothing runs, no controller acts. See
``Emulator`` for the Python API and ``python -m mcp_kubectl.emulator --help`` for the command line.
"""

from mcp_kubectl.emulator.auth import Rule
from mcp_kubectl.emulator.emulator import Emulator
from mcp_kubectl.emulator.server import RequestRecord

__all__ = ["Emulator", "RequestRecord", "Rule"]
