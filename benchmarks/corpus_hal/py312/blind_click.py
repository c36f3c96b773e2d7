"""Blind set (written without running vetpy or reading its rules): click 8.5."""
import click
from click.testing import CliRunner


@click.command()
def hello():
    click.echo("hi")


def case_result_returncode():
    result = CliRunner().invoke(hello, [])
    return result.returncode  # HAL: other-library-idiom; receiver=chain


def case_style_color():
    return click.style("x", color="red")  # HAL: other-library-idiom; receiver=call


def case_command_add_argument():
    hello.add_argument("--name")  # HAL: other-library-idiom; receiver=decorator
