#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "docker_client_fixture.h"
#include "docker_server_fake.h"
#include "runtime/docker_client.h"

namespace baton::runtime {
namespace {

using testing::ConnectTo;
using testing::FakeDockerServer;
using testing::FakeResponse;

std::string Event(const std::string& action, const std::string& name) {
  return nlohmann::json{{"Type", "container"},
                        {"Action", action},
                        {"Actor", {{"ID", "3f2a"}, {"Attributes", {{"name", name}}}}},
                        {"scope", "local"},
                        {"timeNano", 1700000000123456789}}
             .dump() +
         "\n";
}

FakeResponse Events(std::vector<std::string> chunks, bool hold_open) {
  FakeResponse r;
  r.chunks = std::move(chunks);
  r.hold_open = hold_open;
  return r;
}

TEST_CASE("docker events: each event is decoded and the callback can end the stream",
          "[runtime][docker][events]") {
  FakeDockerServer server;
  std::string both = Event("start", "web-1") + Event("die", "web-1");
  server.On("GET", "/v1.41/events",
            Events({both.substr(0, 30), both.substr(30), Event("destroy", "web-1")}, true));
  DockerClient docker = ConnectTo(server);
  std::vector<DockerEvent> seen;
  EventsOptions options;
  options.since = "1700000000";
  options.filters = {{"type", {"container"}}};
  Status s = docker.StreamEvents(options, [&](const DockerEvent& e) {
    seen.push_back(e);
    return seen.size() < 3;
  });
  REQUIRE(s.ok());
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].action == "start");
  CHECK(seen[1].action == "die");
  CHECK(seen[1].type == "container");
  CHECK(seen[1].actor_id == "3f2a");
  CHECK(seen[1].attributes.at("name") == "web-1");
  CHECK(seen[1].time_nano == 1700000000123456789);
  CHECK(server.Last("GET", "/v1.41/events")->target ==
        "/v1.41/events?since=1700000000&filters=%7B%22type%22%3A%5B%22container%22%5D%7D");
}

TEST_CASE("docker events: a stop request ends a quiet stream", "[runtime][docker][events]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/events", Events({"\n"}, true));
  DockerClient docker = ConnectTo(server);
  std::stop_source stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop.request_stop();
  });
  auto start = std::chrono::steady_clock::now();
  Status s = docker.StreamEvents(
      {}, [](const DockerEvent&) { return true; }, stop.get_token());
  auto elapsed = std::chrono::steady_clock::now() - start;
  stopper.join();
  CHECK(s.ok());
  CHECK(elapsed < std::chrono::milliseconds(2500));
}

TEST_CASE("docker events: the engine ending an open stream is unreachable",
          "[runtime][docker][events]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/events", Events({Event("start", "web-1")}, false));
  DockerClient docker = ConnectTo(server);
  int seen = 0;
  Status s = docker.StreamEvents({}, [&](const DockerEvent&) { return ++seen > 0; });
  REQUIRE_FALSE(s.ok());
  CHECK(seen == 1);
  CHECK(s.error().kind == Error::Kind::kUnreachable);
  CHECK(s.error().ToString() == "host lab1: docker ended the event stream");
}

TEST_CASE("docker events: a stream with until ends without error", "[runtime][docker][events]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/events", Events({Event("start", "web-1")}, false));
  DockerClient docker = ConnectTo(server);
  EventsOptions options;
  options.since = "1700000000";
  options.until = "1700000100";
  Status s = docker.StreamEvents(options, [](const DockerEvent&) { return true; });
  CHECK(s.ok());
}

TEST_CASE("docker events: a malformed event names the call", "[runtime][docker][events]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/events", Events({"{\"Type\": 7}\n"}, true));
  DockerClient docker = ConnectTo(server);
  Status s = docker.StreamEvents({}, [](const DockerEvent&) { return true; });
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == Error::Kind::kInternal);
  CHECK(s.error().ToString() ==
        "host lab1: GET /events: malformed response: [json.exception.type_error.302] type must be "
        "string, but is number");
}

}  // namespace
}  // namespace baton::runtime
