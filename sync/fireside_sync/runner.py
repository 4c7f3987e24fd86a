"""One sync run: find the threads, fetch the due ones, classify failures, then write.

Nothing is written until every due thread has been tried, so a run that turns out to be
misconfigured (a 401 anywhere, or 404s on nearly every thread) writes nothing. Then snapshots
are written one by one (each atomically) and the state last.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fireside.core.content import Post, display_path, load_content
from fireside.core.settings import PlatformSettings, Settings
from fireside.discussions.platforms import PLATFORMS, ReferenceProblem, Registry, id_problem
from fireside.discussions.snapshots import SnapshotError, SnapshotStore, SyncState, Thread
from fireside_sync.auth import bearer_token, forbidden_cache_folders
from fireside_sync.errors import BadPayload, ConfigError, HttpError, SyncError, ThreadReferenceError
from fireside_sync.http import HttpClient
from fireside_sync.lock import SyncLock
from fireside_sync.normalise import normalise
from fireside_sync.platforms import adapter_factory, parse_reference
from fireside_sync.platforms.base import Adapter, Fetched, Hosts, ThreadRef
from fireside_sync.report import EXIT_FATAL, EXIT_PARTIAL, Failure, PlatformSummary, RunResult
from fireside_sync.state import StateManager, is_due, state_key

log = logging.getLogger("fireside_sync")

Progress = Callable[[int, int, str], None]

#: Failure kinds that, on nearly every thread of a platform, mean a configuration problem.
_SAME_WAY_KINDS = ("not_found", "forbidden")
_SAME_WAY_SHARE = 0.8
#: After this many threads in a row fail with a transient error, the platform is left alone.
_BREAKER = 3
_TRANSIENT = ("rate_limited", "server", "timeout", "connection", "broken")
#: What an adapter raises on an answer of a shape it did not expect.
_PAYLOAD_BUGS = (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError)


@dataclass(frozen=True)
class Job:
    """One referenced thread and the posts that link to it."""

    ref: ThreadRef
    posts: tuple[str, ...]
    newest_post: dt.datetime
    """The youngest linking post's date: the schedule follows the most recent post."""


@dataclass(frozen=True)
class _Done:
    job: Job
    thread_id: str
    fetched: Fetched | None = None
    error: SyncError | None = None


def find_jobs(settings: Settings, *, only: Path | None = None
              ) -> tuple[list[Job], dict[str, Hosts], list[Failure]]:
    """Read the content; return the threads to consider, each platform's hosts, and the posts
    whose ``discussion:`` names no thread (skipped, each an error of its own).

    Raises:
        ConfigError: The content has errors other than a bad link, or ``only`` names no post
            with a discussion.
    """
    root = settings.config_file.parent if settings.config_file else settings.docs_dir.parent
    registry = Registry.configured({n: p.api_url for n, p in settings.platforms.items()})
    content = load_content(settings.docs_dir, timezone=settings.timezone, display_root=root,
                           registry=registry)
    # A bad ``discussion:`` costs its own post only; any other content error stops the run.
    errors = [p for p in content.errors if p.field != "discussion"]
    if errors:
        raise ConfigError("the content has errors; fix them first (nothing was synced):\n" +
                          "\n".join(f"  {p}" for p in errors))
    bad_links = [Failure(p.path, (p.path,), "bad_link", str(p))
                 for p in content.errors if p.field == "discussion"]
    posts: list[Post] = content.posts + content.sessions
    if only is not None:
        wanted = only.resolve()
        shown_only = display_path(wanted, root)
        bad_links = [f for f in bad_links if f.thread == shown_only]
        posts = [p for p in posts if (settings.docs_dir / p.src_uri).resolve() == wanted]
        if not posts and not bad_links:
            raise ConfigError(f"{only} is not a post or Q&A page under {settings.docs_dir}")
    jobs: dict[ThreadRef, Job] = {}
    for post in posts:
        if not post.meta.discussion or not post.meta.comments:
            continue
        shown = (settings.docs_dir / post.src_uri).relative_to(root).as_posix() \
            if (settings.docs_dir / post.src_uri).is_relative_to(root) else post.src_uri
        for link in post.meta.discussion:
            try:
                ref = parse_reference(link, registry)
            except ThreadReferenceError as exc:
                message = f"{shown}: field 'discussion': {exc.message}"
                bad_links.append(Failure(shown, (shown,), "bad_link", message))
                continue
            old = jobs.get(ref)
            jobs[ref] = Job(ref, (*old.posts, shown) if old else (shown,),
                            max(post.created, old.newest_post) if old else post.created)
    if only is not None and not jobs and not bad_links:
        raise ConfigError(f"{only} has no 'discussion:' to sync")
    hosts: dict[str, dict[str, str]] = {}
    for author in content.authors.values():
        for platform, user_id in (author.platforms or {}).items():
            hosts.setdefault(platform, {})[user_id] = author.name
    return list(jobs.values()), {k: Hosts(v) for k, v in hosts.items()}, bad_links



def run(settings: Settings, *, now: dt.datetime, env: Mapping[str, str], full: bool = False,
        only: Path | None = None, progress: Progress | None = None) -> RunResult:
    """Sync every due thread; return what happened (``exit_code`` included).

    Raises:
        ConfigError: Configuration, content or environment errors (before any request).
        LockError: Another sync is running.
    """
    result = RunResult(started_at=now)
    jobs, hosts, result.problems = find_jobs(settings, only=only)
    deadline = time.monotonic() + settings.sync.deadline_seconds
    by_platform: dict[str, list[Job]] = {}
    for job in jobs:
        by_platform.setdefault(job.ref.platform, []).append(job)
    runnable = _runnable(settings, by_platform, env, result)
    store = SnapshotStore(settings.discussions.snapshots)
    with SyncLock(store.directory):
        if removed := store.remove_temp_files():
            log.info("removed %d temp files left by an interrupted sync", removed)
        ctx = _Run(settings, _load_state(store), now, full or only is not None, progress,
                   total=sum(len(by_platform[n]) for n in runnable))
        done: dict[str, list[_Done]] = {}
        for name, (configured, token) in runnable.items():
            summary = result.platform(name)
            started = time.monotonic()
            client = HttpClient(configured, token, deadline=deadline)
            try:
                factory = adapter_factory(name)
                assert factory is not None  # _runnable keeps registered platforms only
                done[name] = ctx.fetch_platform(factory(client), by_platform[name],
                                                hosts.get(name, Hosts()), summary)
            finally:
                client.close()
                summary.requests = client.stats.requests
                summary.rate_limited = client.stats.rate_limited
                summary.duration = time.monotonic() - started
            result.fatal = _classify(name, done[name])
            if result.fatal:
                result.exit_code = EXIT_FATAL
                return result
        for name, items in done.items():
            _commit(store, ctx.state, items, result.platform(name), now)
        store.save_state(ctx.state.snapshot())
    if result.problems or any(s.failed for s in result.platforms.values()):
        result.exit_code = EXIT_PARTIAL
    return result


def _runnable(settings: Settings, by_platform: Mapping[str, list[Job]], env: Mapping[str, str],
              result: RunResult) -> dict[str, tuple[PlatformSettings, str]]:
    """The platforms to sync, with their tokens; notes the others as unsupported."""
    runnable: dict[str, tuple[PlatformSettings, str]] = {}
    for name, platform_jobs in sorted(by_platform.items()):
        configured = settings.platforms.get(name)
        known = adapter_factory(name) is not None
        if not known or configured is None:
            why = ("is not supported yet" if not known else
                   f"is not configured (add fireside.platforms.{name} to mkdocs.yml)")
            summary = result.platform(name)
            summary.unsupported = len(platform_jobs)
            posts = tuple(p for j in platform_jobs for p in j.posts)
            summary.notes.append(Failure(name, posts, "unsupported",
                                         f"platform {name!r} {why}; its threads were skipped"))
            continue
        runnable[name] = (configured, bearer_token(configured, env,
                                                   forbidden=forbidden_cache_folders(settings)))
    return runnable


def _load_state(store: SnapshotStore) -> StateManager:
    try:
        return StateManager(store.load_state())
    except SnapshotError as exc:
        log.warning("ignoring an unreadable sync state (%s); every thread is due", exc)
        return StateManager(SyncState())


@dataclass
class _Run:
    settings: Settings
    state: StateManager
    now: dt.datetime
    full: bool
    progress: Progress | None
    total: int
    position: int = 0

    def fetch_platform(self, adapter: Adapter, jobs: list[Job], hosts: Hosts,
                       summary: PlatformSummary) -> list[_Done]:
        """Fetch the due threads of one platform, youngest post first; never raises."""
        done: list[_Done] = []
        seen: set[str] = set()
        transient: list[str] = []
        for job in sorted(jobs, key=lambda j: (j.newest_post, j.ref.id), reverse=True):
            self.position += 1
            if self.progress:
                self.progress(self.position, self.total, job.posts[0])
            if len(transient) >= _BREAKER:
                error = HttpError(f"not tried, because the {_BREAKER} threads before it failed "
                                  f"({transient[-1]})", kind="not_tried", platform=adapter.name)
                done.append(_Done(job, self.state.resolved(job.ref.key) or job.ref.id,
                                  error=error))
                continue
            item = self._fetch_one(adapter, job, hosts, summary, seen)
            if item is None:
                continue
            done.append(item)
            kind = _kind(item.error)
            if kind == "auth":
                break
            transient = [*transient, item.error.message] if item.error and kind in _TRANSIENT \
                else []
        return done

    def _fetch_one(self, adapter: Adapter, job: Job, hosts: Hosts, summary: PlatformSummary,
                   seen: set[str]) -> _Done | None:
        """Fetch one thread; ``None`` when it is not due or already fetched in this run."""
        thread_id = self.state.resolved(job.ref.key) or ""
        if thread_id and (problem := _state_id_problem(adapter.name, thread_id)):
            # The state file is input too: an id in it is checked like an id from a link.
            log.warning("ignored a resolved id in the sync state (%s); resolving again", problem)
            thread_id = ""
        try:
            if not thread_id:
                thread_id = adapter.resolve(job.ref)
                if problem := id_problem(thread_id):
                    raise BadPayload(f"the platform resolved the link to an unusable id "
                                     f"({problem})")
                if job.ref.kind != "thread":
                    self.state.remember(job.ref.key, thread_id)
            if thread_id in seen:
                return None
            seen.add(thread_id)
            due = is_due(post_created=job.newest_post, now=self.now, full=self.full,
                         state=self.state.get(adapter.name, thread_id),
                         schedule=self.settings.sync.schedule)
            if not due:
                summary.skipped += 1
                return None
            try:
                fetched = adapter.fetch_thread(thread_id, hosts=hosts, now=self.now)
            except _PAYLOAD_BUGS as exc:
                # An answer of a shape the adapter did not expect costs this thread only; the
                # traceback is kept for --verbose, since it may also be an adapter's bug.
                log.debug("adapter %s failed on thread %s", adapter.name, thread_id,
                          exc_info=True)
                raise BadPayload(f"the answer has an unexpected shape ({type(exc).__name__}); "
                                 "the thread was not read") from exc
            return _Done(job, thread_id, normalise(fetched))
        except SyncError as exc:
            exc.platform, exc.thread = adapter.name, thread_id or job.ref.id
            return _Done(job, thread_id or job.ref.id, error=exc)


def _state_id_problem(platform: str, thread_id: str) -> str | None:
    """Why an id read back from the state file is unusable: the rules for ids in links."""
    if problem := id_problem(thread_id):
        return problem
    entry = PLATFORMS.get(platform)
    try:
        if entry is not None:
            entry.parse_id(thread_id)
    except ReferenceProblem as exc:
        return str(exc)
    return None


def _kind(error: SyncError | None) -> str | None:
    """The failure's classification (``HttpError.kind``; ``bad_response`` for payloads)."""
    if error is None:
        return None
    return error.kind if isinstance(error, HttpError) else "bad_response"


def _classify(platform: str, done: list[_Done]) -> str | None:
    """A reason to stop the run with nothing written, or ``None``."""
    failed = [d for d in done if d.error is not None]
    for item in failed:
        if _kind(item.error) == "auth":
            assert item.error is not None
            return f"{platform}: {item.error.message}"
    for kind in _SAME_WAY_KINDS:
        same = [d for d in failed if _kind(d.error) == kind]
        if same and len(same) >= _SAME_WAY_SHARE * len(done):
            assert same[0].error is not None
            return (f"{platform}: {len(same)} of {len(done)} threads failed the same way: "
                    f"{same[0].error.message}. That points to the configuration (api_url, or "
                    f"an account that cannot see the threads) rather than to the threads")
    return None


def _commit(store: SnapshotStore, state: StateManager, items: list[_Done],
            summary: PlatformSummary, now: dt.datetime) -> None:
    """Write the fetched threads (each atomically) and record every outcome in the state."""
    for item in items:
        previous = _previous(store, summary.name, item.thread_id)
        error = item.error
        if item.fetched is not None and not item.fetched.thread.replies and previous and \
                previous.replies and item.fetched.bookmarks.get("messages") == "0":
            error = SyncError(f"the platform returned no messages at all for a thread that had "
                              f"{len(previous.replies)} replies; kept the last snapshot",
                              platform=summary.name, thread=item.thread_id)
        if error is not None or item.fetched is None:
            message = str(error) if error else "no data"
            state.mark_failure(summary.name, item.thread_id, now=now, error=message)
            summary.failed += 1
            summary.failures.append(Failure(state_key(summary.name, item.thread_id),
                                            item.job.posts, _kind(error) or "", message))
            continue
        thread = item.fetched.thread
        if previous is not None and thread.same_content(previous):
            thread = dataclasses.replace(thread, content_changed_at=previous.content_changed_at)
        changed = store.save(thread)
        state.mark_success(summary.name, item.thread_id, now=now,
                           bookmarks=item.fetched.bookmarks)
        summary.fetched += 1
        summary.unchanged += not changed
        summary.replies += thread.totals.replies


def _previous(store: SnapshotStore, platform: str, thread_id: str) -> Thread | None:
    try:
        return store.load(platform, thread_id)
    except (SnapshotError, ValueError) as exc:
        log.info("replacing an unreadable snapshot: %s", exc)
        return None
