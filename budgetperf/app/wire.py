"""A session on the wire: what a browser asks of the app's server when someone
opens a page, without drawing it (the load benchmark's room of laptops).

Streamlit's own protocol: the page's HTML (and, with an empty browser cache, every
script, style and font it names, and the chart and table code a dashboard page
loads), then Streamlit's websocket, a ``rerun_script`` request for the page with
the link's query string, and every message until the run has finished. Lives in
the app because it speaks Streamlit (its protobuf messages).
"""

from __future__ import annotations

import asyncio
import re
import urllib.parse
import urllib.request
from pathlib import Path

import streamlit as st
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

_STATIC_JS = Path(st.__file__).parent / "static" / "static" / "js"
# The chart and table code a dashboard page loads after the page itself (lazily).
LAZY_CHUNKS = ("PlotlyChart.", "DataFrame.", "arrowFormatUtils.", "recordbatch.", "serialization.", "moment.")


def assets(url: str, html: str) -> list[str]:
    """What a browser with an empty cache fetches for a page: the scripts, styles and
    fonts its HTML names, and the lazily loaded chart and table code."""
    named = [u for u in re.findall(r'(?:src|href)="\./([^"]+)"', html) if u.startswith("static/")]
    lazy = [f"static/js/{p.name}" for p in sorted(_STATIC_JS.glob("*.js")) if p.name.startswith(LAZY_CHUNKS)]
    return [f"{url}/{u}" for u in dict.fromkeys(named + lazy)]


def _get(url: str, timeout: float) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


async def open_page(url: str, path: str, *, cold: bool = True, timeout: float = 180) -> int:
    """Open `path` (``execution?years=2021``) of the app at `url` as a browser does;
    return when the server has sent the whole page (the bytes it sent). Raises on a
    failed run, a refused connection or a timeout."""
    page, _, query = path.partition("?")
    html = await asyncio.to_thread(_get, f"{url}/{path}", timeout)
    sent = len(html)
    if cold:
        for asset in assets(url, html.decode("utf-8", "replace")):
            sent += len(await asyncio.to_thread(_get, asset, timeout))
    socket_url = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    async with websockets.connect(socket_url, subprotocols=["streamlit"], origin=url, max_size=None,
                                  open_timeout=timeout) as ws:
        request = BackMsg()
        request.rerun_script.query_string = urllib.parse.unquote(query)
        request.rerun_script.page_name = page
        await ws.send(request.SerializeToString())
        while True:
            data = await asyncio.wait_for(ws.recv(), timeout)
            sent += len(data)
            message = ForwardMsg()
            message.ParseFromString(data)
            if message.WhichOneof("type") == "script_finished":
                if message.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    raise RuntimeError(f"the page's run ended with status {message.script_finished}")
                return sent
