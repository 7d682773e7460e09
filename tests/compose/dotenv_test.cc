#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>

#include "compose/dotenv.h"

namespace baton::compose {
namespace {

using Vars = std::map<std::string, std::string, std::less<>>;

Lookup LookupIn(Vars vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

const Lookup kNoEnv = LookupIn({});

Vars AsMap(const EnvEntries& entries) { return Vars(entries.begin(), entries.end()); }

EnvEntries Parse(const std::string& text, const Lookup& lookup = kNoEnv) {
  auto r = ParseDotEnv(text, ".env", lookup);
  INFO(text);
  if (!r.ok()) FAIL("unexpected error: " << r.error().ToString());
  return *r;
}

std::string ParseError(const std::string& text, const Lookup& lookup = kNoEnv) {
  auto r = ParseDotEnv(text, ".env", lookup);
  INFO(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == Error::Kind::kInvalid);
  return r.error().ToString();
}

std::optional<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Own(const std::string& name) {
  auto text = ReadFile(std::filesystem::path(BATON_SOURCE_DIR) / "testdata/dotenv" / name);
  REQUIRE(text);
  return *text;
}

// compose-go's own fixtures, when the shared corpus is present.
std::optional<std::string> Fixture(const std::string& name) {
  auto dir =
      std::filesystem::path(BATON_SOURCE_DIR) / "../shared/corpus/compose-go/dotenv/fixtures";
  if (!std::filesystem::is_directory(dir)) {
    WARN("SKIPPED: compose-go dotenv fixtures not found at " << dir.string());
    return std::nullopt;
  }
  auto text = ReadFile(dir / name);
  REQUIRE(text);
  return text;
}

Vars ParseFixture(const std::string& text, const Lookup& lookup = kNoEnv) {
  return AsMap(Parse(text, lookup));
}

// --- compose-go fixtures: the values compose reads from them ---------------

TEST_CASE("dotenv: compose fixture plain.env", "[compose][dotenv][corpus]") {
  auto text = Fixture("plain.env");
  if (!text) return;
  // compose keeps "456" (only godotenv's Read drops keys starting with a digit).
  CHECK(ParseFixture(*text) == Vars{{"OPTION_A", "1"}, {"OPTION_B", "2"}, {"OPTION_C", "3"},
                                    {"OPTION_D", "4"}, {"OPTION_E", "5"}, {"456", "ABC"},
                                    {"OPTION_F", ""}, {"OPTION_G", ""}, {"OPTION_H", "my string"}});
}

TEST_CASE("dotenv: compose fixture utf8-bom.env", "[compose][dotenv][corpus]") {
  auto text = Fixture("utf8-bom.env");
  if (!text) return;
  REQUIRE(text->substr(0, 3) == "\xEF\xBB\xBF");
  Vars vars = ParseFixture(*text);
  CHECK(vars.at("OPTION_A") == "1");
  CHECK(vars.at("OPTION_E") == "5");
  CHECK(vars.at("OPTION_H") == "my string");
  CHECK(vars.size() == 9);
}

TEST_CASE("dotenv: compose fixture quoted.env", "[compose][dotenv][corpus]") {
  auto text = Fixture("quoted.env");
  if (!text) return;
  CHECK(ParseFixture(*text) ==
        Vars{{"OPTION_A", "1"}, {"OPTION_B", "2"}, {"OPTION_C", ""}, {"OPTION_D", "\\n"},
             {"OPTION_E", "1"}, {"OPTION_F", "2"}, {"OPTION_G", ""}, {"OPTION_H", "\n"},
             {"OPTION_I", "echo 'asd'"},
             {"OPTION_J", "first line\nsecond line\nthird line\nand so on"},
             {"OPTION_K", "Let's go!"}, {"OPTION_Z", "last value"}});
}

TEST_CASE("dotenv: compose fixture unquoted.env", "[compose][dotenv][corpus]") {
  auto text = Fixture("unquoted.env");
  if (!text) return;
  CHECK(ParseFixture(*text) ==
        Vars{{"OPTION_A", "some quoted phrase"},
             {"OPTION_B", "first one with an unquoted phrase"},
             {"OPTION_C", "then another one with an unquoted phrase"},
             {"OPTION_D", "then another one with an unquoted phrase special \xC3\xA8 char"},
             {"OPTION_E", "then another one quoted phrase"}});
}

TEST_CASE("dotenv: compose fixtures exported.env and equals.env", "[compose][dotenv][corpus]") {
  auto exported = Fixture("exported.env");
  auto equals = Fixture("equals.env");
  if (!exported || !equals) return;
  CHECK(ParseFixture(*exported) == Vars{{"OPTION_A", "2"}, {"OPTION_B", "\\n"}});
  CHECK(ParseFixture(*equals) ==
        Vars{{"OPTION_A", "postgres://localhost:5432/database?sslmode=disable"}});
}

TEST_CASE("dotenv: compose fixture special.env", "[compose][dotenv][corpus]") {
  auto text = Fixture("special.env");
  if (!text) return;
  CHECK(ParseFixture(*text) == Vars{{"VAR.WITH.DOTS", "dots"},
                                    {"VAR_WITH_UNDERSCORES", "underscores"},
                                    {"VAR-WITH-DASHES", "dashes"}});
}

TEST_CASE("dotenv: compose fixture custom.format reads as key: value",
          "[compose][dotenv][corpus]") {
  auto text = Fixture("custom.format");
  if (!text) return;
  CHECK(ParseFixture(*text) == Vars{{"FOO", "BAR"}, {"ZOT", "QIX"}});
}

TEST_CASE("dotenv: compose fixture substitutions.env", "[compose][dotenv][corpus]") {
  auto text = Fixture("substitutions.env");
  if (!text) return;
  CHECK(ParseFixture(*text) == Vars{{"OPTION_A", "1"}, {"OPTION_B", "1"}, {"OPTION_C", "1"},
                                    {"OPTION_D", "1_1"}, {"OPTION_E", ""}});
  // The environment wins over the file for references.
  CHECK(ParseFixture(*text, LookupIn({{"OPTION_A", "5"}})) ==
        Vars{{"OPTION_A", "1"}, {"OPTION_B", "5"}, {"OPTION_C", "5"}, {"OPTION_D", "5_5"},
             {"OPTION_E", ""}});
}

TEST_CASE("dotenv: compose fixture substitutions-default.env", "[compose][dotenv][corpus]") {
  auto text = Fixture("substitutions-default.env");
  if (!text) return;
  CHECK(ParseFixture(*text) == Vars{{"OPTION_A", "1"}, {"OPTION_B", "1"}, {"OPTION_C", "1"},
                                    {"OPTION_D", "1_1"}, {"OPTION_E", ""}});
  CHECK(ParseFixture(*text, LookupIn({{"OPTION_A", "5"}})) ==
        Vars{{"OPTION_A", "5"}, {"OPTION_B", "5"}, {"OPTION_C", "5"}, {"OPTION_D", "5_5"},
             {"OPTION_E", ""}});
}

TEST_CASE("dotenv: compose fixtures for inherited keys", "[compose][dotenv][corpus]") {
  auto multi = Fixture("inherited-multi-var.env");
  auto single = Fixture("inherited-single-var.env");
  auto missing = Fixture("inherited-not-found.env");
  if (!multi || !single || !missing) return;
  Lookup env = LookupIn({{"VAR_TO_BE_LOADED_FROM_OS_ENV", "SOME_RANDOM_VALUE"}});
  CHECK(ParseFixture(*multi, env) == Vars{{"foo", "bar"},
                                          {"VAR_TO_BE_LOADED_FROM_OS_ENV", "SOME_RANDOM_VALUE"},
                                          {"bar", "baz"}});
  CHECK(ParseFixture(*single, env) ==
        Vars{{"VAR_TO_BE_LOADED_FROM_OS_ENV", "SOME_RANDOM_VALUE"}});
  CHECK(ParseFixture(*missing, env).empty());
}

TEST_CASE("dotenv: compose fixture invalid1.env", "[compose][dotenv][corpus]") {
  auto text = Fixture("invalid1.env");
  if (!text) return;
  auto r = ParseDotEnv(*text, "invalid1.env", kNoEnv);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().ToString() == "invalid1.env:7: key cannot contain a space");
}

// --- our own fixtures -------------------------------------------------------

TEST_CASE("dotenv: quotes and escapes", "[compose][dotenv]") {
  EnvEntries entries = Parse(Own("quotes.env"), LookupIn({{"FOO", "foo"}}));
  CHECK(AsMap(entries) ==
        Vars{{"SINGLE", "raw $FOO \\n ${BAR:-x}"},
             {"SINGLE_ESCAPED_QUOTE", "it's"},
             {"DOUBLE", "tab\there \"quoted\" back\\slash"},
             {"DOUBLE_OCTAL", "AB"},
             {"DOUBLE_UNKNOWN", "\\x41 \\c"},
             {"DOUBLE_DOLLAR", "$FOO and $FOO"},
             {"HASH_INSIDE", "a # not a comment"},
             {"EMPTY_DOUBLE", ""},
             {"EMPTY_SINGLE", ""},
             {"MULTI", "first line\nsecond line\nthird line"},
             {"MULTI_SINGLE", "one\ntwo"},
             {"AFTER", "ok"}});
  CHECK(entries.front().first == "SINGLE");  // written order
  CHECK(entries.back().first == "AFTER");
}

TEST_CASE("dotenv: references, defaults and precedence", "[compose][dotenv]") {
  Lookup env = LookupIn({{"ENV_ONLY", "from-env"}, {"PORT", "9090"}});
  CHECK(AsMap(Parse(Own("references.env"), env)) ==
        Vars{{"HOST", "example.com"},
             {"PORT", "8080"},
             {"URL", "http://example.com:9090/"},  // the environment's PORT wins
             {"PLAIN_DEFAULT", "fallback"},
             {"QUOTED_DEFAULT", "fall back example.com"},
             {"SINGLE_NONE", "${UNSET:-fallback} $HOST"},
             {"NESTED", "deep"},
             {"EMPTY_VS_UNSET", "unset|empty"},
             {"EMPTY_HERE", ""},
             {"AFTER_EMPTY", "|empty"},
             {"ALT", "set"},
             {"FROM_ENV", "from-env"},
             {"LITERAL", "$HOST"}});
}

TEST_CASE("dotenv: comments, export, yaml-style, CRLF, BOM", "[compose][dotenv]") {
  EnvEntries entries = Parse(Own("layout_crlf_bom.env"), LookupIn({{"INHERITED", "inh"}}));
  CHECK(entries == EnvEntries{{"A", "1"},
                              {"B", "2"},
                              {"C", "spaced value"},
                              {"D", "value#not-comment"},
                              {"INHERITED", "inh"},
                              {"E", "last"}});
}

TEST_CASE("dotenv: unterminated quotes name the line they open on", "[compose][dotenv]") {
  auto r = ParseDotEnv(Own("unterminated.env"), "unterminated.env", kNoEnv);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().ToString() == "unterminated.env:2: unterminated quoted value \"never closed");
}

TEST_CASE("dotenv: line numbers count multi-line values", "[compose][dotenv]") {
  auto r = ParseDotEnv(Own("space_in_key.env"), "space_in_key.env", kNoEnv);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().ToString() == "space_in_key.env:5: key cannot contain a space");
}

// --- single rules, inline -----------------------------------------------------

TEST_CASE("dotenv: unquoted values", "[compose][dotenv]") {
  CHECK(AsMap(Parse("FOO=bar")) == Vars{{"FOO", "bar"}});
  CHECK(AsMap(Parse("FOO =bar\nBAR= baz \n")) == Vars{{"FOO", "bar"}, {"BAR", "baz"}});
  CHECK(AsMap(Parse("FOO=foobar=")) == Vars{{"FOO", "foobar="}});
  CHECK(AsMap(Parse("FOO=a\\tb")) == Vars{{"FOO", "a\\tb"}});
  CHECK(AsMap(Parse("OPTION_A=1:B")) == Vars{{"OPTION_A", "1:B"}});
  CHECK(AsMap(Parse("OPTION_A: Foo=bar")) == Vars{{"OPTION_A", "Foo=bar"}});
}

TEST_CASE("dotenv: inline comments need a space before #", "[compose][dotenv]") {
  CHECK(AsMap(Parse("FOO=bar # this is foo")) == Vars{{"FOO", "bar"}});
  CHECK(AsMap(Parse("FOO=bar #")) == Vars{{"FOO", "bar"}});
  CHECK(AsMap(Parse("FOO=123#not-a-comment")) == Vars{{"FOO", "123#not-a-comment"}});
  CHECK(AsMap(Parse("FOO=\"bar#baz\"#")) == Vars{{"FOO", "bar#baz"}});
  CHECK(AsMap(Parse("FOO='bar#baz' # comment")) == Vars{{"FOO", "bar#baz"}});
}

TEST_CASE("dotenv: double-quote escapes", "[compose][dotenv]") {
  CHECK(AsMap(Parse(R"(KEY="Z\aZ\bZ\fZ\nZ\rZ\tZ\vZ\\Z\0123Z")")) ==
        Vars{{"KEY", "Z\aZ\bZ\fZ\nZ\rZ\tZ\vZ\\ZSZ"}});
  CHECK(AsMap(Parse(R"(FOO="bar\n\ b\az")")) == Vars{{"FOO", "bar\n\\ b\az"}});
  CHECK(AsMap(Parse(R"(FOO="bar\\\n\ b\az")")) == Vars{{"FOO", "bar\\\n\\ b\az"}});
  CHECK(AsMap(Parse(R"(FOO="bar\nbaz\\")")) == Vars{{"FOO", "bar\nbaz\\"}});
  CHECK(AsMap(Parse(R"(FOO="escaped\"bar")")) == Vars{{"FOO", "escaped\"bar"}});
  CHECK(AsMap(Parse(R"(FOO="'d'")")) == Vars{{"FOO", "'d'"}});
}

TEST_CASE("dotenv: octal escapes need three octal digits", "[compose][dotenv]") {
  CHECK(AsMap(Parse(R"(A="\0123"
B="\012"
C="\0"
D="\0999"
E="\0777"
F="\0377")")) ==
        Vars{{"A", "S"}, {"B", "\\012"}, {"C", "\\0"}, {"D", "\\0999"}, {"E", "\\0777"},
             {"F", "\xC3\xBF"}});
}

TEST_CASE("dotenv: unsupported escapes stay as written", "[compose][dotenv]") {
  CHECK(AsMap(Parse(R"(A="\x07"
B="\u12e4"
C="\U00101234")")) ==
        Vars{{"A", "\\x07"}, {"B", "\\u12e4"}, {"C", "\\U00101234"}});
}

TEST_CASE("dotenv: escaped dollars are literal", "[compose][dotenv]") {
  Lookup env = LookupIn({{"BAR", "bar"}});
  CHECK(AsMap(Parse(R"(FOO="foo\$BAR")", env)) == Vars{{"FOO", "foo$BAR"}});
  CHECK(AsMap(Parse(R"(FOO="foo\${BAR}")", env)) == Vars{{"FOO", "foo${BAR}"}});
  CHECK(AsMap(Parse("T=test\nB=\"foo\\${T} ${T}\"", env)) ==
        Vars{{"T", "test"}, {"B", "foo${T} test"}});
}

TEST_CASE("dotenv: export prefixes", "[compose][dotenv]") {
  CHECK(AsMap(Parse("export OPTION_A=2")) == Vars{{"OPTION_A", "2"}});
  CHECK(AsMap(Parse("export exportFoo=2")) == Vars{{"exportFoo", "2"}});
  CHECK(AsMap(Parse("exportFOO=2")) == Vars{{"exportFOO", "2"}});
  CHECK(AsMap(Parse("export_FOO =2")) == Vars{{"export_FOO", "2"}});
  CHECK(AsMap(Parse("\texport OPTION_A=2")) == Vars{{"OPTION_A", "2"}});
  CHECK(AsMap(Parse("export OPTION_A=\"export A\"")) == Vars{{"OPTION_A", "export A"}});
  CHECK(AsMap(Parse("export\nA=1")) == Vars{{"A", "1"}});
}

TEST_CASE("dotenv: keys take letters of any script and .-[]", "[compose][dotenv]") {
  CHECK(AsMap(Parse("a[1]=c\na.propertyKey=d\n\xC3\xA1rv\xC3\xADz-T=x\n")) ==
        Vars{{"a[1]", "c"}, {"a.propertyKey", "d"}, {"\xC3\xA1rv\xC3\xADz-T", "x"}});
}

TEST_CASE("dotenv: an empty key is kept, as compose does", "[compose][dotenv]") {
  CHECK(AsMap(Parse("=\"value\"")) == Vars{{"", "value"}});
}

TEST_CASE("dotenv: a key alone takes its value from lookup", "[compose][dotenv]") {
  Lookup env = LookupIn({{"SET", "from env"}, {"EMPTY", ""}});
  CHECK(Parse("SET\nEMPTY\nUNSET\n", env) == EnvEntries{{"SET", "from env"}, {"EMPTY", ""}});
}

TEST_CASE("dotenv: a key alone on the last line is inherited too", "[compose][dotenv]") {
  CHECK(Parse("A=1\nSET", LookupIn({{"SET", "x"}})) == EnvEntries{{"A", "1"}, {"SET", "x"}});
  CHECK(Parse("A=1\nUNSET") == EnvEntries{{"A", "1"}});
}

TEST_CASE("dotenv: later duplicates override in place", "[compose][dotenv]") {
  CHECK(Parse("A=1\nB=2\nA=3\n") == EnvEntries{{"A", "3"}, {"B", "2"}});
}

TEST_CASE("dotenv: blank files and comments give nothing", "[compose][dotenv]") {
  CHECK(Parse("").empty());
  CHECK(Parse("\n\r\n\t\t \n# comment\n\t # comment").empty());
}

TEST_CASE("dotenv: a space inside a key is an error", "[compose][dotenv][errors]") {
  CHECK(ParseError("A=1\nINVALID LINE\n") == ".env:2: key cannot contain a space");
  CHECK(ParseError("A B=1") == ".env:1: key cannot contain a space");
}

TEST_CASE("dotenv: unexpected characters in keys are errors", "[compose][dotenv][errors]") {
  CHECK(ParseError("%!(EXTRA string)=foo") ==
        ".env:1: unexpected character \"%\" in variable name \"%!(EXTRA string)=foo\"");
  CHECK(ParseError("OK=1\nlol$wut\n") ==
        ".env:2: unexpected character \"$\" in variable name \"lol$wut\"");
}

TEST_CASE("dotenv: unterminated quotes are errors", "[compose][dotenv][errors]") {
  CHECK(ParseError("KEY=\"") == ".env:1: unterminated quoted value \"");
  CHECK(ParseError("KEY=\"value\\\"") == ".env:1: unterminated quoted value \"value\\\"");
  CHECK(ParseError("KEY='value\"") == ".env:1: unterminated quoted value 'value\"");
  CHECK(ParseError("KEY='value\\'") == ".env:1: unterminated quoted value 'value\\'");
}

TEST_CASE("dotenv: interpolation errors name the value's line", "[compose][dotenv][errors]") {
  CHECK(ParseError("A=1\nB=${NEEDED:?set NEEDED}\n") ==
        ".env:2: required variable NEEDED is missing a value: set NEEDED");
  CHECK(ParseError("A=1\nB=\"x\ny ${\"\n") ==
        ".env:2: invalid interpolation format for \"x\\ny ${\": you may need to escape any $ "
        "with another $");
}

TEST_CASE("dotenv: binary garbage never throws", "[compose][dotenv][errors]") {
  std::string text = Own("quotes.env") + Own("references.env");
  for (size_t i = 0; i < text.size(); i += 3) {
    for (char c : std::string("\0\"'\\$={}\n\xff\xc3", 12)) {
      std::string corrupted = text;
      corrupted[i] = c;
      REQUIRE_NOTHROW((void)ParseDotEnv(corrupted, ".env", kNoEnv));
    }
  }
}

}  // namespace
}  // namespace baton::compose
