"""One round trip over stdio: ``kgwiki mcp vault/ --allow-writes`` as a subprocess, driven by
the SDK's stdio client, as an MCP client such as Claude Desktop starts it."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from mcp import Client, StdioServerParameters, stdio_client
from paths import REPO

BODY = ("서킷 브레이커 다음 단계로, 요청 헤지(request hedging)는 느린 응답을 기다리지 않고 "
        "같은 요청을 다른 복제본에 한 번 더 보내 꼬리 지연을 줄이는 기법이다.")  # fmt: skip


def test_stdio_round_trip(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(REPO / "vault", vault, ignore=shutil.ignore_patterns(".kgwiki"))
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "kgwiki.cli.main", "mcp", str(vault), "--allow-writes"],
        env={**os.environ, "KGWIKI_TODAY": "2026-11-23"}, cwd=str(tmp_path))

    async def text(client: Client, tool: str, **arguments: Any) -> tuple[bool, str]:
        result = await client.call_tool(tool, arguments)
        return bool(result.is_error), result.content[0].text  # type: ignore[union-attr]

    async def main() -> dict[str, Any]:
        with (tmp_path / "stderr.txt").open("w") as errlog:
            async with Client(stdio_client(params, errlog=errlog)) as client:
                tools = [t.name for t in (await client.list_tools()).tools]
                _, found = await text(client, "search", query="아키텍처")
                _, note = await text(client, "read_note", note="Server Architecture")
                _, made = await text(client, "create_note", title="Request Hedging", body=BODY)
                again = await text(client, "create_note", title="Request Hedging", body="x")
                bad = await text(client, "neighbours", note="Server Architecture", depth=9)
                _, after = await text(client, "search", query="요청 헤지")
        return {"tools": tools, "found": json.loads(found), "note": json.loads(note),
                "made": json.loads(made), "again": again, "bad": bad,
                "after": json.loads(after)}  # fmt: skip

    got = asyncio.run(main())
    assert {"search", "read_note", "create_note", "append_to_note"} <= set(got["tools"])
    assert any("시스템 아키텍처" in h["title"] for h in got["found"]["hits"])
    assert got["note"]["relations"]["parent"] and got["note"]["changelog"]
    assert got["made"]["path"] == "10_Wiki/Topics/request-hedging.md"
    assert got["made"]["changelog_row"]["date"] == "2026-11-23"
    assert got["made"]["trust"]["verification"] == "unverified"
    assert got["again"][0] and "already names the note 'Request Hedging'" in got["again"][1]
    assert got["bad"][0] and "depth" in got["bad"][1]
    assert got["after"]["hits"][0]["path"] == got["made"]["path"]
    written = (vault / got["made"]["path"]).read_text(encoding="utf-8")
    assert "| 2026-11-23 | Created by an AI agent via kgwiki mcp" in written
