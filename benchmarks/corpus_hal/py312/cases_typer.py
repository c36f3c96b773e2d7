"""typer 0.29: click idioms on Typer apps, invented keywords."""
import typer
from typer.testing import CliRunner

app = typer.Typer()


@app.command()
def greet(name: str = "x"):
    typer.echo(name)


def case_option_show_defaults():
    return typer.Option("x", "--name", show_defaults=True)  # HAL: invented-keyword; receiver=call


def case_add_command():
    cli = typer.Typer()
    cli.add_command(greet)  # HAL: other-library-idiom; receiver=constructor


def case_prompt_password():
    return typer.prompt_password  # HAL: invented-member; receiver=module


def case_result_exit_status():
    result = CliRunner().invoke(app, ["--name", "y"])
    return result.exit_status  # HAL: invented-member; receiver=chain


def case_run_standalone():
    typer.run(greet, standalone=True)  # HAL: invented-keyword; receiver=call


def case_typer_group():
    cli = typer.Typer()

    @cli.group()  # HAL: other-library-idiom; receiver=constructor
    def sub():
        pass

    return cli


def case_argument_required_kw():
    return typer.Argument(..., required=True)  # HAL: invented-keyword; receiver=call
