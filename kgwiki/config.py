"""kgwiki.toml: one typed configuration, read and validated once."""

from __future__ import annotations

import contextlib
import os
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

CONFIG_NAME = "kgwiki.toml"

DEFAULT_RELATION_LABELS: Mapping[str, str] = {
    "부모": "parent",
    "parent": "parent",
    "parents": "parent",
    "상위": "parent",
    "up": "parent",
    "자식": "child",
    "child": "child",
    "children": "child",
    "하위": "child",
    "변형": "variant",
    "variant": "variant",
    "variants": "variant",
    "adjacent": "adjacent",
    "관련": "adjacent",
    "related": "adjacent",
    "see also": "adjacent",
    "참고": "adjacent",
    "중복": "duplicate-of",
    "duplicate": "duplicate-of",
    "duplicate of": "duplicate-of",
    "duplicate-of": "duplicate-of",
}

DEFAULT_TRUST_LEVELS: Mapping[str, float] = {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.4, "E": 0.2}


class ConfigError(ValueError):
    """A kgwiki.toml that cannot be used; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class TrustConfig:
    """How a note's trust score is combined (see docs/trust.md)."""

    levels: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_TRUST_LEVELS))
    level_weight: float = 0.5
    confidence_weight: float = 0.3
    verification_weight: float = 0.2
    verified_statuses: tuple[str, ...] = ("verified", "applied", "confirmed")
    stale_days: int = 90
    unknown_level_score: float = 0.5


@dataclass(frozen=True, slots=True)
class Config:
    """Everything configurable, with defaults that suit the bundled vault."""

    vault: Path | None = None
    site_title: str = "kgwiki"
    base_url: str = "/"
    relation_labels: Mapping[str, str] = field(
        default_factory=lambda: dict(DEFAULT_RELATION_LABELS)
    )
    trust: TrustConfig = field(default_factory=TrustConfig)
    duplicate_threshold: float = 0.6
    shingle_size: int = 3
    search_trust_weight: float = 0.25
    ignore: tuple[str, ...] = (".obsidian", ".git", ".trash", ".kgwiki", "node_modules")
    cache_dir: str = ".kgwiki"
    home: str = ""  # [site] home: the note the front page shows (default: index.md, Home.md…)
    show: tuple[str, ...] = ()  # [site] show: furniture shown even without data ("trust", …)
    strict_line_breaks: bool = False  # [markdown]: a single newline stays a space (CommonMark)
    external_images: bool = True  # [markdown]: show ![](https://…) images (off for privacy)
    copy_active_attachments: bool = False  # [build]: copy HTML/XML/scripted SVG attachments
    source: Path | None = None

    def fingerprint(self) -> str:
        """A stable string that changes whenever anything affecting output changes."""
        return repr(
            (
                self.site_title,
                self.base_url,
                sorted(self.relation_labels.items()),
                self.trust,
                self.duplicate_threshold,
                self.shingle_size,
                self.search_trust_weight,
                self.ignore,
                self.strict_line_breaks,
                self.home,
                self.show,
                self.external_images,
                self.copy_active_attachments,
            )
        )


def find_config(start: Path) -> Path | None:
    """The nearest kgwiki.toml in ``start`` or a parent folder."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None) -> Config:
    """Read a kgwiki.toml (None: the defaults)."""
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path}: {err}") from err
    return _from_mapping(data, path)


def _from_mapping(data: Mapping[str, Any], path: Path) -> Config:
    config = Config(source=path)
    site = data.get("site", {})
    trust = data.get("trust", {})
    dupes = data.get("duplicates", {})
    search = data.get("search", {})
    markdown = data.get("markdown", {})
    build = data.get("build", {})
    unknown_build = set(build) - {"copy_active_attachments"}
    if unknown_build:
        raise ConfigError(f"{path}: unknown keys in [build]: {', '.join(sorted(unknown_build))}")
    unknown_markdown = set(markdown) - {"strict_line_breaks", "external_images"}
    if unknown_markdown:
        raise ConfigError(f"{path}: unknown keys in [markdown]: "
                          f"{', '.join(sorted(unknown_markdown))}")  # fmt: skip
    labels = dict(DEFAULT_RELATION_LABELS)
    for label, kind in data.get("relations", {}).items():
        labels[str(label).casefold()] = str(kind)
    trust_fields = {f.name for f in fields(TrustConfig)}
    unknown = set(trust) - trust_fields
    if unknown:
        raise ConfigError(f"{path}: unknown keys in [trust]: {', '.join(sorted(unknown))}")
    trust_values: dict[str, Any] = {
        key: tuple(value) if isinstance(value, list) else value for key, value in trust.items()
    }
    trust_cfg = replace(config.trust, **trust_values)
    threshold = float(dupes.get("threshold", config.duplicate_threshold))
    if not 0.5 <= threshold <= 1.0:
        raise ConfigError(
            f"{path}: [duplicates] threshold must be between 0.5 and 1, not {threshold}"
        )
    unknown_search = set(search) - {"trust_weight"}
    if unknown_search:
        raise ConfigError(f"{path}: unknown keys in [search]: {', '.join(sorted(unknown_search))}")
    trust_weight = float(search.get("trust_weight", config.search_trust_weight))
    if not 0.0 <= trust_weight <= 1.0:
        raise ConfigError(f"{path}: [search] trust_weight must be between 0 and 1, not "
                          f"{trust_weight}")  # fmt: skip
    vault = data.get("vault")
    return replace(
        config,
        vault=(path.parent / str(vault)).resolve() if vault else None,
        site_title=str(site.get("title", config.site_title)),
        home=str(site.get("home", config.home)),
        show=tuple(str(x) for x in site.get("show", config.show)),
        base_url=str(site.get("base_url", config.base_url)),
        relation_labels=labels,
        trust=trust_cfg,
        duplicate_threshold=threshold,
        shingle_size=int(dupes.get("shingle_size", config.shingle_size)),
        search_trust_weight=trust_weight,
        ignore=tuple(data.get("ignore", config.ignore)),
        strict_line_breaks=bool(markdown.get("strict_line_breaks", config.strict_line_breaks)),
        external_images=bool(markdown.get("external_images", config.external_images)),
        copy_active_attachments=bool(build.get("copy_active_attachments",
                                               config.copy_active_attachments)),
    )


class VaultNotFoundError(ConfigError):
    """No vault was named and the current folder does not look like one (see find_vault)."""


def find_vault(explicit: str | None, cwd: Path | None = None) -> Path:
    """The vault a command works on: --vault, $KGWIKI_VAULT, kgwiki.toml, ./vault, the cwd.

    The current folder is taken only when it looks like a vault (a kgwiki.toml or
    ``.obsidian/`` in it, or a Markdown file at its top level), and never when it is ``/``,
    the temporary folder or the home folder: a command run in the wrong place says so
    (:class:`VaultNotFoundError`) instead of scanning, and caching into, a folder of no notes.
    """
    here = cwd or Path.cwd()
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("KGWIKI_VAULT")
    if env:
        return Path(env).expanduser().resolve()
    config_path = find_config(here)
    if config_path is not None:
        config = load_config(config_path)
        if config.vault is not None:
            return config.vault
    if (here / "vault").is_dir():
        return (here / "vault").resolve()
    folder = here.resolve()
    if folder in _never_guessed() or not _looks_like_vault(folder):
        raise VaultNotFoundError(
            f"no vault here: {folder} has no Markdown notes at its top level"
            if folder not in _never_guessed()
            else f"no vault named, and {folder} is not taken for one by guess"
        )
    return folder


def _never_guessed() -> set[Path]:
    """Folders that are never a vault unless named: the root, the temporary and home folders."""
    folders = {Path("/"), Path("/tmp"), Path(tempfile.gettempdir())}
    with contextlib.suppress(RuntimeError):  # no home folder to be found
        folders.add(Path.home())
    return {folder.resolve() for folder in folders}


def _looks_like_vault(folder: Path) -> bool:
    if (folder / CONFIG_NAME).is_file() or (folder / ".obsidian").is_dir():
        return True
    try:
        return any(entry.suffix.lower() == ".md" and entry.is_file() for entry in folder.iterdir())
    except OSError:
        return False


def config_for_vault(vault: Path) -> Config:
    """The configuration that applies to a vault: its own kgwiki.toml, else the nearest one."""
    own = vault / CONFIG_NAME
    path = own if own.is_file() else find_config(Path.cwd())
    return load_config(path)
