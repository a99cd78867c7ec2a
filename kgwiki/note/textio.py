"""Decode a note's bytes into text without losing any of it."""

from __future__ import annotations

from dataclasses import dataclass

from kgwiki.diagnostics import Diagnostic, Severity

_BOM = "\ufeff"
# Korean vaults written on Windows are often CP949 (a superset of EUC-KR).
_FALLBACK_ENCODINGS = ("cp949",)


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text with universal newlines, plus what was done to get it."""

    text: str
    encoding: str
    had_bom: bool
    had_crlf: bool
    diagnostics: tuple[Diagnostic, ...] = ()


def looks_binary(data: bytes) -> bool:
    """True for data that is not text at all (NUL bytes in the first 8 KiB)."""
    return b"\x00" in data[:8192]


def decode_note(data: bytes, path: str) -> DecodedText:
    """Decode bytes as UTF-8, else CP949, else UTF-8 with replacement; never raise."""
    diagnostics: list[Diagnostic] = []
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        text, encoding = _decode_fallback(data)
        diagnostics.append(
            Diagnostic(
                path,
                line,
                "encoding",
                f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start});"
                f" read as {encoding}",
                Severity.WARNING,
            )
        )
    had_bom = text.startswith(_BOM)
    if had_bom:
        text = text[1:]
    had_crlf = "\r" in text
    if had_crlf:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return DecodedText(text, encoding, had_bom, had_crlf, tuple(diagnostics))


def _decode_fallback(data: bytes) -> tuple[str, str]:
    for encoding in _FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace"), "utf-8 (invalid bytes replaced)"
