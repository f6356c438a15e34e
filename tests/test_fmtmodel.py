"""The model of terraform fmt's line layout (tfguard.fmtmodel), on the cases hclwrite's
formatter decides: runs of aligned "=", what ends a run, indentation, trailing comments."""

from __future__ import annotations

import pytest

from tfguard.fmtmodel import format_text, run_of, unformatted


def test_a_run_of_single_line_attributes_aligns_its_equals_signs() -> None:
    text = 'resource "aws_kms_key" "k" {\n  description = "x"\n  enable_key_rotation = true\n}\n'
    assert format_text(text) == (
        'resource "aws_kms_key" "k" {\n'
        '  description         = "x"\n'
        "  enable_key_rotation = true\n"
        "}\n"
    )
    assert unformatted(text) == [1]


@pytest.mark.parametrize(
    "separator",
    ["\n", "  # a comment line\n", "  tags = {\n    a = 1\n  }\n", "  nested {\n  }\n"],
    ids=["blank line", "comment line", "multi-line value", "nested block"],
)
def test_runs_end_at_a_blank_line_a_comment_a_multi_line_value_or_a_block(separator: str) -> None:
    text = f'resource "x" "y" {{\n  a = 1\n{separator}  longer_name = 2\n}}\n'
    assert unformatted(text) == []  # each run aligned on its own


def test_a_misaligned_run_is_aligned_one_column_after_its_longest_name() -> None:
    text = 'output "o" {\n  value = 1\n  description   = "x"\n  sensitive = true\n}\n'
    assert format_text(text).split("\n")[1:4] == [
        "  value       = 1",
        '  description = "x"',
        "  sensitive   = true",
    ]


def test_one_space_after_the_equals_sign_and_no_trailing_blanks() -> None:
    assert format_text('x "y" {\n  a =   1   \n  b=2\n}\n') == 'x "y" {\n  a = 1\n  b = 2\n}\n'


def test_indentation_is_two_spaces_per_open_bracket_counted_per_line() -> None:
    text = 'a "b" {\n      c = {\n d = 1\n  }\n    e {\n f = [\n  1,\n ]\n }\n}\n'
    assert format_text(text) == (
        'a "b" {\n  c = {\n    d = 1\n  }\n  e {\n    f = [\n      1,\n    ]\n  }\n}\n'
    )


def test_a_closing_and_opening_brace_on_one_line_stays_at_the_inner_level() -> None:
    # hclwrite counts brackets per line: "}, {" closes and opens one, so it keeps the level of
    # the lines inside (hashicorp/terraform#35260).
    text = "x = [{\n  a = 1\n  }, {\n  a = 2\n}]\n"
    assert format_text(text).split("\n")[2] == "  }, {"


def test_trailing_comments_of_consecutive_lines_are_aligned() -> None:
    text = 'x "y" {\n  a = 1 # one\n  bb = 22 # two\n  ccc = 3\n}\n'
    assert format_text(text).split("\n")[1:4] == [
        "  a   = 1  # one",
        "  bb  = 22 # two",
        "  ccc = 3",
    ]


def test_heredoc_bodies_are_left_alone_and_the_opening_line_aligns() -> None:
    text = 'r "x" {\n  name = "p"\n  policy = <<EOF\n   keep   = this\nEOF\n  z = 1\n}\n'
    formatted = format_text(text).split("\n")
    assert formatted[1:5] == ['  name   = "p"', "  policy = <<EOF", "   keep   = this", "EOF"]
    assert formatted[5] == "  z = 1"  # a new run after the heredoc


def test_strings_comments_and_operators_do_not_open_brackets_or_assignments() -> None:
    text = 'r "x" {\n  a = "{[(" # ]\n  bb = x == y ? "=" : "}"\n  c = { d = 1 }\n}\n'
    assert format_text(text).split("\n")[1:4] == [
        '  a  = "{[(" # ]',
        '  bb = x == y ? "=" : "}"',
        "  c  = { d = 1 }",
    ]


def test_crlf_is_kept_and_without_reindent_the_indentation_is_kept() -> None:
    text = 'r "x" {\r\n\ta = 1\r\n\tlonger = 2\r\n}\r\n'
    assert format_text(text, reindent=False) == 'r "x" {\r\n\ta      = 1\r\n\tlonger = 2\r\n}\r\n'
    assert format_text(text) == 'r "x" {\r\n  a      = 1\r\n  longer = 2\r\n}\r\n'


def test_run_of_is_the_aligned_run_or_the_line_alone() -> None:
    text = 'r "x" {\n  a = 1\n  b = 2\n\n  c = 3\n  d {\n  }\n}\n'
    assert run_of(text, 1) == range(1, 3)
    assert run_of(text, 4) == range(4, 5)
    assert run_of(text, 5) == range(5, 6)  # a block header is in no run


def test_formatted_text_is_a_fixed_point() -> None:
    text = 'r "x" {\n a=1\n    bbb = { c = 1 }  # x\n  d {\n e=[1,\n2]\n}\n}\n'
    once = format_text(text)
    assert format_text(once) == once and unformatted(once) == []
