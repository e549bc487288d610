"""The two CPU kernels the engine's speed rests on, each with a plain-torch fallback.

- ``Linear``: y = x Wᵀ with the weight reordered once for oneDNN (`torch.ops.mkldnn`). A decode step
  multiplies a few dozen rows by every weight of the model; at that shape the default path
  (MKL sgemm on an unpacked weight) spends most of its time repacking: measured on 2 Ice Lake cores,
  32 rows x the 576 x 49,152 output head took 32 ms plain and 13.6 ms packed, an MLP projection
  0.84 ms and 0.34 ms (``benchmarks/profile_evaluate.py`` shows the whole-run effect).
- ``flash``: fused attention that also returns each query's log-sum-exp
  (`aten._scaled_dot_product_flash_attention_for_cpu`), which the split attention needs to merge
  the prefix part and each row's own part; one kernel instead of a dozen tensor ops per layer.

Both are private torch operators, so each is probed once on a tiny input and used only if it
works and agrees with the plain computation; otherwise (a GPU, a build without oneDNN, a future
torch without the operator) the plain ops run. ``ARTIFACT_PLAIN_KERNELS=1`` forces the plain ops
(for comparisons). Either way the results are the same up to float rounding.
"""

from __future__ import annotations

import functools
import os

import torch


def _forced_plain() -> bool:
    return os.environ.get("ARTIFACT_PLAIN_KERNELS", "") not in ("", "0")


@functools.cache
def onednn_linear_works() -> bool:
    if _forced_plain() or not torch.backends.mkldnn.is_available():
        return False
    try:
        g = torch.Generator().manual_seed(0)
        w, x = torch.randn(8, 4, generator=g), torch.randn(3, 4, generator=g)
        packed = torch.ops.mkldnn._reorder_linear_weight(w, None)
        y = torch.ops.mkldnn._linear_pointwise(x, packed, None, "none", [], "")
        return bool(torch.allclose(y, x @ w.T, rtol=1e-5, atol=1e-5))
    except (AttributeError, RuntimeError, NotImplementedError):
        return False


@functools.cache
def flash_works() -> bool:
    if _forced_plain():
        return False
    try:
        g = torch.Generator().manual_seed(0)
        q, k, v = (torch.randn(1, 2, 3, 4, generator=g) for _ in range(3))
        out, lse = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu(q, k, v, 0.0, False, scale=0.5)
        scores = (q @ k.transpose(2, 3)) * 0.5
        return bool(torch.allclose(out, torch.softmax(scores, -1) @ v, rtol=1e-5, atol=1e-5)
                    and torch.allclose(lse, torch.logsumexp(scores, -1), rtol=1e-5, atol=1e-5))
    except (AttributeError, RuntimeError, NotImplementedError):
        return False


class Linear:
    """x Wᵀ + b for a float32 CPU weight, packed for oneDNN once; other weights use ``F.linear``."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None = None):
        self.weight, self.bias = weight.detach(), None if bias is None else bias.detach()
        self.out_features = weight.shape[0]
        self.packed = None
        if weight.device.type == "cpu" and weight.dtype == torch.float32 and onednn_linear_works():
            self.packed = torch.ops.mkldnn._reorder_linear_weight(self.weight, None)

    @classmethod
    def joined(cls, *modules: torch.nn.Linear) -> Linear:
        """One product for several projections of the same input (q/k/v, gate/up), outputs side by side."""
        biases = [m.bias for m in modules]
        bias = None if all(b is None for b in biases) else torch.cat(
            [b if b is not None else torch.zeros(m.out_features, dtype=m.weight.dtype) for b, m in zip(biases, modules)])
        return cls(torch.cat([m.weight for m in modules]), bias)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        if self.packed is None:
            return torch.nn.functional.linear(x, self.weight, self.bias)
        flat = x.reshape(-1, x.shape[-1])
        y = torch.ops.mkldnn._linear_pointwise(flat, self.packed, self.bias, "none", [], "")
        return y.view(*x.shape[:-1], self.out_features)


def flash(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None,
          scale: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Softmax attention q [B, H, T, d] over k/v [B, H, S, d] (same heads) and its log-sum-exp [B, H, T];
    ``mask`` is additive (0 or -inf), broadcastable to [B, H, T, S]."""
    return torch.ops.aten._scaled_dot_product_flash_attention_for_cpu(q, k, v, 0.0, False, attn_mask=mask, scale=scale)
