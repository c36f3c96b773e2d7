"""Blind set 2 (written without running vetpy or reading its rules): pygments 2.21."""
import pygments
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer, get_lexer_by_name


def case_highlight_style():
    return pygments.highlight("x = 1", PythonLexer(), HtmlFormatter(), style="monokai")  # HAL: invented-keyword; receiver=call


def case_lexer_tokenize():
    lexer = get_lexer_by_name("python")
    return list(lexer.tokenize("x = 1"))  # HAL: invented-member; receiver=factory


def case_formatter_get_css():
    return HtmlFormatter(style="default").get_css()  # HAL: invented-member; receiver=constructor
