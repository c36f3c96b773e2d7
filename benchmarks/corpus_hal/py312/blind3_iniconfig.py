"""Blind set 3 (written without running vetpy or reading its rules): iniconfig 2."""
import iniconfig
from iniconfig import IniConfig

DATA = "[server]\nport = 8080\nhost = localhost\n"


def case_has_section():
    cfg = IniConfig("setup.cfg", data=DATA)
    # configparser.ConfigParser.has_section; IniConfig supports ``"server" in cfg``
    return cfg.has_section("server")  # HAL: other-library-idiom; receiver=constructor


def case_section_getint():
    # configparser's SectionProxy.getint; iniconfig's section has get(..., convert=int)
    return IniConfig("setup.cfg", data=DATA)["server"].getint("port")  # HAL: other-library-idiom; receiver=chain


def case_get_fallback_param():
    def port(cfg: iniconfig.IniConfig) -> str:
        # configparser's ``fallback=``; iniconfig's keyword is ``default``
        return cfg.get("server", "port", fallback="80")  # HAL: other-library-idiom; receiver=param

    return port(IniConfig("setup.cfg", data=DATA))
