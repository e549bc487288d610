"""Train one small decoder from scratch on the addition task and score it (torch imported lazily)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from artifact.lab.config import SweepConfig
from artifact.lab.score import edit_distance, exact_match, token_accuracy
from artifact.lab.task import EOS, PAD, VOCAB, Problem, decode, encode


@dataclass(frozen=True)
class ModelResult:
    width: int
    seed: int
    parameters: int
    exact_match: float
    token_accuracy: float
    log_likelihood: float  # mean over items of the summed log-probability of the answer and end mark
    edit_distance: float  # mean token edit distance between greedy output and answer
    train_seconds: float
    tokens_per_second: float
    predictions: list[dict]


def _batch(problems: list[Problem]):
    import torch

    seqs = [encode(p.prompt + p.answer) + [EOS] for p in problems]
    width = max(map(len, seqs))
    ids = torch.full((len(seqs), width), PAD)
    labels = torch.full((len(seqs), width), -100)
    for i, (p, s) in enumerate(zip(problems, seqs)):
        ids[i, : len(s)] = torch.tensor(s)
        start = len(p.prompt)
        labels[i, start : len(s)] = torch.tensor(s[start:])
    return ids, labels, (ids != PAD).long()


def build_model(config: SweepConfig, width: int, seed: int, max_len: int):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    cfg = LlamaConfig(vocab_size=len(VOCAB), hidden_size=width, intermediate_size=4 * width,
                      num_hidden_layers=config.layers, num_attention_heads=config.heads,
                      num_key_value_heads=config.heads, max_position_embeddings=max_len, pad_token_id=PAD,
                      eos_token_id=EOS, bos_token_id=EOS, tie_word_embeddings=True)
    return LlamaForCausalLM(cfg)


def train_and_score(config: SweepConfig, width: int, seed: int, train: list[Problem],
                    heldout: list[Problem]) -> ModelResult:
    import torch

    max_len = 4 * config.digits + 4
    model = build_model(config, width, seed, max_len)
    params = sum(p.numel() for p in model.parameters())
    optimiser = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, weight_decay=0.01)
    generator = torch.Generator().manual_seed(seed)
    seq_tokens = len(train[0].prompt) + len(train[0].answer) + 1
    steps = max(1, config.tokens // (config.batch_size * seq_tokens))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, (s + 1) / 50) * 0.5 *
                                                 (1 + math.cos(math.pi * min(s, steps) / steps)))
    model.train()
    start, seen = time.perf_counter(), 0
    for _ in range(steps):
        order = torch.randint(len(train), (config.batch_size,), generator=generator).tolist()
        ids, labels, mask = _batch([train[i] for i in order])
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        seen += int(mask.sum())
    seconds = time.perf_counter() - start
    model.eval()
    predictions = score(model, heldout, config.digits)
    n = len(predictions)
    return ModelResult(
        width, seed, params,
        exact_match=sum(p["exact"] for p in predictions) / n,
        token_accuracy=sum(p["token_accuracy"] for p in predictions) / n,
        log_likelihood=sum(p["log_likelihood"] for p in predictions) / n,
        edit_distance=sum(p["edit_distance"] for p in predictions) / n,
        train_seconds=seconds, tokens_per_second=seen / seconds, predictions=predictions)


def score(model, heldout: list[Problem], digits: int) -> list[dict]:
    """Per item: greedy answer, exact match, teacher-forced token correctness and log-likelihood."""
    import torch

    out = []
    with torch.inference_mode():
        ids, labels, mask = _batch(heldout)
        logits = model(input_ids=ids, attention_mask=mask).logits[:, :-1]
        targets = labels[:, 1:]
        logp = torch.log_softmax(logits.float(), dim=-1)
        greedy = greedy_answers(model, heldout, digits + 2)
        for i, p in enumerate(heldout):
            where = targets[i] != -100
            tgt = targets[i][where]
            correct = (logits[i][where].argmax(-1) == tgt).tolist()
            ll = float(logp[i][where].gather(-1, tgt[:, None]).sum())
            pred = greedy[i]
            out.append({"prompt": p.prompt, "answer": p.answer, "prediction": pred,
                        "exact": exact_match(pred, p.answer), "token_accuracy": token_accuracy(correct),
                        "log_likelihood": round(ll, 6), "edit_distance": edit_distance(pred, p.answer)})
    return out


def greedy_answers(model, problems: list[Problem], max_new: int) -> list[str]:
    """Greedy continuation of each prompt up to the end mark (prompts of one task share a length or not)."""
    import torch

    answers = []
    for p in problems:
        ids = torch.tensor([encode(p.prompt)])
        new: list[int] = []
        for _ in range(max_new):
            nxt = int(model(input_ids=ids).logits[0, -1].argmax())
            if nxt == EOS:
                break
            new.append(nxt)
            ids = torch.cat([ids, torch.tensor([[nxt]])], dim=1)
        answers.append(decode(new))
    return answers
