#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "compose/yaml_reader.h"

namespace baton::compose {
namespace {

Node Parse(const std::string& text) {
  auto r = ParseYaml(text, "compose.yaml");
  INFO(text);
  if (!r.ok()) FAIL("unexpected error: " << r.error().ToString());
  return std::move(r).value();
}

std::string ParseError(const std::string& text) {
  auto r = ParseYaml(text, "compose.yaml");
  INFO(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == Error::Kind::kInvalid);
  return r.error().ToString();
}

std::string At(const Node& node) { return node.mark().ToString(); }

std::string Keys(const Node& mapping) {
  std::string keys;
  for (const MapEntry& e : mapping.entries()) keys += (keys.empty() ? "" : ",") + e.key;
  return keys;
}

std::string ReadTestData(const std::string& name) {
  std::ifstream in(std::string(BATON_SOURCE_DIR) + "/testdata/yaml/" + name);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("yaml reader: values and keys carry 1-based file:line:column", "[compose][yaml]") {
  Node root = Parse("services:\n  web:\n    image: nginx\n    ports: [\"80:80\"]\n");
  const Node& web = *root.Find("services")->Find("web");
  CHECK(At(root) == "compose.yaml:1:1");
  CHECK(At(*web.Find("image")) == "compose.yaml:3:12");
  CHECK(web.FindEntry("image")->key_mark.ToString() == "compose.yaml:3:5");
  CHECK(At(web.Find("ports")->items()[0]) == "compose.yaml:4:13");
  CHECK(root.entries()[0].key_mark.ToString() == "compose.yaml:1:1");
}

TEST_CASE("yaml reader: mapping keys keep the order they were written in", "[compose][yaml]") {
  CHECK(Keys(Parse("b: 1\na: 2\nc: 3\n")) == "b,a,c");
}

TEST_CASE("yaml reader: plain scalars are unquoted, others quoted", "[compose][yaml]") {
  Node root = Parse("plain: 12\ndouble: \"12\"\nsingle: 'x'\nliteral: |\n  a\n  b\n"
                    "folded: >\n  a\n  b\n");
  CHECK_FALSE(root.Find("plain")->quoted());
  CHECK(root.Find("plain")->scalar() == "12");
  CHECK(root.Find("double")->quoted());
  CHECK(root.Find("single")->quoted());
  CHECK(root.Find("literal")->quoted());
  CHECK(root.Find("literal")->scalar() == "a\nb\n");
  CHECK(root.Find("folded")->quoted());
  CHECK(root.Find("folded")->scalar() == "a b\n");
}

TEST_CASE("yaml reader: empty values, ~ and null are null nodes", "[compose][yaml]") {
  Node root = Parse("empty:\ntilde: ~\nword: null\nupper: NULL\nquoted: \"null\"\n");
  CHECK(root.Find("empty")->IsNull());
  CHECK(root.Find("tilde")->IsNull());
  CHECK(root.Find("word")->IsNull());
  CHECK(root.Find("upper")->IsNull());
  REQUIRE(root.Find("quoted")->IsScalar());
  CHECK(root.Find("quoted")->scalar() == "null");
}

TEST_CASE("yaml reader: an empty value is marked at its key", "[compose][yaml]") {
  // yaml-cpp puts it at the next token, here on line 3.
  Node root = Parse("services:\n  web:\n  db: {}\n");
  CHECK(At(*root.Find("services")->Find("web")) == "compose.yaml:2:3");
}

TEST_CASE("yaml reader: empty text and comments give a null document", "[compose][yaml]") {
  CHECK(Parse("").IsNull());
  CHECK(Parse("# nothing here\n\n").IsNull());
  CHECK(Parse("---\n").IsNull());
}

TEST_CASE("yaml reader: a byte order mark is skipped", "[compose][yaml]") {
  Node root = Parse("\xEF\xBB\xBFimage: !override \"x\"\n");
  REQUIRE(root.Find("image") != nullptr);
  CHECK(root.Find("image")->quoted());
  CHECK(At(*root.Find("image")) == "compose.yaml:1:8");
}

TEST_CASE("yaml reader: each alias is an independent copy", "[compose][yaml][anchors]") {
  Node root = Parse("a: &env {K: v}\nb: *env\nc: *env\n");
  Node& b = *root.Find("b");
  Node& c = *root.Find("c");
  CHECK(b.SameContent(*root.Find("a")));
  b.Set("K", Node::Scalar("changed"));
  CHECK(c.Find("K")->scalar() == "v");
  CHECK(root.Find("a")->Find("K")->scalar() == "v");
}

TEST_CASE("yaml reader: an alias is marked where it is used", "[compose][yaml][anchors]") {
  Node root = Parse("a: &x\n  k: v\nb: *x\n");
  CHECK(At(*root.Find("b")) == "compose.yaml:3:4");
  CHECK(At(*root.Find("b")->Find("k")) == "compose.yaml:2:6");  // inside: where it was written
}

TEST_CASE("yaml reader: scalar aliases keep their quoting", "[compose][yaml][anchors]") {
  Node root = Parse("a: &q \"8080\"\nb: *q\nc: &p 8080\nd: *p\n");
  CHECK(root.Find("b")->quoted());
  CHECK_FALSE(root.Find("d")->quoted());
}

TEST_CASE("yaml reader: merge key copies a mapping's entries", "[compose][yaml][merge-keys]") {
  Node root = Parse("base: &b {image: nginx, restart: always}\nweb:\n  <<: *b\n  ports: [80]\n");
  const Node& web = *root.Find("web");
  CHECK(Keys(web) == "image,restart,ports");
  CHECK(web.Find("image")->scalar() == "nginx");
}

TEST_CASE("yaml reader: explicit keys win over merged ones", "[compose][yaml][merge-keys]") {
  Node root = Parse("base: &b {image: nginx, restart: always}\n"
                    "web:\n  image: httpd\n  <<: *b\n");
  const Node& web = *root.Find("web");
  CHECK(Keys(web) == "image,restart");
  CHECK(web.Find("image")->scalar() == "httpd");
}

TEST_CASE("yaml reader: explicit keys written after << still win", "[compose][yaml][merge-keys]") {
  Node root = Parse("base: &b {image: nginx, restart: always}\n"
                    "web:\n  <<: *b\n  image: httpd\n");
  const Node& web = *root.Find("web");
  CHECK(Keys(web) == "restart,image");
  CHECK(web.Find("image")->scalar() == "httpd");
}

TEST_CASE("yaml reader: in a merge list earlier mappings win", "[compose][yaml][merge-keys]") {
  Node root = Parse("one: &one {a: 1, b: 1}\ntwo: &two {b: 2, c: 2}\n"
                    "m:\n  <<: [*one, *two]\n  z: 0\n");
  const Node& m = *root.Find("m");
  CHECK(Keys(m) == "a,b,c,z");
  CHECK(m.Find("b")->scalar() == "1");
  CHECK(m.Find("c")->scalar() == "2");
}

TEST_CASE("yaml reader: merge values may be inline mappings", "[compose][yaml][merge-keys]") {
  Node root = Parse("m:\n  <<: [{a: 1}, {a: 2, b: 2}]\n");
  CHECK(Keys(*root.Find("m")) == "a,b");
  CHECK(root.Find("m")->Find("a")->scalar() == "1");
}

TEST_CASE("yaml reader: merged mappings may use merge keys", "[compose][yaml][merge-keys]") {
  Node root = Parse("a: &a {x: 1, y: 1}\nb: &b\n  <<: *a\n  y: 2\nc:\n  <<: *b\n  z: 3\n");
  const Node& c = *root.Find("c");
  CHECK(Keys(c) == "x,y,z");
  CHECK(c.Find("y")->scalar() == "2");
}

TEST_CASE("yaml reader: an empty merge list merges nothing", "[compose][yaml][merge-keys]") {
  CHECK(Keys(*Parse("m:\n  a: 1\n  <<: []\n").Find("m")) == "a");
}

TEST_CASE("yaml reader: a quoted << is an ordinary key", "[compose][yaml][merge-keys]") {
  Node root = Parse("\"<<\": {a: 1}\n");
  CHECK(Keys(root) == "<<");
}

TEST_CASE("yaml reader: merge of a scalar is a located error", "[compose][yaml][merge-keys]") {
  CHECK(ParseError("x: 1\nweb:\n  <<: nginx\n") ==
        "compose.yaml:3:7: web.<<: map merge requires map or sequence of maps as the value");
}

TEST_CASE("yaml reader: merge of a null is a located error", "[compose][yaml][merge-keys]") {
  CHECK(ParseError("web:\n  <<:\n") ==
        "compose.yaml:2:3: web.<<: map merge requires map or sequence of maps as the value");
}

TEST_CASE("yaml reader: merge list items must be mappings", "[compose][yaml][merge-keys]") {
  CHECK(ParseError("a: &a [1]\nweb:\n  <<: [{x: 1}, *a]\n") ==
        "compose.yaml:3:16: web.<<[1]: map merge requires map or sequence of maps as the value");
}

TEST_CASE("yaml reader: merges in a compose file resolve", "[compose][yaml][merge-keys]") {
  Node root = Parse(ReadTestData("merge_keys.yaml"));
  const Node& services = *root.Find("services");
  const Node& api = *services.Find("api");
  CHECK(Keys(api) == "restart,logging,environment,image");
  CHECK(api.Find("restart")->scalar() == "always");
  CHECK(api.Find("environment")->Find("LEVEL")->scalar() == "debug");
  CHECK(api.Find("logging")->Find("options")->Find("max-size")->scalar() == "10m");
  const Node& worker = *services.Find("worker");
  CHECK(worker.Find("restart")->scalar() == "on-failure");
  CHECK(worker.Find("environment")->Find("LEVEL")->scalar() == "info");
  CHECK(worker.Find("logging")->SameContent(*api.Find("logging")));
}

TEST_CASE("yaml reader: !reset is recorded on empty values", "[compose][yaml][tags]") {
  Node root = Parse("ports: !reset []\nimage: !reset null\nuser: !reset\nenv: !reset {}\n");
  CHECK(root.Find("ports")->IsSequence());
  CHECK(root.Find("ports")->tag() == "reset");
  CHECK(root.Find("image")->IsNull());
  CHECK(root.Find("image")->tag() == "reset");
  CHECK(root.Find("user")->IsNull());
  CHECK(root.Find("user")->tag() == "reset");
  CHECK(root.Find("env")->IsMapping());
  CHECK(root.Find("env")->tag() == "reset");
}

TEST_CASE("yaml reader: !override keeps the value and its quoting", "[compose][yaml][tags]") {
  Node root = Parse("a: !override 8080\nb: !override \"8080\"\nc: !override\n  - x\n");
  CHECK(root.Find("a")->tag() == "override");
  CHECK(root.Find("a")->scalar() == "8080");
  CHECK_FALSE(root.Find("a")->quoted());
  CHECK(root.Find("b")->quoted());
  CHECK(root.Find("c")->tag() == "override");
  CHECK(root.Find("c")->items().size() == 1);
}

TEST_CASE("yaml reader: a quoted null under !reset stays a string", "[compose][yaml][tags]") {
  Node root = Parse("a: !reset \"null\"\n");
  REQUIRE(root.Find("a")->IsScalar());
  CHECK(root.Find("a")->quoted());
}

TEST_CASE("yaml reader: !!str makes a quoted scalar", "[compose][yaml][tags]") {
  Node root = Parse("a: !!str 12\nb: !!str\nc: !!int \"12\"\nd: !!null \"\"\n");
  CHECK(root.Find("a")->quoted());
  CHECK(root.Find("a")->scalar() == "12");
  CHECK(root.Find("a")->tag().empty());
  REQUIRE(root.Find("b")->IsScalar());
  CHECK(root.Find("b")->scalar().empty());
  CHECK_FALSE(root.Find("c")->quoted());
  CHECK(root.Find("d")->IsNull());
}

TEST_CASE("yaml reader: unknown tags are ignored", "[compose][yaml][tags]") {
  Node root = Parse("a: !custom value\nb: !custom\n");
  CHECK(root.Find("a")->tag().empty());
  CHECK(root.Find("a")->scalar() == "value");
  CHECK(root.Find("b")->IsNull());
}

TEST_CASE("yaml reader: an aliased !reset node keeps its tag", "[compose][yaml][tags]") {
  Node root = Parse("x: &none !reset []\ny: *none\n");
  CHECK(root.Find("y")->tag() == "reset");
}

TEST_CASE("yaml reader: syntax errors name file, line and column", "[compose][yaml][errors]") {
  CHECK(ParseError("services:\n  web:\n    image: a\n   ports: b\n") ==
        "compose.yaml:4:4: end of map not found");
  CHECK(ParseError("a: \"\\q\"\n") == "compose.yaml:1:7: unknown escape character: q");
  CHECK(ParseError("\t- a\n") == "compose.yaml:1:2: illegal block entry");
}

TEST_CASE("yaml reader: messages starting with an acronym keep it", "[compose][yaml][errors]") {
  CHECK(ParseError("%YAML 1.1\n%YAML 1.1\n---\na: 1\n") ==
        "compose.yaml:2:1: repeated YAML directive");
}

TEST_CASE("yaml reader: a quote left open is an error", "[compose][yaml][errors]") {
  CHECK(ParseError("a: \"abc") == "compose.yaml:1:8: illegal EOF in scalar");
  // yaml-cpp alone would read the rest of the file into the string.
  CHECK(ParseError("a: 'abc\nb: 1\n") ==
        "compose.yaml:1:4: a: found unexpected end of stream while scanning a quoted scalar");
}

TEST_CASE("yaml reader: several documents are refused", "[compose][yaml][errors]") {
  CHECK(ParseError("a: 1\n---\nb: 2\n") ==
        "compose.yaml:3:1: multiple documents in one file are not supported");
}

TEST_CASE("yaml reader: empty documents around the one are ignored", "[compose][yaml]") {
  Node root = Parse("---\n---\na: 1\n...\n---\n");
  CHECK(Keys(root) == "a");
}

TEST_CASE("yaml reader: mapping keys must be scalars", "[compose][yaml][errors]") {
  CHECK(ParseError("services:\n  ? [a, b]\n  : 1\n") ==
        "compose.yaml:2:5: services: mapping key must be a string, found sequence");
  CHECK(ParseError("? {a: 1}\n: 1\n") ==
        "compose.yaml:1:3: mapping key must be a string, found mapping");
  CHECK(ParseError("~: 1\n") == "compose.yaml:1:1: mapping key must be a string, found null");
}

TEST_CASE("yaml reader: duplicate keys are refused", "[compose][yaml][errors]") {
  CHECK(ParseError("services:\n  web:\n    image: a\n    image: b\n") ==
        "compose.yaml:4:5: services.web.image: mapping key \"image\" already defined at line 3");
  CHECK(ParseError("a: 1\n\"a\": 2\n") ==
        "compose.yaml:2:1: a: mapping key \"a\" already defined at line 1");
  CHECK(ParseError("x: &x {}\nm:\n  <<: *x\n  <<: *x\n") ==
        "compose.yaml:4:3: m.<<: mapping key \"<<\" already defined at line 3");
}

TEST_CASE("yaml reader: sequence paths appear in errors", "[compose][yaml][errors]") {
  CHECK(ParseError("a:\n  - x\n  - {k: 1, k: 2}\n") ==
        "compose.yaml:3:12: a[1].k: mapping key \"k\" already defined at line 3");
}

TEST_CASE("yaml reader: unknown and self-referencing anchors", "[compose][yaml][errors]") {
  CHECK(ParseError("a: *nope\n") == "compose.yaml:1:4: the referenced anchor is not defined");
  CHECK(ParseError("a: &loop [1, *loop]\n") ==
        "compose.yaml:1:14: a[1]: anchor \"loop\" value contains itself");
}

TEST_CASE("yaml reader: deep nesting is refused, not recursed", "[compose][yaml][limits]") {
  std::string deep = "a: " + std::string(600, '[') + std::string(600, ']') + "\n";
  CHECK(ParseError(deep) == "compose.yaml:1:1204: document nested too deeply");
  std::string fine = "a: " + std::string(400, '[') + std::string(400, ']') + "\n";
  CHECK(Parse(fine).IsMapping());
}

TEST_CASE("yaml reader: aliases cannot nest deeper than 1000 levels", "[compose][yaml][limits]") {
  auto nest = [](const std::string& inner) {
    return std::string(400, '[') + inner + std::string(400, ']');
  };
  std::string text = "a: &a " + nest("1") + "\nb: &b " + nest("*a") + "\nc: " + nest("*b") + "\n";
  std::string path = "c";
  for (int i = 0; i < 400; ++i) path += "[0]";
  CHECK(ParseError(text) ==
        "compose.yaml:3:404: " + path + ": alias *b nests deeper than 1000 levels");
}

TEST_CASE("yaml reader: alias expansion is bounded (billion laughs)", "[compose][yaml][limits]") {
  std::string text = "a: &a [x,x,x,x,x,x,x,x,x,x]\n";
  const std::string names = "abcdef";
  for (size_t i = 1; i < names.size(); ++i) {
    std::string alias = std::string("*") + names[i - 1];
    text += std::string(1, names[i]) + ": &" + names[i] + " [";
    for (int k = 0; k < 10; ++k) text += (k ? "," : "") + alias;
    text += "]\n";
  }
  CHECK(ParseError(text) == "compose.yaml:6:26: f[6]: aliases expand to more than 1000000 nodes");
}

TEST_CASE("yaml reader: truncated and corrupted input never throws", "[compose][yaml][limits]") {
  const std::string text = ReadTestData("merge_keys.yaml");
  for (size_t n = 0; n <= text.size(); ++n) {
    INFO("prefix of " << n << " bytes");
    REQUIRE_NOTHROW((void)ParseYaml(text.substr(0, n), "compose.yaml"));
  }
  for (size_t i = 0; i < text.size(); ++i) {
    for (char c : std::string("\0\t\"'[{&*!|>%@`\xff", 16)) {
      std::string corrupted = text;
      corrupted[i] = c;
      INFO("byte " << i << " set to " << static_cast<int>(c));
      REQUIRE_NOTHROW((void)ParseYaml(corrupted, "compose.yaml"));
    }
  }
}

}  // namespace
}  // namespace baton::compose

namespace baton::compose {
namespace {

// Found by the fuzzer: yaml-cpp stops reading at a NUL byte and the reader
// used to wait forever for the document it never sent.
TEST_CASE("yaml: a NUL byte is a located error, not a hang", "[compose][yaml]") {
  std::string text = "services:\n  web:\n    im";
  text += '\0';
  text += "age: x\n";
  auto r = ParseYaml(text, "compose.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().ToString() == "compose.yaml:3:7: file contains a NUL byte (not a YAML text file)");
}

}  // namespace
}  // namespace baton::compose

namespace baton::compose {
namespace {

// Found by the fuzzer: on this text yaml-cpp 0.7 reports empty documents
// forever without advancing; the reader must give up with an error.
TEST_CASE("yaml: a parser that stops advancing is an error, not a hang", "[compose][yaml]") {
  std::string text = ",ame : x\nservices:\n  service1:\n    depends_on:\n      - service1";
  text += std::string(51, '\xab') + "   ports:\n    \xab\xab\xab\xab\xab\n";
  auto r = ParseYaml(text, "compose.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().ToString() == "compose.yaml:1:1: malformed yaml: the parser stopped advancing here");
}

}  // namespace
}  // namespace baton::compose
