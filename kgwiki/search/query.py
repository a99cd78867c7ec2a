"""The search query language, parsed into a small tree (pure: no whoosh, no index).

    word  "a phrase"  prefix*  a OR b  NOT a  -a  (a OR b) c
    tag:x  trust:A  trust:>=B  status:verified  category:Topics  path:10_Wiki/Patterns

Words are ANDed; ``OR`` (upper case) binds tighter than the implicit AND; ``NOT`` and ``-`` negate
what follows. A ``name:value`` whose name is not a filter is an ordinary word (``http://x``).
Anything malformed raises :class:`QueryError` with a message for people, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

FILTERS = {
    "tag": "tag", "tags": "tag", "trust": "trust", "status": "status",
    "category": "category", "cat": "category", "path": "path", "folder": "path",
}  # fmt: skip
TRUST_LEVELS = ("A", "B", "C", "D", "E")
_SPECIAL = '()"'


class QueryError(ValueError):
    """A query that cannot be understood; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str


@dataclass(frozen=True, slots=True)
class Filter:
    """``field:value``; for ``trust`` the values are the levels the comparison admits."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Not:
    node: Node


@dataclass(frozen=True, slots=True)
class AnyOf:
    nodes: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class AllOf:
    nodes: tuple[Node, ...]


Node = Word | Phrase | Filter | Not | AnyOf | AllOf


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # "word", "phrase", "filter", "(", ")", "OR", "NOT", "-"
    text: str
    column: int
    field: str = ""


def parse_query(text: str, levels: Sequence[str] = TRUST_LEVELS) -> AllOf:
    """Parse a query; an empty query is an empty ``AllOf``."""
    parser = _Parser(list(_lex(text)), tuple(level.upper() for level in levels))
    return parser.parse()


def _lex(text: str) -> Iterator[_Tok]:
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            yield _Tok(ch, ch, i + 1)
            i += 1
        elif ch == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise QueryError(f'unclosed quote at column {i + 1}: add the closing "')
            yield _Tok("phrase", text[i + 1 : end], i + 1)
            i = end + 1
        elif ch == "-" and i + 1 < n and not text[i + 1].isspace():
            yield _Tok("-", ch, i + 1)
            i += 1
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in _SPECIAL:
                i += 1
            word = text[start:i]
            name, colon, value = word.partition(":")
            field = FILTERS.get(name.casefold()) if colon else None
            if field is None:
                kind = word if word in ("OR", "NOT", "AND") else "word"
                yield _Tok(kind, word, start + 1)
            elif value:
                yield _Tok("filter", value, start + 1, field)
            elif i < n and text[i] == '"':
                end = text.find('"', i + 1)
                if end < 0:
                    raise QueryError(f'unclosed quote at column {i + 1}: add the closing "')
                yield _Tok("filter", text[i + 1 : end], start + 1, field)
                i = end + 1
            else:
                raise QueryError(f"{name}: needs a value at column {start + 1} (e.g. {name}:x)")


class _Parser:
    def __init__(self, tokens: list[_Tok], levels: tuple[str, ...]) -> None:
        self.tokens = tokens
        self.at = 0
        self.levels = levels

    def parse(self) -> AllOf:
        nodes = self._sequence()
        if self.at < len(self.tokens):  # only a ")" stops a sequence early
            raise QueryError(f"unmatched ) at column {self.tokens[self.at].column}")
        return AllOf(tuple(nodes))

    def _peek(self) -> _Tok | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _sequence(self) -> list[Node]:
        nodes: list[Node] = []
        while (tok := self._peek()) is not None and tok.kind != ")":
            if tok.kind == "AND":
                self.at += 1
                continue
            nodes.append(self._any_of())
        return nodes

    def _any_of(self) -> Node:
        first = self._unary()
        options = [first]
        while (tok := self._peek()) is not None and tok.kind == "OR":
            self.at += 1
            nxt = self._peek()
            if nxt is None or nxt.kind in (")", "OR", "AND"):
                raise QueryError(f"OR at column {tok.column} needs something after it")
            options.append(self._unary())
        return options[0] if len(options) == 1 else AnyOf(tuple(options))

    def _unary(self) -> Node:
        tok = self._peek()
        assert tok is not None
        if tok.kind in ("NOT", "-"):
            self.at += 1
            nxt = self._peek()
            if nxt is None or nxt.kind in (")", "OR", "AND"):
                raise QueryError(f"{tok.text} at column {tok.column} needs something after it")
            return Not(self._unary())
        return self._atom()

    def _atom(self) -> Node:
        tok = self.tokens[self.at]
        self.at += 1
        if tok.kind == "(":
            inner = self._sequence()
            close = self._peek()
            if close is None:
                raise QueryError(f"unclosed ( at column {tok.column}: add a )")
            self.at += 1
            return inner[0] if len(inner) == 1 else AllOf(tuple(inner))
        if tok.kind == "OR":
            raise QueryError(f"OR at column {tok.column} needs something before it")
        if tok.kind == ")":
            raise QueryError(f"unmatched ) at column {tok.column}")
        if tok.kind == "phrase":
            return Phrase(tok.text)
        if tok.kind == "filter":
            return self._filter(tok)
        if tok.text.endswith("*"):
            stem = tok.text.rstrip("*")
            if not stem:
                raise QueryError(f"* at column {tok.column} needs a letter before it (e.g. kube*)")
            return Word(stem, prefix=True)
        return Word(tok.text)

    def _filter(self, tok: _Tok) -> Filter:
        value = tok.text.strip()
        if tok.field == "trust":
            return Filter("trust", self._trust_levels(value, tok.column))
        if tok.field == "tag":
            value = value.lstrip("#")
        if not value:
            raise QueryError(f"{tok.field}: needs a value at column {tok.column}")
        return Filter(tok.field, (value,))

    def _trust_levels(self, value: str, column: int) -> tuple[str, ...]:
        """``A``, ``=A``, ``>=B``, ``<=C``, ``>B``, ``<D``, ``A,B``; A is best."""
        op = next((o for o in (">=", "<=", ">", "<", "=") if value.startswith(o)), "")
        rest = value[len(op) :].upper()
        wanted = [part.strip() for part in rest.split(",")] if not op else [rest.strip()]
        unknown = [level for level in wanted if level not in self.levels]
        if unknown or not wanted:
            known = ", ".join(self.levels)
            raise QueryError(f"trust:{value} at column {column}: levels are {known} "
                             f"({self.levels[0]} best); try trust:>={self.levels[1]}")  # fmt: skip
        if op in ("", "="):
            return tuple(wanted)
        rank = self.levels.index(wanted[0])
        chosen = {
            ">=": self.levels[: rank + 1], ">": self.levels[:rank],
            "<=": self.levels[rank:], "<": self.levels[rank + 1 :],
        }[op]  # fmt: skip
        if not chosen:
            raise QueryError(f"trust:{value} at column {column} admits no level")
        return chosen


def walk(node: Node, negated: bool = False) -> Iterator[tuple[Node, bool]]:
    """Every leaf of the tree with whether it sits under a NOT."""
    if isinstance(node, Not):
        yield from walk(node.node, not negated)
    elif isinstance(node, AnyOf | AllOf):
        for child in node.nodes:
            yield from walk(child, negated)
    else:
        yield node, negated


def positive_text(node: Node) -> list[Word | Phrase]:
    """The words and phrases a matching note contains (for highlights and spelling)."""
    return [leaf for leaf, neg in walk(node) if not neg and isinstance(leaf, Word | Phrase)]
