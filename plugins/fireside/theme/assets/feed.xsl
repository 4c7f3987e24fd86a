<?xml version="1.0" encoding="UTF-8"?>
<!--
  Fireside: shows an RSS 2.0 or Atom 1.0 feed opened in a browser as a readable page.
  Self-contained (inline styles, no scripts, nothing loaded from elsewhere), XSLT 1.0.
  Feed readers ignore it; it only changes what a browser shows.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    exclude-result-prefixes="atom dc">
  <xsl:output method="html" encoding="UTF-8" indent="yes"
      doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="rss/channel/title | atom:feed/atom:title"/> (feed)</title>
        <style>
          body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
                 margin: 0; color: #1f2328; background: #fafafa; }
          main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
          .about { background: #fff3e0; border: 1px solid #ffcc80; border-radius: 6px;
                   padding: .75rem 1rem; margin-bottom: 1.5rem; }
          .about code { background: #fff; padding: .1rem .3rem; border-radius: 3px;
                        word-break: break-all; }
          h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
          .desc { color: #57606a; margin: 0 0 1.5rem; }
          article { background: #fff; border: 1px solid #e0e0e0; border-radius: 6px;
                    padding: .75rem 1rem; margin: 0 0 1rem; }
          article h2 { font-size: 1.15rem; margin: 0 0 .25rem; }
          .meta { color: #57606a; font-size: .875rem; margin: 0 0 .5rem; }
          .summary img { max-width: 100%; height: auto; }
          a { color: #bf360c; }
        </style>
      </head>
      <body>
        <main>
          <xsl:apply-templates select="rss/channel | atom:feed"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="about">
    <xsl:param name="self"/>
    <div class="about">
      <strong>This is a news feed.</strong>
      Copy its address into Outlook, Teams or your feed reader to get new posts as they
      are published:
      <code><xsl:value-of select="$self"/></code>
    </div>
  </xsl:template>

  <!-- RSS 2.0 -->
  <xsl:template match="rss/channel">
    <xsl:call-template name="about">
      <xsl:with-param name="self" select="atom:link[@rel='self']/@href"/>
    </xsl:call-template>
    <h1><a href="{link}"><xsl:value-of select="title"/></a></h1>
    <p class="desc"><xsl:value-of select="description"/></p>
    <xsl:for-each select="item">
      <article>
        <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
        <p class="meta">
          <xsl:value-of select="substring(pubDate, 1, 16)"/>
          <xsl:for-each select="dc:creator">
            <xsl:text> · </xsl:text><xsl:value-of select="."/>
          </xsl:for-each>
        </p>
        <div class="summary">
          <xsl:value-of select="description" disable-output-escaping="yes"/>
        </div>
      </article>
    </xsl:for-each>
    <xsl:if test="not(item)"><p>No posts yet.</p></xsl:if>
  </xsl:template>

  <!-- Atom 1.0 -->
  <xsl:template match="atom:feed">
    <xsl:call-template name="about">
      <xsl:with-param name="self" select="atom:link[@rel='self']/@href"/>
    </xsl:call-template>
    <h1>
      <a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a>
    </h1>
    <p class="desc"><xsl:value-of select="atom:subtitle"/></p>
    <xsl:for-each select="atom:entry">
      <article>
        <h2>
          <a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a>
        </h2>
        <p class="meta">
          <xsl:value-of select="substring(atom:published, 1, 10)"/>
          <xsl:for-each select="atom:author">
            <xsl:text> · </xsl:text><xsl:value-of select="atom:name"/>
          </xsl:for-each>
        </p>
        <div class="summary">
          <xsl:value-of select="atom:summary" disable-output-escaping="yes"/>
        </div>
      </article>
    </xsl:for-each>
    <xsl:if test="not(atom:entry)"><p>No posts yet.</p></xsl:if>
  </xsl:template>
</xsl:stylesheet>
