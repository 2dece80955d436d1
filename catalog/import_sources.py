"""Where an import's images come from: a zip archive or a folder, read by plain file name."""

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from django.utils.translation import gettext

from catalog.imaging import ImageRejected
from retail_studio.sizes import human_size

# What unpacking a damaged member can raise: a bad CRC, a truncated stream, an unknown compression method.
UNPACK_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError)


@dataclass
class ImageSource:
    """Maps each file's base name to a way to read it, and records what could not be accepted."""

    readers: dict[str, object] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, message)
    ambiguous: set[str] = field(default_factory=set)
    closers: list = field(default_factory=list)
    # The archive as a whole is over a limit: its images are not read at all.
    over_limits: bool = False

    def add(self, name: str, reader) -> None:
        base = PurePosixPath(name).name
        if base in self.readers:
            self.ambiguous.add(base)
        self.readers[base] = reader

    def names(self) -> Iterator[str]:
        return iter(self.readers)

    def read(self, base_name: str) -> bytes:
        return self.readers[base_name]()

    def close(self) -> None:
        for close in self.closers:
            close()


def _unsafe_member(name: str) -> bool:
    windows = PureWindowsPath(name)
    posix = PurePosixPath(name.replace("\\", "/"))
    return posix.is_absolute() or bool(windows.drive) or ".." in posix.parts


def _skipped(name: str) -> bool:
    # Metadata that macOS and Windows add to archives is not a product photo.
    parts = PurePosixPath(name).parts
    return any(p == "__MACOSX" or p.startswith(".") for p in parts) or PurePosixPath(name).name == "Thumbs.db"


def _zip_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    def read() -> bytes:
        try:
            return archive.read(info)
        except UNPACK_ERRORS as exc:
            raise ImageRejected(
                gettext("cannot be unpacked: this part of the zip is damaged (%(error)s)") % {"error": exc}
            ) from None

    return read


def image_source_from_zip(fileobj, *, max_member_bytes: int, max_total_bytes: int, max_members: int) -> ImageSource:
    source = ImageSource()
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        source.problems.append(("(archive)", gettext("is not a valid zip file")))
        source.over_limits = True
        return source
    source.closers.append(archive.close)
    members = archive.infolist()
    if len(members) > max_members:
        source.problems.append(
            (
                "(archive)",
                gettext("holds %(members)s files; the limit is %(max_members)s")
                % {"members": f"{len(members):,}", "max_members": f"{max_members:,}"},
            )
        )
        source.over_limits = True
        return source
    total = 0
    for info in members:
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            source.problems.append((info.filename, gettext("is encrypted; zip the images again without a password")))
            continue
        if _unsafe_member(info.filename):
            source.problems.append(
                (info.filename, gettext("has an absolute path or '..' in it; such entries are refused"))
            )
            continue
        if _skipped(info.filename):
            continue
        total += info.file_size
        if info.file_size > max_member_bytes:
            source.problems.append(
                (
                    info.filename,
                    gettext("unpacks to %(file_size)s; the limit is %(max_member_bytes)s")
                    % {"file_size": human_size(info.file_size), "max_member_bytes": human_size(max_member_bytes)},
                )
            )
            continue
        source.add(info.filename, _zip_reader(archive, info))
    if total > max_total_bytes:
        source.problems.append(
            (
                "(archive)",
                gettext("unpacks to %(total)s in all; the limit is %(max_total_bytes)s")
                % {"total": human_size(total), "max_total_bytes": human_size(max_total_bytes)},
            )
        )
        source.over_limits = True
    return source


def image_source_from_dir(folder: Path) -> ImageSource:
    source = ImageSource()
    root = folder.resolve()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_dir() or _skipped(relative):
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            source.problems.append(
                (relative, gettext("is a link to a file outside the folder; such files are refused"))
            )
            continue
        source.add(relative, path.read_bytes)
    return source
