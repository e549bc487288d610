"""Typed claim records: one YAML file per article section, each claim with a test and an expected status."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal, Union

from pydantic import BaseModel, BeforeValidator, Field, field_validator, model_validator

from artifact.display import STATUSES, Status  # noqa: F401  (re-exported)
from artifact.strict import STRICT
from artifact.evidence.text import Bilingual


class _Test(BaseModel):
    """Each kind declares what its rule compares (QUANTITY), in which unit, and why its line sits where it does
    (THRESHOLD_REASON, written with the rule, before any margin was seen; a claim may give its own)."""

    model_config = STRICT
    QUANTITY: ClassVar[str] = ""
    UNIT: ClassVar[tuple[str, str]] = ("", "")
    THRESHOLD_REASON: ClassVar[str] = ""


class ValueTest(_Test):
    """The article's number against the source's number for the same thing."""
    QUANTITY: ClassVar[str] = "|article - source|, in the article's unit"
    UNIT: ClassVar[tuple[str, str]] = ("", "")
    THRESHOLD_REASON: ClassVar[str] = "tolerance covers the article's rounding; beyond differs_within the two numbers are not the same quantity"

    kind: Literal["value"]
    article: str = Field(description="Row reference of the article's number ('<file>:<row id>').")
    source: str = Field(description="Row reference of the number the source prints for the same thing.")
    source_scale: float = Field(1.0, gt=0, description="Multiplier bringing the source's unit to the article's.")
    also: list[str] = Field(default_factory=list, description="Other readings of the same quantity, for the reason.")
    tolerance: float = Field(0.0, ge=0, description="|article - source| at most this: supported.")
    differs_within: float = Field(ge=0, description="Beyond tolerance but within this: differs; beyond it: "
                                                    "contradicted (required, so that the rule can fail).")


class DateTest(_Test):
    """The month the article gives for a GSM8K milestone against the first month its number can have been
    public (the source's first arXiv version, or the paper introducing its model if later). Both months come
    from the one dates table, artifact/data/text/gsm8k_progress.yaml, which the gsm8k-progress exhibit reads too.
    Article before that month: differs. Same month and the number was in the first version: supported.
    Otherwise (the number may have come in a later version): unverified."""
    QUANTITY: ClassVar[str] = "months between the article's date and the first public month of the source (or of the model)"
    UNIT: ClassVar[tuple[str, str]] = ("months", "个月")
    THRESHOLD_REASON: ClassVar[str] = "a month is the article's precision, so any month off is a difference"

    kind: Literal["date"]
    milestone: str = Field(description="Key of the milestone in the GSM8K dates table.")
    source: str = Field(description="Row reference of the source number the date is about.")
    in_first_version: Literal["yes", "unknown"] = Field(
        description="Whether the evidence shows the number was already in the first arXiv version.")


# YAML has no tuples: a two-item list is a pair (strict mode would refuse the list otherwise).
Pair = Annotated[tuple[str, str], BeforeValidator(lambda v: tuple(v) if isinstance(v, list) else v)]


class OrderTest(_Test):
    """Each listed pair: the first row's number beats the second's."""
    QUANTITY: ClassVar[str] = "gap of the deciding pair (the closest that holds, or the worst that fails), better minus worse"
    UNIT: ClassVar[tuple[str, str]] = ("points", "个百分点")
    THRESHOLD_REASON: ClassVar[str] = "'beats' means any positive gap; the line is the other side's number"

    kind: Literal["order"]
    pairs: list[Pair] = Field(min_length=1)
    higher_is_better: bool = True

    @field_validator("pairs", mode="before")
    @classmethod
    def _yaml_lists_are_pairs(cls, v: object) -> object:
        # YAML has no tuples; strict mode would refuse a two-item list as a pair
        return [tuple(p) if isinstance(p, list) else p for p in v] if isinstance(v, list) else v


class ThresholdTest(_Test):
    """The smallest size at which CoT beats direct prompting, computed from a source table."""
    QUANTITY: ClassVar[str] = "chain of thought minus direct prompting at the deciding model"
    UNIT: ClassVar[tuple[str, str]] = ("points", "个百分点")
    THRESHOLD_REASON: ClassVar[str] = "'beats' means any positive gain; a gain within beats_by is too small to count as a win"

    kind: Literal["threshold"]
    comparisons: list[str] = Field(min_length=1, description="Keys '<source short>/<benchmark>/<scope>' of the "
                                                               "comparisons the cot-threshold exhibit derives.")
    article: str = Field(description="Row reference of the article's size (billions).")
    rule: Literal["first-win", "all-smaller-direct", "only-model"] = Field(
        description="first-win: computed size equals the article's; all-smaller-direct: every model below the "
                    "article's size has direct >= CoT; only-model: at that size CoT wins only for `model`.")
    model: str | None = None
    beats_by: float = Field(0.0, ge=0, description="all-smaller-direct: a smaller model's CoT gain up to this "
                                                   "differs (too small to call a win); above it, contradicted.")


class FlatThenJumpTest(_Test):
    """GSM8K CoT-minus-standard gain (Wei et al. v6 Table 2) per family: flat for small models, a jump at
    each family's largest model."""
    QUANTITY: ClassVar[str] = "the binding one of: largest |gain| below small_below, smallest gain of a family's largest model"
    UNIT: ClassVar[tuple[str, str]] = ("points", "个百分点")
    THRESHOLD_REASON: ClassVar[str] = "flat_within and jump_at_least were set with the claim from the article's picture, before the check ran"

    kind: Literal["flat-then-jump"]
    small_below: float = Field(description="Sizes (billions) below this count as small.")
    flat_within: float = Field(ge=0, description="|gain| of every small model at most this.")
    jump_at_least: float = Field(description="Gain of each family's largest model at least this.")


class TrendBreakTest(_Test):
    """GSM8K chain-of-thought accuracy (Wei et al. v6 Table 2) per family: does the largest model lie well above
    the straight line in log size through the family's smaller models? Every family: supported; some: differs;
    none: contradicted."""
    QUANTITY: ClassVar[str] = "the largest model's accuracy minus the log-linear trend of its smaller models"
    UNIT: ClassVar[tuple[str, str]] = ("points", "个百分点")
    THRESHOLD_REASON: ClassVar[str] = "above_by is the jump a reader would call 'well above the trend'"

    kind: Literal["trend-break"]
    above_by: float = Field(gt=0, description="Points above the trend line that count as a jump.")


class LogLinearTest(_Test):
    """Kaplan et al.'s Eq. 1.1 loss against log size is close to a straight line."""
    QUANTITY: ClassVar[str] = "R² of a straight line in log size"
    UNIT: ClassVar[tuple[str, str]] = ("", "")
    THRESHOLD_REASON: ClassVar[str] = "R² of 0.95 leaves at most 5% of the variance to curvature; set before fitting"

    kind: Literal["log-linear"]
    min_r2: float = Field(gt=0, le=1, description="Least R² of a straight line in log size.")


class WinsGrowTest(_Test):
    """Flan Table 5 (MMLU and BBH): the settings where CoT beats direct grow with size, but not to all."""
    QUANTITY: ClassVar[str] = "settings won by chain of thought: the smallest growth between sizes, or the ones still lost at the largest size"
    UNIT: ClassVar[tuple[str, str]] = ("settings", "个设置")
    THRESHOLD_REASON: ClassVar[str] = "'grows' means at least one more setting per size; 'not all' means at least one setting lost"

    kind: Literal["wins-grow-not-all"]
    small_below: float = Field(description="The smallest size (billions) counted.")


class PairsTest(_Test):
    """Every comparable pair in the named sources: for each (better, worse) id fragment pair in ``sides``, a row
    whose id holds the better fragment against the row whose id is the same with it replaced by the worse one
    (same table, setting, benchmark and metric). A comparison printed twice in one source counts once.
    All pairs hold: supported; more hold than fail: differs; otherwise contradicted."""
    QUANTITY: ClassVar[str] = "gap of the deciding pair (the closest that holds, or the worst that fails), better minus worse"
    UNIT: ClassVar[tuple[str, str]] = ("points", "个百分点")
    THRESHOLD_REASON: ClassVar[str] = "every comparable pair counts; a tie is not a win"

    kind: Literal["all-pairs"]
    sources: list[str] = Field(min_length=1, description="Published evidence files (stems) searched for pairs.")
    sides: list[Pair] = Field(min_length=1, description="(better, worse) id fragments, e.g. "
                                                                   "['/code-davinci-002/', '/text-davinci-002/'].")
    within: str | None = Field(None, description="Only rows whose id contains this fragment.")
    higher_is_better: bool = True


class RowSaysTest(_Test):
    """A field of one evidence row names what the article says (e.g. which model a baseline was)."""
    QUANTITY: ClassVar[str] = "whether the row names the text (no numeric line)"
    UNIT: ClassVar[tuple[str, str]] = ("", "")
    THRESHOLD_REASON: ClassVar[str] = "a text match has no margin"

    kind: Literal["row-says"]
    row: str = Field(description="Row reference.")
    field: Literal["model", "model_family", "setting", "benchmark"] = Field(description="The row field read.")
    contains: str = Field(min_length=1, description="Supported if the field contains this text.")


class GapTest(_Test):
    """The gain of one pair (treatment minus baseline) is larger than the gain of every other listed pair."""
    QUANTITY: ClassVar[str] = "the larger gap minus the largest of the others"
    UNIT: ClassVar[tuple[str, str]] = ("points", "个百分点")
    THRESHOLD_REASON: ClassVar[str] = "'larger' means any positive difference between gaps"

    kind: Literal["gap-larger"]
    larger: Pair = Field(description="(treatment, baseline) row references of the larger gap.")
    smaller: list[Pair] = Field(min_length=1, description="(treatment, baseline) pairs it must beat.")


class GenReadParTest(_Test):
    """In one of Yu et al.'s tables, a generate-then-read row against every retrieve-then-read row, per data set:
    on par (at most ``par_within`` behind) or better."""
    QUANTITY: ClassVar[str] = "exact-match points behind the worst retrieval row of each data set"
    UNIT: ClassVar[tuple[str, str]] = ("points", "个百分点")
    THRESHOLD_REASON: ClassVar[str] = "par_within is fixed before looking at the table (see the claim's threshold_reason)"

    kind: Literal["genread-par"]
    table: Literal["Table 1", "Table 2"]
    model: str = Field(description="The generate-then-read row, as printed (e.g. 'GenRead (InstructGPT)').")
    par_within: float = Field(ge=0, description="Exact-match points behind a retrieval row still counted on par.")


class BestInTableTest(_Test):
    """A row beats every other row of the same table, benchmark and metric in its source."""
    QUANTITY: ClassVar[str] = "the row's number minus the runner-up's"
    UNIT: ClassVar[tuple[str, str]] = ("points", "个百分点")
    THRESHOLD_REASON: ClassVar[str] = "'best' means strictly above every other row of the table"

    kind: Literal["best-in-table"]
    row: str = Field(description="Row reference of the claimed best.")


class PaperDateTest(_Test):
    """The year or month the article gives for a paper against the month of its first arXiv version."""
    QUANTITY: ClassVar[str] = "months between the article's date and the paper's first arXiv month"
    UNIT: ClassVar[tuple[str, str]] = ("months", "个月")
    THRESHOLD_REASON: ClassVar[str] = "a month (or year) is the article's precision, so any month off is a difference"

    kind: Literal["paper-date"]
    papers: list[str] = Field(min_length=1, description="BibTeX keys (docs/references.bib) with an arXiv eprint.")
    article_date: str = Field(pattern=r"^\d{4}(-\d{2})?$")


class GainTest(_Test):
    """The gain of one setting over another (e.g. CoT minus standard), within bounds."""
    QUANTITY: ClassVar[str] = "treatment minus baseline, against the nearest bound"
    UNIT: ClassVar[tuple[str, str]] = ("points", "个百分点")
    THRESHOLD_REASON: ClassVar[str] = "the bounds are stated in the claim, before the run"

    kind: Literal["gain"]
    treatment: str = Field(description="Row reference of the treated setting (e.g. a run's CoT accuracy).")
    baseline: str = Field(description="Row reference of the baseline (e.g. the same run's standard accuracy).")
    at_least: float | None = Field(None, description="Supported only if the gain is at least this.")
    at_most: float | None = Field(None, description="Supported only if the gain is at most this.")

    @model_validator(mode="after")
    def _a_bound(self) -> "GainTest":
        # without a bound the rule could not fail
        if self.at_least is None and self.at_most is None:
            raise ValueError("a gain test needs at_least or at_most")
        return self


class LabShapeTest(_Test):
    """How one metric of the lab sweep rises with size, decided by the largest-step share: the largest
    improvement of the seed mean between neighbouring sizes as a share of the improvement from the
    smallest size to the largest."""
    QUANTITY: ClassVar[str] = "the largest-step share of the rise"
    UNIT: ClassVar[tuple[str, str]] = ("", "")
    THRESHOLD_REASON: ClassVar[str] = "a share of 0.5 means one step between neighbouring sizes does most of the rise"

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
    QUANTITY: ClassVar[str] = "the named statistic of the lengths sweep"
    UNIT: ClassVar[tuple[str, str]] = ("", "")
    THRESHOLD_REASON: ClassVar[str] = "bounds stated in the claim before the sweep ran"

    kind: Literal["lab-lengths"]
    sweep: str = Field("lengths", description="Preset of the lab sweep (evidence lab:<preset>).")
    statistic: Literal["power-error", "halfway-grows", "halfway-ratio", "one-curve", "loss-beats-size",
                       "takeoff-spread"] = Field(
        description="power-error: the worse of mean |p^L - exact match| over every model and over the in-between "
                    "models; halfway-grows: the least ratio of exact match's half-way size between neighbouring "
                    "answer lengths; halfway-ratio: the least ratio, over lengths, of "
                    "exact match's half-way size to per-token accuracy's; one-curve: R^2 of one monotone curve "
                    "of `metric` against heldout_loss; loss-beats-size: that R^2 minus the same against size, on seed means; "
                    "takeoff-spread: highest over lowest take-off loss of exact match across lengths.")
    metric: Literal["exact_match", "token_accuracy"] = "exact_match"
    at_least: float | None = Field(None, description="Supported only if the statistic is at least this.")
    at_most: float | None = Field(None, description="Supported only if the statistic is at most this.")


class LabCotTest(_Test):
    """A statistic of the cot sweep (direct against scratchpad targets; see artifact/evidence/lab_cot.py and
    artifact/claims/lab_cot.py), against a line stated before the sweep was run."""

    kind: Literal["lab-cot"]
    sweep: str = Field("cot", description="Preset of the lab sweep (evidence lab:<preset>).")
    statistic: Literal["gain-crosses", "gain-grows", "direct-sharper", "scratchpad-earlier"] = Field(
        description="gain-crosses: no gain below `width` and a gain from it up (on sizes where direct has room); "
                    "gain-grows: rank correlation of the gain with size; direct-sharper: direct's largest-step "
                    "share minus the scratchpad's; scratchpad-earlier: direct's half-way size over the "
                    "scratchpad's.")
    width: int | None = Field(None, description="gain-crosses: the predicted first width with a gain.")
    at_least: float | None = Field(None, description="Supported only if the statistic is at least this.")


class UnverifiedTest(_Test):
    """The numbers that would decide the claim are not in the evidence."""

    kind: Literal["unverified"]
    missing: Bilingual


class NotCheckable(_Test):
    """Opinion, speculation or a hypothesis: listed so the registry covers the whole article."""

    kind: Literal["not-checkable"]
    reason: Bilingual


Test = Annotated[Union[ValueTest, DateTest, OrderTest, ThresholdTest, FlatThenJumpTest, LogLinearTest, WinsGrowTest,
                       PairsTest, GapTest, GenReadParTest, BestInTableTest, PaperDateTest, TrendBreakTest,
                       RowSaysTest,
                       GainTest, LabShapeTest, LabLengthsTest, LabCotTest, UnverifiedTest, NotCheckable],
                 Field(discriminator="kind")]


class Claim(BaseModel):
    model_config = STRICT
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    text: Bilingual = Field(description="The statement, in this project's words, faithful to the article.")
    exhibits: list[str] = Field(default_factory=list, description="Exhibit ids the claim rests on.")
    test: Test
    expected: Status = Field(description="The status the project expects; a different computed status fails.")
    note: Bilingual | None = Field(None, description="Context added to the computed reason.")
    threshold_reason: str | None = Field(None, description="Why the test's line sits where it does, written "
                                                           "with the line (overrides the kind's reason).")
    unit: Bilingual | None = Field(None, description="Unit of the compared quantity, where the kind's default "
                                                     "does not fit (e.g. examples instead of points).")


class Section(BaseModel):
    model_config = STRICT
    version: int = 1
    section: str = Field(pattern=r"^(s\d+(-\d+)?|lab)$",
                         description="Article section id, e.g. s2-1, or 'lab' for this project's own experiments.")
    order: int = Field(ge=0, description="Position of the section in the article.")
    title: Bilingual
    claims: list[Claim] = Field(min_length=1)
