"""``Vault.refresh_file`` re-resolves the links whose lookup a change touches: a title that
ends in ``.md``, a name respelled or moved to another kind, an attachment that comes or goes
(tests/graph/test_graph_live_names.py checks whole sites against fresh loads)."""

from __future__ import annotations

from pathlib import Path

from kgwiki.vault import Vault


def vault_of(tmp_path: Path, files: dict[str, str | bytes]) -> Vault:
    for name, content in files.items():
        file = tmp_path / name
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            file.write_bytes(content)
        else:
            file.write_text(content, encoding="utf-8")
    return Vault.load(tmp_path, use_cache=False)


def targets(vault: Vault, path: str) -> list[str | None]:
    return [item.target for item in vault.links_of(vault.note(path).path)]


def retitle(vault: Vault, path: str, front: str) -> None:
    (vault.root / path).write_text(f"---\n{front}\n---\nBody.\n", encoding="utf-8")
    vault.refresh_file(path)


def test_a_title_ending_in_md_is_linked_by_it(tmp_path: Path) -> None:
    vault = vault_of(tmp_path, {"a.md": "See [[Reading notes.md]].\n", "b.md": "# B\n"})
    assert targets(vault, "a.md") == [None]
    retitle(vault, "b.md", "title: Reading notes.md")
    assert targets(vault, "a.md") == ["b.md"]
    assert vault.sources_linking_to_names(vault.note("b.md")) == {"a.md"}
    retitle(vault, "b.md", "title: Something else")
    assert targets(vault, "a.md") == [None]


def test_a_name_respelled_or_of_another_kind_resolves_again(tmp_path: Path) -> None:
    vault = vault_of(tmp_path, {"a.md": "[[One]] [[Two]]\n",
                                "b.md": "---\ntitle: One\naliases: [Two]\n---\n"})  # fmt: skip
    assert [item.resolution.via for item in vault.links_of(vault.note("a.md").path)] == [
        "title", "alias"]  # fmt: skip
    retitle(vault, "b.md", "title: Two\naliases: [ONE]")
    links = vault.links_of(vault.note("a.md").path)
    assert [(item.resolution.via, item.resolution.exact_case) for item in links] == [
        ("alias", False), ("title", True)]  # fmt: skip
    assert Vault.renamed_keys(vault.note("b.md"), vault.note("b.md")) == set()


def test_an_attachment_that_comes_or_goes_is_linked_or_not(tmp_path: Path) -> None:
    vault = vault_of(tmp_path, {"a.md": "![[pic.png]] [[files/doc.pdf]]\n", "pic.png": b"png"})
    assert targets(vault, "a.md") == ["pic.png", None]
    (tmp_path / "pic.png").unlink()
    vault.refresh_file("pic.png")
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "doc.pdf").write_bytes(b"pdf")
    vault.refresh_file("files/doc.pdf")
    assert targets(vault, "a.md") == [None, "files/doc.pdf"]
    assert vault.attachments == {"files/doc.pdf"}
    assert vault.index.__getstate__() == Vault.load(tmp_path, use_cache=False).index.__getstate__()
