"""Sweep settings: one frozen model of everything that decides a sweep's numbers, and the named presets."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class SweepConfig(BaseModel):
    """With the seeds it holds, this fixes every number a sweep writes (on one machine)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int = 3
    digits: int = Field(3, ge=1, le=6, description="Digits per operand of the addition task.")
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

    @model_validator(mode="after")
    def _fits(self) -> SweepConfig:
        odd = [w for w in self.widths if w % self.heads]
        if odd:
            raise ValueError(f"widths {odd} are not divisible by heads={self.heads}")
        pairs = (10 ** self.digits) ** 2
        if self.heldout_items > pairs // 20 or self.train_items > pairs - pairs // 20:
            raise ValueError(f"{self.digits}-digit addition has {pairs // 20} held-out and {pairs - pairs // 20} "
                             f"training pairs; asked for {self.heldout_items} and {self.train_items}")
        return self


PRESETS: dict[str, SweepConfig] = {
    # Two tiny sizes and a few dozen steps: exercises every stage in seconds (used by the tests).
    "smoke": SweepConfig(digits=2, train_items=1000, heldout_items=40, widths=(4, 8), seeds=(0, 1), tokens=20_000,
                         warmup_steps=10),
    # 8 sizes from ~0.6k to ~100k parameters, 3 seeds: about 6 minutes on 2 CPU cores.
    "default": SweepConfig(),
    # 12 sizes up to ~400k parameters, 10 seeds: about 30 minutes on 2 cores (scales with --jobs).
    "full": SweepConfig(widths=(4, 6, 8, 12, 16, 20, 24, 32, 48, 64, 96, 128), seeds=tuple(range(10))),
}
