"""The media half of a backup: every file under MEDIA_ROOT, and swapping them in on restore."""

import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings

from .errors import BackupError

MEDIA_PREFIX = "media/"
# Working folders a backup or restore makes inside MEDIA_ROOT; never backed up or replaced.
WORK_PREFIX = ".khlang-"


def media_root():
    return Path(settings.MEDIA_ROOT)


def media_files(root):
    """(path, archive name) of every regular file under MEDIA_ROOT, in a stable order."""
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        relative = Path(folder).relative_to(root)
        if relative == Path("."):
            dirs[:] = [d for d in dirs if not d.startswith(WORK_PREFIX)]
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if os.path.isfile(path):  # follows symlinks to files; skips sockets and the like
                found.append((path, MEDIA_PREFIX + (relative / name).as_posix().removeprefix("./")))
    return found



def replace_media(staged, root):
    """Swap MEDIA_ROOT's contents for the staged files (renames within MEDIA_ROOT, undone on error)."""
    old = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}replaced-", dir=root))
    moved_out, moved_in = [], []
    try:
        for entry in sorted(root.iterdir()):
            if entry.name.startswith(WORK_PREFIX):
                continue
            os.rename(entry, old / entry.name)
            moved_out.append(entry.name)
        for entry in sorted(staged.iterdir()):
            os.rename(entry, root / entry.name)
            moved_in.append(entry.name)
    except OSError as error:
        for name in moved_in:
            os.rename(root / name, staged / name)
        for name in moved_out:
            os.rename(old / name, root / name)
        old.rmdir()
        raise BackupError(f"Could not replace the media files in {root}: {error}") from error
    staged.rmdir()
    shutil.rmtree(old, ignore_errors=True)

