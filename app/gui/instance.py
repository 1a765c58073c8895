"""One window per workspace: a second launch hands its files to the first and brings it to the front.

Users double-click the icon twice, or double-click a ``.zhutui`` bundle while the app is open.
The first window holds the workspace's lock (``workspace.lock``) and listens on a local socket
(a named pipe on Windows) named after the user and the workspace folder. A later launch on the
same workspace connects, sends its files as one JSON line, waits for ``ok`` and quits; the first
window raises itself and opens the files (a bundle in the import preview, application files in
the import). Two launches at the same moment: one wins the lock, the other retries the socket
until the winner listens.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

TIMEOUT_MS = 3000
RETRY_S = 5.0  # a second launch racing the first: how long it waits for the first to listen
MAX_MESSAGE = 1 << 20  # a launch's file list; anything longer is not one of ours


def server_name(workspace: Path) -> str:
    """The local socket's name: the same for every launch by this user on this workspace."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name (odd environments): the folder alone
        user = ""
    key = f"{user}\n{os.path.normcase(str(Path(workspace).absolute()))}"
    return "zhutui-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def forward(name: str, paths: list[str], timeout_ms: int = TIMEOUT_MS) -> bool:
    """Hand ``paths`` to the window listening on ``name``; False when no window listens."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    _allow_foreground()
    message = json.dumps({"paths": [str(Path(p).absolute()) for p in paths]}, ensure_ascii=False)
    socket.write((message + "\n").encode("utf-8"))
    socket.flush()
    ok = socket.waitForBytesWritten(timeout_ms) or socket.bytesToWrite() == 0
    answered = ok and socket.waitForReadyRead(timeout_ms) and bytes(socket.readAll().data()).startswith(b"ok")
    socket.disconnectFromServer()
    return bool(answered)


def forward_with_retry(name: str, paths: list[str], seconds: float = RETRY_S) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if forward(name, paths, timeout_ms=500):
            return True
        time.sleep(0.2)
    return False


def _allow_foreground() -> None:
    """Windows lets only the foreground process bring a window to the front: this launch (in the
    foreground, the user just double-clicked) allows the first window to come forward."""
    if sys.platform == "win32":
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY


class InstanceServer(QObject):
    """Listens for later launches; ``paths_received`` carries what each one handed over."""

    paths_received = Signal(list)

    def __init__(self, name: str, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Start listening. Only the holder of the workspace lock calls this, so a socket file
        left by a killed window (Unix) is stale and safe to remove."""
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def close(self) -> None:
        """Stop listening and drop the connections still open (before this object goes: a
        socket dying with it would signal into half-destroyed objects)."""
        self.server.close()
        for connection in self.findChildren(_Connection):
            connection.drop()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            _Connection(self.server.nextPendingConnection(), self)


class _Connection(QObject):
    """One later launch: reads its line, answers ``ok``, passes the paths on, then goes."""

    def __init__(self, socket: QLocalSocket, server: InstanceServer):
        super().__init__(server)
        self.socket = socket
        self.server = server
        self.buffer = bytearray()
        self.reading = True
        socket.setParent(self)
        socket.readyRead.connect(self._read)
        socket.disconnected.connect(self.deleteLater)

    def drop(self) -> None:
        self.socket.disconnected.disconnect(self.deleteLater)
        if self.reading:
            self.socket.readyRead.disconnect(self._read)
        self.socket.abort()
        self.setParent(None)
        self.deleteLater()

    def _read(self) -> None:
        self.buffer.extend(bytes(self.socket.readAll().data()))
        if b"\n" not in self.buffer:
            if len(self.buffer) > MAX_MESSAGE:  # not a launch of ours: hang up
                self.drop()
            return
        self.socket.readyRead.disconnect(self._read)
        self.reading = False
        line = bytes(self.buffer).split(b"\n", 1)[0]
        self.socket.write(b"ok\n")
        self.socket.flush()
        self.socket.disconnectFromServer()
        self.server.paths_received.emit(_paths(line))


def _paths(line: bytes) -> list[str]:
    try:
        message = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return []
    paths = message.get("paths") if isinstance(message, dict) else None
    return [p for p in paths if isinstance(p, str)] if isinstance(paths, list) else []
