"""Synthetic person keys are HMAC-SHA-256 of the internal person number with the field-lab key."""

from __future__ import annotations

import hmac

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from zicht.synth.people import field_lab_key, pseudonyms


@settings(max_examples=50, deadline=None)
@given(key=st.binary(min_size=1, max_size=150), numbers=st.lists(st.integers(0, 2**62), max_size=30))
def test_pseudonyms_are_hmac_sha256_of_the_number(key: bytes, numbers: list[int]) -> None:
    got = pseudonyms(np.array(numbers, dtype=np.int64), key)
    assert list(got) == [hmac.new(key, str(n).encode(), "sha256").hexdigest() for n in numbers]


def test_field_lab_key_pseudonyms_for_block_sized_and_longer_keys() -> None:
    numbers = np.arange(1530000000, 1530000050, dtype=np.int64)
    for key in (field_lab_key(1), b"k" * 64, b"k" * 65):
        assert list(pseudonyms(numbers, key)) == [
            hmac.digest(key, str(n).encode(), "sha256").hex() for n in numbers
        ]
