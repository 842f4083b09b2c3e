"""The reference experiment in PyTorch, for many seeds and both variants.

LeNet-5 (as in network_fixtures.forward) on MNIST split as TensorFlow's classic reader splits
it, truncated-normal weights and zero biases. The weights have std 0.1 and are cut at 2 std.
torch.nn.init.trunc_normal_ samples that distribution directly, where TensorFlow and ClipLab
redraw values beyond the cut. Training uses Adam at learning rate 0.01 in TensorFlow 1's
epsilon placement, batch size 8 and 1000 iterations. A validation batch of 100 follows the
update of every iteration i with i % 10 == 0, and the whole test set is measured at the end. The clipped variant clamps every gradient component into [-0.001, 0.001] before Adam.
Both variants of a seed start from the same weights and see the same batches.
"""

import copy
import math
import multiprocessing
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

import mnist
from network_fixtures import PARAMETER_SHAPES, forward

STEPS = 1000
BATCH_SIZE = 8
LEARNING_RATE = 0.01
BETA1 = 0.9
BETA2 = 0.999
EPSILON = 1e-8
EVAL_EVERY = 10
EVAL_BATCH_SIZE = 100
CLIP_LIMIT = 0.001
LAST_POINTS = 10
TEST_CHUNK = 1000
VARIANTS = ("unclipped", "clipped")

# set in the parent before the worker processes fork, so they share the arrays
_DATA = None


class NextBatchSampler:
    """TensorFlow's classic next_batch: a shuffled order per epoch, a short remainder topped up from a fresh permutation."""

    def __init__(self, count, rng):
        self._rng = rng
        self._order = rng.permutation(count)
        self._position = 0

    def next_indices(self, batch_size):
        indices = []
        while len(indices) < batch_size:
            if self._position == len(self._order):
                self._order = self._rng.permutation(len(self._order))
                self._position = 0
            take = min(batch_size - len(indices), len(self._order) - self._position)
            indices.extend(self._order[self._position:self._position + take])
            self._position += take
        return np.asarray(indices)


class TensorFlowAdam:
    """Adam with TensorFlow 1's epsilon placement: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t), theta -= lr_t * m / (sqrt(v) + eps)."""

    def __init__(self, parameters):
        self._parameters = list(parameters)
        self._m = [torch.zeros_like(p) for p in self._parameters]
        self._v = [torch.zeros_like(p) for p in self._parameters]
        self._step = 0

    @torch.no_grad()
    def step(self):
        self._step += 1
        rate = LEARNING_RATE * math.sqrt(1 - BETA2 ** self._step) / (1 - BETA1 ** self._step)
        for parameter, m, v in zip(self._parameters, self._m, self._v):
            g = parameter.grad
            m.mul_(BETA1).add_(g, alpha=1 - BETA1)
            v.mul_(BETA2).addcmul_(g, g, value=1 - BETA2)
            parameter.addcdiv_(m, v.sqrt().add_(EPSILON), value=-rate)


def initial_parameters(seed):
    torch.manual_seed(seed)
    parameters = {}
    for name, shape in PARAMETER_SHAPES:
        value = torch.zeros(shape)
        if name.endswith(".weight"):
            torch.nn.init.trunc_normal_(value, std=0.1, a=-0.2, b=0.2)
        parameters[name] = value.requires_grad_(True)
    return parameters


def evaluate(parameters, images, labels):
    loss_sum = 0.0
    correct = 0
    with torch.no_grad():
        for start in range(0, len(labels), TEST_CHUNK):
            x = torch.from_numpy(images[start:start + TEST_CHUNK])
            y = torch.from_numpy(labels[start:start + TEST_CHUNK])
            logits = forward(parameters, x)
            loss_sum += F.cross_entropy(logits, y, reduction="sum").item()
            correct += int((logits.argmax(dim=1) == y).sum())
    return loss_sum / len(labels), correct / len(labels)


def run_variant(seed, variant, initial):
    (train_images, train_labels), (validation_images, validation_labels), (test_images, test_labels) = _DATA
    parameters = copy.deepcopy(initial)
    optimizer = TensorFlowAdam(parameters.values())
    train_sampler = NextBatchSampler(len(train_labels), np.random.default_rng([seed, 1]))
    validation_sampler = NextBatchSampler(len(validation_labels), np.random.default_rng([seed, 2]))
    validation_losses, validation_accuracies = [], []

    for iteration in range(STEPS):
        # forward and backward on a training batch
        indices = train_sampler.next_indices(BATCH_SIZE)
        for parameter in parameters.values():
            parameter.grad = None
        loss = F.cross_entropy(forward(parameters, torch.from_numpy(train_images[indices])), torch.from_numpy(train_labels[indices]))
        if not math.isfinite(loss.item()):
            return {"seed": seed, "failure": f"non-finite training loss at iteration {iteration}"}
        loss.backward()

        # clip, then update
        if variant == "clipped":
            for parameter in parameters.values():
                parameter.grad.clamp_(-CLIP_LIMIT, CLIP_LIMIT)
        optimizer.step()

        # validation batch after every tenth update
        if iteration % EVAL_EVERY == 0:
            indices = validation_sampler.next_indices(EVAL_BATCH_SIZE)
            with torch.no_grad():
                logits = forward(parameters, torch.from_numpy(validation_images[indices]))
                y = torch.from_numpy(validation_labels[indices])
                validation_losses.append(F.cross_entropy(logits, y).item())
                validation_accuracies.append((logits.argmax(dim=1) == y).float().mean().item())

    test_loss, test_accuracy = evaluate(parameters, test_images, test_labels)
    return {
        "seed": seed,
        "test_accuracy": test_accuracy,
        "test_loss": test_loss,
        "last10_validation_loss": float(np.mean(validation_losses[-LAST_POINTS:])),
        "last10_validation_accuracy": float(np.mean(validation_accuracies[-LAST_POINTS:])),
    }


def run_seed(seed):
    torch.set_num_threads(1)
    started = time.perf_counter()
    initial = initial_parameters(seed)
    results = {variant: run_variant(seed, variant, initial) for variant in VARIANTS}
    accuracies = [f"{variant} accuracy {results[variant].get('test_accuracy', float('nan')):.4f}" for variant in VARIANTS]
    print(f"seed {seed}: {time.perf_counter() - started:.1f} s, {', '.join(accuracies)}", file=sys.stderr)
    return results


def build(data_directory, seed_count, jobs):
    """Return the experiment fixture payload for seeds 1..seed_count, run in `jobs` processes."""
    global _DATA
    _DATA = mnist.load(data_directory)
    seeds = list(range(1, seed_count + 1))
    with multiprocessing.get_context("fork").Pool(processes=jobs) as pool:
        per_seed = pool.map(run_seed, seeds, chunksize=1)

    variants = {variant: [results[variant] for results in per_seed] for variant in VARIANTS}
    medians = {}
    for variant, runs in variants.items():
        completed = [run for run in runs if "failure" not in run]
        medians[variant] = {
            "test_accuracy": float(np.median([run["test_accuracy"] for run in completed])),
            "last10_validation_loss": float(np.median([run["last10_validation_loss"] for run in completed])),
        }
    return {
        "settings": {
            "steps": STEPS, "batch_size": BATCH_SIZE, "learning_rate": LEARNING_RATE, "beta1": BETA1, "beta2": BETA2,
            "epsilon": EPSILON, "epsilon_placement": "tensorflow", "eval_every": EVAL_EVERY,
            "eval_batch_size": EVAL_BATCH_SIZE, "clip_limit": CLIP_LIMIT, "last_points": LAST_POINTS,
            "torch_threads_per_run": 1,
        },
        "seeds": seeds,
        "variants": variants,
        "medians": medians,
    }
