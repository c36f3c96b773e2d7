"""Blind set 4 (written without running vetpy or reading its rules): PyJWT."""
import jwt

SECRET = "secret-key-of-at-least-32-bytes!!"


def _token() -> str:
    return jwt.encode({"sub": "1"}, SECRET, algorithm="HS256")


def case_jwk_client_from_token():
    client = jwt.PyJWKClient("https://example.invalid/jwks")
    return client.get_signing_key_from_token("a.b.c")  # HAL: invented-member; receiver=constructor


def case_pyjwt_encode_exp_delta():
    return jwt.PyJWT().encode({"sub": "1"}, SECRET, algorithm="HS256", exp_delta=60)  # HAL: invented-keyword; receiver=constructor


def case_jwt_verify():
    # jsonwebtoken (Node) / jose vocabulary
    return jwt.verify(_token(), SECRET)  # HAL: other-library-idiom; receiver=module


def case_token_claims():
    # PyJWT 2 returns a str; authlib's tokens carry .claims
    return _token().claims  # HAL: other-library-idiom; receiver=helper-return


def case_decode_complete_payload_attr():
    decoded = jwt.decode_complete(_token(), SECRET, algorithms=["HS256"])
    return decoded.payload  # HAL: other-library-idiom; receiver=factory


def case_unverified_header_arity():
    return jwt.get_unverified_header(_token(), SECRET)  # HAL: arity; receiver=call
