"""Blind set 2 (written without running vetpy or reading its rules): packaging 26."""
from packaging.specifiers import SpecifierSet
from packaging.version import Version


def parse_version(text: str) -> Version:
    return Version(text.strip())


def case_version_patch():
    # semver's .patch; packaging calls it .micro
    return parse_version("1.2.3").patch  # HAL: other-library-idiom; receiver=helper-return


def case_specifier_matches():
    return SpecifierSet(">=1.0,<2").matches("1.4")  # HAL: invented-member; receiver=constructor
