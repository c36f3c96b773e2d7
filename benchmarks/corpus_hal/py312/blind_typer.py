"""Blind set (written without running vetpy or reading its rules): typer 0.29."""
import typer


def case_typer_secho_foreground():
    typer.secho("x", foreground="red")  # HAL: invented-keyword; receiver=call


def case_typer_exit_message():
    raise typer.Exit(1, "failed")  # HAL: arity; receiver=call
