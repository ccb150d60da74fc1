"""A tiny SMTP server for the fault tests, in its own process: `python -m tests.smtp_catcher PORT DIR [HOLD]`.

Each message it accepts is written to DIR as NNNN.eml once the 250 reply is due (what a real server
has taken responsibility for). With HOLD=n, the message after the first n is held: no reply, a
`holding` file in DIR, and when the client goes away (its process was killed) the message is dropped,
as a real server drops a message whose sender vanished before the end of the conversation.
"""

import socketserver
import sys
import threading
from pathlib import Path


class Catcher(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int, directory: Path, hold: int | None):
        super().__init__(("127.0.0.1", port), Session)
        self.directory = directory
        self.hold = hold
        self.lock = threading.Lock()
        self.accepted = len(list(directory.glob("*.eml")))  # a restarted server keeps counting

    def take(self, data: bytes) -> bool:
        """Keep the message, or hold it (False) when it is the one to hold."""
        with self.lock:
            if self.hold is not None and self.accepted == self.hold:
                self.hold = None
                return False
            self.accepted += 1
            name = self.directory / f"{self.accepted:04d}.eml"
        partial = name.with_suffix(".part")
        partial.write_bytes(data)
        partial.rename(name)
        return True


class Session(socketserver.StreamRequestHandler):
    def reply(self, text: str) -> None:
        self.wfile.write(text.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        try:
            self.converse()
        except ConnectionError:  # the client's process was killed
            pass

    def converse(self) -> None:
        self.reply("220 catcher ESMTP")
        while line := self.rfile.readline():
            verb = line[:4].decode("ascii", "replace").upper()
            if verb == "EHLO":
                self.reply("250-catcher")
                self.reply("250 8BITMIME")
            elif verb in ("HELO", "MAIL", "RCPT", "RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                if not self.data():
                    return
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def data(self) -> bool:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n"):
            if not line:
                return False
            lines.append(line[1:] if line.startswith(b"..") else line)
        if self.server.take(b"".join(lines)):
            self.reply("250 OK: queued")
            return True
        (self.server.directory / "holding").touch()
        while self.rfile.read(1):  # no reply until the client is gone
            pass
        return False


if __name__ == "__main__":
    port, directory = int(sys.argv[1]), Path(sys.argv[2])
    hold = int(sys.argv[3]) if len(sys.argv) > 3 else None
    with Catcher(port, directory, hold) as server:
        server.serve_forever()
