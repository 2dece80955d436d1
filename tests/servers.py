"""Private servers the tests and the benchmarks start for themselves: PostgreSQL from Debian's packages."""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresMissing(RuntimeError):
    pass


class PostgresServer:
    """A private PostgreSQL cluster from Debian's packages, started for one test and restartable under load.
    As root, its commands run as the `postgres` user (initdb refuses root)."""

    def __init__(self, port: int):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not bins:
            raise PostgresMissing("PostgreSQL is not installed: `make test` installs it (apt-get install postgresql).")
        self.bin, self.port = bins[-1].parent, port
        self.folder = Path(tempfile.mkdtemp(prefix="studio-pg-"))
        self.data = self.folder / "data"
        self.url = f"postgres://studio@127.0.0.1:{port}/postgres"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "studio", "--auth=trust", "-E", "UTF8")
        self._pg_ctl("start")

    def _pg_ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
                  "-m", "fast", "-w", action)  # fmt: skip

    def restart(self) -> None:
        self._pg_ctl("restart")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._pg_ctl("stop")
        shutil.rmtree(self.folder, ignore_errors=True)
