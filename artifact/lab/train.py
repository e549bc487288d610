"""Train one small decoder from scratch on the addition task and score it (torch imported lazily)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from artifact.lab.config import SweepConfig
from artifact.lab.score import edit_distance, exact_match
from artifact.lab.task import EOS, PAD, VOCAB, Problem, decode, encode, final_answer


@dataclass(frozen=True)
class ModelResult:
    width: int
    seed: int
    parameters: int
    steps: int
    tokens: int
    train_seconds: float
    predictions: list[dict]
    digits: int | None = None  # operand digits of the model's task (None only in hand-made results)
    form: str | None = None  # target format of the cot task (None: the classic task)
    heldout_loss: float | None = None  # see heldout_loss (None: no unscored held-out problem was left)

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.train_seconds if self.train_seconds else 0.0


def problem_tokens(p: Problem) -> int:
    """Tokens one training problem costs: prompt, target (scratchpad steps, if any, and answer) and the end mark."""
    return len(p.prompt) + len(p.target) + 1


def budget_steps(config: SweepConfig, p: Problem) -> int:
    """Optimiser steps: the token budget over the tokens of a batch of the task's shortest form (the classic
    or the direct one), so both formats of the cot task take the same steps on the same problems and the
    scratchpad sees more tokens (its own count is reported)."""
    short = Problem(p.a, p.b, p.digits, None if p.form is None else "direct")
    return max(1, config.tokens // (config.batch_size * problem_tokens(short)))


def _batch(problems: list[Problem], answer_only: bool = False):
    """Input ids, labels and attention mask, right-padded. Labels are -100 outside the target and end mark
    (what training predicts), or with ``answer_only`` outside the final answer and end mark (what is scored)."""
    import torch

    seqs = [encode(p.prompt + p.target) + [EOS] for p in problems]
    width = max(map(len, seqs))
    ids = torch.full((len(seqs), width), PAD)
    labels = torch.full((len(seqs), width), -100)
    for i, (p, s) in enumerate(zip(problems, seqs)):
        ids[i, : len(s)] = torch.tensor(s)
        first = len(p.prompt) + (len(p.steps) if answer_only else 0)
        labels[i, first: len(s)] = torch.tensor(s[first:])
    return ids, labels, (ids != PAD).long()


def positions(config: SweepConfig) -> int:
    """Position embeddings: the classic task's 4d + 4 (as shipped); the cot task's longest sequence (the
    scratchpad's 5d + 5), the same in both formats so both train the very same architecture."""
    return 4 * config.digits + 4 if config.formats is None else 5 * config.digits + 5


def build_model(config: SweepConfig, width: int, seed: int, device: str = "cpu"):
    """A GPT-2-style decoder (learned absolute positions) from a transformers config, initialised from ``seed``.

    Learned positions suit a task whose every problem has the same layout; with rotary positions
    (a Llama config) the same budget left most models stuck predicting only the easy digits."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel
    from transformers.utils import logging

    logging.set_verbosity_error()  # a harmless note about loss_type on every model
    torch.manual_seed(seed)
    cfg = GPT2Config(vocab_size=len(VOCAB), n_embd=width, n_layer=config.layers, n_head=config.heads,
                     n_inner=4 * width, n_positions=positions(config), resid_pdrop=0.0, embd_pdrop=0.0,
                     attn_pdrop=0.0, bos_token_id=EOS, eos_token_id=EOS, pad_token_id=PAD, tie_word_embeddings=True)
    if device != "cpu":
        cfg._attn_implementation = "eager"  # fused GPU attention kernels have no deterministic backward
    return GPT2LMHeadModel(cfg)


def learning_rate(config: SweepConfig, step: int, steps: int) -> float:
    warm = min(1.0, (step + 1) / config.warmup_steps) if config.warmup_steps else 1.0
    return config.learning_rate * warm * 0.5 * (1 + math.cos(math.pi * step / steps))


def train_and_score(config: SweepConfig, width: int, seed: int, train: list[Problem],
                    heldout: list[Problem], device: str = "cpu", unscored: list[Problem] = ()) -> ModelResult:
    import torch

    model = build_model(config, width, seed, device).to(device)
    parameters = sum(p.numel() for p in model.parameters())
    optimiser = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, weight_decay=0.01)
    generator = torch.Generator().manual_seed(seed)
    # Every problem has the same length, so the budget rule is exact for every size.
    steps = budget_steps(config, train[0])
    model.train()
    start = time.perf_counter()
    for step in range(steps):
        for group in optimiser.param_groups:
            group["lr"] = learning_rate(config, step, steps)
        order = torch.randint(len(train), (config.batch_size,), generator=generator).tolist()
        ids, labels, mask = (t.to(device) for t in _batch([train[i] for i in order]))
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
    if device != "cpu":
        torch.cuda.synchronize()  # time the work, not its queueing
    seconds = time.perf_counter() - start
    model.eval()
    tokens = steps * config.batch_size * problem_tokens(train[0])
    return ModelResult(width, seed, parameters, steps, tokens, seconds, score(model, heldout, device), config.digits,
                       train[0].form, heldout_loss(model, list(unscored), device))


def heldout_loss(model, problems: list[Problem], device: str = "cpu") -> float | None:
    """Mean cross-entropy per token (nats) of the training objective on held-out problems that no metric
    scores: every token training predicts (target and end mark; the question is given, never predicted,
    as in training). The loss Du et al. relate abilities to, apart from the answers that are scored."""
    import torch

    if not problems:
        return None
    with torch.inference_mode():
        total, count = 0.0, 0
        for start in range(0, len(problems), 250):  # bounded memory for long scratchpads
            ids, labels, mask = _batch(problems[start:start + 250])
            logits = model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits[:, :-1].float().cpu()
            targets = labels[:, 1:]
            where = targets != -100
            logp = torch.log_softmax(logits[where], dim=-1)
            total -= float(logp.gather(-1, targets[where][:, None]).sum())
            count += int(where.sum())
    return round(total / count, 6)


def score(model, heldout: list[Problem], device: str = "cpu") -> list[dict]:
    """Per item: greedy answer, exact match, teacher-forced token correctness and answer log-likelihood."""
    import torch

    out = []
    with torch.inference_mode():
        ids, labels, mask = _batch(heldout, answer_only=True)
        logits = model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits[:, :-1].float().cpu()
        targets = labels[:, 1:]
        logp = torch.log_softmax(logits, dim=-1)
        greedy = greedy_answers(model, heldout, device)
        for i, p in enumerate(heldout):
            where = targets[i] != -100
            tgt = targets[i][where]
            correct = [int(c) for c in (logits[i][where].argmax(-1) == tgt).tolist()]
            ll = float(logp[i][where].gather(-1, tgt[:, None]).sum())
            out.append({"prompt": p.prompt, "answer": p.answer, "prediction": greedy[i],
                        "exact": exact_match(greedy[i], p.answer), "token_correct": correct,
                        "log_likelihood": round(ll, 6), "edit_distance": edit_distance(greedy[i], p.answer)})
    return out


def greedy_answers(model, problems: list[Problem], device: str = "cpu") -> list[str]:
    """The final answer of the greedy continuation of every prompt, generated until the end mark (at most
    target length + 1 tokens; with a scratchpad, the answer is what follows the steps).

    All prompts of a task have the same length, so the batch needs no padding."""
    import torch

    ids = torch.tensor([encode(p.prompt) for p in problems], device=device)
    max_new = max(len(p.target) for p in problems) + 1
    new = torch.empty((len(problems), 0), dtype=torch.long, device=device)
    for _ in range(max_new):
        nxt = model(input_ids=torch.cat([ids, new], dim=1)).logits[:, -1].argmax(-1, keepdim=True)
        new = torch.cat([new, nxt], dim=1)
    answers = []
    for row in new.cpu().tolist():
        cut = row.index(EOS) if EOS in row else len(row)
        text = decode(row[:cut])
        answers.append(final_answer(text) if problems[0].form == "scratchpad" else text)
    return answers
