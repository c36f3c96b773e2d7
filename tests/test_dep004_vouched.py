"""DEP004 and names newer than the shipped ranking (issue #16, freshprobe14): ``httpx2`` is one
edit from ``httpx`` and not in the ranking of 2026-04-01, yet openai 3 and hishel require it.  A
name that a popular distribution installed in the target environment requires is a real project;
a name nothing popular requires, or that only the project itself or an obscure or broken
distribution requires, is still reported."""

from __future__ import annotations

from pathlib import Path

from vetpy.environment.declared import load_declared
from vetpy.environment.model import Distribution
from vetpy.packages import shipped
from vetpy.rules.dep.lookalike import lookalike_findings

INDEX = shipped()


def dist_info(site: Path, name: str, version: str, requires: list[str], egg: bool = False) -> Distribution:
    folder = site / f"{name}-{version}.{'egg-info' if egg else 'dist-info'}"
    folder.mkdir(parents=True)
    headers = [f"Metadata-Version: 2.4", f"Name: {name}", f"Version: {version}",
               *(f"Requires-Dist: {r}" for r in requires)]
    (folder / ("PKG-INFO" if egg else "METADATA")).write_text(
        "\n".join(headers) + "\n\nRequires-Dist: pretend-in-the-description\n", encoding="utf-8")
    return Distribution(name=name, version=version, location=str(folder))


def dep004(root: Path, requirements: str, installed: list[Distribution]) -> list[str]:
    (root / "requirements.txt").write_text(requirements, encoding="utf-8")
    return [f.extra["distribution"] for f in lookalike_findings(root, load_declared(root), INDEX, (), None, installed)]


def test_the_lookalike_itself_is_reported_without_the_environment(tmp_path):
    assert INDEX.resembling_project("httpx2", within=10000) == "httpx" and not INDEX.is_known("httpx2")
    assert dep004(tmp_path, "httpx2>=2\n", []) == ["httpx2"]


def test_a_name_a_popular_installed_distribution_requires_is_no_misspelling(tmp_path):
    site = tmp_path / "site"
    installed = [dist_info(site, "openai", "3.3.0", ["httpx2<3,>=2.17", "pydantic<3,>=1.9.0"]),
                 dist_info(site, "httpx2", "2.17.0", [])]
    assert dep004(tmp_path, "httpx2>=2\n", installed) == []
    other = tmp_path / "other"
    other.mkdir()
    installed = [dist_info(site / "b", "hishel", "2.0.0", ["HTTPX2[http2] ; extra == 'httpx2'"])]
    assert dep004(other, "httpx2>=2\n", installed) == []


def test_a_name_nothing_popular_requires_is_still_reported(tmp_path):
    site = tmp_path / "site"
    installed = [
        dist_info(site, "httpx2", "2.17.0", ["httpx2[http2] ; extra == 'all'"]),  # itself
        dist_info(site, "demo", "1.0", ["httpx2"]),  # the checked project
        dist_info(site, "zz-obscure-helper", "0.1", ["httpx2"]),  # not popular
        dist_info(site / "egg", "requests", "2.32.0", ["httpx2"], egg=True),  # no METADATA of a wheel
        dist_info(site, "rich", "14.0.0", ["httpx2x"]),  # another name; httpx2 only in the description
    ]
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '1.0'\n", encoding="utf-8")
    assert dep004(tmp_path, "httpx2>=2\n", installed) == ["httpx2"]
