#include "runtime/image_push.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "docker_client_fixture.h"
#include "docker_server_fake.h"

namespace baton::runtime {
namespace {

using std::chrono::milliseconds;
using testing::ConnectTo;
using testing::FakeDockerServer;
using testing::FakeResponse;

// Reads the pipe to its end in pieces of `piece` bytes.
Result<std::string> ReadAll(BytePipe& pipe, size_t piece) {
  std::string out;
  std::vector<char> buffer(piece);
  for (;;) {
    Result<size_t> n = pipe.Read(buffer);
    if (!n.ok()) return n.error();
    if (*n == 0) return out;
    out.append(buffer.data(), *n);
  }
}

TEST_CASE("image push: a pipe smaller than the data passes all of it in order", "[runtime][push]") {
  BytePipe pipe(5, {});
  std::string data;
  for (int i = 0; i < 200; ++i) data += static_cast<char>('a' + i % 26);
  std::jthread writer([&] {
    for (size_t at = 0; at < data.size(); at += 7) CHECK(pipe.Write(data.substr(at, 7)).ok());
    pipe.CloseWrite(Status::Ok());
  });
  Result<std::string> read = ReadAll(pipe, 3);
  REQUIRE(read.ok());
  CHECK(*read == data);
}

TEST_CASE("image push: the writer's error reaches the reader after the data", "[runtime][push]") {
  BytePipe pipe(64, {});
  REQUIRE(pipe.Write("abc").ok());
  pipe.CloseWrite(Error::Internal("host local", "disk gone"));
  std::vector<char> buffer(16);
  Result<size_t> first = pipe.Read(buffer);
  REQUIRE(first.ok());
  CHECK(*first == 3);
  Result<size_t> second = pipe.Read(buffer);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().ToString() == "host local: disk gone");
}

TEST_CASE("image push: a writer blocked on a full pipe fails once the reader leaves",
          "[runtime][push]") {
  BytePipe pipe(4, {});
  Status written = Status::Ok();
  std::jthread writer([&] { written = pipe.Write("more than four bytes"); });
  std::this_thread::sleep_for(milliseconds(50));
  pipe.CloseRead();
  writer.join();
  REQUIRE_FALSE(written.ok());
  CHECK(written.error().message == "the reader stopped");
}

TEST_CASE("image push: a stop wakes a reader waiting on an empty pipe", "[runtime][push]") {
  std::stop_source stop;
  BytePipe pipe(4, stop.get_token());
  std::jthread stopper([&] {
    std::this_thread::sleep_for(milliseconds(50));
    stop.request_stop();
  });
  std::vector<char> buffer(4);
  Result<size_t> n = pipe.Read(buffer);
  REQUIRE_FALSE(n.ok());
  CHECK(n.error().message == "interrupted");
}

TEST_CASE("image push: the saved tarball is streamed into the target's load", "[runtime][push]") {
  FakeDockerServer source, target;
  FakeResponse saved;
  saved.content_type = "application/x-tar";
  saved.chunks = {std::string(3000, 'x'), std::string(5000, 'y'), "end"};
  source.On("GET", "/v1.41/images/get", saved);
  FakeResponse loaded;
  loaded.chunks = {"{\"stream\":\"Loaded image: apply/pushed:1\\n\"}\n"};
  target.On("POST", "/v1.41/images/load", loaded);
  DockerClient from = ConnectTo(source);
  DockerClient to = ConnectTo(target);
  std::vector<std::uint64_t> progress;
  Status s = PushImage(
      from, to, "apply/pushed:1", [&](std::uint64_t sent) { progress.push_back(sent); }, {}, 1000);
  REQUIRE(s.ok());
  CHECK(source.Last("GET", "/v1.41/images/get")->target ==
        "/v1.41/images/get?names=apply%2Fpushed%3A1");
  CHECK(target.Last("POST", "/v1.41/images/load")->body ==
        std::string(3000, 'x') + std::string(5000, 'y') + "end");
  REQUIRE_FALSE(progress.empty());
  CHECK(progress.back() == 8003);
}

TEST_CASE("image push: a failed save is the push's error", "[runtime][push]") {
  FakeDockerServer source, target;
  source.On("GET", "/v1.41/images/get",
            testing::DockerError(404, "Not Found", "reference does not exist"));
  DockerOptions local = source.Options();
  local.host = "local";
  Result<DockerClient> from = DockerClient::Connect(local);
  REQUIRE(from.ok());
  DockerClient to = ConnectTo(target);
  Status s = PushImage(*from, to, "apply/pushed:1", {}, {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "host local: save: 404 Not Found: reference does not exist");
}

}  // namespace
}  // namespace baton::runtime
