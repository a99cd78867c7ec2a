"""The MCP server driven through the SDK's own client, in process, on a copy of vault/."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import shutil
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from paths import REPO

from kgwiki.mcp import Options, WriteAccess, build_server
from kgwiki.site import Site

TODAY = dt.date(2026, 11, 23)
CHAOS = ("카오스 엔지니어링은 운영 중인 분산 시스템에 일부러 장애를 주입해서, 시스템이 예상치 "
         "못한 상황을 견디는지 실험으로 검증하는 방법이다. Netflix 의 Chaos Monkey 가 "
         "인스턴스를 무작위로 종료하며 시작되었다.")  # fmt: skip


def _loaded(folder: Path) -> Iterator[Site]:
    shutil.copytree(REPO / "vault", folder / "vault", ignore=shutil.ignore_patterns(".kgwiki"))
    loaded = Site.load(folder / "vault", today=TODAY)
    yield loaded
    if loaded.search is not None:
        loaded.search.close()


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One site for the tests that only read."""
    yield from _loaded(tmp_path_factory.mktemp("read"))


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    yield from _loaded(tmp_path)


Session = Callable[[Client], Awaitable[Any]]


def drive(site: Site, session: Session, writes: bool = False) -> Any:
    server = build_server(site, Options(WriteAccess(writes)))

    async def main() -> Any:
        async with Client(server) as client:
            return await session(client)

    return asyncio.run(main())


async def call(client: Client, tool: str, **arguments: Any) -> Any:
    result = await client.call_tool(tool, arguments)
    text = result.content[0].text  # type: ignore[union-attr]
    if result.is_error:
        raise AssertionError(text)
    return json.loads(text)


async def refused(client: Client, tool: str, **arguments: Any) -> str:
    result = await client.call_tool(tool, arguments)
    assert result.is_error, f"{tool} was not refused"
    return str(result.content[0].text)  # type: ignore[union-attr]


READS = ["search", "read_note", "neighbours", "path", "backlinks", "wanted", "trust_report",
         "duplicates", "recent_changes"]  # fmt: skip
WRITES = ["create_note", "append_to_note", "set_trust", "reinforce"]


def test_write_tools_are_listed_only_when_writes_are_allowed(site: Site) -> None:
    async def names(client: Client) -> list[str]:
        return [t.name for t in (await client.list_tools()).tools]

    assert drive(site, names) == READS
    assert drive(site, names, writes=True) == READS + WRITES


def test_search_finds_the_korean_seed_note_with_trust_and_snippet(reader: Site) -> None:
    found = drive(reader, lambda c: call(c, "search", query="아키텍처", limit=20))
    titles = [h["title"] for h in found["hits"]]
    seed = next(h for h in found["hits"]
                if h["title"].startswith("📚[Backend Development] 시스템 아키텍처"))
    assert "시스템 **아키텍처**" in seed["snippet"] and "<mark>" not in seed["snippet"]
    assert "Server Architecture" in titles
    assert all({"trust", "verification", "snippet"} <= set(h) for h in found["hits"])
    assert found["total"] == 12


def test_search_takes_the_cli_filters_and_says_what_was_left_out(reader: Site) -> None:
    found = drive(reader, lambda c: call(c, "search", query="아키텍처 trust:A", limit=2))
    assert len(found["hits"]) == 2 and all(h["trust"] == "A" for h in found["hits"])
    assert found["total"] > 2 and "raise limit" in found["omitted"][0]


def test_read_note_has_relations_changelog_and_a_cut_body(reader: Site) -> None:
    note = drive(reader, lambda c: call(c, "read_note", note="서버 아키텍처", body_chars=300))
    assert note["path"] == "10_Wiki/Topics/server-architecture.md"
    assert note["title"] == "Server Architecture" and note["trust"]["level"] == "A"
    assert len(note["body"]) == 300 and note["body_chars"] > 300
    assert any("body_offset=300" in line for line in note["omitted"])
    relations = {k: {n["title"] for n in v} for k, v in note["relations"].items()}
    assert "Cloud Native" in relations["parent"]
    assert note["changelog"] and all({"date", "text"} <= set(r) for r in note["changelog"])
    assert note["backlinks"] and note["outgoing"]


def test_graph_tools(reader: Site) -> None:
    async def session(client: Client) -> tuple[Any, ...]:
        return (await call(client, "neighbours", note="Kubernetes", depth=1),
                await call(client, "path", source="Kubernetes", target="Backpressure"),
                await call(client, "backlinks", note="Kubernetes", limit=1),
                await call(client, "wanted"), await call(client, "trust_report"),
                await call(client, "duplicates"), await call(client, "recent_changes", limit=3))

    near, path, back, wanted, trust, dupes, changes = drive(reader, session)
    assert "Cloud Native" in {n.get("title") for n in near["nodes"]}
    assert path["hops"][0]["from"] == "10_Wiki/Topics/kubernetes.md"
    assert path["hops"][-1]["to"] == "10_Wiki/Patterns/backpressure.md"
    assert len(back["backlinks"]) == 1 and back["total"] > 1 and back["omitted"]
    assert {"name", "linked_from", "sources"} <= set(wanted["wanted"][0])
    assert trust["notes"] == len(reader.vault.notes) and "A" in trust["counts"]
    assert {"total", "pairs"} <= set(dupes)
    assert len(changes["changes"]) == 3
    assert changes["changes"][0]["date"] >= changes["changes"][-1]["date"]


def test_bad_arguments_get_a_clear_error(reader: Site) -> None:
    async def session(client: Client) -> list[str]:
        return [await refused(client, "read_note", note="Kubernets"),
                await refused(client, "search", query=""),
                await refused(client, "search", query="x", limit=0),
                await refused(client, "neighbours", note="Kubernetes", direction="up"),
                await refused(client, "recent_changes", since="last week")]

    typo, empty, limit, direction, since = drive(reader, session)
    assert "no note is called 'Kubernets'" in typo and "Kubernetes" in typo
    assert "query is empty" in empty
    assert "limit" in limit and "greater than or equal to 1" in limit
    assert "direction is one of both, out, in" in direction
    assert "YYYY-MM-DD" in since


def test_notes_are_resources(reader: Site) -> None:
    async def session(client: Client) -> tuple[str, Any]:
        note = await client.read_resource("kgwiki://note/10_Wiki/Topics/kubernetes.md")
        index = await client.read_resource("kgwiki://notes")
        return note.contents[0].text, json.loads(index.contents[0].text)  # type: ignore[union-attr]

    text, index = drive(reader, session)
    assert text.startswith("# Kubernetes")
    assert {"path": "10_Wiki/Topics/kubernetes.md", "title": "Kubernetes", "trust": "A",
            "verification": "verified"} in index  # fmt: skip


def test_create_note_is_marked_unverified_signed_and_searchable(site: Site) -> None:
    async def session(client: Client) -> tuple[Any, Any, Any]:
        made = await call(client, "create_note", title="Chaos Engineering", body=CHAOS,
                          tags=["resilience"], parent="Server Architecture")  # fmt: skip
        found = await call(client, "search", query="카오스 엔지니어링")
        note = await call(client, "read_note", note="Chaos Engineering")
        return made, found, note

    made, found, note = drive(site, session, writes=True)
    assert made["path"] == "10_Wiki/Topics/chaos-engineering.md"
    assert made["trust"]["level"] == "D" and made["trust"]["verification"] == "unverified"
    assert made["changelog_row"] == {"date": "2026-11-23", "text": "Created by an AI agent via "
                                     "kgwiki mcp; not yet checked by a person"}  # fmt: skip
    assert found["hits"][0]["path"] == made["path"]
    assert note["relations"]["parent"][0]["title"] == "Server Architecture"
    text = (site.vault.root / made["path"]).read_text(encoding="utf-8")
    assert "verification_status: unverified\n" in text and "source_trust_level: D\n" in text
    assert "| 2026-11-23 | Created by an AI agent via kgwiki mcp" in text
    assert CHAOS in text


def test_create_note_refuses_names_and_text_the_vault_has(site: Site) -> None:
    copied = site.vault.notes["10_Wiki/Topics/kubernetes.md"].body

    async def session(client: Client) -> list[str]:
        return [await refused(client, "create_note", title="서버 아키텍처", body="새 글"),
                await refused(client, "create_note", title="Kube Two", body=copied),
                await refused(client, "create_note", title="Fine", body="x", trust="Z")]

    name, text, trust = drive(site, session, writes=True)
    assert "'Server Architecture' (10_Wiki/Topics/server-architecture.md)" in name
    assert "append_to_note" in name
    assert "reads like 'Kubernetes' (10_Wiki/Topics/kubernetes.md" in text
    assert "unknown trust level 'Z'" in trust
    assert not (site.vault.root / "10_Wiki/Topics/kube-two.md").exists()


def test_append_set_trust_and_reinforce_keep_the_rest_of_the_file(site: Site) -> None:
    path = site.vault.root / "10_Wiki/Topics/kubernetes.md"
    before = path.read_bytes()

    async def session(client: Client) -> tuple[Any, Any, Any]:
        added = await call(client, "append_to_note", note="K8s", text="- 새 항목: HPA 는 "
                           "CPU 사용률로 파드 수를 조절한다.", message="HPA 메모")  # fmt: skip
        trusted = await call(client, "set_trust", note="Kubernetes", level="b",
                             reason="a person read it")  # fmt: skip
        again = await call(client, "reinforce", note="Kubernetes", message="sources re-read")
        return added, trusted, again

    added, trusted, again = drive(site, session, writes=True)
    assert added["trust"]["verification"] == "unverified"
    assert added["changelog_row"]["text"].startswith("Added HPA 메모 by an AI agent")
    assert trusted["trust"]["level"] == "B"
    assert "source_trust_level: B" in trusted["changelog_row"]["text"]
    assert again["trust"]["last_reinforced"] == "2026-11-23"
    after = path.read_bytes().decode()
    old = before.decode()
    assert "- 새 항목: HPA 는 CPU 사용률로 파드 수를 조절한다.\n" in after
    kept = [line for line in old.splitlines() if not line.startswith(
        ("source_trust_level:", "verification_status:", "last_reinforced:", "confidence"))]
    assert all(line in after.splitlines() for line in kept)
    assert after.count("kgwiki mcp") == 3
