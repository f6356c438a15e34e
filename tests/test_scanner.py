"""The block scanner and parser on the hard cases: every block is found, at the right place."""

from __future__ import annotations

from tfguard.document import ParsedFile, cache_stats, clear_cache
from tfguard.positions import column_code_points, column_units
from tfguard.scanner import scan
from tfguard.syntax import Block, Heredoc, Literal, Reference, Template


def headers(text: str) -> list[tuple[int, str, tuple[str, ...]]]:
    parsed = ParsedFile("main.tf", text)
    return [(p.line, p.node.type, p.node.labels) for p in parsed.items if isinstance(p.node, Block)]


def test_heredoc_with_closing_brace_at_column_zero_is_text() -> None:
    text = (
        'resource "aws_iam_policy" "p" {\n'
        "  policy = <<EOF\n"
        "{\n"
        '  "Statement": []\n'
        "}\n"
        "EOF\n"
        "}\n"
        'resource "aws_kms_key" "k" {}\n'
    )
    assert headers(text) == [
        (0, "resource", ("aws_iam_policy", "p")),
        (7, "resource", ("aws_kms_key", "k")),
    ]
    policy = ParsedFile("main.tf", text).items[0].node
    assert isinstance(policy, Block)
    value = policy.attributes["policy"].value
    assert isinstance(value, Heredoc)
    assert value.literal == '{\n  "Statement": []\n}\n'


def test_strings_and_comments_with_braces_do_not_count() -> None:
    text = (
        "locals {\n"
        '  a = "{ not a block"\n'
        '  b = "${lookup(var.m, "}", "x")}"  # } {\n'
        '  c = "esc \\" {"  // {\n'
        "  /* { */ d = 1\n"
        "}\n"
        'variable "v" {}\n'
    )
    parsed = ParsedFile("main.tf", text)
    assert parsed.problems == []
    assert headers(text) == [(0, "locals", ()), (6, "variable", ("v",))]
    locals_block = parsed.items[0].node
    assert isinstance(locals_block, Block)
    assert isinstance(locals_block.attributes["b"].value, Template)
    d = locals_block.attributes["d"]
    assert isinstance(d.value, Literal) and d.value.value == 1
    # the inline comment before `d` was blanked for the parser, not moved
    assert (d.name_range.start.line, d.name_range.start.character) == (4, 10)


def test_unclosed_block_while_typing_does_not_swallow_the_rest() -> None:
    text = (
        'resource "aws_s3_bucket" "a" {\n'
        '  bucket = "a"\n'
        "\n"
        'resource "aws_s3_bucket" "b" {\n'
        '  bucket = "b"\n'
        "}\n"
    )
    parsed = ParsedFile("main.tf", text)
    assert [(p.line, p.node.labels) for p in parsed.items if isinstance(p.node, Block)] == [
        (3, ("aws_s3_bucket", "b"))
    ]
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert problem.range.start.line == 0
    assert "never closed" in problem.message


def test_half_typed_attribute_reports_one_readable_error_and_keeps_other_blocks() -> None:
    text = 'resource "aws_kms_key" "a" {\n  description =\n}\nresource "aws_kms_key" "b" {}\n'
    parsed = ParsedFile("main.tf", text)
    assert headers(text) == [(3, "resource", ("aws_kms_key", "b"))]
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert problem.range.start.line in (1, 2)
    assert "NL_OR_COMMENT" not in problem.message and "RBRACE" not in problem.message
    assert "unexpected" in problem.message


def test_unterminated_string_is_located_at_its_quote() -> None:
    text = 'resource "x" "y" {\n  a = "open\n  b = 2\n}\nvariable "v" {}\n'
    parsed = ParsedFile("main.tf", text)
    assert parsed.problems[0].range.start.line == 1
    assert parsed.problems[0].range.start.character == 6
    assert "unterminated string" in parsed.problems[0].message
    assert headers(text) == [(4, "variable", ("v",))]


def test_heredoc_marker_with_trailing_spaces_does_not_hide_resources() -> None:
    # python-hcl2 alone would read everything up to the second EOF as the first heredoc.
    text = (
        'resource "aws_iam_policy" "a" {\n'
        "  policy = <<EOF\n"
        "{}\n"
        "EOF   \n"
        "}\n"
        'resource "aws_security_group_rule" "open" {\n'
        '  type        = "ingress"\n'
        '  cidr_blocks = ["0.0.0.0/0"]\n'
        "  description = <<EOF\n"
        "text\n"
        "EOF\n"
        "}\n"
    )
    parsed = ParsedFile("main.tf", text)
    assert parsed.problems == []
    assert [p.node.labels for p in parsed.items if isinstance(p.node, Block)] == [
        ("aws_iam_policy", "a"),
        ("aws_security_group_rule", "open"),
    ]
    first = parsed.items[0].node
    assert isinstance(first, Block)
    heredoc = first.attributes["policy"].value
    assert isinstance(heredoc, Heredoc) and heredoc.literal == "{}\n"


def test_indented_heredoc_is_trimmed() -> None:
    text = "locals {\n  x = <<-EOT\n    a\n      b\n    EOT\n}\n"
    block = ParsedFile("main.tf", text).items[0].node
    assert isinstance(block, Block)
    value = block.attributes["x"].value
    assert isinstance(value, Heredoc) and value.literal == "a\n  b\n"


def test_crlf_bom_tabs_and_non_ascii_keep_exact_ranges() -> None:
    text = (
        '\ufeffresource "aws_s3_bucket" "b" {\r\n'
        '\ttags = { Name = "données 🚀" }\r\n'
        '\tacl = "public-read"\r\n'
        "}\r\n"
    )
    parsed = ParsedFile("main.tf", text)
    assert parsed.problems == []
    block = parsed.items[0].node
    assert isinstance(block, Block)
    acl = block.attributes["acl"]
    assert (acl.range.start.line, acl.range.start.character) == (2, 1)
    assert (acl.range.end.line, acl.range.end.character) == (2, 20)
    tags = block.attributes["tags"]
    line = parsed.line_text(1)
    assert line.endswith("}")  # the \r is not part of the line
    assert tags.range.end.character == len(line)
    # The emoji is one code point, two UTF-16 units and four UTF-8 bytes.
    assert column_units(line, len(line), "utf-16") == len(line) + 1
    assert column_units(line, len(line), "utf-8") == len(line.encode("utf-8"))
    assert column_code_points(line, column_units(line, 30, "utf-16"), "utf-16") == 30


def test_tfvars_top_level_attributes_spanning_lines() -> None:
    text = 'region = "eu-west-1"\ntags = {\n  team = "core"\n}\ncidrs = [\n  "10.0.0.0/8",\n]\n'
    scanned = scan(text)
    assert [(i.first_line, i.last_line) for i in scanned.items] == [(0, 0), (1, 3), (4, 6)]


def test_references_and_expression_kinds() -> None:
    text = (
        'resource "aws_s3_bucket_public_access_block" "b" {\n'
        "  bucket = aws_s3_bucket.logs[0].id\n"
        '  x      = var.on ? "a" : "b"\n'
        "}\n"
    )
    block = ParsedFile("main.tf", text).items[0].node
    assert isinstance(block, Block)
    ref = block.attributes["bucket"].value
    assert isinstance(ref, Reference)
    assert ref.steps == ("aws_s3_bucket", "logs", 0, "id")
    assert ref.address() == "aws_s3_bucket.logs"
    assert ref.text == "aws_s3_bucket.logs[0].id"


def test_edit_reparses_only_the_changed_block_and_moved_blocks_hit_the_cache() -> None:
    blocks = [
        f'resource "aws_kms_key" "k{i}" {{\n  description = "key {i}"\n}}\n' for i in range(20)
    ]
    text = "\n".join(blocks)
    clear_cache()
    ParsedFile("main.tf", text)
    assert cache_stats()["misses"] == 20
    edited = text.replace('"key 7"', '"key 77"')
    ParsedFile("main.tf", edited)
    assert cache_stats()["misses"] == 21
    moved = "# a new comment line\n\n" + edited
    ParsedFile("main.tf", moved)
    assert cache_stats()["misses"] == 21  # every block moved down two lines: all hits
