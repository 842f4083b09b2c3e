"""Softmax cross-entropy (torch.nn.functional.cross_entropy, mean over the batch) and its gradient."""

import torch
import torch.nn.functional as F

from fixture_io import float32_scalar, floats


def random_logits(generator, batch_size, classes, scale, offset=0.0):
    return torch.randn(batch_size, classes, generator=generator) * scale + offset


def uniform_logits(generator, batch_size, classes, magnitude):
    return (torch.rand(batch_size, classes, generator=generator) * 2.0 - 1.0) * magnitude


def loss_case(generator, name, logits, labels=None):
    batch_size, classes = logits.shape
    if labels is None:
        labels = torch.randint(0, classes, (batch_size,), generator=generator)
    logits = logits.to(torch.float32).detach().requires_grad_(True)

    loss = F.cross_entropy(logits, labels)
    loss.backward()
    loss64 = F.cross_entropy(logits.detach().double(), labels)

    return {
        "name": name, "batch_size": batch_size, "classes": classes,
        "logits": floats(logits), "labels": labels.tolist(),
        "loss": float32_scalar(loss.item()),
        "loss_float64": float(loss64),
        "logits_grad": floats(logits.grad),
    }


def build(seed=20240602):
    """Return the loss fixture payload."""
    generator = torch.Generator().manual_seed(seed)
    cases = [
        loss_case(generator, "random_batch4", random_logits(generator, 4, 10, 3.0)),
        loss_case(generator, "single_item", random_logits(generator, 1, 10, 3.0)),
        loss_case(generator, "two_classes", random_logits(generator, 5, 2, 2.0)),
    ]

    # logits of magnitude 1e4: exp overflows float32 unless the row maximum is subtracted first
    spread = uniform_logits(generator, 6, 10, 1.0e4)
    labels = torch.randint(0, 10, (6,), generator=generator)
    labels[:3] = spread[:3].argmax(dim=1)
    cases.append(loss_case(generator, "magnitude_1e4_spread", spread, labels))
    cases.append(loss_case(generator, "magnitude_1e4_close", random_logits(generator, 4, 10, 3.0, offset=1.0e4)))
    cases.append(loss_case(generator, "magnitude_minus_1e4_close", random_logits(generator, 3, 10, 3.0, offset=-1.0e4)))

    # the label's probability within float32 rounding of 1: the gradient is softmax - 1, a cancellation
    confident = random_logits(generator, 2, 10, 1.0)
    confident_labels = torch.tensor([3, 7])
    confident[0, 3] += 30.0
    confident[1, 7] += 20.0
    cases.append(loss_case(generator, "confident_correct", confident, confident_labels))
    return {"seed": seed, "cases": cases}
