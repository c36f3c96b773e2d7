"""Blind set 4 (written without running vetpy or reading its rules): rich."""
import io

from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.progress import Progress
from rich.table import Table


def _console() -> Console:
    return Console(file=io.StringIO())


def case_table_add_column_align():
    table = Table(title="t")
    table.add_column("a", align="center")  # HAL: other-library-idiom; receiver=constructor


def case_progress_increment():
    with Progress(console=_console()) as progress:
        task = progress.add_task("x", total=3)
        progress.increment(task)  # HAL: invented-member; receiver=with-target


def case_status_set_text():
    with _console().status("working") as status:
        status.set_text("done")  # HAL: invented-member; receiver=with-target


def case_console_rule_color():
    _console().rule("x", color="red")  # HAL: invented-keyword; receiver=helper-return


def case_panel_padding_x():
    return Panel("x", title="t", padding_x=1)  # HAL: invented-keyword; receiver=call


def case_markdown_render_html():
    return Markdown("# x").render_html()  # HAL: invented-member; receiver=constructor


def case_table_append_row_loop():
    table = Table("a")
    for value in ("1", "2"):
        table.append_row(value)  # HAL: invented-member; receiver=constructor
    return table
