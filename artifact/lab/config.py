"""Sweep settings: one frozen model per field, named presets in a tiny registry."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SweepConfig(BaseModel):
    """Everything that decides a sweep's numbers (with the seed, it fixes them)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int = 1
    digits: int = Field(3, ge=1, le=6, description="Digits per operand of the addition task.")
    train_items: int = Field(20000, ge=100, description="Training problems drawn (the split excludes held-out pairs).")
    heldout_items: int = Field(500, ge=10, description="Held-out problems scored after training.")
    widths: tuple[int, ...] = Field((8, 16, 24, 32, 48, 64), description="Hidden sizes, one model size each.")
    layers: int = Field(2, ge=1, description="Decoder layers (all sizes).")
    heads: int = Field(2, ge=1, description="Attention heads (all sizes).")
    seeds: tuple[int, ...] = Field((0, 1, 2), description="Training seeds per size (data seed is fixed).")
    tokens: int = Field(1_500_000, ge=1000, description="Training tokens per model: the same budget for every size.")
    batch_size: int = Field(128, ge=1)
    learning_rate: float = Field(3e-3, gt=0)
    data_seed: int = Field(1234, description="Seed of the generated problems and the split.")


PRESETS: dict[str, SweepConfig] = {}
PRESETS["smoke"] = SweepConfig(digits=2, train_items=2000, heldout_items=40, widths=(8, 16), seeds=(0, 1),
                               tokens=30_000, batch_size=64)
PRESETS["default"] = SweepConfig()
PRESETS["full"] = SweepConfig(widths=(8, 16, 24, 32, 48, 64, 96, 128, 192), seeds=(0, 1, 2, 3, 4), tokens=6_000_000)
