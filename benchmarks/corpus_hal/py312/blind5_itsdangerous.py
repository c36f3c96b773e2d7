"""blind5 / itsdangerous 2.2 (issue 15, point 3).

Sources: itsdangerous 2.1.0 changelog ("Remove previously deprecated code ... JWS functionality: use a
dedicated library such as Authlib", "import itsdangerous.json: import json from the standard library";
https://github.com/pallets/itsdangerous/issues/294, https://github.com/miguelgrinberg/flasky/issues/538),
the old ``TimedJSONWebSignatureSerializer(secret, expires_in=)`` tutorials (Corey Schafer's Flask
series), Signer vocabulary on a Serializer, PyNaCl/JWT ``verify``.
"""

import itsdangerous
from itsdangerous import BadSignature, TimestampSigner, URLSafeSerializer, URLSafeTimedSerializer


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer("secret-key", salt="reset")


def case_import_timed_jws():
    from itsdangerous import TimedJSONWebSignatureSerializer  # HAL: version-drift; receiver=import
    return TimedJSONWebSignatureSerializer("k", expires_in=600)


def case_module_jws():
    return itsdangerous.JSONWebSignatureSerializer("secret-key")  # HAL: version-drift; receiver=module


def case_constructor_expires_in():
    return URLSafeTimedSerializer("secret-key", expires_in=3600)  # HAL: version-drift; receiver=constructor


def case_loads_max_age_seconds():
    s = URLSafeTimedSerializer("secret-key")
    token = s.dumps({"id": 1})
    return s.loads(token, max_age_seconds=3600)  # HAL: invented-keyword; receiver=constructor


def case_helper_dumps_expires_in():
    return _serializer().dumps({"id": 1}, expires_in=600)  # HAL: invented-keyword; receiver=helper-return


def case_serializer_sign():
    return URLSafeSerializer("secret-key").sign("value")  # HAL: other-library-idiom; receiver=chain


def case_signer_verify():
    signer = TimestampSigner("secret-key")
    signed = signer.sign("value")
    return signer.verify(signed)  # HAL: other-library-idiom; receiver=constructor


def case_import_itsdangerous_json():
    import itsdangerous.json  # HAL: version-drift; receiver=import
    return itsdangerous.json


def case_bad_signature_signature():
    try:
        URLSafeSerializer("a").loads("broken.token")
    except BadSignature as exc:
        return exc.signature  # HAL: invented-member; receiver=except-target
