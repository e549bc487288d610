"""What every backend returns, and the settings that change its outputs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Generation:
    completion: str  # up to (not including) the first stop sequence
    prompt_tokens: int
    completion_tokens: int  # tokens generated before the stop sequence
