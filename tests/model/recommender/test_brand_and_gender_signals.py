"""Brand partners (positive PMI of two different brands worn together) and genders taken from the
outfits an item is worn in, worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from db.audience import genders_worn
from model.recommender.signals import brand_npmi, unit_rows


def test_brand_npmi_by_hand() -> None:
    # items 0-1 brand A, 2 brand B, 3 brand C, 4 no brand; four outfits
    brand_ids = np.array([0, 0, 1, 2, -1])
    outfits = [[0, 2], [1, 2], [0, 3], [4, 3]]
    pmi = brand_npmi(outfits, brand_ids).toarray()
    # A in 3 outfits, B in 2, C in 2; A+B together in 2 of 4: PMI log(2 * 4 / (3 * 2)) = log(4/3) > 0,
    # normalised by -log p(A, B) = log 2
    expected = np.log(4 / 3) / np.log(2)
    assert pmi[0, 1] == pytest.approx(expected) and pmi[1, 0] == pytest.approx(expected)
    # A+C once: log(1 * 4 / (3 * 2)) < 0, so no value; B+C never: no value; a brand is never its own partner
    assert pmi[0, 2] == 0 and pmi[1, 2] == 0 and np.all(np.diag(pmi) == 0)


def test_brand_npmi_without_brands_is_empty() -> None:
    assert brand_npmi([[0, 1]], np.array([-1, -1])).shape == (0, 0)


def test_brands_with_the_same_partners_have_cosine_one() -> None:
    # A and C are each worn once with B, never together: their partner profiles are the same
    npmi = brand_npmi([[0, 1], [2, 1], [3], [3]], np.array([0, 1, 2, 3]))
    assert npmi[0, 1] == pytest.approx(np.log(2) / np.log(4))  # log(1 * 4 / (1 * 2)) / -log(1/4)
    unit = unit_rows(npmi)
    assert (unit[0] @ unit[2].T).toarray()[0, 0] == pytest.approx(1.0)
    assert (unit[0] @ unit[1].T).toarray()[0, 0] == 0 and unit[3].nnz == 0


def test_genders_worn_by_union() -> None:
    worn = genders_worn([("MALE", ["a", "b"]), ("FEMALE", ["b", "c"]), (None, ["d"]), ("여", ["c"])])
    assert worn == {"a": "male", "b": "unisex", "c": "female"}  # "d": worn in no outfit with a gender
