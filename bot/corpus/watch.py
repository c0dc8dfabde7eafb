"""Change detection while the bot runs: OS file events, or polling where there are none.

``CorpusWatcher`` reports the paths that changed under the corpus root to a
callback, from a daemon thread, a burst of changes in one batch. In "events"
mode the OS tells (inotify, FSEvents or ReadDirectoryChangesW, through
watchfiles), so nothing is stat-ed until something changes. In "polling" mode
it takes a ``scan`` every ``poll_seconds`` and reports what changed since the
previous one: when asked to, when the corpus is on a network file system (whose
OS events miss the changes other machines make), and when OS events fail (the
inotify watch limit reached).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from bot.corpus.listing import Listing, diff, scan
from bot.corpus.loader import ARTICLE_SUFFIXES
from bot.errors import CorpusError
from bot.logs import log_failure
from bot.signals import leave_to_main_thread

log = logging.getLogger("teambot")

Mode = Literal["events", "polling"]
OnChange = Callable[[set[Path]], None]
Keep = Callable[[int, str], bool]

#: watchfiles' own default: the longest a batch is held open while a burst goes
#: on, so a copy of 100,000 files arrives as a call every 1.6 s, not 100,000 calls.
DEBOUNCE_MS = 1_600
#: A batch closes once no change has come for this long (watchfiles' default): a
#: program writing a burst of files writes them closer together than 50 ms.
STEP_MS = 50
#: How often the event loop, with nothing to report, checks that the root is still
#: the directory it watches (deleted, or a symlink pointed elsewhere): one stat,
#: four times a second, and watchers are told of it within a quarter second.
ROOT_CHECK_MS = 250
#: File systems (Linux names) shared over a network: inotify(7) "does not catch remote
#: events that occur on network filesystems", so a corpus on one is polled.
NETWORK_FILE_SYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "afs", "ceph", "glusterfs", "lustre", "fuse.sshfs"}
)
#: Where Linux lists the mounts this process sees, with their file system types.
_MOUNTS = "/proc/self/mounts"
#: watchfiles' value for Change.deleted.
_DELETED = 3
#: Emacs' auto-save files (``#name#``); watchfiles' DefaultFilter has the other
#: editors' temporary files (vim's ``.swp``, ``name~`` backups, JetBrains' ``___jb_``).
_EMACS_AUTOSAVE = r"^#.*#$"


class CorpusWatcher:
    """Tells a callback which paths changed under a corpus root, from a daemon thread.

    ``on_change`` receives a set of absolute paths: article files and directories
    that were added, changed or deleted (hidden entries and editors' temporary
    files are left out; polling reports the directories whose entries changed).
    A deleted path that is not an article is reported too, since once gone a
    directory cannot be told from a file: ``listing.refresh`` ignores the ones it
    never listed. A set holding the root itself means changes may have been
    missed (the root went away and came back, or the watcher fell back to
    polling): ``refresh`` then takes a full scan. An exception from ``on_change``
    is logged; that batch is not delivered again.

    Start the watcher, ``wait_ready``, then take the listing to index: a change
    made after the listing was taken is then always reported.

    Args:
        root: the corpus directory (or single file).
        on_change: called with each batch of changed paths, on the watcher thread.
        poll_seconds: in polling mode, the time between scans; also how often a
            missing root is looked for.
        force_polling: poll even where OS events seem available: a shared file
            system not in ``NETWORK_FILE_SYSTEMS`` (other machines' changes raise
            no local events), or a mount from a VM host.
        debounce_ms: the longest a burst of changes is gathered into one batch.
        initial: in polling mode, the listing the first scan is compared with
            (so changes since it was taken are reported); else the first scan.
    """

    def __init__(
        self,
        root: Path,
        on_change: OnChange,
        *,
        poll_seconds: float,
        force_polling: bool = False,
        debounce_ms: int = DEBOUNCE_MS,
        initial: Listing | None = None,
    ) -> None:
        self._root = root.absolute()
        self._on_change = on_change
        self._poll_seconds = poll_seconds
        self._debounce_ms = debounce_ms
        self._baseline = initial
        self._mode: Mode = "polling" if force_polling else "events"
        self._resync = False  # the next batch carries the root: events may have been lost
        self._ready = threading.Event()

    @property
    def mode(self) -> Mode:
        """``"events"`` (OS file events) or ``"polling"`` (a scan every ``poll_seconds``)."""
        return self._mode

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Waits until changes are watched (the OS watch set, or the first scan taken).

        Returns:
            False if ``timeout`` seconds passed first (the root may be missing).
        """
        return self._ready.wait(timeout)

    def start(self, stop: threading.Event) -> threading.Thread:
        """Starts the daemon thread, which watches until ``stop`` is set."""
        thread = threading.Thread(
            target=self._run, args=(stop,), name="teambot-corpus-watch", daemon=True
        )
        thread.start()
        return thread

    def _run(self, stop: threading.Event) -> None:
        leave_to_main_thread()  # before watchfiles starts its native thread, which inherits it
        while not stop.is_set():
            try:
                if self._mode == "events":
                    self._watch_events(stop)
                else:
                    self._poll(stop)
            except Exception as exc:  # the watcher must outlive any one failure
                log_failure(log, logging.ERROR, "corpus watcher failed; restarting", exc=exc)
                self._resync = True
                stop.wait(self._poll_seconds)

    def _watch_events(self, stop: threading.Event) -> None:
        """Reports OS file events until ``stop``; returns early to fall back to polling."""
        import watchfiles  # imported here: only a running watcher pays for it

        while (top := self._wait_for_root(stop)) is not None:
            if (kind := _fs_type(top)) in NETWORK_FILE_SYSTEMS:
                message = (
                    "corpus %s is on %s, whose OS events miss other machines' changes; polling"
                )
                log.info(message, top, kind)
                self._mode = "polling"
                return
            identity = _identity(top)
            recursive = os.path.isdir(top)
            target = top if recursive else os.path.dirname(top)  # a file: survive its replacing
            keep = _keep_in_dir(top) if recursive else lambda _change, path: path == top
            try:
                for changes in watchfiles.watch(
                    target,
                    watch_filter=keep,
                    debounce=self._debounce_ms,
                    step=STEP_MS,
                    stop_event=stop,
                    rust_timeout=ROOT_CHECK_MS,
                    yield_on_timeout=True,
                    debug=False,
                    raise_interrupt=False,
                    force_polling=False,
                    recursive=recursive,
                    ignore_permission_denied=False,  # True would hide the watch limit too
                ):
                    self._ready.set()
                    self._deliver({Path(path) for _change, path in changes})
                    if _identity(top) != identity or os.path.realpath(self._root) != top:
                        self._resync = True  # gone, replaced or repointed: watch it anew
                        break
            except FileNotFoundError:  # the root went between the check and the watch
                self._resync = True
            except (OSError, RuntimeError) as exc:  # no OS events here: poll instead
                message = "no OS file events for %s; polling it every %g s"
                log_failure(log, logging.WARNING, message, top, self._poll_seconds, exc=exc)
                self._resync = self._ready.is_set()  # events may have been lost meanwhile
                self._mode = "polling"
                return

    def _poll(self, stop: threading.Event) -> None:
        """Scans every ``poll_seconds`` and reports the files that changed, until ``stop``."""
        missing = False
        while not stop.is_set():
            try:
                current = scan(self._root)
            except CorpusError:
                if not missing:
                    log.warning("corpus %s is missing; looking again every %g s", *self._show())
                missing = True
                stop.wait(self._poll_seconds)
                continue
            if missing:
                log.warning("corpus %s is back", self._root)
            missing = False
            previous, self._baseline = self._baseline, current
            self._ready.set()
            self._deliver(set() if previous is None else _changed_paths(previous, current))
            stop.wait(self._poll_seconds)

    def _wait_for_root(self, stop: threading.Event) -> str | None:
        """The resolved root once it exists; None when ``stop`` is set first."""
        missing = False
        while not stop.is_set():
            if os.path.exists(self._root):
                if missing:
                    log.warning("corpus %s is back", self._root)
                return os.path.realpath(self._root)
            if not missing:
                log.warning("corpus %s is missing; looking again every %g s", *self._show())
            missing = True
            stop.wait(self._poll_seconds)
        return None

    def _deliver(self, paths: set[Path]) -> None:
        if self._resync:
            paths.add(Path(os.path.realpath(self._root)))
            self._resync = False
        if not paths:
            return
        try:
            self._on_change(paths)
        except Exception as exc:  # a failing callback must not stop the watching
            message = "corpus change not applied (%d paths)"
            log_failure(log, logging.ERROR, message, len(paths), exc=exc)

    def _show(self) -> tuple[Path, float]:
        return self._root, self._poll_seconds


def _keep_in_dir(top: str) -> Keep:
    """watchfiles' filter for a corpus directory: article files and directories,
    nothing hidden, no editor's temporary file."""
    from watchfiles import DefaultFilter

    patterns = (*DefaultFilter.ignore_entity_patterns, _EMACS_AUTOSAVE)
    temporary = re.compile("|".join(f"(?:{p})" for p in patterns))
    prefix = os.path.join(top, "")

    def keep(change: int, path: str) -> bool:
        if path == top:
            return True  # the root itself: deleted, or its metadata changed
        if not path.startswith(prefix):
            return False
        parts = path[len(prefix) :].split(os.sep)
        if any(part.startswith(".") for part in parts) or temporary.search(parts[-1]):
            return False
        if parts[-1].lower().endswith(ARTICLE_SUFFIXES):
            return True
        return change == _DELETED or os.path.isdir(path)

    return keep


def _changed_paths(old: Listing, new: Listing) -> set[Path]:
    """The files that changed, and the directories below the root that were added,
    removed or changed (``refresh`` lists a reported directory again: so it also drops
    what it saw in a new directory that went before any scan saw it)."""
    if old.root != new.root:  # a symlink to the corpus pointed elsewhere
        return {Path(new.root)}
    changes = diff(old, new)
    keys = {*changes.added, *changes.modified, *changes.deleted}
    keys.update(k for k, mtime in new.dirs.items() if old.dirs.get(k) != mtime)
    keys.update(k for k in old.dirs if k not in new.dirs)
    keys.discard("")  # the root stands for "anything may have changed": a full scan
    return {new.path(key) for key in keys}


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _fs_type(path: str, mounts: str = _MOUNTS) -> str | None:
    """The type of the file system ``path`` is on (the longest mount point above it);
    None where the mount table cannot be read (not Linux)."""
    try:
        with open(mounts, encoding="utf-8", errors="replace") as table:
            entries = [line.split() for line in table]
    except OSError:
        return None
    best, kind = "", None
    for fields in entries:
        if len(fields) < 3:
            continue
        point = re.sub(r"\\[0-7]{3}", lambda m: chr(int(m[0][1:], 8)), fields[1])  # \040: space
        inside = path == point or path.startswith(os.path.join(point, ""))
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind
