"""Your own data: reading a CSV upload, its refusals, and the basin's numbers against references."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from core.data.datasets import ONE_FEATURE_SETS, one_feature
from core.data.owndata import (
    MAX_BYTES,
    MAX_ROWS,
    basin_grid,
    basin_numbers,
    csv_columns,
    default_columns,
    label_columns,
    parse_csv,
)
from core.errors import InputError
from core.maths.surfaces import cost_grid, hessian


def csv_bytes(x, y, header="x,label", bom=False, newline="\n"):
    text = header + newline + "".join(f"{float(a)!r},{int(b)}{newline}" for a, b in zip(x, y, strict=True))
    return ("\ufeff" if bom else "").encode() + text.encode()


def sample(seed=0, m=200, gap=None):
    rng = np.random.default_rng(seed)
    y = (rng.random(m) < 0.4).astype(float)
    y[:2] = 0, 1
    x = rng.normal(12.0, 3.0, m) + 2.5 * y
    if gap is not None:
        x = np.where(y == 1, 20 + rng.random(m), 10 - rng.random(m))
    return x, y


# ---------------------------------------------------------------- reading


def test_a_two_column_file_is_read_and_standardised_like_the_bundled_sets():
    x, y = sample()
    own = parse_csv(csv_bytes(x, y))
    assert own.feature == "x" and own.label == "label" and own.columns == ("x", "label")
    np.testing.assert_allclose(own.x_raw[0], x)
    np.testing.assert_array_equal(own.y[0], y)
    np.testing.assert_allclose(own.x[0], (x - x.mean()) / x.std())         # as core.data.datasets._standardise
    assert own.x.shape == own.y.shape == (1, 200)
    assert own.m == 200 and own.n_ones == int(y.sum()) and not own.separable
    data = own.one_feature()
    assert data.x is own.x and data.name == "own" and "standardised" in data.feature_label


def test_bom_crlf_quotes_blank_lines_spaces_and_trailing_commas_are_fine():
    text = '\ufeff"petal width", "is virginica",\r\n\r\n 1.4 , 0,\r\n"2.0",1\r\n1.5,0\r\n\r\n2.3,1\r\n'
    own = parse_csv(text.encode())
    assert own.columns == ("petal width", "is virginica")
    np.testing.assert_array_equal(own.x_raw, [[1.4, 2.0, 1.5, 2.3]])
    np.testing.assert_array_equal(own.y, [[0, 1, 0, 1]])


def test_with_more_columns_the_caller_chooses_and_the_rule_for_two():
    text = b"id,size,age,label\n1,3.0,50,0\n2,4.0,61,1\n3,2.5,40,0\n4,5.0,70,1\n"
    assert csv_columns(text) == ("id", "size", "age", "label")
    with pytest.raises(InputError, match="4 columns .*choose the feature column and the label column"):
        parse_csv(text)
    with pytest.raises(InputError, match="choose both"):
        parse_csv(text, feature="size")
    own = parse_csv(text, feature="age", label="label")
    np.testing.assert_array_equal(own.x_raw, [[50, 61, 40, 70]])
    two = b"label,size\n0,1\n1,2\n0,1.5\n"
    # was: "not 0 or 1" (the first column was the feature by rule); now the one column of 0s and 1s is the label
    own = parse_csv(two)
    assert (own.feature, own.label) == ("size", "label")
    assert "'size' is the feature and 'label' the label" in own.read_as
    with pytest.raises(InputError, match="not 0 or 1"):                 # neither is 0/1: refused (see below)
        parse_csv(b"label,size\n0,1\n2,2\n0,1.5\n")
    own = parse_csv(two, label="label")                                  # naming one names the other
    assert own.feature == "size" and own.label == "label"
    assert parse_csv(two, feature="size").label == "label"


def test_a_two_column_file_with_the_label_first_is_read_and_says_which_is_which():
    """malignant,radius was refused: "Line 2: the label '11.2' in column 'radius' is not 0 or 1"."""
    text = b"malignant,radius\n0,11.2\n1,17.9\n0,12.5\n1,15.1\n0,14.0\n1,13.2\n"
    own = parse_csv(text)
    assert (own.feature, own.label) == ("radius", "malignant")
    np.testing.assert_array_equal(own.x_raw, [[11.2, 17.9, 12.5, 15.1, 14.0, 13.2]])
    np.testing.assert_array_equal(own.y, [[0, 1, 0, 1, 0, 1]])
    assert own.read_as == "'radius' is the feature and 'malignant' the label (its only values are 0 and 1)."
    assert label_columns(text) == ("malignant",)
    both = b"smoker,label\n0,0\n1,1\n1,0\n0,1\n1,1\n"            # either could be the label: the page asks
    assert label_columns(both) == ("smoker", "label")
    own = parse_csv(both)                                            # unasked: the first is the feature
    assert (own.feature, own.label, own.read_as) == ("smoker", "label", "")
    assert parse_csv(both, feature="label", label="smoker").feature == "label"


def test_semicolon_and_tab_separated_files_are_read_with_decimal_commas_after_semicolons():
    """Excel where the comma is the decimal mark saves "CSV" as 1,5;0: refused before with "save it as
    comma-separated CSV", which that Excel cannot do."""
    own = parse_csv("größe;label\r\n1,5;0\r\n2,25;1\r\n\"3\";0\r\n4,0;1\r\n".encode())
    np.testing.assert_array_equal(own.x_raw, [[1.5, 2.25, 3.0, 4.0]])
    np.testing.assert_array_equal(own.y, [[0, 1, 0, 1]])
    assert own.read_as.startswith("Read as semicolon-separated with decimal commas; 'größe' is the feature")
    own = parse_csv(b"x;label\n1.5;0\n2;1\n3;0\n")                    # dots are fine too
    assert own.x_raw.tolist() == [[1.5, 2.0, 3.0]] and own.read_as.startswith("Read as semicolon-separated;")
    own = parse_csv(b"size\tlabel\n1.5\t0\n2\t1\n3\t1\n")
    assert own.x_raw.tolist() == [[1.5, 2.0, 3.0]] and own.read_as.startswith("Read as tab-separated;")
    assert csv_columns(b"a;b;c\n1;2;0\n") == ("a", "b", "c")
    with pytest.raises(InputError, match="'1,5' in column 'x' is not a number"):   # after commas, a dot only
        parse_csv(b'x,label\n"1,5",0\n2,1\n')
    with pytest.raises(InputError, match="'1,5,2' in column 'x' is not a number.*a dot or a comma for decimals"):
        parse_csv(b"x;label\n1,5,2;0\n2;1\n")


def test_semicolon_and_tab_files_keep_every_limit():
    rows = b"".join(b"%d;%d\n" % (i % 7, i % 2) for i in range(MAX_ROWS))
    assert parse_csv(b"x;label\n" + rows).m == MAX_ROWS
    with pytest.raises(InputError, match="more than 10,000 rows"):
        parse_csv(b"x;label\n" + rows + b"1;1\n")
    with pytest.raises(InputError, match="bytes and the limit is 2 MB"):
        parse_csv(b"x\tlabel\n" + b"1\t0\n" * (MAX_BYTES // 4))
    with pytest.raises(InputError, match="51 columns; keep at most 50"):
        parse_csv((";".join(f"c{i}" for i in range(51)) + "\n").encode())
    with pytest.raises(InputError, match="could not be read as CSV"):
        parse_csv(b"x;label\n1;0\n9" + b"9" * 200_000 + b";1\n")


def test_an_unclosed_quote_is_blamed_on_the_line_where_it_opens():
    """A stray quote at the start of line 4 of a 500-line file was reported as "Line 500 has 1 value but the
    header names 2 columns"; past csv's field size it was "Line … could not be read as CSV"."""
    rows = [f"{0.01 * i:.2f},{i % 2}" for i in range(499)]
    rows[2] = '"' + rows[2]
    with pytest.raises(InputError, match='^Line 4 opens a quote \\("\\) that is never closed'):
        parse_csv(("x,label\n" + "\n".join(rows) + "\n").encode())
    big = [f"{i}.123456789,{i % 2}" for i in range(9_000)]
    big[5] = '"' + big[5]
    with pytest.raises(InputError, match="^Line 7 opens a quote"):
        parse_csv(("x,label\n" + "\n".join(big)).encode())
    with pytest.raises(InputError, match="^Line 3 opens a quote"):           # on the last line, without a newline
        parse_csv(b'x,label\n1,0\n"2,1')
    # closed quotes, even around line breaks, are fine
    own = parse_csv(b'"size\nin mm",label\n"1.5",0\n2,1\n"3\n",0\n')
    assert own.feature == "size\nin mm" and own.x_raw.tolist() == [[1.5, 2.0, 3.0]]


def test_the_size_message_never_contradicts_itself():
    """Streamlit's uploader counts 2 MB as 2,097,152 bytes, so a 2,040,008-byte file got through to "The file is
    2.0 MB but the limit is 2 MB"."""
    data = b"x,label\n" + b"1,0\n2,1\n" * (2_040_000 // 8)
    assert len(data) == 2_040_008
    with pytest.raises(InputError) as err:
        parse_csv(data)
    assert str(err.value).startswith("The file is 2,040,008 bytes and the limit is 2 MB (2,000,000 bytes);")


def test_a_tie_between_the_classes_is_worded_as_such():
    own = parse_csv(b"hours,passed\n1,0\n3,0\n5,0\n5,1\n7,1\n9,1\n")
    assert not own.separable                                         # no threshold splits them ...
    logistic = basin_numbers(own.x, own.y)["logistic"]
    assert not logistic.finite and "overlap only at x = 0 (standardised)" in logistic.message   # ... no minimum


def test_edited_bundled_points_say_standardised_once():
    from core.data.owndata import from_points

    own = from_points([[-1.0, 0], [0.5, 1], [1.0, 1]], (-2, 2), feature="mean radius (standardised)")
    assert own.one_feature().feature_label == "mean radius (standardised)"
    assert parse_csv(b"radius,label\n1,0\n2,1\n").one_feature().feature_label == "radius (standardised)"


def test_the_feature_can_stay_in_its_own_units():
    own = parse_csv(b"x,y\n1,0\n3,1\n", standardise=False)
    np.testing.assert_array_equal(own.x, [[1.0, 3.0]])
    assert own.mean == 2.0 and own.std == 1.0


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"\xef\xbb\xbf \r\n\n", "empty"),
    (b"x,label\n", "no rows of data"),
    (b"x,label\n\xff\xfe1,0\n", "not UTF-8"),
    ("x,label\n1,0\n2,1\n".encode("utf-16"), "not UTF-8"),
    (b"\"x;label\"\n1\n2\n", "only one column .*separated by a comma, a semicolon or a tab"),
    (b"x\n1\n2\n", "only one column"),
    (b"1.0,0\n2.0,1\n", "numbers, not column names"),
    (b"x,\xc3\xa9,x\n1,0,1\n", "twice"),
    (b"x,,label\n1,2,0\n", "Column 2 of the header has no name"),
    (b"x,label\n1,0\n2\n", "Line 3 has 1 value but the header names 2 columns"),
    (b"x,label\n1,0,5\n2,1\n", "more values than the header"),
    (b"x,label\n1,0\n,1\n", "Line 3 has no value in column 'x'"),
    (b"x,label\n1,0\nnan,1\n", r"Line 3 has no value in column 'x' \('nan' marks a missing value\)"),  # NaN: missing
    (b"x,label\n1,0\n-inf,1\n", "not a finite number"),
    (b"x,label\n1,0\n1e999,1\n", "too large"),
    (b"x,label\n1,0\nabc,1\n", "'abc' in column 'x' is not a number"),
    (b"x,label\n1,0\n1_000,1\n", "not a number"),
    (b"x,label\n1,0\n2,2\n", "the label '2' in column 'label' is not 0 or 1"),
    (b"x,label\n1,0\n2,yes\n", "not 0 or 1"),
    (b"x,label\n1,0\n2,0.5\n", "not 0 or 1"),
    (b"x,label\n1,1\n2,1\n", "Every label is 1; the data need both classes"),
    (b"x,label\n3,0\n3,1\n", "Every value in column 'x' is 3"),
    (b"x,label\n0,0\n0,1\n1e-300,1\n", r"differ by too little to tell the classes apart \(from 0 to 1e-300\)"),
    (b"x,label\n1,0\n2,1\n9" + b"9" * 200_000 + b",0\n", "Line 4 could not be read as CSV"),
    (b"x,label\n1,0\n2,\x00\n", "Line 3: the label .* in column 'label' is not 0 or 1"),
    (b'x,label\n1,0\n"2,1\n', 'Line 3 opens a quote \\("\\) that is never closed'),   # was "Line 3 has 1 value"
])
def test_a_bad_file_gets_one_plain_sentence(data, words):
    with pytest.raises(InputError, match=words) as err:
        parse_csv(data)
    message = str(err.value)
    assert message.endswith(".") and "\n" not in message and len(message) < 300


def test_wrong_column_names_are_refused_with_the_columns_listed():
    with pytest.raises(InputError, match="no column 'size' for the feature; the columns are 'x', 'label'"):
        parse_csv(b"x,label\n1,0\n2,1\n", feature="size", label="label")
    with pytest.raises(InputError, match="both 'x'"):
        parse_csv(b"x,label,z\n1,0,1\n2,1,2\n", feature="x", label="x")


def test_the_limits_on_rows_and_bytes():
    x = np.arange(MAX_ROWS) % 7
    y = np.arange(MAX_ROWS) % 2
    assert parse_csv(csv_bytes(x, y)).m == MAX_ROWS
    with pytest.raises(InputError, match="more than 10,000 rows of data; upload at most 10,000 rows"):
        parse_csv(csv_bytes(np.r_[x, 1], np.r_[y, 1]))
    with pytest.raises(InputError, match="the limit is 2 MB"):
        parse_csv(b"x,label\n" + b"1,0\n" * (MAX_BYTES // 4))
    with pytest.raises(InputError, match="bytes"):
        parse_csv("x,label\n1,0\n2,1\n")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_give_data_or_an_input_error(data):
    try:
        own = parse_csv(data)
    except InputError as err:
        assert str(err)
    else:
        assert np.all(np.isfinite(own.x)) and set(np.unique(own.y)) == {0.0, 1.0}


CELLS = st.sampled_from(["0", "1", "2.5", "-3e2", "", " ", "nan", "inf", "x", "label", '"', '"1,0"', "1.0",
                         "\x00", "\r", "é", ";", "1e400", ".5", "+1", "0.0", "\ufeff"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CELLS, max_size=4), max_size=8), st.sampled_from(["\n", "\r\n", "\r"]),
       st.sampled_from([None, "x", "label", "y"]))
def test_any_csv_like_text_gives_data_or_an_input_error(rows, newline, feature):
    data = newline.join(",".join(row) for row in rows).encode()
    try:
        own = parse_csv(data, feature=feature)
    except InputError as err:
        assert str(err)
    else:
        assert own.x.shape == own.y.shape and np.all(np.isfinite(own.x))


# ---------------------------------------------------------------- what Excel writes in other locales, and which column


def test_thousands_dots_in_a_semicolon_file_with_decimal_commas_are_dropped():
    """Excel where the comma is the decimal mark writes 1.000 for a thousand: mixed.csv's 1.000 beside 1,5 read as
    1.0, and 6.410,5 was refused as not a number."""
    own = parse_csv(b"hours;passed\n1,5;0\n2;0\n3,5;1\n1.000;1\n")
    assert own.x_raw.tolist() == [[1.5, 2.0, 3.5, 1000.0]]
    assert own.read_as.startswith("Read as semicolon-separated with decimal commas and thousands dots (1.000 is 1000);")
    own = parse_csv(b"income;passed\n6.410,5;0\n4.910,5;1\n12.345.678,25;0\n-1.000;1\n")
    assert own.x_raw.tolist() == [[6410.5, 4910.5, 12345678.25, -1000.0]]
    # decimal commas in another column say the same of the file
    own = parse_csv(b"income;weight;passed\n1.500;70,5;0\n950;80;1\n", feature="income", label="passed")
    assert own.x_raw.tolist() == [[1500.0, 950.0]]
    # no decimal commas, but 12.345.678 can only be thousands dots
    own = parse_csv(b"income;passed\n1.500;0\n12.345.678;1\n800;0\n")
    assert own.x_raw.tolist() == [[1500.0, 12345678.0, 800.0]]
    assert own.read_as.startswith("Read as semicolon-separated with thousands dots (1.500 is 1500);")


def test_a_dot_that_could_be_a_thousands_dot_or_a_decimal_point_is_refused_not_guessed():
    """Einkommen;Kredit with 1.500, 950, 2.300 read 1.5, 950, 2.3: the fitted minimum flipped sign, silently."""
    data = b"Einkommen;Kredit\n1.500;0\n950;0\n2.300;1\n1.200;1\n800;0\n3.100;1\n"
    with pytest.raises(InputError) as err:
        parse_csv(data)
    assert str(err.value) == ("Line 2: '1.500' in column 'Einkommen' could be 1.5 or 1500; write it without the "
                              "thousands dot (1500) or with a decimal comma (1,5).")
    with pytest.raises(InputError, match=r"^Line 3: '-2.000' .* could be -2 or -2000; .*decimal comma \(-2,0\)\.$"):
        parse_csv(b"x;y\n5;0\n-2.000;1\n")
    # written either way, it is read
    with pytest.raises(InputError, match="^Line 4: '2.300' in column 'Einkommen' could be 2.3 or 2300;"):
        parse_csv(data.replace(b"1.500", b"1500"))                     # each is named in turn
    assert parse_csv(data.replace(b".", b"")).x_raw.tolist() == [[1500, 950, 2300, 1200, 800, 3100]]
    assert parse_csv(data.replace(b"1.500", b"1,5")).x_raw.tolist() == [[1.5, 950, 2300, 1200, 800, 3100]]


@pytest.mark.parametrize("data, x", [
    (b"x;label\n1.500;0\n6.41;1\n2;0\n", [1.5, 6.41, 2.0]),         # 6.41: this file's dots are decimal points
    (b"x;label\n0.500;0\n0.25;1\n", [0.5, 0.25]),                    # no number starts with a group of zeros
    (b"x;label\n3.14159;0\n1.5;1\n", [3.14159, 1.5]),
    (b"x;label\n1.500;0\n2.300;1\n0.125;0\n", [1.5, 2.3, 0.125]),    # Swiss Excel: semicolons and decimal dots
    (b"x,label\n1.500,0\n2.300,1\n", [1.5, 2.3]),                    # after commas a dot is always a decimal point
    (b"x\tlabel\n1.500\t0\n2.300\t1\n", [1.5, 2.3]),
    (b'x,label\n"1.500",0\n950,1\n', [1.5, 950.0]),
])
def test_ordinary_decimal_dots_are_read_as_before(data, x):
    assert parse_csv(data).x_raw.tolist() == [x]


def test_a_tab_separated_file_may_write_decimal_commas():
    """Excel's "Text (tab-delimited)" where the comma is the decimal mark: 6,41 was refused ("with a dot for
    decimals"), though a tab never splits it. With decimal commas its dots group thousands, as after semicolons;
    without, they stay decimal points (never refused as ambiguous: dot-decimal tab files are common)."""
    own = parse_csv(b"hours\tpassed\n6,41\t1\n4,91\t0\n3,98\t0\n1.200,5\t1\n")
    assert own.x_raw.tolist() == [[6.41, 4.91, 3.98, 1200.5]]
    assert own.read_as.startswith("Read as tab-separated with decimal commas and thousands dots (1.200,5 is 1200.5)")
    assert parse_csv(b"x\tlabel\n1.500\t0\n2,5\t1\n").x_raw.tolist() == [[1500.0, 2.5]]
    assert parse_csv(b"x\tlabel\n1.500\t0\n2.5\t1\n").x_raw.tolist() == [[1.5, 2.5]]

def test_a_headerless_semicolon_file_with_decimal_commas_is_refused_as_having_no_header():
    """6,41;20;1 became the header (columns '6,41', '20', '1'); 6,41;1 was split at the comma into '6' and '41;1'."""
    for data in (b"6,41;20;1\n4,91;21;0\n3,98;22;0\n7,2;23;1\n", b"6,41;1\n4,91;0\n3,98;0\n7,2;1\n"):
        with pytest.raises(InputError, match="^The first row holds numbers, not column names"):
            parse_csv(data)
        with pytest.raises(InputError, match="^The first row holds numbers"):
            csv_columns(data)
    # a comma and a semicolon splitting a header equally: the semicolon (the comma is in a name)
    assert csv_columns(b"size, mm;label\n1,5;0\n") == ("size, mm", "label")
    assert csv_columns(b"size,label\n1,0\n") == ("size", "label")                 # a comma file stays one
    assert csv_columns(b'"a;b",label\n1,0\n') == ("a;b", "label")


def test_excels_sep_line_names_the_separator():
    """Excel's sep=; first line was read as the header: "The file has only one column ('sep=')"."""
    own = parse_csv(b"sep=;\r\nhours;passed\r\n6,41;0\r\n4,91;1\r\n3,98;0\r\n")
    assert own.columns == ("hours", "passed") and own.x_raw.tolist() == [[6.41, 4.91, 3.98]]
    assert own.read_as.startswith("Read as semicolon-separated with decimal commas")
    assert csv_columns(b"sep=,\na,b;c\n1,0\n") == ("a", "b;c")          # the line decides, not the header
    assert parse_csv(b"SEP=\t\nx\ty\n1\t0\n2\t1\n").x_raw.tolist() == [[1.0, 2.0]]
    with pytest.raises(InputError, match="^Line 4 has no value in column 'x'"):   # lines are counted as in the file
        parse_csv(b"sep=;\nx;y\n1;0\n;1\n")
    with pytest.raises(InputError, match=r"^The first line names the separator '\|'; the file must be separated"):
        parse_csv(b"sep=|\nx|y\n1|0\n")


def test_the_label_column_is_found_wherever_it_is_and_the_feature_is_not_a_row_number():
    """passed,hours,age and hours,passed,age offered feature passed or hours and label age: "the label '20' in
    column 'age' is not 0 or 1"; id,hours,passed offered the row numbers as the feature."""
    first = b"passed,hours,age\n0,6.41,20\n1,4.91,21\n0,3.98,22\n1,7.56,23\n"
    middle = b"hours,passed,age\n6.41,0,20\n4.91,1,21\n3.98,0,22\n7.56,1,23\n"
    ids = b"id,hours,passed\n1,6.41,0\n2,4.91,1\n3,3.98,0\n4,7.56,1\n"
    for data in (first, middle, ids, ids.replace(b"\n1,", b"\n0,").replace(b"\n2,", b"\n1,")
                 .replace(b"\n3,", b"\n2,").replace(b"\n4,", b"\n3,")):
        assert default_columns(data) == ("hours", "passed"), data
        assert parse_csv(data, *default_columns(data)).x_raw.tolist() == [[6.41, 4.91, 3.98, 7.56]]
    assert default_columns(b"name,hours,passed\nAl,6.41,0\nBo,4.91,1\n") == ("hours", "passed")   # text: not it
    assert default_columns(b"smoker,ill\n0,0\n1,1\n1,0\n") == ("smoker", "ill")   # both 0/1: the last is the label
    assert default_columns(b"a,b,c\n1,0,1\n0,1,0\n5,1,1\n") == ("a", "c")
    # one box chosen: the other goes with it
    assert default_columns(first, label="passed") == ("hours", "passed")
    assert default_columns(b"smoker,ill\n0,0\n1,1\n1,0\n", label="smoker") == ("ill", "smoker")
    assert default_columns(first, feature="age") == ("age", "passed")
    # no column of 0s and 1s: the one that is nearly all 0 and 1 (a typo), or yes/no words
    assert default_columns(first.replace(b"\n1,7.56", b"\n2,7.56")) == ("hours", "passed")
    assert default_columns(b"passed,hours,age\nno,6.41,20\nyes,4.91,21\n") == ("hours", "passed")


def test_a_typo_in_the_label_of_a_label_first_file_is_blamed_on_the_label():
    """passed,hours with a 2 on line 8 said "Line 2: the label '6.41' in column 'hours' is not 0 or 1"."""
    rows = ["0,6.41", "1,4.91", "0,3.98", "1,7.56", "0,3.48", "1,6.89", "2,5.27", "1,5.75", "0,3.04", "1,7.29"]
    with pytest.raises(InputError) as err:
        parse_csv(("passed,hours\n" + "\n".join(rows)).encode())
    assert str(err.value) == "Line 8: the label '2' in column 'passed' is not 0 or 1; every label must be 0 or 1."
    with pytest.raises(InputError, match="^Line 3: the label '2' in column 'label' is not 0 or 1"):
        parse_csv(b"label,size\n0,1\n2,2\n0,1.5\n")                 # was: the label '2' in column 'size'
    with pytest.raises(InputError, match="^Line 2: the label 'no' in column 'passed'"):
        parse_csv(b"passed,hours\nno,6.41\nyes,4.91\n")


@pytest.mark.parametrize("data, message", [
    (b"hours,passed\n6.41,0\n4.91,1\n3.98,0\n7.56,\n3.48,0\n",
     "Line 5 has no value in column 'passed'; fill it in or delete the row."),
    (b"hours,passed\n6.41,0\nNA,1\n", "Line 3 has no value in column 'hours' ('NA' marks a missing value); fill it "
                                      "in or delete the row."),
    (b"hours,passed\n6.41,0\n4.91,NaN\n", "Line 3 has no value in column 'passed' ('NaN' marks a missing value); "
                                          "fill it in or delete the row."),
    (b"hours;passed\nnull;0\n4,91;1\n", "Line 2 has no value in column 'hours' ('null' marks a missing value); "
                                        "fill it in or delete the row."),
    (b"hours,passed\n6.41,#N/A\n4.91,1\n", "Line 2 has no value in column 'passed' ('#N/A' marks a missing value); "
                                           "fill it in or delete the row."),
    (b"hours,passed\n6.41,no\n4.91,yes\n", "Line 2: the label 'no' in column 'passed' is not 0 or 1; replace 'no' "
                                           "with 0 and 'yes' with 1."),
    (b"hours,passed\n6.41,TRUE\n4.91,FALSE\n", "Line 2: the label 'TRUE' in column 'passed' is not 0 or 1; replace "
                                               "'FALSE' with 0 and 'TRUE' with 1."),
    (b"hours;passed\n6,41;Wahr\n4,91;Falsch\n", "Line 2: the label 'Wahr' in column 'passed' is not 0 or 1; replace "
                                                "'Falsch' with 0 and 'Wahr' with 1."),
])
def test_missing_values_and_yes_no_labels_are_named_as_such(data, message):
    """An empty label said "the label '' is not 0 or 1", NA in the feature "'NA' is not a number", and yes/no labels
    only "every label must be 0 or 1". Yes/no words stay refused rather than read as 0/1: which of two words is
    the class 1 is for the student to write down, as every label of the bundled sets is."""
    with pytest.raises(InputError) as err:
        parse_csv(data)
    assert str(err.value) == message


@pytest.mark.parametrize(("data", "message"), [
    (b"size,class\n1.5,1\n2.5,2\n3,2\n", "Line 3: the label '2' in column 'class' is not 0 or 1; replace '1' with "
                                          "0 and '2' with 1."),
    (b"size;class\n1,5;-1\n2,5;+1\n", "Line 2: the label '-1' in column 'class' is not 0 or 1; replace '-1' with "
                                       "0 and '+1' with 1."),
    (b"size,class\n1.5,1\n2.5,2\n3,3\n", "Line 3: the label '2' in column 'class' is not 0 or 1; every label must "
                                          "be 0 or 1."),
])
def test_two_numbers_as_labels_are_refused_with_what_to_write_instead(data, message):
    """Labels 1 and 2 (or −1 and +1) said only "every label must be 0 or 1", where yes/no words say what to write:
    the column's two numbers, the smaller as 0. Three values or more: no guess."""
    with pytest.raises(InputError) as err:
        parse_csv(data)
    assert str(err.value) == message


# ---------------------------------------------------------------- the basin's numbers


def test_the_logistic_minimum_matches_scikit_learn_unpenalised():
    x, y = sample(seed=1, m=500)
    own = parse_csv(csv_bytes(x, y))
    numbers = basin_numbers(own.x, own.y)["logistic"]
    # unpenalised: C = ∞ (scikit-learn 1.8 deprecated penalty=None in its favour; the same objective)
    sk = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(own.x.T, own.y[0])
    assert numbers.finite
    assert numbers.w_star == pytest.approx(sk.coef_[0, 0], abs=1e-6)
    assert numbers.b_star == pytest.approx(sk.intercept_[0], abs=1e-6)
    p = sk.predict_proba(own.x.T)[:, 1]
    j_sk = -np.mean(own.y[0] * np.log(p) + (1 - own.y[0]) * np.log(1 - p))
    assert numbers.J_star == pytest.approx(j_sk, abs=1e-10)
    assert f"{numbers.w_star:.4g}" in numbers.message


def test_the_logistic_minimum_with_lambda_matches_scikit_learn_with_c_one_over_lambda():
    """J = (1/m)ΣL + λ/(2m)w² has the minimiser of ΣL + (λ/2)w², scikit-learn's objective with C = 1/λ."""
    x, y = sample(seed=2, m=300)
    own = parse_csv(csv_bytes(x, y))
    for lambd in (0.5, 20.0):
        numbers = basin_numbers(own.x, own.y, lambd=lambd)["logistic"]
        sk = LogisticRegression(C=1 / lambd, tol=1e-12, max_iter=10_000).fit(own.x.T, own.y[0])
        assert numbers.w_star == pytest.approx(sk.coef_[0, 0], abs=1e-6)
        assert numbers.b_star == pytest.approx(sk.intercept_[0], abs=1e-6)


def test_the_linear_minimum_is_least_squares_and_with_lambda_the_ridge_closed_form():
    x, y = sample(seed=3, m=400)
    own = parse_csv(csv_bytes(x, y))
    xs, ys, m = own.x[0], own.y[0], own.m
    A = np.c_[xs, np.ones(m)]
    (w, b), *_ = np.linalg.lstsq(A, ys, rcond=None)
    numbers = basin_numbers(own.x, own.y)["linear"]
    assert numbers.w_star == pytest.approx(w, abs=1e-10) and numbers.b_star == pytest.approx(b, abs=1e-10)
    assert numbers.J_star == pytest.approx(np.mean((A @ [w, b] - ys) ** 2) / 2, abs=1e-12)
    # λ > 0: minimise Σ(wx + b − y)² + λw² (b is not penalised): [[Σx² + λ, Σx], [Σx, m]] [w, b] = [Σxy, Σy]
    lambd = 7.0
    w, b = np.linalg.solve([[xs @ xs + lambd, xs.sum()], [xs.sum(), m]], [xs @ ys, ys.sum()])
    numbers = basin_numbers(own.x, own.y, lambd=lambd)["linear"]
    assert numbers.w_star == pytest.approx(w, abs=1e-10) and numbers.b_star == pytest.approx(b, abs=1e-10)
    # standardised x: the linear neuron's Hessian is [[E x² + λ/m, E x], [E x, 1]] = [[1 + λ/m, 0], [0, 1]]
    assert numbers.limits.lam_max == pytest.approx(1 + lambd / m)


def test_separable_data_have_no_finite_minimum_until_lambda_gives_a_bottom():
    x, y = sample(seed=4, m=100, gap=True)
    own = parse_csv(csv_bytes(x, y))
    assert own.separable
    numbers = basin_numbers(own.x, own.y, w0=-3.0, b0=3.0)
    logistic = numbers["logistic"]
    assert not logistic.finite and logistic.w_star is None and logistic.J_star is None
    assert "no finite minimum" in logistic.message and "λ" in logistic.message
    lam = np.linalg.eigvalsh(hessian(np.array([[-3.0]]), 3.0, own.x, own.y))
    assert logistic.limits.at == "start" and logistic.limits.lam_max == pytest.approx(lam[-1])
    assert numbers["linear"].finite                                     # squared error always has a bottom
    assert basin_numbers(own.x, own.y, lambd=1.0)["logistic"].finite


def test_the_limits_follow_the_data():
    x, y = sample(seed=5)
    own = parse_csv(csv_bytes(x, y))
    numbers = basin_numbers(own.x, own.y, lambd=0.3, beta1=0.5)
    for n in numbers.values():
        lam = n.limits.lam_max
        expected = {"lam_max": lam, "smooth_below": 1 / lam, "gd_limit": 2 / lam, "momentum_limit": 3 / lam}
        assert n.limits.as_dict() == pytest.approx(expected)


@pytest.mark.parametrize("name", list(ONE_FEATURE_SETS))
@pytest.mark.parametrize("neuron, pair", [("logistic", ("sigmoid", "log")),
                                          ("linear", ("linear", "squared"))])
def test_basin_grid_is_cost_grid(name, neuron, pair):
    d = one_feature(name)
    W, B = np.linspace(-10, 10, 41), np.linspace(-8, 8, 23)
    fast = basin_grid(d.x, d.y, W, B, neuron, lambd=3.0)
    slow = cost_grid(d.x, d.y, W, B, *pair, lambd=3.0)
    assert fast.shape == slow.shape == (23, 41)
    np.testing.assert_allclose(fast, slow, rtol=0, atol=4e-8)


def test_basin_grid_on_ten_thousand_rows_with_repeats_and_an_unknown_neuron():
    rng = np.random.default_rng(6)
    y = (rng.random(10_000) < 0.5).astype(float)
    x = np.round(rng.normal(size=10_000) + y, 1).reshape(1, -1)            # many repeated values
    W = np.linspace(-5, 5, 30)
    slow = cost_grid(x, y.reshape(1, -1), W, W)
    np.testing.assert_allclose(basin_grid(x, y, W, W), slow, rtol=0, atol=4e-8)
    with pytest.raises(InputError, match="Unknown neuron"):
        basin_grid(x, y, W, W, "tanh")


@settings(max_examples=25, deadline=None)
@given(m=st.integers(2, 6000), spread=st.floats(0.01, 50), w_max=st.floats(0.1, 30),
       seed=st.integers(0, 10**6), lambd=st.sampled_from([0.0, 2.0]))
def test_basin_grid_groups_values_within_its_stated_error(m, spread, w_max, seed, lambd):
    """Many distinct values, so nearby ones share a bin: still within 4e-8 of cost_grid (the bound)."""
    rng = np.random.default_rng(seed)
    y = (rng.random(m) < 0.5).astype(float)
    x = (spread * rng.standard_t(3, size=m)).reshape(1, -1)
    W, B = np.linspace(-w_max, w_max, 17), np.linspace(-12, 12, 9)
    slow = cost_grid(x, y.reshape(1, -1), W, B, lambd=lambd)
    np.testing.assert_allclose(basin_grid(x, y, W, B, lambd=lambd), slow, rtol=0, atol=4e-8)


def test_doctests():
    import doctest

    import core.data.owndata

    assert doctest.testmod(core.data.owndata).failed == 0


# ---------------------------------------------------------------- thousands commas and spaces


def test_quoted_thousands_commas_in_a_comma_separated_file_are_read():
    """English Excel saves a number formatted with a thousands separator as "1,500" (quoted after commas): it was
    refused as not a number. A comma-separated file writes its decimals with a dot, so such a comma can only group
    thousands."""
    own = parse_csv(b'income,passed\n"1,500",0\n"2,750.5",1\n900,0\n"12,345,678",1\n')
    assert own.x_raw.tolist() == [[1500.0, 2750.5, 900.0, 12345678.0]]
    assert own.read_as.startswith("Read with thousands commas (1,500 is 1500); 'income' is the feature")
    # a decimal comma after commas is still refused (its file would be semicolon-separated), with what to write
    with pytest.raises(InputError, match=r"^Line 2: '1,5' in column 'income' is not a number; .*with a dot for "):
        parse_csv(b'income,passed\n"1,5",0\n2,1\n')
    with pytest.raises(InputError, match=r"^Line 2: '1,50' in column"):      # not a group of three digits
        parse_csv(b'income,passed\n"1,50",0\n2,1\n')


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f"])
def test_thousands_spaces_are_read_in_any_file(space):
    """French Excel and SI style group thousands with a space (a no-break or narrow no-break one in French
    spreadsheets): 1 500 was refused as not a number in every file. A space is never a decimal mark."""
    s = space
    own = parse_csv(f"revenu;admis\n1{s}500,5;0\n950;1\n12{s}345{s}678;0\n-2{s}000;1\n".encode())
    assert own.x_raw.tolist() == [[1500.5, 950.0, 12345678.0, -2000.0]]
    assert own.read_as.startswith("Read as semicolon-separated with decimal commas and thousands spaces "
                                  "(1 500,5 is 1500.5);")
    assert parse_csv(f"x\tlabel\n1{s}500.25\t0\n950\t1\n".encode()).x_raw.tolist() == [[1500.25, 950.0]]
    own = parse_csv(f"x,label\n1{s}500,0\n950,1\n".encode())
    assert own.x_raw.tolist() == [[1500.0, 950.0]]
    assert own.read_as.startswith("Read with thousands spaces (1 500 is 1500);")
    # spaces not grouping three digits are no number
    with pytest.raises(InputError, match=r"^Line 2: .* in column 'x' is not a number;"):
        parse_csv(f"x,label\n15{s}00,0\n950,1\n".encode())


def test_a_tab_separated_files_commas_are_decided_by_its_values_and_refused_when_nothing_decides():
    """Excel's tab-delimited text where the dot is the decimal mark writes 1,500 for fifteen hundred: it was read
    as 1.5 (the tab rule took any comma for a decimal comma), silently."""
    # 6.41 or 1,500.25 or 12,345,678: this file's dots are decimal points and its commas group thousands
    for other in (b"6.41", b"1,500.25", b"12,345,678"):
        own = parse_csv(b"income\tpassed\n1,500\t0\n2,750\t1\n" + other + b"\t0\n")
        assert own.x_raw.tolist()[0][:2] == [1500.0, 2750.0]
        assert "thousands commas (1,500 is 1500)" in own.read_as
    # 6,41 or 0,500 or 1.200,5: decimal commas (and dots group thousands), as before
    for other, value in ((b"6,41", 6.41), (b"0,500", 0.5), (b"1.200,5", 1200.5)):
        assert parse_csv(b"income\tpassed\n1,500\t0\n" + other + b"\t1\n").x_raw.tolist() == [[1.5, value]]
    # nothing decides: refused, naming both readings and how to write each
    with pytest.raises(InputError) as err:
        parse_csv(b"income\tpassed\n950\t0\n1,500\t0\n2,750\t1\n")
    assert str(err.value) == ("Line 3: '1,500' in column 'income' could be 1.5 or 1500; write it without the "
                              "thousands comma (1500) or with a decimal point (1.5).")
    with pytest.raises(InputError, match=r"could be -2 or -2000; .*decimal point \(-2\.0\)\.$"):
        parse_csv(b"x\ty\n5\t0\n-2,000\t1\n")
    # a comma-grouped value in another column, with nothing to decide, leaves the feature alone
    own = parse_csv(b"id\tx\ty\n1,500\t2\t0\n1,600\t3\t1\n", feature="x", label="y")
    assert own.x_raw.tolist() == [[2.0, 3.0]]


LOCALES = {   # how a spreadsheet saves 1234.5 formatted with a thousands separator, and the file's separator
    "en": (",", lambda t: f'"{t}"'),
    "en-tab": ("\t", lambda t: t),
    "de": (";", lambda t: t.replace(",", "_").replace(".", ",").replace("_", ".")),
    "de-tab": ("\t", lambda t: t.replace(",", "_").replace(".", ",").replace("_", ".")),
    "fr": (";", lambda t: t.replace(",", "\u202f").replace(".", ",")),
    "sv-tab": ("\t", lambda t: t.replace(",", "\u00a0").replace(".", ",")),
}


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(LOCALES)), st.lists(st.integers(-10**9, 10**9), min_size=2, max_size=12, unique=True),
       st.integers(1, 2))
def test_numbers_formatted_with_thousands_separators_read_back_in_every_locale(locale, cents, places):
    """Whatever locale's separators a spreadsheet wrote (with one or two decimals, so the file says which mark is
    which), each value reads back as the number it formats. With three decimals a tab file of 1,000 and −1,000
    could be either reading, and is refused (above)."""
    sep, styled = LOCALES[locale]
    values = [c / 10**places for c in cents]
    lines = [f"{styled(f'{v:,.{places}f}')}{sep}{i % 2}" for i, v in enumerate(values)]
    own = parse_csv(f"amount{sep}label\n".encode() + "\n".join(lines).encode(), standardise=False)
    assert own.x_raw.tolist() == [[float(f"{v:.{places}f}") for v in values]]
