"""Each clipping method applied to random gradient sets.

Where PyTorch has the method, the expected gradients come from it, in float32:
torch.nn.utils.clip_grad_value_ for symmetric value clipping and torch.nn.utils.clip_grad_norm_
for global-norm clipping with PyTorch's factor (ClipLab's "global-norm:MAX[,TYPE],torch").
The other methods come from their formulas, evaluated in float64 from the float32 gradients
and weights, with every threshold rounded to float32 first because ClipLab parses a spec's
numbers as float32:
- value:MIN,MAX          g = min(max(g, MIN), MAX)
- global-norm:MAX[,TYPE] g = g * MAX / max(||all g||, MAX), as tf.clip_by_global_norm
- norm:MAX[,TYPE]        g = g * MAX / max(||g||, MAX) per tensor, as tf.clip_by_norm
- agc:LAMBDA             per unit u (a row of the first dimension, or a whole 1-D tensor),
                         g_u = g_u * LAMBDA * max(||w_u||, eps) / ||g_u|| when ||g_u|| exceeds
                         LAMBDA * max(||w_u||, eps): the unit-wise rule of Brock et al. 2021,
                         as timm's utils/agc.py implements it
"""

import math

import numpy as np
import torch

from fixture_io import floats

# (name, shape) of a small network whose layer names match ClipLab's LeNet-5
PARAMETERS = [
    ("conv1.weight", (4, 2, 3, 3)), ("conv1.bias", (4,)),
    ("fc1.weight", (5, 8)), ("fc1.bias", (5,)),
    ("fc3.weight", (3, 5)), ("fc3.bias", (3,)),
]

NORM_TYPES = {"1": 1.0, "2": 2.0, "inf": math.inf}


def gradient_set(generator, name, gradient_scales, large_component=None, zero_bias=False):
    parameters = []
    for (parameter_name, shape), scale in zip(PARAMETERS, gradient_scales):
        value = torch.randn(shape, generator=generator) * 0.2
        if zero_bias and parameter_name.endswith(".bias"):
            # zero weights make AGC fall back to its floor eps
            value = torch.zeros(shape)
        grad = torch.randn(shape, generator=generator) * scale
        parameters.append({"name": parameter_name, "shape": list(shape), "value": value, "grad": grad})
    if large_component is not None:
        parameters[2]["grad"].view(-1)[7] = large_component
    return {"name": name, "parameters": parameters}


def norm(tensor, norm_type):
    return torch.linalg.vector_norm(tensor.reshape(-1), ord=NORM_TYPES[norm_type]).item()


def pytorch_value(grads, limit):
    tensors = [g.clone().requires_grad_(False) for g in grads]
    holders = [torch.zeros_like(g, requires_grad=True) for g in tensors]
    for holder, g in zip(holders, tensors):
        holder.grad = g
    torch.nn.utils.clip_grad_value_(holders, limit)
    return [holder.grad for holder in holders]


def pytorch_global_norm(grads, max_norm, norm_type):
    holders = [torch.zeros_like(g, requires_grad=True) for g in grads]
    for holder, g in zip(holders, grads):
        holder.grad = g.clone()
    torch.nn.utils.clip_grad_norm_(holders, max_norm, norm_type=NORM_TYPES[norm_type])
    return [holder.grad for holder in holders]


def as_float32(value):
    """Return `value` rounded to float32, as a Python float."""
    return float(np.float32(value))


def formula_value(grads, low, high):
    low, high = as_float32(low), as_float32(high)
    return [g.double().clamp(low, high) for g in grads]


def formula_global_norm(grads, max_norm, norm_type):
    max_norm = as_float32(max_norm)
    total = norm(torch.cat([g.double().reshape(-1) for g in grads]), norm_type)
    factor = max_norm / max(total, max_norm)
    return [g.double() * factor for g in grads]


def formula_norm(grads, max_norm, norm_type):
    max_norm = as_float32(max_norm)
    return [g.double() * (max_norm / max(norm(g.double(), norm_type), max_norm)) for g in grads]


def formula_agc(grads, values, names, clipping, excluded, eps):
    clipping, eps = as_float32(clipping), as_float32(eps)
    result = []
    for g, w, name in zip(grads, values, names):
        g, w = g.double(), w.double()
        if name.split(".")[0] in excluded or name in excluded:
            result.append(g)
            continue
        units_g = g.reshape(g.shape[0], -1) if g.dim() > 1 else g.reshape(1, -1)
        units_w = w.reshape(w.shape[0], -1) if w.dim() > 1 else w.reshape(1, -1)
        max_norm = clipping * units_w.norm(dim=1).clamp(min=eps)
        grad_norm = units_g.norm(dim=1)
        factor = torch.where(grad_norm > max_norm, max_norm / grad_norm, torch.ones_like(grad_norm))
        result.append((units_g * factor[:, None]).reshape(g.shape))
    return result


def results_for(gradient_set_):
    grads = [p["grad"] for p in gradient_set_["parameters"]]
    values = [p["value"] for p in gradient_set_["parameters"]]
    names = [p["name"] for p in gradient_set_["parameters"]]
    results = []

    def add(spec, reference, clipped):
        kind = "float32" if clipped[0].dtype == torch.float32 else "float64"
        encoded = [floats(g) if kind == "float32" else g.reshape(-1).tolist() for g in clipped]
        results.append({"spec": spec, "reference": reference, "precision": kind, "grads": encoded})

    for limit in (0.5, 0.001):
        add(f"value:{limit}", "torch.nn.utils.clip_grad_value_", pytorch_value(grads, limit))
    add("value:-0.2,0.3", "formula", formula_value(grads, -0.2, 0.3))
    for max_norm, norm_type in ((1.0, "2"), (5.0, "2"), (1.0, "1"), (0.5, "inf")):
        suffix = "" if norm_type == "2" else f",{norm_type}"
        add(f"global-norm:{max_norm:g}{suffix},torch", "torch.nn.utils.clip_grad_norm_", pytorch_global_norm(grads, max_norm, norm_type))
        add(f"global-norm:{max_norm:g}{suffix}", "formula", formula_global_norm(grads, max_norm, norm_type))
    for max_norm, norm_type in ((1.0, "2"), (0.3, "inf"), (2.0, "1")):
        suffix = "" if norm_type == "2" else f",{norm_type}"
        add(f"norm:{max_norm:g}{suffix}", "formula", formula_norm(grads, max_norm, norm_type))
    add("agc:0.01,exclude=fc3", "formula", formula_agc(grads, values, names, 0.01, {"fc3"}, 1e-3))
    add("agc:0.1,exclude=none", "formula", formula_agc(grads, values, names, 0.1, set(), 1e-3))
    add("agc:0.05,exclude=none,eps=0.01", "formula", formula_agc(grads, values, names, 0.05, set(), 0.01))
    return results


def build(seed=20240604):
    """Return the clipping fixture payload."""
    generator = torch.Generator().manual_seed(seed)
    sets = [
        gradient_set(generator, "mixed_scales", (1.0, 0.1, 0.01, 0.5, 3.0, 0.001)),
        gradient_set(generator, "small", (1e-4, 1e-5, 1e-4, 1e-6, 1e-4, 1e-5), zero_bias=True),
        gradient_set(generator, "one_large_component", (0.05, 0.05, 0.05, 0.05, 0.05, 0.05), large_component=1.0e3),
    ]
    encoded = []
    for gradient_set_ in sets:
        results = results_for(gradient_set_)
        parameters = [
            {"name": p["name"], "shape": p["shape"], "value": floats(p["value"]), "grad": floats(p["grad"])}
            for p in gradient_set_["parameters"]
        ]
        encoded.append({"name": gradient_set_["name"], "parameters": parameters, "results": results})
    return {"seed": seed, "sets": encoded}
