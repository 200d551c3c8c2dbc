"""Argdown text: export, and a fast hand-written line-oriented import.

Mapping (Argdown -> map):
- a statement equivalence class `[Title]` -> one statement (first non-empty text wins);
  untitled statements are numbered "Untitled N" as the official parser does;
- an argument with a premise-conclusion structure (PCS) -> one inference per inference
  step, the last one carrying the argument's title as its id; the scheme is the text of
  its inference rule line (`-- rule --`);
- an argument without PCS ("sketched") -> a statement holding its description, whose
  outgoing supports become one-premise inferences;
- support (`+`, `<+`, `+>`) -> inference; attack (`-`, `<-`, `->`) -> conflict;
  undercut (`_`, `<_`, `_>`) -> conflict on the argument's inference; contradiction
  (`><`) -> two conflicts, one each way;
- `#tag`/`#(a tag)` -> tags; `{key: value}` data: `author`, `title`, `kind`, `score`.
Attacks on statements are "undermine" when the statement is a premise, else "rebut".
Errors carry "line L, column C".
"""

import io
import re
from typing import Final

import msgspec

from service.domain.formats._util import (
    ASCII_OTHER_WHITESPACE,
    ID_RE,
    SHORT_MAX,
    IdAllocator,
    all_valid_ids,
    as_text,
    chunks,
    clip_short,
    clip_text,
    finish,
    flat_texts,
    gc_paused,
    loss,
)
from service.domain.formats.base import Exported, FormatError, Imported
from service.domain.graph import (
    MAX_TEXT,
    Author,
    Conflict,
    ConflictKind,
    Inference,
    MapDocument,
    Statement,
    StatementKind,
)

MEDIA_TYPE: Final = "text/vnd.argdown; charset=utf-8"
EXTENSION: Final = "argdown"
MAX_LINES: Final = 20_000_000

# relation operator -> (relation type, direction): "up" means the line's element relates
# to its parent, "down" the parent relates to the line's element.
_OPS: Final = {
    "<+": ("support", "up"),
    "+": ("support", "up"),
    "<-": ("attack", "up"),
    "-": ("attack", "up"),
    "<_": ("undercut", "up"),
    "_": ("undercut", "up"),
    "+>": ("support", "down"),
    "->": ("attack", "down"),
    "_>": ("undercut", "down"),
    "><": ("contradiction", "down"),
}
_REL: Final = re.compile(r"(<\+|<-|<_|\+>|->|_>|><|\+|-|_)(?:[ \t]+|$)")
_PCS: Final = re.compile(r"\((\d+)\)[ \t]*")
_INF_LINE: Final = re.compile(r"--+[ \t]*$")
_INF_ONE: Final = re.compile(r"--+[ \t]*(.*?)[ \t]*--+[ \t]*$")
_HEADING: Final = re.compile(r"#+[ \t]")
_LIST: Final = re.compile(r"(?:\*|\d+\.)[ \t]+")
_TAG: Final = re.compile(r"(?<![\\\w])#(?:\(([^)]*)\)|([\w-]+))")
_DATA: Final = re.compile(r"(?<!\\)\{([^{}]*)\}[ \t]*$")
_ESC: Final = re.compile(r"\\(.)")
_NEEDS_ESC: Final = re.compile(r"([\\#{}\[\]<>/])")


class _Elem:
    """A statement (or an argument's own description) as parsed: each mention adds one
    member text, continuation lines extend the last member."""

    __slots__ = ("auto", "line", "sid", "texts", "title")

    def __init__(self, title: str, line: int, text: str, auto: bool = False) -> None:
        self.title = title
        self.line = line
        self.texts = [text]  # each member's lines already joined by single spaces
        self.auto = auto
        self.sid = ""  # the statement id, once built


class _Arg:
    """An argument as parsed: its description, and its premise-conclusion structure if
    it has one. Like `_Elem`, a bare slotted class: a big file keeps a million alive."""

    __slots__ = ("elem", "groups", "rule_data", "rules", "title")

    def __init__(self, title: str, line: int, text: str) -> None:
        self.title = title
        self.elem = _Elem(title, line, text)
        self.groups: list[list[_Elem]] = []  # statements between inference lines
        self.rules: list[str] = []
        self.rule_data: list[dict[str, str]] = []


# Relations point at the parsed objects themselves, so no title is stored twice.
Ref = _Elem | _Arg
_DONE: Final[list[str]] = []  # texts of an element already built (never appended to)
_NO_DATA: Final[dict[str, str]] = {}  # shared by every rule without {data} (only ever read)


class _Parsed:
    __slots__ = ("arguments", "relations", "statements", "title")

    def __init__(self) -> None:
        self.title: str | None = None
        self.statements: dict[str, _Elem] = {}
        self.arguments: dict[str, _Arg] = {}
        self.relations: list[tuple[str, Ref, Ref, int]] = []


def _err(msg: str, line: int, col: int) -> FormatError:
    return FormatError(msg, f"line {line}, column {col}")


def _parse_data(body: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in re.split(r",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", body):
        key, sep, value = part.partition(":")
        key, value = key.strip().strip("\"'"), value.strip()
        if not sep or not key:
            continue
        if len(value) >= 2 and value[0] == value[-1] == '"':
            try:
                value = msgspec.json.decode(value, type=str)
            except msgspec.DecodeError:
                value = value[1:-1]
        elif len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1]
        out[key] = value
    return out


def _split_text(raw: str) -> tuple[str, list[str], dict[str, str]]:
    """Text without its tags and trailing {data}, plus both."""
    data: dict[str, str] = {}
    m = _DATA.search(raw)
    if m is not None:
        data = _parse_data(m.group(1))
        raw = raw[: m.start()]
    tags: list[str] = []
    if "#" in raw:
        for t in _TAG.finditer(raw):
            tag = (t.group(1) or t.group(2) or "").strip()
            if tag:
                tags.append(tag)
        raw = _TAG.sub("", raw)
    if "\\" in raw:
        raw = _ESC.sub(r"\1", raw)
    return " ".join(raw.split()), tags, data


class _Parser:
    def __init__(self, text: str) -> None:
        self.comments = "/" in text or "<!--" in text
        self.lines = text.split("\n")
        if len(self.lines) > MAX_LINES:
            raise _err(f"more than {MAX_LINES} lines", MAX_LINES + 1, 1)
        self.p = _Parsed()
        self.untitled = 0
        self.untitled_args = 0
        self.warnings: list[str] = []

    # -- elements -------------------------------------------------------------------
    def statement(self, title: str | None, text: str, line: int) -> _Elem:
        if title is None:
            self.untitled += 1
            title = f"Untitled {self.untitled}"
            el = self.p.statements.get(title)
            if el is None:
                el = self.p.statements[title] = _Elem(title, line, text, True)
                return el
        else:
            el = self.p.statements.get(title)
            if el is None:
                el = self.p.statements[title] = _Elem(title, line, text)
                return el
        el.texts.append(text)
        return el

    def argument(self, title: str, text: str, line: int) -> _Arg:
        arg = self.p.arguments.get(title)
        if arg is None:
            arg = self.p.arguments[title] = _Arg(title, line, text)
        else:
            arg.elem.texts.append(text)
        return arg

    def element(self, content: str, line: int, col: int) -> Ref:
        c0 = content[:1]
        if c0 == "[" or c0 == "<":
            close = "]" if c0 == "[" else ">"
            end = content.find(close, 1)
            if end < 0:
                raise _err(f"'{c0}' title is not closed with '{close}'", line, col)
            title = content[1:end]
            if not title.isalnum():  # the common short id needs no normalising
                title = " ".join(title.split())
                if not title:
                    raise _err("empty title", line, col)
            if content[end + 1 : end + 2] == ":":
                rest = content[end + 2 :]
            else:
                rest = content[end + 1 :]
                if c0 == "[" and rest and rest.strip() and not rest.lstrip().startswith(("#", "{")):
                    # "[Title] more text" is a mention at the start of an untitled statement
                    return self.statement(None, content, line)
            if c0 == "[":
                return self.statement(title, rest, line)
            return self.argument(title, rest, line)
        return self.statement(None, content, line)

    # -- main loop --------------------------------------------------------------------
    def run(self) -> _Parsed:
        lines = self.lines
        n = len(lines)
        i = 0
        if n and lines[0].strip() == "===":
            i = 1
            while i < n and lines[i].strip() != "===":
                m = re.match(r"title:\s*(.+)$", lines[i])
                if m:
                    self.p.title = m.group(1).strip().strip("\"'")
                i += 1
            if i >= n:
                raise _err("front matter opened with '===' is not closed", 1, 1)
            i += 1
        relations = self.p.relations
        arguments = self.p.arguments
        element = self.element
        # a file with no comment marker anywhere skips the per-line comment scan
        comments = self.comments
        pcs_match = _PCS.match
        rel_match = _REL.match
        stack: list[tuple[int, Ref]] = []
        last: _Elem | None = None  # element a continuation line extends
        last_arg: _Arg | None = None  # argument a following PCS belongs to
        pcs: _Arg | None = None
        pcs_indent = 0
        pcs_inf_line = (0, 0)
        in_heading = False
        in_block = False  # inside /* */ or <!-- -->
        block_end = ""
        block_start = (0, 0)
        while i < n:
            raw = lines[i]
            i += 1
            if not raw:  # blank lines end texts and headings, even inside a comment block
                last = None
                in_heading = False
                continue
            # each line is dropped once read: on a huge file the lines are a good part of
            # the peak memory (look-ahead below only reads forward)
            lines[i - 1] = ""
            lineno = i
            if comments and (in_block or ("/" in raw and ("/*" in raw or "//" in raw)) or "<!--" in raw):
                raw, in_block, block_end, start = self.strip_comments(raw, in_block, block_end, lineno)
                if start is not None:
                    block_start = start
            if not raw or raw.isspace():
                last = None
                in_heading = False
                continue
            if in_heading:
                continue
            c = raw[0]
            if (
                c == "<"
                and last is None
                and not in_block
                and raw[-1] == ">"
                and i + 3 < n
                and lines[i] == ""
                and lines[i + 2] == "----"
                and (first := lines[i + 1]).startswith("(1) [")
                and first[-1] == "]"
                and (second := lines[i + 3]).startswith("(2) [")
                and second[-1] == "]"
                and (title := raw[1:-1]).isalnum()
                and (premise := first[5:-1]).isalnum()
                and (concl := second[5:-1]).isalnum()
                and (pcs is None or not pcs.groups or pcs.groups[-1])
                and not ((old := arguments.get(title)) is not None and old.groups)
            ):
                # "<A>", "", "(1) [P]", "----", "(2) [C]": the five lines of a one-step
                # argument, with exactly the effect they have when taken one by one below
                pcs = self.argument(title, "", lineno)
                pcs.groups.append([self.statement(premise, "", lineno + 2)])
                pcs.rules.append("")
                pcs.rule_data.append(_NO_DATA)
                last = self.statement(concl, "", lineno + 4)
                pcs.groups.append([last])
                pcs_indent = 0
                pcs_inf_line = (lineno + 3, 1)
                stack = [(0, last)]
                last_arg = pcs
                lines[i] = lines[i + 1] = lines[i + 2] = lines[i + 3] = ""
                i += 4
                continue
            if c == " " or c == "\t":
                body = raw.lstrip(" \t")
                indent = len(raw) - len(body)
                body = body.rstrip()
                c = body[0]
            else:
                indent = 0
                body = raw.rstrip()
            col = indent + 1
            if c == "[" and last is None and pcs is None:
                # the most common line: a statement or a mention opening a new tree
                ref = element(body, lineno, col)
                stack = [(indent, ref)]
                last = ref  # type: ignore[assignment]  # a "[" line is always a statement
                last_arg = None
                continue
            if c == "#" and indent == 0 and _HEADING.match(body):
                stack.clear()
                last = last_arg = pcs = None
                in_heading = True  # a heading runs on until the next blank line
                continue
            # premise-conclusion structures
            if c == "(":
                m = pcs_match(body)
                if m is not None:
                    if pcs is None:
                        if last_arg is None:
                            self.untitled_args += 1
                            last_arg = self.argument(f"Untitled argument {self.untitled_args}", "", lineno)
                        pcs = last_arg
                        if pcs.groups:
                            raise _err(
                                f"argument <{pcs.title}> already has a premise-conclusion structure", lineno, col
                            )
                        pcs.groups.append([])
                        pcs_indent = indent
                    ref = element(body[m.end() :], lineno, col + m.end())
                    if isinstance(ref, _Arg):
                        raise _err(
                            "a premise-conclusion structure holds statements, not arguments", lineno, col + m.end()
                        )
                    pcs.groups[-1].append(ref)
                    stack = [(indent, ref)]
                    last = ref
                    continue
            dashes = c == "-" and body.startswith("--")
            if pcs is not None and dashes and (_INF_LINE.match(body) or _INF_ONE.match(body)):
                if not pcs.groups[-1]:
                    raise _err("an inference line needs statements above it", lineno, col)
                rule = ""
                if body[-1] != "-" or not _INF_LINE.match(body):
                    one = _INF_ONE.match(body)
                    if one is not None:
                        rule = one.group(1)
                else:
                    nxt = i
                    while nxt < n and not lines[nxt].strip():
                        nxt += 1
                    if nxt < n and not _PCS.match(lines[nxt].strip()):
                        # a multi-line rule block closed by another "--" line
                        parts: list[str] = []
                        j = nxt
                        while j < n and not _INF_LINE.match(lines[j].strip()):
                            parts.append(lines[j].strip())
                            j += 1
                        if j >= n:
                            raise _err("inference rule opened with '--' is not closed", lineno, col)
                        rule = " ".join(parts)
                        i = j + 1
                if rule:
                    text, _tags, data = _split_text(rule)
                else:
                    text, data = "", _NO_DATA
                pcs.rules.append(text)
                pcs.rule_data.append(data)
                pcs.groups.append([])
                pcs_inf_line = (lineno, col)
                stack.clear()
                last = None
                continue
            rm = rel_match(body) if c in "<+-_>" else None
            if last is not None and (rm is None or dashes):
                texts = last.texts
                texts[-1] = f"{texts[-1]} {body}"  # a text continues on the next line
                continue
            if pcs is not None and indent <= pcs_indent and rm is None:
                if pcs.groups and not pcs.groups[-1]:
                    raise _err(f"argument <{pcs.title}> ends with an inference line but no conclusion", lineno, col)
                pcs = None
            if rm is not None and not dashes:
                op = rm.group(1)
                content = body[rm.end() :]
                if not content.strip():
                    self.warnings.append(f"line {lineno}: relation '{op}' without an element, skipped")
                    continue
                while stack and stack[-1][0] >= indent:
                    stack.pop()
                if not stack:
                    raise _err(f"relation '{op}' has no element above it to relate to", lineno, col)
                parent = stack[-1][1]
                ref = element(content, lineno, col + rm.end())
                rtype, direction = _OPS[op]
                if direction == "up":
                    relations.append((rtype, ref, parent, lineno))
                else:
                    relations.append((rtype, parent, ref, lineno))
                stack.append((indent, ref))
                last = ref.elem if isinstance(ref, _Arg) else ref
                last_arg = None
                continue
            if indent > 0 and not stack:
                lm = _LIST.match(body)
                if lm is not None:
                    body = body[lm.end() :]
            ref = element(body, lineno, col)
            stack = [(indent, ref)]
            if isinstance(ref, _Arg):
                last = ref.elem
                last_arg = ref
            else:
                last = ref
                last_arg = None
        if in_block:
            raise _err("comment is not closed", *block_start)
        if pcs is not None and pcs.groups and not pcs.groups[-1]:
            raise _err(f"argument <{pcs.title}> ends with an inference line but no conclusion", *pcs_inf_line)
        return self.p

    @staticmethod
    def strip_comments(
        raw: str, in_block: bool, block_end: str, lineno: int
    ) -> tuple[str, bool, str, tuple[int, int] | None]:
        out: list[str] = []
        pos = 0
        start: tuple[int, int] | None = None
        while pos <= len(raw):
            if in_block:
                end = raw.find(block_end, pos)
                if end < 0:
                    return "".join(out), True, block_end, start
                out.append(" " * (end + len(block_end) - pos))
                pos = end + len(block_end)
                in_block = False
                continue
            cands = [(raw.find(tok, pos), tok) for tok in ("/*", "<!--", "//")]
            cands = [(k, t) for k, t in cands if k >= 0 and not (k > 0 and raw[k - 1] == "\\")]
            # "//" only opens a comment at a word boundary, so URLs (https://) survive
            cands = [(k, t) for k, t in cands if t != "//" or k == 0 or raw[k - 1] in " \t"]
            if not cands:
                out.append(raw[pos:])
                break
            k, tok = min(cands)
            out.append(raw[pos:k])
            if tok == "//":
                break
            in_block = True
            block_end = "*/" if tok == "/*" else "-->"
            start = (lineno, k + 1)
            out.append(" " * len(tok))
            pos = k + len(tok)
        return "".join(out), in_block, block_end, start


@gc_paused
def import_(data: bytes | str) -> Imported:
    text = as_text(data, "Argdown")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    plain = "{" not in text and "#" not in text and "\\" not in text
    spaces_only = plain and text.isascii() and not any(ch in text for ch in ASCII_OTHER_WHITESPACE)
    parser = _Parser(text)
    # The source and its lines are dropped as soon as they are parsed: on a
    # million-statement file they are a good part of the peak memory of the import.
    del text
    parsed = parser.run()
    parser.lines = []
    warnings = parser.warnings
    return finish(_build(parsed, warnings, plain, spaces_only), warnings)


def _build(p: _Parsed, warnings: list[str], plain: bool, spaces_only: bool = False) -> MapDocument:
    """`plain`: the source holds no '{', '#' or '\\' at all, so no text carries data,
    tags or escapes and each statement only needs its whitespace normalised; `spaces_only`:
    besides, it is ASCII with no whitespace but spaces and newlines."""
    ids = IdAllocator()
    take = ids.take
    authors: dict[str, Author] = {}

    def author(data: dict[str, str]) -> str | None:
        name = clip_short(data.get("author"))
        if name is None:
            return None
        if name not in authors:
            authors[name] = Author(id=take(f"author-{name}"), name=name)
        return authors[name].id

    def kind_of(data: dict[str, str]) -> StatementKind:
        try:
            return StatementKind(data.get("kind", "claim"))
        except ValueError:
            return StatementKind.CLAIM

    def score_of(data: dict[str, str]) -> float:
        try:
            v = float(data.get("score", "0.5"))
        except ValueError:
            return 0.5
        return v if 0.0 <= v <= 1.0 else 0.5

    statements: list[Statement] = []
    add_statement = statements.append

    def make_statement(el: _Elem) -> str:
        texts = el.texts
        el.texts = _DONE  # the raw texts are not needed again: free them as we go
        etitle = el.title
        if plain or not any("{" in m or "#" in m or "\\" in m for m in texts):
            text = ""
            for m in texts:
                if m and not m.isspace():
                    text = " ".join(m.split())
                    break
            body = text if text and len(text) <= MAX_TEXT else clip_text(text or etitle, f"line {el.line}", warnings)
            new_id = take(etitle.replace(" ", "-"))
            add_statement(
                Statement(
                    id=new_id,
                    text=body or etitle,
                    title=None if el.auto or etitle == new_id else etitle[:SHORT_MAX],
                )
            )
            el.sid = new_id
            return new_id
        text = ""
        tags: list[str] = []
        data: dict[str, str] = {}
        for member in texts:
            t, tg, d = _split_text(member)
            tags.extend(tg)
            data.update(d)
            if not text and t:
                text = t
        body = clip_text(text or etitle, f"line {el.line}", warnings) or etitle
        new_id = take(etitle.replace(" ", "-"))
        # a title that is just the id adds nothing (and keeps our own export round-tripping)
        title = clip_short(data.get("title")) or (None if el.auto or etitle == new_id else clip_short(etitle))
        add_statement(
            Statement(
                id=new_id,
                text=body,
                title=title,
                kind=kind_of(data),
                author=author(data),
                base_score=score_of(data),
                tags=list(dict.fromkeys(t[:500] for t in tags)),
            )
        )
        el.sid = new_id
        return new_id

    elems = list(p.statements.values())
    wanted = [el.title.replace(" ", "-") for el in elems]
    if plain and all_valid_ids(wanted) and len(set(wanted)) == len(wanted):
        # Every statement keeps its title as id and carries no data: the same result as
        # make_statement, without an id check and a text scan per statement.
        ids.used.update(wanted)
        for el, new_id in zip(elems, wanted, strict=True):
            text = ""
            for m in el.texts:
                if m and not m.isspace():
                    # with spaces as the only whitespace, normalising is a strip unless
                    # spaces repeat inside
                    text = m.strip() if spaces_only and "  " not in m else " ".join(m.split())
                    break
            el.texts = _DONE
            etitle = el.title
            if not text or len(text) > MAX_TEXT:
                text = clip_text(text or etitle, f"line {el.line}", warnings) or etitle
            el.sid = new_id
            add_statement(
                Statement(id=new_id, text=text, title=None if el.auto or etitle == new_id else etitle[:SHORT_MAX])
            )
    else:
        for el in elems:
            make_statement(el)
    del elems, wanted
    p.statements = {}
    sketched: dict[str, str] = {}  # argument title -> statement id
    for title, arg in p.arguments.items():
        if not arg.groups:
            sketched[title] = make_statement(arg.elem)

    inferences: list[Inference] = []
    main_inf: dict[str, str] = {}
    main_concl: dict[str, str] = {}
    first_premise: dict[str, str] = {}
    used = ids.used
    id_ok = ID_RE.match
    for title, arg in p.arguments.items():
        g = arg.groups
        if not g:
            continue
        # what is parsed of an argument is dropped once read (relations only need its
        # title): on a huge file these are the largest part of the parse
        elem, rules, rule_data = arg.elem, arg.rules, arg.rule_data
        del arg.groups, arg.rules, arg.rule_data, arg.elem
        if len(g) == 2 and len(g[0]) == 1 and len(g[1]) == 1 and (plain or not rule_data[0]):
            # the common one-premise, one-step argument: the general loop below, unrolled
            premise = g[0][0].sid
            concl = g[1][0].sid
            first_premise[title] = premise
            if premise == concl:
                warnings.append(f"argument <{title}>: step 1 concludes its own premise, skipped")
                continue
            dashed = title.replace(" ", "-")
            if dashed not in used and id_ok(dashed) is not None:
                used.add(dashed)
                inf_id = dashed
            else:
                inf_id = take(dashed)
            rule1 = rules[0]
            adata = {} if plain else _split_text(" ".join(elem.texts))[2]
            inferences.append(
                Inference(
                    id=inf_id,
                    premises=[premise],
                    conclusion=concl,
                    scheme=clip_short(rule1) if rule1 else None,
                    title=title[:SHORT_MAX],
                    author=author(adata) if adata else None,
                )
            )
            main_inf[title] = inf_id
            main_concl[title] = concl
            continue
        groups = [[e.sid for e in step] for step in g]
        steps = len(groups) - 1
        if steps < 1:
            raise _err(f"argument <{title}> has premises but no inference line and conclusion", elem.line, 1)
        adata = {} if plain else _split_text(" ".join(elem.texts))[2]
        first_premise[title] = groups[0][0]
        dashed = title.replace(" ", "-")
        for k in range(steps):
            concl = groups[k + 1][0]
            premises = [x for x in dict.fromkeys(groups[k]) if x != concl]
            if not premises:
                warnings.append(f"argument <{title}>: step {k + 1} concludes its own premise, skipped")
                continue
            rule = clip_short(rules[k]) if k < len(rules) else None
            last_step = k == steps - 1
            inf_id = take(dashed if last_step else f"{dashed}.{k + 1}")
            rdata = rule_data[k] if k < len(rule_data) else _NO_DATA
            inferences.append(
                Inference(
                    id=inf_id,
                    premises=premises,
                    conclusion=concl,
                    scheme=rule,
                    title=title[:SHORT_MAX] if last_step else None,
                    author=(author(rdata) if rdata else None) or (author(adata) if last_step and adata else None),
                )
            )
            if last_step:
                main_inf[title] = inf_id
                main_concl[title] = concl

    def source(ref: Ref, line: int) -> str:
        if isinstance(ref, _Elem):
            return ref.sid
        found = sketched.get(ref.title) or main_concl.get(ref.title)
        if found is None:
            # e.g. an argument whose only step concludes its own premise was skipped above
            raise _err(f"argument <{ref.title}> has no usable conclusion to relate from", line, 1)
        return found

    def target(ref: Ref, line: int) -> str:
        if isinstance(ref, _Elem):
            return ref.sid
        title = ref.title
        if title in sketched:
            return sketched[title]
        warnings.append(f"line {line}: a relation to argument <{title}> is attached to its first premise")
        return first_premise[title]

    seen: set[tuple[str, str, str]] = set()
    supports: list[tuple[str, str, int]] = []
    attacks: list[tuple[str, str, int]] = []
    undercuts: list[tuple[str, Ref, int]] = []
    relations = p.relations
    p.relations = []
    for rtype, frm, to, line in relations:
        if rtype == "undercut":
            undercuts.append((source(frm, line), to, line))
            continue
        a = source(frm, line)
        if (
            rtype == "support"
            and isinstance(frm, _Arg)
            and isinstance(to, _Elem)
            and main_concl.get(frm.title) == to.sid
        ):
            continue  # "<A> +> [C]" where C is A's own conclusion restates the PCS
        b = target(to, line)
        if a == b:
            warnings.append(f"line {line}: an element relating to itself was skipped")
            continue
        if rtype == "contradiction":
            for x, y in ((a, b), (b, a)):
                if ("attack", x, y) not in seen:
                    seen.add(("attack", x, y))
                    attacks.append((x, y, line))
            continue
        key = (rtype, a, b)
        if key in seen:
            continue
        seen.add(key)
        (supports if rtype == "support" else attacks).append((a, b, line))
    del relations

    sketch_inf: dict[str, str] = {}
    by_stmt: dict[str, str] = {v: k for k, v in sketched.items()}
    for a, b, _line in supports:
        inf_id = take(f"{a}-supports-{b}")
        inferences.append(Inference(id=inf_id, premises=[a], conclusion=b))
        if by_stmt and a in by_stmt:
            sketch_inf.setdefault(by_stmt[a], inf_id)
    premise_ids = {x for inf in inferences for x in inf.premises}
    conflicts: list[Conflict] = []
    for a, b, _line in attacks:
        kind = ConflictKind.UNDERMINE if b in premise_ids else ConflictKind.REBUT
        conflicts.append(Conflict(id=take(f"{a}-attacks-{b}"), attacker=a, target=b, kind=kind))
    for a, to, line in undercuts:
        title = to.title
        is_arg = isinstance(to, _Arg)
        tgt = main_inf.get(title) if is_arg else None
        if tgt is None and is_arg:
            tgt = sketch_inf.get(title)
        if tgt is None:
            b = target(to, line)
            warnings.append(
                f"line {line}: undercut target {'<' + title + '>' if is_arg else '[' + title + ']'} "
                "has no inference; imported as an attack"
            )
            if a != b:
                conflicts.append(Conflict(id=take(f"{a}-attacks-{b}"), attacker=a, target=b, kind=ConflictKind.REBUT))
            continue
        if ("undercut", a, tgt) in seen:
            continue
        seen.add(("undercut", a, tgt))
        conflicts.append(Conflict(id=take(f"{a}-undercuts-{tgt}"), attacker=a, target=tgt, kind=ConflictKind.UNDERCUT))
    return MapDocument(
        title=clip_short(p.title) or "Argdown map",
        authors=list(authors.values()),
        statements=statements,
        inferences=inferences,
        conflicts=conflicts,
    )


# -- export ---------------------------------------------------------------------------


def _esc(text: str) -> str:
    return _NEEDS_ESC.sub(r"\\\1", " ".join(text.split()))


def _tag(t: str) -> str:
    return f"#{t}" if re.fullmatch(r"[\w-]+", t) else f"#({t})"


@gc_paused
def export(doc: MapDocument) -> Exported:
    warnings: list[str] = []
    authors = _Authors((a.id, f"author: {_json(a.name)}") for a in doc.authors)
    statements = doc.statements
    inferences = doc.inferences
    conflicts = doc.conflicts
    plain = flat_texts([s.text for s in statements], "\\#{}[]<>/")
    claim = StatementKind.CLAIM
    undercut = ConflictKind.UNDERCUT
    # One f-string per element in a comprehension: on CPython 3.11 this beats both an
    # explicit loop and joining column pieces, and the rare element with data, a title,
    # linked premises or a scheme takes its own helper inline, keeping document order.
    # Elements go out a few thousand at a time (see `chunks`), each after a newline.
    out = io.BytesIO()
    write = out.write
    write(f"===\ntitle: {' '.join(doc.title.split())}\n===\n".encode())
    for part in chunks(len(statements)):
        if plain:
            # a blank line ends the statement; otherwise the next line continues it
            rows = [
                f"[{s.id}]: {s.text}\n"
                if s.kind is claim and not (s.title or s.author or s.tags) and s.base_score == 0.5
                else _statement(s, authors, plain)
                for s in statements[part]
            ]
        else:
            rows = [_statement(s, authors, plain) for s in statements[part]]
        write(b"\n")
        write("\n".join(rows).encode("utf-8"))
    for part in chunks(len(inferences)):
        rows = [
            f"<{i.id}>\n\n(1) [{i.premises[0]}]\n----\n(2) [{i.conclusion}]\n"
            if len(i.premises) == 1 and not i.scheme and not i.author
            else _inference(i, authors)
            for i in inferences[part]
        ]
        write(b"\n")
        write("\n".join(rows).encode("utf-8"))
    for part in chunks(len(conflicts)):
        rows = [
            f"[{c.target}]\n  <- [{c.attacker}]\n" if c.kind != undercut else f"<{c.target}>\n  <_ [{c.attacker}]\n"
            for c in conflicts[part]
        ]
        write(b"\n")
        write("\n".join(rows).encode("utf-8"))
    loss(warnings, "Argdown", len(doc.equivalences), "equivalences between differently titled statements")
    loss(warnings, "Argdown", len(statements) - [s.locator for s in statements].count(None), "source locators")
    loss(warnings, "Argdown", len(doc.sources), "sources")
    loss(warnings, "Argdown", len(doc.topics), "topics")
    loss(warnings, "Argdown", len(conflicts) - [c.author for c in conflicts].count(None), "authors of conflicts")
    if conflicts:
        warnings.append("Argdown keeps no conflict ids and no rebut/undermine distinction")
    return Exported(out.getvalue(), MEDIA_TYPE, EXTENSION, warnings)


class _Authors(dict[str, str]):
    """Author id -> the `author: "Name"` data entry, JSON made once per author; an id
    with no author record stands for itself, as before."""

    def __missing__(self, key: str) -> str:
        entry = self[key] = f"author: {_json(key)}"
        return entry


def _json(value: str) -> str:
    return msgspec.json.encode(value).decode()


_KIND_DATA: Final = {kind: f"kind: {_json(kind.value)}" for kind in StatementKind}


def _statement(s: Statement, authors: _Authors, plain: bool) -> str:
    """A statement with data, tags or a text to escape: its line and trailing newline."""
    data: list[str] = []
    if s.title:
        data.append(f"title: {_json(s.title)}")
    if s.author:
        data.append(authors[s.author])
    if s.kind != StatementKind.CLAIM:
        data.append(_KIND_DATA[s.kind])
    if s.base_score != 0.5:
        data.append(f"score: {_json(repr(s.base_score))}")
    tags = "".join([" " + _tag(t) for t in s.tags if ")" not in t]) if s.tags else ""
    body = " {" + ", ".join(data) + "}" if data else ""
    return f"[{s.id}]: {s.text if plain else _esc(s.text)}{tags}{body}\n"


def _inference(inf: Inference, authors: _Authors) -> str:
    """An inference with linked premises, a scheme or an author: its block of lines."""
    premises = inf.premises
    lines = [f"<{inf.id}>", ""]
    lines += [f"({k}) [{p}]" for k, p in enumerate(premises, 1)]
    rule = _esc(inf.scheme) if inf.scheme else ""
    data = " {" + authors[inf.author] + "}" if inf.author else ""
    lines.append(f"-- {rule}{data} --" if rule or data else "----")
    lines.append(f"({len(premises) + 1}) [{inf.conclusion}]\n")
    return "\n".join(lines)
