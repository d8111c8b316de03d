"""What counts as a national number (contracts/vouchers.md): checksummed digits that stand apart.

The pupil references below: valid BSNs and rijksregisternummers, bare and formatted, alone and
set off inside a pseudonym, are refused; digits inside a hexadecimal pseudonym, numbers that fail
their check and groups of other lengths pass.
"""

from __future__ import annotations

import random

import pytest

from ictmonitor.core.national_numbers import (
    BELGIAN,
    DUTCH,
    belgian_check,
    bsn_check,
    national_number_kind,
)

# Valid BSNs: the eleven-test holds (9×d1 + … + 2×d8 − d9 divisible by 11).
BSNS = ["111222333", "123456782", "999999990"]
# Valid rijksregisternummers: born 1985-07-30 (97 − 850730033 mod 97 = 28); born 2005-01-01 and
# 2000-02-14, whose checks (13, 82) hold only with the 2 prefixed.
BELGIANS = ["85073003328", "05010100113", "00021412382"]


@pytest.mark.parametrize("digits", BSNS)
def test_valid_bsns_pass_the_eleven_test(digits):
    assert bsn_check(digits)
    assert not bsn_check(digits[:8] + str((int(digits[8]) + 1) % 10))


@pytest.mark.parametrize("digits", BELGIANS)
def test_valid_rijksregisternummers_pass_the_check_of_their_century(digits):
    assert belgian_check(digits)
    wrong = f"{(int(digits[9:]) % 97) + 1:02d}"
    assert not belgian_check(digits[:9] + wrong)


def test_a_birth_from_2000_passes_only_with_the_2_prefixed():
    base = "050101001"
    assert 97 - int(base) % 97 == 81  # a birth on 1 January 1905 carries 81
    assert belgian_check(base + "81") and belgian_check(base + "13")  # 2005 carries 13
    assert not belgian_check(base + "14")


@pytest.mark.parametrize("text,kind", [
    # Bare and formatted, both countries, both centuries.
    ("85073003328", BELGIAN), ("85.07.30-033.28", BELGIAN), ("85 07 30 033 28", BELGIAN),
    ("85/07/30-033/28", BELGIAN), ("05.01.01-001.13", BELGIAN), ("00021412382", BELGIAN),
    ("111222333", DUTCH), ("111 222 333", DUTCH), ("1112.22.333", DUTCH), ("123456782", DUTCH),
    # Set off from the rest of a pseudonym by a character that is not a letter or digit.
    ("ll-111222333", DUTCH), ("3A-07 123456782", DUTCH), ("leerling_123456782", DUTCH),
    ("(85.07.30-033.28)", BELGIAN), ("x/05010100113/y", BELGIAN), ("klas 3A: 999999990", DUTCH),
    ("12-123456782", DUTCH),  # a group that stands apart inside a longer written number
])
def test_national_numbers_are_found(text, kind):
    assert national_number_kind(text) == kind


@pytest.mark.parametrize("text", [
    "ll-a322741288",        # nine digits inside a hexadecimal pseudonym
    "ll-322741288a",        # ... at its start, joined to a letter on the right
    "ab123456782cd",        # a valid BSN's digits, but joined to letters
    "ll-123456789",         # nine digits that fail the eleven-test
    "85073003329",          # eleven digits that fail the Belgian check
    "1234567820",           # ten digits: neither length
    "leerling-0042", "3A-07", "", "2020-03-25",
    "111222333444",         # twelve digits in a row: no group of nine stands apart
])
def test_other_references_pass(text):
    assert national_number_kind(text) is None


def test_hexadecimal_pseudonyms_pass_even_with_nine_digits_in_a_row():
    """About 2 % of ten-character hexadecimal pseudonyms hold nine digits in a row (the old
    test refused them all); none of them is a national number."""
    rng = random.Random(20261206)
    pseudonyms = [f"ll-{rng.getrandbits(40):010x}" for _ in range(20_000)]
    nine_in_a_row = [p for p in pseudonyms if any(
        p[3 + i:12 + i].isdigit() for i in range(2))]
    assert len(nine_in_a_row) > 100
    assert [p for p in pseudonyms if national_number_kind(p)] == []
