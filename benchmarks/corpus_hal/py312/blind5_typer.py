"""blind5 / typer 0.29 (issue 15, point 3).

Sources: click's vocabulary that typer does not take (``required=``, ``type=``, ``multiple=``,
``Group.add_command``; typer docs "Options / required CLI options" use ``...`` defaults,
https://typer.tiangolo.com/tutorial/options/required/), argparse's ``choices=`` / ``description=``,
rich's ``style=``, requests' ``status_code`` on ``CliRunner`` results, colorama's ``foreground``.
"""

import typer
from typer.testing import CliRunner


def _make_app() -> typer.Typer:
    return typer.Typer(no_args_is_help=True)


def case_option_required():
    return typer.Option("--name", required=True)  # HAL: other-library-idiom; receiver=call


def case_option_choices():
    return typer.Option("fast", choices=["fast", "slow"])  # HAL: other-library-idiom; receiver=call


def case_secho_foreground():
    typer.secho("done", foreground="green")  # HAL: invented-keyword; receiver=kwargs-forward


def case_typer_add_command():
    app = typer.Typer()
    sub = typer.Typer()
    app.add_command(sub, name="db")  # HAL: other-library-idiom; receiver=constructor
    return app


def case_command_help_text():
    app = _make_app()

    @app.command(help_text="Say hello")  # HAL: invented-keyword; receiver=helper-return
    def hello(name: str = "world"):
        typer.echo(name)

    return app


def case_typer_description():
    return typer.Typer(description="Manage the database")  # HAL: other-library-idiom; receiver=constructor


def case_colors_grey():
    return typer.style("muted", fg=typer.colors.GREY)  # HAL: invented-member; receiver=module


def case_echo_style():
    typer.echo("warning", style="bold red")  # HAL: other-library-idiom; receiver=call


def case_cli_result_status_code():
    app = typer.Typer()

    @app.command()
    def hello(name: str = "world"):
        typer.echo(f"hi {name}")

    result = CliRunner().invoke(app, ["--name", "ada"])
    return result.status_code  # HAL: other-library-idiom; receiver=factory
