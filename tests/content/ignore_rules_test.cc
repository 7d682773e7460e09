#include <catch2/catch.hpp>

#include <string>

#include "runtime/content/ignore_rules.h"

namespace baton::content {
namespace {

IgnoreRules Rules(std::string_view text) {
  auto rules = IgnoreRules::Parse(text, ".dockerignore");
  REQUIRE(rules.ok());
  return *rules;
}

TEST_CASE("ignore rules: star stops at a slash", "[content][ignore]") {
  IgnoreRules rules = Rules("*.log\n");
  CHECK(rules.Excludes("debug.log"));
  CHECK_FALSE(rules.Excludes("logs/debug.log"));
  CHECK_FALSE(rules.Excludes("debug.log.txt"));
}

TEST_CASE("ignore rules: double star matches any depth including none", "[content][ignore]") {
  IgnoreRules rules = Rules("**/*.tmp\n");
  CHECK(rules.Excludes("a.tmp"));
  CHECK(rules.Excludes("x/a.tmp"));
  CHECK(rules.Excludes("x/y/z/a.tmp"));
  CHECK_FALSE(rules.Excludes("x/a.tmpl"));
}

TEST_CASE("ignore rules: double star in the middle crosses folders", "[content][ignore]") {
  IgnoreRules rules = Rules("src/**/gen\n");
  CHECK(rules.Excludes("src/gen"));
  CHECK(rules.Excludes("src/a/b/gen"));
  CHECK(rules.Excludes("src/a/gen/file.c"));
  CHECK_FALSE(rules.Excludes("lib/a/gen"));
}

TEST_CASE("ignore rules: trailing double star excludes everything below", "[content][ignore]") {
  IgnoreRules rules = Rules("build/**\n");
  CHECK(rules.Excludes("build/a"));
  CHECK(rules.Excludes("build/a/b/c"));
  CHECK_FALSE(rules.Excludes("builder/a"));
}

TEST_CASE("ignore rules: question mark is one character other than a slash",
          "[content][ignore]") {
  IgnoreRules rules = Rules("file?.txt\n");
  CHECK(rules.Excludes("file1.txt"));
  CHECK_FALSE(rules.Excludes("file12.txt"));
  CHECK_FALSE(Rules("a?b\n").Excludes("a/b"));
}

TEST_CASE("ignore rules: character classes and ranges", "[content][ignore]") {
  IgnoreRules rules = Rules("v[0-9].txt\nw[^a].txt\n");
  CHECK(rules.Excludes("v3.txt"));
  CHECK_FALSE(rules.Excludes("vx.txt"));
  CHECK(rules.Excludes("wb.txt"));
  CHECK_FALSE(rules.Excludes("wa.txt"));
}

TEST_CASE("ignore rules: a folder's rule excludes what is inside it", "[content][ignore]") {
  IgnoreRules rules = Rules("node_modules\n");
  CHECK(rules.Excludes("node_modules"));
  CHECK(rules.Excludes("node_modules/x/index.js"));
  CHECK_FALSE(rules.Excludes("web/node_modules"));  // patterns are anchored at the root
}

TEST_CASE("ignore rules: exclamation mark re-includes after an exclusion",
          "[content][ignore]") {
  IgnoreRules rules = Rules("*.md\n!README.md\n");
  CHECK(rules.Excludes("CHANGES.md"));
  CHECK_FALSE(rules.Excludes("README.md"));
  CHECK(rules.has_exceptions());
  CHECK_FALSE(Rules("*.md\n").has_exceptions());
}

TEST_CASE("ignore rules: the last matching rule wins", "[content][ignore]") {
  CHECK(Rules("!README.md\n*.md\n").Excludes("README.md"));
  CHECK_FALSE(Rules("docs\n!docs/keep\n").Excludes("docs/keep/a.txt"));
  CHECK(Rules("docs\n!docs/keep\ndocs/keep/secret\n").Excludes("docs/keep/secret"));
}

TEST_CASE("ignore rules: leading slash and dot slash are dropped", "[content][ignore]") {
  IgnoreRules rules = Rules("/secret.txt\n./tmp/\nlogs//old/../new\n");
  CHECK(rules.Excludes("secret.txt"));
  CHECK(rules.Excludes("tmp/x"));
  CHECK(rules.Excludes("logs/new"));
  CHECK_FALSE(rules.Excludes("logs/old"));
}

TEST_CASE("ignore rules: comments, blank lines and surrounding spaces", "[content][ignore]") {
  IgnoreRules rules = Rules("# *.c\n\n   \n  a.txt  \r\n #b.txt\n");
  CHECK_FALSE(rules.Excludes("x.c"));
  CHECK(rules.Excludes("a.txt"));
  CHECK(rules.Excludes("#b.txt"));  // "#" only starts a comment at the line's very start
}

TEST_CASE("ignore rules: a backslash escapes a special character", "[content][ignore]") {
  IgnoreRules rules = Rules("\\*.txt\n");
  CHECK(rules.Excludes("*.txt"));
  CHECK_FALSE(rules.Excludes("a.txt"));
}

TEST_CASE("ignore rules: kept paths are never excluded", "[content][ignore]") {
  IgnoreRules rules = Rules("*\n");
  rules.KeepAlways("Dockerfile");
  rules.KeepAlways(".dockerignore");
  CHECK_FALSE(rules.Excludes("Dockerfile"));
  CHECK_FALSE(rules.Excludes(".dockerignore"));
  CHECK(rules.Excludes("main.go"));
}

TEST_CASE("ignore rules: an excluded folder is entered only when something below it may return",
          "[content][ignore]") {
  IgnoreRules rules = Rules("node_modules\nbuild\n");
  rules.KeepAlways(".dockerignore");
  rules.KeepAlways("build/Dockerfile");
  CHECK_FALSE(rules.MayReinclude("node_modules"));
  CHECK(rules.MayReinclude("build"));
  CHECK_FALSE(rules.MayReinclude("buil"));
  CHECK(Rules("node_modules\n!node_modules/keep.js\n").MayReinclude("node_modules"));
}

TEST_CASE("ignore rules: a bare exclamation mark is refused", "[content][ignore]") {
  auto rules = IgnoreRules::Parse("a\n\n!\n", "web/.dockerignore");
  REQUIRE_FALSE(rules.ok());
  CHECK(rules.error().kind == Error::Kind::kInvalid);
  CHECK(rules.error().ToString() == "web/.dockerignore:3: illegal exclusion pattern: \"!\"");
}

TEST_CASE("ignore rules: an unterminated class is refused", "[content][ignore]") {
  auto rules = IgnoreRules::Parse("[abc\n", ".dockerignore");
  REQUIRE_FALSE(rules.ok());
  CHECK(rules.error().ToString() ==
        ".dockerignore:1: bad pattern \"[abc\": unterminated \"[\"");
}

TEST_CASE("ignore rules: a range out of order is refused", "[content][ignore]") {
  auto rules = IgnoreRules::Parse("ok\nf[z-a]\n", ".dockerignore");
  REQUIRE_FALSE(rules.ok());
  CHECK(rules.error().ToString() ==
        ".dockerignore:2: bad pattern \"f[z-a]\": range z-a is out of order");
}

}  // namespace
}  // namespace baton::content
