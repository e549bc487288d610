"""Attention split into a shared-prefix part and each row's own part, merged exactly by log-sum-exp.

Every item of a few-shot run starts with the same exemplars (about 900 tokens for chain of thought).
Storing their keys and values once and attending to them with one matrix product for the whole batch
means a decode step reads the prefix once instead of once per row (the idea of Hydragen, bifurcated
and cascade attention). Softmax over the concatenated keys equals the two partial softmaxes
reweighted by their log-sum-exps, so the result is the same attention up to float rounding.

Shapes: q [B, H, T, d] (rotary already applied); prefix k/v [Hkv, P, d]; own k/v [B, Hkv, L, d];
``own_visible`` [B, T, L] is True where query t of row b may see own key l (causal, unpadded).
H = Hkv * groups, query head h reading key head h // groups (as transformers' repeat_kv does).
"""

from __future__ import annotations

import torch

from artifact.evaluate import kernels


def _partial(scores: torch.Tensor, values: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Softmax-weighted values of one key block and the block's log-sum-exp (rows with no key: -inf)."""
    peak = scores.amax(dim=-1, keepdim=True)
    peak = torch.where(torch.isfinite(peak), peak, torch.zeros_like(peak))
    weights = torch.exp(scores - peak)
    total = weights.sum(dim=-1, keepdim=True)
    out = torch.matmul(weights, values) / total.clamp_min(torch.finfo(total.dtype).tiny)
    return out, peak + torch.log(total)


def merge(out_a: torch.Tensor, lse_a: torch.Tensor, out_b: torch.Tensor, lse_b: torch.Tensor) -> torch.Tensor:
    """Attention over keys A and B together, from the attention over each alone and its log-sum-exp."""
    # A's share of the total weight is e^lse_a / (e^lse_a + e^lse_b) = sigmoid(lse_a - lse_b).
    return torch.lerp(out_b, out_a, torch.sigmoid(lse_a - lse_b))


def split_attention(q: torch.Tensor, prefix_k: torch.Tensor | None, prefix_v: torch.Tensor | None,
                    own_k: torch.Tensor, own_v: torch.Tensor, own_visible: torch.Tensor, scale: float,
                    fused: bool | None = None, mask: torch.Tensor | None = None) -> torch.Tensor:
    """Attention output [B, H, T, d] of every query over the shared prefix (if any) plus its row's own keys.

    ``fused`` (default: when the CPU kernel works) computes each part with one fused attention
    kernel; otherwise with plain tensor ops. Every query must see at least one own key (its own).
    ``mask`` is `own_mask(own_visible, H // Hkv)`, passed in when it serves many calls."""
    if fused is None:
        fused = q.device.type == "cpu" and q.dtype == torch.float32 and kernels.flash_works()
    b, h, t, d = q.shape
    kv = own_k.shape[1]
    groups = h // kv
    grouped = q.reshape(b, kv, groups * t, d)  # heads of one key head side by side
    if fused:
        mask = own_mask(own_visible, groups) if mask is None else mask
        return _split_fused(grouped, prefix_k, prefix_v, own_k, own_v, mask, scale).reshape(b, h, t, d)
    # Own keys: per row, masked to what each query may see.
    scores = torch.matmul(grouped, own_k.transpose(2, 3)) * scale  # [B, kv, groups*t, L]
    hidden = ~own_visible[:, None, None, :, :]  # [B, 1, 1, T, L]
    scores = scores.view(b, kv, groups, t, -1).masked_fill(hidden, float("-inf")).view(b, kv, groups * t, -1)
    out_o, lse_o = _partial(scores, own_v)
    if prefix_k is None or prefix_k.shape[1] == 0:
        return out_o.view(b, h, t, d)
    # Prefix: one product per key head for all rows at once, so the prefix is read once per step.
    flat = grouped.transpose(0, 1).reshape(kv, b * groups * t, d)
    out_p, lse_p = _partial(torch.matmul(flat, prefix_k.transpose(1, 2)) * scale, prefix_v)
    out_p = out_p.view(kv, b, groups * t, d).transpose(0, 1)
    lse_p = lse_p.view(kv, b, groups * t, 1).transpose(0, 1)
    return merge(out_p, lse_p, out_o, lse_o).reshape(b, h, t, d)


def own_mask(own_visible: torch.Tensor, groups: int) -> torch.Tensor:
    """The additive mask [B, 1, groups*T, L] (0 or -inf) of the fused path's grouped queries."""
    b, t, width = own_visible.shape
    hidden = torch.zeros(own_visible.shape, device=own_visible.device).masked_fill_(~own_visible, float("-inf"))
    return hidden[:, None, None].expand(b, 1, groups, t, width).reshape(b, 1, groups * t, width)


def _split_fused(grouped: torch.Tensor, prefix_k, prefix_v, own_k, own_v, mask: torch.Tensor, scale: float) -> torch.Tensor:
    """`split_attention` on the fused kernel: the grouped query heads of one key head are one query
    block, so grouped-query attention needs no copies of the keys."""
    b, kv, gt, d = grouped.shape
    out_o, lse_o = kernels.flash(grouped, own_k, own_v, mask.to(grouped.dtype), scale)
    if prefix_k is None or prefix_k.shape[1] == 0:
        return out_o
    flat = grouped.transpose(0, 1).reshape(1, kv, b * gt, d)  # every row's queries: the prefix is read once
    out_p, lse_p = kernels.flash(flat, prefix_k[None], prefix_v[None], None, scale)
    out_p = out_p.view(kv, b, gt, d).transpose(0, 1)
    lse_p = lse_p.view(kv, b, gt).transpose(0, 1)
    return merge(out_p, lse_p[..., None], out_o, lse_o[..., None])


def plain_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, visible: torch.Tensor,
                    scale: float) -> torch.Tensor:
    """Reference: ordinary softmax attention, q [B, H, T, d], k/v [B, Hkv, S, d], visible [B, T, S]."""
    groups = q.shape[1] // k.shape[1]
    k, v = k.repeat_interleave(groups, dim=1), v.repeat_interleave(groups, dim=1)
    scores = (q @ k.transpose(2, 3)) * scale
    scores = scores.masked_fill(~visible[:, None], float("-inf"))
    return torch.softmax(scores, dim=-1) @ v
