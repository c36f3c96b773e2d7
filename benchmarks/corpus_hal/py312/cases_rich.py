"""rich 15: invented keywords/members on consoles, tables, progress, status."""
from rich.console import Console
from rich.panel import Panel
from rich.progress import Progress
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text
import rich


def make_console() -> Console:
    return Console(record=True, width=80)


def case_print_color_kw():
    console = Console()
    console.print("error", color="red")  # HAL: invented-keyword; receiver=constructor


def case_table_add_rows():
    table = Table(title="Users")
    table.add_column("name")
    table.add_rows([["a"], ["b"]])  # HAL: invented-member; receiver=constructor


def case_progress_update_task():
    with Progress() as progress:
        task = progress.add_task("work", total=3)
        progress.update_task(task, advance=1)  # HAL: invented-member; receiver=with-target


def case_console_println():
    console = make_console()
    console.println("x")  # HAL: other-library-idiom; receiver=helper-return


def case_panel_border_kw():
    return Panel("body", title="t", border="blue")  # HAL: invented-keyword; receiver=call


def case_text_set_style():
    text = Text("hello")
    text.set_style("bold")  # HAL: invented-member; receiver=constructor


def case_rich_print_style():
    rich.print("x", style="bold")  # HAL: invented-keyword; receiver=call


def case_syntax_line_number():
    return Syntax("x = 1", "python", line_number=True)  # HAL: invented-keyword; receiver=call


def case_status_set_message():
    console = make_console()
    with console.status("loading") as status:
        status.set_message("still loading")  # HAL: invented-member; receiver=with-target


def case_table_add_row_style_kw():
    table = Table()
    table.add_column("a")
    table.add_row("1", color="green")  # HAL: invented-keyword; receiver=constructor


def case_add_column_arity():
    table = Table()
    table.add_column("name", "footer", "left")  # HAL: arity; receiver=constructor
