"""A local LanguageTool server assembled from Maven Central, never downloaded at run time.

LanguageTool publishes its HTTP server and language modules as Maven artifacts. The
project keeps a pinned ``pom.xml`` (``languagetool/pom.xml``, shipped in the wheel as
``cleaner/_languagetool/pom.xml``); :func:`build` copies it into a folder outside the
package and lets Maven copy every jar LanguageTool needs there; :func:`server_command`
is the ``java -cp 'DIR/*' org.languagetool.server.HTTPServer`` line that serves it on
loopback. Building is an explicit step the user (or CI) takes: nothing here runs during
a ``clean`` or ``check``, and language-tool-python is only ever pointed at the URL.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

from cleaner.errors import EngineUnavailable
from cleaner.folders import data_folder

MAIN_CLASS = "org.languagetool.server.HTTPServer"
DEFAULT_PORT = 8081
_POM_NS = "{http://maven.apache.org/POM/4.0.0}"


def pom_path() -> Path:
    """Return the pinned ``pom.xml`` (the wheel's copy, else the source checkout's)."""
    shipped = Path(str(resources.files("cleaner"))) / "_languagetool" / "pom.xml"
    if shipped.is_file():
        return shipped
    return Path(__file__).resolve().parent.parent.parent / "languagetool" / "pom.xml"


def pinned_version(pom: Path | None = None) -> str:
    """Return the LanguageTool version the pom pins (``languagetool.version``)."""
    root = ET.parse(pom or pom_path()).getroot()
    version = root.findtext(f"{_POM_NS}properties/{_POM_NS}languagetool.version")
    if not version:
        raise EngineUnavailable(f"{pom or pom_path()}: no languagetool.version property")
    return version.strip()


def default_dir() -> Path:
    """Return the folder a build goes to by default: the user's data folder, per version."""
    return data_folder() / f"languagetool-{pinned_version()}"


def server_jar(folder: Path) -> Path | None:
    """Return the ``languagetool-server-*.jar`` in ``folder`` (None when it was never built)."""
    return next(iter(sorted(folder.glob("languagetool-server-*.jar"))), None) if folder.is_dir() else None


def build(folder: Path) -> Path:
    """Copy the pom into ``folder`` and have Maven put LanguageTool's jars beside it.

    Maven reaches Maven Central (or the user's configured mirror); a second build of a
    folder finds the jars in the local Maven repository and takes seconds.
    """
    mvn = shutil.which("mvn")
    if mvn is None:
        raise EngineUnavailable("Maven (mvn) is not on PATH: the LanguageTool server cannot be assembled", hint="install Maven and Java 17+, or run a LanguageTool server yourself (see README) and pass --languagetool-url")
    folder.mkdir(parents=True, exist_ok=True)
    pom = folder / "pom.xml"
    shutil.copyfile(pom_path(), pom)
    command = [mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies", f"-DoutputDirectory={folder}"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0 or server_jar(folder) is None:
        tail = " ".join((done.stdout + done.stderr).split()[-40:])
        raise EngineUnavailable(f"Maven could not assemble LanguageTool {pinned_version(pom)} in {folder}: {tail}", hint="check that Maven Central (or your mirror) is reachable")
    return folder


def server_command(folder: Path, port: int) -> list[str]:
    """Return the command that serves the jars in ``folder`` on loopback port ``port``."""
    java = shutil.which("java")
    if java is None:
        raise EngineUnavailable("java is not on PATH: LanguageTool needs Java 17 or later", hint="install a Java 17+ runtime, or use --grammar harper")
    if server_jar(folder) is None:
        raise EngineUnavailable(f"no LanguageTool server in {folder}", hint=f"run 'cleaner languagetool build {folder}' first (needs Maven)")
    return [java, "-cp", f"{folder}{os.sep}*", MAIN_CLASS, "--port", str(port)]


def server_version(url: str, timeout: float = 10.0) -> str:
    """Ask the server at ``url`` which LanguageTool it runs (a one-word check request)."""
    body = urllib.parse.urlencode({"text": "Hello.", "language": "en-GB"}).encode()
    request = urllib.request.Request(urllib.parse.urljoin(url.rstrip("/") + "/", "v2/check"), data=body)
    with urllib.request.urlopen(request, timeout=timeout) as response:  # the user's own http(s) URL (checked by config)
        software = json.load(response).get("software", {})
    return str(software.get("version") or "unknown")


def wait_until_ready(url: str, seconds: float) -> str:
    """Poll ``url`` until LanguageTool answers (return its version) or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return server_version(url, timeout=max(1.0, min(10.0, deadline - time.monotonic())))
        except (OSError, ValueError) as exc:
            if time.monotonic() >= deadline:
                raise EngineUnavailable(f"no LanguageTool answered at {url} within {seconds:g} s: {exc}", hint="start one with 'cleaner languagetool serve'") from None
            time.sleep(0.5)
