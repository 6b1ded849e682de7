"""The Helm tools (issue 14) through a real MCP client, with a real pinned helm, against the cluster.

Charts come from `fixtures/charts/`, packaged and indexed at test time and served by a
repository on 127.0.0.1. The whole release life cycle runs once per pinned helm (4.2.3 and
3.17.2: their `-o json` and error texts differ). Each server has its own Helm config,
cache and data directories, as a user's would be.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness import Cluster, McpServerProcess

# Both targets: helm talks to the API server only (release Secrets, the chart's objects), no kubelet.
pytestmark = [pytest.mark.both_targets]

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "charts"
HELM_VERSIONS = ("helm-4.2.3", "helm-3.17.2")
ALL_HELM_FLAGS = (
    "--enable-helm-install", "--enable-helm-upgrade", "--enable-helm-uninstall",
    "--enable-helm-repo-add", "--enable-helm-repo-remove",
)  # fmt: skip
SECRET = "s3cret-value"


def helm_binary(name: str) -> Path:
    """The pinned helm `tests/binaries.py` caches (`python tests/binaries.py install NAME`); skip if absent."""
    resolver = True
    try:
        import binaries  # the tests engineer's resolver (tests/binaries.py), which .ci/run calls

        path = binaries.path(name)
    except ImportError:
        resolver = False
        base = os.environ.get("MCP_KUBECTL_BINARY_CACHE") or str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mcp-kubectl")
        path = Path(base) / name / "helm"
    if not (path.is_file() and os.access(path, os.X_OK)):
        if os.environ.get("CI") == "true" and resolver:
            pytest.fail(f"{name} is not installed: python tests/binaries.py install {name}")
        pytest.skip(f"{name} is not installed (python tests/binaries.py install {name})")
    return path


class ChartRepository:
    """`fixtures/charts/` packaged and indexed into a directory served over HTTP on loopback."""

    def __init__(self, helm: Path, root: Path) -> None:
        self.root = root
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        env = {"PATH": os.defpath, "HOME": str(root), "HELM_CONFIG_HOME": str(root / ".cfg"), "HELM_CACHE_HOME": str(root / ".cache"), "HELM_DATA_HOME": str(root / ".data")}
        for chart in ("demo", "sneaky"):
            subprocess.run([str(helm), "package", str(FIXTURES / chart), "--destination", str(root)], check=True, capture_output=True, env=env, timeout=60)
        subprocess.run([str(helm), "repo", "index", str(root), "--url", self.url], check=True, capture_output=True, env=env, timeout=60)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def helm_home(root: Path) -> dict[str, str]:
    """A user's own Helm directories (the server passes these through to helm)."""
    dirs = {"HELM_CONFIG_HOME": root / "config", "HELM_CACHE_HOME": root / "cache", "HELM_DATA_HOME": root / "data"}
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    return {k: str(v) for k, v in dirs.items()}


@pytest.fixture(scope="module", params=HELM_VERSIONS)
def helm(request: pytest.FixtureRequest) -> Path:
    return helm_binary(request.param)


@pytest.fixture(scope="module")
def repository(helm: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChartRepository]:
    repo = ChartRepository(helm, tmp_path_factory.mktemp("chart-repo"))
    yield repo
    repo.close()


@pytest.fixture(scope="module")
def home(helm: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return helm_home(tmp_path_factory.mktemp("helm-home"))


@pytest.fixture(scope="module")
def server(cluster: Cluster, helm: Path, home: dict[str, str], repository: ChartRepository) -> Iterator[McpServerProcess]:
    """Every Helm tool enabled; the loopback repository added through the tool itself."""
    with McpServerProcess(cluster, f"--helm={helm}", *ALL_HELM_FLAGS, env=home) as running:
        added = running.ok("add_helm_repository", {"name": "fixtures", "url": repository.url})
        assert added["added"] == {"name": "fixtures", "url": repository.url}
        yield running


def secrets_of_release(cluster: Cluster, name: str, namespace: str) -> list[str]:
    done = cluster.kubectl("get", "secrets", "-n", namespace, "-l", f"owner=helm,name={name}", "-o", "name")
    return done.stdout.split()


# ----------------------------------------------------------------------------- the life cycle


def test_repositories_are_listed_from_the_users_own_helm_config(server: McpServerProcess, repository: ChartRepository, home: dict[str, str]) -> None:
    listed = server.ok("list_helm_repositories")["repositories"]
    assert {"name": "fixtures", "url": repository.url} in listed
    assert "fixtures" in (Path(home["HELM_CONFIG_HOME"]) / "repositories.yaml").read_text()
    server.fails("add_helm_repository", {"name": "fixtures", "url": repository.url}, reason="AlreadyExists")


def test_release_life_cycle(server: McpServerProcess, cluster: Cluster) -> None:
    ns = cluster.new_namespace("helm")
    # A dry run renders, checks and validates, and writes nothing.
    dry = server.ok("install_helm_chart", {"name": "web", "chart": "fixtures/demo", "namespace": ns, "dryRun": True})
    assert dry["dryRun"] is True
    assert {"action": "create", "object": f"Deployment {ns}/web-web"} in dry["objects"]
    assert not cluster.exists("configmaps", "web-config", ns)
    assert secrets_of_release(cluster, "web", ns) == []

    installed = server.ok("install_helm_chart", {"name": "web", "chart": "fixtures/demo", "namespace": ns, "values": "message: hi there"})
    assert installed["status"] == "deployed" and installed["revision"] == 1
    assert "Thanks for installing web" in installed["notes"]
    assert cluster.kubectl_json("get", "configmap", "web-config", "-n", ns)["data"]["message"] == "hi there"
    assert SECRET not in json.dumps(installed)

    releases = server.ok("list_helm_releases", {"namespace": ns})["releases"]
    assert [(r["name"], r["status"], r["chart"]) for r in releases] == [("web", "deployed", "demo-0.1.0")]

    status = server.ok("get_helm_release", {"name": "web", "namespace": ns})
    assert status["status"] == "deployed" and status["chart"] == "demo-0.1.0"

    values = server.call("get_helm_release", {"name": "web", "namespace": ns, "resource": "values", "allValues": True})
    assert not values.is_error, values.text
    assert values.data["values"]["replicas"] == 1  # numbers stay
    assert "hi there" not in values.text and SECRET not in values.text  # strings hidden

    manifest = server.call("get_helm_release", {"name": "web", "namespace": ns, "resource": "manifest"})
    assert not manifest.is_error, manifest.text
    kinds = sorted(o["kind"] for o in manifest.data["objects"])
    assert kinds == ["ConfigMap", "Deployment", "Secret"]
    assert SECRET not in manifest.text
    # The Secret's own name is there, its value is not.
    assert "web-secret" in manifest.text

    notes = server.ok("get_helm_release", {"name": "web", "namespace": ns, "resource": "notes"})
    assert "Thanks for installing web" in notes["notes"]

    # install never replaces.
    server.fails("install_helm_chart", {"name": "web", "chart": "fixtures/demo", "namespace": ns}, reason="AlreadyExists")

    upgraded = server.ok("upgrade_helm_chart", {"name": "web", "chart": "fixtures/demo", "namespace": ns, "values": "replicas: 3", "reuseValues": True})
    assert upgraded["revision"] == 2
    assert {"action": "update", "object": f"Deployment {ns}/web-web"} in upgraded["objects"]
    assert cluster.kubectl_json("get", "deployment", "web-web", "-n", ns)["spec"]["replicas"] == 3
    # reuseValues kept the first install's message.
    assert cluster.kubectl_json("get", "configmap", "web-config", "-n", ns)["data"]["message"] == "hi there"

    history = server.ok("get_helm_release", {"name": "web", "namespace": ns, "resource": "history"})["history"]
    assert [(h["revision"], h["status"]) for h in history] == [(1, "superseded"), (2, "deployed")]

    dry_uninstall = server.ok("uninstall_helm_chart", {"name": "web", "namespace": ns, "dryRun": True})
    assert {"Deployment", "ConfigMap", "Secret"} == {o["kind"] for o in dry_uninstall["deleted"]}
    assert cluster.exists("deployments", "web-web", ns)

    server.ok("uninstall_helm_chart", {"name": "web", "namespace": ns})
    assert not cluster.exists("deployments", "web-web", ns)
    assert not cluster.exists("configmaps", "web-config", ns)
    assert server.ok("list_helm_releases", {"namespace": ns})["releases"] == []


def test_upgrade_never_installs(server: McpServerProcess, cluster: Cluster) -> None:
    ns = cluster.new_namespace("helm")
    answer = server.fails("upgrade_helm_chart", {"name": "ghost", "chart": "fixtures/demo", "namespace": ns}, reason="NotFound")
    assert "list_helm_releases" in answer.text
    assert secrets_of_release(cluster, "ghost", ns) == []
    assert not cluster.exists("deployments", "ghost-web", ns)


def test_missing_chart_and_bad_values_are_typed_and_write_nothing(server: McpServerProcess, cluster: Cluster) -> None:
    ns = cluster.new_namespace("helm")
    server.fails("install_helm_chart", {"name": "nochart", "chart": "fixtures/no-such-chart", "namespace": ns}, reason="ChartNotFound")
    server.fails("install_helm_chart", {"name": "nochart", "chart": "nosuchrepo/demo", "namespace": ns}, reason="ChartNotFound")
    for values in ("a: &x 1\nb: *x", "replicas: 1\nreplicas: 2", "- just\n- a list", "a: !!python/object:os.system x", "x" * 2_000_000):
        answer = server.fails("install_helm_chart", {"name": "badvalues", "chart": "fixtures/demo", "namespace": ns, "values": values}, reason="InvalidArgument")
        assert "values" in answer.text
    assert secrets_of_release(cluster, "nochart", ns) == secrets_of_release(cluster, "badvalues", ns) == []


def test_the_chart_is_fetched_once_and_the_checked_archive_is_installed(
    cluster: Cluster, helm: Path, home: dict[str, str], server: McpServerProcess, tmp_path: Path
) -> None:
    """One `helm pull`; the render that policy checks and the install read that same archive (a
    repository that changes in between cannot slip in other objects), which is gone afterwards.
    (`server` added the fixtures repository to this Helm home.)"""
    ns = cluster.new_namespace("helm")
    audit = tmp_path / "audit.jsonl"
    with McpServerProcess(cluster, f"--helm={helm}", "--enable-helm-install", f"--audit-log={audit}", env=home) as auditing:
        auditing.ok("install_helm_chart", {"name": "once", "chart": "fixtures/demo", "namespace": ns, "version": "0.1.0"})
    (line,) = [json.loads(text) for text in audit.read_text().splitlines() if '"install_helm_chart"' in text]
    helm_runs = [run["argv"] for run in line["runs"] if Path(run["argv"][0]).name == "helm"]
    steps = [argv[1] for argv in helm_runs]
    assert steps == ["pull", "template", "install"], steps
    pull, template, install = helm_runs
    assert pull[-1] == "fixtures/demo" and "--version=0.1.0" in pull
    archive = template[-1]
    assert archive.endswith("demo-0.1.0.tgz") and install[-1] == archive
    assert not any(flag.startswith("--version") for flag in template + install)  # the archive is the version
    assert not Path(archive).exists()  # the private download directory went with the call
    assert cluster.exists("deployments", "once-web", ns)


def test_manifest_answers_keep_to_the_byte_budget(cluster: Cluster, helm: Path, home: dict[str, str], server: McpServerProcess) -> None:
    """(`server` added the fixtures repository to this Helm home.)"""
    ns = cluster.new_namespace("helm")
    with McpServerProcess(cluster, f"--helm={helm}", "--enable-helm-install", "--budget-bytes=4096", env=home) as small:
        small.ok("install_helm_chart", {"name": "big", "chart": "fixtures/demo", "namespace": ns, "values": "message: " + "m" * 3900})
        manifest = small.ok("get_helm_release", {"name": "big", "namespace": ns, "resource": "manifest"})
        history = small.ok("get_helm_release", {"name": "big", "namespace": ns, "resource": "history"})
    kinds = [o["kind"] for o in manifest["objects"]]
    assert 0 < len(kinds) < 3 and "Deployment" not in kinds  # helm's install order (Deployment last), cut at an object
    assert manifest["truncated"].startswith(f"truncated: {3 - len(kinds)} of 3 items") and "get_resource" in manifest["truncated"]
    assert len(json.dumps(manifest, separators=(",", ":")).encode()) <= 4096
    assert [h["revision"] for h in history["history"]] == [1] and "truncated" not in history


HOSTILE_ARGUMENTS = [
    ("install_helm_chart", {"name": "--kubeconfig=/etc/passwd", "chart": "fixtures/demo"}),
    ("install_helm_chart", {"name": "-n", "chart": "fixtures/demo"}),
    ("install_helm_chart", {"name": "web --replace", "chart": "fixtures/demo"}),
    ("install_helm_chart", {"name": "Web", "chart": "fixtures/demo"}),
    ("install_helm_chart", {"name": "w" * 54, "chart": "fixtures/demo"}),
    ("install_helm_chart", {"name": "ok", "chart": "--post-renderer=/bin/sh"}),
    ("install_helm_chart", {"name": "ok", "chart": "/etc"}),
    ("install_helm_chart", {"name": "ok", "chart": "../../fixtures/charts/demo"}),
    ("install_helm_chart", {"name": "ok", "chart": "https://evil.example/chart.tgz"}),
    ("install_helm_chart", {"name": "ok", "chart": "oci://user:pw@registry.example/charts/x"}),
    ("install_helm_chart", {"name": "ok", "chart": "fixtures/demo", "version": "--devel"}),
    ("install_helm_chart", {"name": "ok", "chart": "fixtures/demo", "namespace": "--all-namespaces"}),
    ("upgrade_helm_chart", {"name": "-A", "chart": "fixtures/demo"}),
    ("uninstall_helm_chart", {"name": "--no-hooks"}),
    ("get_helm_release", {"name": "--kube-context=other"}),
    ("add_helm_repository", {"name": "x", "url": "http://evil.example/charts"}),
    ("add_helm_repository", {"name": "x", "url": "https://user:token@charts.example"}),
    ("add_helm_repository", {"name": "x", "url": "file:///etc"}),
    ("add_helm_repository", {"name": "--force-update", "url": "https://charts.example"}),
    ("remove_helm_repository", {"name": "../x"}),
]


@pytest.mark.parametrize(("tool", "arguments"), HOSTILE_ARGUMENTS, ids=[f"{t}:{list(a.values())[-1]}"[:60] for t, a in HOSTILE_ARGUMENTS])
def test_hostile_arguments_are_refused_before_helm_runs(server: McpServerProcess, tool: str, arguments: dict[str, Any]) -> None:
    answer = server.fails(tool, arguments, reason="InvalidArgument")
    assert answer.data["error"]["message"]


# ----------------------------------------------------------------------------- policy


def test_a_denied_kind_inside_the_chart_writes_nothing(cluster: Cluster, helm: Path, home: dict[str, str], server: McpServerProcess) -> None:
    """(`server` added the fixtures repository to this Helm home.)"""
    ns = cluster.new_namespace("helm")
    with McpServerProcess(cluster, f"--helm={helm}", "--enable-helm-install", "--denied-resources=clusterrolebindings", env=home) as strict:
        answer = strict.fails("install_helm_chart", {"name": "sneaky", "chart": "fixtures/sneaky", "namespace": ns}, reason="PolicyDenied")
        assert "ClusterRoleBinding sneaky-admin" in answer.text and "nothing was written" in answer.text
        # The same chart without the denied object installs.
        strict.ok("install_helm_chart", {"name": "tame", "chart": "fixtures/sneaky", "namespace": ns, "values": "reach: none"})
    assert secrets_of_release(cluster, "sneaky", ns) == []
    assert not cluster.exists("configmaps", "sneaky-harmless", ns)
    assert not cluster.exists("clusterrolebindings", "sneaky-admin")
    assert cluster.exists("configmaps", "tame-harmless", ns)


def test_denied_namespaces_inside_and_outside_the_chart(cluster: Cluster, helm: Path, home: dict[str, str], server: McpServerProcess) -> None:
    """(`server` added the fixtures repository to this Helm home.)"""
    ns = cluster.new_namespace("helm")
    flags = (f"--helm={helm}", "--enable-helm-install", "--denied-namespaces=kube-system")
    with McpServerProcess(cluster, *flags, env=home) as strict:
        strict.fails("install_helm_chart", {"name": "there", "chart": "fixtures/demo", "namespace": "kube-system"}, reason="PolicyDenied")
        strict.fails("list_helm_releases", {"namespace": "kube-system"}, reason="PolicyDenied")
        strict.fails("list_helm_releases", {"allNamespaces": True}, reason="PolicyDenied")
        answer = strict.fails(
            "install_helm_chart", {"name": "reach", "chart": "fixtures/sneaky", "namespace": ns, "values": "reach: namespace"}, reason="PolicyDenied"
        )
        assert "kube-system/reach-elsewhere" in answer.text
    assert not cluster.exists("configmaps", "reach-elsewhere", "kube-system")
    assert not cluster.exists("configmaps", "reach-harmless", ns)
    assert secrets_of_release(cluster, "reach", ns) == []


def test_cluster_scoped_objects_under_namespace_rules(cluster: Cluster, helm: Path, home: dict[str, str], server: McpServerProcess) -> None:
    """(`server` added the fixtures repository to this Helm home.)"""
    ns = cluster.new_namespace("helm")
    with McpServerProcess(cluster, f"--helm={helm}", "--enable-helm-install", f"--allowed-namespaces={ns}", env=home) as strict:
        answer = strict.fails("install_helm_chart", {"name": "wide", "chart": "fixtures/sneaky", "namespace": ns}, reason="PolicyDenied")
        assert "ClusterRoleBinding" in answer.text
    assert not cluster.exists("clusterrolebindings", "wide-admin")
    assert not cluster.exists("configmaps", "wide-harmless", ns)


# ----------------------------------------------------------------------------- failures, gating


@pytest.mark.emulator_only(reason="fault injection (a hung API server) exists only in the emulator")
def test_hung_api_server_stops_helm_at_the_deadline(cluster: Cluster, emulator: Any, helm: Path, home: dict[str, str]) -> None:
    ns = cluster.new_namespace("hung")
    with McpServerProcess(cluster, f"--helm={helm}", "--timeout=3", env=home) as impatient:
        emulator.faults.hang(f"/api/v1/namespaces/{ns}/")
        try:
            answer = impatient.fails("list_helm_releases", {"namespace": ns}, reason="Timeout")
        finally:
            emulator.faults.clear()
        assert "helm did not answer within 3s and was stopped" in answer.text  # the server's deadline, not a hang
        assert impatient.ok("list_helm_releases", {"namespace": ns})["releases"] == []


def test_default_flags_offer_only_the_helm_reads(cluster: Cluster, helm: Path, home: dict[str, str]) -> None:
    with McpServerProcess(cluster, f"--helm={helm}", env=home) as default:
        names = set(default.tool_names())
        default_bytes = len(json.dumps(default.list_tools().model_dump(mode="json", by_alias=True, exclude_none=True)))
    assert {n for n in names if "helm" in n} == {"list_helm_releases", "get_helm_release", "list_helm_repositories"}
    everything = ("--enable-create", "--enable-update", "--enable-delete", *ALL_HELM_FLAGS)
    with McpServerProcess(cluster, f"--helm={helm}", *everything, env=home) as full:
        all_names = set(full.tool_names())
        full_bytes = len(json.dumps(full.list_tools().model_dump(mode="json", by_alias=True, exclude_none=True)))
    assert {n for n in all_names if "helm" in n} == {
        "list_helm_releases", "get_helm_release", "install_helm_chart", "upgrade_helm_chart",
        "uninstall_helm_chart", "list_helm_repositories", "add_helm_repository", "remove_helm_repository",
    }  # fmt: skip
    print(f"\ntools/list bytes: default {default_bytes}, everything enabled {full_bytes}", file=sys.stderr)
    assert default_bytes < full_bytes


def test_go_spelling_turns_a_helm_read_off(cluster: Cluster, helm: Path, home: dict[str, str]) -> None:
    with McpServerProcess(cluster, f"--helm={helm}", "-enable-helm-release-list=false", "-enable-helm-install", env=home) as server:
        names = set(server.tool_names())
        instructions = server.client.instructions or ""
    assert "list_helm_releases" not in names and "install_helm_chart" in names
    assert "Enabled writes: install_helm_chart." in instructions  # helm is there and the flag is on


def test_no_helm_no_helm_tools_and_check_says_why(cluster: Cluster, tmp_path: Path) -> None:
    missing = tmp_path / "no-helm"
    with McpServerProcess(cluster, f"--helm={missing}", *ALL_HELM_FLAGS) as server:
        names = server.tool_names()
        assert "get_resource" in names
        assert not [n for n in names if "helm" in n]
        assert "Enabled writes: none (read-only)." in (server.client.instructions or "")  # no Helm write it cannot make
    done = subprocess.run(
        [sys.executable, "-m", "mcp_kubectl", "check", f"--kubeconfig={cluster.kubeconfig}", f"--kubectl={cluster.kubectl_path}", f"--helm={missing}"],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"helm not found or not executable: '{missing}'" in done.stdout
    assert "Helm tools are not offered" in done.stdout


def test_helm_is_found_beside_this_python(tmp_path: Path) -> None:
    """A bare name falls back to the directory of the running Python (a venv not activated)."""
    from mcp_kubectl.cluster.helm import resolve_helm

    if shutil.which("helm"):
        pytest.skip("a helm on PATH would be found first")
    beside = Path(sys.executable).parent / "helm"
    if beside.exists():
        assert resolve_helm("helm") == str(beside.resolve()) or resolve_helm("helm") == os.path.abspath(beside)
    else:
        with pytest.raises(Exception, match="helm not found"):
            resolve_helm("helm")


def test_confirm_writes_previews_every_object_and_a_no_writes_nothing(cluster: Cluster, helm: Path, home: dict[str, str], server: McpServerProcess) -> None:
    from test_confirm_writes import ConfirmingClient, Person

    ns = cluster.new_namespace("helm")
    person = Person()
    client = ConfirmingClient(cluster, f"--helm={helm}", *ALL_HELM_FLAGS, "--confirm-writes", mode="legacy", person=person)
    client._process.extra_env = home
    with client:
        person.says("decline")
        refused = client.call("install_helm_chart", {"name": "asked", "chart": "fixtures/demo", "namespace": ns})
        assert refused.is_error and refused.data["error"]["reason"] == "ConfirmationRefused"
        question = person.questions[-1]
        for obj in (f"Secret {ns}/asked-secret", f"ConfigMap {ns}/asked-config", f"Deployment {ns}/asked-web"):
            assert f"create {obj}" in question
        assert SECRET not in question
        assert secrets_of_release(cluster, "asked", ns) == [] and not cluster.exists("configmaps", "asked-config", ns)

        person.says("accept", {"confirm": True})
        assert not client.call("install_helm_chart", {"name": "asked", "chart": "fixtures/demo", "namespace": ns}).is_error
        assert cluster.exists("configmaps", "asked-config", ns)
        person.says("decline")
        assert client.call("uninstall_helm_chart", {"name": "asked", "namespace": ns}).is_error
        assert f"delete Deployment {ns}/asked-web" in person.questions[-1]
        assert cluster.exists("deployments", "asked-web", ns)


def test_denied_secrets_keep_the_model_out_of_helm_release_storage(cluster: Cluster, helm: Path, home: dict[str, str]) -> None:
    """helm keeps releases (values included) in Secrets: its calls are authorized as those Secret requests."""
    with McpServerProcess(cluster, f"--helm={helm}", "--enable-helm-install", "--denied-resources=secrets", env=home) as strict:
        for tool, arguments in (
            ("list_helm_releases", {"namespace": "default"}),
            ("get_helm_release", {"name": "web", "namespace": "default", "resource": "values"}),
            ("install_helm_chart", {"name": "web", "chart": "fixtures/demo", "namespace": "default"}),
        ):
            answer = strict.fails(tool, arguments, reason="PolicyDenied")
            assert "secrets" in answer.text
