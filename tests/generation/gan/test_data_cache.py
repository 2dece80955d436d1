"""The decoded-photo cache: built once, then read; written under a temporary name of its own."""

import threading

import numpy as np

from generation.gan.data import load_cached_dataset, save_arrays_atomically
from tests.factories import png_bytes


def test_two_writers_of_one_cache_never_collide_and_leave_no_temporary_files(tmp_path):
    path = tmp_path / "cache" / "key.npz"
    arrays = [np.full((50, 28, 28, 1), i, np.uint8) for i in range(8)]
    threads = [threading.Thread(target=save_arrays_atomically, args=(path,), kwargs={"images": a}) for a in arrays]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with np.load(path) as cached:
        assert cached["images"].shape == (50, 28, 28, 1) and len(np.unique(cached["images"])) == 1  # one whole file
    assert [p.name for p in path.parent.iterdir()] == ["key.npz"]


def test_the_cache_is_read_back_without_decoding_again(tmp_path):
    reads = []

    def read(i: int):
        reads.append(i)
        return png_bytes(28, 28, "L", i * 10), i

    first = load_cached_dataset(cache_dir=tmp_path, key="k", count=3, read=read, resolution=28, channels=1)
    again = load_cached_dataset(cache_dir=tmp_path, key="k", count=3, read=read, resolution=28, channels=1)
    assert reads == [0, 1, 2] and np.array_equal(first[0], again[0]) and list(again[1]) == [0, 1, 2]
