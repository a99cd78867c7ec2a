"""Template-made notes: hundreds of notes share a template's boilerplate with different
fillings. They are not near duplicates of each other; real copies among them still are, and
the report grows with the copies, not with the square of the template's notes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kgwiki.duplicates import find_duplicates, problems
from kgwiki.duplicates.declared import name_collisions, name_groups
from kgwiki.duplicates.shingles import common_cutoff
from kgwiki.types import NotePath
from kgwiki.vault import Vault

TEMPLATED = 400
BOILERPLATE = [
    "Template: People note, made with the vault's standard person template",
    "Type: person; status: to be reviewed; created from the people template",
    "Contact details and affiliation are filled in when they are known to us",
    "Relationship: colleague, author, speaker or contact met at a conference",
    "Use this note to collect meetings, quotes and ideas connected to this person",
    "Review this note once a quarter and link it from the relevant project notes",
    "Meetings: list every meeting with a date, a topic and the decisions taken",
    "Quotes: copy the exact words and add where and when they were said",
    "Open questions: what to ask next time, what to follow up, what to send",
    "Tags and aliases follow the conventions written in the vault's guide note",
]
WORDS = ["river", "stone", "maple", "cloud", "harbor", "lantern", "violet", "copper", "meadow",
         "falcon", "orchard", "ember", "glacier", "thistle", "beacon", "willow", "summit",
         "quartz", "prairie", "canyon", "marble", "juniper", "tide", "saffron", "cedar",
         "pebble", "raven", "aurora", "basalt", "clover", "dune", "fern", "garnet", "heron"]


def _filling(rng: random.Random) -> list[str]:
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(9, 14)))
            for _ in range(rng.randint(2, 3))]  # fmt: skip


def _note(title: str, filling: list[str]) -> str:
    lines = ["---", f"title: {title}", 'aliases: [Person, "{{alias}}"]', "---", f"# {title}",
             "", "## Profile", *BOILERPLATE[:5], "", "## About", *filling, "", "## Notes",
             *BOILERPLATE[5:], "See [[Person]].", ""]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def template_vault(tmp_path_factory: pytest.TempPathFactory
                   ) -> tuple[Path, set[tuple[NotePath, NotePath]], list[NotePath]]:  # fmt: skip
    """TEMPLATED template notes, three copies of one (a cluster) and two copied pairs."""
    root = tmp_path_factory.mktemp("templated")
    (root / "people").mkdir()
    rng = random.Random(22)
    fillings = {}
    for i in range(TEMPLATED):
        fillings[i] = _filling(rng)
        (root / "people" / f"p{i:04}.md").write_text(_note(f"Person {i}", fillings[i]),
                                                     encoding="utf-8")  # fmt: skip
    planted: set[tuple[NotePath, NotePath]] = set()
    cluster = [NotePath("people/p0007.md")]
    for copy, source in (("c1", 7), ("c2", 7), ("c3", 42), ("c4", 99)):
        lines = list(fillings[source])
        lines[-1] += " again"  # a copy edited a little
        path = NotePath(f"copies/{copy}.md")
        (root / "copies").mkdir(exist_ok=True)
        (root / path).write_text(_note(f"Copy {copy}", lines), encoding="utf-8")
        original = NotePath(f"people/p{source:04}.md")
        planted.add((min(original, path), max(original, path)))
        if source == 7:
            cluster.append(path)
    return root, planted, sorted(cluster)


def test_template_notes_are_not_paired_but_copies_are(
    template_vault: tuple[Path, set[tuple[NotePath, NotePath]], list[NotePath]],
) -> None:
    root, planted, cluster = template_vault
    vault = Vault.load(root, use_cache=False)
    assert len(vault) > common_cutoff(len(vault))  # the boilerplate is common here
    pairs = find_duplicates(vault)
    content = {(p.a, p.b) for p in pairs if p.kind == "content"}
    assert planted <= content, sorted(planted - content)
    # Besides the planted pairs, only the two copies of one note pair with each other.
    assert content - planted == {("copies/c1.md", "copies/c2.md")}
    found = problems(vault, pairs)
    suspected = [d for d in found if d.code == "duplicate-suspected"]
    assert len(suspected) == 3  # one per cluster: {p0007, c1, c2}, {p0042, c3}, {p0099, c4}
    three = next(d for d in suspected if "3 notes read alike" in d.message)
    assert all(path in three.message for path in cluster)
    # One diagnostic for the alias all of them share, none per pair; no pairs from it.
    names = [d for d in found if d.code == "duplicate-name"]
    assert len(names) == 1 and f"names {TEMPLATED + 4} notes" in names[0].message
    assert "and " in names[0].message and "more" in names[0].message
    assert name_collisions(vault) == []
    assert all(p.kind != "name" for p in pairs)


def test_placeholder_aliases_are_no_names(
    template_vault: tuple[Path, set[tuple[NotePath, NotePath]], list[NotePath]],
) -> None:
    root, _, _ = template_vault
    vault = Vault.load(root, use_cache=False)
    assert vault.resolve("{{alias}}").path is None
    assert [name for name, _ in name_groups(vault)] == ["Person"]
    resolution = vault.resolve("Person")
    assert resolution.path is not None and len(resolution.candidates) == TEMPLATED + 4


def test_shingle_sets_are_kept_between_runs_and_never_stale(
    template_vault: tuple[Path, set[tuple[NotePath, NotePath]], list[NotePath]],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    import shutil

    from kgwiki.duplicates import detector

    root = tmp_path / "vault"
    shutil.copytree(template_vault[0], root, ignore=shutil.ignore_patterns(".kgwiki"))
    computed: list[int] = []
    real = detector.exact_shingles

    def counting(vault: Vault, paths: object, k: int) -> object:
        found = real(vault, paths, k)  # type: ignore[arg-type]
        computed.append(len(found))
        return found

    monkeypatch.setattr(detector, "exact_shingles", counting)
    first = find_duplicates(Vault.load(root))
    assert sum(computed) == len(list(root.rglob("*.md")))
    assert (root / ".kgwiki" / "shingles.npz").is_file()
    computed.clear()
    assert find_duplicates(Vault.load(root)) == first
    assert sum(computed) == 0, "every set read back from .kgwiki/shingles.npz"
    # A changed note is shingled again (its content hash is not in the cache); the copy that
    # no longer reads like its source is no longer paired with it.
    copy = root / "copies" / "c4.md"
    copy.write_text(copy.read_text(encoding="utf-8").replace("## About", "## About\n" + " ".join(
        WORDS) * 3), encoding="utf-8")  # fmt: skip
    computed.clear()
    changed = find_duplicates(Vault.load(root))
    assert sum(computed) == 1
    assert ("copies/c4.md", "people/p0099.md") in {(p.a, p.b) for p in first}
    assert ("copies/c4.md", "people/p0099.md") not in {(p.a, p.b) for p in changed}
    # A damaged cache file is computed again, with the same answer.
    (root / ".kgwiki" / "shingles.npz").write_bytes(b"not numpy")
    computed.clear()
    assert find_duplicates(Vault.load(root)) == changed
    assert sum(computed) == len(list(root.rglob("*.md")))
