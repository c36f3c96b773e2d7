"""Blind set 3 (written without running vetpy or reading its rules): pluggy 1."""
import pluggy

hookspec = pluggy.HookspecMarker("demo")
hookimpl = pluggy.HookimplMarker("demo")


class Spec:
    @hookspec
    def greet(self, name):
        """Say hello."""


class Plugin:
    @hookimpl
    def greet(self, name):
        return f"hello {name}"


def _manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("demo")
    pm.add_hookspecs(Spec)
    pm.register(Plugin())
    return pm


def case_load_entrypoints():
    pm = pluggy.PluginManager("demo")
    # the method is load_setuptools_entrypoints
    return pm.load_entrypoints("demo")  # HAL: invented-member; receiver=constructor


def case_list_plugins():
    # get_plugins() / list_name_plugin()
    return _manager().list_plugins()  # HAL: invented-member; receiver=helper-return


def case_hookspec_first_result():
    marker = pluggy.HookspecMarker("demo")
    # the keyword is ``firstresult``
    return marker(first_result=True)  # HAL: invented-keyword; receiver=constructor


def case_hook_positional():
    pm = _manager()
    # pluggy hooks are called with keyword arguments only
    return pm.hook.greet("world")  # HAL: arity; receiver=chain
