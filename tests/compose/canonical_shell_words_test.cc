// Splitting command strings into words as compose (go-shellwords) does.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "compose/shell_words.h"

namespace baton::compose {
namespace {

using Words = std::vector<std::string>;

Words Split(const std::string& line) {
  auto r = SplitShellWords(line);
  if (!r.ok()) FAIL(r.error().message);
  return *r;
}

std::string ErrorOf(const std::string& line) {
  auto r = SplitShellWords(line);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == Error::Kind::kInvalid);
  return r.error().ToString();
}

TEST_CASE("shell words: blanks separate words", "[compose][canonical]") {
  CHECK(Split("  npm  run\tdev \n") == Words{"npm", "run", "dev"});
}

TEST_CASE("shell words: an empty line has no words", "[compose][canonical]") {
  CHECK(Split("").empty());
  CHECK(Split("   ").empty());
}

TEST_CASE("shell words: single quotes are literal", "[compose][canonical]") {
  CHECK(Split(R"(echo 'a "b" \n')") == Words{"echo", R"(a "b" \n)"});
}

TEST_CASE("shell words: double quotes group and backslash escapes", "[compose][canonical]") {
  CHECK(Split(R"(echo "a 'b' \"c\"" d\ e)") == Words{"echo", R"(a 'b' "c")", "d e"});
}

TEST_CASE("shell words: an empty quoted word is a word", "[compose][canonical]") {
  CHECK(Split(R"(a "" b)") == Words{"a", "", "b"});
}

TEST_CASE("shell words: escaped t and n become a tab and a newline", "[compose][canonical]") {
  CHECK(Split(R"(a\tb "c\nd")") == Words{"a\tb", "c\nd"});
}

TEST_CASE("shell words: backquotes and $( ) keep their blanks", "[compose][canonical]") {
  CHECK(Split("echo `date -u` $(id -u)") == Words{"echo", "`date -u`", "$(id -u)"});
}

TEST_CASE("shell words: quoted shell operators are text", "[compose][canonical]") {
  CHECK(Split(R"(sh -c "a && b | c > d; e")") == Words{"sh", "-c", "a && b | c > d; e"});
}

TEST_CASE("shell words: an unquoted shell operator is refused", "[compose][canonical]") {
  CHECK(ErrorOf("echo a && echo b") ==
        "shell operator \"&\" is not supported: write the command as a list, "
        "or run it with sh -c");
}

TEST_CASE("shell words: unterminated quotes are refused", "[compose][canonical]") {
  CHECK(ErrorOf("echo \"a") == "unterminated quote");
  CHECK(ErrorOf("echo 'a") == "unterminated quote");
  CHECK(ErrorOf("echo `a") == "unterminated backquote");
  CHECK(ErrorOf("echo $(a") == "unterminated \"$(\"");
  CHECK(ErrorOf("echo a\\") == "unfinished escape at the end");
}

TEST_CASE("shell words: stray parentheses are refused", "[compose][canonical]") {
  CHECK(ErrorOf("echo (a)") == "unexpected \"(\"");
  CHECK(ErrorOf("echo a)") == "unexpected \")\"");
}

}  // namespace
}  // namespace baton::compose
