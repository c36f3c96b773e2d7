"""Blind set 3 (written without running vetpy or reading its rules): cloudpickle 3."""
import cloudpickle


def case_dumps_recurse():
    # dill.dumps(recurse=True)
    return cloudpickle.dumps(lambda x: x + 1, recurse=True)  # HAL: other-library-idiom; receiver=call


def case_dump_session():
    # dill.dump_session
    cloudpickle.dump_session("session.pkl")  # HAL: other-library-idiom; receiver=module
