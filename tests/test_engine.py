"""The continuous-batching engine and its split attention, against transformers on a tiny random Llama."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from artifact.evaluate import engine as engine_module  # noqa: E402
from artifact.evaluate import scheduler as scheduler_module  # noqa: E402
from artifact.evaluate import kernels  # noqa: E402
from artifact.evaluate.attention import merge, plain_attention, split_attention  # noqa: E402
from artifact.evaluate.engine import SharedPrefixEngine, StopRule, supports  # noqa: E402
from artifact.evaluate.scheduler import generate  # noqa: E402

# Both code paths: the CPU kernels (packed oneDNN projections, fused attention) where this torch has
# them, and the plain tensor ops every other device and build uses.
PATHS = ["kernels", "plain"] if kernels.onednn_linear_works() and kernels.flash_works() else ["plain"]


@pytest.fixture(params=PATHS)
def path(request, monkeypatch):
    if request.param == "plain":
        monkeypatch.setattr(kernels, "onednn_linear_works", lambda: False)
        monkeypatch.setattr(kernels, "flash_works", lambda: False)
    return request.param

VOCAB, EOS = 300, 299
STOPPERS = 25  # tokens below this end an item (a stand-in for stop strings), so lengths vary a lot


@pytest.fixture(scope="module")
def llama():
    torch.manual_seed(0)
    config = transformers.LlamaConfig(vocab_size=VOCAB, hidden_size=48, intermediate_size=96, num_hidden_layers=2,
                                      num_attention_heads=6, num_key_value_heads=2, max_position_embeddings=512,
                                      eos_token_id=EOS, rope_theta=10000.0)
    return transformers.LlamaForCausalLM(config).eval()


def engine_for(model) -> SharedPrefixEngine:
    return SharedPrefixEngine(model, [EOS])


def stop_rule() -> StopRule:
    may_stop = torch.zeros(VOCAB, dtype=torch.bool)
    may_stop[:STOPPERS] = True
    return StopRule(may_stop, lambda tokens: tokens[-1] < STOPPERS)


def reference(model, prefix: list[int], suffix: list[int], cap: int) -> list[int]:
    """transformers' own greedy decoding of one item (batch 1), stopping on the same tokens."""
    ids = torch.tensor([prefix + suffix])
    out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=cap, do_sample=False,
                         eos_token_id=[EOS, *range(STOPPERS)], pad_token_id=EOS)
    return out[0, ids.shape[1]:].tolist()  # one row: nothing after its stop


def items(seed: int, n: int) -> list[list[int]]:
    g = torch.Generator().manual_seed(seed)
    lengths = [1, 37, 3, 60, 8, 2, 45, 5, 19, 4, 30][:n]
    return [torch.randint(STOPPERS, EOS, (k,), generator=g).tolist() for k in lengths]


@pytest.mark.parametrize("fused", [False, True] if kernels.flash_works() else [False])
def test_split_attention_equals_plain_attention_on_random_inputs(fused):
    g = torch.Generator().manual_seed(1)
    for b, t, p, own in ((3, 1, 17, 9), (1, 6, 40, 6), (4, 1, 0, 5), (2, 4, 1, 12), (5, 1, 700, 300)):
        heads, kv, d = 6, 2, 16
        q = torch.randn(b, heads, t, d, generator=g)
        pk, pv = torch.randn(kv, p, d, generator=g), torch.randn(kv, p, d, generator=g)
        ok, ov = torch.randn(b, kv, own, d, generator=g), torch.randn(b, kv, own, d, generator=g)
        starts = torch.randint(0, own - t + 1, (b,), generator=g)  # each row's own tokens before this call
        visible = torch.arange(own)[None, None, :] <= (starts[:, None] + torch.arange(t))[:, :, None]
        got = split_attention(q, pk if p else None, pv if p else None, ok, ov, visible, d ** -0.5, fused=fused)
        k = torch.cat([pk.expand(b, -1, -1, -1), ok], dim=2)
        v = torch.cat([pv.expand(b, -1, -1, -1), ov], dim=2)
        full_visible = torch.cat([torch.ones(b, t, p, dtype=torch.bool), visible], dim=2)
        want = plain_attention(q, k, v, full_visible, d ** -0.5)
        torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-6)


def test_merge_by_log_sum_exp_is_exact_for_two_halves():
    g = torch.Generator().manual_seed(2)
    scores, values = torch.randn(5, 12, generator=g) * 4, torch.randn(12, 3, generator=g)
    whole = torch.softmax(scores, -1) @ values
    a, b = scores[:, :7], scores[:, 7:]
    out_a = torch.softmax(a, -1) @ values[:7]
    out_b = torch.softmax(b, -1) @ values[7:]
    merged = merge(out_a, torch.logsumexp(a, -1, keepdim=True), out_b, torch.logsumexp(b, -1, keepdim=True))
    torch.testing.assert_close(merged, whole)


def test_engine_logits_equal_transformers_forward(llama, path):
    engine = engine_for(llama)
    prefix, [suffix] = items(3, 4)[3], items(4, 1)
    cache = engine.cache(1, len(suffix))
    with torch.inference_mode():
        got = engine_module.forward(engine.model, torch.tensor([suffix]), torch.tensor([0]), torch.tensor([len(suffix)]),
                                    len(prefix), cache, engine.prefix(prefix))
        want = llama(torch.tensor([prefix + suffix])).logits[:, -1]
    torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-5)


def test_every_batch_size_gives_transformers_greedy_output_with_slots_refilled(llama, path, monkeypatch):
    engine = engine_for(llama)
    prefix, suffixes, cap = items(5, 4)[3], items(6, 11), 24
    want = [reference(llama, prefix, s, cap) for s in suffixes]
    lengths = sorted(len(w) for w in want)
    assert lengths[0] <= 3 and lengths[-1] == cap  # items stop early and run to the cap: slots must refill
    shapes, calls = [], []
    make_cache, forward = engine.cache, engine_module.forward
    engine.cache = lambda slots, length: shapes.append((slots, length)) or make_cache(slots, length)
    monkeypatch.setattr(scheduler_module, "forward", lambda model, ids, slots, *a, **k:
                        calls.append((slots is None, *ids.shape)) or forward(model, ids, slots, *a, **k))
    engine.prefix(prefix)
    for slots in (1, 2, 3, 5, 11, 16):
        calls.clear()
        got = dict(generate(engine, prefix, suffixes, cap, slots, stop_rule()))
        assert [got[i] for i in range(len(suffixes))] == want, f"{slots} slots"
        rows = [b for decode, b, _ in calls if decode]
        prefills = [b for decode, b, _ in calls if not decode]
        # live rows are packed in front: decode steps shrink as the last items finish, never gather
        assert max(rows) <= min(slots, len(suffixes)) and (slots == 1 or min(rows) < max(rows))
        assert slots > 5 or max(rows) == slots  # while items wait, every slot decodes
        assert prefills[0] == min(slots, len(suffixes))  # the first items are prefilled together
    # a small prefill budget splits the first items into several calls (sorted by length), same output
    monkeypatch.setattr(scheduler_module, "PREFILL_TOKENS", 64)
    calls.clear()
    got = dict(generate(engine, prefix, suffixes, cap, 11, stop_rule()))
    assert [got[i] for i in range(len(suffixes))] == want
    first = [(b, t) for decode, b, t in calls if not decode][:4]
    assert len(first) > 1 and all(b * t <= 64 or b == 1 for b, t in first)
    assert len(engine._prefixes) == 1  # the prefix was computed once and kept
    # per-row caches hold only each row's own tokens (longest suffix + cap), never a copy of the prefix
    longest = max(map(len, suffixes)) + cap
    assert shapes[0] == (1, len(prefix)) and shapes[1:] == [(min(s, 11), longest) for s in (1, 2, 3, 5, 11, 16, 11)]


def test_the_static_step_a_cuda_graph_replays_gives_the_same_greedy_output(llama, path):
    """The GPU path decodes every slot over the whole cache width (static shapes, for a CUDA graph);
    run eagerly here, it must give transformers' output too, with slots refilled and rows moved."""
    engine = SharedPrefixEngine(llama, [EOS], graphs="eager")
    prefix, suffixes, cap = items(5, 4)[3], items(6, 11), 24
    want = [reference(llama, prefix, s, cap) for s in suffixes]
    for slots in (1, 3, 11):
        got = dict(generate(engine, prefix, suffixes, cap, slots, stop_rule()))
        assert [got[i] for i in range(len(suffixes))] == want, f"{slots} slots"


def test_every_engine_tensor_lives_on_the_model_device(llama):
    engine = engine_for(llama)
    assert engine.device == llama.lm_head.weight.device and engine.is_eos.device == engine.device
    keys, values = engine.cache(2, 5)
    assert keys.device == values.device == engine.device and keys.dtype == llama.lm_head.weight.dtype
    state = scheduler_module.Scheduler(engine, items(5, 4)[3], items(6, 3), 4, 2, stop_rule())
    assert {t.device for t in (state.lengths, state.produced, state.counts, state.may_stop)} == {engine.device}
    assert not engine.graphs  # CUDA graphs only where the model sits on a GPU


def test_items_finish_in_slot_order_not_input_order(llama):
    """With fewer slots than items, short items are written as soon as they finish."""
    engine = engine_for(llama)
    prefix, suffixes = items(5, 4)[3], items(6, 11)
    order = [position for position, _ in generate(engine, prefix, suffixes, 24, 3, stop_rule())]
    assert sorted(order) == list(range(len(suffixes))) and order != sorted(order)


def test_other_architectures_are_left_to_transformers_generate():
    torch.manual_seed(0)
    config = transformers.GPT2Config(n_layer=1, n_head=2, n_embd=16, vocab_size=50)
    assert not supports(transformers.GPT2LMHeadModel(config))


def test_packed_projection_equals_linear_and_joined_equals_separate(path):
    g = torch.Generator().manual_seed(3)
    a, b = torch.nn.Linear(16, 24, bias=False), torch.nn.Linear(16, 8, bias=True)
    x = torch.randn(5, 3, 16, generator=g)
    torch.testing.assert_close(kernels.Linear(a.weight)(x), a(x), rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(kernels.Linear.joined(a, b)(x), torch.cat([a(x), b(x)], dim=-1), rtol=1e-5, atol=1e-5)
    assert (kernels.Linear(a.weight).packed is not None) == (path == "kernels")


def test_plain_kernels_can_be_forced_from_the_environment(monkeypatch):
    monkeypatch.setenv("ARTIFACT_PLAIN_KERNELS", "1")
    kernels.onednn_linear_works.cache_clear()
    kernels.flash_works.cache_clear()
    try:
        assert not kernels.onednn_linear_works() and not kernels.flash_works()
    finally:
        monkeypatch.delenv("ARTIFACT_PLAIN_KERNELS")
        kernels.onednn_linear_works.cache_clear()
        kernels.flash_works.cache_clear()
