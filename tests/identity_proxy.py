"""An authenticating reverse proxy in miniature, for the team-deployment browser tests.

Like the proxy a newsroom puts in front of Claimdesk, it is the only way in: it drops any identity header the
client sent, and sets ``X-Claimdesk-User`` from its own sign-in (here a ``proxy_user`` cookie stands for that
sign-in) on every request, the websocket upgrade included. It forwards to the dashboard on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from http.cookies import SimpleCookie

HEADER = "X-Claimdesk-User"
COOKIE = "proxy_user"


class IdentityProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> IdentityProxy:
        self.thread.start()
        if not self.ready.wait(10):
            raise RuntimeError("the identity proxy did not start")
        return self

    def __exit__(self, *exc) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", self.port))
        self.ready.set()
        self.loop.run_forever()
        # Stopped: close the listener and every open connection before the loop goes.
        server.close()
        pending = asyncio.all_tasks(self.loop)
        for task in pending:
            task.cancel()
        self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self.loop.close()

    async def _serve(self, client_reader, client_writer) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            client_writer.close()
            return
        back = asyncio.ensure_future(self._pipe(upstream_reader, client_writer))
        try:
            await self._requests(client_reader, upstream_writer)
        finally:
            upstream_writer.close()
            await back

    async def _requests(self, reader, writer) -> None:
        """Each request head rewritten, its body passed on; after a websocket upgrade, raw frames."""
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                return
            lines = head.decode("latin-1").split("\r\n")[:-2]
            kept = [line for line in lines[1:] if not line.lower().startswith(HEADER.lower() + ":")]
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in kept)}
            user = SimpleCookie(headers.get("cookie", "")).get(COOKIE)
            if user is not None and user.value:
                kept.append(f"{HEADER}: {user.value}")
            writer.write(("\r\n".join([lines[0], *kept]) + "\r\n\r\n").encode("latin-1"))
            length = int(headers.get("content-length", "0") or 0)
            if length:
                writer.write(await reader.readexactly(length))
            await writer.drain()
            if headers.get("upgrade", "").lower() == "websocket":
                await self._pipe(reader, writer)
                return

    @staticmethod
    async def _pipe(reader, writer) -> None:
        try:
            while chunk := await reader.read(65536):
                writer.write(chunk)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()
