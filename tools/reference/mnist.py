"""MNIST from its IDX files, split and scaled as ClipLab splits and scales it."""

import gzip
from pathlib import Path

import numpy as np

VALIDATION_COUNT = 5000
SOURCE_SIZE = 28
PADDING = 2
IMAGE_SIZE = SOURCE_SIZE + 2 * PADDING

FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


def read_idx(directory, stem):
    """Return the array stored in directory/stem.gz or directory/stem, checking the IDX header."""
    for path, opener in ((Path(directory) / f"{stem}.gz", gzip.open), (Path(directory) / stem, open)):
        if path.exists():
            with opener(path, "rb") as stream:
                data = stream.read()
            break
    else:
        raise FileNotFoundError(f"{stem}.gz (or {stem}) not found in {directory}. Pass --data DIR or set CLIPLAB_DATA.")

    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"{path}: expected an IDX file of unsigned bytes, found header bytes {data[:4].hex()}")
    rank = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * axis: 8 + 4 * axis], "big") for axis in range(rank))
    offset = 4 + 4 * rank
    expected = offset + int(np.prod(shape))
    if len(data) != expected:
        raise ValueError(f"{path}: expected {expected} bytes for shape {shape}, found {len(data)}")
    return np.frombuffer(data, dtype=np.uint8, offset=offset).reshape(shape)


def scale_and_pad(images):
    """Return uint8 images [N, 28, 28] as float32 [N, 1, 32, 32], value / 255, zero-padded by 2 pixels."""
    padded = np.zeros((images.shape[0], 1, IMAGE_SIZE, IMAGE_SIZE), dtype=np.float32)
    # float32 division is correctly rounded, so this equals ClipLab's byte / 255f
    padded[:, 0, PADDING:PADDING + SOURCE_SIZE, PADDING:PADDING + SOURCE_SIZE] = images.astype(np.float32) / np.float32(255)
    return padded


def load(directory):
    """Return (train, validation, test) as (images, labels) pairs: the first 5000 training images are validation."""
    train_images = read_idx(directory, FILES["train_images"])
    train_labels = read_idx(directory, FILES["train_labels"]).astype(np.int64)
    test_images = read_idx(directory, FILES["test_images"])
    test_labels = read_idx(directory, FILES["test_labels"]).astype(np.int64)
    return (
        (scale_and_pad(train_images[VALIDATION_COUNT:]), train_labels[VALIDATION_COUNT:]),
        (scale_and_pad(train_images[:VALIDATION_COUNT]), train_labels[:VALIDATION_COUNT]),
        (scale_and_pad(test_images), test_labels),
    )
