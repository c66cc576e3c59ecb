"""What keeps the package installable and importable on every Python it claims (3.11-3.13).

Whether each dependency has a wheel for 3.12 and 3.13 is checked against the package
index by ``tools/check_python_versions.py`` (``.ci/run`` runs it); these tests check the
project's own code, which needs no index.
"""

from __future__ import annotations

import ast
import tomllib

from .conftest import ROOT

#: Standard-library modules gone in Python 3.12 (PEP 632, PEP 594 first wave) and 3.13
#: (PEP 594), and setuptools' pkg_resources, gone from setuptools 81 on.
REMOVED_MODULES = frozenset(
    "distutils imp asynchat asyncore smtpd aifc audioop cgi cgitb chunk crypt imghdr mailcap msilib "
    "nis nntplib ossaudiodev pipes sndhdr spwd sunau telnetlib uu xdrlib lib2to3 pkg_resources".split()
)


def imported_modules(path) -> set[str]:
    """Return the top-level names of every module ``path`` imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_imports_what_python_3_12_or_3_13_removed() -> None:
    sources = sorted((ROOT / "cleaner").rglob("*.py"))
    assert sources
    offenders = {str(path.relative_to(ROOT)): sorted(imported_modules(path) & REMOVED_MODULES) for path in sources}
    assert {path: names for path, names in offenders.items() if names} == {}


def test_removed_module_detection_sees_an_import(tmp_path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom distutils.util import strtobool\nimport pkg_resources as p\n", encoding="utf-8")
    assert imported_modules(sample) & REMOVED_MODULES == {"distutils", "pkg_resources"}


def test_supported_versions_are_declared() -> None:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        project = tomllib.load(handle)["project"]
    assert project["requires-python"] == ">=3.11"
    declared = {c.rsplit(" ", 1)[1] for c in project["classifiers"] if c.startswith("Programming Language :: Python :: 3.")}
    assert declared == {"3.11", "3.12", "3.13"}
