"""Checkpoints are plain state_dicts written to a temp file and renamed, so a crash or a full disk never
leaves half a file in place of the previous checkpoint."""

import dataclasses
import io
import os
import tempfile
from pathlib import Path

import torch


def save_checkpoint(path: Path, state: dict) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # Serialised in memory first, so a full disk surfaces as the OSError it is, not as torch's zip error.
        buffer = io.BytesIO()
        torch.save(state, buffer)
        with os.fdopen(fd, "wb") as handle:
            handle.write(buffer.getbuffer())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_checkpoint(path: Path, device: torch.device | str = "cpu") -> dict:
    return torch.load(path, map_location=device, weights_only=True)


def resume_state(checkpoint_path: Path | None, resume: bool, config, device: torch.device | str):
    """(the checkpoint's state, or None when there is nothing to resume; the config the run goes on with). A run
    resumes with the settings its checkpoint was written with, so one begun before a default changed goes on in
    the shape it was built in; a setting the checkpoint does not name keeps the caller's value."""
    if not (resume and checkpoint_path is not None and Path(checkpoint_path).exists()):
        return None, config
    state = load_checkpoint(checkpoint_path, device)
    return state, dataclasses.replace(config, **known_settings(type(config), state["config"]))


def known_settings(config_class: type, stored: dict) -> dict:
    """The settings a checkpoint stored that `config_class` still has: one retired since is skipped, so an old
    checkpoint or version still loads."""
    known = {field.name for field in dataclasses.fields(config_class)}
    return {name: value for name, value in stored.items() if name in known}
