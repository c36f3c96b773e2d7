"""Blind set: PyJWT 2.15."""
import jwt


def case_jwk_client_retries():
    return jwt.PyJWKClient("https://example.invalid/jwks", retries=3)  # HAL: invented-keyword; receiver=call


def case_import_decode_error_old():
    from jwt import DecodeException  # HAL: invented-member; receiver=import
    return DecodeException
