"""Slack, Discourse, Jive and Chatter end to end: ``fireside sync`` against each loopback
server, then a real ``mkdocs build`` of what it wrote."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from fireside.commands.sync import main
from tests.conftest import AUTHORS, Project
from tests.sync.platform_cases import CASES, CEO_IDS, Case, at

NOW = "2026-05-21T08:00:00+00:00"


@pytest.fixture
def blog(tmp_path: Path) -> Project:
    """A blog project (tests/sync's ``project`` fixture is the sync-only one)."""
    return Project(tmp_path / "blog")


def configure(project: Project, case: Case, fake: Any, **section: Any) -> None:
    """Point ``project``'s ``platforms.<case>`` at ``fake``, with quick retries."""
    authors = {k: dict(v) for k, v in AUTHORS.items()}
    authors["ceo"]["platforms"] = {**authors["ceo"]["platforms"], case.name: CEO_IDS[case.name]}
    project.authors(authors)
    project.options["discussions"] = {"snapshots": "data/discussions", "top_replies": 5}
    project.options["platforms"] = {case.name: {
        "api_url": fake.url, "token_env": case.env, "timeout_seconds": 5,
        "rate_limit": {"requests": 1000, "per_seconds": 0.1},
        "retries": {"attempts": 3, "backoff_seconds": 0.01, "max_wait_seconds": 2},
        **case.section, **section}}


def sync(project: Project, case: Case, *args: str, secret: str | None = None
         ) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    env = {case.env: case.secret if secret is None else secret, "FIRESIDE_NOW": NOW}
    code = main(["-f", str(project.config()), *args], env=env, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def written(project: Project) -> dict[str, bytes]:
    folder = project.root / "data" / "discussions"
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()} if folder.exists() else {}


def panel(html: str) -> str:
    start = html.find('<section class="fs-discussion"')
    assert start >= 0, "no discussion panel"
    return html[start:html.find("</section>", start)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_bodies_reach_the_page_as_harmless_text(blog: Project, case: Case) -> None:
    with case.serve() as fake:
        link = case.seed(fake, 0)
        configure(blog, case, fake)
        blog.post("q2-priorities", title="Q2 priorities", discussion=link)
        code, out, err = sync(blog, case)
    assert code == 0, out + err
    snapshot = next(iter(v for k, v in written(blog).items() if k.startswith(case.name)))
    thread = json.loads(snapshot)["thread"]
    assert thread["totals"]["replies"] == 2
    assert [r["is_host"] for r in thread["replies"]] == [False, True]
    html = panel(blog.build().joinpath("posts/q2-priorities/index.html")
                 .read_text(encoding="utf-8"))
    for shown in case.hostile_shown:
        assert shown in html, shown
    for bad in case.forbidden:
        assert bad not in html, bad
    assert "2 replies" in html or "2\u00a0replies" in html or ">2<" in html


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_wrong_credential_exits_1_writes_nothing_and_never_shows_a_secret(
        blog: Project, case: Case) -> None:
    with case.serve() as fake:
        configure(blog, case, fake)
        blog.post("one", discussion=case.seed(fake, 1))
        blog.post("two", discussion=case.seed(fake, 2))
        wrong = "WRONG-" + case.secret[::-1]
        code, out, err = sync(blog, case, "-v", secret=wrong)
        asked = len(fake.requests)
    assert code == 1, out + err
    assert written(blog) == {}
    assert asked <= 2, "a refused credential must stop the platform at once"
    assert "error:" in err and case.name in err
    for secret in (wrong, case.secret):
        assert secret not in out + err


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_credential_appears_in_no_output_log_snapshot_or_page(blog: Project,
                                                                   case: Case) -> None:
    with case.serve() as fake:
        configure(blog, case, fake)
        blog.post("one", discussion=case.seed(fake, 1))
        code, out, err = sync(blog, case, "-v", "--report", str(blog.root / "r.json"))
        assert code == 0, out + err
        assert any(case.secret in " ".join(s.headers.values()) or s.headers.get("api-key")
                   for s in fake.requests), "the fake saw no credential"
    site = blog.build()
    texts = [out, err, (blog.root / "r.json").read_text(encoding="utf-8")]
    texts += [b.decode() for b in written(blog).values()]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
              if p.is_file() and p.suffix in (".html", ".xml", ".json", ".js")]
    assert "GET" in err  # the debug log ran
    for text in texts:
        assert case.secret not in text


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_short_throttle_storm_is_ridden_out(blog: Project, case: Case) -> None:
    with case.serve() as fake:
        configure(blog, case, fake)
        blog.post("one", discussion=case.seed(fake, 1))
        fake.storm(2, case.storm)
        code, out, err = sync(blog, case)
        stormy = len(fake.requests)
        fake.requests.clear()
        (blog.root / "data" / "discussions" / "_state.json").unlink()  # resolve links again
        calm = sync(blog, case, "--full")
        assert calm[0] == 0
    assert code == 0, out + err
    assert stormy == len(fake.requests) + 2  # the two throttled answers were retried
    assert any(k.startswith(f"{case.name}/") for k in written(blog))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_long_storm_keeps_the_last_snapshot_and_exits_2(blog: Project, case: Case) -> None:
    with case.serve() as fake:
        configure(blog, case, fake)
        for n in range(1, 5):
            blog.post(f"post-{n}", discussion=case.seed(fake, n),
                         date=f"2026-05-1{n} 09:00")
        assert sync(blog, case)[0] == 0
        before = written(blog)
        fake.requests.clear()
        fake.storm(1000, case.storm)
        code, out, err = sync(blog, case, "--full")
        asked = len(fake.requests)
    assert code == 2, out + err
    after = written(blog)
    assert {k: v for k, v in after.items() if k != "_state.json"} == \
        {k: v for k, v in before.items() if k != "_state.json"}
    state = json.loads(after["_state.json"])
    statuses = [t["status"] for t in state["threads"].values()] if isinstance(
        state.get("threads"), dict) else [t["status"] for t in state["threads"]]
    assert statuses.count("stale") == 4
    # Bounded: 3 tries on each of at most 3 threads, then the rest is left for the next run
    # (Chatter's hourly window: after the first thread).
    assert asked <= (3 if case.name == "chatter" else 9), asked


def test_a_post_can_list_one_thread_on_each_platform(blog: Project) -> None:
    """One run syncs every platform; each thread lands in its own platform's folder."""
    servers = [c.make().start() for c in CASES]
    try:
        links, sections, env = [], {}, {"FIRESIDE_NOW": NOW}
        for case, fake in zip(CASES, servers, strict=True):
            configure(blog, case, fake)
            sections.update(blog.options["platforms"])
            env[case.env] = case.secret
            links.append(case.seed(fake, 3))
        blog.options["platforms"] = sections
        authors = {k: dict(v) for k, v in AUTHORS.items()}
        authors["ceo"]["platforms"] = {**authors["ceo"]["platforms"],
                                       **{k: v for k, v in CEO_IDS.items()}}
        blog.authors(authors)
        for case, link in zip(CASES, links, strict=True):
            blog.post(f"on-{case.name}", discussion=link)
        out, err = io.StringIO(), io.StringIO()
        code = main(["-f", str(blog.config())], env=env, stdout=out, stderr=err)
    finally:
        for fake in servers:
            fake.stop()
    assert code == 0, out.getvalue() + err.getvalue()
    names = {k.split("/")[0] for k in written(blog) if "/" in k}
    assert names == {c.name for c in CASES}
    for case in CASES:
        assert case.name in out.getvalue()


def test_a_post_on_slack_and_discourse_combines_both_after_a_real_sync(blog: Project) -> None:
    """The leader posted the same update in Slack and on the forum: one panel, both threads."""
    slack_case, discourse_case = CASES[0], CASES[1]
    with slack_case.serve() as slack_fake, discourse_case.serve() as discourse_fake:
        configure(blog, slack_case, slack_fake)
        sections = dict(blog.options["platforms"])
        configure(blog, discourse_case, discourse_fake)
        blog.options["platforms"].update(sections)
        authors = {k: dict(v) for k, v in AUTHORS.items()}
        authors["ceo"]["platforms"] = {**authors["ceo"]["platforms"], **CEO_IDS}
        blog.authors(authors)
        blog.post("twice", title="Twice", discussion=[slack_case.seed(slack_fake, 1),
                                                      discourse_case.seed(discourse_fake, 1)])
        out, err = io.StringIO(), io.StringIO()
        code = main(["-f", str(blog.config())],
                    env={slack_case.env: slack_case.secret,
                         discourse_case.env: discourse_case.secret, "FIRESIDE_NOW": NOW},
                    stdout=out, stderr=err)
    assert code == 0, out.getvalue() + err.getvalue()
    site = blog.build()
    html = panel(site.joinpath("posts/twice/index.html").read_text(encoding="utf-8"))
    # Slack: 2 replies, 4 likes on the parent; Discourse: 2 replies, 6 likes on post 1.
    assert "<strong>4</strong> replies" in html and "<strong>10</strong> likes" in html
    assert 'fs-badge--platform">on Slack</span>' in html
    assert 'fs-badge--platform">on Discourse</span>' in html
    joins = re.findall(r'href="([^"]+)">Join the discussion on (\w+)', html)
    assert [platform for _, platform in joins] == ["Slack", "Discourse"]
    rss = (site / "rss.xml").read_text(encoding="utf-8")
    item = rss[rss.index("<title>Twice</title>"):]
    assert "<slash:comments>4</slash:comments>" in item[: item.index("</item>")]


def test_a_platform_without_its_secret_is_skipped_while_the_others_sync(blog: Project) -> None:
    slack_case, discourse_case = CASES[0], CASES[1]
    with slack_case.serve() as slack_fake, discourse_case.serve() as discourse_fake:
        configure(blog, slack_case, slack_fake)
        sections = dict(blog.options["platforms"])
        configure(blog, discourse_case, discourse_fake)
        blog.options["platforms"].update(sections)
        blog.post("on-slack", discussion=slack_case.seed(slack_fake, 1))
        blog.post("on-discourse", discussion=discourse_case.seed(discourse_fake, 1))
        out, err = io.StringIO(), io.StringIO()
        code = main(["-f", str(blog.config())], env={slack_case.env: slack_case.secret,
                                                     "FIRESIDE_NOW": NOW},
                    stdout=out, stderr=err)
        assert code == 2, out.getvalue() + err.getvalue()
        assert discourse_fake.requests == []
        assert f"{discourse_case.env} is not set" in out.getvalue()
        assert [k.split("/")[0] for k in written(blog) if "/" in k] == ["slack"]
        code = main(["-f", str(blog.config())], env={"FIRESIDE_NOW": NOW}, stdout=out,
                    stderr=err)
    assert code == 1 and "is not set" in err.getvalue()


def test_jive_signs_in_with_basic_auth_when_a_password_is_configured(blog: Project) -> None:
    from tests.fakeplatform.jive import FakeJive
    from tests.sync.platform_cases import _jive_seed

    case = next(c for c in CASES if c.name == "jive")
    with FakeJive(basic=("svc-fireside", "pa55-SENTINEL")) as fake:
        configure(blog, case, fake, username="svc-fireside", password_env="JIVE_PW")
        blog.post("one", discussion=_jive_seed(fake, 1))
        out, err = io.StringIO(), io.StringIO()
        code = main(["-f", str(blog.config())], env={"JIVE_PW": "pa55-SENTINEL",
                                                         "FIRESIDE_NOW": NOW},
                    stdout=out, stderr=err)
        assert code == 0, out.getvalue() + err.getvalue()
        assert all(s.headers["authorization"].startswith("Basic ") for s in fake.requests)
        del blog.options["platforms"]["jive"]["username"]
        code = main(["-f", str(blog.config())], env={"JIVE_PW": "x"}, stdout=out,
                    stderr=err)
    assert code == 1 and "needs 'fireside.platforms.jive.username'" in err.getvalue()
    assert "pa55-SENTINEL" not in out.getvalue() + err.getvalue()


def test_username_is_typed(blog: Project) -> None:
    case = CASES[1]
    with case.serve() as fake:
        configure(blog, case, fake, username=12)
        blog.post("one", discussion=case.seed(fake, 1))
        code, _, err = sync(blog, case)
    assert code == 1
    assert ("option 'platforms': Sub-option 'discourse': Sub-option 'username': Expected type: "
            "<class 'str'> but received: <class 'int'>") in err
    assert yaml.safe_load((blog.root / "mkdocs.yml").read_text())  # still a valid file


def _slack_ama(fake: Any) -> str:
    from tests.fakeplatform import slack

    parent = slack.ts_of(at(0))
    fake.add_thread("C0AMA0001", [
        slack.msg(parent, "U0EXEC001", "Ask me anything about Q2"),
        slack.msg(slack.ts_of(at(1)), "U0ANA0001", "Will pay rise?", thread_ts=parent,
                  reactions=[("+1", 9)]),
        slack.msg(slack.ts_of(at(2)), "U0BEN0002", "Office move date?", thread_ts=parent,
                  reactions=[("+1", 4)]),
        slack.msg(slack.ts_of(at(3)), "U0CY00003", "Hybrid rules?", thread_ts=parent),
        slack.msg(slack.ts_of(at(4)), "U0EXEC001", "<@U0ANA0001> yes, in April",
                  thread_ts=parent),
        slack.msg(slack.ts_of(at(5)), "U0EXEC001", "<@U0BEN0002|ben> June", thread_ts=parent),
        slack.msg(slack.ts_of(at(6)), "U0EXEC001", "Thanks everyone!", thread_ts=parent),
    ], [slack.person("U0ANA0001", "Ana Ruiz"), slack.person("U0BEN0002", "Ben Okafor"),
        slack.person("U0CY00003", "Cy Park")])
    return f"slack:C0AMA0001/{parent}"


def _chatter_ama(fake: Any) -> str:
    from fireside.discussions.platforms.chatter import to_18
    from tests.fakeplatform import chatter

    ident = to_18("0D5Hs00000AmA01")
    dana = ("005Hs00000LmNoPIAV", "Dana Whitfield")

    def ask(n: int, user: tuple[str, str], words: str, likes: int = 0) -> dict[str, Any]:
        return chatter.comment(f"0D7Hs00000Am{n:03d}AAA", user, at(n),
                               [chatter.segment_text(words)], likes=likes)

    def answer(n: int, to: tuple[str, str], words: str) -> dict[str, Any]:
        return chatter.comment(f"0D7Hs00000Am{n:03d}AAA", dana, at(n), [
            {"type": "Mention", "text": f"@{to[1]}", "record": {"id": to[0]}},
            chatter.segment_text(" " + words)])

    ana, ben, cy = ("005Hs00000AnaAAAAA", "Ana Ruiz"), ("005Hs00000BenAAAAA", "Ben Okafor"), \
        ("005Hs00000CyPAAAAA", "Cy Park")
    fake.add_post(ident, [ask(1, ana, "Will pay rise?", 9), ask(2, ben, "Office move?", 4),
                          ask(3, cy, "Hybrid rules?"), answer(4, ana, "yes, in April"),
                          answer(5, ben, "June"), ask(6, dana, "Thanks everyone!")])
    return f"chatter:{ident}"


@pytest.mark.parametrize(("name", "seed"), [("slack", _slack_ama), ("chatter", _chatter_ama)])
def test_a_qa_session_on_a_flat_platform_finds_the_hosts_answers(blog: Project, name: str,
                                                                 seed: Any) -> None:
    """Slack and Chatter threads are flat: a host's reply answers the asker it mentions."""
    case = next(c for c in CASES if c.name == name)
    with case.serve() as fake:
        configure(blog, case, fake)
        link = seed(fake)
        blog.write("qa/ama.md", "---\ntitle: Q2 AMA\ndate: 2026-05-20 09:00\nhosts: [ceo]\n"
                   f"discussion: {link}\nstatus: closed\n---\n\nAsk away.\n")
        code, out, err = sync(blog, case)
    assert code == 0, out + err
    html = blog.build().joinpath("qa/q2-ama/index.html").read_text(encoding="utf-8")
    stats = html[html.index('class="fs-qa-stats"'):]
    assert "<dt>Questions</dt><dd>3</dd>" in stats and "<dt>Answered</dt><dd>2</dd>" in stats
    questions = re.findall(r'<li class="fs-question fs-question--(\w+)"', html)
    assert questions == ["answered", "answered", "unanswered"]  # by votes: 9, 4, 0
    assert "yes, in April" in html and "Thanks everyone!" not in html.split(
        'class="fs-question')[1]
