"""The HTML shell shared by the report and the inbox: self-contained, offline, light and dark.

The stylesheet is inline and uses Material's CSS variable names with the demo palette's values
(indigo on the default and slate schemes, which pass WCAG AA), so charts read the same variables
whether the page stands alone or sits inside the site. No scripts, fonts or external requests.
"""

from __future__ import annotations

from html import escape

__all__ = ["CSS", "render_page"]

CSS = """
:root{color-scheme:light dark;
--md-default-fg-color:rgba(0,0,0,.87);--md-default-fg-color--light:rgba(0,0,0,.62);
--md-default-fg-color--lighter:rgba(0,0,0,.32);--md-default-fg-color--lightest:rgba(0,0,0,.1);
--md-default-bg-color:#fff;--md-code-bg-color:#f5f5f5;
--md-primary-fg-color:#4051b5;--md-primary-fg-color--dark:#303fa1;
--md-primary-bg-color:#fff;--md-accent-fg-color:#526cfe;
--fs-link:#4051b5;--fs-mark:#4051b5;--fs-warn:#ffab00;--fs-warn-bg:#fff8e1;--fs-header:#4051b5}
@media (prefers-color-scheme:dark){:root{
--md-default-fg-color:hsla(232,75%,90%,.82);--md-default-fg-color--light:hsla(232,75%,90%,.62);
--md-default-fg-color--lighter:hsla(232,75%,90%,.32);
--md-default-fg-color--lightest:hsla(232,75%,90%,.12);
--md-default-bg-color:hsla(232,15%,14%,1);--md-code-bg-color:hsla(232,15%,18%,1);
--md-primary-fg-color:#4051b5;--md-primary-fg-color--dark:#303fa1;
--fs-link:#5488e8;--fs-mark:#5488e8;--fs-warn-bg:hsla(40,50%,20%,1);--fs-header:#4051b5}}
[data-md-color-scheme=slate]{
--md-default-fg-color:hsla(232,75%,90%,.82);--md-default-fg-color--light:hsla(232,75%,90%,.62);
--md-default-fg-color--lightest:hsla(232,75%,90%,.12);
--md-default-bg-color:hsla(232,15%,14%,1);--fs-link:#5488e8;--fs-mark:#5488e8}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,
sans-serif;color:var(--md-default-fg-color);background:var(--md-default-bg-color)}
a{color:var(--fs-link)}
.fs-header{background:var(--fs-header);color:#fff;padding:.9rem 0 1rem}
.fs-header a{color:#fff}
.fs-header p{margin:.1rem 0;opacity:.95}
.fs-header h1{margin:.1rem 0;font-size:1.6rem;line-height:1.25}
.fs-wrap{max-width:72rem;margin:0 auto;padding:0 1rem}
.fs-tabs{background:var(--fs-header);border-top:1px solid rgba(255,255,255,.25)}
.fs-tabs ul{display:flex;flex-wrap:wrap;gap:.2rem 1.1rem;list-style:none;margin:0 auto;
padding:.45rem 1rem;max-width:72rem}
.fs-tabs a{color:#fff;text-decoration:none;font-size:.9rem}
.fs-tabs a:hover,.fs-tabs a:focus{text-decoration:underline}
main{padding-bottom:3rem}
main p,main li,main dd{max-width:48rem}
h2{font-size:1.35rem;margin:2.2rem 0 .6rem;padding-top:.4rem}
h3{font-size:1.05rem;margin:1.6rem 0 .4rem}
.fs-note{color:var(--md-default-fg-color--light);font-size:.9rem}
.fs-banner{background:var(--fs-warn-bg);border-left:4px solid var(--fs-warn);
padding:.6rem .9rem;margin:1rem 0;border-radius:.2rem}
.fs-tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(10.5rem,1fr));gap:.75rem;
margin:1rem 0}
.fs-tile{border:1px solid var(--md-default-fg-color--lightest);border-radius:.3rem;
padding:.7rem .8rem}
.fs-tile b{display:block;font-size:1.6rem;line-height:1.2;color:var(--md-default-fg-color)}
.fs-tile span{display:block;line-height:1.35;font-size:.85rem;
color:var(--md-default-fg-color--light)}
figure{margin:1.2rem 0}
figcaption{font-weight:600;margin-bottom:.3rem}
.fs-chart{display:block;width:100%;height:auto;max-width:44rem}
.fs-chart text{font-size:13px;font-family:inherit}
.fs-text{fill:var(--md-default-fg-color--light)}
.fs-strong{fill:var(--md-default-fg-color)}
.fs-grid{stroke:var(--md-default-fg-color--lightest);stroke-width:1}
.fs-mark{fill:var(--fs-mark)}
.fs-muted{fill-opacity:.45}
.fs-line{fill:none;stroke:var(--fs-mark);stroke-width:2.5}
.fs-dot{fill:var(--fs-mark);stroke:var(--md-default-bg-color);stroke-width:1.5}
.fs-hollow{fill:var(--md-default-bg-color);stroke:var(--fs-mark);stroke-width:2}
.fs-whisker{stroke:var(--md-default-fg-color--light);stroke-width:2}
.fs-target{stroke:var(--md-default-fg-color);stroke-width:1.5;stroke-dasharray:6 4}
.fs-scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.88rem;margin:.4rem 0 1rem}
caption{text-align:left;font-size:.85rem;color:var(--md-default-fg-color--light);
padding-bottom:.3rem}
th,td{text-align:left;padding:.4rem .55rem;border-bottom:1px solid
var(--md-default-fg-color--lightest);vertical-align:top}
thead th{font-weight:600;white-space:nowrap}
tbody th{min-width:11rem;font-weight:500}
td.fs-num,th.fs-num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.fs-suppressed,.fs-pending{color:var(--md-default-fg-color--light);font-style:italic}
.fs-flag{display:inline-block;font-size:.75rem;border:1px solid var(--md-default-fg-color--lighter);
border-radius:1rem;padding:0 .45rem;margin-left:.3rem;white-space:nowrap}
details.fs-data{margin:.3rem 0 1rem}
details.fs-data summary{cursor:pointer;color:var(--fs-link);font-size:.9rem}
dl.fs-defs dt{font-weight:600;margin-top:.8rem}
dl.fs-defs dd{margin:.2rem 0 0}
.fs-items{list-style:none;padding:0}
.fs-items li{border:1px solid var(--md-default-fg-color--lightest);border-radius:.3rem;
padding:.7rem .9rem;margin:.6rem 0}
.fs-items blockquote{margin:0 0 .4rem;white-space:pre-line;overflow-wrap:anywhere}
.fs-meta{font-size:.85rem;color:var(--md-default-fg-color--light)}
footer{border-top:1px solid var(--md-default-fg-color--lightest);margin-top:2rem;padding:1rem 0;
font-size:.85rem;color:var(--md-default-fg-color--light)}
@media (max-width:30rem){.fs-header h1{font-size:1.3rem}h2{font-size:1.2rem}
th,td{padding:.35rem .4rem}.fs-chart{min-width:34rem}}
"""


def render_page(*, title: str, site_name: str, heading: str, subtitle: str, body: str,
                tabs: list[tuple[str, str]] | None = None, footer: str = "") -> bytes:
    """A whole HTML document around ``body`` (already safe HTML)."""
    nav = ""
    if tabs:
        links = "".join(f'<li><a href="{escape(href)}">{escape(label)}</a></li>'
                        for label, href in tabs)
        nav = f'<nav class="fs-tabs" aria-label="Sections"><ul>{links}</ul></nav>'
    css = "".join(line.strip() for line in CSS.strip().splitlines())
    html = (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        f'<header class="fs-header"><div class="fs-wrap"><p>{escape(site_name)}</p>'
        f"<h1>{escape(heading)}</h1><p>{escape(subtitle)}</p></div></header>\n{nav}\n"
        f'<main class="fs-wrap">\n{body}\n</main>\n'
        f'<footer><div class="fs-wrap">{footer}</div></footer>\n</body>\n</html>\n'
    )
    return html.encode("utf-8")
