"""Shape edits — a link added or removed, a heading, a changelog row, a title, a tag — and the
rest (prose, new, deleted and renamed notes), one after another on a copy of a real vault:
after every step the incremental build holds what a clean build writes, byte for byte.

Also: the local-edit near-duplicate probe leaves out the shingles the last build found common
to many notes, as the detector does, so a template-made vault is judged as a clean build
judges it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from build_support import append, bump_mtime, copy_of, edit, same_as_clean_build, small_vault

from kgwiki.web.build import build

_LINK = re.compile(r"\[\[([^\]|#\n]+)(?:#[^\]|\n]*)?(?:\\?\|([^\]\n]*))?\]\]")
_DAY = "2025-01-{:02d}"


def _body_lines(text: str) -> tuple[list[str], int]:
    """The note's lines and where its body starts (after the frontmatter)."""
    lines = text.split("\n")
    if lines[0] == "---" and "---" in lines[1:]:
        return lines, lines.index("---", 1) + 1
    return lines, 0


def _plain_lines(lines: list[str], start: int) -> list[int]:
    """Body lines outside code fences and tables (where a word may be put in or taken out)."""
    fenced, found = False, []
    for i in range(start, len(lines)):
        line = lines[i]
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line.strip() and not line.lstrip().startswith(("|", "<", "#", "%%")):
            found.append(i)
    return found


def _write(note: Path, lines: list[str]) -> None:
    note.write_text("\n".join(lines), encoding="utf-8")
    bump_mtime(note)


def add_link(rng: random.Random, vault: Path, note: Path, step: int) -> bool:
    lines, start = _body_lines(note.read_text(encoding="utf-8"))
    spots = _plain_lines(lines, start)
    if not spots:
        return False
    other = rng.choice(sorted(vault.rglob("*.md"))).stem
    i = rng.choice(spots)
    lines[i] += f" [[{other}]]"
    _write(note, lines)
    return True


def remove_link(rng: random.Random, vault: Path, note: Path, step: int) -> bool:
    lines, start = _body_lines(note.read_text(encoding="utf-8"))
    spots = [i for i in _plain_lines(lines, start) if _LINK.search(lines[i])]
    if not spots:
        return False
    i = rng.choice(spots)
    lines[i] = _LINK.sub(lambda m: (m.group(2) or m.group(1)).strip(), lines[i], count=1)
    _write(note, lines)
    return True


def change_heading(rng: random.Random, vault: Path, note: Path, step: int) -> bool:
    lines, start = _body_lines(note.read_text(encoding="utf-8"))
    fenced, spots = False, []
    for i in range(start, len(lines)):
        if lines[i].lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and re.match(r"#{2,4} \w", lines[i]):
            spots.append(i)
    if not spots:
        return False
    i = rng.choice(spots)
    lines[i] += f" s{step}"
    _write(note, lines)
    return True


def add_changelog_row(rng: random.Random, vault: Path, note: Path, step: int) -> bool:
    lines, start = _body_lines(note.read_text(encoding="utf-8"))
    heads = [i for i in range(start, len(lines))
             if re.match(r"#+ .*(Changelog|변경 이력|History)", lines[i])]  # fmt: skip
    row = f"| {_DAY.format(1 + step % 28)} | shape edit {step} |"
    if heads:
        end = heads[0] + 1
        while end < len(lines) and not lines[end].startswith("|"):
            end += 1
        while end < len(lines) and lines[end].startswith("|"):
            end += 1
        if end == heads[0] + 1:
            return False
        lines.insert(end, row)
    else:
        lines += ["", "## Changelog", "| 날짜 | 변경 |", "|---|---|", row, ""]
    _write(note, lines)
    return True


def change_title(rng: random.Random, vault: Path, note: Path, step: int) -> bool:
    text = note.read_text(encoding="utf-8")
    if text.startswith("---\n") and "\ntitle: " in text.split("\n---", 1)[0]:
        edit(note, "\ntitle: ", f"\ntitle: S{step} ")
        return True
    lines, start = _body_lines(text)
    heads = [i for i in range(start, len(lines)) if lines[i].startswith("# ")]
    if not heads:
        return False
    lines[heads[0]] += f" S{step}"
    _write(note, lines)
    return True


def add_tag(rng: random.Random, vault: Path, note: Path, step: int) -> bool:
    lines, start = _body_lines(note.read_text(encoding="utf-8"))
    spots = _plain_lines(lines, start)
    if not spots:
        return False
    lines[rng.choice(spots)] += f" #shape{step % 3}"
    _write(note, lines)
    return True


def reword(rng: random.Random, vault: Path, note: Path, step: int) -> bool:
    lines, start = _body_lines(note.read_text(encoding="utf-8"))
    spots = [i for i in _plain_lines(lines, start) if "[" not in lines[i] and "#" not in lines[i]]
    if not spots:
        append(note, f"단계 {step}: a sentence of its own, words{step} here.")
        return True
    lines[rng.choice(spots)] += f" 문장 {step} word{step}."
    _write(note, lines)
    return True


def new_note(rng: random.Random, vault: Path, note: Path, step: int) -> bool:
    (vault / f"shape-step-{step}.md").write_text(
        f"# Shape step {step}\n\nA new note, 새 노트 {step}, about [[{note.stem}]].\n",
        encoding="utf-8")  # fmt: skip
    return True


def delete_note(rng: random.Random, vault: Path, note: Path, step: int) -> bool:
    if len(list(vault.rglob("*.md"))) < 20:
        return False
    note.unlink()
    return True


def rename_note(rng: random.Random, vault: Path, note: Path, step: int) -> bool:
    note.rename(note.with_name(f"{note.stem} r{step}{note.suffix}"))
    return True


Edit = Callable[[random.Random, Path, Path, int], bool]
SHAPE: list[Edit] = [add_link, remove_link, change_heading, add_changelog_row, change_title,
                     add_tag]  # fmt: skip
OTHER: list[Edit] = [reword, new_note, delete_note, rename_note]


def run_edits(vault: Path, tmp_path: Path, steps: int, seed: str) -> list[str]:
    """Edit, build, compare with a clean build; the edits made, in order."""
    rng = random.Random(seed)
    site = tmp_path / "site"
    assert build(vault, site).mode == "full"
    done: list[str] = []
    for step in range(steps):
        notes = sorted(p for p in vault.rglob("*.md") if ".kgwiki" not in p.parts)
        kind = rng.choice(SHAPE * 2 + OTHER)
        note = rng.choice(notes)
        if not kind(rng, vault, note, step):
            reword(rng, vault, note, step)
            kind = reword
        result = build(vault, site)
        done.append(f"{kind.__name__}:{result.mode}")
        same_as_clean_build(vault, site, tmp_path)
    return done


@pytest.mark.slow
def test_shape_edits_in_a_row_on_the_bundled_vault(bundled_vault_dir: Path,
                                                   tmp_path: Path) -> None:  # fmt: skip
    vault = copy_of(bundled_vault_dir, tmp_path)
    done = run_edits(vault, tmp_path, 16, "kgwiki-shape-edits")
    kinds = {entry.split(":")[0] for entry in done}
    assert {"add_link", "change_heading", "change_title"} <= kinds, done


@pytest.mark.slow
def test_shape_edits_in_a_row_on_a_real_vault(shared_dir: Path, tmp_path: Path) -> None:
    vault = copy_of(shared_dir / "corpora" / "foam-docs", tmp_path)
    done = run_edits(vault, tmp_path, 12, "kgwiki-shape-edits-foam")
    assert len(done) == 12


def _template_note(i: int) -> str:
    boilerplate = "\n".join(
        f"Template line {j}: the same words in every note of this vault, 모든 노트에 같은 문장 {j}."
        for j in range(30))  # fmt: skip
    own = " ".join(f"note{i}word{j} 고유{i}단어{j}" for j in range(6))
    return f"# Note {i}\n\n{boilerplate}\n\nOwn words: {own}.\n"


def test_local_probe_leaves_out_common_shingles(tmp_path: Path) -> None:
    """Sixty notes made from one template: their shared lines are common shingles, which
    the detector leaves out, so none is anyone's near duplicate — and an edit of one note's
    own words is local, as a clean build agrees."""
    vault = small_vault(tmp_path / "templated",
                        {f"note-{i:02d}.md": _template_note(i) for i in range(60)})  # fmt: skip
    site = tmp_path / "site"
    assert build(vault, site).mode == "full"
    assert "note-07" not in (site / "duplicates/index.html").read_text(encoding="utf-8")
    edit(vault / "note-07.md", "Own words:", "Own words, reworded:")
    result = build(vault, site)
    assert (result.mode, result.why_full) == ("local", "")
    same_as_clean_build(vault, site, tmp_path)


def test_a_first_changelog_row_adds_changes_to_every_page(tmp_path: Path) -> None:
    """The navigation shows "Changes" once the vault has a changelog row: every page, not only
    those the edit touched, is drawn again."""
    vault = small_vault(tmp_path / "v", {"a.md": "# A\n\nText of a, see [[b]].\n",
                                         "b.md": "# B\n\nText of b.\n",
                                         "c.md": "# C\n\nAlone, tagged #c.\n"})  # fmt: skip
    site = tmp_path / "site"
    build(vault, site)
    assert "changes/index.html" not in (site / "n/c/index.html").read_text(encoding="utf-8")
    append(vault / "b.md", "## Changelog\n| 날짜 | 변경 |\n|---|---|\n| 2025-01-02 | made |")
    assert build(vault, site).mode == "full"
    for page in ("n/c/index.html", "tags/c/index.html", "index.html"):
        assert "changes/index.html" in (site / page).read_text(encoding="utf-8"), page
    same_as_clean_build(vault, site, tmp_path)


def test_alias_redirects_follow_a_title_change(bundled_vault_dir: Path, tmp_path: Path) -> None:
    """A redirect is drawn again only when what it shows changed: its note's title here."""
    vault = copy_of(bundled_vault_dir, tmp_path)
    site = tmp_path / "site"
    build(vault, site)
    redirect = site / "n/헬름/index.html"
    untouched = site / "n/Helm Chart/index.html"
    assert "Helm" in redirect.read_text(encoding="utf-8")
    edit(vault / "10_Wiki/Topics/helm.md", "title: Helm\n", "title: Helm Renamed\n")
    build(vault, site)
    assert "Helm Renamed" in redirect.read_text(encoding="utf-8")
    same_as_clean_build(vault, site, tmp_path)
    before = untouched.stat().st_mtime_ns
    edit(vault / "10_Wiki/Topics/helm.md", "## 매 한 줄\n", "## 매 한 줄 (요약)\n")
    build(vault, site)
    assert untouched.stat().st_mtime_ns == before
    same_as_clean_build(vault, site, tmp_path)
