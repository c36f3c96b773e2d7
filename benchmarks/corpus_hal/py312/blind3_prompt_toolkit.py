"""Blind set 3 (written without running vetpy or reading its rules): prompt-toolkit 3."""


def case_get_input_import():
    # prompt_toolkit 1.0's shortcuts.get_input; prompt() since 1.0, PromptSession since 2.0
    from prompt_toolkit.shortcuts import get_input  # HAL: version-drift; receiver=import
    return get_input


def case_contrib_word_completer():
    # prompt_toolkit 1.0 path; WordCompleter lives in prompt_toolkit.completion
    from prompt_toolkit.contrib.completers import WordCompleter  # HAL: version-drift; receiver=import
    return WordCompleter(["a"])


def case_word_completer_case_sensitive():
    from prompt_toolkit.completion import WordCompleter

    # the keyword is ``ignore_case``
    return WordCompleter(["alpha", "beta"], case_sensitive=False)  # HAL: invented-keyword; receiver=constructor


def case_prompt_session_history_file():
    from prompt_toolkit import PromptSession

    # history is an object: history=FileHistory(path)
    return PromptSession(history_file=".history")  # HAL: invented-keyword; receiver=constructor
