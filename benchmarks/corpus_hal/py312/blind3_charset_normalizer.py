"""Blind set 3 (written without running vetpy or reading its rules): charset-normalizer 3."""
from charset_normalizer import from_bytes

SAMPLE = "Bonjour, ceci est un texte en français avec des accents: é è à ç.".encode("cp1252")


def case_best_confidence():
    # chardet's result has a confidence; a CharsetMatch has coherence / chaos
    return from_bytes(SAMPLE).best().confidence  # HAL: other-library-idiom; receiver=chain


def case_universal_detector_import():
    # chardet.universaldetector.UniversalDetector
    from charset_normalizer import UniversalDetector  # HAL: other-library-idiom; receiver=import
    return UniversalDetector()


def case_loop_match_name():
    names = []
    for match in from_bytes(SAMPLE):
        # the attribute is ``encoding``
        names.append(match.name)  # HAL: invented-member; receiver=loop
    return names
