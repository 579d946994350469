"""Which process listens on a loopback port (Linux ``/proc``), for servers the tests start elsewhere.

A server started on a port found free can lose it to another test's server that binds first; then
whatever answers on the port is *not* ours. Asking the kernel who holds the listening socket tells
the two apart without guessing from timing.
"""

from __future__ import annotations

import os
from pathlib import Path

LISTEN = "0A"  # TCP state in /proc/net/tcp


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == LISTEN and int(local.rsplit(":", 1)[1], 16) == port:
                inodes.add(inode)
    return inodes


def listens_on(pid: int, port: int) -> bool:
    """True when process ``pid`` holds the socket listening on ``port``."""
    inodes = _listening_inodes(port)
    if not inodes:
        return False
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:  # the process is gone
        return False
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            return True
    return False
