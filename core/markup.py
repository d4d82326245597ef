"""Text from users, made safe to show in Streamlit's markdown (captions, notes, errors, labels).

Anything a user gave (a link's value, a file name, a class name, an imported model's text) is shown through
`escape_markdown`, once, where it meets a markdown element: it can then only ever be plain text. No markup
from a URL renders: no link, no image, no heading, no emphasis, no LaTeX, no HTML, no colour or icon
directive, and no bare web address or e-mail address turned into a link.

Example
-------
>>> escape_markdown("[Log in](https://evil.example)")
'\\\\[Log in\\\\]\\\\(https\\u200b\\\\:\\\\/\\\\/evil\\\\.example\\\\)'
>>> escape_markdown("yes\\n===")
'yes ==='
"""

import re
import string
import unicodedata

# CommonMark lets a backslash escape any ASCII punctuation character, and an escaped one is always literal
# text. Escaping all of them (not only today's markup characters) also covers Streamlit's extensions:
# :material/icon: and :red[colour], $LaTeX$, GFM autolinks (www.x.y, https://..., a@b.c) and tables (|).
# Except "=": it is markup only on the line under a heading's text, and no line break survives below, so
# "steps=abc" stays readable in the page's source too.
_PUNCTUATION = frozenset(string.punctuation) - {"="}


# Streamlit's markdown (remark-gfm) turns bare addresses into links after escapes are read, so "www\.x\.y"
# still becomes a link. A zero-width space where such an address would start breaks the pattern without
# changing what the student reads: between "www" and ".", and before every ":" (https:, mailto:) and "@".
_ZERO_WIDTH_SPACE = "\u200b"
# What remark-gfm would turn into a link in the text as shown (escapes read): for is_plain_text.
_BARE_ADDRESS = re.compile(r"(?i)https?://|www\.|mailto:|xmpp:|[-.\w+]@")


def escape_markdown(text) -> str:
    """`text` as plain text for Streamlit's markdown: every ASCII punctuation mark backslash-escaped, every
    line break or other control character turned into a space (a newline could start a heading or a list),
    and a zero-width space where a bare web or e-mail address would begin (see _ZERO_WIDTH_SPACE).

    Parameters
    ----------
    text : object
        Turned into a string with str().

    Returns
    -------
    str
        Shows exactly as `text` reads (on one line), never as markup.
    """
    out, last3 = [], ""
    for ch in str(text):
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") or ch.isspace():
            ch = " "  # newlines, tabs, \u2028, zero-width and direction marks: one plain space
        if ch in ":@" or (ch == "." and last3 == "www"):
            out.append(_ZERO_WIDTH_SPACE)
        out.append("\\" + ch if ch in _PUNCTUATION else ch)
        last3 = (last3 + ch.lower())[-3:]
    return "".join(out)


def is_plain_text(source: str) -> bool:
    """True if markdown `source` can only show as plain text: one line, every ASCII punctuation mark (but "=")
    escaped by a backslash, and no bare web or e-mail address that would become a link. What escape_markdown
    guarantees; the tests and the link fuzzer (benchmarks/fuzz_links.py) check every note a page shows.

    >>> is_plain_text(escape_markdown("[x](y)")), is_plain_text("[x](y)"), is_plain_text("a\\n===")
    (True, False, False)
    """
    if any(ch in source for ch in "\n\r\u2028\u2029"):
        return False
    shown = re.sub(r"\\\\(.)", r"\\1", source)
    if _BARE_ADDRESS.search(shown):
        return False
    escaped = False
    for ch in source:
        if escaped:
            if ch not in _PUNCTUATION:
                return False  # a backslash before a letter shows as a backslash: not what escaping writes
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in _PUNCTUATION:
            return False
    return not escaped


def as_read(source: str) -> str:
    """What a reader sees of markdown `source` written with escape_markdown: the backslash escapes read and the
    zero-width spaces gone (for tests that check a page's exact words).

    >>> as_read(escape_markdown("It flies off, or keeps bouncing: www.x.y"))
    'It flies off, or keeps bouncing: www.x.y'
    """
    return re.sub(r"\\(.)", r"\1", source).replace(_ZERO_WIDTH_SPACE, "")


# The app's own plain-text notation that reads better typeset: λ_max (the Hessian's largest eigenvalue), with the
# factor written before it ("2/λ_max", "αλ_max", "α·λ_max") kept in the same formula so a line never breaks inside.
# Only the unescaped "_" matches: text from a user, escaped by escape_markdown ("λ\_max"), is never touched.
_LAM_MAX = re.compile(r"(\d+(?:\.\d+)?/|α·?)?λ_max")
_FACTOR = {"α": r"\alpha", "α·": r"\alpha{\cdot}"}   # {\cdot}: no spacing, as the text writes it


def notation(text: str) -> str:
    """`text` (the app's own words, for a markdown element) with λ_max typeset as Streamlit's inline LaTeX, so it
    shows as λ with a subscript "max" and not "λ_max"; text without it comes back unchanged.

    >>> notation("α between 1/λ_max and 2/λ_max, (1 − αλ_max)")
    'α between $1/\\\\lambda_{\\\\max}$ and $2/\\\\lambda_{\\\\max}$, (1 − $\\\\alpha\\\\lambda_{\\\\max}$)'
    >>> notation(escape_markdown("λ_max")) == escape_markdown("λ_max")
    True
    """
    return _LAM_MAX.sub(_typeset, str(text))


def own_words(text: str) -> str:
    """The app's own `text` for a markdown element as escape_markdown shows it (every character as written), but
    with λ_max typeset as notation() does: for words that are escaped whole because they hold "*", "[" or "www.".

    >>> own_words("α is above 2/λ_max (see *np.dot*).")
    'α is above $2/\\\\lambda_{\\\\max}$ \\\\(see \\\\*np\\\\.dot\\\\*\\\\)\\\\.'
    """
    text, out, last = str(text), [], 0
    for match in _LAM_MAX.finditer(text):
        out += [escape_markdown(text[last:match.start()]), _typeset(match)]
        last = match.end()
    return "".join(out + [escape_markdown(text[last:])])


def _typeset(match) -> str:
    factor = match.group(1) or ""
    return "$" + _FACTOR.get(factor, factor) + r"\lambda_{\max}$"
