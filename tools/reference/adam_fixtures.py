"""Five Adam steps in PyTorch's epsilon placement (torch.optim.Adam) and in TensorFlow 1's.

TensorFlow 1's placement is computed here from its published formula, in float64 from the same
float32 gradients: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t), m and v updated as in Adam, and
theta -= lr_t * m / (sqrt(v) + epsilon), with m and v not bias-corrected.

Each step also gets error scales for the C# bounds, in float64: "update_scale" sums, over the
steps so far, lr_t * M / (sqrt(v) + epsilon) with M the first moment of |g| (so cancellation in m
cannot hide rounding), and "value_scale" sums |theta| over the steps so far.
"""

import math

import torch

from fixture_io import floats, scales

LEARNING_RATE = 0.01
BETA1 = 0.9
BETA2 = 0.999
EPSILON = 1e-8
STEPS = 5
SHAPES = [(3, 4), (5,)]


def gradient_set(generator, shape):
    """Gradients whose components span 1e-6 to 1 in magnitude, with some exact zeros, so epsilon's placement matters."""
    magnitude = torch.pow(10.0, -6.0 * torch.rand(shape, generator=generator))
    sign = torch.where(torch.rand(shape, generator=generator) < 0.5, -1.0, 1.0)
    g = magnitude * sign
    g.view(-1)[::7] = 0.0
    return g


def pytorch_steps(initial, gradients):
    """Return the parameter values after each of the steps of torch.optim.Adam, in float32."""
    parameters = [value.clone().requires_grad_(True) for value in initial]
    optimizer = torch.optim.Adam(parameters, lr=LEARNING_RATE, betas=(BETA1, BETA2), eps=EPSILON)
    values = []
    for step_gradients in gradients:
        for parameter, g in zip(parameters, step_gradients):
            parameter.grad = g.clone()
        optimizer.step()
        values.append([parameter.detach().clone() for parameter in parameters])
    return values


def tensorflow_steps(initial, gradients):
    """Return the parameter values after each step of TensorFlow 1's Adam formula, in float64."""
    theta = [value.double().clone() for value in initial]
    m = [torch.zeros_like(value) for value in theta]
    v = [torch.zeros_like(value) for value in theta]
    values = []
    for t, step_gradients in enumerate(gradients, start=1):
        lr_t = LEARNING_RATE * math.sqrt(1 - BETA2 ** t) / (1 - BETA1 ** t)
        for index, g in enumerate(step_gradients):
            g = g.double()
            m[index] = BETA1 * m[index] + (1 - BETA1) * g
            v[index] = BETA2 * v[index] + (1 - BETA2) * g * g
            theta[index] = theta[index] - lr_t * m[index] / (torch.sqrt(v[index]) + EPSILON)
        values.append([value.clone() for value in theta])
    return values


def trajectory(initial, gradients, values, placement):
    """Return per step the parameter values and the error scales described in the module docstring."""
    shapes = [value.shape for value in initial]
    update_scale = [torch.zeros(shape, dtype=torch.float64) for shape in shapes]
    value_scale = [value.double().abs() for value in initial]
    absolute_m = [torch.zeros(shape, dtype=torch.float64) for shape in shapes]
    v = [torch.zeros(shape, dtype=torch.float64) for shape in shapes]
    steps = []
    for t, step_gradients in enumerate(gradients, start=1):
        for index, g in enumerate(step_gradients):
            g = g.double()
            absolute_m[index] = BETA1 * absolute_m[index] + (1 - BETA1) * g.abs()
            v[index] = BETA2 * v[index] + (1 - BETA2) * g * g
            if placement == "tensorflow":
                rate = LEARNING_RATE * math.sqrt(1 - BETA2 ** t) / (1 - BETA1 ** t) / (torch.sqrt(v[index]) + EPSILON)
            else:
                rate = LEARNING_RATE / (1 - BETA1 ** t) / (torch.sqrt(v[index]) / math.sqrt(1 - BETA2 ** t) + EPSILON)
            update_scale[index] = update_scale[index] + rate * absolute_m[index]
            value_scale[index] = value_scale[index] + values[t - 1][index].double().abs()
        steps.append({
            # float32 results print in their shortest form, float64 ones in full
            "values": [floats(value) if value.dtype == torch.float32 else value.reshape(-1).tolist() for value in values[t - 1]],
            "update_scale": [scales(scale) for scale in update_scale],
            "value_scale": [scales(scale) for scale in value_scale],
        })
    return steps


def build(seed=20240603):
    """Return the Adam fixture payload."""
    generator = torch.Generator().manual_seed(seed)
    initial = [torch.randn(shape, generator=generator) * 0.5 for shape in SHAPES]
    gradients = [[gradient_set(generator, shape) for shape in SHAPES] for _ in range(STEPS)]
    pytorch = pytorch_steps(initial, gradients)
    tensorflow = tensorflow_steps(initial, gradients)

    return {
        "seed": seed,
        "learning_rate": LEARNING_RATE, "beta1": BETA1, "beta2": BETA2, "epsilon": EPSILON,
        "shapes": [list(shape) for shape in SHAPES],
        "initial": [floats(value) for value in initial],
        "gradients": [[floats(g) for g in step] for step in gradients],
        "pytorch": trajectory(initial, gradients, pytorch, "pytorch"),
        "tensorflow": trajectory(initial, gradients, tensorflow, "tensorflow"),
    }
