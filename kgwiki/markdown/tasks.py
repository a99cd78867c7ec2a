"""Obsidian task lists: ``- [ ]``, ``- [x]`` and custom statuses ``- [-]``, ``- [?]``, ``- [/]``…

A core rule between ``block`` and ``inline``: for each list item whose first block is a
paragraph opening with ``[c]`` (one character, then whitespace or the end of the line), it
takes the box off the paragraph's inline *source*, before inline parsing, and records the
status on the ``list_item_open`` token. So no token ever holds ``[x]`` (search and previews see
only the task's text), ``[x]`` can never be taken for a reference link, and the rule works
after any block rule that produced the list (markdown-it's ``list`` or a fast path such as
kgwiki's ``simple_list``).

Rendering (``list_item_open``), close to Obsidian's reading view::

    <li class="task-list-item is-checked" data-task="x">
      <input class="task-list-item-checkbox" type="checkbox" disabled checked> …

* ``data-task`` is the status character; ``""`` for ``[ ]`` (so CSS can select
  ``[data-task="-"]``, ``[data-task="?"]`` as Obsidian themes do).
* Checked is any status but a space: Obsidian's help says any character inside the brackets
  marks a task complete, and its default theme ticks them all. ``is-checked`` is added with it.
* The list gets ``contains-task-list``, as markdown-it's and GitHub's task lists do.
* The checkbox is always ``disabled``: a static site cannot save a toggle.

``token.meta["task"]`` (the status) and ``token.meta["checked"]`` are on ``list_item_open``
for anything downstream (a task index, lint).
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

# characters that cannot be a status: the brackets themselves, a backslash (``[\]`` is an
# escaped bracket), and line breaks or tabs
_NOT_STATUS = frozenset("[]\\\n\r\t")


def task_status(content: str) -> str | None:
    """The status character of ``[c] text`` (``" "`` for ``[ ]``), or None if not a task."""
    if len(content) < 3 or content[0] != "[" or content[2] != "]":
        return None
    status = content[1]
    if status in _NOT_STATUS:
        return None
    if len(content) > 3 and content[3] not in " \t\n":
        return None  # ``[x]y`` is text (or a link), not a box
    return status


def _list_open(tokens: Sequence[Token], item: int) -> int:
    """Index of the ``*_list_open`` that holds the item at ``item``."""
    level = tokens[item].level - 1
    for i in range(item - 1, -1, -1):
        if tokens[i].level == level and tokens[i].nesting == 1:
            return i
    return -1


def task_rule(state: StateCore) -> None:
    """Take ``[c]`` off each task item's first paragraph and mark the item (see module)."""
    if "]" not in state.src:
        return  # no box anywhere (one C-level search instead of a walk over every token)
    tokens = state.tokens
    for i in range(2, len(tokens)):
        inline = tokens[i]
        if (
            inline.type != "inline"
            or tokens[i - 1].type != "paragraph_open"
            or tokens[i - 2].type != "list_item_open"
            or not inline.content.startswith("[")
        ):
            continue
        status = task_status(inline.content)
        if status is None:
            continue
        inline.content = inline.content[3:].lstrip(" \t")
        item = tokens[i - 2]
        checked = status != " "
        item.meta = {**(item.meta or {}), "task": status, "checked": checked}
        item.attrJoin("class", "task-list-item is-checked" if checked else "task-list-item")
        item.attrSet("data-task", "" if status == " " else status)
        parent = _list_open(tokens, i - 2)
        if parent >= 0 and "contains-task-list" not in str(tokens[parent].attrGet("class")):
            tokens[parent].attrJoin("class", "contains-task-list")


def render_list_item_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """``<li …>`` and, for a task, its disabled checkbox."""
    token = tokens[idx]
    html = self.renderToken(tokens, idx, options, env)
    meta = token.meta or {}
    if "checked" not in meta:  # not a task (markdown-it's own ``tasklists`` also sets it)
        return html
    checked = " checked" if meta["checked"] else ""
    return f'{html}<input class="task-list-item-checkbox" type="checkbox" disabled{checked}> '


def tasks_plugin(md: MarkdownIt) -> None:
    """Install the task rule and the ``list_item_open`` renderer.

    Do not also set markdown-it-py's own ``tasklists`` option (4.1+): it would take ``[ ]`` and
    ``[x]`` off first and render a second checkbox; and in kgwiki it turns off the
    ``simple_list`` fast path for every list.
    """
    md.core.ruler.before("inline", "obsidian_tasks", task_rule)
    md.add_render_rule("list_item_open", render_list_item_open)
