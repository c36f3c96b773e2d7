"""JUnit XML: one test suite per file, one failing test case per finding (CI test report views)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Sequence
from xml.etree import ElementTree as ET

from vetpy.baseline import relative_path
from vetpy.findings import Finding
from vetpy.terminal import printable


def _xml_text(text: str) -> str:
    """Text XML 1.0 can hold (control characters are not allowed even escaped)."""
    return "".join(ch if ch in "\t\n\r" or ord(ch) >= 0x20 else "\ufffd" for ch in printable(text))


def render_junit(findings: Sequence[Finding], root: Path, files_checked: int = 0) -> str:
    suites = ET.Element("testsuites", name="vetpy", tests=str(max(len(findings), 1)), failures=str(len(findings)), errors="0")
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_path[relative_path(f.path, root)].append(f)
    if not findings:
        suite = ET.SubElement(suites, "testsuite", name="vetpy", tests="1", failures="0", errors="0")
        ET.SubElement(suite, "testcase", name=f"No findings ({files_checked} files checked)", classname="vetpy")
    for path, found in sorted(by_path.items()):
        suite = ET.SubElement(suites, "testsuite", name=_xml_text(path), tests=str(len(found)), failures=str(len(found)), errors="0")
        for f in found:
            case = ET.SubElement(
                suite, "testcase", name=f"vetpy.{f.code}.{f.rule}", classname=_xml_text(path), file=_xml_text(path), line=str(f.line)
            )
            failure = ET.SubElement(case, "failure", message=_xml_text(f.message), type=f.code)
            failure.text = _xml_text(f"{path}:{f.line}:{f.column}: {f.code} {f.message}")
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
