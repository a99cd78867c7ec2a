"""scripts/gen_vault.py: a synthetic vault that is deterministic and shaped like the seeds."""

from __future__ import annotations

import collections
import hashlib
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from paths import REPO

N = 200
SEED = 7
SCRIPT = REPO / "scripts" / "gen_vault.py"
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
LINK = re.compile(r"(!?)\[\[([^\]]+?)\]\]")


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_vault", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_vault"] = module  # dataclasses look their module up while decorating
    spec.loader.exec_module(module)
    return module


gen_vault = _load()


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("gen") / "vault"
    return out, gen_vault.generate(N, out, seed=SEED)


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _notes(root: Path) -> list[Path]:
    return sorted(root.rglob("*.md"))


def _split(text: str) -> tuple[dict[str, Any], str]:
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    meta = yaml.safe_load(front)
    assert isinstance(meta, dict)
    return meta, body


def _manifest(root: Path) -> dict[str, Any]:
    data = json.loads((root / gen_vault.MANIFEST).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _parsed(root: Path) -> dict[str, tuple[dict[str, Any], str]]:
    flat = set(_manifest(root)["flattened"])
    out: dict[str, tuple[dict[str, Any], str]] = {}
    for path in _notes(root):
        rel = path.relative_to(root).as_posix()
        if rel not in flat:
            out[rel] = _split(path.read_text(encoding="utf-8"))
    return out


def test_same_seed_gives_identical_files(vault: tuple[Path, Any], tmp_path: Path) -> None:
    root, _ = vault
    again = gen_vault.generate(N, tmp_path / "again", seed=SEED)
    assert _digest(root) == _digest(tmp_path / "again")
    assert again.bytes == vault[1].bytes
    other = gen_vault.generate(N, tmp_path / "other", seed=SEED + 1)
    assert _digest(tmp_path / "other") != _digest(root)
    assert other.notes == N


def test_writes_n_notes_assets_and_manifest(vault: tuple[Path, Any]) -> None:
    root, stats = vault
    notes = _notes(root)
    assert len(notes) == N == stats.notes
    assert stats.bytes == sum(p.stat().st_size for p in notes)
    assert len(list((root / "assets").glob("diagram-*.svg"))) == stats.assets > 0
    folders = {p.parent.relative_to(root).as_posix() for p in notes}
    assert len(folders) >= 15
    assert all(f.count("/") == 1 for f in folders)
    names = collections.Counter(p.name for p in notes)
    assert names["index.md"] >= 2  # the same file name in different folders


def test_frontmatter_parses_except_flattened(vault: tuple[Path, Any]) -> None:
    root, stats = vault
    parsed = _parsed(root)
    assert len(parsed) == N - len(stats.flattened)
    for rel, (meta, body) in parsed.items():
        assert meta["category"] == rel.rsplit("/", 1)[0]
        assert body.startswith(f"\n# {meta['title']}\n")
        assert meta["status"] in {"verified", "draft", "stale"}
        assert meta["source_trust_level"] in set("ABCDE")
        assert 0 <= meta["confidence_score"] <= 1
        assert str(meta["last_reinforced"])[:4] in {"2024", "2025", "2026"}
        assert meta["tags"]
        for section in ("## 매 한 줄", "## 매 핵심", "## 🔗 Graph", "## 🕓 Changelog"):
            assert f"\n{section}\n" in body
        assert "\n- 부모: [[" in body
        assert re.search(r"\n\| 20\d\d-\d\d-\d\d \| .+ \|\n", body)
    with_aliases = sum(1 for meta, _ in parsed.values() if meta.get("aliases"))
    assert 0.15 * N < with_aliases < 0.5 * N


def test_flattened_notes_are_one_line(vault: tuple[Path, Any]) -> None:
    root, stats = vault
    assert stats.flattened == _manifest(root)["flattened"]
    assert stats.flattened
    for rel in stats.flattened:
        text = (root / rel).read_text(encoding="utf-8")
        assert "\n" not in text
        assert text.startswith("--- id: wiki-2026-")
        assert " --- # " in text and "## 🔗 Graph - 부모: [[" in text


def test_ids_and_titles_unique(vault: tuple[Path, Any]) -> None:
    root, _ = vault
    parsed = _parsed(root)
    ids = [meta["id"] for meta, _ in parsed.values()]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"wiki-2026-\d{4}-[a-z0-9-]+-\d+", i) for i in ids)
    titles = [str(meta["title"]).lower() for meta, _ in parsed.values()]
    assert len(set(titles)) == len(titles)


def _link_targets(root: Path) -> tuple[collections.Counter[str], int, int]:
    """In-link counts per target, plus embed and total link counts, outside code blocks."""
    received: collections.Counter[str] = collections.Counter()
    embeds = total = 0
    for path in _notes(root):
        text = FENCE.sub("", path.read_text(encoding="utf-8"))
        for bang, inner in LINK.findall(text):
            if bang:
                embeds += 1
                continue
            total += 1
            received[re.split(r"\\?\||#", inner)[0]] += 1
    return received, embeds, total


def test_links_are_skewed_and_counted(vault: tuple[Path, Any]) -> None:
    root, stats = vault
    received, embeds, total = _link_targets(root)
    assert total == stats.links and embeds == stats.embeds
    assert 8 * N <= total <= 15 * N
    titles = {str(meta["title"]) for meta, _ in _parsed(root).values()}
    for rel in stats.flattened:  # their frontmatter is on the one line, before "category:"
        found = re.search(r" title: (.+?) category: ", (root / rel).read_text(encoding="utf-8"))
        assert found
        titles.add(str(yaml.safe_load(found.group(1))))
    missing = {t: c for t, c in received.items() if t not in titles}
    assert set(missing) <= set(_manifest(root)["unresolved_titles"])
    assert sum(missing.values()) == stats.unresolved_links
    assert 0.01 * total < stats.unresolved_links < 0.06 * total
    resolved = sorted((c for t, c in received.items() if t in titles), reverse=True)
    top = sum(resolved[: max(1, N // 100)])
    assert top > 0.10 * sum(resolved)


def test_heading_links_point_at_existing_headings(vault: tuple[Path, Any]) -> None:
    root, _ = vault
    headings: dict[str, set[str]] = {}
    for meta, body in _parsed(root).values():
        headings[str(meta["title"])] = set(re.findall(r"^#{1,6} (.+)$", FENCE.sub("", body), re.M))
    checked = 0
    for path in _notes(root):
        for inner in re.findall(r"\[\[([^\]|#]+)#([^\]|\\]+)", path.read_text(encoding="utf-8")):
            title, heading = inner
            assert heading in headings[title], (path.name, title, heading)
            checked += 1
    assert checked > N // 10


def test_planted_duplicates_exist_and_are_near(vault: tuple[Path, Any]) -> None:
    root, stats = vault
    assert len(stats.duplicates) >= 2
    entries = _manifest(root)["duplicates"]
    assert [(e["original"], e["duplicate"]) for e in entries] == [
        (a, b) for a, b in stats.duplicates
    ]
    assert sum(e["declared"] for e in entries) == stats.declared_duplicates >= 1
    parsed = _parsed(root)
    for entry in entries:
        orig_meta, orig_body = parsed[entry["original"]]
        dup_meta, dup_body = parsed[entry["duplicate"]]
        if entry["declared"]:
            assert dup_meta["duplicate_of"] == orig_meta["title"]
            assert dup_meta["canonical_id"] == orig_meta["id"]
        else:
            assert dup_meta["duplicate_of"] == "none"
        a = set(orig_body.split("\n")[3:])
        b = set(dup_body.split("\n")[3:])
        jaccard = len(a & b) / len(a | b)
        assert 0.4 < jaccard < 0.98, jaccard


def test_average_size(vault: tuple[Path, Any]) -> None:
    _, stats = vault
    assert 3000 <= stats.bytes / N <= 7000


def test_tiny_vaults(tmp_path: Path) -> None:
    for n in (1, 3):
        stats = gen_vault.generate(n, tmp_path / str(n))
        assert len(_notes(tmp_path / str(n))) == n == stats.notes


def test_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "mine.md").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError):
        gen_vault.generate(5, tmp_path)
    assert (tmp_path / "mine.md").read_text(encoding="utf-8") == "keep me"


def test_cli_regenerates_over_its_own_output(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "v"
    assert gen_vault.main(["30", "-o", str(out), "--seed", "1"]) == 0
    assert "30 notes" in capsys.readouterr().out
    assert gen_vault.main(["20", "-o", str(out), "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    assert len(_notes(out)) == 20


def test_template_share_is_deterministic_and_shaped(tmp_path: Path) -> None:
    stats = gen_vault.generate(N, tmp_path / "a", seed=SEED, template_share=0.3)
    again = gen_vault.generate(N, tmp_path / "b", seed=SEED, template_share=0.3)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b") and stats.bytes == again.bytes
    templated = _manifest(tmp_path / "a")["templated"]
    assert len(templated) == round(0.3 * N)
    planted = {path for pair in stats.duplicates for path in pair}
    assert not planted & set(templated) and not set(stats.flattened) & set(templated)
    other = gen_vault.generate(N, tmp_path / "c", seed=SEED + 1, template_share=0.3)
    assert set(_manifest(tmp_path / "c")["templated"]) != set(templated)
    assert other.notes == N
    bodies = []
    for path in templated:
        meta, body = _split((tmp_path / "a" / path).read_text(encoding="utf-8"))
        assert meta["aliases"] == [gen_vault.TEMPLATE_ALIAS, "{{alias}}"]
        assert all(line in body for line in gen_vault.TEMPLATE_LINES)
        bodies.append(body)
    assert len(set(bodies)) == len(bodies)  # each filled in differently
    assert "templated" not in _manifest(gen_vault.generate(5, tmp_path / "d").out)


def test_cli_template_share(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "v"
    assert gen_vault.main(["40", "-o", str(out), "--template-share", "0.5", "--quiet"]) == 0
    assert len(_manifest(out)["templated"]) == 20
    with pytest.raises(SystemExit):
        gen_vault.main(["40", "-o", str(out), "--template-share", "1.5"])
    assert "--template-share" in capsys.readouterr().err
