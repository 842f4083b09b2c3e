"""Forward outputs and gradients of single layers, computed by PyTorch in float32.

Every case stores its random input, parameters and output gradient (the upstream gradient, a
random projection of the output), PyTorch's float32 output and gradients, and error scales.
An error scale is the sum of the absolute values of the terms that make up each element,
computed in float64 by the same operation on absolute values (for example conv2d(|x|, |W|) + |b|).
The C# tests turn a scale into a bound on float32 rounding by multiplying it by gamma(K).
"""

import torch
import torch.nn.functional as F

from fixture_io import floats, scales

UNIT_ROUNDOFF = 2.0 ** -24


def gamma(terms):
    """Worst-case relative error factor of a float32 sum of `terms` products, in any order."""
    return terms * UNIT_ROUNDOFF / (1 - terms * UNIT_ROUNDOFF)


def bound_ratio(what, value32, value64, scale, terms):
    """Return max |float32 - float64| / (gamma(terms) * scale), and fail when PyTorch itself breaks the bound.

    The C# tests allow twice gamma(terms) * scale between ClipLab and PyTorch, one gamma for each
    side. This check shows that PyTorch's side stays within its share.
    """
    error = (value32.detach().double() - value64.detach().double()).abs()
    bound = gamma(terms) * scale
    if bool(((bound == 0) & (error > 0)).any()):
        raise AssertionError(f"{what}: PyTorch's float32 result differs from float64 where the bound is 0")
    ratio = (error[bound > 0] / bound[bound > 0]).max().item() if bool((bound > 0).any()) else 0.0
    if ratio > 1.0:
        raise AssertionError(f"{what}: PyTorch's float32 error is {ratio:.2f} times the gamma({terms}) bound")
    return ratio

# (name, batch size, in channels, out channels, height, width, kernel size, stride, padding)
CONV2D_CASES = [
    ("single_item_single_channel", 1, 1, 1, 5, 5, 5, 1, 0),
    ("odd_sizes_stride2_padding1", 2, 3, 4, 9, 7, 3, 2, 1),
    ("lenet_conv1", 1, 1, 6, 32, 32, 5, 1, 0),
    ("lenet_conv2", 2, 6, 16, 14, 14, 5, 1, 0),
    ("odd_sizes_stride3_padding2", 1, 2, 3, 11, 13, 4, 3, 2),
    ("kernel1_batch3", 3, 4, 2, 6, 5, 1, 1, 0),
    # wide stride-1 outputs, which ClipLab computes by direct convolution rather than unfolding
    ("direct_padding2_kernel3", 2, 3, 5, 20, 24, 3, 1, 2),
    ("direct_batch10_channels7", 10, 2, 7, 18, 33, 5, 1, 1),
]

# (name, batch size, in features, out features)
LINEAR_CASES = [
    ("single_item_single_feature", 1, 1, 1),
    ("small", 3, 7, 5),
    ("lenet_fc2", 2, 120, 84),
    ("odd_sizes", 5, 33, 17),
]

# (name, batch size, channels, height, width, kernel size, stride, input kind)
MAX_POOL2D_CASES = [
    ("lenet_pool", 2, 3, 8, 8, 2, 2, "normal"),
    ("odd_sizes_single_item", 1, 1, 7, 5, 2, 2, "normal"),
    ("overlapping_windows", 2, 2, 9, 7, 3, 2, "normal"),
    ("stride1_kernel3", 1, 1, 5, 5, 3, 1, "normal"),
    ("ties_first_wins", 2, 3, 6, 6, 2, 2, "ties"),
]

# (name, shape)
RELU_CASES = [
    ("four_dimensional_with_zeros", (2, 3, 4, 5)),
    ("two_dimensional_with_zeros", (1, 7)),
    ("single_element", (1, 1, 1, 1)),
]

# (name, input shape)
FLATTEN_CASES = [
    ("four_dimensional", (2, 3, 4, 5)),
    ("single_element", (1, 1, 1, 1)),
]


def conv2d_case(generator, name, batch_size, in_channels, out_channels, height, width, kernel_size, stride, padding):
    x = torch.randn(batch_size, in_channels, height, width, generator=generator)
    weight = torch.randn(out_channels, in_channels, kernel_size, kernel_size, generator=generator) * 0.3
    bias = torch.randn(out_channels, generator=generator) * 0.1
    x.requires_grad_(True)
    weight.requires_grad_(True)
    bias.requires_grad_(True)

    output = F.conv2d(x, weight, bias, stride=stride, padding=padding)
    output_grad = torch.randn(output.shape, generator=generator)
    output.backward(output_grad)

    # error scales: the same sums over absolute values, in float64
    x_abs, weight_abs, grad_abs = x.detach().double().abs(), weight.detach().double().abs(), output_grad.double().abs()
    output_scale = F.conv2d(x_abs, weight_abs, bias.detach().double().abs(), stride=stride, padding=padding)
    input_grad_scale = torch.nn.grad.conv2d_input(x.shape, weight_abs, grad_abs, stride=stride, padding=padding)
    weight_grad_scale = torch.nn.grad.conv2d_weight(x_abs, weight.shape, grad_abs, stride=stride, padding=padding)
    bias_grad_scale = grad_abs.sum(dim=(0, 2, 3))

    # the same computation in float64, to check PyTorch's float32 result against the bounds
    x64, weight64, bias64 = (t.detach().double().requires_grad_(True) for t in (x, weight, bias))
    output64 = F.conv2d(x64, weight64, bias64, stride=stride, padding=padding)
    output64.backward(output_grad.double())
    positions = output.shape[0] * output.shape[2] * output.shape[3]
    ratios = {
        "output": bound_ratio(f"{name} output", output, output64, output_scale, in_channels * kernel_size ** 2 + 1),
        "input_grad": bound_ratio(f"{name} input_grad", x.grad, x64.grad, input_grad_scale, out_channels * kernel_size ** 2),
        "weight_grad": bound_ratio(f"{name} weight_grad", weight.grad, weight64.grad, weight_grad_scale, positions),
        "bias_grad": bound_ratio(f"{name} bias_grad", bias.grad, bias64.grad, bias_grad_scale, positions),
    }

    return {
        "name": name, "batch_size": batch_size, "in_channels": in_channels, "out_channels": out_channels,
        "height": height, "width": width, "kernel_size": kernel_size, "stride": stride, "padding": padding,
        "input": floats(x), "weight": floats(weight), "bias": floats(bias), "output_grad": floats(output_grad),
        "output": floats(output), "input_grad": floats(x.grad),
        "weight_grad": floats(weight.grad), "bias_grad": floats(bias.grad),
        "output_scale": scales(output_scale), "input_grad_scale": scales(input_grad_scale),
        "weight_grad_scale": scales(weight_grad_scale), "bias_grad_scale": scales(bias_grad_scale),
        "pytorch_bound_ratio": ratios,
    }


def linear_case(generator, name, batch_size, in_features, out_features):
    x = torch.randn(batch_size, in_features, generator=generator)
    weight = torch.randn(out_features, in_features, generator=generator) * 0.3
    bias = torch.randn(out_features, generator=generator) * 0.1
    x.requires_grad_(True)
    weight.requires_grad_(True)
    bias.requires_grad_(True)

    output = F.linear(x, weight, bias)
    output_grad = torch.randn(output.shape, generator=generator)
    output.backward(output_grad)

    # error scales: the same products over absolute values, in float64
    x_abs, weight_abs, grad_abs = x.detach().double().abs(), weight.detach().double().abs(), output_grad.double().abs()
    output_scale = x_abs @ weight_abs.T + bias.detach().double().abs()
    input_grad_scale = grad_abs @ weight_abs
    weight_grad_scale = grad_abs.T @ x_abs
    bias_grad_scale = grad_abs.sum(dim=0)

    # the same computation in float64, to check PyTorch's float32 result against the bounds
    x64, weight64, bias64 = (t.detach().double().requires_grad_(True) for t in (x, weight, bias))
    output64 = F.linear(x64, weight64, bias64)
    output64.backward(output_grad.double())
    ratios = {
        "output": bound_ratio(f"{name} output", output, output64, output_scale, in_features + 1),
        "input_grad": bound_ratio(f"{name} input_grad", x.grad, x64.grad, input_grad_scale, out_features),
        "weight_grad": bound_ratio(f"{name} weight_grad", weight.grad, weight64.grad, weight_grad_scale, batch_size),
        "bias_grad": bound_ratio(f"{name} bias_grad", bias.grad, bias64.grad, bias_grad_scale, batch_size),
    }

    return {
        "name": name, "batch_size": batch_size, "in_features": in_features, "out_features": out_features,
        "input": floats(x), "weight": floats(weight), "bias": floats(bias), "output_grad": floats(output_grad),
        "output": floats(output), "input_grad": floats(x.grad),
        "weight_grad": floats(weight.grad), "bias_grad": floats(bias.grad),
        "output_scale": scales(output_scale), "input_grad_scale": scales(input_grad_scale),
        "weight_grad_scale": scales(weight_grad_scale), "bias_grad_scale": scales(bias_grad_scale),
        "pytorch_bound_ratio": ratios,
    }


def max_pool2d_case(generator, name, batch_size, channels, height, width, kernel_size, stride, input_kind):
    if input_kind == "ties":
        # values from {0, 1, 2}: most windows hold several equal maxima
        x = torch.randint(0, 3, (batch_size, channels, height, width), generator=generator).float()
    else:
        x = torch.randn(batch_size, channels, height, width, generator=generator)
    x.requires_grad_(True)

    output = F.max_pool2d(x, kernel_size, stride)
    output_grad = torch.randn(output.shape, generator=generator)
    output.backward(output_grad)

    # error scale: the absolute output gradients routed to the same inputs, in float64
    x64 = x.detach().double().requires_grad_(True)
    F.max_pool2d(x64, kernel_size, stride).backward(output_grad.double().abs())

    return {
        "name": name, "batch_size": batch_size, "channels": channels, "height": height, "width": width,
        "kernel_size": kernel_size, "stride": stride,
        "input": floats(x), "output_grad": floats(output_grad),
        "output": floats(output), "input_grad": floats(x.grad), "input_grad_scale": scales(x64.grad),
    }


def relu_case(generator, name, shape):
    x = torch.randn(shape, generator=generator)
    # exact zeros check the gradient at the kink, which PyTorch takes as 0
    flat = x.view(-1)
    flat[:: 3] = 0.0
    if flat.numel() == 1:
        flat[0] = 0.0
    x.requires_grad_(True)

    output = F.relu(x)
    output_grad = torch.randn(output.shape, generator=generator)
    output.backward(output_grad)

    return {
        "name": name, "shape": list(shape),
        "input": floats(x), "output_grad": floats(output_grad),
        "output": floats(output), "input_grad": floats(x.grad),
    }


def flatten_case(generator, name, shape):
    x = torch.randn(shape, generator=generator, requires_grad=True)
    output = torch.flatten(x, start_dim=1)
    output_grad = torch.randn(output.shape, generator=generator)
    output.backward(output_grad)

    return {
        "name": name, "shape": list(shape),
        "input": floats(x), "output_grad": floats(output_grad),
        "output": floats(output), "output_shape": list(output.shape), "input_grad": floats(x.grad),
    }


def build(seed=20240601):
    """Return the layer fixture payload."""
    generator = torch.Generator().manual_seed(seed)
    return {
        "seed": seed,
        "conv2d": [conv2d_case(generator, *case) for case in CONV2D_CASES],
        "linear": [linear_case(generator, *case) for case in LINEAR_CASES],
        "max_pool2d": [max_pool2d_case(generator, *case) for case in MAX_POOL2D_CASES],
        "relu": [relu_case(generator, *case) for case in RELU_CASES],
        "flatten": [flatten_case(generator, *case) for case in FLATTEN_CASES],
    }
