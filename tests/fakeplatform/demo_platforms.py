"""The demo's threads on Slack, Discourse, Jive and Chatter, one post each.

Loaded into the loopback servers by ``tests.fakeplatform.demo``. Every time is fixed, so the
snapshots are byte-identical on every run. Each thread is written in its platform's own
markup (Slack mrkdwn, Discourse ``cooked`` HTML, Jive HTML, Chatter message segments).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.fakeplatform import chatter, discourse, jive, slack

#: Executives' ids on each platform, as in ``content/.authors.yml``.
MEI_SLACK = "U04MEILIN"
SOFIA_DISCOURSE = 12
SEUN_JIVE = "2001"
RAJ_CHATTER = "005Hs00000RjPtlIAF"  # 005Hs00000RjPtl in .authors.yml

SLACK_CHANNEL = "C04ENGLEAD"
SLACK_PARENT = slack.ts_of(dt.datetime(2026, 10, 7, 9, 30, tzinfo=dt.UTC), 114200)
DISCOURSE_TOPIC = 318
JIVE_CONTENT, JIVE_DOC = "120433", 2207
CHATTER_POST = "0D5Hs00000Fq4PrKAJ"

#: The ``discussion:`` link of each demo post.
LINKS = {
    "slack": f"https://northwind.slack.com/archives/{SLACK_CHANNEL}/"
             f"p{SLACK_PARENT.replace('.', '')}",
    "discourse": f"https://northwind.discourse.group/t/what-40-customers-told-us-this-autumn/"
                 f"{DISCOURSE_TOPIC}",
    "jive": f"https://northwind.jiveon.com/docs/DOC-{JIVE_DOC}",
    "chatter": f"https://northwind.lightning.force.com/lightning/r/FeedItem/{CHATTER_POST}/view",
}


def _after(start: dt.datetime, hours: float) -> dt.datetime:
    return start + dt.timedelta(hours=hours)


def load_slack(fake: slack.FakeSlack) -> None:
    """#engineering: Mei Lin's platform engineering post."""
    start = dt.datetime(2026, 10, 7, 9, 30, tzinfo=dt.UTC)
    people = [slack.person(MEI_SLACK, "Mei Lin"), slack.person("U04DEVMIS", "Dev Mistry"),
              slack.person("U04HANCLA", "Hannah Clarke"), slack.person("U04LUCROM", "Luca Romano"),
              slack.person("U04GRALIU", "Grace Liu"), slack.person("U04PIEJAN", "Pieter Jansen")]

    def reply(hours: float, micro: int, user: str, text: str, *likes: tuple[str, int]
              ) -> dict[str, Any]:
        return slack.msg(slack.ts_of(_after(start, hours), micro), user, text,
                         thread_ts=SLACK_PARENT, reactions=likes)

    fake.add_thread(SLACK_CHANNEL, [
        slack.msg(SLACK_PARENT, MEI_SLACK, "New on Fireside: *Platform engineering in 2027: "
                  "paved roads, not gates* <https://intranet.northwind.example/blog/posts/2026/"
                  "platform-engineering-2027/|read it here>. Questions welcome in this thread.",
                  reactions=[("rocket", 41), ("+1", 17)]),
        reply(0.6, 1, "U04DEVMIS", "Love the golden-path templates. Will the service template "
              "include the on-call runbook skeleton, or is that still a wiki page?",
              ("+1", 14), ("eyes", 3)),
        reply(0.9, 2, MEI_SLACK, "It will, <@U04DEVMIS>. Runbook, dashboards and the alert "
              "rules ship with the template from January. The wiki page retires.",
              ("raised_hands", 12)),
        reply(1.4, 3, "U04HANCLA", "Does \"paved road\" mean teams *must* use it? Field "
              "Service has a few services on a different stack for good reasons.",
              ("+1", 19)),
        reply(1.8, 4, MEI_SLACK, "No. Paved road, not gate: use it and you get the support "
              "and the on-call cover for free; step off it and you own the difference. "
              "Talk to platform first so we learn why.", ("100", 22), ("heart", 6)),
        slack.bot(slack.ts_of(_after(start, 2.0), 5), "Roadmap Bot", "The *Platform 2027* "
                  "board was updated: <https://intranet.northwind.example/eng/"
                  "platform-2027|Platform roadmap 2027> (3 new items).", thread_ts=SLACK_PARENT),
        reply(3.2, 6, "U04LUCROM", "Cost dashboards per team &gt; cost dashboards per "
              "account. Thank you for this.", ("moneybag", 9)),
        reply(5.5, 7, "U04GRALIU", "Will the templates cover the IoT edge services for the "
              "connected pumps, or only cloud services?", ("+1", 8)),
        reply(6.1, 8, MEI_SLACK, "Edge comes in Q2, <@U04GRALIU>. Pieter's team is "
              "writing that template with us.", ("+1", 5)),
        reply(26.0, 9, "U04PIEJAN", "Confirming from Eindhoven: first draft of the edge "
              "template is in review. Volunteers to break it are welcome.", ("muscle", 7)),
    ], people)


def load_discourse(fake: discourse.FakeDiscourse) -> None:
    """The customer council forum: Sofia Marquez on what customers said."""
    start = dt.datetime(2026, 10, 28, 10, 0, tzinfo=dt.UTC)
    base = DISCOURSE_TOPIC * 100

    def post(number: int, hours: float, user: tuple[int, str], cooked: str, likes: int = 0,
             **extra: Any) -> dict[str, Any]:
        return discourse.post(base + number, number, user[0], user[1],
                              _after(start, hours), cooked, likes=likes, **extra)

    sofia, ana, gareth, emma = (SOFIA_DISCOURSE, "Sofia Marquez"), (41, "Ana Ruiz"), \
        (42, "Gareth Pritchard"), (43, "Emma Walsh")
    fake.add_topic(DISCOURSE_TOPIC, "What 40 customers told us this autumn", [
        post(1, 0, sofia, "<p>New on Fireside: what 40 customers told us this autumn. "
             "Tell us what you hear from yours.</p>", 38),
        post(2, 1.5, ana, "<p>The point about invoices matches what I hear every week: "
             "customers want <strong>one</strong> invoice per site, not one per visit.</p>",
             27),
        post(3, 2.0, sofia, "<p>Thanks Ana. Finance and the One ERP team are on it; "
             "consolidated invoices are in the January release.</p>", 19, reply_to=2),
        post(4, 2.1, (1, "system"), "<p>This topic was pinned globally.</p>", post_type=3),
        post(5, 4.0, gareth, "<p>Field engineers get the same feedback about arrival "
             "windows. A two-hour window with a text 30 minutes before would fix most of "
             'it. <a href="https://intranet.northwind.example/field/arrival-windows">Our '
             "proposal is here</a>.</p>", 33),
        post(6, 4.5, (44, "Moderator"), "<p>Staff note: merged two duplicate topics.</p>",
             post_type=4),
        post(7, 6.0, emma, "<p>Could we share the survey questions? Our regional team "
             "would like to run the same ones with smaller customers.</p>", 12),
        post(8, 7.0, sofia, "<p>Yes: the questions and the anonymised answers are in the "
             "marketing library. Please reuse them.</p>", 9, reply_to=7),
        post(9, 9.0, (45, "Tom Hughes"), "<p>(post withdrawn by author)</p>",
             user_deleted=True, deleted_at="2026-10-28T20:00:00.000Z"),
        post(10, 30.0, (46, "Sanne de Vries"), "<p>Dutch customers said the same about "
             "invoices. Happy to help test the January release.</p>", 7, reply_to=2),
    ])


def load_jive(fake: jive.FakeJive) -> None:
    """The long-lived intranet: Oluwaseun Adeyemi's parental leave document."""
    start = dt.datetime(2026, 9, 16, 8, 0, tzinfo=dt.UTC)
    people = {"seun": (SEUN_JIVE, "Oluwaseun Adeyemi"), "kasia": ("2101", "Kasia Nowak"),
              "joost": ("2102", "Joost Bakker"), "niamh": ("2103", "Niamh O'Connor"),
              "rahul": ("2104", "Rahul Gupta"), "isabel": ("2105", "Isabel Costa")}

    def comment(ident: str, hours: float, who: str, html: str, likes: int = 0,
                parent: str | None = None) -> dict[str, Any]:
        return fake.reply(JIVE_CONTENT, ident, people[who], _after(start, hours), html,
                          likes=likes, parent=parent)

    fake.add_content(JIVE_CONTENT, "document", JIVE_DOC, "One parental leave policy for "
                     "every country", [
                         comment("9101", 1.0, "kasia", "<p>This is a big deal for the Gdańsk "
                                 "team. Does it apply to adoptive parents too?</p>", 31),
                         comment("9102", 1.5, "seun", "<p>Yes, Kasia: adoption and surrogacy "
                                 "are covered from day one, same as birth.</p>", 24,
                                 parent="9101"),
                         comment("9103", 3.0, "joost", "<p>In the Netherlands the state "
                                 "already pays part of this. Do we top up to full pay?</p>",
                                 18),
                         comment("9104", 3.5, "seun", "<p>We do. Where a country pays "
                                 "something, we top up to 100% for the full 16 weeks.</p>",
                                 15, parent="9103"),
                         comment("9105", 6.0, "niamh", "<p>Thank you for making the "
                                 "second-parent leave equal. That matters.</p>", 27),
                         comment("9106", 28.0, "rahul", "<p>When does it start? My "
                                 "partner is due in December.</p>", 6),
                         comment("9107", 28.5, "isabel", "<p>Rahul, it starts on 1 November, "
                                 "so you are covered. HR Direct can walk you through it.</p>",
                                 9, parent="9106"),
                     ], likes=112)


def load_chatter(fake: chatter.FakeChatter) -> None:
    """The sales organisation's Chatter feed: Raj Patel on pricing discipline."""
    start = dt.datetime(2026, 11, 11, 8, 30, tzinfo=dt.UTC)
    text = chatter.segment_text

    def mention(user_id: str, name: str) -> dict[str, Any]:
        return {"type": "Mention", "text": f"@{name}", "name": name,
                "record": {"id": user_id, "displayName": name}}

    def comment(n: int, hours: float, user: tuple[str, str], segments: list[dict[str, Any]],
                likes: int = 0) -> dict[str, Any]:
        return chatter.comment(f"0D7Hs00000Pq{n:03d}AAA", user, _after(start, hours),
                               segments, likes=likes)

    raj = (RAJ_CHATTER, "Raj Patel")
    mark, lena, callum, zainab = ("005Hs00000MkEl1AAA", "Mark Ellison"), \
        ("005Hs00000LeFi2AAA", "Lena Fischer"), ("005Hs00000CaRo3AAA", "Callum Ross"), \
        ("005Hs00000ZaHu4AAA", "Zainab Hussain")
    fake.add_post(CHATTER_POST, [
        comment(1, 0.8, mark, [text("The discount approval matrix helps. Can deals under "
                               "£20k skip the regional sign-off?")], 21),
        comment(2, 1.2, raj, [mention(mark[0], mark[1]), text(" yes, from 1 December: under "
                              "£20k and under 12% discount needs no regional sign-off.")], 26),
        comment(3, 2.5, lena, [text("Service contracts renew at list price by default. Can "
                               "we "),
                               {"type": "MarkupBegin", "markupType": "Bold", "htmlTag": "b"},
                               text("see the renewal uplift"),
                               {"type": "MarkupEnd", "markupType": "Bold", "htmlTag": "b"},
                               text(" in the opportunity before the customer does?")], 17),
        comment(4, 3.0, raj, [text("Good idea, Lena. It is in the Q1 release. The details "
                              "are on the "),
                              {"type": "Link", "url": "https://intranet.northwind.example/"
                               "sales/pricing-q4", "text": "pricing page"},
                              text(".")], 12),
        comment(5, 5.0, callum, [text("Customers are asking about the steel surcharge. Is "
                                 "there a script we can use?")], 9),
        comment(6, 6.0, zainab, [mention(callum[0], callum[1]),
                                 text(" the one-page explainer from finance works well; "
                                      "pinned it in the Sales Enablement group.")], 11),
    ], likes=64)
