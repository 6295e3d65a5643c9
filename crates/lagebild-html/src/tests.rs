//! End-to-end tests of the public API with small invented pages.

use crate::{decode_entities, extract, looks_like_html, sniff_charset};

fn paras(html: &str) -> Vec<String> {
    extract(html)
        .text
        .split("\n\n")
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

const NEWS_PAGE: &str = r##"<!DOCTYPE html>
<html lang="de-DE">
<head>
  <meta charset="UTF-8">
  <title>Stadtrat beschlie&szlig;t neuen Radweg | Tagesblatt Nord</title>
  <meta property="og:site_name" content="Tagesblatt Nord">
  <meta property="og:title" content="Stadtrat beschließt neuen Radweg">
  <meta name="description" content="Nach langer Debatte: der Radweg &bdquo;Am Hafen&ldquo; kommt.">
  <meta name="author" content="Jana Beispiel">
  <meta property="article:published_time" content="2024-11-01T10:00:00+01:00">
  <link rel="canonical" href="https://www.tagesblatt-nord.example/lokales/radweg-123">
  <style>body { font-family: serif; } .x:after { content: "</style-not>"; }</style>
  <script>var html = "</div><p>Nicht zeigen</p>"; if (a < b && c > d) {}</script>
</head>
<body class="post-template single comments-open has-sidebar">
  <div id="cookie-banner" class="cookie-consent">Wir verwenden Cookies. <button>OK</button></div>
  <header class="site-header">
    <nav><ul><li><a href="/">Start</a></li><li><a href="/politik">Politik</a></li></ul></nav>
  </header>
  <ul class="breadcrumbs"><li>Start</li><li>Lokales</li></ul>
  <main>
    <article>
      <header class="article-header">
        <h1>Stadtrat beschließt neuen Radweg</h1>
        <p class="byline">Von Jana Beispiel</p>
      </header>
      <div class="article-body">
        <p>Der Stadtrat hat am Donnerstag mit gro&szlig;er Mehrheit den Bau eines neuen
           Radwegs beschlossen. Die Strecke soll vom Bahnhof bis zum Hafen f&uuml;hren.</p>
        <div class="share-buttons"><a href="#">Teilen</a> <a href="#">Twittern</a></div>
        <p>&bdquo;Das ist ein guter Tag f&uuml;r alle, die mit dem Rad unterwegs sind&ldquo;,
           sagte die B&uuml;rgermeisterin&nbsp;nach der Sitzung.</p>
        <aside class="infobox">Lesen Sie auch: Parkplätze werden knapp</aside>
        <p>Die Kosten liegen bei rund 2,4&nbsp;Millionen&nbsp;&euro;.</p>
      </div>
      <footer class="article-footer">Schlagworte: Verkehr, Stadtrat</footer>
    </article>
    <section class="related-articles"><h2>Mehr zum Thema</h2><p>Neue Busse für die Stadt</p></section>
    <div id="comments"><h3>3 Kommentare</h3><p>Endlich!</p></div>
  </main>
  <aside class="sidebar"><div class="newsletter">Jetzt abonnieren</div></aside>
  <footer><p>&copy; 2024 Tagesblatt Nord · Impressum</p></footer>
  <script>document.write("<p>Werbung</p>");</script>
</body>
</html>"##;

#[test]
fn news_page_text_and_metadata() {
    let e = extract(NEWS_PAGE);
    // The headline is the title, not a paragraph of the text.
    assert_eq!(
        e.text,
        "Der Stadtrat hat am Donnerstag mit großer Mehrheit den Bau eines neuen Radwegs beschlossen. \
         Die Strecke soll vom Bahnhof bis zum Hafen führen.\n\n\
         „Das ist ein guter Tag für alle, die mit dem Rad unterwegs sind“, sagte die Bürgermeisterin nach der Sitzung.\n\n\
         Die Kosten liegen bei rund 2,4 Millionen €."
    );
    assert_eq!(e.title.as_deref(), Some("Stadtrat beschließt neuen Radweg"));
    assert_eq!(e.published.as_deref(), Some("2024-11-01"));
    assert_eq!(e.author.as_deref(), Some("Jana Beispiel"));
    assert_eq!(e.site.as_deref(), Some("Tagesblatt Nord"));
    assert_eq!(
        e.url.as_deref(),
        Some("https://www.tagesblatt-nord.example/lokales/radweg-123")
    );
    assert_eq!(e.language.as_deref(), Some("de"));
    assert_eq!(e.charset.as_deref(), Some("utf-8"));
    assert_eq!(
        e.description.as_deref(),
        Some("Nach langer Debatte: der Radweg „Am Hafen“ kommt.")
    );
}

#[test]
fn plain_fragment_without_head_or_body() {
    let e = extract("<p>Hello <b>world</b>!</p><p>Second&nbsp;&nbsp; paragraph\n  here.</p>");
    assert_eq!(e.text, "Hello world!\n\nSecond paragraph here.");
    assert_eq!(e.title, None);
    assert_eq!(e.published, None);
    assert_eq!(e.language, None);
    assert_eq!(extract("").text, "");
    assert_eq!(extract("just text, no tags").text, "just text, no tags");
}

#[test]
fn entities_in_text_attributes_and_title() {
    let e = extract(
        "<title>Caf&eacute; &amp; B&auml;r &#8211; &quot;Test&quot;</title>\
         <p>Fran&ccedil;ois &amp; Zo&euml; &#x27;zitiert&#39; &hellip; &mdash; &ndash; &laquo;ok&raquo;</p>\
         <p>&lt;script&gt; bleibt Text</p>",
    );
    assert_eq!(e.title.as_deref(), Some("Café & Bär – \"Test\""));
    assert_eq!(
        paras("<p>Fran&ccedil;ois &amp; Zo&euml; &#x27;zitiert&#39; &hellip; &mdash; &ndash; &laquo;ok&raquo;</p>"),
        vec!["François & Zoë 'zitiert' … — – «ok»"]
    );
    assert!(e.text.ends_with("<script> bleibt Text"));
    assert_eq!(
        decode_entities("&auml;&ouml;&uuml;&Auml;&Ouml;&Uuml;&szlig;"),
        "äöüÄÖÜß"
    );
    assert_eq!(
        decode_entities("&eacute;&egrave;&ecirc;&agrave;&ccedil;&oelig;"),
        "éèêàçœ"
    );
    assert_eq!(
        decode_entities("&bdquo;x&ldquo; &sbquo;y&lsquo; &rsquo;"),
        "„x“ ‚y‘ ’"
    );
    assert_eq!(decode_entities("&euro;&nbsp;&hellip;"), "€\u{A0}…");
    assert_eq!(decode_entities("no entities"), "no entities");
    assert_eq!(decode_entities("AT&T &c"), "AT&T &c");
}

#[test]
fn soft_hyphens_and_zero_width_are_removed() {
    assert_eq!(
        paras("<p>Bundes&shy;verfassungs&shy;gericht&#8203;entscheidet</p>"),
        vec!["Bundesverfassungsgerichtentscheidet"]
    );
}

#[test]
fn lone_less_than_stays_text() {
    assert_eq!(
        paras("<p>if a < b and 3<4 then x <= y</p>"),
        vec!["if a < b and 3<4 then x <= y"]
    );
}

#[test]
fn script_with_closing_tags_in_strings() {
    let html = r#"<div><p>Vorher</p><script type="text/javascript">
        var s = "</div></p><p>nope</p>"; var t = '<\/script>'; </script><p>Nachher</p></div>"#;
    assert_eq!(paras(html), vec!["Vorher", "Nachher"]);
    // Upper-case end tag, attributes on the end tag.
    assert_eq!(
        paras("<SCRIPT>x = '<p>no</p>'</SCRIPT foo=bar><p>yes</p>"),
        vec!["yes"]
    );
    // Unclosed script swallows the rest, as in browsers.
    assert_eq!(paras("<p>a</p><script>var x = 1; <p>b</p>"), vec!["a"]);
}

#[test]
fn skipped_elements() {
    let html = "<p>keep1</p><style>p{}</style><noscript><p>JS aus</p></noscript>\
        <template><p>tpl</p></template><svg><title>Icon</title><text>svgtext</text></svg>\
        <iframe src=x>frame</iframe><nav>nav</nav><footer>foot</footer><aside>side</aside>\
        <form><label>Name</label><input name=q></form><button>Klick</button>\
        <select><option>Eins</option></select><p>keep2</p>";
    assert_eq!(paras(html), vec!["keep1", "keep2"]);
}

#[test]
fn nested_chrome_removal() {
    let html = r#"<body>
      <div class="wrapper">
        <div class="content-area">
          <p>Erster Absatz.</p>
          <div class="social-share"><div><div><span>Teilen auf</span><ul><li>Facebook</li></ul></div></div></div>
          <div id="newsletter-signup"><p>Newsletter <b>jetzt</b> bestellen</p><div><p>tief</p></div></div>
          <p>Zweiter Absatz.</p>
          <div class="ad-container"><div class="ad-slot">Anzeige</div></div>
          <div class="advertisement">Werbung</div>
          <div class="Related"><p>Ähnliche Artikel</p></div>
          <div class="teaser-list"><div class="teaser"><h3>Andere Nachricht</h3></div></div>
          <div class="comment-section"><p>Leserkommentar</p></div>
          <div class="breadcrumb">Start &gt; Politik</div>
          <div class="main-menu">Menü</div>
          <div class="header-nav">Navigation</div>
          <div class="site-footer">Fußzeile</div>
          <div class="sidebar-widget">Widget</div>
          <div role="complementary">Kasten</div>
          <div hidden>Versteckt</div>
          <div style="display: none">Auch versteckt</div>
          <p>Dritter Absatz.</p>
        </div>
      </div></body>"#;
    assert_eq!(
        paras(html),
        vec!["Erster Absatz.", "Zweiter Absatz.", "Dritter Absatz."]
    );
}

#[test]
fn content_like_classes_are_kept() {
    let html = r#"<body class="has-sidebar comments-open">
      <div class="container with-sidebar">
        <div class="article-header"><h2>Überschrift</h2></div>
        <p class="article-teaser">Der Vorspann.</p>
        <p class="teaser">Noch ein Vorspann.</p>
        <div class="entry-content comments">Haupttext.</div>
        <div class="headline">Kopfzeile</div>
        <div class="address">Adresse</div>
      </div></body>"#;
    assert_eq!(
        paras(html),
        vec![
            "Überschrift",
            "Der Vorspann.",
            "Noch ein Vorspann.",
            "Haupttext.",
            "Kopfzeile",
            "Adresse"
        ]
    );
}

#[test]
fn block_elements_end_paragraphs_inline_do_not() {
    let html = "<div>eins<div>zwei</div>drei</div>vier<br>fünf<br/>sechs\
        <ul><li>a<li>b</ul><table><tr><td>c1<td>c2</tr><tr><th>h</th></table>\
        <blockquote>zitat</blockquote><pre>  code\n  block  </pre>\
        <figure><img src=x alt=bild><figcaption>Bildunterschrift</figcaption></figure>\
        <dl><dt>Begriff<dd>Erklärung</dl><h2>Titel</h2><section>sec</section>\
        <span>in</span><em>line</em><a href=#>link</a> <i>x</i>";
    assert_eq!(
        paras(html),
        vec![
            "eins",
            "zwei",
            "drei",
            "vier",
            "fünf",
            "sechs",
            "a",
            "b",
            "c1",
            "c2",
            "h",
            "zitat",
            "code block",
            "Begriff",
            "Erklärung",
            "Titel",
            "sec",
            "inlinelink x"
        ]
    );
}

#[test]
fn unclosed_tags_are_tolerated() {
    assert_eq!(
        paras("<div><p>Eins<p>Zwei<div>Drei<span>Vier <b>Fünf"),
        vec!["Eins", "Zwei", "DreiVier Fünf"]
    );
    // An unclosed chrome <p> does not swallow the following paragraphs.
    assert_eq!(
        paras("<div><p class=\"share\">Teilen<p>Inhalt eins<p>Inhalt zwei</div><p>danach"),
        vec!["Inhalt eins", "Inhalt zwei", "danach"]
    );
    // Stray and mismatched end tags.
    assert_eq!(
        paras("</div></span>Text</p>mehr<div><span>x</div>y</span>z"),
        vec!["Text", "mehr", "x", "yz"]
    );
    // Truncated in the middle of a tag or an attribute.
    assert_eq!(paras("<p>Anfang</p><div class=\"abgeschn"), vec!["Anfang"]);
    assert_eq!(paras("<p>Anfang</p><a href=x"), vec!["Anfang"]);
    // Unclosed comment hides the rest.
    assert_eq!(paras("<p>a</p><!-- kaputt <p>b</p>"), vec!["a"]);
}

#[test]
fn comments_cdata_doctype_pi_are_skipped() {
    assert_eq!(
        paras("<!doctype html><?xml-stylesheet x?><p>a<!-- <p>nein</p> -->b<![CDATA[nein]]>c</p>"),
        vec!["abc"]
    );
}

#[test]
fn attribute_quoting() {
    let e = extract(
        "<html lang=en-GB><meta name=description content='It&#39;s \"quoted\"'>\
         <meta property=\"og:site_name\" content=Zeitung><p class=x data-a = \"1 > 0\">ok</p>",
    );
    assert_eq!(e.language.as_deref(), Some("en"));
    assert_eq!(e.description.as_deref(), Some("It's \"quoted\""));
    assert_eq!(e.site.as_deref(), Some("Zeitung"));
    assert_eq!(e.text, "ok");
}

#[test]
fn void_and_self_closing_elements() {
    assert_eq!(
        paras("<p>a<img src=x>b<input>c<hr>d<wbr>e<meta charset=x>f</p>"),
        vec!["abc", "def"]
    );
    // Self-closing SVG children do not leave the SVG open.
    assert_eq!(
        paras("<p>vor<svg viewBox='0 0 1 1'><path d='M0'/><use href='#i'/></svg>nach</p>"),
        vec!["vor nach"]
    );
    // A non-void self-closing HTML tag is just a start tag.
    assert_eq!(paras("<div/>Text</div>"), vec!["Text"]);
}

#[test]
fn unclosed_svg_breaks_out_on_html() {
    assert_eq!(
        paras("<svg><g><circle r=1></circle><p>Absatz nach kaputtem SVG</p>"),
        vec!["Absatz nach kaputtem SVG"]
    );
}

#[test]
fn prefers_article_content() {
    let html = r#"<body>
      <div class="top">Topthemen: Wahl, Wetter, Sport</div>
      <div>Jetzt im Live-Ticker verfolgen und keine Meldung verpassen</div>
      <article>
        <h1>Hochwasser im Süden</h1>
        <p>Nach tagelangem Regen sind mehrere Flüsse über die Ufer getreten.</p>
        <p>Die Feuerwehr war die ganze Nacht im Einsatz, um Keller auszupumpen.</p>
      </article>
      <div>Meistgelesen: Zehn Tipps für den Garten</div>
    </body>"#;
    assert_eq!(
        paras(html),
        vec![
            "Nach tagelangem Regen sind mehrere Flüsse über die Ufer getreten.",
            "Die Feuerwehr war die ganze Nacht im Einsatz, um Keller auszupumpen."
        ]
    );
}

#[test]
fn small_article_does_not_hide_the_page() {
    // The only <article> is a tiny teaser: the page text is kept.
    let html = "<div><p>Ein langer Haupttext ohne article-Element, der den größten Teil \
        der Seite ausmacht und erhalten bleiben muss.</p><p>Noch mehr Text hier, viel mehr.</p></div>\
        <article><p>Kurz</p></article>";
    let p = paras(html);
    assert!(p[0].starts_with("Ein langer Haupttext"), "{p:?}");
    assert_eq!(p[1], "Noch mehr Text hier, viel mehr.");
}

#[test]
fn listing_of_many_articles_keeps_all() {
    let mut html = String::from("<main>");
    for i in 0..5 {
        html.push_str(&format!(
            "<article><h2>Meldung {i}</h2><p>Kurzer Text {i}.</p></article>"
        ));
    }
    html.push_str("</main><div>Außerhalb</div>");
    let p = paras(&html);
    assert_eq!(p.len(), 10);
    assert_eq!(p[0], "Meldung 0");
    assert_eq!(p[9], "Kurzer Text 4.");
}

#[test]
fn main_descends_into_dominant_article() {
    let html = "<main><div>Rubrik</div><article><p>Ein ausführlicher Artikeltext, der deutlich \
        länger ist als alles andere innerhalb des main-Elements.</p></article></main>";
    assert_eq!(
        paras(html),
        vec!["Ein ausführlicher Artikeltext, der deutlich länger ist als alles andere innerhalb des main-Elements."]
    );
}

#[test]
fn page_wrapped_in_a_form_keeps_its_text() {
    let html = "<body><form id=aspnetForm action=x><div><h1>Amtsblatt</h1>\
        <p>Bekanntmachung der Gemeinde zur Sperrung der Hauptstraße.</p></div></form></body>";
    assert_eq!(
        paras(html),
        vec![
            "Amtsblatt",
            "Bekanntmachung der Gemeinde zur Sperrung der Hauptstraße."
        ]
    );
    let html2 =
        "<p>Ein normaler Artikel mit reichlich Text, der weit länger als das Formular ist.</p>\
        <form><p>Suche</p></form>";
    assert_eq!(
        paras(html2),
        vec!["Ein normaler Artikel mit reichlich Text, der weit länger als das Formular ist."]
    );
}

#[test]
fn title_suffix_stripping() {
    let t = |h: &str| extract(h).title;
    assert_eq!(
        t("<title>Wahlergebnis steht fest - Kurier</title><meta property=og:site_name content=Kurier>")
            .as_deref(),
        Some("Wahlergebnis steht fest")
    );
    assert_eq!(
        t("<meta property='og:site_name' content='The Daily Example'><title>Storm hits coast | the daily example</title>")
            .as_deref(),
        Some("Storm hits coast")
    );
    assert_eq!(
        t("<title>Kurier – Wahlergebnis steht fest</title><meta property=og:site_name content=Kurier>")
            .as_deref(),
        Some("Wahlergebnis steht fest")
    );
    // Suffix is not the site name: kept.
    assert_eq!(
        t("<title>Wahl - Ergebnis | Politik</title><meta property=og:site_name content=Kurier>")
            .as_deref(),
        Some("Wahl - Ergebnis | Politik")
    );
    // No site name known: kept.
    assert_eq!(t("<title>A | B</title>").as_deref(), Some("A | B"));
    // Site name from the canonical host.
    assert_eq!(
        t("<title>Neue Brücke | kurier.example</title><link rel=canonical href='https://www.kurier.example/a'>")
            .as_deref(),
        Some("Neue Brücke")
    );
}

#[test]
fn title_fallbacks() {
    assert_eq!(
        extract("<meta property=og:title content='OG Titel'><h1>H1</h1>")
            .title
            .as_deref(),
        Some("OG Titel")
    );
    assert_eq!(
        extract("<title>  </title><body><nav><h1>Logo</h1></nav><h1>Erste <em>Überschrift</em></h1><h1>Zweite</h1>")
            .title
            .as_deref(),
        Some("Erste Überschrift")
    );
    // A <title> that is just the site name gives way to og:title.
    assert_eq!(
        extract(
            "<title>Kurier</title><meta property=og:site_name content=Kurier>\
                 <meta property=og:title content='Brücke gesperrt'>"
        )
        .title
        .as_deref(),
        Some("Brücke gesperrt")
    );
    // SVG titles are not page titles.
    assert_eq!(
        extract("<body><svg><title>Pfeil</title></svg><h1>Echt</h1>")
            .title
            .as_deref(),
        Some("Echt")
    );
}

#[test]
fn json_ld_date_and_author() {
    let html = r#"<html><head>
      <script type="application/ld+json">
      {"@context":"https://schema.org","@type":"NewsArticle",
       "headline":"Test","datePublished":"2023-06-15T07:30:00+02:00",
       "dateModified":"2023-06-16T09:00:00+02:00",
       "author":[{"@type":"Person","name":"Max Muster"},{"@type":"Person","name":"Erika Beispiel"}],
       "publisher":{"@type":"Organization","name":"Rundschau"}}
      </script></head><body><p>Text</p><time datetime="2020-01-01">alt</time></body></html>"#;
    let e = extract(html);
    assert_eq!(e.published.as_deref(), Some("2023-06-15"));
    assert_eq!(e.author.as_deref(), Some("Max Muster, Erika Beispiel"));
    assert_eq!(e.text, "Text\n\nalt");
}

#[test]
fn meta_date_formats_and_priority() {
    let d = |h: &str| extract(h).published;
    assert_eq!(
        d("<meta property='og:published_time' content='2024-11-01T10:00:00+01:00'>").as_deref(),
        Some("2024-11-01")
    );
    assert_eq!(
        d("<meta name=date content='2024-03-05'>").as_deref(),
        Some("2024-03-05")
    );
    assert_eq!(
        d("<meta name='DC.date' content='05.03.2024'>").as_deref(),
        Some("2024-03-05")
    );
    assert_eq!(
        d("<meta name=pubdate content='20240305'>").as_deref(),
        Some("2024-03-05")
    );
    assert_eq!(
        d("<meta itemprop=datePublished content='2022-12-24T18:00:00Z'>").as_deref(),
        Some("2022-12-24")
    );
    // article:published_time wins over a generic date, whatever the order.
    assert_eq!(
        d("<meta name=date content='2001-01-01'><meta property='article:published_time' content='2024-11-01T23:30:00-05:00'>")
            .as_deref(),
        Some("2024-11-01")
    );
    // Unparseable values are ignored, later sources used.
    assert_eq!(
        d("<meta property='article:published_time' content='kürzlich'><meta name=date content='2019-07-04'>")
            .as_deref(),
        Some("2019-07-04")
    );
}

#[test]
fn time_element_dates() {
    let d = |h: &str| extract(h).published;
    assert_eq!(
        d("<body><p>x</p><time datetime='2024-02-29T12:00'>29. Februar</time>").as_deref(),
        Some("2024-02-29")
    );
    // Inside the article beats outside; chrome is ignored.
    assert_eq!(
        d("<body><div class=related><time datetime='2020-01-01'>a</time></div>\
           <time datetime='2021-01-01'>b</time><article><time datetime='2022-01-01'>c</time></article>")
            .as_deref(),
        Some("2022-01-01")
    );
    assert_eq!(
        d("<time datetime='2021-05-05'></time><time pubdate datetime='2023-05-05'></time>")
            .as_deref(),
        Some("2023-05-05")
    );
}

#[test]
fn language_variants() {
    let l = |h: &str| extract(h).language;
    assert_eq!(l("<html lang=\"de-DE\"><p>x</p>").as_deref(), Some("de"));
    assert_eq!(l("<HTML LANG='FR'>").as_deref(), Some("fr"));
    assert_eq!(l("<html xml:lang=\"en-US\">").as_deref(), Some("en"));
    assert_eq!(
        l("<meta http-equiv=Content-Language content='de-AT'>").as_deref(),
        Some("de")
    );
    assert_eq!(
        l("<meta property=og:locale content=de_CH>").as_deref(),
        Some("de")
    );
    assert_eq!(l("<html lang=''><p>x</p>"), None);
}

#[test]
fn charset_from_document() {
    let c = |h: &str| extract(h).charset;
    assert_eq!(c("<meta charset=\"UTF-8\">").as_deref(), Some("utf-8"));
    assert_eq!(
        c("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">")
            .as_deref(),
        Some("iso-8859-1")
    );
    assert_eq!(c("<p>none</p>"), None);
}

#[test]
fn charset_sniffing() {
    assert_eq!(
        sniff_charset(b"<html><head><meta charset='windows-1252'>").as_deref(),
        Some("windows-1252")
    );
    assert_eq!(
        sniff_charset(b"<!DOCTYPE html><meta http-equiv=content-type content=\"text/html;charset=ISO-8859-15\">")
            .as_deref(),
        Some("iso-8859-15")
    );
    assert_eq!(
        sniff_charset(b"\xEF\xBB\xBF<html>").as_deref(),
        Some("utf-8")
    );
    assert_eq!(
        sniff_charset(b"\xFF\xFE<\x00h\x00").as_deref(),
        Some("utf-16le")
    );
    assert_eq!(
        sniff_charset(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><html>").as_deref(),
        Some("iso-8859-1")
    );
    // Latin-1 bytes (invalid UTF-8) before the declaration do not matter.
    assert_eq!(
        sniff_charset(b"<title>Gr\xFC\xDFe</title><meta charset=latin1>").as_deref(),
        Some("latin1")
    );
    // A charset in a script string or a comment is not a declaration.
    assert_eq!(
        sniff_charset(b"<script>'<meta charset=koi8-r>'</script><!-- <meta charset=x> -->"),
        None
    );
    // Only the first 2048 bytes count.
    let mut late = vec![b' '; 3000];
    late.extend_from_slice(b"<meta charset=utf-8>");
    assert_eq!(sniff_charset(&late), None);
    assert_eq!(sniff_charset(b""), None);
    assert_eq!(sniff_charset(b"plain text"), None);
}

#[test]
fn html_sniffing() {
    for s in [
        "<!DOCTYPE html><html>",
        "\u{FEFF}  \n<!doctype HTML>",
        "<html lang=de>",
        "<HEAD>",
        "<body>",
        "<p>Hallo</p>",
        "<div class=x>",
        "<!-- comment -->",
        "  <br/>",
        "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">",
    ] {
        assert!(looks_like_html(s), "{s:?}");
    }
    for s in [
        "",
        "Hallo Welt",
        "<?xml version=\"1.0\"?><rss version=\"2.0\">",
        "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
        "{\"json\": true}",
        "<pre",
        "<paragraph>",
        "a <p>late</p>",
    ] {
        assert!(!looks_like_html(s), "{s:?}");
    }
}

#[test]
fn author_sources() {
    let a = |h: &str| extract(h).author;
    assert_eq!(
        a("<meta name=author content='Von Peter Probe'>").as_deref(),
        Some("Peter Probe")
    );
    assert_eq!(
        a("<meta property=article:author content='https://facebook.example/x'><meta name=dc.creator content='Dora Doe'>")
            .as_deref(),
        Some("Dora Doe")
    );
    assert_eq!(a("<p>x</p>"), None);
}

#[test]
fn url_sources() {
    assert_eq!(
        extract("<meta property=og:url content='https://a.example/og'>")
            .url
            .as_deref(),
        Some("https://a.example/og")
    );
    assert_eq!(
        extract("<meta property=og:url content='https://a.example/og'><link rel='alternate canonical' href='https://a.example/c?x=1&amp;y=2'>")
            .url
            .as_deref(),
        Some("https://a.example/c?x=1&y=2")
    );
}

#[test]
fn missing_head_close_and_text_in_head() {
    let e = extract("<html><head><title>T</title><meta name=x content=y>Hallo Welt<p>Absatz</p>");
    assert_eq!(e.title.as_deref(), Some("T"));
    assert_eq!(e.text, "Hallo Welt\n\nAbsatz");
}

#[test]
fn text_after_body_end_is_kept() {
    assert_eq!(
        paras("<body><p>a</p></body><p>b</p></html>c"),
        vec!["a", "b", "c"]
    );
}

#[test]
fn xmp_and_plaintext_are_literal() {
    assert_eq!(paras("<xmp><b>fett</b></xmp>"), vec!["<b>fett</b>"]);
    assert_eq!(paras("<p>a</p><plaintext><p>b</p>"), vec!["a", "<p>b</p>"]);
}

#[test]
fn control_characters_and_odd_input() {
    let e = extract("<p>a\u{0}b\u{7}c</p>\u{FEFF}<p>\u{85}</p>");
    assert_eq!(e.text, "abc");
    for s in [
        "<",
        "<<<<",
        "</",
        "<!",
        "<!-",
        "<!--",
        "<?",
        "<a",
        "<a b",
        "<a b=",
        "<a b='",
        "&",
        "&#",
        "&#x",
        "&amp",
        "<p>&#xFFFFFFFFFF;</p>",
        "<script>",
        "<title>",
        "<svg><p/>",
        "</p></br>",
        "<table><td><li><dd><tr><option><h1><h2>",
        "<![CDATA[",
        "<html><html><head><head><body><body>",
    ] {
        let _ = extract(s);
        let _ = looks_like_html(s);
        let _ = sniff_charset(s.as_bytes());
        let _ = decode_entities(s);
    }
    assert_eq!(extract("</br>").text, "");
    assert_eq!(paras("x</br>y"), vec!["x", "y"]);
}

#[test]
fn deep_nesting_100k() {
    let depth = 100_000;
    let mut html = String::with_capacity(depth * 12);
    for _ in 0..depth {
        html.push_str("<div>");
    }
    html.push_str("tief unten");
    for _ in 0..depth {
        html.push_str("</div>");
    }
    html.push_str("<p>danach</p>");
    assert_eq!(paras(&html), vec!["tief unten", "danach"]);

    // Unclosed inline nesting, then many end tags that match nothing open.
    let mut html = String::new();
    html.push_str("<div>");
    for _ in 0..depth {
        html.push_str("<span><b>");
    }
    html.push('x');
    for _ in 0..depth {
        html.push_str("</i></em>");
    }
    html.push_str("</div>y");
    assert_eq!(paras(&html), vec!["x", "y"]);

    // Deep chrome: all dropped, nothing after it lost.
    let mut html = String::from("<div class=sidebar>");
    for _ in 0..depth {
        html.push_str("<section><ul class=x>");
    }
    html.push_str("versteckt</div><p>sichtbar</p>");
    assert_eq!(paras(&html), vec!["sichtbar"]);

    // Deep article nesting with unclosed <p> and <li>.
    let mut html = String::new();
    for _ in 0..depth {
        html.push_str("<article><ul><li><p>");
    }
    html.push_str("innen");
    assert_eq!(paras(&html), vec!["innen"]);

    // Deep JSON-LD.
    let mut html = String::from("<script type=application/ld+json>");
    html.push_str(&"[{\"a\":".repeat(depth));
    html.push_str("\"datePublished\"");
    html.push_str("</script><p>ok</p>");
    assert_eq!(paras(&html), vec!["ok"]);
}

#[test]
fn many_inline_end_tags_crossing_blocks() {
    // Adversarial: inline end tags that must not cross the block in between.
    let n = 50_000;
    let mut html = String::from("<span>");
    html.push_str("<div>");
    html.push_str(&"<b>".repeat(n));
    html.push_str("inhalt");
    html.push_str(&"</span>".repeat(n));
    html.push_str("</div>rest");
    assert_eq!(paras(&html), vec!["inhalt", "rest"]);
}

#[test]
fn large_generated_page_completes() {
    let mut html = String::from(
        "<!DOCTYPE html><html lang=de><head><title>Großes Archiv | Archiv</title>\
         <meta property=og:site_name content=Archiv></head><body><nav>Menü</nav><main>",
    );
    let mut i = 0u64;
    while html.len() < 20_000_000 {
        html.push_str(&format!(
            "<section class=\"eintrag\"><h2>Eintrag {i}</h2><p>Der Gemeinderat &amp; die \
             B&uuml;rger diskutierten &bdquo;Thema {i}&ldquo; ausführlich.<br>Weitere <a href=\"/x/{i}\">Details</a> \
             folgen.</p><div class=\"share\">Teilen</div><script>var n{i} = \"</p>\";</script>\
             <ul><li>Punkt A<li>Punkt B</ul><!-- kommentar {i} --></section>\n"
        ));
        i += 1;
    }
    html.push_str("</main><footer>Impressum</footer></body></html>");
    let e = extract(&html);
    assert_eq!(e.title.as_deref(), Some("Großes Archiv"));
    assert_eq!(e.language.as_deref(), Some("de"));
    assert!(e.text.starts_with("Eintrag 0\n\nDer Gemeinderat & die Bürger diskutierten „Thema 0“ ausführlich.\n\nWeitere Details folgen.\n\nPunkt A\n\nPunkt B\n\nEintrag 1"));
    assert!(!e.text.contains("Teilen"));
    assert!(!e.text.contains("Menü"));
    assert!(!e.text.contains("Impressum"));
    assert_eq!(e.text.matches("Punkt B").count() as u64, i);
    assert!(looks_like_html(&html));
    assert_eq!(sniff_charset(html.as_bytes()), None);
}

/// Small deterministic PRNG for the robustness test (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn check_invariants(e: &crate::Extracted) {
    for p in e.text.split("\n\n") {
        assert!(
            !p.is_empty() || e.text.is_empty(),
            "empty paragraph in {:?}",
            e.text
        );
        assert_eq!(p.trim(), p);
        assert!(!p.contains("  "), "double space in {p:?}");
        assert!(!p.contains('\n'), "newline inside paragraph {p:?}");
    }
    if let Some(d) = &e.published {
        let b = d.as_bytes();
        assert!(b.len() == 10 && b[4] == b'-' && b[7] == b'-', "{d}");
    }
    for s in [&e.title, &e.author, &e.language, &e.charset]
        .into_iter()
        .flatten()
    {
        assert!(!s.is_empty());
    }
}

#[test]
fn random_markup_never_panics() {
    const PIECES: &[&str] = &[
        "<",
        ">",
        "</",
        "/>",
        "<div",
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<p class='share'>",
        "<script>",
        "</script>",
        "<style>",
        "<!--",
        "-->",
        "\"",
        "'",
        "=",
        " ",
        "\n",
        "class=",
        "ad-",
        "ä",
        "€",
        "&amp;",
        "&#x",
        "&#",
        ";",
        "&",
        "<svg>",
        "</svg>",
        "<path/>",
        "<title>",
        "</title>",
        "<table>",
        "<tr>",
        "<td>",
        "<li>",
        "<ul>",
        "<article>",
        "</article>",
        "<main>",
        "<br/>",
        "<![CDATA[",
        "]]>",
        "Text",
        "Wörter",
        "<html lang=de-AT>",
        "<head>",
        "</head>",
        "<body>",
        "<meta charset=utf-8>",
        "<meta name=date content=2024-01-31>",
        "<script type=application/ld+json>",
        "{\"datePublished\":\"2023-04-05\"",
        "\"author\":",
        "[",
        "]",
        "{",
        "}",
        "\\u00e4",
        "\\",
        "<form>",
        "</form>",
        "<h1>",
        "</h1>",
        "<h2>",
        "<plaintext>",
        "<xmp>",
        "<time datetime=2022-02-02>",
        "<nav>",
        "<?",
        "<!",
        "<a href=x",
        "\u{FEFF}",
        "\u{AD}",
        "<option>",
        "<select>",
        "<button>",
        "<b>",
        "</b>",
        "</i>",
        "<math>",
        "<noscript>",
        "<template>",
        "<textarea>",
        "</textarea>",
        "<dd>",
        "<dt>",
        "<tbody>",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let n = rng.below(120);
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(PIECES[rng.below(PIECES.len())]);
        }
        let e = extract(&s);
        check_invariants(&e);
        let _ = looks_like_html(&s);
        let _ = sniff_charset(s.as_bytes());
        let _ = decode_entities(&s);
    }
    // Random bytes through the byte-level API and, lossily decoded, the rest.
    for _ in 0..500 {
        let n = rng.below(300);
        const BYTES: &[u8] = b"<>/=\"' abc&#;!-?\xC3\xA4\xFF\x00";
        let bytes: Vec<u8> = (0..n).map(|_| BYTES[rng.below(BYTES.len())]).collect();
        let _ = sniff_charset(&bytes);
        let s = String::from_utf8_lossy(&bytes);
        check_invariants(&extract(&s));
    }
}

#[test]
fn dates_written_as_element_text() {
    let d = |h: &str| extract(h).published;
    assert_eq!(
        d("<body><p>x</p><time class=entry-date>13. März 2020</time>").as_deref(),
        Some("2020-03-13")
    );
    assert_eq!(
        d("<div class=info><span itemprop=datePublished>\n 20.06.2019 11:43 </span></div><time>2001-01-01</time>")
            .as_deref(),
        Some("2019-06-20")
    );
    assert_eq!(
        d("<abbr class=published itemprop=datePublished title='2011-03-30T21:05:00-07:00'>9:05 PM</abbr>")
            .as_deref(),
        Some("2011-03-30")
    );
    assert_eq!(d("<time>gestern</time><p>text</p>"), None);
    assert_eq!(
        d("<meta name='DC:date' content='2009-09-15'>").as_deref(),
        Some("2009-09-15")
    );
}

#[test]
fn misread_chrome_wrapper_is_rescued() {
    // The wrapper's class names a sidebar, but it holds the article.
    let html = "<body><div class='content-sidebar-wrap penci_sidebar'><article>\
        <h1>Überschrift</h1><div class=share-bar>Teilen</div>\
        <p>Der eigentliche Artikeltext ist lang genug, um den größten Teil der Seite auszumachen.</p>\
        </article><div class=widget>Kurz</div></div>\
        <div class=related-posts><p>Anderer Beitrag</p></div></body>";
    assert_eq!(
        paras(html),
        vec!["Der eigentliche Artikeltext ist lang genug, um den größten Teil der Seite auszumachen."
        ]
    );
    // An <aside> misused as the article wrapper inside <main>.
    let html = "<main><aside class=direct-content><section><p>Hauptinhalt mit ausreichend \
        viel Text für die Mehrheit.</p></section></aside><aside>Werbung</aside></main>";
    assert_eq!(
        paras(html),
        vec!["Hauptinhalt mit ausreichend viel Text für die Mehrheit."]
    );
    // A big chrome region without article content is still dropped.
    let html = "<article><p>Kurzer Artikel.</p></article><div class=related>\
        <p>Verwandter Beitrag eins mit recht viel Text daneben.</p>\
        <p>Verwandter Beitrag zwei mit noch mehr Text daneben.</p></div>";
    assert_eq!(paras(html), vec!["Kurzer Artikel."]);
    // Custom elements marked as chrome.
    assert_eq!(
        paras("<p>a</p><cookie-consent-box class=cookie-box><p>Cookies?</p></cookie-consent-box><p>b</p>"),
        vec!["a", "b"]
    );
}

#[test]
fn hundred_megabyte_page() {
    // 100 MB: a long article, a huge link list and unclosed markup.
    let para = "<p>Der Gemeinderat hat am Montag über den Haushalt beraten, \
        die Sitzung dauerte bis in den späten Abend.</p>\n";
    let links = "<li><a href=\"/x\">Weitere Meldung aus der Region</a></li>";
    let mut html = String::with_capacity(100 * 1024 * 1024 + 4096);
    html.push_str("<html><head><title>Groß</title></head><body><article>");
    while html.len() < 60 * 1024 * 1024 {
        html.push_str(para);
    }
    html.push_str("</article><div><ul>");
    while html.len() < 100 * 1024 * 1024 {
        html.push_str(links);
        html.push_str("<div><span>");
    }
    let ex = extract(&html);
    assert!(ex.text.starts_with("Der Gemeinderat hat am Montag"));
    assert!(!ex.text.contains("Weitere Meldung aus der Region"));
    assert_eq!(ex.title.as_deref(), Some("Groß"));
}

#[test]
fn page_kinds() {
    let mut article = String::from("<html><body><article><h1>Titel des Artikels</h1>");
    for _ in 0..8 {
        article.push_str(
            "<p>Ein Absatz mit ausreichend viel Fließtext, damit die Seite als Artikel gilt, \
             mit Kommas, Punkten und einer Aussage.</p>",
        );
    }
    article.push_str("</article></body></html>");
    let e = extract(&article);
    assert_eq!(e.page_kind, crate::PageKind::Article);
    assert!(e.is_article);

    let mut listing = String::from("<html><body><main>");
    for i in 0..20 {
        listing.push_str(&format!(
            "<div class=teaser><h2><a href=/a{i}>Schlagzeile Nummer {i} des Tages</a></h2>\
             <p>Kurz.</p></div>"
        ));
    }
    listing.push_str("</main></body></html>");
    let e = extract(&listing);
    assert_eq!(e.page_kind, crate::PageKind::Listing);
    assert!(!e.is_article);

    let form = "<html><body><form><label>Name</label><input><label>E-Mail</label>\
                <input><button>Senden</button></form><p>Kontakt</p></body></html>";
    let e = extract(form);
    assert_ne!(e.page_kind, crate::PageKind::Article);
}

#[test]
fn news_chrome_lines() {
    use crate::chrome::{line_kind, Line};
    assert_eq!(line_kind("Mehr zum Thema"), Line::TeaserHead);
    assert_eq!(line_kind("Lesen Sie auch:"), Line::TeaserHead);
    assert_eq!(line_kind("« PREV"), Line::Tail);
    assert_eq!(line_kind("Nächster Artikel ›"), Line::Tail);
    assert_eq!(line_kind("Artikel teilen: E-Mail | Drucken"), Line::Tail);
    assert_eq!(
        line_kind("© dpa-infocom, dpa:231116-99-12345/4"),
        Line::Chrome
    );
    assert_eq!(
        line_kind("Dieser Artikel wurde automatisch aus dem dpa-Newskanal übernommen."),
        Line::Chrome
    );
    assert_eq!(line_kind("14.02.2024, 06:30 Uhr"), Line::Chrome);
    assert_eq!(line_kind("Foto: Max Muster"), Line::Chrome);
    assert_eq!(
        line_kind("Mehr als 120 Einsätze zählte die Feuerwehr in der Nacht."),
        Line::Text
    );
    assert_eq!(
        line_kind("Teilnehmer aus zwölf Ländern kamen nach Berlin."),
        Line::Text
    );
    assert_eq!(
        line_kind("Next week the council will vote again."),
        Line::Text
    );
}

#[test]
fn more_teaser_heads() {
    use crate::chrome::{line_kind, Line};
    for head in [
        "Schon gelesen?",
        "Zum Weiterlesen",
        "Empfohlene Beiträge",
        "Aktuelle News",
        "Kommende Events",
        "Vorschau auf den nächsten Artikel",
        "Dieses Thema könnte Sie auch interessieren:",
        "Diese Rezepte könnten dir auch gefallen",
        "Noch mehr Tipps für dich",
    ] {
        assert_eq!(line_kind(head), Line::TeaserHead, "{head}");
    }
    assert_eq!(
        line_kind("Ob das die Wähler auch interessieren wird, ist offen."),
        Line::Text
    );
    assert_eq!(
        line_kind("Noch mehr Menschen als im Vorjahr kamen zum Fest in den Stadtpark."),
        Line::Text
    );
}

#[test]
fn more_chrome_and_tail_lines() {
    use crate::chrome::{line_kind, Line};
    for line in [
        "Gefällt mir",
        "Wird geladen …",
        "Inhaltsverzeichnis",
        "Titelbild: Max Muster",
        "Beitragsbild",
        "Bewerten:",
        "Was sind Cookies?",
        "Diese Pressemitteilung als PDF herunterladen",
    ] {
        assert_eq!(line_kind(line), Line::Chrome, "{line}");
    }
    for line in [
        "Über den Autor",
        "Über die Autorin",
        "Dieser Artikel gefällt Ihnen?",
    ] {
        assert_eq!(line_kind(line), Line::Tail, "{line}");
    }
    assert_eq!(
        line_kind("Gefällt mir gut, sagt die Bürgermeisterin über den Entwurf."),
        Line::Text
    );
}

#[test]
fn credited_captions() {
    use crate::chrome::{line_kind, Line};
    for line in [
        "Die Fähre legt am Morgen ab. (Foto: Hafenamt)",
        "Anna Beispiel, Läuferin aus Kiel. © AFP / Max Muster",
        "dpa/Max Muster",
        "Erika Muster/WENN.com",
    ] {
        assert_eq!(line_kind(line), Line::Chrome, "{line}");
    }
    for line in [
        "Der Verein zählt 40 Mitglieder (Stand: 2023).",
        "Die Strecke Hamburg/Berlin ist gesperrt.",
        "Mehr als 120 Einsätze zählte die Feuerwehr in der Nacht, sagte ein Sprecher.",
    ] {
        assert_eq!(line_kind(line), Line::Text, "{line}");
    }
}

#[test]
fn bem_content_class_beats_paywall_word() {
    let html = r#"<html><body>
<header><h1>Ein Abend im Hafen</h1><p class="intro">Kurz notiert</p></header>
<div class="entry__content steady-paywall-container">
<p>Am Freitagabend trafen sich rund zweihundert Menschen am alten Hafenbecken, um gemeinsam den Sommer zu verabschieden und den Musikern zuzuhören.</p>
<p>Die Veranstalter zeigten sich zufrieden und kündigten an, das Fest im kommenden Jahr wieder auszurichten, dann mit einer größeren Bühne.</p>
</div>
<footer><p>Impressum</p></footer>
</body></html>"#;
    let text = extract(html).text;
    assert!(text.contains("zweihundert Menschen"), "{text}");
    assert!(text.contains("größeren Bühne"), "{text}");
    assert!(!text.contains("Impressum"), "{text}");
}

/// Long invented prose: `n` sentences about a topic.
fn prose(topic: &str, n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "Der {i}. Satz über {topic} erzählt, was die Leute in der Stadt davon halten und warum."
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn lede_before_the_body_block_is_kept() {
    // The teaser paragraph sits in the article header beside a link bar
    // (so the header weighs against), the body in a sibling block; no
    // <h1> right before it.
    let lede = "Die Gemeinde plant einen neuen Spielplatz am Weiher, und die Eltern dürfen bei der Gestaltung mitreden.";
    let html = format!(
        r#"<html><body><nav><a href="/">Start</a></nav>
        <main><article>
          <header><div class="kopf"><h2>Spielplatz am Weiher</h2>
            <div class="intro"><p>{lede}</p></div></div>
            <div class="werkzeuge"><a href="/f">Auf Facebook empfehlen</a> <a href="/x">Auf X empfehlen</a>
            <a href="/m">Per E-Mail weiterleiten</a> <a href="/l">Link in die Zwischenablage kopieren</a>
            <a href="/p">Seite ausdrucken</a> <a href="/s">Artikel für später merken</a></div></header>
          <div class="text"><p>{}</p><p>{}</p><p>{}</p></div>
        </article></main>
        <div class="pied"><a href="/i">Impressum</a> <a href="/d">Datenschutz</a></div>
        </body></html>"#,
        prose("den Spielplatz", 6),
        prose("die Rutsche", 6),
        prose("den Sandkasten", 6)
    );
    let p = paras(&html);
    assert_eq!(p.first().map(String::as_str), Some(lede), "{p:?}");
    assert_eq!(p.len(), 4, "{p:?}");
}

#[test]
fn teaser_text_lede_is_kept_teaser_boxes_are_not() {
    // TYPO3 news: the lede is `div.teaser-text` in the article; teaser
    // boxes elsewhere (with their own article and heading) stay chrome.
    let lede = "Der Verein hat seinen Vorstand neu gewählt und blickt auf ein Jahr mit vielen Turnieren zurück.";
    let html = format!(
        r#"<html><body><main><div class="news news-single"><div class="article">
          <div class="header"><h3>Neuer Vorstand im Schachverein</h3></div>
          <div class="teaser-text"><p>{lede}</p></div>
          <div class="news-text-wrap"><p>{}</p><p>{}</p></div>
          <div class="teasers"><h2>Weitere Themen aus dem Verein</h2>
            <article><h3>Sommerfest</h3><p>Beim Sommerfest im Park spielten die Mitglieder bis tief in die Nacht Blitzschach.</p></article>
          </div>
        </div></div></main></body></html>"#,
        prose("die Wahl", 6),
        prose("das Turnier", 6)
    );
    let p = paras(&html);
    assert!(p.iter().any(|x| x == lede), "{p:?}");
    assert!(!p.iter().any(|x| x.contains("Sommerfest")), "{p:?}");
    assert!(!p.iter().any(|x| x.contains("Weitere Themen")), "{p:?}");
}

#[test]
fn stamps_bylines_credits_and_widget_lines() {
    use crate::chrome::{line_kind, Line};
    for line in [
        // Publication and update stamps.
        "Updated 9:15 am CET, Monday, March 4, 2024",
        "Published 2024-03-04",
        "Kleinstadt | Aktualisiert: 4. März 2024, 09:15",
        // Bylines alone.
        "By Jane Example",
        "Von Anna Muster und Max Beispiel",
        // A URL alone.
        "https://zeitung.example/lokales/artikel-123.html",
        // Widget labels.
        "Caption",
        "Schließen",
        "Back to Gallery",
        "Comments",
        "Like Loading...",
        // Wire and reporting credits, licences.
        "(Reporting by Jane Example; Editing by John Sample)",
        "Jane Example contributed reporting from Rome.",
        "Dieser Text steht unter der Lizenz CC-BY-SA 4.0.",
        // Newsletter prompts anywhere in a short line.
        "Immer informiert: Jetzt den Newsletter der Redaktion abonnieren!",
        // Photo credits with an agency among slash parts.
        "Max Muster/Tagesblatt/Getty Images",
        // Enlarge buttons in front of captions, contact lines.
        "Vergrößern Die neue Brücke über die Peene im Abendlicht",
        "Kontakt: presse@verein.example",
        "Pressekontakt Verein Beispiel e. V.",
        // Gallery counters, reading times, labels.
        "Bild 3 von 12",
        "Image 1 of 5",
        "4 min read",
        "3 Minuten Lesezeit",
        "Lesezeit: 5 Minuten",
        "Comments are closed.",
        // PHP diagnostics printed into the page.
        "Deprecated: Function old_api() is deprecated in /var/www/site/lib/init.php on line 18",
        "Warning: Creating default object from empty value in /srv/www/site/lib/classes.php on line 407 and then some more words to make this line longer than two hundred bytes, as such messages often are",
        "Media playback is unsupported on your device",
        "Schriftgröße",
    ] {
        assert_eq!(line_kind(line), Line::Chrome, "{line}");
    }
    for line in [
        "Der Bericht wurde 2019 veröffentlicht und sorgte für Aufsehen.",
        "Von Berlin aus fuhr der Zug weiter nach Hamburg",
        "By then the council had already voted.",
        "Die Redaktion hat den Newsletter eingestellt, weil ihn kaum jemand las.",
        "Um 10:30 Uhr begann die Sitzung des Rates.",
        "Warning: Die Brücke ist ab Montag gesperrt.",
    ] {
        assert_eq!(line_kind(line), Line::Text, "{line}");
    }
}

#[test]
fn text_behind_a_paywall_class_is_kept() {
    let html = format!(
        r#"<html><body><article><h1>Haushalt beschlossen</h1>
          <div class="article-body"><p>{}</p><p>{}</p>
            <div class="paywall"><p>{}</p><p>{}</p></div></div>
        </article>
        <div class="paywall-promo"><a href="/abo">Jetzt Abo abschließen und alles lesen</a></div>
        </body></html>"#,
        prose("den Haushalt", 6),
        prose("die Steuern", 6),
        prose("die Schulden", 2),
        prose("die Schulen", 2)
    );
    let p = paras(&html);
    assert_eq!(p.len(), 4, "{p:?}");
    assert!(p[3].contains("die Schulen"), "{p:?}");
}

#[test]
fn page_without_prose_keeps_all_its_facts() {
    // A data sheet: short labelled facts in many blocks and one short
    // sentence; no block of prose, so every non-chrome line is text.
    let html = r#"<html><body><div class="page"><div class="sheet">
        <div class="row"><div class="label">Darreichungsform</div><div class="value">Tablette</div></div>
        <div class="row"><div class="label">Packungsgröße</div><div class="value">80 Stück</div></div>
        <div class="row"><div class="label">Gebrauchsinformation</div><div class="value">Nicht hinterlegt</div></div>
        <div class="prices"><div class="box"><p>Für dieses Mittel sind Angaben zu den Preisen verfügbar:</p></div>
          <p>Festbetrag und Zuzahlung</p></div>
        </div></div></body></html>"#;
    let p = paras(html);
    assert!(p.iter().any(|x| x == "Gebrauchsinformation"), "{p:?}");
    assert!(p.iter().any(|x| x == "Darreichungsform"), "{p:?}");
}

#[test]
fn own_paragraphs_beat_a_nested_next_article() {
    // The article's paragraphs sit straight in the story container; below
    // them a long link list and the next article (infinite scroll).
    let links: String = (0..40)
        .map(|i| {
            format!(r#"<li><a href="/a{i}">Weiterer Beitrag Nummer {i} aus dem Ressort</a></li>"#)
        })
        .collect();
    let html = format!(
        r#"<html><body><div class="story">
          <p>{}</p><p>{}</p><p>{}</p>
          <ul class="list">{links}</ul>
          <div class="next"><div class="inner"><p>{}</p><p>{}</p></div></div>
        </div></body></html>"#,
        prose("den Cocktail", 6),
        prose("die Bar", 6),
        prose("den Zucker", 6),
        prose("das Konzert", 6),
        prose("die Band", 5)
    );
    let p = paras(&html);
    assert!(p.iter().any(|x| x.contains("den Cocktail")), "{p:?}");
    assert!(p.iter().any(|x| x.contains("den Zucker")), "{p:?}");
}

#[test]
fn teaser_cards_with_linked_headings_are_no_text() {
    // The article is short; a list of cards (linked headline and a
    // sentence of prose each) holds more prose than the article.
    let cards: String = (0..6)
        .map(|i| {
            format!(
                r#"<div class="card"><h3><a href="/b{i}">Bericht {i} aus der Region</a></h3>
                <p>Im {i}. Bericht erzählen Leute aus dem Dorf, wie sich der Alltag seit dem Umbau des Bahnhofs verändert hat, und was sie sich wünschen.</p></div>"#
            )
        })
        .collect();
    let html = format!(
        r#"<html><body><main><div class="text"><p>{}</p><p>{}</p></div>
          <div class="more">{cards}</div></main></body></html>"#,
        prose("den Bahnhof", 3),
        prose("die Gleise", 3)
    );
    let p = paras(&html);
    assert!(p.iter().any(|x| x.contains("den Bahnhof")), "{p:?}");
    assert!(
        !p.iter().any(|x| x.contains("wie sich der Alltag")),
        "{p:?}"
    );
}

#[test]
fn php_warnings_are_dropped_but_do_not_sink_their_block() {
    let warnings: String = (0..12)
        .map(|i| format!("<br><b>Warning</b>: Creating default object from empty value in /srv/www/site/lib/part{i}.php on line {i}<br>"))
        .collect();
    let html = format!(
        r#"<html><body><div class="page"><div class="post">{warnings}<p>{}</p><p>{}</p></div></div>
          <div class="extra"><div class="box"><p>{}</p></div></div></body></html>"#,
        prose("den Hafen", 3),
        prose("die Fähre", 3),
        prose("das Wetter", 4)
    );
    let p = paras(&html);
    assert!(p.iter().any(|x| x.contains("den Hafen")), "{p:?}");
    assert!(!p.iter().any(|x| x.contains("on line")), "{p:?}");
}
