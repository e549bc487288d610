"""The Llama model adapter: the parts of the forward pass that are Llama's own.

The engine's forward (`engine.forward`) is generic bookkeeping: which positions each row holds,
the cache writes, the split attention over the shared prefix and each row's own keys. What a
layer computes from its input (projections, rotary embedding, the MLP, the norms, the output head)
is the model's, and lives here, read from a transformers ``LlamaForCausalLM`` without copying its
arithmetic: its own embedding, norms, activation and rotary embedding, with the projections packed
once (`kernels.Linear`; q/k/v and gate/up each as one product). Another architecture is another
adapter with the same methods.
"""

from __future__ import annotations

import torch

from artifact.evaluate.kernels import Linear

SUPPORTED = ("llama",)  # SmolLM2 is a Llama; others fall back to transformers' generate


def supports(model) -> bool:
    config = model.config
    return (config.model_type in SUPPORTED and not getattr(config, "sliding_window", None)
            and getattr(config, "pretraining_tp", 1) == 1)


class LlamaAdapter:
    """Shapes, weights and per-layer arithmetic of a transformers LlamaForCausalLM (weights not copied,
    except the packed projections: about the model's size)."""

    def __init__(self, model):
        self.base = model.model
        config = model.config
        self.heads = config.num_attention_heads
        self.kv_heads = config.num_key_value_heads
        self.head_dim = getattr(config, "head_dim", None) or config.hidden_size // self.heads
        self.layers = len(self.base.layers)
        self.vocab = model.lm_head.out_features
        self.device = model.lm_head.weight.device
        self.dtype = model.lm_head.weight.dtype
        self.scaling = [layer.self_attn.scaling for layer in self.base.layers]
        layers = self.base.layers
        self.qkv = [Linear.joined(l.self_attn.q_proj, l.self_attn.k_proj, l.self_attn.v_proj) for l in layers]
        self.o = [Linear(l.self_attn.o_proj.weight, l.self_attn.o_proj.bias) for l in layers]
        self.gate_up = [Linear.joined(l.mlp.gate_proj, l.mlp.up_proj) for l in layers]
        self.down = [Linear(l.mlp.down_proj.weight, l.mlp.down_proj.bias) for l in layers]
        self.head = Linear(model.lm_head.weight, model.lm_head.bias)

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        return self.base.embed_tokens(ids)

    def rotary(self, x: torch.Tensor, positions: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """cos and sin [B, T, 1, d] at absolute ``positions`` [B, T], in the form `project` applies."""
        cos, sin = self.base.rotary_emb(x, positions)
        # transformers applies x cos + rotate_half(x) sin; rotate_half(x) sin == roll(x, d/2) times
        # sin with its first half negated, exactly, so q and k rotate in one go.
        half = self.head_dim // 2
        return cos[:, :, None], torch.cat([-sin[..., :half], sin[..., half:]], dim=-1)[:, :, None]

    def project(self, i: int, x: torch.Tensor, rot: tuple[torch.Tensor, torch.Tensor]):
        """Layer ``i``'s queries [B, H, T, d] (rotated), keys and values [B, Hkv, T, d] from its input x [B, T, D]."""
        b, t, _ = x.shape
        heads, kv, d = self.heads, self.kv_heads, self.head_dim
        layer = self.base.layers[i]
        qkv = self.qkv[i](layer.input_layernorm(x))
        qk = qkv[..., :(heads + kv) * d].view(b, t, heads + kv, d)
        qk = qk * rot[0] + qk.roll(d // 2, dims=-1) * rot[1]
        v = qkv[..., (heads + kv) * d:].reshape(b, t, kv, d).transpose(1, 2)
        return qk[:, :, :heads].transpose(1, 2), qk[:, :, heads:].transpose(1, 2), v

    def finish(self, i: int, x: torch.Tensor, attention: torch.Tensor) -> torch.Tensor:
        """The layer's output: attention [B, H, T, d] projected and added, then the MLP added."""
        b, t, _ = x.shape
        layer = self.base.layers[i]
        x = x + self.o[i](attention.transpose(1, 2).reshape(b, t, self.heads * self.head_dim))
        gate, up = self.gate_up[i](layer.post_attention_layernorm(x)).chunk(2, dim=-1)
        return x + self.down[i](layer.mlp.act_fn(gate) * up)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """Next-token logits [B, vocab] of hidden states [B, D]."""
        return self.head(self.base.norm(x))
