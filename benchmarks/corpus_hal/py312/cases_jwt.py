"""PyJWT 2.15: 1.x bytes return, python-jose idioms, invented keywords."""
import jwt
from jwt import PyJWKClient

SECRET = "s3cr3t-key-of-sufficient-length-32b"


def issue_token() -> str:
    return jwt.encode({"sub": "1"}, SECRET, algorithm="HS256")


def case_encode_decode_bytes():
    token = jwt.encode({"sub": "1"}, SECRET, algorithm="HS256").decode("utf-8")  # HAL: version-drift; receiver=chain
    return token


def case_jwt_class():
    return jwt.JWT()  # HAL: other-library-idiom; receiver=module


def case_encode_algorithms_kw():
    return jwt.encode({"sub": "1"}, SECRET, algorithms=["HS256"])  # HAL: invented-keyword; receiver=call


def case_expired_signature_import():
    from jwt import ExpiredSignature  # HAL: version-drift; receiver=import
    return ExpiredSignature


def case_jose_jwterror():
    from jwt.exceptions import JWTError  # HAL: other-library-idiom; receiver=import
    return JWTError


def case_get_unverified_claims():
    token = issue_token()
    return jwt.get_unverified_claims(token)  # HAL: other-library-idiom; receiver=module


def case_jwk_client_fetch_keys():
    client = PyJWKClient("https://issuer.invalid/.well-known/jwks.json")
    return client.fetch_keys  # HAL: invented-member; receiver=constructor



def case_token_decode_method():
    token = issue_token()
    return token.decode_payload()  # HAL: invented-member; receiver=helper-return

