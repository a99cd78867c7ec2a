"""Authoring: ``kgwiki new``, ``add`` and ``reinforce`` on copies of the bundled vault."""

from __future__ import annotations

import datetime as dt
import difflib
import importlib.util
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from kgwiki import clock
from kgwiki.authoring import NoteRefused, add_note, new_note, reinforce
from kgwiki.authoring.template import PLACEHOLDERS
from kgwiki.cli.main import main
from kgwiki.note import load_frontmatter, split_frontmatter
from kgwiki.types import NotePath
from kgwiki.vault import Vault

TODAY = dt.date(2026, 11, 23)
PARENT = NotePath("10_Wiki/Topics/microservices.md")


@pytest.fixture
def vault_dir(tmp_path: Path, bundled_vault_dir: Path) -> Path:
    return Path(shutil.copytree(bundled_vault_dir, tmp_path / "vault",
                                ignore=shutil.ignore_patterns(".kgwiki")))  # fmt: skip


@pytest.fixture
def vault(vault_dir: Path) -> Vault:
    return Vault.load(vault_dir, use_cache=False)


@pytest.fixture(scope="module")
def refusing(tmp_path_factory: pytest.TempPathFactory, bundled_vault_dir: Path) -> Vault:
    """One copy for the refusal tests: each checks that nothing was written to it."""
    root = tmp_path_factory.mktemp("refusals") / "vault"
    shutil.copytree(bundled_vault_dir, root, ignore=shutil.ignore_patterns(".kgwiki"))
    return Vault.load(root, use_cache=False)


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _meta(path: Path) -> dict[str, object]:
    split = split_frontmatter(path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n"))
    assert split.raw is not None
    data, problems = load_frontmatter(split.raw, path.name)
    assert not problems
    return data


# -- new ---------------------------------------------------------------------------------------


def test_new_note_has_the_schema_sections_and_parent_link(vault: Vault, vault_dir: Path) -> None:
    path = new_note(vault, "Distributed Transactions", tags=["db", "#distributed"], trust="b",
                    aliases=["분산 트랜잭션"], parent="MSA", today=TODAY)  # fmt: skip
    assert path == "10_Wiki/Topics/distributed-transactions.md"  # the parent's folder
    assert _meta(vault_dir / path) == {
        "id": "wiki-2026-1123-distributed-transactions", "title": "Distributed Transactions",
        "category": "10_Wiki/Topics", "aliases": ["분산 트랜잭션"], "status": "draft",
        "canonical_id": "self", "duplicate_of": "none", "source_trust_level": "B",
        "confidence_score": 0.8, "verification_status": "unverified", "tags": ["db", "distributed"],
        "raw_sources": [], "last_reinforced": "2026-11-23",
    }  # fmt: skip
    note = vault.notes[path]  # the vault knows it without a reload
    assert [(h.level, h.text) for h in note.headings] == [
        (1, "Distributed Transactions"), (2, "🔗 Graph"), (2, "🕓 Changelog"),
    ]  # fmt: skip: no body, so no empty "매 핵심" section (and no empty "> " quote)
    assert [(e.date, e.text) for e in note.changelog] == [(TODAY, "Created")]
    assert "- 부모: [[Microservices]]\n" in (vault_dir / path).read_text(encoding="utf-8")
    assert [(vault.resolve(link.target.file or "").path, link.relation)
            for link in note.links] == [(PARENT, "parent")]  # fmt: skip
    assert vault.resolve("분산 트랜잭션").path == path
    assert not [d for d in note.diagnostics if d.severity == "error"]


def test_korean_title_gives_a_korean_file_name(vault: Vault) -> None:
    path = new_note(vault, "분산 트랜잭션", today=TODAY)
    assert path == "10_Wiki/Topics/분산-트랜잭션.md"
    assert vault.notes[path].id == "wiki-2026-1123-분산-트랜잭션"


def test_default_folder_is_the_root_without_10_wiki_topics(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n", encoding="utf-8")
    vault = Vault.load(tmp_path, use_cache=False)
    assert new_note(vault, "Bee", today=TODAY) == "bee.md"
    assert new_note(vault, "Sea", category="deep/er", today=TODAY) == "deep/er/sea.md"
    assert _meta(tmp_path / "deep/er/sea.md")["category"] == "deep/er"


def test_taken_ids_and_file_names_get_a_number(vault: Vault, vault_dir: Path) -> None:
    (vault_dir / "zeta-owner.md").write_text("---\nid: wiki-2026-1123-zeta\n---\n# Owner\n",
                                             encoding="utf-8")  # fmt: skip
    vault.refresh_file("zeta-owner.md")
    path = new_note(vault, "Zeta", category="", today=TODAY)
    assert path == "zeta.md" and vault.notes[path].id == "wiki-2026-1123-zeta-2"
    # Another title with the same slug: the file name (and with it the id) is numbered.
    second = new_note(vault, "ZETA!", category="", today=TODAY)
    assert second == "zeta-2.md" and vault.notes[second].id == "wiki-2026-1123-zeta-2-2"


@pytest.mark.parametrize(
    "title",
    ["Yes", "0123", "@home", "- dash", "null", "100% sure", "O'Reilly notes", "Kafka, Pulsar"],
)
def test_titles_yaml_would_misread_are_quoted(vault: Vault, vault_dir: Path, title: str) -> None:
    path = new_note(vault, title, category="", today=TODAY)
    assert _meta(vault_dir / path)["title"] == title
    assert vault.notes[path].title == title


@pytest.mark.parametrize(("title", "aliases", "existing"), [
    ("Microservices", [], PARENT),               # an existing title
    ("MSA", [], PARENT),                         # an existing alias as the title
    ("Brand New", ["마이크로서비스"], PARENT),     # an existing alias as an alias
    ("microservices", [], PARENT),               # case does not make it new
    ("wiki-2026-0514-microservices", [], PARENT),  # an id
])  # fmt: skip
def test_names_that_are_taken_are_refused(
    refusing: Vault, title: str, aliases: list[str], existing: NotePath
) -> None:
    before = _files(refusing.root)
    with pytest.raises(NoteRefused) as refused:
        new_note(refusing, title, aliases=aliases, today=TODAY)
    assert refused.value.existing == existing
    assert "Microservices" in str(refused.value)  # names the note
    assert _files(refusing.root) == before


@pytest.mark.parametrize(("title", "reason"), [
    ("../escape", "outside the vault"), ("CON", "reserves"), ("con", "reserves"),
    ("LPT1", "reserves"), ("a/b", "'/'"), ("a\\b", "'\\\\'"), ("What?", "'?'"),
    ("x:y", "':'"), ("note.", "ends with a dot"), (".hidden", "starts with a dot"),
    ("tab\there", "control character"), ("a|b", "'|'"), ("a#b", "linked"), ("[[x]]", "linked"),
    ("가" * 67 + "a", "200 bytes"), ("   ", "empty"),
])  # fmt: skip
def test_invalid_names_are_refused(refusing: Vault, title: str, reason: str) -> None:
    before = _files(refusing.root)
    with pytest.raises(NoteRefused, match=re.escape(reason)) as refused:
        new_note(refusing, title, today=TODAY)
    assert refused.value.existing is None
    assert _files(refusing.root) == before


@pytest.mark.parametrize(("options", "reason"), [
    ({"category": "../outside"}, "outside the vault"), ({"category": "/etc"}, "absolute"),
    ({"category": ".kgwiki"}, "dot"), ({"category": "a/CON"}, "reserves"),
    ({"category": "index.md"}, "not a folder"), ({"trust": "Z"}, "unknown trust level"),
    ({"parent": "No Such Note"}, "parent: no note"), ({"tags": ["two words"]}, "spaces"),
    ({"aliases": ["a|b"]}, "linked"), ({"template": "nope"}, "no template 'nope'"),
    ({"template": "../x"}, "outside"),
])  # fmt: skip
def test_invalid_options_are_refused(refusing: Vault, options: dict[str, object],
                                     reason: str) -> None:  # fmt: skip
    before = _files(refusing.root)
    with pytest.raises(NoteRefused, match=reason):
        new_note(refusing, "Fresh Note", today=TODAY, **options)  # type: ignore[arg-type]
    assert _files(refusing.root) == before


def test_a_vault_template_overrides_the_default(vault: Vault, vault_dir: Path) -> None:
    (vault_dir / "_templates").mkdir()
    (vault_dir / "_templates/brief.md").write_text(
        "---\ntitle: {{title}}\nid: {{id}}\ntags: {{tags}}\naliases: {{aliases}}\n"
        "confidence_score: {{confidence}}\n---\n# {{title}}\n\n{{body}}\n\nUp: {{parent_link}} "
        "({{parent}}); tags {{tags}}; made {{date}}\n{{graph}}\n", encoding="utf-8")  # fmt: skip
    path = new_note(vault, "Short One", tags=["x", "y"], parent="Microservices",
                    template="brief", body="첫 문단.\r\n둘째 줄.\n", today=TODAY)  # fmt: skip
    text = (vault_dir / path).read_text(encoding="utf-8")
    assert _meta(vault_dir / path) == {"title": "Short One", "id": "wiki-2026-1123-short-one",
                                       "tags": ["x", "y"], "aliases": [],
                                       "confidence_score": 0.6}  # fmt: skip
    assert (
        "# Short One\n\n첫 문단.\n둘째 줄.\n\nUp: [[Microservices]] (Microservices); "
        "tags x, y; made 2026-11-23\n- 부모: [[Microservices]]\n"
    ) in text


def test_a_template_leaves_no_empty_quote_or_section_behind(vault: Vault, vault_dir: Path) -> None:
    (vault_dir / "templates").mkdir()
    (vault_dir / "templates/skeleton.md").write_text(
        "---\ntitle: {{title}}\n---\n# {{title}}\n\n## 매 한 줄\n>\n\n## 매 핵심\n{{body}}\n\n"
        "### 매 세부\n\n## Example\n```md\n## not a heading\n>\n\n\n```\n\n"
        "## 🔗 Graph\n{{graph}}\n\n## 🕓 Changelog\n| 날짜 | 변경 |\n|---|---|\n"
        "| {{today}} | Created |\n", encoding="utf-8")  # fmt: skip
    bare = new_note(vault, "Bare One", template="skeleton", today=TODAY)
    assert (vault_dir / bare).read_text(encoding="utf-8").split("---\n", 2)[2] == (
        "# Bare One\n\n## Example\n```md\n## not a heading\n>\n\n\n```\n\n"
        "## 🕓 Changelog\n| 날짜 | 변경 |\n|---|---|\n| 2026-11-23 | Created |\n"
    )  # the code block is kept as written, blank lines, quote marker and all
    full = new_note(vault, "Full One", template="skeleton", body="Some text.",
                    parent="Microservices", today=TODAY)  # fmt: skip
    headings = [(h.level, h.text) for h in vault.notes[full].headings]
    assert headings == [(1, "Full One"), (2, "매 핵심"), (2, "Example"), (2, "🔗 Graph"),
                        (2, "🕓 Changelog")]  # fmt: skip
    assert "\n>\n" not in (vault_dir / full).read_text(encoding="utf-8").split("```")[0]


def test_the_default_template_without_a_body_is_title_and_changelog(
    vault: Vault, vault_dir: Path
) -> None:
    path = new_note(vault, "Lonely Note", today=TODAY)
    body = (vault_dir / path).read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body == ("# Lonely Note\n\n## 🕓 Changelog\n| 날짜 | 변경 |\n|---|---|\n"
                    "| 2026-11-23 | Created |\n")  # fmt: skip
    assert not [d for d in vault.notes[path].diagnostics if d.severity == "error"]


def test_templates_with_unknown_placeholders_or_bad_yaml_are_refused(
    vault: Vault, vault_dir: Path
) -> None:
    (vault_dir / "templates").mkdir()
    (vault_dir / "templates/typo.md").write_text("# {{titel}}\n", encoding="utf-8")
    (vault_dir / "templates/bad.md").write_text("---\ntitle: [{{title}}\n---\n", encoding="utf-8")
    with pytest.raises(NoteRefused, match=r"unknown placeholders \{\{titel\}\}"):
        new_note(vault, "One", template="typo")
    with pytest.raises(NoteRefused, match="invalid frontmatter"):
        new_note(vault, "One", template="bad")


def test_every_placeholder_is_documented(repo_dir: Path) -> None:
    doc = (repo_dir / "docs/authoring.md").read_text(encoding="utf-8")
    assert [p for p in PLACEHOLDERS if "{{" + p + "}}" not in doc] == []


def test_parent_link_uses_the_path_when_the_title_is_ambiguous(
    vault: Vault, vault_dir: Path
) -> None:
    # A second note whose file name is the parent's title: [[Helm]] would be ambiguous.
    (vault_dir / "30_Inbox/Helm.md").write_text("# Helm charts\n", encoding="utf-8")
    vault.refresh_file("30_Inbox/Helm.md")
    path = new_note(vault, "Chart Museum", parent="10_Wiki/Topics/helm.md", category="",
                    today=TODAY)  # fmt: skip
    assert "- 부모: [[10_Wiki/Topics/helm|Helm]]" in (vault_dir / path).read_text("utf-8")
    (link,) = vault.notes[path].links
    assert vault.resolve(link.target.file or "", path).path == "10_Wiki/Topics/helm.md"


# -- add ---------------------------------------------------------------------------------------


def test_add_imports_the_blog_seed_keeping_body_and_keys(shared_dir: Path, vault_dir: Path) -> None:
    shutil.rmtree(vault_dir / "20_Blog")
    vault = Vault.load(vault_dir, use_cache=False)
    source = shared_dir / "seeds/system-architecture-blog.md"
    path = add_note(vault, source, category="20_Blog", today=TODAY)
    assert path == "20_Blog/system-architecture-blog.md"
    old, new = source.read_bytes(), (vault_dir / path).read_bytes()
    old_body, new_body = old.split(b"\n---\n", 1)[1], new.split(b"\n---\n", 1)[1]
    assert new_body == old_body
    # the original frontmatter lines are all still there, in order, untouched
    assert new.startswith(old.split(b"\n---\n", 1)[0] + b"\n")
    meta = _meta(vault_dir / path)
    assert meta == {
        "title": "📚[Backend Development] 시스템 아키텍처란?", "tags": ["Backend Ddevelopment"],
        "date": "2025-03-14", "thumbnail": "/assets/img/thumbnail/BackendDevelopment.jpg",
        "id": "wiki-2025-0314-system-architecture-blog", "category": "20_Blog",
        "status": "draft", "canonical_id": "self", "duplicate_of": "none",
        "source_trust_level": "C", "confidence_score": 0.6, "verification_status": "unverified",
        "raw_sources": [], "last_reinforced": "2026-11-23",
    }  # fmt: skip
    assert vault.resolve("📚[Backend Development] 시스템 아키텍처란?").path == path
    assert source.read_bytes() == old  # the source is left alone


def test_add_refuses_a_title_the_vault_has(shared_dir: Path, vault: Vault, vault_dir: Path) -> None:
    before = _files(vault_dir)
    with pytest.raises(NoteRefused, match="already names") as refused:
        add_note(vault, shared_dir / "seeds/system-architecture-blog.md")
    assert refused.value.existing == "20_Blog/system-architecture-blog.md"
    assert _files(vault_dir) == before


def test_add_a_file_without_frontmatter_keeps_crlf_and_bom(vault: Vault, tmp_path: Path) -> None:
    source = tmp_path / "plain note.md"
    body = "\ufeff# Plain Import\r\n\r\nSee [[Kubernetes]].\r\n".encode()
    source.write_bytes(body)
    path = add_note(vault, source, today=TODAY)
    assert path == "10_Wiki/Topics/plain note.md"
    data = (vault.root / path).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\nid: wiki-2026-1123-plain-note\r\n")
    assert data.endswith(b"---\r\n" + body[3:])
    assert vault.notes[path].title == "Plain Import"


def test_add_completes_a_note_already_in_the_vault_in_place(vault: Vault, vault_dir: Path) -> None:
    inside = vault_dir / "30_Inbox/loose.md"
    inside.write_text("---\ntitle: Loose  # typed by hand\n---\nBody.\n", encoding="utf-8")
    vault.refresh_file("30_Inbox/loose.md")
    assert add_note(vault, inside, today=TODAY) == "30_Inbox/loose.md"
    text = inside.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Loose  # typed by hand\nid: wiki-2026-1123-loose\n")
    assert text.endswith("---\nBody.\n")
    assert _files(vault_dir / "30_Inbox") == {"loose.md", "edge-computing.md",
                                              "platform-engineering.md"}  # fmt: skip


def test_add_command_reports_each_file(shared_dir: Path, vault_dir: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    fresh = tmp_path / "fresh.md"
    fresh.write_text("---\ntitle: Fresh Import\n---\n# Fresh Import\n", encoding="utf-8")
    status = main(["add", str(fresh), str(shared_dir / "seeds/system-architecture-blog.md"),
                   "--vault", str(vault_dir), "--category", "30_Inbox"])  # fmt: skip
    captured = capsys.readouterr()
    assert status == 1  # one of the two was refused
    assert "added" in captured.out and "30_Inbox/fresh.md" in captured.out
    assert "already names the note" in captured.err
    assert (vault_dir / "30_Inbox/fresh.md").is_file()


# -- reinforce ---------------------------------------------------------------------------------


def test_reinforce_changes_two_lines_and_nothing_else(vault: Vault, vault_dir: Path) -> None:
    file = vault_dir / PARENT
    before = file.read_text(encoding="utf-8").splitlines(keepends=True)
    reinforce(vault, "MSA", message="Re-read | checked", today=TODAY)
    after = file.read_text(encoding="utf-8").splitlines(keepends=True)
    changes = [line for line in difflib.ndiff(before, after) if line[:1] in "+-"]
    assert changes == ["- last_reinforced: 2026-10-21\n", "+ last_reinforced: 2026-11-23\n",
                       "+ | 2026-11-23 | Re-read \\| checked |\n"]  # fmt: skip
    assert after[-1] == "| 2026-11-23 | Re-read \\| checked |\n"
    note = vault.notes[PARENT]
    assert note.meta.last_reinforced == TODAY
    assert note.changelog[-1].text == "Re-read | checked"  # the escaped pipe reads back as one


def test_reinforce_keeps_bom_crlf_comments_and_key_order(vault: Vault, vault_dir: Path) -> None:
    file = vault_dir / "crlf.md"
    file.write_bytes(
        "\ufeff---\r\n# owner: me\r\ntitle: CRLF Note\r\nlast_reinforced: 2025-01-02  # by hand\r\n"
        "zzz: kept\r\n---\r\n# CRLF Note\r\n\r\n## History\r\n\r\n| When | What | Who |\r\n"
        "|---|---|---|\r\n| 2025-01-02 | Made | me |\r\n\r\n## After\r\ntext".encode())  # fmt: skip
    vault.refresh_file("crlf.md")
    reinforce(vault, "CRLF Note", today=TODAY)
    assert file.read_bytes() == (
        "\ufeff---\r\n# owner: me\r\ntitle: CRLF Note\r\nlast_reinforced: 2026-11-23  # by hand\r\n"
        "zzz: kept\r\n---\r\n# CRLF Note\r\n\r\n## History\r\n\r\n| When | What | Who |\r\n"
        "|---|---|---|\r\n| 2025-01-02 | Made | me |\r\n| 2026-11-23 | Reinforced |  |\r\n\r\n"
        "## After\r\ntext").encode()  # fmt: skip


def test_reinforce_follows_a_newest_first_table(vault: Vault, vault_dir: Path) -> None:
    file = vault_dir / "newest.md"
    file.write_text("---\ntitle: Newest\n---\n## Changelog\n| d | c |\n|---|---|\n"
                    "| 2026-02-01 | b |\n| 2026-01-01 | a |\n", encoding="utf-8")  # fmt: skip
    vault.refresh_file("newest.md")
    reinforce(vault, "Newest", message="c", today=TODAY)
    assert file.read_text(encoding="utf-8").endswith(
        "|---|---|\n| 2026-11-23 | c |\n| 2026-02-01 | b |\n| 2026-01-01 | a |\n"
    )
    assert _meta(file) == {"title": "Newest", "last_reinforced": "2026-11-23"}


def test_reinforce_creates_what_is_missing(vault: Vault, vault_dir: Path) -> None:
    file = vault_dir / "bare.md"
    file.write_text("# Bare\n\nNo frontmatter, no changelog.", encoding="utf-8")
    vault.refresh_file("bare.md")
    reinforce(vault, "Bare", today=TODAY)
    assert file.read_text(encoding="utf-8") == (
        "---\nlast_reinforced: 2026-11-23\n---\n# Bare\n\nNo frontmatter, no changelog.\n\n"
        "## 🕓 Changelog\n| 날짜 | 변경 |\n|---|---|\n| 2026-11-23 | Reinforced |\n"
    )
    empty = vault_dir / "empty-section.md"
    empty.write_text("# E\n\n## 변경 이력\nSome words.\n\n## Next\n", encoding="utf-8")
    vault.refresh_file("empty-section.md")
    reinforce(vault, "empty-section.md", today=TODAY)
    assert (
        "## 변경 이력\nSome words.\n\n| 날짜 | 변경 |\n|---|---|\n"
        "| 2026-11-23 | Reinforced |\n\n## Next\n"
    ) in empty.read_text(encoding="utf-8")
    assert [e.text for e in vault.notes[NotePath("empty-section.md")].changelog] == ["Reinforced"]


def test_reinforce_keeps_a_cp949_file_in_cp949(vault: Vault, vault_dir: Path) -> None:
    text = ("---\ntitle: 한글 노트\nlast_reinforced: 2025-01-01\n---\n# 한글 노트\n\n"
            "## 변경 이력\n| 날짜 | 변경 |\n|---|---|\n| 2025-01-01 | 작성 |\n")  # fmt: skip
    file = vault_dir / "euc.md"
    file.write_bytes(text.encode("cp949"))
    vault.refresh_file("euc.md")
    reinforce(vault, "한글 노트", message="검토", today=TODAY)
    expected = text.replace("last_reinforced: 2025-01-01", "last_reinforced: 2026-11-23")
    assert file.read_bytes() == (expected + "| 2026-11-23 | 검토 |\n").encode("cp949")
    # A new Changelog heading has an emoji CP949 cannot hold: refused, not half-written.
    bare = vault_dir / "euc-bare.md"
    bare.write_bytes("# 맨 노트\n".encode("cp949"))
    vault.refresh_file("euc-bare.md")
    with pytest.raises(NoteRefused, match="cp949"):
        reinforce(vault, "맨 노트", today=TODAY)
    assert bare.read_bytes() == "# 맨 노트\n".encode("cp949")


def test_reinforce_refuses_a_flattened_or_unknown_note(vault: Vault, vault_dir: Path) -> None:
    flat = vault_dir / "10_Wiki/Topics/server-architecture.md"
    before = flat.read_bytes()
    with pytest.raises(NoteRefused, match="lint --fix"):
        reinforce(vault, "Server Architecture", today=TODAY)
    assert flat.read_bytes() == before
    with pytest.raises(NoteRefused, match="no note is called"):
        reinforce(vault, "Nothing Like This", today=TODAY)


# -- atomic writes -----------------------------------------------------------------------------


@pytest.mark.parametrize("broken", ["os.replace", "os.fsync"])
def test_an_interrupted_write_leaves_the_old_file(
    vault: Vault, vault_dir: Path, broken: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = vault_dir / PARENT
    before = file.read_bytes()
    folder_before = _files(file.parent)

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(broken, fail)
    with pytest.raises(OSError, match="disk full"):
        reinforce(vault, "Microservices", today=TODAY)
    with pytest.raises(NoteRefused, match="disk full"):
        new_note(vault, "Never Written", category="10_Wiki/Topics", today=TODAY)
    monkeypatch.undo()
    assert file.read_bytes() == before
    assert _files(file.parent) == folder_before  # no temp file, no half-written note


# -- the command line, search, graph and the live site ----------------------------------------


def test_new_command_writes_and_refuses(
    vault_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["new", "Consensus Protocols", "--vault", str(vault_dir), "--tags",
                   "raft,paxos", "--alias", "합의", "--parent", "Distributed Systems",
                   "--trust", "A"])  # fmt: skip
    assert status == 0
    assert "created 10_Wiki/Topics/consensus-protocols.md" in capsys.readouterr().out
    meta = _meta(vault_dir / "10_Wiki/Topics/consensus-protocols.md")
    assert meta["tags"] == ["raft", "paxos"] and meta["aliases"] == ["합의"]
    assert meta["source_trust_level"] == "A"
    status = main(["new", "합의", "--vault", str(vault_dir)])
    assert status == 1
    assert "'합의' already names the note 'Consensus Protocols'" in capsys.readouterr().err


def test_new_edit_opens_the_editor(vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\n"
                      "open(sys.argv[1], 'a', encoding='utf-8').write('Edited [[Helm]]\\n')\n",
                      encoding="utf-8")  # fmt: skip
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"'{sys.executable}' '{editor}'")
    assert main(["new", "Edited Note", "--vault", str(vault_dir), "--edit", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["path"] == "10_Wiki/Topics/edited-note.md"
    assert (vault_dir / shown["path"]).read_text(encoding="utf-8").endswith("Edited [[Helm]]\n")


def test_reinforce_command(vault_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reinforce", "Helm", "--vault", str(vault_dir), "-m", "Checked"]) == 0
    assert "reinforced 10_Wiki/Topics/helm.md" in capsys.readouterr().out
    text = (vault_dir / "10_Wiki/Topics/helm.md").read_text(encoding="utf-8")
    assert f"last_reinforced: {clock.today().isoformat()}\n" in text
    assert text.endswith(f"| {clock.today().isoformat()} | Checked |\n")


def test_a_new_note_shows_in_search_and_backlinks(
    vault_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kgwiki.search import SearchIndex

    vault = Vault.load(vault_dir, use_cache=False)
    with SearchIndex.open(vault) as index:
        index.update(vault)
        path = new_note(vault, "Quorum Reads", parent="Distributed Systems",
                        body="Zanzibarquorum is a made-up word only this note has.")  # fmt: skip
        index.update(vault)
        assert [hit.path for hit in index.search("Zanzibarquorum").hits] == [path]
    assert main(["graph", "backlinks", "Distributed Systems", "--vault", str(vault_dir),
                 "--json"]) == 0  # fmt: skip
    sources = {row["source"]: row["kind"] for row in json.loads(capsys.readouterr().out)}
    assert sources[path] == "parent"


@pytest.mark.skipif(importlib.util.find_spec("kgwiki.cli.cmd_search") is None,
                    reason="kgwiki search (cli/cmd_search.py) does not exist yet")  # fmt: skip
def test_a_new_note_shows_in_kgwiki_search(vault_dir: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    assert main(["new", "Quorum Reads", "--vault", str(vault_dir)]) == 0
    capsys.readouterr()
    assert main(["search", "Quorum Reads", "--vault", str(vault_dir)]) == 0
    assert "10_Wiki/Topics/quorum-reads.md" in capsys.readouterr().out


def test_the_live_site_shows_a_new_note_after_refresh_file(vault_dir: Path) -> None:
    from kgwiki.site import Site

    site = Site.load(vault_dir, with_duplicates=False)
    path = new_note(site.vault, "Hinted Handoff", parent="Database Replication",
                    body="Hinthandoffword appears only here.")  # fmt: skip
    site.refresh_file(path)
    assert path in site.graph
    parent = site.vault.resolve("Database Replication").path
    assert parent is not None
    assert path in {b.source for b in site.graph.backlinks(parent)}
    assert site.search is not None
    try:
        assert [hit.path for hit in site.search.search("Hinthandoffword").hits] == [path]
    finally:
        site.search.close()
    assert os.path.exists(vault_dir / path)
