"""SEC034 mass-assignment by a model form or serializer that takes every field of its model.

Specification (issue #20, service29's ``IntakeForm`` and ``PatientProfileSerializer``): a Django
``ModelForm`` or a DRF ``ModelSerializer`` whose ``Meta`` takes the model's fields by
``fields = "__all__"`` or by ``exclude = [...]``, where the model (defined in the same module or in
another module of the project) declares a privileged field (``balance``, ``is_staff``,
``is_superuser``, ``role``, ``is_verified``, ...) that the ``Meta`` leaves writable: reported at
the ``fields``/``exclude`` line, naming the field. A client posting the form or the serializer's
data sets it.

Look-alikes, not reported: an explicit ``fields`` list; the privileged field in ``exclude`` or in
``read_only_fields``; the serializer declaring the field itself (``balance = ...(read_only=True)``);
a model without a privileged field; a model vetpy cannot see (a library's, ``get_user_model()``);
a model form of the admin (``admin.py``: staff only); a ``Meta`` of another class (a plain
``forms.Form``, a model's own ``Meta``).
"""

from __future__ import annotations

from conftest import check_file, context_for, write
from test_security import lines

MODELS = """
    from django.db import models

    class Account(models.Model):
        name = models.CharField(max_length=100)
        balance = models.DecimalField(max_digits=12, decimal_places=2, default=0)
        is_verified = models.BooleanField(default=False)

    class Note(models.Model):
        title = models.CharField(max_length=100)
        body = models.TextField()
"""


def _same_module(meta: str, base: str = "forms.ModelForm", declared: str = "", model: str = "Account", path: str = "forms.py") -> list[int]:
    src = MODELS + f"""
    from django import forms
    from rest_framework import serializers

    class AccountEdit({base}):
        {declared}
        class Meta:
            model = {model}
            {meta}
    """
    return lines(src, "SEC034", path=path)


def test_all_fields_or_exclude_leaves_a_privileged_field_writable() -> None:
    assert _same_module('fields = "__all__"') == [20]
    assert _same_module('exclude = ["name"]') == [20]
    assert _same_module('fields = "__all__"', base="serializers.ModelSerializer") == [20]
    assert _same_module('exclude = ("name",)', base="serializers.ModelSerializer") == [20]


def test_look_alikes() -> None:
    assert _same_module('fields = ["name"]') == []
    assert _same_module('exclude = ["balance", "is_verified"]') == []
    assert _same_module('fields = "__all__"; read_only_fields = ["balance", "is_verified"]', base="serializers.ModelSerializer") == []
    assert _same_module('fields = "__all__"', model="Note") == []
    assert _same_module('fields = "__all__"', model="get_user_model()") == []
    assert _same_module('fields = "__all__"', model="Unknown") == []
    assert _same_module('fields = "__all__"', path="admin.py") == []
    assert _same_module('fields = "__all__"', base="forms.Form") == []
    assert _same_module('fields = "__all__"', base="serializers.ModelSerializer",
                        declared="balance = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True); "
                                 "is_verified = serializers.BooleanField(read_only=True)") == []


def test_model_of_another_module_of_the_project(tmp_path) -> None:
    root = write(tmp_path, {
        "clinic/__init__.py": "",
        "clinic/models.py": MODELS,
        "clinic/serializers.py": """
            from rest_framework import serializers
            from .models import Account, Note

            class AccountProfile(serializers.ModelSerializer):
                class Meta:
                    model = Account
                    exclude = ["name"]

            class NoteSerializer(serializers.ModelSerializer):
                class Meta:
                    model = Note
                    fields = "__all__"
        """,
    })
    found = [f for f in check_file(root, "clinic/serializers.py", context_for(root)) if f.code == "SEC034"]
    assert [f.line for f in found] == [7]
    assert "balance" in found[0].message
