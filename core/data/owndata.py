"""Your own data on the basin: read an uploaded CSV file, then everything the basin needs from it.

The file (checked once, here, at the boundary; every problem is one plain sentence in an InputError):
- UTF-8 text (a byte-order mark is fine), at most MAX_BYTES bytes and MAX_ROWS rows of data;
- separated by commas, semicolons or tabs: whichever splits the header line into the most columns (on a tie, a
  semicolon if the line holds one, else a comma; a first line such as sep=;, which Excel writes, names it), read
  with the standard library's csv module (quotes as a spreadsheet writes them). Semicolon- and tab-separated files
  may write decimals with a comma (1,5), as Excel does where the comma is the decimal mark; in such a file dots that
  group three digits are thousands dots (1.500 is 1500, 6.410,5 is 6410.5). Without decimal commas a tab-separated
  file's dots are decimal points; in a semicolon-separated one the feature column's other values decide (6.41:
  dots are decimal points; 12.345.678: thousands dots), and a value such as 1.500 that could be either is refused
  rather than guessed (_thousands). Commas may group thousands where the dot is the decimal mark: quoted after
  commas ("1,500", "12,345.5"), and after tabs when the file's other values say so (1,500.25, 6.41; a tab file's
  1,500 with nothing to decide is refused, _tab_commas). Spaces that group three digits (1 500, also no-break
  spaces, as French spreadsheets write them) are thousands spaces in any file (_commas);
- a header row naming the columns (a first row of numbers is no header), then one row per example; blank lines
  are skipped;
- one feature column (numbers) and one label column (0 or 1, both classes present); an empty cell, NA, NaN, null
  or #N/A is a missing value, refused as such with its line, and yes/no or true/false labels are refused with
  what to write instead (0 and 1: which word is the class 1 is for the student to say).

Which columns: with exactly two columns and no names given, the label is the column whose every value is 0 or 1
when only one of them is (size,malignant and malignant,size both work); when neither is, the one whose values are
all but a few 0 or 1 (a typo, or yes/no words: the refusal then names its first bad value, not the feature's
first value); otherwise the first is the feature and the second the label (label_columns says when both are 0/1,
so the page can offer the choice). With more columns the caller must name both (csv_columns lists them for a
choice box, default_columns says which to offer first: the 0/1 column wherever it is, and not an id column as the
feature); a file with more columns and no choice gets an InputError that lists the columns. OwnData.read_as says
how a file was read: its separator when it is not a comma, decimal commas and thousands marks, and which column
is the label when the values decided it.

The feature is standardised as the bundled real sets are (core.data.datasets): x = (x_raw − mean) / std, with the
standard deviation over the m examples, so the basin's axes and learning rates mean the same for every file.

Then, for the logistic neuron (log-loss) and the linear neuron (squared error), at the data's λ:
basin_numbers gives the minimum (w*, b*) and J* (Newton's method, core.maths.surfaces.find_minimum) or "no finite
minimum" (without λ: separable classes, or classes that overlap only at one value; or Newton's method found none),
and λ_max with the learning-rate limits (core.maths.optimisers.rate_limits);
basin_grid draws J(w, b) on a grid fast enough for 10,000 rows (to within 4e-8 of core.maths.surfaces.cost_grid).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import itertools
import re
from dataclasses import dataclass

import numpy as np

from core.data.datasets import OneFeature, is_separable
from core.errors import InputError
from core.maths.optimisers import RateLimits, rate_limits

MAX_BYTES = 2_000_000          # 2 MB: ten thousand rows of a few columns fit easily (Streamlit's uploader, which
                               # counts 2 MB as 2 × 2²⁰ bytes, lets up to 2,097,152 through: the message says bytes)
MAX_ROWS = 10_000              # rows of data, not counting the header
MAX_COLUMNS = 50
MAX_ABS = 1e15                 # larger values overflow the standardisation's squares
OWN = "own"                    # the Cost basin's Dataset setting for the student's own data
LIMITS_TEXT = ("at most 10,000 rows of data and 2 MB, UTF-8, separated by commas, semicolons or tabs, with a "
               "header row")
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}   # in the order a tie is settled
# Separators that leave the comma free to be the decimal mark (1,5), as Excel writes where the comma is one: its
# "CSV (semicolon)" and "Text (tab-delimited)" files
COMMA_DECIMALS = (";", "\t")

# A plain decimal number: 3, -2.5, .5, 1e-3 (ASCII digits only; no "nan", "inf", "1_000" or "١٢").
NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
NOT_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
# How spreadsheets and data tools write a missing value (pandas NaN, R's NA, Excel's #N/A, SQL's null).
MISSING = {"na", "n/a", "#n/a", "nan", "+nan", "-nan", "null", "none"}
# Dots that may group thousands, as Excel writes numbers where the comma is the decimal mark: 1.500, 12.345.678,
# 6.410,5 (never 0.500: no number starts with a group of zeros).
GROUPED = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?")
DECIMAL_COMMA = re.compile(r"[+-]?(?:[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[0-9]*),[0-9]+")     # 1,5  ,5  6.410,5
# Commas that group thousands, as Excel writes numbers where the dot is the decimal mark: "1,500" (quoted after
# commas), 12,345,678.25 (never 0,500: no number starts with a group of zeros)
COMMA_GROUPED = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?")
# Spaces that group thousands, as French or Swedish spreadsheets and SI style write them: 1 500, 12 345,5,
# 1 500.25, with a space, a no-break space or a narrow no-break space. A space is never a decimal mark, so such a
# value is read in any file.
SPACE_MARKS = " \u00a0\u202f"
SPACED = re.compile(f"[+-]?[1-9][0-9]{{0,2}}(?:[{SPACE_MARKS}][0-9]{{3}})+(?:[.,][0-9]+)?")
# Words a spreadsheet writes for a yes/no column (in English, German and French Excel), as (0, 1)
WORDS = {w: pair for pair in (("no", "yes"), ("false", "true"), ("falsch", "wahr"), ("faux", "vrai"),
                              ("nein", "ja"), ("non", "oui")) for w in pair}


@dataclass(frozen=True)
class OwnData:
    """An uploaded 1-feature data set, ready for the basin.

    x : ndarray of shape (1, m)      the feature, standardised: (x_raw − mean) / std
    y : ndarray of shape (1, m)      labels, 0.0 or 1.0
    x_raw : ndarray of shape (1, m)  the feature as in the file
    mean, std : float                of x_raw, for going back: x_raw = mean + std·x
    feature, label : str             the two columns' names
    columns : tuple of str           every column the header names
    separable : bool                 one threshold separates the classes (log-loss then has no finite minimum)
    read_as : str                    how the file was read, when not plainly (its separator, decimal commas, which
                                     column is the label), as a sentence; "" otherwise
    """

    x: np.ndarray
    y: np.ndarray
    x_raw: np.ndarray
    mean: float
    std: float
    feature: str
    label: str
    columns: tuple
    separable: bool
    read_as: str = ""

    @property
    def m(self):
        return self.x.shape[1]

    @property
    def n_ones(self):
        return int(self.y.sum())

    def one_feature(self, name="own", source="Your file"):
        """The same data as a core.data.datasets.OneFeature, for code written for the bundled sets.

        name : the data's key (the page keys own data by their content, see digest)
        source : where they came from, in a few words ("Your file tumours.csv", "Your points")
        """
        return OneFeature(
            x=self.x, y=self.y, name=name, title=f"Your data: {self.feature} → {self.label}",
            description=(f"{source}: {self.m} examples, {self.n_ones} labelled 1; {self.feature} is "
                         "standardised to mean 0 and standard deviation 1."),
            feature_label=_standardised(self.feature), separable=self.separable,
        )


def _standardised(name):
    """The feature's label on the axes: "(standardised)" once, also for points edited from a bundled set, whose
    feature is already called "mean radius (standardised)"."""
    return name if name.endswith(" (standardised)") else f"{name} (standardised)"


# ---------------------------------------------------------------- reading the file


def _text(data):
    """The file's text, after the size and encoding checks."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise InputError("The upload must be the file's bytes; read the file and try again.")
    data = bytes(data)
    if len(data) > MAX_BYTES:     # in bytes: "2.0 MB but the limit is 2 MB" would contradict itself
        raise InputError(f"The file is {len(data):,} bytes and the limit is {MAX_BYTES / 1e6:.0f} MB "
                         f"({MAX_BYTES:,} bytes); upload a smaller file ({LIMITS_TEXT}).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("The file is not UTF-8 text; save it as \"CSV UTF-8\" and upload it "
                         "again.") from None
    if not text.strip():
        raise InputError("The file is empty; upload a CSV file with a header row and rows of data.")
    return text


# Excel's first line naming the separator: sep=; (or sep=, or sep=<tab>), written for Excel to read the file back
_SEP_LINE = re.compile(r"sep=(.?)[ \t,;]*\r?\n?", re.IGNORECASE)   # sep=;;; after Excel saved it again


def _separator(text):
    """(separator, text) of the file. The separator is the one of SEPARATORS that splits its header line (its
    first non-blank line) into the most columns; on a tie a semicolon when the line holds one (6,41;0 is a row
    with a decimal comma, not two values "6" and "41;0"), else a comma. A first line such as sep=; (Excel writes
    it) names the separator and is left out of the text (blanked, so line numbers still count it).

    >>> _separator("a,b\\n1,0\\n"), _separator("6,41;0\\n4,9;1\\n")[0], _separator("sep=;\\nx;y\\n1,5;0\\n")
    ((',', 'a,b\\n1,0\\n'), ';', (';', '\\nx;y\\n1,5;0\\n'))
    """
    first = next((line for line in io.StringIO(text, newline="") if line.strip()), "")
    named = _SEP_LINE.fullmatch(first.strip(" ")) if first.lstrip(" ").lower().startswith("sep=") else None
    if named:
        sep = named.group(1)
        if sep not in SEPARATORS:
            raise InputError(f"The first line names the separator {first.strip()[4:][:10]!r}; the file must be "
                             "separated by commas, semicolons or tabs (sep=, sep=; or a tab after sep=).")
        at = text.index(first)
        ending = first[len(first.rstrip("\r\n")):]
        return sep, text[:at] + ending + text[at + len(first):]

    def columns(sep):
        try:
            return len(next(csv.reader([first], delimiter=sep, skipinitialspace=True), []))
        except csv.Error:                                # a header too long for csv: the reading says so
            return 0
    counts = {sep: columns(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=counts.get)              # max keeps the first of equals: the comma
    if best == "," and counts[";"] == counts[","] and ";" in first:
        best = ";"
    return best, text


# _quote_left_open's pieces, matched by re (in C: a 2 MB row scanned character by character in Python took 1 s)
_SPACES = re.compile(" *")
_QUOTED = re.compile(r'"[^"]*+(?:""[^"]*+)*+"')     # a quoted value: "" inside is a quote, a lone " ends it
_UNQUOTED = {sep: re.compile(f"[^{re.escape(sep)}\r\n]*") for sep in SEPARATORS}   # up to the value's end


def _quote_left_open(text, line, sep):
    """True if the row that starts on `line` (counted as csv counts lines) opens a quote (") that nothing closes,
    so that csv reads the rest of the file as one value. Scanned as csv scans: a value is quoted when it starts
    with a quote (after spaces); inside it, "" is a quote and a lone " ends it."""
    rest = "".join(itertools.islice(io.StringIO(text, newline=""), line - 1, None))
    i, n = 0, len(rest)
    while i < n:
        i = _SPACES.match(rest, i).end()
        if rest.startswith('"', i):                      # a quoted value: find its closing quote
            quoted = _QUOTED.match(rest, i)
            if quoted is None:
                return True
            i = quoted.end()
        i = _UNQUOTED[sep].match(rest, i).end()           # the rest of the value
        if i >= n or rest[i] != sep:                      # the end of the row (or of the file)
            return False
        i += 1
    return False


def _open_quote(line):
    return InputError(f'Line {line} opens a quote (") that is never closed, so the rest of the file reads as one '
                      "value; close the quote or delete it, then upload the file again.")


def _rows(text, sep=","):
    """(line number, fields) for each non-blank row, read by the csv module with this separator."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, skipinitialspace=True)
    last = sum(1 for _ in io.StringIO(text, newline=""))    # the file's last line, as csv counts lines
    start = 1                                               # the line the next row starts on
    try:
        for fields in reader:
            # A quote never closed makes csv read the rest of the file as one value, in a row that ends on the last
            # line: name the line where that quote opens, not the last line.
            if reader.line_num == last and _quote_left_open(text, start, sep):
                raise _open_quote(start)
            if any(field.strip() for field in fields):
                yield reader.line_num, [field.strip() for field in fields]
            start = reader.line_num + 1
    except csv.Error as err:
        if _quote_left_open(text, start, sep):            # a value that ran on past csv's size limit
            raise _open_quote(start) from None
        raise InputError(f"Line {max(1, reader.line_num)} could not be read as CSV ({err}); save the file as "
                         "CSV again (comma-, semicolon- or tab-separated) and upload it.") from None


def _header(fields, sep=","):
    """The column names, checked; trailing unnamed columns (a spreadsheet's extra commas) are dropped. A row of
    numbers is no header (after semicolons, 6,41 is a number too)."""
    end = len(fields)
    while end and not fields[end - 1]:               # counted, not sliced off one by one: 2 million commas took hours
        end -= 1
    fields = fields[:end]
    comma = sep in COMMA_DECIMALS
    if all(NUMBER.fullmatch(_plain(f, comma, "." if comma else ",")) for f in fields):
        raise InputError("The first row holds numbers, not column names; add a header row such as x,label.")
    if len(fields) == 1:
        raise InputError(f"The file has only one column ({fields[0][:40]!r}); it needs a feature column and a 0/1 "
                         "label column, separated by a comma, a semicolon or a tab.")
    if len(fields) > MAX_COLUMNS:
        raise InputError(f"The file has {len(fields)} columns; keep at most {MAX_COLUMNS}, including the "
                         "feature and the label.")
    for i, name in enumerate(fields, start=1):
        if not name:
            raise InputError(f"Column {i} of the header has no name; give every column a name in the "
                             "first row.")
    seen = set()
    for name in fields:
        if name in seen:
            raise InputError(f"The header names the column {name[:40]!r} twice; give each column its "
                             "own name.")
        seen.add(name)
    return tuple(fields)


def _count(n, noun):
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _list(columns):
    shown = ", ".join(repr(c[:40]) for c in columns[:10])
    return shown + (f" and {len(columns) - 10} more" if len(columns) > 10 else "")


def _choose(columns, feature, label):
    """(feature, label) by the rule in the module's docstring."""
    for what, name in (("feature", feature), ("label", label)):
        if name is not None and name not in columns:
            raise InputError(f"There is no column {str(name)[:40]!r} for the {what}; the columns are "
                             f"{_list(columns)}.")
    if feature is None and label is None:
        if len(columns) != 2:
            raise InputError(f"The file has {len(columns)} columns ({_list(columns)}); choose the feature "
                             "column and the label column.")
        return columns
    if feature is None or label is None:
        if len(columns) != 2:
            raise InputError(f"The file has {len(columns)} columns ({_list(columns)}); choose both the "
                             "feature column and the label column.")
        other = columns[1] if (feature or label) == columns[0] else columns[0]
        feature, label = (feature, other) if label is None else (other, label)
    if feature == label:
        raise InputError(f"The feature and the label are both {feature[:40]!r}; choose two different "
                         "columns.")
    return feature, label


def _plain(text, comma, thousands=""):
    """The value as a plain decimal number's text: with decimal commas (comma=True), 1,5 becomes 1.5; with
    thousands dots (thousands=".") or commas (thousands=","), marks that group three digits are dropped: 1.500 or
    1,500 becomes 1500. Spaces that group three digits are dropped in any file: 1 500 is 1500.

    >>> _plain("1,5", True), _plain("1.500", True), _plain("1.500", True, "."), _plain("6.410,5", True, ".")
    ('1.5', '1.500', '1500', '6410.5')
    >>> _plain("1,500.25", False, ","), _plain("12 345,5", True), _plain("1 500", False)
    ('1500.25', '12345.5', '1500')
    """
    if SPACED.fullmatch(text):
        text = text.translate(_NO_SPACES)
    if thousands == "." and "." in text and GROUPED.fullmatch(text):
        text = text.replace(".", "")
    elif thousands == "," and "," in text and COMMA_GROUPED.fullmatch(text):
        return text.replace(",", "")
    return text.replace(",", ".", 1) if comma and "," in text and "." not in text else text


_NO_SPACES = str.maketrans("", "", SPACE_MARKS)


def _shown(text):
    """A value as a note quotes it: its no-break spaces as plain ones."""
    return text[:20].replace("\u00a0", " ").replace("\u202f", " ")


def _decimal_commas(body):
    """True if any value of the file (a semicolon-separated one) is a number written with a decimal comma."""
    return any("," in value and DECIMAL_COMMA.fullmatch(value) for _, fields in body for value in fields)


def _thousands(body, i, column, decimal_commas):
    """Whether the dots in column i of a semicolon-separated file group thousands (True) or are decimal points
    (False); InputError when the file cannot tell.

    Where the comma is the decimal mark (German or Dutch Excel), a number formatted with a thousands separator is
    saved as 1.500 or 6.410,5; elsewhere (a dot-decimal list of values, Swiss Excel) 1.500 is one and a half. So:
    with decimal commas anywhere in the file, dots that group three digits are thousands dots; without, a value
    in the column such as 6.41 or 0.125 makes dots decimal points, and one such as 12.345.678 thousands dots; a
    column with neither but with a value such as 1.500 is refused, naming the value, rather than guessed.

    >>> body = ((2, ("1.500", "0")), (3, ("950", "1")))
    >>> _thousands(body, 0, "income", True), _thousands(body + ((4, ("6.41", "0")),), 0, "income", False)
    (True, False)
    >>> _thousands(body, 0, "income", False)
    Traceback (most recent call last):
    core.errors.InputError: Line 2: '1.500' in column 'income' could be 1.5 or 1500; write it without the \
thousands dot (1500) or with a decimal comma (1,5).
    """
    if decimal_commas:
        return True
    grouped, first = False, None
    for line, fields in body:
        value = fields[i] if i < len(fields) else ""
        if "." not in value:
            continue
        if GROUPED.fullmatch(value):
            grouped = grouped or value.count(".") > 1       # 12.345.678: only thousands dots read so
            first = first or (line, value)
        elif NUMBER.fullmatch(value):                       # 6.41, 0.125, 3.14159: a decimal point
            return False
    if grouped or first is None:
        return grouped
    line, value = first
    whole = value.replace(".", "")
    decimal = value.rstrip("0") + ("0" if value.rstrip("0").endswith(".") else "")
    raise InputError(f"Line {line}: {value!r} in column {column[:40]!r} could be {float(value):g} or {whole}; "
                     f"write it without the thousands dot ({whole}) or with a decimal comma "
                     f"({decimal.replace('.', ',')}).")


def _tab_commas(body, i, column):
    """(decimal commas, thousands mark) of a tab-separated file; InputError when its commas could be either.

    Excel's tab-delimited text writes numbers as its locale formats them: 6,41 and 1.200,5 where the comma is the
    decimal mark, 1,500 and 1,500.25 where it groups thousands. A value such as 6,41, 0,500 or 1.200,5 anywhere in
    the file makes commas decimal (and dots thousands dots, as after semicolons); else one such as 1,500.25,
    12,345,678 or 6.41 makes commas thousands commas; else a value such as 1,500 in the feature column could be
    either and is refused, naming both readings.

    >>> body = ((2, ("1,500", "0")), (3, ("950", "1")))
    >>> _tab_commas(body + ((4, ("6,41", "0")),), 0, "x"), _tab_commas(body + ((4, ("6.41", "0")),), 0, "x")
    ((True, '.'), (False, ','))
    >>> _tab_commas(body, 0, "income")
    Traceback (most recent call last):
    core.errors.InputError: Line 2: '1,500' in column 'income' could be 1.5 or 1500; write it without the \
thousands comma (1500) or with a decimal point (1.5).
    """
    values = [value for _, fields in body for value in fields]
    if any("," in v and DECIMAL_COMMA.fullmatch(v) and not COMMA_GROUPED.fullmatch(v) for v in values):
        return True, "."
    if any(COMMA_GROUPED.fullmatch(v) and (v.count(",") > 1 or "." in v) for v in values if "," in v) or any(
            "." in v and NUMBER.fullmatch(v) and not GROUPED.fullmatch(v) for v in values):
        return False, ","
    for line, fields in body:
        value = fields[i] if i < len(fields) else ""
        if "," in value and COMMA_GROUPED.fullmatch(value):
            whole = value.replace(",", "")
            decimal = value.replace(",", ".").rstrip("0")
            decimal += "0" if decimal.endswith(".") else ""
            raise InputError(f"Line {line}: {value[:20]!r} in column {column[:40]!r} could be "
                             f"{float(value.replace(',', '.')):g} or {whole}; write it without the thousands comma "
                             f"({whole}) or with a decimal point ({decimal}).")
    return True, ""


def _commas(sep, body, i, column):
    """(decimal commas, thousands mark: "." or "," or "") for the feature, column i, by the file's separator.

    After commas, a comma inside a value (quoted, "1,500") can only group thousands: a file that writes 1,5 for
    one and a half separates its values with semicolons. After semicolons, commas are decimal and dots may group
    thousands (_thousands); after tabs, the file's values decide (_tab_commas).
    """
    if sep == ",":
        return False, ","
    if sep == ";":
        return True, "." if _thousands(body, i, column, _decimal_commas(body)) else ""
    return _tab_commas(body, i, column)


def _missing(text, line, column):
    """The sentence for an empty cell, or one holding NA, NaN, null and the like."""
    marks = f" ({text[:20]!r} marks a missing value)" if text else ""
    return InputError(f"Line {line} has no value in column {column[:40]!r}{marks}; fill it in or delete the row.")


def _number(text, line, column, what, comma=False, thousands=""):
    """A feature value, checked (comma: decimal commas are allowed; thousands: so are thousands dots "." or
    commas ",", see _commas)."""
    plain = _plain(text, comma, thousands)
    if NUMBER.fullmatch(plain):
        value = float(plain)
        if abs(value) <= MAX_ABS:
            return value
        raise InputError(f"Line {line}: {text[:20]!r} in column {column[:40]!r} is too large; keep the "
                         f"{what} between −1e15 and 1e15.")
    if not text or text.lower() in MISSING:
        raise _missing(text, line, column)
    if text.lower() in NOT_FINITE:
        raise InputError(f"Line {line}: {text!r} in column {column[:40]!r} is not a finite number; "
                         "fill in a number or delete the row.")
    decimals = "with a dot or a comma for decimals" if comma else "with a dot for decimals"
    raise InputError(f"Line {line}: {text[:20]!r} in column {column[:40]!r} is not a number; the {what} must "
                     f"be numbers such as 3.2, {decimals}.")


def _label(text, comma=False):
    """0.0 or 1.0 for a label ("1", "1.0", "+1" and, with decimal commas, "1,0" are all 1), else None."""
    if text in ("0", "1"):                           # nearly every label: no need for the pattern
        return float(text)
    plain = _plain(text, comma)
    value = float(plain) if NUMBER.fullmatch(plain) else None
    return value if value in (0.0, 1.0) else None


def _cased(word, like):
    """word written as `like` is: NO, No or no."""
    return word.upper() if like.isupper() else word.capitalize() if like[:1].isupper() else word


def _two_numbers(body, i_y, comma=False):
    """The label column's two values, smaller first, when it holds exactly two numbers (1 and 2, −1 and 1); else
    None. Reads no more than the rows the file has (MAX_ROWS).

    >>> _two_numbers([(2, ("3.1", "2")), (3, ("0.5", "1")), (4, ("7", "2"))], 1)
    ('1', '2')
    """
    seen = {}
    for _, fields in body:
        text = fields[i_y].strip() if len(fields) > i_y else ""
        plain = _plain(text, comma)
        if not NUMBER.fullmatch(plain):
            return None
        seen.setdefault(float(plain), text)
        if len(seen) > 2:
            return None
    return tuple(seen[v] for v in sorted(seen)) if len(seen) == 2 else None


def _bad_label(text, line, column, pair=None):
    """The sentence for a label that is not 0 or 1: a missing one, a yes/no word (with what to write instead) or
    anything else. pair: the column's two numbers, smaller first, when it has exactly two (_two_numbers).

    >>> str(_bad_label("TRUE", 4, "passed"))
    "Line 4: the label 'TRUE' in column 'passed' is not 0 or 1; replace 'FALSE' with 0 and 'TRUE' with 1."
    >>> str(_bad_label("2", 3, "class", ("1", "2")))
    "Line 3: the label '2' in column 'class' is not 0 or 1; replace '1' with 0 and '2' with 1."
    """
    if not text or text.lower() in MISSING:
        return _missing(text, line, column)
    pair = (_cased(WORDS[text.lower()][0], text), _cased(WORDS[text.lower()][1], text)) \
        if text.lower() in WORDS else pair
    what = (f"replace {pair[0][:20]!r} with 0 and {pair[1][:20]!r} with 1" if pair
            else "every label must be 0 or 1")
    return InputError(f"Line {line}: the label {text[:20]!r} in column {column[:40]!r} is not 0 or 1; {what}.")


@functools.lru_cache(maxsize=1)
def _table(data):
    """(separator, columns, rows) of an uploaded file: its header checked, at most MAX_ROWS rows of data, each
    (line number, fields; a tuple, as the rows: kept for the next call with the same file, which an upload makes
    twice, label_columns then parse_csv: a 2 MB file of blank lines took 2.5 s to read three times)."""
    sep, text = _separator(_text(data))
    rows = _rows(text, sep)
    header = next(rows, None)
    if header is None:
        raise InputError("The file is empty; upload a CSV file with a header row and rows of data.")
    columns = _header(header[1], sep)
    body = tuple((line, tuple(fields)) for line, fields in itertools.islice(rows, MAX_ROWS + 1))
    if len(body) > MAX_ROWS:
        raise InputError(f"The file has more than {MAX_ROWS:,} rows of data; upload at most {MAX_ROWS:,} rows.")
    return sep, columns, body


def _zero_one(columns, body, sep):
    """The columns whose every value is 0 or 1: those that can be the label."""
    comma, out = sep in COMMA_DECIMALS, []
    for i, column in enumerate(columns):
        seen = set()                                 # each distinct value is checked once
        for _, fields in body:
            if i < len(fields) and fields[i] not in seen:
                if _label(fields[i], comma) is None:
                    break
                seen.add(fields[i])
        else:
            out.append(column)
    return tuple(out)


def _not_labels(body, i, comma):
    """How many values of column i are neither 0 or 1 nor a yes/no word (each distinct value checked once)."""
    verdicts, bad = {}, 0
    for _, fields in body:
        value = fields[i] if i < len(fields) else ""
        ok = verdicts.get(value)
        if ok is None:
            ok = verdicts[value] = _label(value, comma) is not None or value.lower() in WORDS
        bad += not ok
    return bad


def _likely_label(columns, body, sep, exclude=()):
    """The column meant as the label when none is all 0s and 1s: the one whose values are all but a few (at most
    two, or one in ten) 0 or 1 or yes/no words, with fewer others than any other column has; else None.

    >>> body = ((2, ("0", "6.41")), (3, ("1", "4.91")), (4, ("2", "3.98")))
    >>> _likely_label(("passed", "hours"), body, ",")
    'passed'
    """
    counts = {c: _not_labels(body, i, sep in COMMA_DECIMALS) for i, c in enumerate(columns) if c not in exclude}
    if not counts:
        return None
    best = min(counts, key=counts.get)
    if counts[best] <= max(2, len(body) // 10) and all(n > counts[best] for c, n in counts.items() if c != best):
        return best
    return None


def _numbers(body, i, comma):
    """Column i's values as numbers (NaN where missing), or None if any other value is not a number."""
    out = []
    for _, fields in body:
        value = fields[i] if i < len(fields) else ""
        plain = _plain(value, comma, "." if comma else ",")
        if NUMBER.fullmatch(plain):
            out.append(float(plain))
        elif not value or value.lower() in MISSING:
            out.append(np.nan)
        else:
            return None
    return np.array(out)


def _row_numbers(values):
    """True for a column that only counts the rows: 1, 2, 3, … m or 0, 1, 2, … m − 1 (at least three of them)."""
    n = values.size
    return n >= 3 and any(np.array_equal(values, np.arange(start, start + n)) for start in (0, 1))


def default_columns(data, feature=None, label=None):
    """(feature, label) the page offers first for an uploaded file; either may be given (the student chose it)
    and the other is chosen to go with it.

    The label is the one column whose values are all 0 or 1 (with several, the last of them; with none, the
    column that is all but a few values 0 or 1, see _likely_label; else the last column). The feature is the
    first other column of numbers that does not just count the rows (an id column 1, 2, 3, …), else the first
    other column of numbers, else the first other column.

    >>> default_columns(b"id,passed,hours\\n1,0,6.41\\n2,1,4.91\\n3,0,3.98\\n")
    ('hours', 'passed')
    >>> default_columns(b"passed,hours,age\\n0,6.41,20\\n1,4.91,21\\n", label="age")
    ('passed', 'age')

    Raises InputError as parse_csv does for the file as a whole (size, encoding, header, more than MAX_ROWS).
    """
    sep, columns, body = _table(data)
    comma = sep in COMMA_DECIMALS
    if label is None:
        others = tuple(c for c in columns if c != feature)
        zero_one = [c for c in _zero_one(columns, body, sep) if c != feature]
        label = (zero_one[-1] if zero_one else _likely_label(columns, body, sep, exclude=(feature,))
                 or (others[-1] if others else columns[-1]))
    if feature is None:
        others = [(c, _numbers(body, columns.index(c), comma)) for c in columns if c != label]
        ranked = ([c for c, v in others if v is not None and not _row_numbers(v)]
                  + [c for c, v in others if v is not None] + [c for c, _ in others] + [columns[0]])
        feature = ranked[0]
    return feature, label


def csv_columns(data):
    """The column names of an uploaded CSV file's header, for a choice box.

    Parameters
    ----------
    data : bytes
        The file as uploaded.

    Returns
    -------
    tuple of str

    Raises InputError for a file that is too big, not UTF-8, empty or without a usable header.
    """
    sep, text = _separator(_text(data))
    for _, fields in _rows(text, sep):
        return _header(fields, sep)
    raise InputError("The file is empty; upload a CSV file with a header row and rows of data.")


def label_columns(data):
    """The columns of an uploaded CSV file whose every value is 0 or 1, any of which could be the label (with two
    columns both 0/1, the page lets the student choose).

    >>> label_columns(b"passed,hours\\n0,1.5\\n1,6\\n"), label_columns(b"a,b\\n0,1\\n1,1\\n")
    (('passed',), ('a', 'b'))

    Raises InputError as parse_csv does for the file as a whole (size, encoding, header, more than MAX_ROWS).
    """
    sep, columns, body = _table(data)
    return _zero_one(columns, body, sep)


def parse_csv(data, feature=None, label=None, standardise=True):
    """Read an uploaded CSV file of one feature column and one 0/1 label column.

    Parameters
    ----------
    data : bytes
        The file as uploaded: UTF-8 (a byte-order mark is fine), at most MAX_BYTES bytes and MAX_ROWS rows
        of data after a header row; separated by commas, semicolons (decimal commas allowed) or tabs.
    feature, label : str or None, default=None
        The columns to use, by their header names. With two columns they may be left out (the label is the one
        column of 0s and 1s, or else the one nearly all 0s and 1s, or else the second); with more, name both.
    standardise : bool, default=True
        Rescale the feature to mean 0 and standard deviation 1, as the bundled real sets are.

    Returns
    -------
    OwnData
        x and y of shape (1, m); read_as says how the file was read when that was not plainly.

    Raises
    ------
    InputError
        One plain sentence saying what was wrong and what to do: too many bytes, not UTF-8, empty, no header,
        a quote never closed, wrong or missing columns, text, a missing value or infinity among the numbers, a
        value such as 1.500 (after semicolons) or 1,500 (after tabs) that could be 1.5 or 1500, labels other than
        0 and 1, more rows than MAX_ROWS, a
        single class, or a feature with one value only.

    Examples
    --------
    >>> own = parse_csv(b"size,malignant\\n1.0,0\\n2.0,0\\n3.0,1\\n4.0,1\\n")
    >>> own.x.round(3).tolist(), own.y.tolist(), own.separable
    ([[-1.342, -0.447, 0.447, 1.342]], [[0.0, 0.0, 1.0, 1.0]], True)
    >>> own = parse_csv(b"malignant;size\\n0;1,5\\n1;3\\n")
    >>> own.feature, own.label, own.x_raw.tolist()
    ('size', 'malignant', [[1.5, 3.0]])
    >>> own.read_as.startswith("Read as semicolon-separated with decimal commas; 'size' is the feature")
    True
    """
    sep, columns, body = _table(data)
    comma = sep in COMMA_DECIMALS
    notes = [f"read as {SEPARATORS[sep]}-separated"] if sep != "," else []
    if feature is None and label is None and len(columns) == 2:
        zero_one = _zero_one(columns, body, sep)
        if len(zero_one) == 1:                            # that one is the label, whichever side it is on
            label = zero_one[0]
            feature = columns[1] if label == columns[0] else columns[0]
            notes.append(f"{feature[:40]!r} is the feature and {label[:40]!r} the label (its only values are 0 "
                         "and 1)")
        elif not zero_one:        # a typo among the labels (or yes/no): blame the label column, not the feature
            label = _likely_label(columns, body, sep)
    feature, label = _choose(columns, feature, label)
    i_x, i_y = columns.index(feature), columns.index(label)
    comma, thousands = _commas(sep, body, i_x, feature)
    xs, ys, decimal_commas, marks = [], [], False, {}
    for line, fields in body:
        if len(fields) < len(columns):
            raise InputError(f"Line {line} has {_count(len(fields), 'value')} but the header names "
                             f"{len(columns)} columns; give every row one value per column.")
        if any(fields[len(columns):]):
            raise InputError(f"Line {line} has more values than the header has columns; give every row one "
                             "value per column.")
        text = fields[i_x]
        xs.append(_number(text, line, feature, "feature values", comma, thousands))
        value = fields[i_y]
        y = _label(value, comma)
        if y is None:
            raise _bad_label(value, line, label, _two_numbers(body, i_y, comma))
        ys.append(y)
        decimal_commas = decimal_commas or (comma and "," in text + value)
        if len(marks) < 3 and not text.isdigit():             # the first value read with each kind of mark
            for mark, grouped, used in (("dots", GROUPED, thousands == "."), ("commas", COMMA_GROUPED,
                                        thousands == ","), ("spaces", SPACED, True)):
                if used and mark not in marks and grouped.fullmatch(text):
                    marks[mark] = f"thousands {mark} ({_shown(text)} is {_plain(text, comma, thousands)})"
    if not xs:
        raise InputError("The file has a header but no rows of data; add rows below the header.")
    how = ["decimal commas"] * decimal_commas + [marks[m] for m in ("dots", "commas", "spaces") if m in marks]
    if how:
        if sep != ",":
            notes[0] += " with " + " and ".join(how)
        else:
            notes.insert(0, "read with " + " and ".join(how))
    read_as = "; ".join(notes)
    read_as = read_as[:1].upper() + read_as[1:] + "." if read_as else ""
    return _build(xs, ys, feature, label, columns, standardise, read_as)


def _build(xs, ys, feature, label, columns, standardise=True, read_as=""):
    """OwnData from checked lists of feature values and 0/1 labels (both classes and a varying feature checked
    here)."""
    x_raw, y = np.array(xs, dtype=float), np.array(ys, dtype=float)
    if np.all(y == y[0]):
        raise InputError(f"Every label is {int(y[0])}; the data need both classes, some rows labelled 0 and "
                         "some labelled 1.")
    if np.all(x_raw == x_raw[0]):  # checked on the values: their computed spread can round to 4e-16, not 0
        raise InputError(f"Every value in column {feature[:40]!r} is {x_raw[0]:g}, so it cannot tell the "
                         "classes apart; choose a feature that varies.")
    mean, std = float(x_raw.mean()), float(x_raw.std())
    # a spread under a billionth of the values' size is rounding (1 and 1 + 2e-16), or underflows to 0 (0 and
    # 1e-300): standardising by it would only magnify rounding errors
    if not std > 1e-9 * float(np.abs(x_raw).max()):
        raise InputError(f"The values in column {feature[:40]!r} differ by too little to tell the classes apart "
                         f"(from {x_raw.min():g} to {x_raw.max():g}); choose a feature that varies more.")
    x = (x_raw - mean) / std if standardise else x_raw.copy()
    return OwnData(x=x.reshape(1, -1), y=y.reshape(1, -1), x_raw=x_raw.reshape(1, -1), mean=mean, std=std,
                   feature=feature, label=label, columns=columns, separable=is_separable(x, y), read_as=read_as)


def axis_ends(lo, hi):
    """lo and hi as text with enough digits to tell them apart at the axis's scale (1700000000 and 1700001000, not
    1.7e+09 twice).

    >>> axis_ends(0.7, 3.8), axis_ends(1_699_999_900.0, 1_700_001_100.0)
    (('0.7', '3.8'), ('1699999900', '1700001100'))
    """
    span = hi - lo
    digits = 6
    if span > 0 and np.isfinite(span):
        digits = min(17, max(6, int(np.ceil(np.log10(max(abs(lo), abs(hi)) / span))) + 4))
    return f"{lo:.{digits}g}", f"{hi:.{digits}g}"


# A point may lie this far (relative to the axis's length) outside [lo, hi]: the page rounds the axis's ends and the
# browser computes a dragged point's value in binary floating point, so an end can come back a rounding off.
EDGE_TOL = 1e-9


def from_points(points, x_range, max_rows=MAX_ROWS, feature="x", label="label", table=False):
    """OwnData from points edited on the page (the point editor or the table), checked at the boundary.

    Parameters
    ----------
    points : sequence of (x, label) pairs
        As the browser sent them: each x a finite number within x_range (give or take EDGE_TOL of its length),
        each label 0 or 1.
    x_range : (lo, hi)
        The editor's axis; a point outside it was not placed by the editor.
    max_rows : int
        At most this many points.
    feature, label : str
        The names of the two columns (the edited data keep the names of the data they came from).
    table : bool, default=False
        The points come from the table of points (x and y columns): problems are worded by row.

    Returns
    -------
    OwnData

    Raises
    ------
    InputError
        One plain sentence: not a list of points, too many, a value that is not a finite number within the axis
        (in the table: a row without x or y), a label other than 0 or 1, a single class, or every x the same.

    Examples
    --------
    >>> own = from_points([[1, 0], [2, 0], [3, 1], [4.5, 1]], (0, 10))
    >>> own.m, own.n_ones, own.x_raw.tolist()
    (4, 2, [[1.0, 2.0, 3.0, 4.5]])
    """
    lo, hi = (float(v) for v in x_range)
    tol = EDGE_TOL * max(hi - lo, 0.0)
    if not isinstance(points, (list, tuple)):
        raise InputError("The points could not be read; add, move or delete a point again.")
    if len(points) > max_rows:
        raise InputError(f"There are {len(points):,} points; keep at most {max_rows:,}.")
    if len(points) < 2:
        raise InputError("Keep at least two points, one labelled 0 and one labelled 1.")
    xs, ys = [], []
    for i, point in enumerate(points, start=1):
        if not isinstance(point, (list, tuple)) or len(point) != 2:
            raise InputError(f"Point {i} is not an (x, label) pair; add, move or delete a point again.")
        x, y = point
        try:                                  # a number too large for a float counts as not finite
            finite = not isinstance(x, bool) and isinstance(x, (int, float)) and bool(np.isfinite(float(x)))
        except OverflowError:
            finite = False
        if not finite or not lo - tol <= x <= hi + tol:
            if table and isinstance(x, float) and np.isnan(x):          # an empty cell
                raise InputError(f"Row {i} has no x; fill it in or delete the row.")
            low, high = axis_ends(lo, hi)
            if table:
                raise InputError(f"Row {i} has x = {str(x)[:20]}; type a number between {low} and {high}.")
            raise InputError(f"Point {i} has x = {str(x)[:20]!r}, not a number between {low} and {high}; "
                             "move it back onto the axis.")
        if isinstance(y, bool) or y not in (0, 1):
            if table and isinstance(y, float) and np.isnan(y):
                raise InputError(f"Row {i} has no y; fill it in (0 or 1) or delete the row.")
            raise InputError(f"{'Row' if table else 'Point'} {i} has the label {str(y)[:20]!r}; every label must "
                             "be 0 or 1.")
        xs.append(float(x))
        ys.append(float(y))
    return _build(xs, ys, feature, label, (feature, label))


def digest(data: OwnData):
    """A short content hash of the data (feature values, labels and the two names): the key of every cache
    entry built from them, so equal data share entries and different data never do."""
    h = hashlib.sha256()
    for a in (data.x_raw, data.y):
        h.update(np.ascontiguousarray(a, dtype=np.float64).tobytes())
    h.update(f"|{data.feature}|{data.label}".encode())
    return h.hexdigest()[:24]


# ---------------------------------------------------------------- what the basin needs, for any data


NEURONS = {"logistic": ("sigmoid", "log"), "linear": ("linear", "squared")}


@dataclass(frozen=True)
class NeuronNumbers:
    """The minimum and curvature of one neuron's cost on the data.

    neuron : {"logistic", "linear"}
    finite : bool                    False: no minimum to show (core.maths.surfaces.Minimum.reason says why)
    w_star, b_star, J_star : float or None   the minimum and its cost (None when there is none)
    limits : RateLimits              λ_max and 1/λ_max, 2/λ_max, 2(1 + β₁)/λ_max
    """

    neuron: str
    finite: bool
    w_star: float | None
    b_star: float | None
    J_star: float | None
    limits: RateLimits

    @property
    def message(self):
        """One plain sentence on the minimum."""
        mn = self.limits.minimum
        if not self.finite and mn.reason == "ties":
            return (f"There is no finite minimum: the classes overlap only at x = {mn.tie:.4g} (standardised), so "
                    "the cost keeps falling as w grows; raise λ to give the basin a bottom.")
        if not self.finite and mn.reason == "not converged":
            return ("Newton's method found no minimum (the cost was still falling where it stopped), so none is "
                    "claimed; raise λ to give the basin a bottom nearer the start.")
        if not self.finite:
            return ("There is no finite minimum: one threshold separates the classes, so the cost keeps "
                    "falling as w grows; raise λ to give the basin a bottom.")
        return (f"The minimum is at w* = {self.w_star:.4g}, b* = {self.b_star:.4g}, "
                f"where J* = {self.J_star:.4g}.")


def basin_numbers(x, y, lambd=0.0, beta1=0.9, w0=-3.0, b0=3.0):
    """The minimum, J* and λ_max of both neurons' costs on the data (bundled or uploaded).

    Parameters
    ----------
    x : ndarray of shape (1, m)
    y : ndarray of shape (1, m)
    lambd : float, default=0.0
        λ ≥ 0, the L2 strength.
    beta1 : float, default=0.9
        Momentum's β₁, for its limit 2(1 + β₁)/λ_max.
    w0, b0 : float
        The start point, where λ_max is taken when there is no finite minimum.

    Returns
    -------
    dict of {"logistic", "linear"} to NeuronNumbers
    """
    out = {}
    for neuron, (activation, loss) in NEURONS.items():
        limits = rate_limits(x, y, activation, loss, lambd, beta1, np.array([[float(w0)]]), float(b0))
        mn = limits.minimum
        finite = bool(mn.finite)
        out[neuron] = NeuronNumbers(
            neuron=neuron, finite=finite, w_star=float(mn.w[0, 0]) if finite else None,
            b_star=float(mn.b) if finite else None, J_star=float(mn.cost) if finite else None, limits=limits)
    return out


# basin_grid groups nearby x values into bins no wider than SPAN / |w|, so that |w·δ| ≤ SPAN inside a bin.
SPAN = 0.05


def _softplus_mean(u, c, W, B):
    """(1/m) Σ count·softplus(w·u + b) for every (b, w) of the grid, shape (n_b, n_w).

    u : ndarray of shape (n,)   the distinct x values, sorted
    c : ndarray of shape (n,)   their counts / m

    For each w, the x values are grouped into bins of width SPAN/|w| and softplus is expanded around each
    bin's mean μ (δ = x − μ, so Σ c·δ = 0):
      Σ c·sp(w x + b) = M0·sp(z) + sp⁽²⁾(z)·w²·M2/2 + sp⁽³⁾(z)·w³·M3/6 + R,
    with z = w μ + b, Mk = Σ c·δᵏ over the bin, sp⁽¹⁾ = σ, sp⁽²⁾ = σ(1 − σ), sp⁽³⁾ = σ(1 − σ)(1 − 2σ).
    The remainder is at most max|sp⁽⁴⁾|·SPAN⁴/24 = 0.125·0.05⁴/24 < 4e-8 in J, whatever m. When a w would need
    as many bins as there are values, every value is its own bin and the sum is exact.
    """
    out = np.empty((B.size, W.size))
    width = u[-1] - u[0]
    for j, w in enumerate(W):
        if abs(w) * width / SPAN < u.size - 1:
            bins = np.floor((u - u[0]) * (abs(w) / SPAN))           # bin number of each value, non-decreasing
            starts = np.r_[0, np.flatnonzero(np.diff(bins)) + 1]
            M0 = np.add.reduceat(c, starts)
            mu = np.add.reduceat(c * u, starts) / M0                 # each bin's weighted mean
            d = u - np.repeat(mu, np.diff(np.r_[starts, u.size]))    # δ = x − μ
            M2, M3 = np.add.reduceat(c * d * d, starts), np.add.reduceat(c * d * d * d, starts)
        else:
            mu, M0, M2, M3 = u, c, None, None
        Z = w * mu[None, :] + B[:, None]                             # (n_b, bins)
        E = np.exp(-np.abs(Z))
        column = (np.maximum(Z, 0.0) + np.log1p(E)) @ M0             # sp(z) = max(z, 0) + log(1 + e^(−|z|))
        if M2 is not None:
            A = np.where(Z >= 0, 1.0, E) / (1.0 + E)                 # σ(z), overflow-free
            s2 = A * (1.0 - A)
            column += w * w / 2 * (s2 @ M2) + w**3 / 6 * ((s2 * (1.0 - 2.0 * A)) @ M3)
        out[:, j] = column
    return out


def basin_grid(x, y, w_values, b_values, neuron="logistic", lambd=0.0):
    """J(w, b) on a grid: core.maths.surfaces.cost_grid's numbers (to 4e-8), fast enough for 10,000 examples.

    Linear neuron, J = (1/2m) Σ (wx + b − y)² + λ/(2m) w²: expanded into the data's means,
      J = ½(w²·E[x²] + 2wb·E[x] + b² − 2w·E[xy] − 2b·E[y] + E[y²]) + λ/(2m) w²,  exact and independent of m.
    Logistic neuron, L = log(1 + e^z) − yz with z = wx + b: the −yz part is −w·E[xy] − b·E[y], exact; the
      softplus part log(1 + e^z) depends on x only, so repeated x values are counted once and nearby ones are
      grouped (see _softplus_mean): its cost grows with the grid and the spread of w·x, hardly with m.

    Parameters
    ----------
    x : ndarray of shape (1, m)
    y : ndarray of shape (1, m)
    w_values : ndarray of shape (n_w,)
    b_values : ndarray of shape (n_b,)
    neuron : {"logistic", "linear"}, default="logistic"
    lambd : float, default=0.0

    Returns
    -------
    ndarray of shape (n_b, n_w)
        Rows follow b, columns follow w, as in core.maths.surfaces.
    """
    if neuron not in NEURONS:
        raise InputError(f"Unknown neuron {neuron!r}; choose one of {', '.join(NEURONS)}.")
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    W = np.asarray(w_values, dtype=float).ravel()
    B = np.asarray(b_values, dtype=float).ravel()
    m = x.size
    Ex, Ey, Exy = x.mean(), y.mean(), (x * y).mean()
    Wr, Bc = W[None, :], B[:, None]                                  # (1, n_w), (n_b, 1)
    if neuron == "linear":
        J = 0.5 * (Wr**2 * (x * x).mean() + 2 * Wr * Bc * Ex + Bc**2 - 2 * Wr * Exy - 2 * Bc * Ey
                   + (y * y).mean())
    else:
        u, counts = np.unique(x, return_counts=True)
        J = _softplus_mean(u, counts / m, W, B) - Wr * Exy - Bc * Ey
    return J + float(lambd) / (2 * m) * Wr**2
