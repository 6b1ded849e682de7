"""A real Kubernetes control plane on 127.0.0.1 for the test suites, in the manner of controller-runtime's envtest.

    python tests/real_cluster.py build                       # build once; cached by pinned versions
    python tests/real_cluster.py up --kubeconfig-out FILE    # run until SIGTERM or SIGINT

etcd, kube-apiserver, kube-controller-manager and kube-scheduler are built from the Go modules pinned
in tests/controlplane/go.mod (k8s.io/kubernetes v1.37.x, its staging modules v0.37.x, etcd v3.x) into
``~/.cache/mcp-kubectl/controlplane/<key>/``, where the key names those versions, the Go version and a
hash of the module files. There are no kubelets: pods are accepted, scheduled nowhere and stay Pending.

As a library (the pytest fixtures use this)::

    with ControlPlane() as plane:
        plane.admin_kubeconfig       # system:masters, by client certificate
        plane.restricted_kubeconfig  # a token user bound to a read-only Role in RESTRICTED_NAMESPACE
        plane.audit_log              # every write request (RequestReceived), one JSON event a line

``start()`` returns only once /readyz answers and the restricted user's Role exists; ``stop()`` ends
every process it started, in reverse order, also after a failed start.
"""

from __future__ import annotations

import argparse
import base64
import ctypes
import datetime
import hashlib
import ipaddress
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

MODULE_DIR = Path(__file__).resolve().parent / "controlplane"
CACHE_ROOT = Path(os.environ.get("MCP_KUBECTL_CACHE", Path.home() / ".cache" / "mcp-kubectl")) / "controlplane"
BINARIES = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler")
PACKAGES = (
    "./cmd/etcd",
    "k8s.io/kubernetes/cmd/kube-apiserver",
    "k8s.io/kubernetes/cmd/kube-controller-manager",
    "k8s.io/kubernetes/cmd/kube-scheduler",
)
RESTRICTED_USER = "viewer"
RESTRICTED_NAMESPACE = "default"
CONTEXT = "real"
SERVICE_CIDR = "10.96.0.0/12"  # kubeadm's default, and the emulator's seeded cluster IPs
START_TIMEOUT_S = 120.0


# ----------------------------------------------------------------------------- build


def pinned_versions() -> dict[str, str]:
    """{"kubernetes": "v1.37.2", "etcd": "v3.7.0", "go": "go1.26.8"} read from go.mod and the toolchain."""
    text = (MODULE_DIR / "go.mod").read_text()

    def required(module: str) -> str:
        found = re.search(rf"^\s*(?:require\s+)?{re.escape(module)} (v\S+)", text, re.MULTILINE)
        if not found:
            raise RuntimeError(f"{module} is not pinned in {MODULE_DIR / 'go.mod'}")
        return found.group(1)

    go = subprocess.run(["go", "env", "GOVERSION"], capture_output=True, text=True, check=True).stdout.strip()
    return {"kubernetes": required("k8s.io/kubernetes"), "etcd": required("go.etcd.io/etcd/server/v3"), "go": go}


def _ldflags(kubernetes: str) -> str:
    """Strip symbols, and stamp the version the API server reports (kubectl checks version skew)."""
    major, minor = kubernetes.lstrip("v").split(".")[:2]
    stamps = []
    for package in ("k8s.io/component-base/version", "k8s.io/client-go/pkg/version"):
        stamps += [f"-X {package}.gitVersion={kubernetes}", f"-X {package}.gitMajor={major}",
                   f"-X {package}.gitMinor={minor}", f"-X {package}.gitTreeState=clean"]
    return " ".join(["-s", "-w", *stamps])


def cache_dir() -> Path:
    """Where this checkout's pinned binaries live: one folder per versions and module files."""
    versions = pinned_versions()
    digest = hashlib.sha256()
    for name in ("go.mod", "go.sum", "cmd/etcd/main.go"):
        digest.update((MODULE_DIR / name).read_bytes())
    digest.update(_ldflags(versions["kubernetes"]).encode())
    key = f"kubernetes-{versions['kubernetes']}_etcd-{versions['etcd']}_{versions['go']}_{digest.hexdigest()[:12]}"
    return CACHE_ROOT / key


def is_built() -> bool:
    """Whether this checkout's pinned binaries are in the cache already."""
    return all((cache_dir() / name).is_file() for name in BINARIES)


def build(log: Any = sys.stderr) -> Path:
    """Build the binaries unless cached; returns their folder. A half-finished build is never used."""
    target = cache_dir()
    if all((target / name).is_file() for name in BINARIES):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    argv = ["go", "build", "-trimpath", "-buildvcs=false", f"-ldflags={_ldflags(pinned_versions()['kubernetes'])}",
            "-o", f"{staging}/", *PACKAGES]
    print(f"building the control plane into {target} (cold: tens of minutes on 2 cores)", file=log, flush=True)
    started = time.monotonic()
    try:
        subprocess.run(argv, cwd=MODULE_DIR, check=True)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"built in {time.monotonic() - started:.0f}s", file=log, flush=True)
    return target


# ----------------------------------------------------------------------------- certificates


@dataclass(frozen=True)
class _Pem:
    cert: bytes
    key: bytes


def _key_pem(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


class _Authority:
    """A throwaway CA that signs the API server's serving certificate and the clients' certificates."""

    def __init__(self) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        self._now = datetime.datetime.now(datetime.timezone.utc)
        self._key = ec.generate_private_key(ec.SECP256R1())
        self._name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mcp-kubectl-test-ca")])
        self._cert = (
            self._builder(self._name, self._key.public_key())
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self._key, hashes.SHA256())
        )
        self.pem = _Pem(self._pem(self._cert), _key_pem(self._key))

    def _builder(self, subject: Any, public_key: Any) -> Any:
        from cryptography import x509

        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self._name)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(self._now - datetime.timedelta(hours=1))
            .not_valid_after(self._now + datetime.timedelta(days=30))
        )

    @staticmethod
    def _pem(cert: Any) -> bytes:
        from cryptography.hazmat.primitives import serialization

        return cert.public_bytes(serialization.Encoding.PEM)

    def issue(self, common_name: str, *, groups: tuple[str, ...] = (), server: bool = False) -> _Pem:
        """A leaf certificate: a client's (CN = user, O = groups) or the loopback server's."""
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, g) for g in groups]
                            + [x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        usage = ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
        builder = (
            self._builder(subject, key.public_key())
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        )
        if server:
            names = [x509.DNSName(n) for n in ("localhost", "kubernetes", "kubernetes.default",
                                                "kubernetes.default.svc", "kubernetes.default.svc.cluster.local")]
            names += [x509.IPAddress(ipaddress.ip_address(a)) for a in ("127.0.0.1", "10.96.0.1")]
            builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
        return _Pem(self._pem(builder.sign(self._key, hashes.SHA256())), _key_pem(key))


def _service_account_key() -> bytes:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return _key_pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))


# ----------------------------------------------------------------------------- kubeconfigs


def _kubeconfig(url: str, ca: bytes, user: str, credentials: dict[str, str], namespace: str = "default") -> str:
    document = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": CONTEXT, "cluster": {"server": url, "certificate-authority-data": base64.b64encode(ca).decode()}}],
        "users": [{"name": user, "user": credentials}],
        "contexts": [{"name": CONTEXT, "context": {"cluster": CONTEXT, "user": user, "namespace": namespace}}],
        "current-context": CONTEXT,
        "preferences": {},
    }
    return json.dumps(document, indent=2) + "\n"


def _write_private(path: Path, content: str | bytes) -> Path:
    """Write atomically with mode 0600, so a reader never sees half a file or someone else's key."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(content.encode() if isinstance(content, str) else content)
    os.replace(tmp, path)
    return path


def _client_credentials(pem: _Pem) -> dict[str, str]:
    return {"client-certificate-data": base64.b64encode(pem.cert).decode(),
            "client-key-data": base64.b64encode(pem.key).decode()}


# ----------------------------------------------------------------------------- processes


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    """In the child, before exec: the kernel sends SIGTERM if the launcher dies without stopping us."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class _Process:
    name: str
    argv: list[str]
    log_path: Path
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                          start_new_session=True, preexec_fn=_die_with_parent)

    def check_running(self) -> None:
        if self.popen is not None and self.popen.poll() is not None:
            tail = self.log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{self.name} exited with {self.popen.returncode}; its log ends:\n{tail}")

    def stop(self, grace_s: float = 15.0) -> None:
        """SIGTERM the process group, SIGKILL after the grace period, and reap it."""
        if self.popen is None:
            return
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.popen.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()
        self.popen = None


# ----------------------------------------------------------------------------- the control plane


@dataclass
class ControlPlane:
    """etcd, kube-apiserver, kube-controller-manager and kube-scheduler on 127.0.0.1 (a context manager)."""

    workdir: Path | None = None
    scheduler: bool = True
    log: Any = field(default=sys.stderr, repr=False)

    def __post_init__(self) -> None:
        self._own_workdir = self.workdir is None
        self._processes: list[_Process] = []
        self.url = ""
        self.admin_kubeconfig = Path()
        self.restricted_kubeconfig = Path()
        self.audit_log = Path()

    def __enter__(self) -> ControlPlane:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- lifecycle

    def start(self) -> ControlPlane:
        """Build if needed, start everything, and return once the API server is ready."""
        binaries = build(self.log)
        self.workdir = Path(tempfile.mkdtemp(prefix="mcp-kubectl-real-")) if self.workdir is None else self.workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        try:
            self._start(binaries, self.workdir)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop every process in reverse order of start, then remove a private work dir."""
        while self._processes:
            self._processes.pop().stop()
        if self._own_workdir and self.workdir is not None and self.workdir.exists():
            shutil.rmtree(self.workdir, ignore_errors=True)

    def _start(self, binaries: Path, work: Path) -> None:
        pki = work / "pki"
        pki.mkdir(exist_ok=True)
        ca = _Authority()
        ca_file = _write_private(pki / "ca.crt", ca.pem.cert)
        _write_private(pki / "ca.key", ca.pem.key)
        serving = ca.issue("kube-apiserver", server=True)
        _write_private(pki / "apiserver.crt", serving.cert)
        _write_private(pki / "apiserver.key", serving.key)
        _write_private(pki / "sa.key", _service_account_key())
        self._admin = ca.issue("admin", groups=("system:masters",))
        self._ca_file = ca_file
        viewer_token = secrets.token_urlsafe(24)
        _write_private(pki / "tokens.csv", f"{viewer_token},{RESTRICTED_USER},{RESTRICTED_USER},\n")
        audit_policy = work / "audit-policy.json"
        audit_policy.write_text(json.dumps(_AUDIT_POLICY))
        self.audit_log = work / "audit.log"

        etcd_port, etcd_peer, api_port = _free_port(), _free_port(), _free_port()
        self.url = f"https://127.0.0.1:{api_port}"
        etcd_url = f"http://127.0.0.1:{etcd_port}"
        peer_url = f"http://127.0.0.1:{etcd_peer}"
        self._spawn("etcd", [
            str(binaries / "etcd"), "--name=default", f"--data-dir={work / 'etcd'}",
            f"--listen-client-urls={etcd_url}", f"--advertise-client-urls={etcd_url}",
            f"--listen-peer-urls={peer_url}", f"--initial-advertise-peer-urls={peer_url}",
            f"--initial-cluster=default={peer_url}", "--unsafe-no-fsync", "--log-level=warn",
        ])
        self._spawn("kube-apiserver", [
            str(binaries / "kube-apiserver"),
            f"--etcd-servers={etcd_url}", "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
            f"--secure-port={api_port}", f"--tls-cert-file={pki / 'apiserver.crt'}",
            f"--tls-private-key-file={pki / 'apiserver.key'}", f"--client-ca-file={ca_file}",
            "--authorization-mode=RBAC", f"--token-auth-file={pki / 'tokens.csv'}",
            f"--service-cluster-ip-range={SERVICE_CIDR}", "--allow-privileged=true",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            f"--service-account-key-file={pki / 'sa.key'}", f"--service-account-signing-key-file={pki / 'sa.key'}",
            f"--audit-policy-file={audit_policy}", f"--audit-log-path={self.audit_log}",
            "--audit-log-format=json", "--audit-log-mode=blocking", "--profiling=false",
            # Only the InternalIP, which seeded Nodes set to 127.0.0.1: never a DNS lookup of a node's name.
            "--kubelet-preferred-address-types=InternalIP",
            # The "kubernetes" Service cannot point at a loopback address: leave its endpoints alone.
            "--endpoint-reconciler-type=none",
        ])
        self._wait_ready()

        components = work / "components"
        components.mkdir(exist_ok=True)
        common = ["--bind-address=127.0.0.1", "--secure-port=0", "--leader-elect=false", "--profiling=false"]
        # Without kubelets, the node lifecycle controller would mark every seeded Node unreachable and evict
        # its pods, and the pod garbage collector would delete pods bound to them: the tests seed both.
        without_kubelets = "--controllers=*,-node-lifecycle-controller,-pod-garbage-collector-controller"
        kcm = self._component_kubeconfig(ca, components, "system:kube-controller-manager")
        self._spawn("kube-controller-manager", [
            str(binaries / "kube-controller-manager"), *common, f"--kubeconfig={kcm}",
            f"--authentication-kubeconfig={kcm}", f"--authorization-kubeconfig={kcm}",
            f"--root-ca-file={ca_file}", f"--service-account-private-key-file={pki / 'sa.key'}",
            "--use-service-account-credentials=true", f"--cluster-signing-cert-file={ca_file}", without_kubelets,
            f"--cluster-signing-key-file={pki / 'ca.key'}", f"--service-cluster-ip-range={SERVICE_CIDR}",
        ])
        if self.scheduler:
            sched = self._component_kubeconfig(ca, components, "system:kube-scheduler")
            self._spawn("kube-scheduler", [
                str(binaries / "kube-scheduler"), *common, f"--kubeconfig={sched}",
                f"--authentication-kubeconfig={sched}", f"--authorization-kubeconfig={sched}",
            ])

        self._grant_restricted_user()
        self._wait_for_default_service_account()
        self.restricted_kubeconfig = _write_private(
            work / f"kubeconfig-{RESTRICTED_USER}",
            _kubeconfig(self.url, ca.pem.cert, RESTRICTED_USER, {"token": viewer_token}, RESTRICTED_NAMESPACE))
        # Last: whoever waits for this file may use the cluster at once.
        self.admin_kubeconfig = _write_private(
            work / "kubeconfig", _kubeconfig(self.url, ca.pem.cert, "admin", _client_credentials(self._admin)))

    def _spawn(self, name: str, argv: list[str]) -> None:
        assert self.workdir is not None
        process = _Process(name, argv, self.workdir / f"{name}.log")
        self._processes.append(process)
        process.start()

    def _component_kubeconfig(self, ca: _Authority, folder: Path, user: str) -> Path:
        pem = ca.issue(user)
        return _write_private(folder / f"{user.rpartition(':')[2]}.kubeconfig",
                              _kubeconfig(self.url, ca.pem.cert, user, _client_credentials(pem)))

    # -- talking to the API server (no kubectl needed to start)

    def _ssl_context(self) -> ssl.SSLContext:
        assert self.workdir is not None
        context = ssl.create_default_context(cafile=str(self._ca_file))
        cert = _write_private(self.workdir / "pki" / "admin.crt", self._admin.cert)
        key = _write_private(self.workdir / "pki" / "admin.key", self._admin.key)
        context.load_cert_chain(cert, key)
        return context

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, str]:
        """One admin request to the API server: (status code, body text)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, context=self._context, timeout=10) as resp:  # noqa: S310 - https to loopback only
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode(errors="replace")

    def _wait_ready(self) -> None:
        self._context = self._ssl_context()
        deadline = time.monotonic() + START_TIMEOUT_S
        last = ""
        while time.monotonic() < deadline:
            for process in self._processes:
                process.check_running()
            try:
                status, last = self.request("GET", "/readyz")
                if status == 200:
                    return
            except (OSError, ssl.SSLError) as err:
                last = str(err)
            time.sleep(0.25)
        raise TimeoutError(f"kube-apiserver not ready within {START_TIMEOUT_S:.0f}s: {last[-2000:]}")

    def _grant_restricted_user(self) -> None:
        """The restricted user may read pods (and their logs) in one namespace, nothing else: Forbidden is
        real RBAC. The same grant as the emulator's "viewer" in the tests."""
        role = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                "metadata": {"name": "read-only", "namespace": RESTRICTED_NAMESPACE},
                "rules": [{"apiGroups": [""], "verbs": ["get", "list", "watch"], "resources": ["pods", "pods/log"]}]}
        binding = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                   "metadata": {"name": "read-only", "namespace": RESTRICTED_NAMESPACE},
                   "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "read-only"},
                   "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": RESTRICTED_USER}]}
        base = f"/apis/rbac.authorization.k8s.io/v1/namespaces/{RESTRICTED_NAMESPACE}"
        for plural, obj in (("roles", role), ("rolebindings", binding)):
            status, text = self.request("POST", f"{base}/{plural}", obj)
            if status not in (201, 409):
                raise RuntimeError(f"creating {plural}/read-only failed ({status}): {text[:500]}")

    def _wait_for_default_service_account(self) -> None:
        """Pods are admitted only once the controller-manager made the namespace's default ServiceAccount."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            for process in self._processes:
                process.check_running()
            status, _ = self.request("GET", "/api/v1/namespaces/default/serviceaccounts/default")
            if status == 200:
                return
            time.sleep(0.25)
        raise TimeoutError("kube-controller-manager did not create the default ServiceAccount in time")


# Every request from a person's credentials (not the control plane's own), logged when it arrives,
# before it runs: the tests' target-neutral proof of what reached the API server.
_AUDIT_POLICY = {
    "apiVersion": "audit.k8s.io/v1",
    "kind": "Policy",
    "omitStages": ["ResponseStarted", "ResponseComplete", "Panic"],
    "rules": [
        {"level": "None", "userGroups": ["system:serviceaccounts", "system:nodes"]},
        {"level": "None", "users": ["system:kube-controller-manager", "system:kube-scheduler", "system:apiserver"]},
        {"level": "None", "nonResourceURLs": ["/readyz", "/livez", "/healthz"]},
        {"level": "Metadata"},
    ],
}


# ----------------------------------------------------------------------------- command line


def _up(kubeconfig_out: Path) -> int:
    stopping = False

    def on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    plane = ControlPlane()
    try:
        plane.start()
        shutil.copyfile(plane.admin_kubeconfig, kubeconfig_out.with_name(f".{kubeconfig_out.name}.tmp"))
        os.chmod(kubeconfig_out.with_name(f".{kubeconfig_out.name}.tmp"), 0o600)
        os.replace(kubeconfig_out.with_name(f".{kubeconfig_out.name}.tmp"), kubeconfig_out)
        print(f"admin kubeconfig: {kubeconfig_out}", flush=True)
        print(f"restricted kubeconfig ({RESTRICTED_USER}, read-only in {RESTRICTED_NAMESPACE}): "
              f"{plane.restricted_kubeconfig}", flush=True)
        while True:
            signal.pause()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        plane.stop()
        kubeconfig_out.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="build the pinned control plane (cached under ~/.cache/mcp-kubectl)")
    up = commands.add_parser("up", help="run the control plane until SIGTERM or SIGINT")
    up.add_argument("--kubeconfig-out", type=Path, required=True, help="where to write the admin kubeconfig once ready")
    args = parser.parse_args(argv)
    if args.command == "build":
        print(build())
        return 0
    return _up(args.kubeconfig_out.resolve())


if __name__ == "__main__":
    sys.exit(main())
