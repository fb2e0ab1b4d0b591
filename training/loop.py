"""The one training loop every trainer shares: AdamW, linear warm-up and decay, gradient clipping at 1.0.

A trainer says only what is its own: the batches of each epoch and the loss of one batch. The stance model
(``training.stance``), the retrieval fine-tune (``training.retriever``) and the evidence reranker
(``training.reranker``) all train through ``fit``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any


class Budget:
    """Stops training at a wall-clock limit or a step count, so a run with a time limit always ends with a
    model. The log records the steps actually taken; a step limit replays them exactly."""

    def __init__(self, seconds: float | None, max_steps: int | None):
        self.deadline = time.time() + seconds if seconds else None
        self.max_steps = max_steps
        self.steps = 0
        self.stopped_early = False

    def spent(self) -> bool:
        if self.max_steps is not None and self.steps >= self.max_steps:
            self.stopped_early = True
        if self.deadline is not None and time.time() > self.deadline:
            self.stopped_early = True
        return self.stopped_early


def fit(model, epoch_batches: Callable[[int], Iterable], loss_of: Callable[[Any], Any], *, epochs: int, lr: float,
        total_steps: int, warmup: float, after_epoch: Callable[[int, float], bool | None] | None = None,
        budget: Budget | None = None, parameters=None, log_every: int = 0) -> None:
    """Train ``model`` for ``epochs``: ``epoch_batches(epoch)`` gives that epoch's batches (epochs count from 1),
    ``loss_of(batch)`` the loss to minimise. ``after_epoch(epoch, mean loss)`` may return True to stop early.
    ``warmup`` is the share of ``total_steps`` spent warming the rate up; ``parameters`` default to all."""
    import torch
    from transformers import get_linear_schedule_with_warmup

    if budget is not None and budget.max_steps is not None:
        total_steps = min(total_steps, budget.max_steps)
    optimizer = torch.optim.AdamW(model.parameters() if parameters is None else parameters, lr=lr, weight_decay=0.01)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(warmup * total_steps), total_steps)
    started, seen = time.time(), 0
    for epoch in range(1, epochs + 1):
        total, count = 0.0, 0
        for step, batch in enumerate(epoch_batches(epoch), 1):
            if budget is not None and budget.spent():
                print(f"  stopped by budget after {budget.steps} steps", flush=True)
                return
            loss = loss_of(batch)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            total += loss.item()
            count += 1
            seen += len(batch)
            if budget is not None:
                budget.steps += 1
            if log_every and step % log_every == 0:
                print(f"  step {step} loss {loss.item():.3f} {seen / (time.time() - started):.0f} items/s", flush=True)
        if after_epoch is not None and after_epoch(epoch, total / max(count, 1)):
            return
