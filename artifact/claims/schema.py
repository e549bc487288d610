"""Typed claim records: one YAML file per article section, each claim with a test and an expected status."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from artifact.claims.status import STATUSES, Status  # noqa: F401  (re-exported)
from artifact.evidence.text import Bilingual


class _Test(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ValueTest(_Test):
    """The article's number against the source's number for the same thing."""

    kind: Literal["value"]
    article: str = Field(description="Row reference of the article's number ('<file>:<row id>').")
    source: str = Field(description="Row reference of the number the source prints for the same thing.")
    source_scale: float = Field(1.0, description="Multiplier bringing the source's unit to the article's.")
    also: list[str] = Field(default_factory=list, description="Other readings of the same quantity, for the reason.")
    tolerance: float = Field(0.0, ge=0, description="|article - source| at most this: supported.")
    differs_within: float | None = Field(None, ge=0, description="Beyond tolerance but within this: differs; "
                                                                 "beyond it: contradicted (none: always differs).")


class DateTest(_Test):
    """The month the article gives against the month of the source's first arXiv version."""

    kind: Literal["date"]
    article_date: str = Field(pattern=r"^\d{4}-\d{2}$")
    source: str = Field(description="Row reference of the source number the date is about.")
    in_first_version: Literal["yes", "unknown"] = Field(
        description="Whether the evidence shows the number was already in the first arXiv version.")


class OrderTest(_Test):
    """Each listed pair: the first row's number beats the second's."""

    kind: Literal["order"]
    pairs: list[tuple[str, str]] = Field(min_length=1)
    higher_is_better: bool = True


class ThresholdTest(_Test):
    """The smallest size at which CoT beats direct prompting, computed from a source table."""

    kind: Literal["threshold"]
    comparisons: list[str] = Field(min_length=1, description="Keys '<source short>/<benchmark>/<scope>' of the "
                                                               "comparisons the cot-threshold exhibit derives.")
    article: str = Field(description="Row reference of the article's size (billions).")
    rule: Literal["first-win", "all-smaller-direct", "only-model"] = Field(
        description="first-win: computed size equals the article's; all-smaller-direct: every model below the "
                    "article's size has direct >= CoT; only-model: at that size CoT wins only for `model`.")
    model: str | None = None


class TrendTest(_Test):
    """A shape over a scale axis."""

    kind: Literal["trend"]
    shape: Literal["flat-then-jump", "log-linear", "wins-grow-not-all"] = Field(
        description="flat-then-jump: GSM8K CoT-minus-standard gain (Wei Table 2) per family; log-linear: Kaplan "
                    "Eq. 1.1 loss against log size; wins-grow-not-all: Flan Table 5 CoT wins per size.")
    small_below: float | None = Field(None, description="flat-then-jump: sizes (B) below this count as small; "
                                                        "wins-grow-not-all: the smallest size counted.")
    flat_within: float | None = Field(None, description="flat-then-jump: |gain| of small models at most this.")
    jump_at_least: float | None = Field(None, description="flat-then-jump: gain of each family's largest model.")
    min_r2: float | None = Field(None, description="log-linear: least R^2 of a straight line in log size.")


class GainTest(_Test):
    """The gain of one setting over another (e.g. CoT minus standard), within bounds."""

    kind: Literal["gain"]
    treatment: str = Field(description="Row reference of the treated setting (e.g. a run's CoT accuracy).")
    baseline: str = Field(description="Row reference of the baseline (e.g. the same run's standard accuracy).")
    at_least: float | None = Field(None, description="Supported only if the gain is at least this.")
    at_most: float | None = Field(None, description="Supported only if the gain is at most this.")


class LabShapeTest(_Test):
    """How one metric of the lab sweep rises with size, decided by the largest-step share: the largest
    improvement of the seed mean between neighbouring sizes as a share of the improvement from the
    smallest size to the largest."""

    kind: Literal["lab-shape"]
    sweep: str = Field("default", description="Preset of the lab sweep (evidence lab:<preset>).")
    metric: Literal["exact_match", "token_accuracy", "log_likelihood", "edit_distance"]
    shape: Literal["sharp", "smooth"] = Field(
        description="sharp: the largest-step share is at least `share`; smooth: it is below `share` and the "
                    "metric improves overall.")
    share: float = Field(0.5, gt=0, le=1, description="The share that separates sharp from smooth.")


class LabLengthsTest(_Test):
    """A statistic of a lab sweep over several answer lengths (see artifact/evidence/lab_lengths.py),
    against a bound stated before the sweep was run."""

    kind: Literal["lab-lengths"]
    sweep: str = Field("lengths", description="Preset of the lab sweep (evidence lab:<preset>).")
    statistic: Literal["power-error", "halfway-grows", "halfway-ratio", "one-curve", "loss-beats-size",
                       "takeoff-spread"] = Field(
        description="power-error: mean |p^L - exact match| over every model; halfway-grows: exact match's "
                    "half-way size grows with answer length; halfway-ratio: the least ratio, over lengths, of "
                    "exact match's half-way size to per-token accuracy's; one-curve: R^2 of one monotone curve "
                    "of `metric` against held-out loss; loss-beats-size: that R^2 minus the same against size; "
                    "takeoff-spread: highest over lowest take-off loss of exact match across lengths.")
    metric: Literal["exact_match", "token_accuracy"] = "exact_match"
    at_least: float | None = Field(None, description="Supported only if the statistic is at least this.")
    at_most: float | None = Field(None, description="Supported only if the statistic is at most this.")


class UnverifiedTest(_Test):
    """The numbers that would decide the claim are not in the evidence."""

    kind: Literal["unverified"]
    missing: Bilingual


class NotCheckable(_Test):
    """Opinion, speculation or a hypothesis: listed so the registry covers the whole article."""

    kind: Literal["not-checkable"]
    reason: Bilingual


Test = Annotated[Union[ValueTest, DateTest, OrderTest, ThresholdTest, TrendTest, GainTest, LabShapeTest,
                       LabLengthsTest, UnverifiedTest, NotCheckable],
                 Field(discriminator="kind")]


class Claim(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    text: Bilingual = Field(description="The statement, in this project's words, faithful to the article.")
    exhibits: list[str] = Field(default_factory=list, description="Exhibit ids the claim rests on.")
    test: Test
    expected: Status = Field(description="The status the project expects; a different computed status fails.")
    note: Bilingual | None = Field(None, description="Context added to the computed reason.")


class Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int = 1
    section: str = Field(pattern=r"^(s\d+(-\d+)?|lab)$",
                         description="Article section id, e.g. s2-1, or 'lab' for this project's own experiments.")
    order: int = Field(ge=0, description="Position of the section in the article.")
    title: Bilingual
    claims: list[Claim] = Field(min_length=1)
