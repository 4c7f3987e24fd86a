"""Read the content tree: posts, Q&A sessions and authors, validated, without MkDocs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

import yaml
from frontmatter.default_handlers import YAMLHandler

from fireside.core.bodycheck import body_problem
from fireside.core.errors import Problem
from fireside.core.placeholders import placeholder_problems
from fireside.core.safepaths import avatar_problem, segment_problem, slug_problem
from fireside.core.schema import Author, PostMeta, Rules, validate_authors, validate_meta
from fireside.core.urls import slugify
from fireside.discussions.platforms import Registry

if TYPE_CHECKING:
    from fireside.discussions.panel import Discussion
    from fireside.discussions.qa import QASession

#: What a content file is: a blog post or a Q&A session.
Kind = Literal["post", "qa"]
#: Where a post stands at build time.
Status = Literal["published", "draft", "scheduled"]

try:  # libyaml is ~10x faster when the wheel has it
    _Base: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,unused-ignore]
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """Safe YAML that leaves timestamps as text, so ``schema.parse_date`` reports bad dates
    (``2026-02-30``) with their field and line instead of crashing in the constructor."""

    yaml_implicit_resolvers = {  # noqa: RUF012 - PyYAML's class-level resolver table
        first: [(tag, regexp) for tag, regexp in resolvers
                if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }

#: Longest YAML block read (front matter or ``.authors.yml``), in characters.
MAX_YAML_CHARS = 256 * 1024
#: Deepest nesting of lists and mappings in it.
MAX_YAML_DEPTH = 50
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
#: python-frontmatter's YAML split, with MkDocs' fences: ``---``, closed by ``---`` or ``...``.
_SPLITTER = YAMLHandler(re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE))


@dataclass(eq=False)  # an entity: identity equality, and cheap to look up
class Post:
    """A blog post (or a Q&A session): validated metadata, then what each build stage adds.

    Reading sets the first four fields; ``urls.assign_urls`` sets ``url``; the build's one
    render sets ``html``, ``excerpt``, ``has_more`` and ``readtime``; the discussions stage
    sets ``discussion`` and, for a Q&A session, ``qa``.
    """

    src_uri: str
    """Path relative to the docs dir, POSIX form (``posts/2025/results.md``)."""
    meta: PostMeta
    title: str
    slug: str
    kind: Kind = "post"
    url: str = ""
    """Site-relative URL with a trailing slash, set by ``urls.assign_urls``."""
    html: str = ""
    """The rendered body, converted once by the build."""
    excerpt: str = ""
    """HTML up to ``<!-- more -->``, else the first paragraph."""
    has_more: bool = False
    """Whether the post continues after the excerpt ("Continue reading")."""
    readtime: int = 1
    """Minutes."""
    discussion: Discussion | None = None
    """The discussion summary, when the post links a thread and shows comments."""
    qa: QASession | None = None
    """A Q&A session's questions and answers."""

    @property
    def created(self) -> dt.datetime:
        """The publication datetime, tz-aware."""
        return self.meta.dates.created

    @property
    def updated(self) -> dt.datetime | None:
        """The updated datetime, if given."""
        return self.meta.dates.updated

    def status(self, now: dt.datetime) -> Status:
        """``draft``, ``scheduled`` (dated after ``now``) or ``published``: the one rule."""
        if self.meta.draft:
            return "draft"
        return "scheduled" if self.created > now else "published"


def newest_first(posts: Iterable[Post]) -> list[Post]:
    """Sort posts newest first; ties break on the source path so the order is stable."""
    return sorted(posts, key=lambda p: (-p.created.timestamp(), p.src_uri))


def authors_by_platform(authors: Mapping[str, Author]) -> dict[str, dict[str, Author]]:
    """Authors by platform and then by their user id there (from ``platforms:``)."""
    found: dict[str, dict[str, Author]] = {}
    for author in authors.values():
        for platform, user_id in (author.platforms or {}).items():
            found.setdefault(platform, {})[str(user_id)] = author
    return found


@dataclass
class Content:
    """Everything read from the content tree, plus every problem found."""

    authors: dict[str, Author]
    posts: list[Post]
    sessions: list[Post]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop a build."""
        return [p for p in self.problems if p.severity == "error"]


def read_front_matter(
    text: str, *, path: str, required: bool
) -> tuple[dict[Any, Any], str, dict[str, int], list[Problem]]:
    """Split and parse YAML front matter, never letting broken YAML turn into body text.

    Returns:
        The mapping, the body, the 1-based line of each top-level key, and problems.
    """
    if not text.startswith("---"):
        if required:
            return {}, text, {}, [Problem(path, None, "has no front matter; expected the file "
                                          "to start with a '---' line, then title/date/authors, "
                                          "then '---'", 1)]
        return {}, text, {}, []
    first_newline = text.find("\n")
    if first_newline < 0 or text[:first_newline].strip() != "---":
        return {}, text, {}, [Problem(path, None, "the first line must be exactly '---'", 1)]
    try:
        source, rest = _SPLITTER.split(text)
    except ValueError:
        return {}, text, {}, [Problem(path, None, "front matter starts with '---' but has no "
                                      "closing '---' line", 1)]
    body = rest.lstrip("\n")
    source = source.removeprefix("\n")  # the end of the '---' line: the YAML starts on line 2
    data, lines, problems = parse_yaml(source, path=path, line_offset=2)
    if problems:
        return {}, body, {}, problems
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return {}, body, {}, [Problem(path, None, f"front matter is a {type(data).__name__}; "
                                      "expected 'key: value' lines", 2)]
    return data, body, lines, []


def parse_yaml(
    source: str, *, path: str, line_offset: int = 1
) -> tuple[Any, dict[str, int], list[Problem]]:
    """Parse YAML, returning the data, key lines (``a`` and ``a.b``) and any syntax problem."""
    if len(source) > MAX_YAML_CHARS:
        return None, {}, [Problem(path, None, f"the YAML is {len(source):,} characters long; "
                                  f"expected at most {MAX_YAML_CHARS:,} (move long text into "
                                  "the body)", line_offset)]
    if problem := _depth_problem(source, path, line_offset):
        return None, {}, [problem]
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        try:
            data = None if node is None else _plain_data(loader, node, set())
        except (_Unusual, yaml.YAMLError, KeyError, ValueError):  # PyYAML's way, in full
            if node is not None and (problem := _shape_problem(node, path, line_offset)):
                return None, {}, [problem]
            data = loader.construct_document(node) if node is not None else None
    except RecursionError:
        return None, {}, [Problem(path, None, "the YAML is nested too deeply")]
    except yaml.MarkedYAMLError as exc:
        tab = _tab_indented(source)
        if tab is not None:  # PyYAML blames the token after it, in words about quoting
            return None, {}, [Problem(path, None, "this line is indented with a tab; YAML "
                                      "indents with spaces only: replace the tab with spaces",
                                      tab + line_offset)]
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + line_offset if mark else None
        reason = exc.problem or str(exc)
        return None, {}, [Problem(path, None, f"invalid YAML ({reason}); check the quoting and "
                                  "indentation - a value containing ': ' or '#' needs quotes",
                                  line)]
    except yaml.YAMLError as exc:
        return None, {}, [Problem(path, None, f"invalid YAML ({exc})")]
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        _collect_lines(node, "", lines, line_offset)
    return data, lines, []


class _Unusual(Exception):
    """YAML that the fast path leaves to the shape check and PyYAML's constructor."""


_STR, _INT, _BOOL, _NULL, _SEQ, _MAP = (f"tag:yaml.org,2002:{t}" for t in
                                        ("str", "int", "bool", "null", "seq", "map"))


def _plain_data(loader: yaml.SafeLoader, node: yaml.Node, seen: set[int]) -> Any:
    """The data of a composed document of strings, integers, booleans, nulls, lists and
    mappings, as ``construct_document`` makes it, in one pass.

    Raises:
        _Unusual: Anything else, an alias, or two keys that are equal (such YAML goes
            through ``_shape_problem`` and ``construct_document``, which report it exactly).
    """
    if id(node) in seen:
        raise _Unusual("alias")
    seen.add(id(node))
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        if tag == _STR:
            return node.value
        if tag == _INT:
            return loader.construct_yaml_int(node)
        if tag == _BOOL:
            return loader.construct_yaml_bool(node)
        if tag == _NULL:
            return None
    elif isinstance(node, yaml.MappingNode) and tag == _MAP:
        data: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Unusual("complex key")
            key = _plain_data(loader, key_node, seen)
            if key in data:
                raise _Unusual("repeated key")
            data[key] = _plain_data(loader, value_node, seen)
        return data
    elif isinstance(node, yaml.SequenceNode) and tag == _SEQ:
        return [_plain_data(loader, item, seen) for item in node.value]
    raise _Unusual(tag)


def _depth_problem(source: str, path: str, offset: int) -> Problem | None:
    """Nesting deeper than ``MAX_YAML_DEPTH``, found from libyaml's (iterative) event stream.

    PyYAML's C composer recurses once per level, so ``[[[[…`` fifty thousand deep crashes the
    interpreter itself; the events are read first, with a counter, to refuse it.
    """
    if sum(source.count(c) for c in "[{:-") <= MAX_YAML_DEPTH:
        return None  # every level needs one of these characters: a usual front matter
    depth = 0
    try:
        for event in yaml.parse(source, Loader=_Base):
            if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    mark = event.start_mark
                    return Problem(path, None, f"the YAML is nested more than {MAX_YAML_DEPTH} "
                                   "levels deep; expected plain key: value lines",
                                   mark.line + offset if mark else None)
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass  # reported, with its line, when the YAML is composed
    return None


def _shape_problem(root: yaml.Node, path: str, offset: int) -> Problem | None:
    """An alias or a duplicate key in the composed YAML, found before anything is built.

    Aliases (``*name``) are refused outright: front matter never needs them, and a few lines
    of nested aliases (a "billion laughs") would otherwise expand into billions of items.
    The composer shares an aliased node, so reaching a node twice means an alias. A repeated
    key is an error naming both lines, never a silent "the second one wins".
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, where = stack.pop()
        if id(node) in seen:
            return Problem(path, None, "uses a YAML alias (*name); write the value out "
                           "instead - aliases are not allowed in front matter or "
                           ".authors.yml", node.start_mark.line + offset)
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: dict[tuple[str, str], int] = {}
            for key_node, value_node in node.value:
                name = f"{where}{key_node.value}" if isinstance(key_node, yaml.ScalarNode) \
                    else where.rstrip(".")
                if isinstance(key_node, yaml.ScalarNode):
                    line = key_node.start_mark.line + offset
                    first = keys.get((key_node.tag, key_node.value))
                    if first is not None:
                        return Problem(path, name, f"is given twice (first on line {first}); "
                                       "expected each key once", line)
                    keys[(key_node.tag, key_node.value)] = line
                stack.extend(((key_node, where), (value_node, f"{name}.")))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, where) for item in node.value)
    return None


def _tab_indented(source: str) -> int | None:
    """The 0-based number of the first line whose indentation holds a tab, if any."""
    for number, line in enumerate(source.splitlines()):
        if "\t" in line[: len(line) - len(line.lstrip(" \t"))]:
            return number
    return None


def _collect_lines(node: yaml.MappingNode, prefix: str, out: dict[str, int], offset: int) -> None:
    for key_node, value_node in node.value:
        key = f"{prefix}{key_node.value}"
        out.setdefault(key, key_node.start_mark.line + offset)
        if isinstance(value_node, yaml.MappingNode) and prefix.count(".") < 2:
            _collect_lines(value_node, key + ".", out, offset)


def load_authors(docs_dir: Path, *, authors_file: str = ".authors.yml",
                 display_root: Path | None = None) -> tuple[dict[str, Author], list[Problem]]:
    """Read and validate ``.authors.yml``; a missing file means no authors."""
    path = docs_dir / authors_file
    shown = display_path(path, display_root or docs_dir.parent)
    if not path.is_file():
        return {}, [Problem(shown, None, "is missing; expected an 'authors:' mapping with at "
                            "least one author")]
    data, lines, problems = parse_yaml(path.read_text(encoding="utf-8"), path=shown)
    if problems:  # fields are named ``<key>.<field>``, as below
        return {}, [dataclasses.replace(p, field=p.field.removeprefix("authors."))
                    if p.field else p for p in problems]
    # Material's format nests entries under ``authors:``; messages name ``<key>.<field>``.
    entry_lines = {k.removeprefix("authors."): v for k, v in lines.items()}
    authors, problems = validate_authors(data, path=shown, lines=entry_lines)
    return authors, problems + _confine_authors(authors, docs_dir, shown, entry_lines)


def _confine_authors(authors: dict[str, Author], docs_dir: Path, shown: str,
                     lines: dict[str, int]) -> list[Problem]:
    """Author keys become URL segments and avatars ``src`` values: both stay inside the site.
    An author's ``url`` becomes a link in feeds: web or mail addresses only."""
    problems: list[Problem] = []
    for key, author in authors.items():
        if problem := segment_problem(key):
            problems.append(Problem(shown, None, f"author key {problem}; the key becomes the "
                                    "author page's URL", lines.get(key)))
        if author.avatar and (problem := avatar_problem(author.avatar, docs_dir)):
            problems.append(Problem(shown, f"{key}.avatar", problem,
                                    lines.get(f"{key}.avatar") or lines.get(key)))
        if author.url and not re.match(r"^(https?://[^\s/\\]|mailto:)\S*$", author.url,
                                       re.IGNORECASE):
            problems.append(Problem(shown, f"{key}.url", f"got {author.url[:60]!r}; expected "
                                    "an http(s):// or mailto: address (it is a link in feeds)",
                                    lines.get(f"{key}.url") or lines.get(key)))
    return problems


def load_content(
    docs_dir: Path,
    *,
    timezone: ZoneInfo,
    categories: frozenset[str] | None = None,
    posts_dir: str = "posts",
    qa_dir: str = "qa",
    authors_file: str = ".authors.yml",
    display_root: Path | None = None,
    slug: Callable[[str], str] = slugify,
    registry: Registry | None = None,
) -> Content:
    """Read, validate and return every post, Q&A session and author under ``docs_dir``.

    ``slug`` makes a post's slug from its title when it sets none (``post_slugify``).
    """
    root = display_root or docs_dir.parent
    authors, problems = load_authors(docs_dir, authors_file=authors_file, display_root=root)
    broken = any(p.severity == "error" for p in problems)
    rules = Rules(timezone=timezone, authors=None if broken else frozenset(authors),
                  categories=categories, registry=registry or Registry())
    posts = list(_load_kind(docs_dir, posts_dir, "post", rules, root, problems, slug))
    sessions = list(_load_kind(docs_dir, qa_dir, "qa", rules, root, problems, slug))
    return Content(authors=authors, posts=posts, sessions=sessions, problems=problems)


def _load_kind(docs_dir: Path, folder: str, kind: Kind, rules: Rules, root: Path,
               problems: list[Problem], slug: Callable[[str], str]) -> Iterator[Post]:
    base = docs_dir / folder
    if not base.is_dir():
        return
    prefix = display_path(docs_dir, root)
    for path in sorted(base.rglob("*.md")):
        src_uri = path.relative_to(docs_dir).as_posix()
        if kind == "qa" and path.name in ("index.md", "README.md"):
            continue
        post = load_post(path, src_uri=src_uri, kind=kind, rules=rules,
                         shown=f"{prefix}/{src_uri}", problems=problems, slug=slug)
        if post is not None:
            yield post


def load_post(path: Path, *, src_uri: str, kind: Kind, rules: Rules, shown: str,
              problems: list[Problem], slug: Callable[[str], str] = slugify) -> Post | None:
    """Read one post file, appending its problems; ``None`` when it has errors."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, None, f"is not UTF-8 text ({exc.reason}); save it as "
                                "UTF-8"))
        return None
    data, body, lines, found = read_front_matter(text, path=shown, required=True)
    problems.extend(found)
    if found:
        return None
    if nested := body_problem(body):
        first = text.count("\n", 0, len(text) - len(body)) + 1  # the body's first line
        problems.append(Problem(shown, None, nested[1], first + nested[0] - 1))
        return None
    meta, found = validate_meta(data, path=shown, lines=lines, rules=rules, qa=kind == "qa")
    problems.extend(found)
    if meta is None:
        return None
    if meta.slug is not None and (problem := slug_problem(meta.slug)):
        problems.append(Problem(shown, "slug", problem, lines.get("slug")))
        return None
    if kind == "post":  # `fireside new`'s placeholders must not go live
        body_line = text[: len(text) - len(body)].count("\n") + 1
        problems.extend(placeholder_problems(data, body, path=shown, lines=lines,
                                             body_line=body_line))
    title = meta.title or _first_heading(body) or path.stem.replace("-", " ").capitalize()
    return Post(src_uri=src_uri, meta=meta, title=title, slug=meta.slug or slug(title),
                kind=kind)


def _first_heading(body: str) -> str | None:
    match = _HEADING.search(body)
    return match.group(1).strip() if match else None


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` for messages, else as given."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
