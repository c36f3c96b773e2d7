"""Blind set: rich 15."""
from rich.console import Console
from rich.progress import track
from rich.table import Table


def case_capture_get_text():
    console = Console()
    with console.capture() as cap:
        console.print("x")
    return cap.get_text()  # HAL: invented-member; receiver=with-target


def case_table_headers():
    return Table(headers=["a", "b"])  # HAL: other-library-idiom; receiver=call


def case_track_desc():
    return list(track(range(3), desc="work"))  # HAL: other-library-idiom; receiver=call


def case_console_log_level():
    console = Console()
    console.log("x", level="info")  # HAL: invented-keyword; receiver=constructor
