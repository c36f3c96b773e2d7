"""Blind set 4 (written without running vetpy or reading its rules): click."""
import click
from click.testing import CliRunner


@click.command()
def _hello():
    click.echo("hi")


def case_command_run():
    @click.command()
    def cli():
        return None

    return cli.run()  # HAL: invented-member; receiver=decorator


def case_group_register():
    @click.group()
    def grp():
        return None

    grp.register(_hello)  # HAL: invented-member; receiver=decorator


def case_result_exitcode():
    result = CliRunner().invoke(_hello, [])
    return result.exitcode  # HAL: invented-member; receiver=factory


def case_choice_ignore_case():
    return click.Choice(["a", "b"], ignore_case=True)  # HAL: invented-keyword; receiver=call


def case_option_min():
    @click.option("--n", type=int, min=0)  # HAL: other-library-idiom; receiver=kwargs-forward
    @click.command()
    def cli(n):
        return n

    return cli


def case_context_get_param():
    ctx = click.Context(_hello)
    return ctx.get_param("n")  # HAL: invented-member; receiver=constructor


def case_echo_style_keyword():
    click.echo("x", bold=True)  # HAL: other-library-idiom; receiver=call
