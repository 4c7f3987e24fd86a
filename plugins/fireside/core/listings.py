"""Listing pages: the blog index, archives, categories, tags and authors, paginated."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from fireside.core.content import Post, newest_first
from fireside.core.errors import Problem
from fireside.core.safepaths import url_key
from fireside.core.schema import Author
from fireside.core.urls import join, slugify

#: What a listing lists.
ListingKind = Literal["index", "archive", "category", "tag", "author", "overview"]


@dataclass(frozen=True)
class Routes:
    """Where generated pages live, relative to the site root."""

    prefix: str = ""
    """The blog's URL prefix (``""`` puts the index at the site root)."""
    slug: Callable[[str], str] = slugify
    """Makes a category's or tag's URL segment from its name (``categories_slugify``)."""
    _slugs: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def _slug(self, name: str) -> str:
        found = self._slugs.get(name)
        if found is None:
            found = self._slugs[name] = self.slug(name)
        return found

    def collisions(self, posts: Iterable[Post], shown: Mapping[str, str]) -> list[Problem]:
        """Report two category (or tag) names that would share one page, naming both.

        URLs are compared in ``safepaths.url_key`` form, so ``R&D`` and ``r-d`` clash too (one
        file on a case-insensitive disk).

        Arguments:
            posts: The posts whose categories and tags get pages.
            shown: ``src_uri`` -> the path to name in messages.
        """
        problems: list[Problem] = []
        for field_name, route in (("categories", self.category), ("tags", self.tag)):
            seen: dict[str, tuple[str, str]] = {}  # url_key -> (first name, its file)
            reported: set[str] = set()
            for post in posts:
                where = shown.get(post.src_uri, post.src_uri)
                names = post.meta.categories if field_name == "categories" else post.meta.tags
                for name in names:
                    url = route(name)
                    first = seen.setdefault(url_key(url), (name, where))
                    if first[0] != name and name not in reported:
                        reported.add(name)
                        problems.append(Problem(
                            where, field_name, f"{name!r} and {first[0]!r} both make the page "
                            f"/{url} ({first[0]!r} is in {first[1]}); expected one spelling "
                            "for both, or a 'categories_slugify' that tells them apart"))
        return problems

    def index(self) -> str:
        """The blog index."""
        return join(self.prefix)

    def archive(self, year: int | None = None) -> str:
        """The archive overview, or one year."""
        return join(self.prefix, "archive", str(year) if year else "")

    def category(self, name: str | None = None) -> str:
        """The category overview, or one category."""
        return join(self.prefix, "category", self._slug(name) if name else "")

    def tag(self, name: str | None = None) -> str:
        """The tag overview, or one tag."""
        return join(self.prefix, "tag", self._slug(name) if name else "")

    def author(self, key: str | None = None) -> str:
        """The authors overview, or one author's page."""
        return join(self.prefix, "author", key or "")


@dataclass
class ListingPage:
    """One page of a listing."""

    listing: Listing
    number: int
    url: str
    posts: Sequence[Post]

    @property
    def src_uri(self) -> str:
        """The generated Markdown file behind this page."""
        return self.url + "index.md"

    @property
    def previous(self) -> ListingPage | None:
        """The page before (newer posts), if any."""
        return self.listing.pages[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> ListingPage | None:
        """The page after (older posts), if any."""
        pages = self.listing.pages
        return pages[self.number] if self.number < len(pages) else None

    def window(self, around: int = 2) -> list[ListingPage | None]:
        """The numbered links to show: the first and last page, this page and ``around`` pages
        either side of it, with ``None`` where numbers are left out (shown as an ellipsis).

        A listing of 500 pages links to 7 of them, not 500: every page listing every other one
        would make the build (and the pages) grow with the square of the number of posts.
        """
        pages = self.listing.pages
        shown = sorted({1, len(pages), *range(max(1, self.number - around),
                                              min(len(pages), self.number + around) + 1)})
        window: list[ListingPage | None] = []
        previous = 0
        for number in shown:
            if previous and number == previous + 2:
                window.append(pages[previous])  # one number left out: show it, not "…"
            elif previous and number > previous + 2:
                window.append(None)
            window.append(pages[number - 1])
            previous = number
        return window


@dataclass
class Listing:
    """A paginated list of posts: the index, one archive year, category, tag or author."""

    kind: ListingKind
    key: str
    title: str
    url: str
    posts: Sequence[Post]
    compact: bool = False
    """Compact listings show title, date and description; the index shows excerpts."""
    author: Author | None = None
    pages: list[ListingPage] = field(default_factory=list)
    groups: list[Listing] = field(default_factory=list)
    """For an ``overview``: the listings it links to."""

    def paginate(self, per_page: int) -> Listing:
        """Split ``posts`` into pages (page 1 at ``url``, then ``url/page/N/``)."""
        chunks = [self.posts[i : i + per_page] for i in range(0, len(self.posts), per_page)]
        for number, chunk in enumerate(chunks or [[]], start=1):
            url = self.url if number == 1 else join(self.url, "page", str(number))
            self.pages.append(ListingPage(self, number, url, chunk))
        return self


def index_order(posts: Sequence[Post]) -> list[Post]:
    """Pinned posts first (newest first among them), then the rest, newest first."""
    ordered = newest_first(posts)
    return [p for p in ordered if p.meta.pin] + [p for p in ordered if not p.meta.pin]


def _group(posts: Sequence[Post], keys: Callable[[Post], Iterable[str]]) -> dict[str, list[Post]]:
    groups: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        for key in keys(post):
            groups[key].append(post)
    return groups


def build_listings(
    posts: Sequence[Post],
    authors: dict[str, Author],
    routes: Routes,
    *,
    per_page: int,
    listing_per_page: int,
    blog_title: str = "Blog",
    archive: bool = True,
    categories: bool = True,
    tags: bool = True,
    author_pages: bool = True,
) -> list[Listing]:
    """Return every listing of the blog, paginated; ``posts`` are the visible posts."""
    ordered = newest_first(posts)
    listings = [Listing("index", "", blog_title, routes.index(), index_order(posts))
                .paginate(per_page)]

    def overview(kind: ListingKind, title: str, url: str, groups: list[Listing]) -> None:
        listings.extend(groups)
        listings.append(Listing("overview", kind, title, url, (), groups=groups).paginate(1))

    if archive:
        years = _group(ordered, lambda p: [str(p.created.year)])
        overview("archive", "Archive", routes.archive(), [
            Listing("archive", year, year, routes.archive(int(year)), items, compact=True)
            .paginate(listing_per_page)
            for year, items in sorted(years.items(), reverse=True)])
    if categories:
        cats = _group(ordered, lambda p: p.meta.categories)
        overview("category", "Categories", routes.category(), [
            Listing("category", name, name, routes.category(name), items, compact=True)
            .paginate(listing_per_page)
            for name, items in sorted(cats.items(), key=lambda kv: kv[0].lower())])
    if tags:
        tagged = _group(ordered, lambda p: p.meta.tags)
        overview("tag", "Tags", routes.tag(), [
            Listing("tag", name, name, routes.tag(name), items, compact=True)
            .paginate(listing_per_page)
            for name, items in sorted(tagged.items(), key=lambda kv: kv[0].lower())])
    if author_pages:
        by_author = _group(ordered, lambda p: p.meta.authors)
        overview("author", "Authors", routes.author(), [
            Listing("author", key, author.name, routes.author(key), by_author.get(key, []),
                    compact=True, author=author).paginate(listing_per_page)
            for key, author in authors.items()])
    return listings
