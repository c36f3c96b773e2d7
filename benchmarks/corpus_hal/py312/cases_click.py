"""click 8.5: removed names, argparse/typer idioms on options and the test runner."""
import click
from click.testing import CliRunner


@click.command()
@click.option("--count", type=int, default=1)
def hello(count):
    click.echo("hi" * count)


def case_option_env_kw():
    @click.command()
    @click.option("--token", required=True, env="TOKEN")  # HAL: invented-keyword; receiver=kwargs-forward
    def cli(token):
        pass

    return cli


def case_runner_mix_stderr():
    return CliRunner(mix_stderr=False)  # HAL: version-drift; receiver=call


def case_result_return_code():
    result = CliRunner().invoke(hello, ["--count", "2"])
    return result.return_code  # HAL: invented-member; receiver=chain


def case_get_terminal_size():
    return click.get_terminal_size()  # HAL: version-drift; receiver=module


def case_choice_case_insensitive():
    return click.Choice(["a", "b"], case_insensitive=True)  # HAL: invented-keyword; receiver=call


def case_echo_flush():
    click.echo("done", err=True, flush=True)  # HAL: invented-keyword; receiver=call


def case_path_resolve_kw():
    return click.Path(exists=False, resolve=True)  # HAL: invented-keyword; receiver=call



def case_option_add_argument_style():
    @click.command()
    @click.option("--n", type=int, action="store_true", dest="n")  # HAL: other-library-idiom; receiver=kwargs-forward
    def cli(n):
        pass

    return cli


def case_context_exit_code():
    with click.Context(hello) as ctx:
        return ctx.exit_code  # HAL: invented-member; receiver=with-target


def case_group_add_subcommand():
    @click.group()
    def cli():
        pass

    cli.add_subcommand(hello)  # HAL: invented-member; receiver=decorator

