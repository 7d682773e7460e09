#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "compose/interpolate.h"
#include "compose/yaml_reader.h"

namespace baton::compose {
namespace {

// FOO is set, EMPTY is set but empty, anything else is unset.
const std::map<std::string, std::string, std::less<>> kVars = {
    {"FOO", "first"}, {"EMPTY", ""}, {"JSON", "{\"json\":2}"}, {"N", "3"}, {"lower", "low"}};

std::optional<std::string> FromVars(std::string_view name) {
  auto it = kVars.find(name);
  if (it == kVars.end()) return std::nullopt;
  return it->second;
}

std::string Sub(std::string_view text) {
  auto r = InterpolateString(text, FromVars);
  INFO(text);
  if (!r.ok()) FAIL("unexpected error: " << r.error().ToString());
  return *r;
}

std::string SubError(std::string_view text) {
  auto r = InterpolateString(text, FromVars);
  INFO(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == Error::Kind::kInvalid);
  CHECK(r.error().where.empty());
  return r.error().message;
}

TEST_CASE("interpolate: text without references is unchanged", "[compose][interpolate]") {
  CHECK(Sub("plain text") == "plain text");
  CHECK(Sub("") == "");
}

TEST_CASE("interpolate: $VAR and ${VAR}", "[compose][interpolate]") {
  CHECK(Sub("This $FOO var") == "This first var");
  CHECK(Sub("This ${FOO} var") == "This first var");
  CHECK(Sub("$FOO-bar") == "first-bar");  // "-" ends a bare name
  CHECK(Sub("${FOO}${FOO}") == "firstfirst");
  CHECK(Sub("$lower/${lower}") == "low/low");
}

TEST_CASE("interpolate: unset and empty variables give empty text", "[compose][interpolate]") {
  CHECK(Sub("This ${missing} var") == "This  var");
  CHECK(Sub("This $missing var") == "This  var");
  CHECK(Sub("This ${EMPTY} var") == "This  var");
}

TEST_CASE("interpolate: $$ is a literal dollar", "[compose][interpolate]") {
  CHECK(Sub("$${FOO}") == "${FOO}");
  CHECK(Sub("$$FOO") == "$FOO");
  CHECK(Sub("cost: $$5") == "cost: $5");
  CHECK(Sub("$$$FOO") == "$first");
}

TEST_CASE("interpolate: a $ that starts no reference stays", "[compose][interpolate]") {
  CHECK(Sub("a $ string") == "a $ string");
  CHECK(Sub("^REGEX$") == "^REGEX$");
  CHECK(Sub("$}") == "$}");
  CHECK(Sub("$") == "$");
  CHECK(Sub("$1 and $-") == "$1 and $-");
}

TEST_CASE("interpolate: :- and - defaults", "[compose][interpolate]") {
  CHECK(Sub("ok ${missing:-def}") == "ok def");
  CHECK(Sub("ok ${missing-def}") == "ok def");
  CHECK(Sub("ok ${EMPTY:-def}") == "ok def");
  CHECK(Sub("ok ${EMPTY-def}") == "ok ");
  CHECK(Sub("ok ${FOO:-def}") == "ok first");
  CHECK(Sub("ok ${FOO-def}") == "ok first");
  CHECK(Sub("ok ${missing:-}") == "ok ");
}

TEST_CASE("interpolate: :+ and + alternatives", "[compose][interpolate]") {
  CHECK(Sub("ok ${missing:+alt}") == "ok ");
  CHECK(Sub("ok ${missing+alt}") == "ok ");
  CHECK(Sub("ok ${FOO:+alt}") == "ok alt");
  CHECK(Sub("ok ${FOO+alt}") == "ok alt");
  CHECK(Sub("ok ${EMPTY+alt}") == "ok alt");
  CHECK(Sub("ok ${EMPTY:+alt}") == "ok ");
}

TEST_CASE("interpolate: :? and ? pass set values through", "[compose][interpolate]") {
  CHECK(Sub("ok ${FOO:?err}") == "ok first");
  CHECK(Sub("ok ${FOO?err}") == "ok first");
  CHECK(Sub("ok ${EMPTY?err}") == "ok ");
}

TEST_CASE("interpolate: required variables report compose's message", "[compose][interpolate]") {
  CHECK(SubError("not ok ${missing:?Mandatory Variable Unset}") ==
        "required variable missing is missing a value: Mandatory Variable Unset");
  CHECK(SubError("not ok ${EMPTY:?Mandatory Variable Empty}") ==
        "required variable EMPTY is missing a value: Mandatory Variable Empty");
  CHECK(SubError("not ok ${missing?Mandatory Variable Unset}") ==
        "required variable missing is missing a value: Mandatory Variable Unset");
}

TEST_CASE("interpolate: a required variable with no message", "[compose][interpolate]") {
  CHECK(SubError("${missing:?}") == "required variable missing is missing a value");
  CHECK(SubError("${missing?}") == "required variable missing is missing a value");
}

TEST_CASE("interpolate: required messages are interpolated", "[compose][interpolate]") {
  CHECK(SubError("${missing:?set it, like ${FOO}}") ==
        "required variable missing is missing a value: set it, like first");
  CHECK(SubError("${missing?bar-baz}") == "required variable missing is missing a value: bar-baz");
}

TEST_CASE("interpolate: nested defaults", "[compose][interpolate]") {
  CHECK(Sub("${A:-${B:-c}}") == "c");
  CHECK(Sub("${A:-${FOO:-c}}") == "first");
  CHECK(Sub("ok ${missing-$FOO}") == "ok first");
  CHECK(Sub("ok ${missing-${FOO} ${FOO}}") == "ok first first");
  CHECK(Sub("ok ${EMPTY+$FOO ${FOO:+second}}") == "ok first second");
  CHECK(Sub("+ok ${missing:-${EMPTY-defaultValue}}") == "+ok ");
}

TEST_CASE("interpolate: unused branches are not expanded", "[compose][interpolate]") {
  CHECK(Sub("${FOO:-${missing:?never}}") == "first");
  CHECK(Sub("${missing:+${other:?never}}B") == "B");
  CHECK(Sub("${FOO?${missing:?never}}") == "first");
}

TEST_CASE("interpolate: the first operator after the name applies", "[compose][interpolate]") {
  CHECK(Sub("${missing-myerror?msg}") == "myerror?msg");
  CHECK(Sub("ok ${EMPTY:-/non:-alphanumeric}") == "ok /non:-alphanumeric");
  CHECK(Sub("${missing-va:-lu:?e}") == "va:-lu:?e");
  CHECK(Sub("${FOO:+va:?lu:-e}") == "va:?lu:-e");
}

TEST_CASE("interpolate: outer text does not change operators", "[compose][interpolate]") {
  CHECK(Sub("-ok ${EMPTY:-defaultValue}") == "-ok defaultValue");
  CHECK(Sub(":-ok ${missing-defaultValue}") == ":-ok defaultValue");
  CHECK(Sub(":?ok ${EMPTY-defaultValue}") == ":?ok ");
  CHECK(Sub("?ok ${EMPTY:-defaultValue}") == "?ok defaultValue");
}

TEST_CASE("interpolate: defaults may hold braces", "[compose][interpolate]") {
  CHECK(Sub("ok ${missing:-{\"json\":1}}") == "ok {\"json\":1}");
  CHECK(Sub("ok ${missing-{\"json\":1}}") == "ok {\"json\":1}");
  CHECK(Sub("ok ${JSON:-{\"json\":1}}") == "ok {\"json\":2}");
  CHECK(Sub("${missing:-{}}") == "{}");
}

TEST_CASE("interpolate: several references with defaults on a line", "[compose][interpolate]") {
  CHECK(Sub("ok ${SUBDOMAIN:-redis}.${FOO:?}") == "ok redis.first");
  CHECK(Sub("${A:-a}/${B:-b} and $FOO}") == "a/b and first}");
  CHECK(Sub("${A:-x}}") == "x}");
  CHECK(Sub("${A:-a}\n${B:-b}") == "a\nb");
}

TEST_CASE("interpolate: invalid references are refused", "[compose][interpolate]") {
  for (std::string text : {"${", "${}", "${ }", "${ foo}", "${foo }", "${foo!}", "${1}"}) {
    CHECK(SubError(text) == "invalid interpolation format for \"" + text +
                                "\": you may need to escape any $ with another $");
  }
}

TEST_CASE("interpolate: an operator needs a closing brace on its line", "[compose][interpolate]") {
  CHECK(SubError("${A:-x") ==
        "invalid interpolation format for \"${A:-x\": you may need to escape any $ with another $");
  CHECK(SubError("${A:-x\n}") == "invalid interpolation format for \"${A:-x\\n}\": you may need "
                                 "to escape any $ with another $");
  CHECK(SubError("${A:}") ==
        "invalid interpolation format for \"${A:}\": you may need to escape any $ with another $");
}

TEST_CASE("interpolate: errors inside defaults quote the whole text", "[compose][interpolate]") {
  CHECK(SubError("x ${A:-${}") == "invalid interpolation format for \"x ${A:-${}\": you may "
                                  "need to escape any $ with another $");
}

TEST_CASE("interpolate: nesting is bounded", "[compose][interpolate]") {
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "${A:-";
  deep += "x" + std::string(200, '}');
  CHECK(SubError(deep) == "interpolation nested more than 100 levels deep");
  std::string fine;
  for (int i = 0; i < 50; ++i) fine += "${A:-";
  fine += "x" + std::string(50, '}');
  CHECK(Sub(fine) == "x");
}

TEST_CASE("interpolate: long lines of references stay fast", "[compose][interpolate]") {
  std::string line;
  for (int i = 0; i < 20000; ++i) line += "${A:-a}";
  CHECK(Sub(line) == std::string(20000, 'a'));
}

Node Tree(const std::string& yaml) {
  auto r = ParseYaml(yaml, "compose.yaml");
  REQUIRE(r.ok());
  return std::move(r).value();
}

TEST_CASE("interpolate: tree values are substituted, keys are not", "[compose][interpolate]") {
  Node root = Tree("services:\n  web:\n    image: \"nginx:${FOO}\"\n    labels:\n"
                   "      $FOO: ${FOO}\n    command: [echo, $FOO, \"$$HOME\"]\n");
  REQUIRE(Interpolate(root, FromVars).ok());
  const Node& web = *root.Find("services")->Find("web");
  CHECK(web.Find("image")->scalar() == "nginx:first");
  CHECK(web.Find("labels")->entries()[0].key == "$FOO");
  CHECK(web.Find("labels")->entries()[0].value.scalar() == "first");
  CHECK(web.Find("command")->items()[1].scalar() == "first");
  CHECK(web.Find("command")->items()[2].scalar() == "$HOME");
}

TEST_CASE("interpolate: quoting is kept", "[compose][interpolate]") {
  Node root = Tree("replicas: ${N}\nname: \"${N}\"\n");
  REQUIRE(Interpolate(root, FromVars).ok());
  CHECK(root.Find("replicas")->scalar() == "3");
  CHECK_FALSE(root.Find("replicas")->quoted());
  CHECK(root.Find("name")->quoted());
}

TEST_CASE("interpolate: nulls and tags are untouched", "[compose][interpolate]") {
  Node root = Tree("a:\nb: !override ${FOO}\n");
  REQUIRE(Interpolate(root, FromVars).ok());
  CHECK(root.Find("a")->IsNull());
  CHECK(root.Find("b")->tag() == "override");
  CHECK(root.Find("b")->scalar() == "first");
}

TEST_CASE("interpolate: tree errors name position and path", "[compose][interpolate]") {
  Node root = Tree("services:\n  web:\n    image: ${TAG:?set TAG}\n");
  auto s = Interpolate(root, FromVars);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == Error::Kind::kInvalid);
  CHECK(s.error().ToString() ==
        "compose.yaml:3:12: services.web.image: required variable TAG is missing a value: set TAG");
}

TEST_CASE("interpolate: tree errors in sequences name the index", "[compose][interpolate]") {
  Node root = Tree("command:\n  - ok\n  - \"${\"\n");
  auto s = Interpolate(root, FromVars);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "compose.yaml:3:5: command[1]: invalid interpolation format for "
                                "\"${\": you may need to escape any $ with another $");
}

TEST_CASE("interpolate: a path prefix can be given", "[compose][interpolate]") {
  Node root = Tree("image: ${X?}\n");
  auto s = Interpolate(root, FromVars, ModelPath().Key("services").Key("web"));
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() ==
        "compose.yaml:1:8: services.web.image: required variable X is missing a value");
}

}  // namespace
}  // namespace baton::compose
