import numpy as np
import pytest

from generation.gan.metrics.distances import (
    data_copying_ct,
    frechet_distance,
    mann_whitney_z,
    precision_recall,
)
from generation.gan.metrics.metric_main import near_copy_share

rng = np.random.default_rng(0)


def test_frechet_distance_known_answers():
    a = rng.normal(size=(20000, 3))
    b = rng.normal(size=(20000, 3))
    assert frechet_distance(a, b) == pytest.approx(0.0, abs=0.02)
    shifted = b + np.array([2.0, 0.0, 0.0])
    assert frechet_distance(a, shifted) == pytest.approx(4.0, abs=0.1)
    scaled = b * 2.0  # covariance 4I against I: 3 * (1 + 4 - 2*2) = 3
    assert frechet_distance(a, scaled) == pytest.approx(3.0, abs=0.1)


def test_precision_recall_known_answers():
    real = rng.normal(size=(1000, 2))
    assert precision_recall(real, real.copy()) == (1.0, 1.0)
    far = rng.normal(size=(1000, 2)) + 100
    assert precision_recall(real, far) == (0.0, 0.0)
    collapsed = real[real[:, 0] > 1.0]  # mode collapse: all inside the real support, most of it missed
    precision, recall = precision_recall(real, collapsed)
    assert precision == 1.0 and recall < 0.4


def test_mann_whitney_sign():
    assert mann_whitney_z(np.arange(50.0), np.arange(50.0) + 100) < -5
    assert abs(mann_whitney_z(np.arange(50.0), np.arange(50.0))) < 1e-9


def test_data_copying_ct_flags_copies_and_passes_fresh_samples():
    train = rng.normal(size=(2000, 2))
    test = rng.normal(size=(1000, 2))
    copies = train[:1000] + rng.normal(scale=1e-3, size=(1000, 2))
    fresh = rng.normal(size=(1000, 2))
    assert data_copying_ct(train, test, copies, cells=5) < -5
    assert abs(data_copying_ct(train, test, fresh, cells=5)) < 3
    assert data_copying_ct(train, test[:3], fresh[:3], cells=5) is None


def test_near_copy_share_counts_copies():
    train = rng.random((500, 16)).astype(np.float32)
    assert near_copy_share(train[:100] + 1e-4, train) == 1.0
    assert near_copy_share(rng.random((100, 16)).astype(np.float32), train) < 0.05
