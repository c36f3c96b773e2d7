"""Blind set (written without running vetpy or reading its rules): Django 6.1."""


def case_django_smart_text():
    from django.utils.encoding import smart_text  # HAL: version-drift; receiver=import
    return smart_text


def case_django_available_attrs():
    from django.utils.decorators import available_attrs  # HAL: version-drift; receiver=import
    return available_attrs
