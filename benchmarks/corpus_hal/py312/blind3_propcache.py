"""Blind set 3 (written without running vetpy or reading its rules): propcache."""


def case_reify_import():
    # aiohttp / pyramid call it reify; propcache exports cached_property / under_cached_property
    from propcache import reify  # HAL: other-library-idiom; receiver=import
    return reify
