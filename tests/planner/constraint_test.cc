#include "planner/constraint.h"

#include <catch2/catch.hpp>

namespace baton::planner {
namespace {

// The error text of ParseConstraint at "here"; "parsed" when it succeeds.
std::string ParseError(const std::string& text) {
  auto parsed = ParseConstraint(text, "here");
  return parsed.ok() ? "parsed" : parsed.error().ToString();
}

constexpr char kExpected[] = "expected <attribute>==<value> or <attribute>!=<value>";

TEST_CASE("constraint: == and != with or without spaces", "[planner][desired]") {
  auto equal = ParseConstraint("node.labels.zone==eu", "");
  REQUIRE(equal.ok());
  CHECK(equal->attribute == "node.labels.zone");
  CHECK(equal->equal);
  CHECK(equal->value == "eu");
  CHECK(equal->text == "node.labels.zone==eu");
  auto unequal = ParseConstraint("  node.hostname  !=  lab1 ", "");
  REQUIRE(unequal.ok());
  CHECK(unequal->attribute == "node.hostname");
  CHECK_FALSE(unequal->equal);
  CHECK(unequal->value == "lab1");
  CHECK(unequal->text == "  node.hostname  !=  lab1 ");
}

TEST_CASE("constraint: every known attribute parses", "[planner][desired]") {
  for (const char* text : {"node.hostname==h", "node.labels.a.b==c", "node.platform.os==linux",
                           "node.platform.arch==aarch64"}) {
    INFO(text);
    CHECK(ParseError(text) == "parsed");
  }
}

TEST_CASE("constraint: a value may hold a single =", "[planner][desired]") {
  auto parsed = ParseConstraint("node.labels.k==a=b", "");
  REQUIRE(parsed.ok());
  CHECK(parsed->value == "a=b");
}

TEST_CASE("constraint: no operator is refused", "[planner][desired]") {
  CHECK(ParseError("node.labels.zone") ==
        std::string("here: invalid constraint \"node.labels.zone\": ") + kExpected);
  CHECK(ParseError("node.labels.zone=eu") ==
        std::string("here: invalid constraint \"node.labels.zone=eu\": ") + kExpected);
}

TEST_CASE("constraint: two operators are refused", "[planner][desired]") {
  CHECK(ParseError("node.hostname==a!=b") ==
        std::string("here: invalid constraint \"node.hostname==a!=b\": ") + kExpected);
}

TEST_CASE("constraint: an empty side is refused", "[planner][desired]") {
  CHECK(ParseError("node.hostname== ") ==
        std::string("here: invalid constraint \"node.hostname== \": ") + kExpected);
  CHECK(ParseError("!=x") == std::string("here: invalid constraint \"!=x\": ") + kExpected);
  CHECK(ParseError("") == std::string("here: invalid constraint \"\": ") + kExpected);
}

TEST_CASE("constraint: unknown attributes are refused", "[planner][desired]") {
  CHECK(ParseError("node.labels.==x") ==
        "here: invalid constraint \"node.labels.==x\": unknown attribute \"node.labels.\", "
        "expected node.hostname, node.labels.<key>, node.platform.os or node.platform.arch");
  CHECK(ParseError("engine.labels.a == b") ==
        "here: invalid constraint \"engine.labels.a == b\": unknown attribute "
        "\"engine.labels.a\", expected node.hostname, node.labels.<key>, node.platform.os or "
        "node.platform.arch");
}

}  // namespace
}  // namespace baton::planner
