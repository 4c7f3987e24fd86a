"""The demo's Microsoft 365 discussions: a Teams channel thread and SharePoint news comments.

Loaded into the fake Graph and SharePoint by ``tests.fakeplatform.demo``. Every time and id is
fixed, so the snapshots are byte-identical on every run. Executives are matched as the site's
``.authors.yml`` says: their Entra object id on Teams, their e-mail on SharePoint.
"""

from __future__ import annotations

import datetime as dt
import uuid

from tests.fakeplatform.demo_threads import EXECS, STAFF
from tests.fakeplatform.graph import FakeGraph, chat_message
from tests.fakeplatform.sharepoint import (
    Comment,
    FakeSharePoint,
    Page,
    Site,
    encode_text,
    mention,
    sp_user,
)

#: The demo tenant: Northwind's All Company team, Safety channel.
TEAM = "4f8e2c1a-9b3d-4e7f-8a6c-2d1b0e9f7a53"
CHANNEL = "19:5a7c9e1b3d5f47a9b1c3d5e7f9a1b3c5@thread.tacv2"
TEAMS_ROOT = "1793181600000"  # 2026-10-28 10:00 UTC, in milliseconds
SITE = "/sites/News"
SITE_LIST_ID = "874451ce-2b6d-4c1e-9f3a-5e7d9b1c3a20"
SHAREPOINT_PAGE = "Hybrid-working-2027.aspx"
SHAREPOINT_TENANT = "https://northwind.sharepoint.com"


def object_id(key: str) -> str:
    """A person's (made-up, fixed) Entra object id."""
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{key}.people.northwind.example"))


def email(key: str) -> str:
    """A person's work address, as ``.authors.yml`` writes the executives'."""
    name = {**EXECS, **STAFF}[key][1]
    return name.lower().replace(" ", ".").replace("'", "") + "@northwind.example"


def _who(key: str) -> tuple[str, str]:
    return object_id(key), {**EXECS, **STAFF}[key][1]


def load_teams(graph: FakeGraph) -> None:
    """The COO's safety stand-down post in the Safety channel, and its replies."""
    posted = dt.datetime(2026, 10, 28, 10, 0, tzinfo=dt.UTC)
    replies: list[tuple[float, str, str, int, list[str]]] = [
        (0.4, "gareth", "Field service will join from the vans at 10:00. Can the slides go on "
                        "the intranet beforehand so people can read them on a phone?", 14, []),
        (0.9, "coo", "Yes, they go up on Friday, and the video stays up for night shifts.",
         21, ["gareth"]),
        (1.6, "marta", "Gdańsk is running it in Polish with our own near-miss stories. "
                       "Is that OK or must we use the central deck?", 18, []),
        (2.1, "coo", "Better than OK. Use your own stories: they are the ones people remember. "
                     "Send the best one to the safety team so other sites can use it.", 26,
         ["marta"]),
        (3.0, "pieter", "What happens to deliveries due that hour? Customers will ask.", 9, []),
        (3.4, "cmo", "Customer service is writing to every customer with a delivery in that "
                       "window this week, Pieter.", 7, []),
        (5.2, "luca", "Pune and Monterrey are on different shifts. Is it the same hour "
                      "everywhere?", 5, []),
        (5.9, "coo", "10:00 local time at every site, Luca. Offices too.", 11, ["luca"]),
        (22.0, "aisha", "Forklift drivers asked whether the hour counts towards their "
                        "refresher training. It should!", 16, []),
        (24.5, "chro", "It will, Aisha. The People team will record it for everyone who "
                       "attends.", 12, []),
        (30.0, "callum", "Leeds depot is in. We are also doing a walk-round of the yard "
                         "straight after.", 8, []),
        (49.0, "hannah", "Thank you for doing this properly rather than as an email.", 10, []),
    ]
    def ident(when: dt.datetime) -> str:  # Teams message ids are epoch milliseconds
        return str(int(when.timestamp() * 1000))

    messages = []
    for hours, who, text, likes, mentions in replies:
        when = posted + dt.timedelta(hours=hours)
        messages.append(chat_message(ident(when), TEAMS_ROOT, _who(who), when, text,
                                     reactions=likes, mentions=[_who(m) for m in mentions],
                                     team=TEAM, channel=CHANNEL))
    removed = posted + dt.timedelta(hours=6)  # deleted by its author: never shown
    messages.append(chat_message(ident(removed), TEAMS_ROOT, _who("tom"), removed,
                                 "Wrong channel, sorry", deleted=True, team=TEAM,
                                 channel=CHANNEL))
    joined = posted + dt.timedelta(hours=7)  # "Olu Bakare joined the channel": a system event
    messages.append(chat_message(ident(joined), TEAMS_ROOT, _who("olu"), joined, "",
                                 message_type="systemEventMessage", team=TEAM,
                                 channel=CHANNEL))
    root = chat_message(TEAMS_ROOT, None, _who("coo"), posted,
                        "New on the leadership blog: on 3 November every site stops for an "
                        "hour to talk about safety.", reactions=47, team=TEAM, channel=CHANNEL)
    graph.add_thread(root, messages, team=TEAM, channel=CHANNEL)


def load_sharepoint(sp: FakeSharePoint) -> None:
    """The comments under the SharePoint news post that announced the CHRO's post."""
    sp.public_origin = SHAREPOINT_TENANT
    site = sp.add_site(Site(SITE, list_id=SITE_LIST_ID))
    posted = dt.datetime(2026, 11, 11, 9, 0, tzinfo=dt.UTC)
    people = {key: sp_user(index, {**EXECS, **STAFF}[key][1])
              for index, key in enumerate(sorted({**EXECS, **STAFF}))}
    page = Page(item_id=318, likes=96)

    def add(ident: int, hours: float, who: str, text: str, likes: int = 0,
            parent: int = 0) -> None:
        page.comments.append(Comment(ident, people[who], posted + dt.timedelta(hours=hours),
                                     text, likes=likes, parent=parent))

    add(1, 0.5, "sanne", encode_text("Two anchor days per team rather than fixed days: yes! "
                                     "Our team is split across Eindhoven and Leeds."), 31)
    add(2, 1.0, "chro", encode_text("That is exactly why, Sanne. Teams know their own rhythm "
                                    "better than a policy does."), 19, parent=1)
    add(3, 1.4, "dev", encode_text("Will the home-working allowance change? It was £25/month "
                                   "in 2026."), 27)
    add(4, 2.2, "chro", "Not for 2027, " + mention(people["dev"]) +
        encode_text(". It stays at £25 a month, and we will review it with the pay budget in "
                    "March."), 22, parent=3)
    add(5, 3.0, "kasia", encode_text("For shift workers none of this applies: could the post "
                                     "say so up front? A few people on the floor read it as "
                                     "\"office people get more perks\"."), 44)
    add(6, 3.6, "chro", encode_text("Fair point, Kasia, and thank you for saying it plainly. "
                                    "I have added a paragraph on what changes for shift teams: "
                                    "the new rota-swap app and earlier rota publishing."), 38,
        parent=5)
    add(7, 4.1, "ben", encode_text("+1 to Kasia. The rota app matters more to us than any of "
                                   "the hybrid rules."), 25, parent=5)
    add(8, 6.0, "emma", encode_text("Desk booking in Leeds is already tight on Tuesdays. "
                                    "Are we adding desks or changing anchor days?"), 12)
    add(9, 7.5, "coo", encode_text("Facilities are looking at Leeds this month, Emma; "
                                   "we will not add anchor days until there is room."), 9,
        parent=8)
    add(10, 20.0, "grace", encode_text("Appreciate that the 'core hours 10 to 3' rule is gone. "
                                       "School runs are real."), 17)
    add(11, 26.0, "rahul", encode_text("Pune question: do international anchor days follow "
                                       "local holidays? e.g. Diwali week."), 8)
    add(12, 27.0, "chro", encode_text("Yes, Rahul: anchor days follow the local holiday "
                                      "calendar everywhere."), 6, parent=11)
    add(13, 50.0, "fiona", encode_text("Clear, short and honest. Thank you."), 5)
    site.pages[SHAREPOINT_PAGE] = page
