"""Duplicates: shingles, declared duplicates, and near-duplicates planted in a copy of vault/."""

from __future__ import annotations

import functools
import json
import random
import shutil
from pathlib import Path

import numpy as np
import paths
import pytest

from kgwiki.cli.main import main
from kgwiki.diagnostics import Diagnostic
from kgwiki.duplicates import content_text
from kgwiki.duplicates import minhash as duplicates_minhash
from kgwiki.duplicates import problems as duplicate_problems
from kgwiki.duplicates.find import (
    DuplicateDetector,
    band_params,
    canonical_of,
    declared,
    find_duplicates,
)
from kgwiki.duplicates.keep import choose_keep
from kgwiki.duplicates.minhash import SketchParams, sketch_texts
from kgwiki.duplicates.shingles import jaccard, shingle_sets
from kgwiki.note import SectionKind, section_kind
from kgwiki.types import NotePath
from kgwiki.vault import Vault

DATA = paths.DATA / "dupes"
THRESHOLD = 0.6  # what docs/duplicates.md recommends and kgwiki.toml.example sets
CONFIG = f"[duplicates]\nthreshold = {THRESHOLD}\nshingle_size = 3\n"
PLANTED = 20


def _pairs(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            left, right = line.split("\t")
            rows.append((left, right))
    return rows


GLOSSARY = _pairs("glossary.tsv")
REWORDINGS = _pairs("rewordings.tsv")
FILLER = [s for s in (DATA / "filler.txt").read_text(encoding="utf-8").splitlines()
          if s.strip() and not s.startswith("#")]  # fmt: skip


# -- planting near-duplicates -----------------------------------------------------------------


def _body(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        return lines[end + 1 :]
    return lines


def _prose(lines: list[str]) -> list[int]:
    """Indexes of lines a person would reword: prose, not headings, tables, code or links."""
    found, fence = [], False
    for i, line in enumerate(lines):
        if line.startswith("```"):
            fence = not fence
            continue
        text = line.strip()
        if fence or not text or text.startswith(("#", "|", "![[")) or "[[" in text:
            continue
        found.append(i)
    return found


def _reword(rng: random.Random, line: str) -> str:
    roll = rng.random()
    if roll < 0.4:
        changed = line
        for old, new in REWORDINGS:
            if f" {old}" in changed or changed.startswith(old):
                changed = changed.replace(old, new, 1)
        if changed != line:
            return changed
    if roll < 0.7:
        parts = line.split(". ")
        if len(parts) > 1:
            k = rng.randrange(1, len(parts))
            return ". ".join(parts[k:] + parts[:k])
    return rng.choice(FILLER)


def _mix(rng: random.Random, line: str) -> str:
    """Swap one Korean term for its English name, or the other way round."""
    order = list(GLOSSARY)
    rng.shuffle(order)
    for korean, english in order:
        if korean in line:
            return line.replace(korean, f" {english} ", 1).replace("  ", " ")
        if f" {english} " in line:
            return line.replace(f" {english} ", f" {korean} ", 1)
    return line


def _sections(body: list[str]) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """The lines before the first ``##``, the content sections, the Graph/Changelog ones."""
    head: list[str] = []
    content: list[list[str]] = []
    tail: list[list[str]] = []
    current: list[str] | None = None
    fence = False
    for line in body:
        if line.startswith("```"):
            fence = not fence
        if not fence and line.startswith("## "):
            current = [line]
            kind = section_kind(line[3:])
            boilerplate = kind in (SectionKind.GRAPH, SectionKind.CHANGELOG)
            (tail if boilerplate else content).append(current)
        elif current is None:
            head.append(line)
        else:
            current.append(line)
    return head, content, tail


def plant(note_text: str, title: str, family: int, rng: random.Random) -> str:
    """A near-duplicate of a note: reworded (0), reordered (1), mixed (2) or all three (3)."""
    head, content, tail = _sections(_body(note_text))
    if family in (1, 3):
        rng.shuffle(content)
    lines = head + [line for section in content for line in section]
    rate = {0: 0.15, 1: 0.05, 2: 0.0, 3: 0.12}[family]
    mix_rate = {0: 0.0, 1: 0.0, 2: 0.3, 3: 0.12}[family]
    for i in _prose(lines):
        if rng.random() < rate:
            lines[i] = _reword(rng, lines[i])
        elif rng.random() < mix_rate:
            lines[i] = _mix(rng, lines[i])
    lines = [f"# {title}" if line.startswith("# ") else line for line in lines]
    lines += [line for section in tail for line in section]
    front = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n"
    return front + "\n".join(lines)


@pytest.fixture(scope="module")
def planted_vault(tmp_path_factory: pytest.TempPathFactory, bundled_vault_dir: Path
                  ) -> tuple[Path, set[tuple[NotePath, NotePath]]]:  # fmt: skip
    """A copy of vault/ with PLANTED near-duplicates of its longest notes, and the pairs."""
    root = tmp_path_factory.mktemp("planted") / "vault"
    shutil.copytree(bundled_vault_dir, root, ignore=shutil.ignore_patterns(".kgwiki"))
    (root / "kgwiki.toml").write_text(CONFIG, encoding="utf-8")
    original = Vault.load(root, use_cache=False)
    longest = sorted(original.notes.values(), key=lambda n: (-len(content_text(n)), n.path))
    pairs: set[tuple[NotePath, NotePath]] = set()
    for index, note in enumerate(longest[:PLANTED]):
        rng = random.Random(f"plant:{note.path}")
        copy = NotePath(f"90_Copies/{Path(note.path).stem}-copy.md")
        text = (root / note.path).read_text(encoding="utf-8")
        (root / copy).parent.mkdir(exist_ok=True)
        (root / copy).write_text(plant(text, f"{note.title} — 정리본", index % 4, rng),
                                 encoding="utf-8")  # fmt: skip
        pairs.add((min(note.path, copy), max(note.path, copy)))
    return root, pairs


# -- the acceptance test: planted pairs found, no false pair ----------------------------------


def test_planted_near_duplicates_are_found_and_nothing_else(
    planted_vault: tuple[Path, set[tuple[NotePath, NotePath]]],
) -> None:
    root, planted = planted_vault
    vault = Vault.load(root, use_cache=False)
    assert vault.config.duplicate_threshold == THRESHOLD
    pairs = find_duplicates(vault)
    content = {(p.a, p.b) for p in pairs if p.kind == "content"}
    found = content & planted
    assert len(found) / len(planted) >= 0.95, sorted(planted - content)
    declared_pairs = {(p.a, p.b) for p in pairs if p.kind == "declared"}
    false = content - planted - declared_pairs
    assert not false, f"distinct notes reported as near-duplicates: {sorted(false)}"
    for pair in pairs:
        if pair.kind == "content":
            assert pair.similarity >= THRESHOLD
            assert pair.keep in (pair.a, pair.b) and pair.reason


def test_planted_pairs_keep_the_original(
    planted_vault: tuple[Path, set[tuple[NotePath, NotePath]]],
) -> None:
    # The copies have no trust fields (unrated, score 0.4) and no backlinks; the bundled
    # originals are rated, so the keep decision must favour each original.
    root, planted = planted_vault
    vault = Vault.load(root, use_cache=False)
    pairs = find_duplicates(vault)
    for pair in pairs:
        if (pair.a, pair.b) in planted:
            assert not pair.keep.startswith("90_Copies/"), pair
    found = duplicate_problems(vault, pairs)
    suspected = {d.path for d in found if d.code == "duplicate-suspected"}
    assert suspected == {p.drop for p in pairs if p.kind == "content"}
    assert all(path.startswith("90_Copies/") for path in suspected)


def test_dupes_cli_json(planted_vault: tuple[Path, set[tuple[NotePath, NotePath]]],
                        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    root, planted = planted_vault
    assert main(["dupes", "--vault", str(root), "--json", "-q"]) == 0
    rows = json.loads(capsys.readouterr().out)
    content = {(row["a"], row["b"]) for row in rows if row["kind"] == "content"}
    assert len(content & planted) / len(planted) >= 0.95
    assert {"a", "b", "similarity", "keep", "drop", "reason", "kind"} <= set(rows[0])


def test_bundled_vault_has_no_false_pair_and_shows_the_declared_one(
    bundled_vault_dir: Path,
) -> None:
    vault = Vault.load(bundled_vault_dir, use_cache=False)
    pairs = find_duplicates(vault, THRESHOLD, detector=DuplicateDetector(
        vault, threshold=THRESHOLD, shingle_size=3, use_cache=False))  # fmt: skip
    for pair in pairs:
        assert pair.kind != "content" or canonical_of(vault, pair.drop) == pair.keep, pair
    declared_pairs = [p for p in pairs if p.kind == "declared"]
    assert declared_pairs, "the bundled vault declares Microservice Architecture a duplicate"
    micro = vault.resolve("Microservices").path
    dup = vault.resolve("Microservice Architecture").path
    assert micro is not None and dup is not None
    assert canonical_of(vault, dup) == micro
    assert canonical_of(vault, micro) is None
    pair = next(p for p in declared_pairs if {p.a, p.b} == {micro, dup})
    assert pair.keep == micro and "declared canonical" in pair.reason


# -- incremental detection and the cache --------------------------------------------------------


def test_adding_and_removing_one_note_updates_the_index(
    tmp_path: Path, bundled_vault_dir: Path
) -> None:
    root = tmp_path / "vault"
    shutil.copytree(bundled_vault_dir, root, ignore=shutil.ignore_patterns(".kgwiki"))
    vault = Vault.load(root, use_cache=False)
    detector = DuplicateDetector(vault, threshold=THRESHOLD, shingle_size=3, use_cache=False)
    before = len(detector)
    source = max(vault.notes.values(), key=lambda n: len(content_text(n)))
    copy = NotePath("copy-of-longest.md")
    text = plant((root / source.path).read_text(encoding="utf-8"), "Copy", 1, random.Random(7))
    (root / copy).write_text(text, encoding="utf-8")
    vault.refresh_file(copy)
    detector.update(copy)
    assert len(detector) == before + 1
    assert source.path in detector.candidates(copy)
    assert [p for p, _ in detector.similar(copy)] == [source.path]
    (root / copy).unlink()
    vault.refresh_file(copy)
    detector.update(copy)
    assert copy not in detector and len(detector) == before
    assert all(copy not in (p.a, p.b) for p in detector.find())


def test_sketch_cache_is_used_and_a_broken_one_ignored(
    tmp_path: Path, bundled_vault_dir: Path
) -> None:
    root = tmp_path / "vault"
    shutil.copytree(bundled_vault_dir, root, ignore=shutil.ignore_patterns(".kgwiki"))
    source = max(Vault.load(root, use_cache=False).notes.values(), key=lambda n: n.size)
    text = plant((root / source.path).read_text(encoding="utf-8"), "Copy", 0, random.Random(3))
    (root / "copy.md").write_text(text, encoding="utf-8")
    vault = Vault.load(root, use_cache=False)
    first = DuplicateDetector(vault, threshold=THRESHOLD, shingle_size=3).find()
    assert [(p.a, p.b) for p in first] == [tuple(sorted((source.path, NotePath("copy.md"))))]
    cache = root / ".kgwiki" / "minhash.npz"
    written = cache.stat().st_mtime_ns
    assert DuplicateDetector(vault, threshold=THRESHOLD, shingle_size=3).find() == first
    assert cache.stat().st_mtime_ns == written  # every sketch came from the cache
    cache.write_bytes(b"not a numpy file")
    assert DuplicateDetector(vault, threshold=THRESHOLD, shingle_size=3).find() == first
    assert cache.read_bytes()[:2] == b"PK"  # recomputed and written again (a zip)
    for_three = cache.read_bytes()
    DuplicateDetector(vault, threshold=THRESHOLD, shingle_size=4)
    assert cache.read_bytes() != for_three  # sketches for k=3 are not reused for k=4
    with pytest.raises(ValueError):
        DuplicateDetector(vault, threshold=0.2)


# -- shingles ----------------------------------------------------------------------------------


def test_korean_particles_and_reordered_lines_keep_shingles() -> None:
    base = ("마이크로서비스는 독립적으로 배포된다\n각 서비스는 자기 데이터를 소유한다\n"
            "API gateway routes requests")
    particles = base.replace("마이크로서비스는", "마이크로서비스가").replace("데이터를", "데이터는")
    moved = "\n".join(reversed(base.split("\n")))
    other = "캐시는 자주 읽는 값을 메모리에 둔다\nTTL expires entries after a while"
    a, b, c, d = shingle_sets([base, particles, moved, other], 3)
    assert jaccard(a, c) == 1.0  # shingles never cross lines, so moving lines keeps them all
    assert 0.3 < jaccard(a, b) < 1.0  # a changed particle costs a few bigram shingles only
    assert jaccard(a, d) == 0.0


def test_shingles_are_the_same_alone_and_in_a_batch() -> None:
    texts = ["Smart endpoints and dumb pipes", "서비스별 데이터베이스 패턴", "", "짧다"]
    batch = shingle_sets(texts, 3)
    for text, together in zip(texts, batch, strict=True):
        assert list(shingle_sets([text], 3)[0]) == list(together)
    assert batch[2].size == 0 and batch[3].size == 1


def test_sketches_are_the_same_from_the_process_pool(
    bundled_vault_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = Vault.load(bundled_vault_dir, use_cache=False)
    texts = [content_text(note) for note in vault.notes.values()]
    params = SketchParams(shingle_size=3)
    serial = list(sketch_texts(texts, params, jobs=1))
    monkeypatch.setattr(duplicates_minhash, "_PARALLEL_MIN", 1)
    monkeypatch.setattr(duplicates_minhash, "_CHUNK", 5)
    pooled = list(sketch_texts(texts, params, jobs=2))
    assert len(pooled) == len(serial) == len(texts)
    for one, other in zip(serial, pooled, strict=True):
        assert (one is None and other is None) or (
            one is not None and other is not None and np.array_equal(one, other)
        )
    assert sum(s is not None for s in serial) > len(texts) // 2


def test_content_text_drops_headings_graph_and_changelog(bundled_vault_dir: Path) -> None:
    vault = Vault.load(bundled_vault_dir, use_cache=False)
    note = vault.notes[vault.resolve("Microservices").path or NotePath("")]
    text = content_text(note)
    assert "독립" in text
    assert "Changelog" not in text and "부모" not in text
    changelog_rows = [entry.text for entry in note.changelog]
    assert changelog_rows and not any(row in text for row in changelog_rows)
    assert not any(line.strip() == note.title for line in text.split("\n"))


def test_band_params_find_pairs_at_the_threshold() -> None:
    for threshold in (0.3, 0.5, 0.6, 0.8, 0.9):
        bands, rows = band_params(threshold, 128)
        assert bands * rows <= 128
        assert 1 - (1 - threshold**rows) ** bands >= 0.995
        more = rows + 1
        assert 128 // more < 2 or 1 - (1 - threshold**more) ** (128 // more) < 0.995


# -- declared duplicates and names ---------------------------------------------------------------


def _write(root: Path, name: str, frontmatter: str, body: str = "본문 문장 하나.\n") -> None:
    (root / name).write_text(f"---\n{frontmatter}\n---\n{body}", encoding="utf-8")


def test_declared_cycles_missing_targets_and_chains(tmp_path: Path) -> None:
    _write(tmp_path, "a.md", "title: Alpha\nduplicate_of: Beta")
    _write(tmp_path, "b.md", "title: Beta\nduplicate_of: Alpha")
    _write(tmp_path, "c.md", "title: Gamma\nid: g-1\ntags: [x]\nduplicate_of: Nowhere")
    _write(tmp_path, "d.md", "title: Delta\nduplicate_of: Epsilon")
    _write(tmp_path, "e.md", "title: Epsilon\ncanonical_id: z-9")
    _write(tmp_path, "z.md", "title: Zeta\nid: z-9\ncanonical_id: z-9")
    vault = Vault.load(tmp_path, use_cache=False)
    found = duplicate_problems(vault)
    by_code: dict[str, list[Diagnostic]] = {}
    for item in found:
        by_code.setdefault(item.code, []).append(item)
    assert {d.path for d in by_code["duplicate-cycle"]} == {"a.md", "b.md"}
    missing = by_code["duplicate-target-missing"]
    assert [(d.path, d.line) for d in missing] == [("c.md", 5)]  # the line of duplicate_of
    assert canonical_of(vault, NotePath("d.md")) == "z.md"  # Delta → Epsilon → Zeta
    assert canonical_of(vault, NotePath("z.md")) is None  # canonical_id naming itself
    assert canonical_of(vault, NotePath("a.md")) is None  # a loop has no canonical note
    targets = {(d.path, d.target) for d in declared(vault)}
    assert ("c.md", None) in targets and ("e.md", "z.md") in targets


def test_colliding_names_pair_up_but_two_index_files_do_not(tmp_path: Path) -> None:
    _write(tmp_path, "caching.md", "title: Caching\naliases: [캐시]")
    _write(tmp_path, "cache.md", "title: 캐시")
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "index.md").write_text("목차 문장.\n", encoding="utf-8")
    vault = Vault.load(tmp_path, use_cache=False)
    detector = DuplicateDetector(vault, use_cache=False)
    pairs = find_duplicates(vault, detector=detector)
    names = [(p.a, p.b) for p in pairs if p.kind == "name"]
    assert names == [("cache.md", "caching.md")]
    codes = [(d.path, d.code, d.line) for d in duplicate_problems(vault)]
    assert ("cache.md", "duplicate-name", 2) in codes  # the title: line


def test_keep_prefers_trust_then_backlinks(tmp_path: Path) -> None:
    body = "같은 내용의 문장이 여기에 있다.\n"
    _write(tmp_path, "strong.md", "title: Strong\nsource_trust_level: A\nconfidence_score: 0.9\n"
           "verification_status: verified\nraw_sources: [x]", body)  # fmt: skip
    _write(tmp_path, "weak.md", "title: Weak\nsource_trust_level: D\nconfidence_score: 0.3", body)
    _write(tmp_path, "left.md", "title: Left", body)
    _write(tmp_path, "right.md", "title: Right", body)
    _write(tmp_path, "fan.md", "title: Fan", "[[Right]] 를 본다.\n")
    vault = Vault.load(tmp_path, use_cache=False)
    keep, reason = choose_keep(vault, NotePath("strong.md"), NotePath("weak.md"))
    assert keep == "strong.md" and "higher trust" in reason
    keep, reason = choose_keep(vault, NotePath("left.md"), NotePath("right.md"))
    assert keep == "right.md" and reason.startswith("more backlinks (1 vs 0)")


def test_numpy_bands_propose_exactly_the_minhash_lsh_buckets(
    planted_vault: tuple[Path, set[tuple[NotePath, NotePath]]],
) -> None:
    """Finding every pair groups the bands in numpy; datasketch's MinHashLSH with the same
    bands must put exactly the same pairs in shared buckets."""
    from datasketch import MinHashLSH

    from kgwiki.duplicates.detector import DuplicateDetector, band_params
    from kgwiki.duplicates.minhash import lean

    root, planted = planted_vault
    vault = Vault.load(root, use_cache=False)
    for threshold in (0.5, THRESHOLD, 0.8):
        detector = DuplicateDetector(vault, threshold=threshold, use_cache=False)
        lsh = MinHashLSH(num_perm=detector.params.num_perm,
                         params=band_params(threshold, detector.params.num_perm))  # fmt: skip
        sketches = detector._sketches
        for path, sketch in sketches.items():
            lsh.insert(path, lean(sketch, detector.params))
        expected = set()
        for table in lsh.hashtables:
            for bucket in table.itemcounts():
                members = sorted(table.get(bucket))
                expected |= {(a, b) for i, a in enumerate(members) for b in members[i + 1 :]}
        proposed = set(detector._proposed(0.0))  # every bucket pair, no estimate cut
        assert proposed == expected
        assert planted & proposed, "the planted copies share buckets with their originals"
        one = sorted(planted)[0][0]
        assert set(detector.candidates(one)) <= {b if a == one else a
                                                 for a, b in expected if one in (a, b)}


def test_probe_names_exactly_the_pairs_find_reports(
    planted_vault: tuple[Path, set[tuple[NotePath, NotePath]]],
) -> None:
    """``duplicates_probe.partners`` (one note against kept sketches) agrees with ``find``
    for every note, at several thresholds — with low ones, many band collisions are
    rejected by the estimate or the exact check, as in ``find``."""
    from kgwiki.duplicates import DuplicateDetector, partners

    root, _ = planted_vault
    vault = Vault.load(root, use_cache=False)
    for threshold in (0.5, THRESHOLD, 0.8):
        detector = DuplicateDetector(vault, threshold=threshold, use_cache=False)
        pairs = {(p.a, p.b): p.similarity for p in detector.find(threshold)}
        assert pairs, "the planted copies pair up"
        sketches = detector._sketches
        sets = {p: shingle_sets([content_text(vault.notes[p])], detector.params.shingle_size)[0]
                for p in sketches}  # fmt: skip
        asked: list[NotePath] = []
        shingles_of = functools.partial(_looked_up, sets, asked)
        for path, sketch in sketches.items():
            rivals = [(p, s) for p, s in sketches.items() if p != path]
            found = dict(partners(sketch, sets[path], rivals, shingles_of, threshold))
            expected = {b if a == path else a: sim for (a, b), sim in pairs.items()
                        if path in (a, b)}  # fmt: skip
            assert found == expected, path
        assert len(asked) < len(sketches) ** 2 / 4  # the estimate spares most exact checks


def _looked_up(sets: dict[NotePath, np.ndarray], asked: list[NotePath], path: NotePath
               ) -> np.ndarray:  # fmt: skip
    asked.append(path)
    return sets[path]
