"""The registry refuses misspelt inputs, duplicate ids and undeclared evidence."""

from __future__ import annotations

import pytest

from artifact.errors import RegistryError, UnknownExhibitError
from artifact.evidence.store import Evidence
from artifact.exhibits import REGISTRY
from artifact.exhibits.registry import register
from artifact.products import products


def test_misspelt_input_fails_at_registration():
    with pytest.raises(RegistryError, match="published:wei2022cto"):
        register("typo-exhibit", kind="chart", title_en="t", title_zh="t", inputs=("published:wei2022cto",))
    assert "typo-exhibit" not in REGISTRY


def test_malformed_evidence_id_fails():
    with pytest.raises(RegistryError, match="not 'published:<name>'"):
        register("bad-id-exhibit", kind="table", title_en="t", title_zh="t", inputs=("wei2022cot",))


def test_duplicate_id_fails():
    with pytest.raises(RegistryError, match="registered twice"):
        register("gsm8k-scaling", kind="chart", title_en="t", title_zh="t", inputs=())(lambda ev, lang: None)


def test_builder_cannot_read_undeclared_evidence():
    view = Evidence().restricted(("published:wei2022cot",))
    with pytest.raises(RegistryError, match="without declaring"):
        view.published("chung2022flan")


def test_unknown_exhibit_is_named():
    with pytest.raises(UnknownExhibitError, match="'gsm8k-scalling'"):
        products(["gsm8k-scalling"])
