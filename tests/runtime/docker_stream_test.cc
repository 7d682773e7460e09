#include "runtime/docker_stream.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "docker_server_fake.h"
#include "runtime/docker_query.h"

namespace baton::runtime {
namespace {

using testing::Frame;

struct Collected {
  std::string out;
  std::string err;
};

StreamDemuxer::Sink Into(Collected& c) {
  return [&c](StreamKind kind, std::string_view data) {
    (kind == StreamKind::kStderr ? c.err : c.out) += data;
    return true;
  };
}

TEST_CASE("docker stream: frames split at any byte still demultiplex",
          "[runtime][docker][stream]") {
  std::string stream = Frame(1, "hello\n") + Frame(2, "oops\n") + Frame(1, "") + Frame(1, "bye\n");
  for (std::size_t piece = 1; piece <= stream.size(); ++piece) {
    Collected c;
    StreamDemuxer demuxer(Into(c));
    for (std::size_t at = 0; at < stream.size(); at += piece) {
      Result<bool> more = demuxer.Feed(std::string_view(stream).substr(at, piece));
      REQUIRE(more.ok());
      REQUIRE(*more);
    }
    CHECK(demuxer.Finish().ok());
    CHECK(c.out == "hello\nbye\n");
    CHECK(c.err == "oops\n");
  }
}

TEST_CASE("docker stream: a header naming no known stream is malformed",
          "[runtime][docker][stream]") {
  Collected c;
  StreamDemuxer demuxer(Into(c));
  Result<bool> more = demuxer.Feed(Frame(7, "x"));
  REQUIRE_FALSE(more.ok());
  CHECK(more.error().kind == Error::Kind::kInternal);
  CHECK(more.error().ToString() == "malformed output stream: unknown stream 7");
}

TEST_CASE("docker stream: a stream cut inside a frame is malformed", "[runtime][docker][stream]") {
  Collected c;
  StreamDemuxer demuxer(Into(c));
  REQUIRE(demuxer.Feed(Frame(1, "hello").substr(0, 10)).ok());
  Status end = demuxer.Finish();
  REQUIRE_FALSE(end.ok());
  CHECK(end.error().ToString() == "malformed output stream: it ends inside a frame");
}

TEST_CASE("docker stream: a demuxer sink returning false stops decoding",
          "[runtime][docker][stream]") {
  int calls = 0;
  StreamDemuxer demuxer([&](StreamKind, std::string_view) { return ++calls < 1; });
  Result<bool> more = demuxer.Feed(Frame(1, "a") + Frame(1, "b"));
  REQUIRE(more.ok());
  CHECK_FALSE(*more);
  CHECK(calls == 1);
}

TEST_CASE("docker stream: json documents split across pieces are parsed once each",
          "[runtime][docker][stream]") {
  std::vector<nlohmann::json> seen;
  JsonLineSplitter splitter([&](const nlohmann::json& j) {
    seen.push_back(j);
    return true;
  });
  REQUIRE(splitter.Feed("{\"a\":1}\r\n{\"b\"").ok());
  REQUIRE(splitter.Feed(":2}\n\n{\"c\":").ok());
  REQUIRE(splitter.Feed("3}").ok());
  REQUIRE(seen.size() == 2);
  REQUIRE(splitter.Finish().ok());
  REQUIRE(seen.size() == 3);
  CHECK(seen[0]["a"] == 1);
  CHECK(seen[1]["b"] == 2);
  CHECK(seen[2]["c"] == 3);
}

TEST_CASE("docker stream: a malformed json document is an error", "[runtime][docker][stream]") {
  JsonLineSplitter splitter([](const nlohmann::json&) { return true; });
  Result<bool> more = splitter.Feed("{\"a\":1}\n{oops}\n");
  REQUIRE_FALSE(more.ok());
  CHECK(more.error().kind == Error::Kind::kInternal);
  CHECK(more.error().ToString() ==
        "malformed json stream: [json.exception.parse_error.101] parse error at line 1, column 2: "
        "syntax error while parsing object key - invalid literal; last read: '{o'; expected string "
        "literal");
}

TEST_CASE("docker stream: an endless json line is refused", "[runtime][docker][stream]") {
  JsonLineSplitter splitter([](const nlohmann::json&) { return true; });
  std::string piece(64 << 10, ' ');
  Result<bool> more = true;
  for (int i = 0; i < 17 && more.ok(); ++i) more = splitter.Feed(piece);
  REQUIRE_FALSE(more.ok());
  CHECK(more.error().ToString() == "malformed json stream: a document exceeds 1 MiB");
}

TEST_CASE("docker query: names are escaped as one segment", "[runtime][docker][query]") {
  CHECK(UrlEscape("web-1") == "web-1");
  CHECK(UrlEscape("baton/busybox:lab") == "baton%2Fbusybox%3Alab");
  CHECK(UrlEscape("a b&c=d?#") == "a%20b%26c%3Dd%3F%23");
  CHECK(UrlEscape("\xc3\xa9") == "%C3%A9");
}

TEST_CASE("docker query: filters become docker's json map", "[runtime][docker][query]") {
  CHECK(FiltersJson({}) == "{}");
  CHECK(FiltersJson({{"label", {"baton.project=shop", "tier"}}, {"type", {"container"}}}) ==
        R"({"label":["baton.project=shop","tier"],"type":["container"]})");
}

TEST_CASE("docker query: a query string keeps order, flags and escaped filters",
          "[runtime][docker][query]") {
  CHECK(QueryString().str().empty());
  CHECK(QueryString().Flag("all", false).AddFilters({}).str().empty());
  std::string q =
      QueryString().Flag("all", true).Add("name", "web 1").AddFilters({{"label", {"a=b"}}}).str();
  CHECK(q == "?all=1&name=web%201&filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%7D");
}

}  // namespace
}  // namespace baton::runtime
