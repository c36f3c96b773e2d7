"""Blind set 2 (written without running vetpy or reading its rules): pyparsing 3.3."""
from pyparsing import Word, alphas


def case_set_name_parse():
    return Word(alphas).set_name("word").parse("abc")  # HAL: invented-member; receiver=chain
