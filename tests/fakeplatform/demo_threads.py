"""Realistic Viva Engage threads behind the demo site's posts and Q&A sessions.

Loaded into the fake server by ``tests.fakeplatform.demo``. Every time is fixed, so the
snapshots it produces are deterministic. Replies are ``R(hours after the post, who, text)``;
``to`` is the index of the reply answered (``None``: the post itself); ``html`` replaces the
plain body with rich text, as Viva Engage sends for links and @mentions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tests.fakeplatform.yammer import message, user

EXECS = {"ceo": (1500000001, "Dana Whitfield"), "cfo": (1500000002, "Raj Patel"),
         "cto": (1500000003, "Mei Lin"), "chro": (1500000004, "Oluwaseun Adeyemi"),
         "coo": (1500000005, "Lars Eriksen"), "cmo": (1500000006, "Sofia Marquez")}
STAFF_NAMES = (
    "Priya Nair", "Tom Hughes", "Ana Ruiz", "Ben Okafor", "Kasia Nowak", "Jamie Reid",
    "Marta Kowalczyk", "Sanne de Vries", "Gareth Pritchard", "Chloe Martin", "Dev Mistry",
    "Hannah Clarke", "Luca Romano", "Aisha Bello", "Pieter Jansen", "Emma Walsh",
    "Tomasz Wójcik", "Niamh O'Connor", "Rahul Gupta", "Sophie Laurent", "Olu Bakare",
    "Fiona MacLeod", "Joost Bakker", "Zainab Hussain", "Mark Ellison", "Lena Fischer",
    "Callum Ross", "Isabel Costa", "Yusuf Demir", "Grace Liu",
)
STAFF = {name.split()[0].lower(): (1700000001 + i, name) for i, name in enumerate(STAFF_NAMES)}
PEOPLE = {**EXECS, **STAFF}


def _mention(who: str) -> str:
    ident, name = PEOPLE[who]
    handle = name.lower().replace(" ", "").replace("'", "")
    return (f'<a href="https://www.yammer.com/northwind.example/users/{handle}" '
            f'data-yammer-user-id="{ident}">@{name}</a>')


@dataclass(frozen=True)
class R:
    """One reply."""

    hours: float
    who: str
    text: str
    likes: int = 0
    to: int | None = None
    html: str | None = None
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class T:
    """One thread: the post's announcement by ``host`` and its replies."""

    posted: dt.datetime
    host: str
    starter: str
    likes: int
    replies: tuple[R, ...] = ()


def _at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=dt.UTC)


_CHEERS = (
    "Thanks for writing this up so clearly.", "Really useful, thank you.",
    "Shared this with my team at our stand-up this morning.", "Good to read this in plain "
    "English.", "Appreciate the honesty here.", "Great news, well done everyone involved.",
    "This answers most of the questions we had on site.", "Clear and to the point, thanks.",
)


def _cheers(start: float, count: int, people: str) -> tuple[R, ...]:
    """Short reactions, spread over the first days, by the given staff (space-separated)."""
    who = people.split()
    return tuple(R(start + 3.5 * i, who[i % len(who)], _CHEERS[(i * 3) % len(_CHEERS)],
                   likes=(i * 7) % 5) for i in range(count))


THREADS: dict[int, T] = {
    2000000001: T(_at("2024-11-18"), "ceo", "New on Fireside: why we are writing to you "
                  "directly.", 64, (
        R(1.2, "priya", "Love this. Will there be a way to ask questions anonymously?", 23),
        R(2.0, "ceo", "Not on this thread, Priya, but the AMA sessions will take anonymous "
                      "questions through the form. More on that soon.", 31, to=0),
        R(3.5, "tom", "Please keep these short enough to read on a phone in the van.", 18),
        R(4.1, "ceo", "Noted, Tom. Five minutes, tops. Hold me to it.", 26, to=2),
        R(26.0, "kasia", "Hello from Gdańsk! Will posts be translated?", 9),
        R(30.0, "chro", "Polish and Dutch versions of the big ones are planned for the new "
                        "year, Kasia.", 7, to=4),
        *_cheers(5.0, 6, "ana ben jamie marta sanne chloe"),
    )),
    2000000002: T(_at("2024-12-10"), "cto", "Why we are replacing six systems with one: the "
                  "One ERP programme.", 38, (
        R(2.0, "pieter", "Eindhoven went through two ERP migrations already. What is different "
                         "this time?", 27),
        R(3.0, "cto", "Fair challenge, Pieter. This time the sites choose the order and we do "
                      "not switch anything off until the site lead signs off.", 22, to=0),
        R(5.5, "marta", "Will the Gdańsk team get training before go-live or after?", 11),
        R(6.0, "cto", "Before. Two weeks before, on your shifts, not at 7pm.", 14, to=2),
        R(30.0, "dev", "Is there a test environment we can break on purpose?", 8),
        R(49.0, "hannah", "The timeline slide says Q3 for finance. Is that 2025 or 2026?", 3),
        R(50.5, "cfo", "Q3 2025 for finance, Hannah. Sorry, that slide was ambiguous.", 6,
          to=5),
    )),
    2000000003: T(_at("2025-01-20"), "ceo", "Our strategy for 2025: fewer priorities, done "
                  "properly.", 57, (
        R(1.0, "gareth", "Glad to see field service as a priority and not an afterthought.",
          34),
        R(2.5, "luca", "What are we stopping? The post says we are choosing not to do some "
                       "things, but which projects end?", 29),
        R(4.0, "ceo", "Good question, Luca. The two big ones: the own-brand controls range and "
                      "the second CRM pilot. Both teams have been told in person first.", 41,
          to=1),
        R(6.0, "aisha", "How will the three priorities be measured at site level?", 12),
        R(7.5, "coo", "Each site gets the same three numbers on its monthly pack from "
                      "February, Aisha.", 10, to=3),
        *_cheers(9.0, 8, "emma niamh rahul sophie olu fiona joost zainab"),
    )),
    2000000004: T(_at("2025-02-12"), "cfo", "Q4 and full-year 2024 results: a strong finish to "
                  "a hard year.", 45, (
        R(3.0, "mark", "Revenue up but equipment down. Should we be worried about 2025 "
                       "orders?", 16),
        R(4.0, "cfo", "Worried, no. Watching, yes: equipment orders are lumpy and Q1 usually "
                      "recovers. Services carried us and will again.", 19, to=0),
        R(8.0, "lena", "Would love a one-page version for the shop floor noticeboards.", 22),
        R(9.5, "cfo", "Done: https://intranet.northwind.example/finance/q4-2024-onepager",
          15, to=2, html='<p>Done: <a href="https://intranet.northwind.example/finance/'
                         'q4-2024-onepager">Q4 2024 on one page</a> (PDF, A3).</p>'),
    )),
    2000000005: T(_at("2025-03-10"), "chro", "Our values, rewritten by 1,100 of you.", 88, (
        R(0.5, "isabel", "'Own it, fix it' is exactly how the best teams here already work.",
          40),
        R(1.5, "yusuf", "Proud that our depot's wording made it into the final version!", 33),
        R(2.0, "chro", "It did, Yusuf, nearly word for word. Thank you to the Leeds crew.", 28,
          to=1),
        R(5.0, "callum", "How do the values show up in reviews? Otherwise they are just "
                         "posters.", 37),
        R(6.5, "chro", "From this year's mid-year review there is one question per value, "
                       "with examples, not a score. Posters come second.", 30, to=3),
        *_cheers(8.0, 10, "grace priya tom ana ben kasia jamie marta sanne gareth"),
    )),
    2000000006: T(_at("2025-04-02"), "coo", "Hybrid working at Northwind: five principles.",
                  71, (
        R(0.8, "chloe", "Team decision is great, but what happens when the team cannot "
                        "agree?", 42),
        R(2.2, "coo", "Then the manager decides, explains why, and it is revisited after a "
                      "quarter. Most teams agree faster than you would think.", 25, to=0),
        R(3.0, "dev", "Does 'anchor days' mean the same two days for everyone in a team?", 18),
        R(3.4, "chro", "Yes, per team, Dev. Different teams can pick different days.", 16,
          to=2),
        R(5.0, "hannah", "Nothing here for site-based roles, which is most of us.", 51),
        R(5.8, "coo", "You are right, Hannah, and that is on purpose: this is for office "
                      "roles. Shift patterns are a separate piece of work with the unions, "
                      "and I will write about it in June.", 39, to=4),
        R(7.0, "pieter", "Appreciate the honesty on that.", 12, to=5),
        *_cheers(9.0, 7, "luca aisha pieter emma tomasz niamh rahul"),
    )),
    2000000007: T(_at("2025-05-14"), "chro", "Wellbeing week, 19 to 23 May: what is on.", 35, (
        R(2.0, "sophie", "Will the night shift sessions be recorded?", 14),
        R(2.5, "chro", "Yes, and the live ones run at 2am as well as 2pm, Sophie.", 12, to=0),
        R(20.0, "olu", "The financial wellbeing talk last year was the best hour I spent "
                       "at work all year. Glad it is back.", 9),
    )),
    2000000008: T(_at("2025-06-04"), "cto", "Our AI policy: use it, check it, own it.", 66, (
        R(1.0, "fiona", "Can we use Copilot for customer emails?", 21),
        R(1.6, "cto", "Yes, Fiona, as long as a person reads and sends it. Never paste "
                      "customer personal data into a tool that is not on the approved list.",
          25, to=0),
        R(3.0, "joost", "Is the approved list going to be kept up to date? Tools change "
                        "weekly.", 17),
        R(3.3, "cto", "Monthly review, and anyone can request a tool through the form.", 13,
          to=2, html='<p>Monthly review, and anyone can request a tool through '
                     '<a href="https://intranet.northwind.example/it/ai-tool-request">the AI '
                     'tool request form</a>.</p>'),
        R(6.0, "zainab", "if accuracy < 100% then a human checks it: that rule alone would "
                         "have saved us a few embarrassing quotes last year", 19),
    )),
    2000000009: T(_at("2025-06-25", 17), "ceo", "June town hall recap: the half-year, hybrid, "
                  "and your questions.", 49, (
        R(1.0, "mark", "Thanks for answering the pay question directly.", 22),
        R(16.0, "lena", "The audio dropped for the Eindhoven room for about ten minutes. Is the "
                        "recording complete?", 8),
        R(17.0, "ceo", "It is, Lena: the recording was made in the studio, not from the room "
                       "feed.", 5, to=1),
        *_cheers(2.0, 5, "callum isabel yusuf grace priya"),
    )),
    2000000010: T(_at("2025-07-23"), "cfo", "Q2 2025 results: services carry a slow quarter "
                  "for equipment.", 29, ()),
    2000000011: T(_at("2025-09-08"), "cto", "Security awareness month: the email that almost "
                  "cost us £240,000.", 74, (
        R(0.7, "hannah", "Credit to whoever in accounts payable picked up the phone to check. "
                         "That is the habit that matters.", 48),
        R(1.1, "cto", "That was Kasia's team in Gdańsk. They deserve the credit.", 35, to=0,
          html=f"<p>That was {_mention('kasia')}'s team in Gdańsk. They deserve the "
               "credit.</p>", mentions=("kasia",)),
        R(1.5, "kasia", "Thank you! We just followed the process.", 29, to=1),
        R(4.0, "tom", "I failed the phishing test last month. Embarrassing but I learned "
                      "more from that than from the e-learning.", 26),
        R(5.0, "ben", "Could the test emails stop pretending to be from HR about pay? It "
                      "makes people distrust the real ones.", 31),
        R(6.0, "cto", "Fair point, Ben. We will drop the pay-themed ones.", 20, to=4),
    )),
    2000000012: T(_at("2025-09-29"), "chro", "Engagement survey 2025: what you told us.", 52, (
        R(1.0, "niamh", "Good to see the comments quoted, including the uncomfortable ones.",
          36),
        R(3.0, "rahul", "Response rate in IT was 61%. What would make more people answer?",
          11),
        R(3.5, "chro", "Seeing something change because of it, Rahul. That is the point of "
                       "the three actions.", 17, to=1),
        R(9.0, "sanne", "Will the team-level results be shared with teams, or only "
                        "managers?", 24),
        R(10.0, "chro", "With teams, for any team of 5 or more, by mid-October.", 22, to=3),
    )),
    2000000013: T(_at("2025-11-12"), "coo", "Gdańsk service centre opens: repairs in days, "
                  "not weeks.", 81, (
        R(0.5, "marta", "What a day! Thank you to everyone who came over for the opening.",
          44),
        R(1.0, "coo", "Thank you, Marta, and the whole team. The turnaround numbers speak for "
                      "themselves.", 31, to=0),
        R(2.0, "gareth", "Already had a pump back in 4 days instead of 3 weeks. Customer was "
                         "amazed.", 39),
        *_cheers(3.0, 4, "tomasz kasia joost lena"),
    )),
    2000000014: T(_at("2025-12-03"), "ceo", "Inclusion at Northwind: our first full report.",
                  58, (
        R(2.0, "aisha", "Publishing the pay gap by level is brave. Thank you.", 41),
        R(3.0, "emma", "Women in engineering roles at 14% is low. What is the 2026 target?",
          27),
        R(4.5, "chro", "20% of engineering hires in 2026, Emma, and we will report it each "
                       "quarter on this blog.", 24, to=1),
        R(8.0, "olu", "The belonging scores for night shifts are worrying. Are we doing "
                      "anything specific?", 19),
        R(9.0, "ceo", "Yes: the leadership team is doing night-shift visits in January, all "
                      "six of us.", 33, to=3),
    )),
    2000000015: T(_at("2026-01-19", 8), "ceo", "Strategy 2026: One Northwind.", 96, (
        R(0.6, "luca", "One Northwind sounds good but what does it mean for regional "
                       "teams?", 38),
        R(1.4, "ceo", "Fewer hand-offs between regions and one way of quoting. Nobody loses "
                      "their job because of the structure itself.", 45, to=0),
        R(2.0, "pieter", "Does that include the Benelux sales team?", 21, to=1),
        R(2.6, "ceo", "It does, Pieter. Your team's pricing tool is actually the one we want "
                      "everywhere.", 29, to=2),
        R(4.0, "grace", "Connect as a priority is exciting. When can customer service see it?",
          26),
        R(4.8, "cmo", "Demo sessions start in March, Grace. I will post the dates.", 19,
          to=4),
        R(7.0, "callum", "Margin target of 10% while investing in Connect: is that "
                         "realistic?", 23),
        R(8.2, "cfo", "It is tight. Services growth pays for Connect; if it slows, we slow "
                      "the spend, not the margin.", 27, to=6),
        *_cheers(10.0, 12, "priya tom ana ben kasia jamie marta sanne chloe dev hannah emma"),
    )),
    2000000016: T(_at("2026-02-11"), "cfo", "Q4 and full-year 2025 results: our best year for "
                  "services.", 61, (
        R(1.0, "mark", "Services at 34.6% of revenue. What is the target for 2028?", 18),
        R(2.0, "cfo", "45%, Mark, which means services growing about twice as fast as "
                      "equipment.", 22, to=0),
        R(3.0, "lena", "So if services grow 12% and equipment 4%, we hit 45% when? My rough "
                       "maths says 2029, not 2028: 0.346 < 0.45 for a while yet.", 17),
        R(4.0, "cfo", "Your maths is right on those growth rates, Lena. The 2028 plan "
                      "assumes Connect adds on top.", 20, to=2),
        *_cheers(5.0, 6, "rahul sophie olu fiona joost zainab"),
    )),
    2000000017: T(_at("2026-02-25"), "ceo", "A new shape for Northwind: three business units "
                  "from 1 April.", 77, (
        R(0.4, "niamh", "Who do I report to on 1 April?", 52),
        R(1.0, "chro", "Every manager will have a conversation with their team by 13 March, "
                       "Niamh, before any announcement of names.", 40, to=0),
        R(1.5, "tomasz", "Will service centres sit in Services or in Equipment?", 33),
        R(2.0, "coo", "Services, Tomasz. Gdańsk and Leeds both.", 28, to=2),
        R(3.0, "jamie", "Are there job losses planned as part of this?", 61),
        R(3.8, "ceo", "No redundancies are planned because of the new structure. If that "
                      "ever changes for a specific team, they will hear it first, in person.",
          58, to=4),
        R(6.0, "sanne", "Thanks for answering that one straight.", 30, to=5),
        R(9.0, "ben", "What happens to the regional P&Ls?", 15),
        R(10.0, "cfo", "They become BU P&Ls with a regional view. Finance will run sessions "
                       "for budget holders in March.", 13, to=7),
        *_cheers(12.0, 9, "priya tom ana kasia marta gareth chloe dev hannah"),
    )),
    2000000018: T(_at("2026-03-18"), "chro", "Pay review 2026: how it works and what to "
                  "expect.", 83, (
        R(0.3, "tom", "A 3% minimum is welcome after last year.", 47),
        R(0.9, "ana", "How is the 'market adjustment' pot decided and who gets it?", 44),
        R(1.6, "chro", "By role benchmarks, not by manager discretion, Ana. The benchmark "
                       "bands will be published on the HR site in April.", 39, to=1),
        R(2.0, "ana", "Thanks, that is much clearer than last year.", 12, to=2),
        R(3.0, "gareth", "Field engineers on call: is the on-call allowance in scope?", 36),
        R(3.5, "cfo", "Yes, Gareth, it is reviewed separately and rises by at least the same "
                      "3%.", 31, to=4),
        R(5.0, "zainab", "When do we get our letters?", 28),
        R(5.5, "chro", "By 30 April for everyone, paid in the May payroll.", 25, to=6),
        R(8.0, "yusuf", "Please make sure agency colleagues on long assignments are not "
                        "forgotten.", 33),
        R(9.5, "chro", "They are in scope through the agency contract this year, Yusuf. "
                       "First time, and overdue.", 29, to=8),
        *_cheers(11.0, 14, "priya ben kasia jamie marta sanne chloe dev hannah luca aisha "
                           "pieter emma tomasz"),
    )),
    2000000019: T(_at("2026-04-08"), "cto", "An apology for last Tuesday's FieldLink outage.",
                  72, (
        R(0.5, "gareth", "Appreciate the apology. I had 4 visits cancelled that day and "
                         "customers were not happy.", 40),
        R(1.0, "cto", "I am sorry, Gareth. The credit notes for those customers went out "
                      "yesterday.", 26, to=0),
        R(2.0, "dev", "Will the post-incident review be shared?", 31),
        R(2.3, "cto", "Yes, in full, including the parts that make IT look bad.", 37, to=2,
          html='<p>Yes, in full, including the parts that make IT look bad: <a href='
               '"https://intranet.northwind.example/it/pir/fieldlink-2026-04">post-incident '
               'review</a>.</p>'),
        R(4.0, "callum", "Offline mode please! <b>Paper job sheets</b> saved us.", 29,
          html="<p onclick=\"steal()\">Offline mode please! <b>Paper job sheets</b> saved "
               "us.</p><script>alert('xss')</script>"),
        R(4.5, "cto", "Offline mode is in the plan for the summer release, Callum.", 24,
          to=4),
    )),
    2000000020: T(_at("2026-05-13"), "coo", "Sustainability report 2025: emissions down 18%.",
                  47, (
        R(2.0, "lena", "The next 18% depends on the fleet. When do the electric vans "
                       "arrive?", 22),
        R(3.0, "coo", "First 40 in September, Lena, Leeds and Eindhoven first.", 18, to=0),
        R(6.0, "isabel", "Could the waste numbers be split by site? Competition works.", 15),
    )),
    2000000021: T(_at("2026-06-10"), "cmo", "Northwind Connect is live: from selling pumps to "
                  "keeping them running.", 90, (
        R(0.5, "grace", "Customer service team is ready! The demo sessions really helped.",
          37),
        R(1.0, "cmo", "Thank you, Grace, and the whole team. Connect is as much yours as "
                      "product's.", 28, to=0, html=f"<p>Thank you, {_mention('grace')}, and "
                      "the whole team. Connect is as much yours as product's.</p>",
          mentions=("grace",)),
        R(2.5, "rahul", "What is the pitch in one sentence for a customer who says they "
                        "already monitor their pumps?", 30),
        R(3.2, "cmo", "We tell you a pump is going to fail before it does, and we send the "
                      "engineer. Monitoring only tells you it has.", 44, to=2),
        *_cheers(5.0, 8, "priya tom ana ben kasia jamie marta sanne"),
    )),
    2000000022: T(_at("2026-06-30"), "chro", "Hiring in the second half: 220 roles, and "
                  "internal candidates first.", 54, (
        R(1.0, "sophie", "How long is the internal-only window?", 29),
        R(1.4, "chro", "Ten working days for every role, Sophie.", 25, to=0),
        R(3.0, "olu", "Does the referral bonus apply to agency colleagues referring friends?",
          12),
        R(4.0, "chro", "It does from 1 July.", 10, to=2),
        R(8.0, "fiona", "Are any of the roles open to part-time?", 20),
    )),
    2000000023: T(_at("2026-07-22"), "cfo", "Q2 2026 results: Connect arrives, and margin is "
                  "near 10%.", 50, (
        R(2.0, "mark", "First Connect revenue! How many customers so far?", 21),
        R(2.6, "cfo", "38 customers and 612 pumps at the end of June, Mark.", 24, to=0),
        *_cheers(4.0, 3, "joost zainab callum"),
    )),
    2000000024: T(_at("2026-09-09"), "cmo", "How Hallam Water kept the taps running through a "
                  "heatwave.", 69, (
        R(0.5, "gareth", "Slightly embarrassed to be in a blog post, but it was a great "
                         "team effort with the Hallam engineers.", 58),
        R(1.0, "cmo", "Take the credit, Gareth! 180,000 people kept their water.", 40, to=0),
        R(2.0, "tom", "Legend.", 33, to=0),
        R(4.0, "hannah", "Can we use this story with prospects?", 14),
        R(4.5, "cmo", "Yes, Hallam agreed. The case study is on the sales hub.", 12, to=3),
    )),
    2000000025: T(_at("2026-09-30"), "coo", "Closing the Eindhoven warehouse: the decision and "
                  "how we will support our colleagues.", 23, (
        R(0.5, "pieter", "Hard news for the team. Thank you for telling us in person first "
                         "and not by email.", 71),
        R(1.0, "coo", "You deserved that, Pieter. I am in Eindhoven all of next week.", 44,
          to=0),
        R(2.0, "joost", "Will people be offered roles at the new Venlo hub?", 62),
        R(2.5, "chro", "Yes. Every colleague will be offered a role in Venlo, with travel "
                       "support for two years, or a redundancy package. Your choice.", 58,
          to=2),
        R(4.0, "sanne", "What about colleagues on fixed-term contracts?", 40),
        R(5.0, "chro", "Same offer, Sanne, regardless of contract type. That was a deliberate "
                       "decision.", 47, to=4),
        R(6.0, "lena", "This is a consultation, so can the decision still change?", 38),
        R(7.0, "coo", "It can. That is what consultation means, and the works council has "
                      "our full analysis.", 35, to=6),
        R(26.0, "marta", "Sending support from Gdańsk. We went through this in 2019.", 30),
    )),
    2000000026: T(_at("2026-10-21"), "cfo", "Our Q3 results: steady growth and what comes "
                  "next.", 58, (
        R(1.0, "rahul", "Record margin of 10.4%! Any chance of a thank-you for everyone?",
          49),
        R(2.0, "cfo", "Watch the November town hall, Rahul.", 41, to=0),
        R(3.0, "luca", "Over a thousand connected pumps already. Is the target 5,000 by end "
                       "of 2027 still right?", 20),
        R(3.8, "cmo", "If anything it is low, Luca.", 18, to=2),
        *_cheers(5.0, 5, "aisha emma niamh yusuf grace"),
    )),
    2000000027: T(_at("2026-11-04", 17), "ceo", "November town hall recap: a record quarter, "
                  "AI on the shop floor, and 2027.", 63, (
        R(0.5, "rahul", "The thank-you day off! Thank you!", 55),
        R(0.8, "ceo", "You earned it, Rahul. All of you.", 42, to=0),
        R(2.0, "tomasz", "The shop-floor AI pilot: will people be consulted before it starts "
                         "in Gdańsk?", 36),
        R(2.6, "cto", "Yes, Tomasz. The draft policy comes out for consultation on 20 "
                      "November, and nothing starts before the consultation ends.", 30, to=2),
        R(20.0, "chloe", "Can the recording have captions this time?", 17),
        R(21.0, "ceo", "It does now, Chloe. Sorry that took a second ask.", 13, to=4),
        *_cheers(3.0, 10, "priya tom ana ben kasia jamie marta sanne dev hannah"),
    )),
    # Q&A sessions: questions are top-level replies, votes their likes, answers the hosts'.
    2100000001: T(_at("2025-06-16", 12), "cto", "Ask me anything about the AI policy: post "
                  "your questions here, and I will answer live on Wednesday at 12:00.", 44, (
        R(28.0, "dev", "Can I use ChatGPT to write code for internal tools?", 31),
        R(30.0, "hannah", "Are meeting transcription tools allowed in customer meetings?",
          27),
        R(43.0, "ben", "Who is accountable if an AI-written quote is wrong?", 35),
        R(48.2, "cto", "Through the approved coding assistant, yes, and the code goes through "
                      "review like any other. Not through a personal account.", 22, to=0),
        R(48.4, "cto", "Only with the customer's agreement at the start of the meeting, and "
                      "only the approved tool.", 18, to=1),
        R(48.6, "cto", "The person who sends it. AI is a tool, like a spreadsheet; the policy "
                      "says 'own it' for exactly this reason.", 40, to=2),
        R(48.7, "emma", "What about translating documents for the Gdańsk team?", 9),
        R(48.9, "cto", "Approved tool, yes; check numbers and names by hand.", 6, to=6),
    )),
    2100000002: T(_at("2026-03-03", 13), "coo", "Hybrid working, one year on: ask Seun and me "
                  "anything.", 39, (
        R(18.0, "chloe", "Anchor days feel pointless when half the team is on leave. Can "
                          "they flex?", 28),
        R(22.0, "pieter", "Will the desk booking system be fixed? It double-books weekly.",
          33),
        R(42.0, "fiona", "Is there support for home office equipment for new joiners?", 15),
        R(48.3, "chro", "Yes, Chloe: the principle is team agreement, not a fixed rule. "
                       "Holiday weeks are a good reason to flex.", 17, to=0),
        R(48.5, "coo", "The fix went live on Monday, Pieter. Tell me if it happens again.", 21,
          to=1),
        R(48.8, "chro", "A £300 allowance from April for every new joiner in an office role.",
          12, to=2),
    )),
    2100000003: T(_at("2026-11-20", 12), "ceo", "Ask me anything before the end of the year. "
                  "Questions open now; I will answer on 4 December.", 52, (
        R(1.0, "niamh", "What is the one thing you want us to stop doing in 2027?", 34),
        R(2.0, "yusuf", "Will the thank-you day off become a permanent thing?", 47),
        R(3.0, "isabel", "How are you personally using AI in your job?", 22),
        R(5.0, "callum", "With Lars leaving, who is the new COO and when will we know?", 41),
        R(20.0, "grace", "What did you learn from the Eindhoven consultation?", 18),
        R(30.0, "ceo", "Quick one before the session: the new COO will be announced before "
                       "Christmas, Callum.", 25, to=3),
        R(44.0, "sophie", "Will there be a 2027 pay review at the same time of year?", 20),
    )),
}


def load_into(server: Any) -> None:
    """Add every demo thread (messages and users) to a ``FakeYammer``."""
    users = [user(ident, name, job_title="Executive" if key in EXECS else "")
             for key, (ident, name) in sorted(PEOPLE.items())]
    for thread_id, spec in THREADS.items():
        host_id = EXECS[spec.host][0]
        messages = [message(thread_id, thread_id, host_id, spec.posted, spec.starter,
                            likes=spec.likes)]
        # Ids grow with time, as on the platform: number the replies in time order.
        order = sorted(range(len(spec.replies)), key=lambda i: (spec.replies[i].hours, i))
        ids = {index: thread_id * 10000 + rank for rank, index in enumerate(order, start=1)}
        for index in order:
            reply = spec.replies[index]
            assert reply.to is None or spec.replies[reply.to].hours < reply.hours, reply
            messages.append(message(
                ids[index], thread_id, PEOPLE[reply.who][0],
                spec.posted + dt.timedelta(hours=reply.hours), reply.text,
                replied_to=None if reply.to is None else ids[reply.to], likes=reply.likes,
                html=reply.html, mentions=[PEOPLE[m][0] for m in reply.mentions]))
        server.add_thread(thread_id, messages, users)
