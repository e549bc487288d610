"""What a lab sweep's files are made of, shared by the lab that writes them and the evidence layer that reads
them: the settings model (config.json), the metric names and which way each improves.

Kept here, in the evidence layer, so that reading a sweep never imports the lab (torch, training code)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

METRICS = ("exact_match", "token_accuracy", "log_likelihood", "edit_distance")
# Whether a larger value is better, per metric (edit distance is an error count).
HIGHER_IS_BETTER = {"exact_match": True, "token_accuracy": True, "log_likelihood": True, "edit_distance": False}
FORMATS = ("direct", "scratchpad")  # target formats of the cot task


class SweepConfig(BaseModel):
    """With the seeds it holds, this fixes every number a sweep writes (on one machine)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int = 3
    digits: int | tuple[int, ...] = Field(
        3, description="Digits per operand of the addition task (1 to 6); several (the lengths preset) make the "
                       "answer length an axis of the sweep: every size and seed is trained once per digit count.")
    train_items: int = Field(20000, ge=10, description="Training problems drawn (none from the held-out side).")
    heldout_items: int = Field(500, ge=10, description="Held-out problems scored after training.")
    widths: tuple[int, ...] = Field((4, 8, 12, 16, 24, 32, 48, 64), min_length=1,
                                    description="Hidden sizes, one model size each (layers and heads fixed).")
    layers: int = Field(2, ge=1, description="Decoder layers (all sizes).")
    heads: int = Field(2, ge=1, description="Attention heads (all sizes).")
    seeds: tuple[int, ...] = Field((0, 1, 2), min_length=1,
                                   description="Initialisation and batch-order seeds per size.")
    tokens: int = Field(1_200_000, ge=100, description="Training tokens per model, the same for every size: "
                                                     "steps = tokens // (batch_size x tokens per problem).")
    batch_size: int = Field(32, ge=1)
    learning_rate: float = Field(1e-3, gt=0, description="Peak AdamW rate: linear warm-up, then cosine to 0.")
    warmup_steps: int = Field(100, ge=0)
    data_seed: int = Field(1234, description="Seed of the generated problems.")
    formats: tuple[Literal["direct", "scratchpad"], ...] | None = Field(
        None, description="Target formats of the cot task (the sum written most significant digit first, "
                          "directly or after a scratchpad of column totals): every size and seed is trained once "
                          "per format on the same problems with the same optimiser steps. None: the classic "
                          "task (the sum written reversed).")

    def _later(self) -> set[str] | None:
        """Settings added after sweeps were shipped, left out of config.json and of the folder name's hash
        while they have their neutral value: sweeps made before them keep their names and files."""
        return {"formats"} if self.formats is None else None

    def record(self) -> dict:
        """The settings as config.json writes them."""
        return self.model_dump(exclude=self._later())

    def hashed(self) -> str:
        """The text the folder name's hash is taken of."""
        return self.model_dump_json(exclude=self._later())

    @property
    def digit_counts(self) -> tuple[int, ...]:
        return self.digits if isinstance(self.digits, tuple) else (self.digits,)

    @property
    def format_list(self) -> tuple[str | None, ...]:
        return self.formats if self.formats else (None,)

    def for_digits(self, digits: int) -> SweepConfig:
        """The one-task configuration a model of this sweep is trained with (training code sees one digit count)."""
        return self.model_copy(update={"digits": digits})

    @field_validator("digits")
    @classmethod
    def _digit_counts(cls, digits: int | tuple[int, ...]) -> int | tuple[int, ...]:
        counts = digits if isinstance(digits, tuple) else (digits,)
        if not counts or len(set(counts)) != len(counts) or list(counts) != sorted(counts):
            raise ValueError(f"digits {list(counts)}: give distinct digit counts in increasing order")
        for d in counts:
            if not 1 <= d <= 6:
                raise ValueError(f"digits {d}: the task has 1 to 6 digits per operand")
        return digits

    @field_validator("formats")
    @classmethod
    def _formats(cls, formats: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if formats is not None and (not formats or len(set(formats)) != len(formats)):
            raise ValueError(f"formats {list(formats)}: give one or more distinct formats")
        return formats

    @model_validator(mode="after")
    def _fits(self) -> SweepConfig:
        odd = [w for w in self.widths if w % self.heads]
        if odd:
            raise ValueError(f"widths {odd} are not divisible by heads={self.heads}")
        for d in self.digit_counts:
            pairs = (10 ** d) ** 2
            if self.heldout_items > pairs // 20 or self.train_items > pairs - pairs // 20:
                raise ValueError(f"{d}-digit addition has {pairs // 20} held-out and {pairs - pairs // 20} "
                                 f"training pairs; asked for {self.heldout_items} and {self.train_items}")
        return self
