"""Pages are written whole, into folders made as needed, even folders removed since."""

from __future__ import annotations

import shutil
from pathlib import Path

from kgwiki.web.build.cache import digest, write_if_changed


def test_writes_into_a_folder_removed_after_the_first_write(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert write_if_changed(out, "n/a/index.html", b"one", None) == (digest(b"one"), True)
    assert write_if_changed(out, "n/a/index.html", b"one", digest(b"one"))[1] is False
    shutil.rmtree(out)  # a clean build, or stale folders pruned, in the same process
    assert write_if_changed(out, "n/a/index.html", b"two", digest(b"one"))[1] is True
    assert (out / "n" / "a" / "index.html").read_bytes() == b"two"
    write_if_changed(out, "n/b/c/index.html", b"three", None)
    assert (out / "n" / "b" / "c" / "index.html").read_bytes() == b"three"
    assert sorted(p.name for p in (out / "n" / "a").iterdir()) == ["index.html"]  # no temp left
