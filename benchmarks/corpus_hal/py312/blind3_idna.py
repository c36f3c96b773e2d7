"""Blind set 3 (written without running vetpy or reading its rules): idna 3."""
import idna


def case_to_ascii_module():
    # encodings.idna.ToASCII (and idna.compat); not exported by the idna package itself
    return idna.ToASCII("bücher.example")  # HAL: other-library-idiom; receiver=module


def case_encode_errors():
    # str.encode(errors=); idna.encode has strict / uts46 / std3_rules / transitional
    return idna.encode("bücher.example", errors="strict")  # HAL: other-library-idiom; receiver=call
