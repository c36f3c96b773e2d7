"""Blind set 3 (written without running vetpy or reading its rules): shellingham 1.5."""
import shellingham


def case_get_shell():
    # the function is detect_shell(), returning (name, path)
    return shellingham.get_shell()  # HAL: invented-member; receiver=module


def case_detect_shell_name():
    # detect_shell() returns a (name, path) tuple
    return shellingham.detect_shell().name  # HAL: invented-member; receiver=chain
