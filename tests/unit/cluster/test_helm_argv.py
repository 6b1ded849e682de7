"""helm's argv policy, environment and the checks on model values: pure functions, no process."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcp_kubectl.errors import InvalidArgument, ToolDisabled
from mcp_kubectl.cluster.helm import (
    HELM,
    HELM_SUBCOMMANDS,
    HelmCommand,
    HelmRunner,
    check_chart,
    check_release_name,
    check_repo_name,
    check_repo_url,
    check_version,
    helm_env,
)
from mcp_kubectl.cluster.kubectl_io import compact_json
from mcp_kubectl.ops.helm import _fit, hide_strings, merge_values
from mcp_kubectl.tools.table import TOOLS, enabled_verbs
from mcp_kubectl.settings import Settings


def test_the_server_owns_the_cluster_flags() -> None:
    runner = HelmRunner(Settings(kubeconfig=Path("/k/config"), context="prod"), "/bin/helm", {"list"}, environ={})
    argv = runner.build_argv(HelmCommand("list", flags=("--output=json",), namespace="team"))
    assert argv == ["/bin/helm", "list", "--output=json", "--kubeconfig=/k/config", "--kube-context=prod", "--namespace=team"]
    assert runner.build_argv(HelmCommand("list", namespace="team", context="staging"))[-2] == "--kube-context=staging"


@pytest.mark.parametrize("flag", ["--kubeconfig=/tmp/x", "--kube-context=x", "-n", "--namespace=x", "--kube-token=t", "--post-renderer=/bin/sh", "--replace", "--install"])
def test_a_server_owned_flag_from_a_command_is_refused(flag: str) -> None:
    with pytest.raises(ValueError, match="server-owned"):
        HELM.build("/bin/helm", "install", args=("r", "repo/c"), flags=(flag,), enabled={"install"})


def test_positional_values_follow_a_double_dash_and_never_look_like_flags() -> None:
    assert HELM.build("/bin/helm", "uninstall", args=("web",), enabled={"uninstall"})[-2:] == ["--", "web"]
    with pytest.raises(ValueError, match="looks like a flag"):
        HELM.build("/bin/helm", "uninstall", args=("--no-hooks",), enabled={"uninstall"})


@pytest.mark.parametrize("subcommand", ["plugin install", "registry login", "env", "push", "pull", "dependency build", "install"])
def test_only_enabled_allow_listed_subcommands_run(subcommand: str) -> None:
    with pytest.raises(ToolDisabled):
        HELM.build("/bin/helm", subcommand, enabled=enabled_verbs(Settings(), "helm"))


def test_default_settings_enable_only_helm_reads() -> None:
    verbs = enabled_verbs(Settings(), "helm")
    assert {"list", "status", "get values", "get manifest", "repo list"} <= verbs
    assert not verbs & {"install", "upgrade", "uninstall", "template", "pull", "repo add", "repo remove"}


def test_the_environment_keeps_the_users_helm_dirs_and_nothing_that_picks_a_cluster() -> None:
    environ = {
        "HELM_CONFIG_HOME": "/u/cfg", "HELM_CACHE_HOME": "/u/cache", "HELM_DATA_HOME": "/u/data", "HOME": "/u",
        "HELM_KUBECONTEXT": "prod", "HELM_NAMESPACE": "kube-system", "HELM_KUBETOKEN": "t", "HELM_KUBEAPISERVER": "https://x",
        "HELM_DRIVER": "memory", "HELM_POST_RENDERER": "/bin/sh", "HELM_DEBUG": "1", "AWS_SECRET_ACCESS_KEY": "k",
    }  # fmt: skip
    env = helm_env(environ)
    assert {k: env[k] for k in ("HELM_CONFIG_HOME", "HELM_CACHE_HOME", "HELM_DATA_HOME", "HOME")} == {
        "HELM_CONFIG_HOME": "/u/cfg", "HELM_CACHE_HOME": "/u/cache", "HELM_DATA_HOME": "/u/data", "HOME": "/u",
    }  # fmt: skip
    for dropped in ("HELM_KUBECONTEXT", "HELM_NAMESPACE", "HELM_KUBETOKEN", "HELM_KUBEAPISERVER", "HELM_DRIVER", "HELM_POST_RENDERER", "HELM_DEBUG", "AWS_SECRET_ACCESS_KEY"):
        assert dropped not in env
    assert "HELM_KUBECONTEXT" not in helm_env(environ, extra=("HELM_KUBECONTEXT",))  # not even by --pass-env


@pytest.mark.parametrize("name", ["web", "a", "my-app.v2", "x" * 53])
def test_release_names_accepted(name: str) -> None:
    assert check_release_name(name) == name


@pytest.mark.parametrize("name", ["", "-n", "--kubeconfig=/x", "Web", "a b", "a_b", "x" * 54, "web-", ".web", "a\x00b", "ä"])
def test_release_names_refused(name: str) -> None:
    with pytest.raises(InvalidArgument):
        check_release_name(name)


def test_a_trailing_newline_is_never_part_of_a_value() -> None:
    """Every pattern must match the whole value: an anchored `$` also matches before a final newline."""
    for check, value in ((check_release_name, "web\n"), (check_repo_name, "bitnami\n"), (check_version, "1.2.3\n")):
        with pytest.raises(InvalidArgument):
            check(value)
    for chart in ("bitnami/nginx\n", "oci://registry.example/charts/app\n", "oci://registry.example\n/charts/app"):
        with pytest.raises(InvalidArgument):
            check_chart(chart, ())


def test_chart_sources(tmp_path: Path) -> None:
    allowed = tmp_path / "charts"
    (allowed / "mine").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (allowed / "escape").symlink_to(tmp_path / "outside")
    assert check_chart("bitnami/nginx", ()).kind == "repository"
    assert check_chart("oci://registry.example:5000/charts/app:1.2.3", ()).kind == "oci"
    assert check_chart(str(allowed / "mine"), (allowed,)).kind == "local"
    refused = [
        str(allowed / "mine"),  # no --allowed-chart-dirs
        "/etc", "./demo", "../x", "demo", "https://evil.example/c.tgz", "file:///etc/passwd",
        "oci://user:pw@registry.example/c", "oci://registry.example/c@sha256:abc", "repo/chart --set x=1", "-repo/chart",
    ]  # fmt: skip
    for chart in refused:
        with pytest.raises(InvalidArgument):
            check_chart(chart, ())
    for chart in (str(allowed / "escape"), str(allowed / ".." / "outside"), str(tmp_path)):
        with pytest.raises(InvalidArgument, match="allowed-chart-dirs"):
            check_chart(chart, (allowed,))


@pytest.mark.parametrize("url", ["https://charts.example", "https://charts.example:8443/stable", "http://127.0.0.1:8080/", "http://localhost:1/x", "http://[::1]:9/"])
def test_repository_urls_accepted(url: str) -> None:
    assert check_repo_url(url) == url


@pytest.mark.parametrize(
    "url",
    ["http://charts.example", "http://10.0.0.1/", "https://u:p@charts.example", "https://tok@charts.example", "file:///etc",
     "oci://r.example/x", "https://charts.example/?token=x", "https://", "https://a b", "ftp://charts.example"],
)  # fmt: skip
def test_repository_urls_refused(url: str) -> None:
    with pytest.raises(InvalidArgument):
        check_repo_url(url)


@pytest.mark.parametrize(("version", "ok"), [("1.2.3", True), ("^1.2", True), (">=1.0 <2", True), ("--devel", False), ("1.0;rm", False), ("x" * 65, False)])
def test_versions(version: str, ok: bool) -> None:
    if ok:
        assert check_version(version) == version
    else:
        with pytest.raises(InvalidArgument):
            check_version(version)


def test_values_hide_strings_but_keep_numbers_booleans_and_keys() -> None:
    hidden = hide_strings({"replicas": 3, "enabled": True, "db": {"password": "hunter2", "hosts": ["a", 5]}})
    assert hidden["replicas"] == 3 and hidden["enabled"] is True
    assert "hunter2" not in str(hidden) and "password" in hidden["db"]
    assert hidden["db"]["hosts"][1] == 5


def test_reused_values_merge_maps_and_replace_the_rest() -> None:
    merged = merge_values({"a": {"b": 1, "c": 2}, "l": [1, 2], "s": "x"}, {"a": {"c": 3}, "l": [9]})
    assert merged == {"a": {"b": 1, "c": 3}, "l": [9], "s": "x"}


def test_every_subcommand_a_helm_tool_or_check_runs_is_allowed_and_no_other() -> None:
    used = {"version"}  # `mcp-kubectl check` asks for helm's version
    for spec in TOOLS:
        used |= spec.verbs("helm")
    for subcommand in sorted(used):
        assert HELM.build("/bin/helm", subcommand, enabled={subcommand})[1:] == subcommand.split(" ")
    assert used == HELM_SUBCOMMANDS  # an allowed subcommand no tool runs is a door nobody watches


# Every flag that picks the cluster, the identity, the storage, TLS trust, a program to run,
# or reaches past one release; each refused whether written alone or with a value.
_SERVER_OWNED = (
    "--kubeconfig", "--kube-context", "--namespace", "-n", "--kube-apiserver", "--kube-as-user", "--kube-as-group",
    "--kube-token", "--kube-ca-file", "--kube-tls-server-name", "--kube-insecure-skip-tls-verify", "--registry-config",
    "--repository-config", "--repository-cache", "--burst-limit", "--qps", "--debug", "--post-renderer",
    "--post-renderer-args", "--username", "--password", "--password-stdin", "--cert-file", "--key-file", "--ca-file",
    "--pass-credentials", "--insecure-skip-tls-verify", "--plain-http", "--set-file", "--content-cache", "--replace",
    "--install", "--force", "--force-replace", "--force-update", "--all-namespaces", "-A", "--keyring", "--verify",
)  # fmt: skip


@pytest.mark.parametrize("flag", _SERVER_OWNED)
def test_each_server_owned_flag_is_refused_alone_and_with_a_value(flag: str) -> None:
    for spelling in (flag, f"{flag}=x"):
        with pytest.raises(ValueError, match="server-owned"):
            HELM.build("/bin/helm", "upgrade", args=("r", "repo/c"), flags=(spelling,), enabled={"upgrade"})


_USERS_HELM_DIRS = {
    "HELM_CONFIG_HOME": "/u/cfg", "HELM_CACHE_HOME": "/u/cache", "HELM_DATA_HOME": "/u/data",
    "HELM_REPOSITORY_CONFIG": "/u/repos.yaml", "HELM_REPOSITORY_CACHE": "/u/repo-cache", "HELM_REGISTRY_CONFIG": "/u/registry.json",
    "XDG_CONFIG_HOME": "/u/.config", "XDG_CACHE_HOME": "/u/.cache", "XDG_DATA_HOME": "/u/.local/share",
}  # fmt: skip


def test_every_helm_directory_of_the_user_passes_and_kubeconfig_only_without_the_flag() -> None:
    environ = {**_USERS_HELM_DIRS, "KUBECONFIG": "/u/kube/config"}
    env = helm_env(environ)
    assert {k: env.get(k) for k in _USERS_HELM_DIRS} == _USERS_HELM_DIRS
    assert env["KUBECONFIG"] == "/u/kube/config"  # the default: helm reads the user's kubeconfig as kubectl does
    assert "KUBECONFIG" not in helm_env(environ, pass_kubeconfig=False)
    assert "KUBECONFIG" not in helm_env(environ, extra=("KUBECONFIG",), pass_kubeconfig=False)


def test_pass_env_never_lets_through_what_picks_a_namespace_or_release_storage() -> None:
    environ = {"HELM_NAMESPACE": "kube-system", "HELM_DRIVER": "memory", "HELM_KUBECONTEXT": "prod", "MY_PROXY": "p"}
    env = helm_env(environ, extra=("HELM_NAMESPACE", "HELM_DRIVER", "HELM_KUBECONTEXT", "MY_PROXY"))
    assert env.get("MY_PROXY") == "p"  # what --pass-env names does pass
    assert not {"HELM_NAMESPACE", "HELM_DRIVER", "HELM_KUBECONTEXT"} & set(env)


def test_the_runner_uses_the_given_environment_and_drops_kubeconfig_when_the_flag_names_one() -> None:
    environ = {**_USERS_HELM_DIRS, "KUBECONFIG": "/u/kube/config"}
    with_flag = HelmRunner(Settings(kubeconfig=Path("/k/config")), "/bin/helm", {"list"}, environ=environ).sandbox.environment
    assert with_flag["HELM_CONFIG_HOME"] == "/u/cfg" and "KUBECONFIG" not in with_flag  # --kubeconfig goes on the argv
    without = HelmRunner(Settings(), "/bin/helm", {"list"}, environ=environ).sandbox.environment
    assert without["KUBECONFIG"] == "/u/kube/config"


@pytest.mark.parametrize("name", ["bitnami", "my_repo.v2", "a", "r" * 63])
def test_repository_names_accepted(name: str) -> None:
    assert check_repo_name(name) == name


@pytest.mark.parametrize("name", ["", "-n", "Bitnami", "a b", "r" * 64, "repo-", "_repo", "a/b", 5])
def test_repository_names_refused(name: object) -> None:
    with pytest.raises(InvalidArgument, match="not a repository name"):
        check_repo_name(name)  # type: ignore[arg-type]


def test_a_repository_url_is_at_most_2048_characters() -> None:
    base = "https://charts.example/"
    assert check_repo_url(base + "p" * (2048 - len(base)))
    with pytest.raises(InvalidArgument, match="not an https"):
        check_repo_url(base + "p" * (2049 - len(base)))


def test_chart_reference_limits_and_messages(tmp_path: Path) -> None:
    assert check_chart("r/" + "c" * 1022, ()).kind == "repository"  # 1,024 characters
    for bad in ("r/" + "c" * 1023, "", "r/c\x00", 5):
        with pytest.raises(InvalidArgument, match="must be repo/chart or oci"):
            check_chart(bad, ())  # type: ignore[arg-type]
    for with_at in ("oci://user:pw@registry.example/c", "oci://registry.example/c@sha256:abc"):
        with pytest.raises(InvalidArgument, match="no credentials or digests"):
            check_chart(with_at, ())
    for malformed in ("oci://-registry/c", "oci://registry.example:http/c", "oci://registry.example/C", "oci://registry.example/c:", "oci://registry.example/"):
        with pytest.raises(InvalidArgument, match="is not an oci://host/path"):
            check_chart(malformed, ())
    with pytest.raises(InvalidArgument, match="is not a chart reference"):
        check_chart("demo", (tmp_path,))  # a relative path is never read as local, allowed dirs or not


def test_history_over_the_budget_keeps_the_newest_revisions_in_helms_order() -> None:
    history = [{"revision": n, "status": "superseded", "description": "Upgrade complete " + "x" * 100} for n in range(1, 101)]
    answer = {"name": "web", "namespace": "default"}
    _fit(answer, "history", history, 4096, "older revisions left out", newest_last=True)
    kept = [entry["revision"] for entry in answer["history"]]
    assert 0 < len(kept) < 100 and kept == list(range(101 - len(kept), 101))  # the newest, oldest first
    assert answer["truncated"].startswith(f"truncated: {100 - len(kept)} of 100 items") and "older revisions" in answer["truncated"]
    assert len(compact_json(answer).encode()) <= 4096


def test_a_manifest_within_the_budget_is_whole_and_unmarked() -> None:
    objects = [{"kind": "ConfigMap", "metadata": {"name": f"c{n}"}} for n in range(3)]
    answer: dict[str, object] = {"name": "web", "namespace": "default"}
    _fit(answer, "objects", objects, 4096, "read one object with get_resource")
    assert answer["objects"] == objects and "truncated" not in answer
