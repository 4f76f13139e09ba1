"""What a backup or restore reports when it cannot go on."""


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why (and what was left unchanged)."""
