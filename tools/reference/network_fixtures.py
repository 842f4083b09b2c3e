"""LeNet-5 with fixed weights on a fixed batch of 8 MNIST images: logits, loss and every gradient.

Besides PyTorch's float32 result, the fixture records how far float32 rounding alone moves each
result. The generator evaluates the same network in float64, and in float32 under other
accumulation orders. These permute the hidden units and the batch items and permute the weights
to match, so the exact result stays the same and only the order of the float32 sums changes.
For each compared tensor, "order_spread" is the largest distance of any of those float32
results from the float64 one.
"""

import numpy as np
import torch
import torch.nn.functional as F

from fixture_io import float32_scalar, floats
import mnist

BATCH_SIZE = 8
KERNEL_SIZE = 5
# (name, shape) in the order ClipLab's LeNet5.Create lists its parameters
PARAMETER_SHAPES = [
    ("conv1.weight", (6, 1, KERNEL_SIZE, KERNEL_SIZE)), ("conv1.bias", (6,)),
    ("conv2.weight", (16, 6, KERNEL_SIZE, KERNEL_SIZE)), ("conv2.bias", (16,)),
    ("fc1.weight", (120, 400)), ("fc1.bias", (120,)),
    ("fc2.weight", (84, 120)), ("fc2.bias", (84,)),
    ("fc3.weight", (10, 84)), ("fc3.bias", (10,)),
]
ORDER_COUNT = 16
# a ReLU input or a max-pool runner-up this close to its decision would let float32 rounding
# flip the decision, so the weight seed is chosen to keep every decision further away
DECISION_MARGIN = 1e-5


def initial_parameters(seed):
    """Truncated-normal weights (std 0.1, cut at 2 std) and normal biases (std 0.1), rounded to 4 decimals."""
    torch.manual_seed(seed)
    parameters = {}
    for name, shape in PARAMETER_SHAPES:
        value = torch.empty(shape)
        if name.endswith(".weight"):
            torch.nn.init.trunc_normal_(value, std=0.1, a=-0.2, b=0.2)
        else:
            torch.nn.init.normal_(value, std=0.1)
        # four decimals keep the file small, and the values are exact float32 numbers either way
        parameters[name] = torch.round(value * 1e4) / 1e4
    return parameters


def forward(p, x, record=None):
    """LeNet-5 as ClipLab builds it; `record` collects ReLU inputs and max-pool inputs for the margin check."""
    def relu(z):
        if record is not None:
            record["relu"].append(z.detach())
        return F.relu(z)

    def pool(a):
        if record is not None:
            record["pool"].append(a.detach())
        return F.max_pool2d(a, 2, 2)

    a = pool(relu(F.conv2d(x, p["conv1.weight"], p["conv1.bias"])))
    a = pool(relu(F.conv2d(a, p["conv2.weight"], p["conv2.bias"])))
    a = torch.flatten(a, start_dim=1)
    a = relu(F.linear(a, p["fc1.weight"], p["fc1.bias"]))
    a = relu(F.linear(a, p["fc2.weight"], p["fc2.bias"]))
    return F.linear(a, p["fc3.weight"], p["fc3.bias"])


def decision_margins(parameters, x):
    """Return the smallest |ReLU input| and the smallest non-zero gap between a window's maximum and runner-up, in float64."""
    record = {"relu": [], "pool": []}
    forward({name: value.double() for name, value in parameters.items()}, x.double(), record)
    relu_margin = min(z.abs().min().item() for z in record["relu"])
    gaps = []
    exact_ties = 0
    for a in record["pool"]:
        windows = F.unfold(a.reshape(-1, 1, a.shape[2], a.shape[3]), 2, stride=2)
        top2 = windows.topk(2, dim=1).values
        gap = top2[:, 0] - top2[:, 1]
        exact_ties += int((gap == 0).sum())
        gaps.append(gap[gap > 0].min().item())
    return relu_margin, min(gaps), exact_ties


def gradients(parameters, x, labels, dtype, permutation=None):
    """Return (logits, loss, {name: gradient}) for the network evaluated in `dtype`.

    With a permutation, hidden units and batch items are reordered and the weights are indexed to
    match, so the function is the same and only the order of the sums changes. Gradients flow back
    through the indexing to the original parameters, whose layout the result keeps.
    """
    leaves = {name: value.to(dtype).clone().requires_grad_(True) for name, value in parameters.items()}
    p = dict(leaves)
    x = x.to(dtype)
    if permutation is not None:
        conv1_order, conv2_order, fc1_order, fc2_order, batch_order = permutation
        p["conv1.weight"], p["conv1.bias"] = p["conv1.weight"][conv1_order], p["conv1.bias"][conv1_order]
        p["conv2.weight"] = p["conv2.weight"][:, conv1_order][conv2_order]
        p["conv2.bias"] = p["conv2.bias"][conv2_order]
        features = (conv2_order[:, None] * 25 + torch.arange(25)[None, :]).reshape(-1)
        p["fc1.weight"] = p["fc1.weight"][:, features][fc1_order]
        p["fc1.bias"] = p["fc1.bias"][fc1_order]
        p["fc2.weight"] = p["fc2.weight"][:, fc1_order][fc2_order]
        p["fc2.bias"] = p["fc2.bias"][fc2_order]
        p["fc3.weight"] = p["fc3.weight"][:, fc2_order]
        x, labels = x[batch_order], labels[batch_order]

    logits = forward(p, x)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    if permutation is not None:
        logits = logits[torch.argsort(batch_order)]
    return logits.detach(), loss.detach(), {name: leaf.grad for name, leaf in leaves.items()}


def order_spreads(parameters, x, labels, reference_seed):
    """Return, per compared tensor, the largest |float32 result - float64 result| over several accumulation orders."""
    logits64, loss64, grads64 = gradients(parameters, x, labels, torch.float64)
    generator = torch.Generator().manual_seed(reference_seed)
    runs = [gradients(parameters, x, labels, torch.float32)]
    for _ in range(ORDER_COUNT):
        permutation = tuple(torch.randperm(size, generator=generator) for size in (6, 16, 120, 84, BATCH_SIZE))
        runs.append(gradients(parameters, x, labels, torch.float32, permutation))

    spreads = {"logits": 0.0, "loss": 0.0, **{name: 0.0 for name, _ in PARAMETER_SHAPES}}
    for logits, loss, grads in runs:
        spreads["logits"] = max(spreads["logits"], (logits.double() - logits64).abs().max().item())
        spreads["loss"] = max(spreads["loss"], abs(loss.item() - loss64.item()))
        for name, _ in PARAMETER_SHAPES:
            spreads[name] = max(spreads[name], (grads[name].double() - grads64[name]).abs().max().item())
    return spreads, loss64.item()


def build(data_directory, first_weight_seed=1):
    """Return the network fixture payload."""
    (train_images, train_labels), _, _ = mnist.load(data_directory)
    x = torch.from_numpy(np.ascontiguousarray(train_images[:BATCH_SIZE]))
    labels = torch.from_numpy(np.ascontiguousarray(train_labels[:BATCH_SIZE]))

    # the first weight seed whose ReLU and max-pool decisions are all clear of float32 rounding
    for weight_seed in range(first_weight_seed, first_weight_seed + 100):
        parameters = initial_parameters(weight_seed)
        relu_margin, pool_gap, exact_ties = decision_margins(parameters, x)
        if relu_margin > DECISION_MARGIN and pool_gap > DECISION_MARGIN:
            break
    else:
        raise RuntimeError(f"no weight seed in 100 tries keeps every decision {DECISION_MARGIN} away")

    logits, loss, grads = gradients(parameters, x, labels, torch.float32)
    spreads, loss64 = order_spreads(parameters, x, labels, reference_seed=weight_seed)
    return {
        "weight_seed": weight_seed,
        "batch": "the first 8 images of the training split (training file indices 5000-5007)",
        "input": floats(x), "labels": labels.tolist(),
        "parameters": [{"name": name, "shape": list(shape), "value": floats(parameters[name])} for name, shape in PARAMETER_SHAPES],
        "logits": floats(logits), "loss": float32_scalar(loss.item()), "loss_float64": loss64,
        "gradients": [{"name": name, "value": floats(grads[name])} for name, _ in PARAMETER_SHAPES],
        "order_count": ORDER_COUNT + 1,
        "order_spread": spreads,
        "relu_margin": relu_margin, "pool_gap": pool_gap, "pool_exact_ties": exact_ties,
    }
