"""Training images as one cached uint8 array, so an epoch costs compute, not file decoding."""

import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image


def dataset_key(image_ids: Sequence[str], resolution: int, channels: int) -> str:
    """Names the cache by the exact set of images (their content hashes) and the target shape."""
    digest = hashlib.sha256(f"{resolution}x{channels}:".encode())
    for image_id in sorted(image_ids):
        digest.update(image_id.encode())
    return digest.hexdigest()[:32]


def prepare_image(data: bytes, resolution: int, channels: int) -> np.ndarray:
    """Decodes, flattens transparency onto white, centre-crops to a square and resizes: (H, W, C) uint8."""
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (resolution * 2, resolution * 2))
        if image.mode in ("RGBA", "LA", "P"):
            rgba = image.convert("RGBA")
            image = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            image.alpha_composite(rgba)
        image = image.convert("L" if channels == 1 else "RGB")
        side = min(image.size)
        left, top = (image.width - side) // 2, (image.height - side) // 2
        image = image.crop((left, top, left + side, top + side))
        if image.size != (resolution, resolution):
            image = image.resize((resolution, resolution), Image.Resampling.LANCZOS)
        array = np.asarray(image, dtype=np.uint8)
    return array[:, :, None] if channels == 1 else array


def load_cached_dataset(
    *, cache_dir: Path, key: str, count: int, read: Callable[[int], tuple[bytes, int]], resolution: int, channels: int,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Images (N, H, W, C) uint8 and labels (N,) int64, decoded once and then read from `cache_dir/key.npz`."""
    path = Path(cache_dir) / f"{key}.npz"
    if path.exists():
        with np.load(path) as cached:
            return cached["images"], cached["labels"]
    images = np.empty((count, resolution, resolution, channels), dtype=np.uint8)
    labels = np.empty(count, dtype=np.int64)
    for i in range(count):
        data, labels[i] = read(i)
        images[i] = prepare_image(data, resolution, channels)
        if progress and (i % 1000 == 0 or i == count - 1):
            progress(i + 1, count)
    save_arrays_atomically(path, images=images, labels=labels)
    return images, labels


def save_arrays_atomically(path: Path, **arrays: np.ndarray) -> None:
    """Written under a temporary name of its own, then renamed: two workers building the same cache at once
    each write their own file, and a reader never sees half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
