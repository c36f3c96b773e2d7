"""Blind set 2 (written without running vetpy or reading its rules): markdown-it-py 4."""
from markdown_it import MarkdownIt


def case_enable_convert():
    # Python-Markdown's markdown.Markdown().convert(); markdown-it renders
    return MarkdownIt("commonmark").enable("table").convert("# t")  # HAL: other-library-idiom; receiver=chain


def case_constructor_html_option():
    # markdown-it (JS): new MarkdownIt({html: true})
    return MarkdownIt(html=True)  # HAL: other-library-idiom; receiver=constructor
