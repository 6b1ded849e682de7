"""``python -m mcp_kubectl.emulator``: serve the emulator until interrupted."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path

import click

from mcp_kubectl.emulator.emulator import Emulator


@click.command(help="Serve a local Kubernetes API emulator that kubectl accepts (in memory; nothing runs).")
@click.option("--kubeconfig-out", "kubeconfig_out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the admin kubeconfig, once the server is ready.")
@click.option("--port", default=0, show_default=True, help="Port to listen on (0: any free port).")
@click.option("--seed", "seeds", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="A manifest file or folder to load (repeatable).")
@click.option("--pods", default=0, show_default=True, help="Generate this many realistic pods in 'default'.")
@click.option("--workloads/--no-workloads", default=False, help="Also seed deployments, services, events and nodes.")
@click.option("--http", "plain_http", is_flag=True, help="Serve plain HTTP instead of HTTPS.")
def main(kubeconfig_out: Path, port: int, seeds: tuple[Path, ...], pods: int, workloads: bool, plain_http: bool) -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s %(message)s")
    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    emulator = Emulator(tls=not plain_http, pods=pods, seed_paths=seeds, port=port)
    with emulator:
        if workloads:
            emulator.seed_workloads()
        kubeconfig_out = kubeconfig_out.resolve()
        from mcp_kubectl.emulator.kubeconfig import write_kubeconfig

        write_kubeconfig(kubeconfig_out, emulator.kubeconfig_document())
        logging.getLogger(__name__).info("serving at %s; kubeconfig written to %s", emulator.url, kubeconfig_out)
        while not stop.wait(0.5):
            pass
    sys.exit(0)


if __name__ == "__main__":
    main()
