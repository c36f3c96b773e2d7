"""Blind set 3 (written without running vetpy or reading its rules): fonttools 4."""
from fontTools.ttLib import TTFont


def case_glyph_names_snake():
    font = TTFont()
    font.setGlyphOrder([".notdef", "A"])
    # fontTools is camelCase: getGlyphOrder() / getGlyphNames()
    return font.get_glyph_order()  # HAL: other-library-idiom; receiver=constructor
