#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "docker_client_fixture.h"
#include "docker_server_fake.h"
#include "runtime/docker_client.h"
#include "runtime/event_follower.h"

namespace baton::runtime {
namespace {

using namespace std::chrono_literals;
using testing::ConnectTo;
using testing::FakeDockerServer;
using testing::FakeRequest;
using testing::FakeResponse;

std::string Event(const std::string& action, std::int64_t time_nano) {
  return nlohmann::json{{"Type", "container"},
                        {"Action", action},
                        {"Actor", {{"ID", "3f2a"}, {"Attributes", {{"name", "web-1"}}}}},
                        {"scope", "local"},
                        {"timeNano", time_nano}}
             .dump() +
         "\n";
}

std::vector<FakeRequest> EventRequests(const FakeDockerServer& server) {
  std::vector<FakeRequest> out;
  for (const FakeRequest& r : server.requests())
    if (r.path == "/v1.41/events") out.push_back(r);
  return out;
}

TEST_CASE("events: a broken stream resubscribes with since", "[runtime][events]") {
  FakeDockerServer server;
  FakeResponse stream;  // two events, then the engine ends the stream
  stream.chunks = {Event("start", 1700000000000000001), Event("die", 1700000000123456789)};
  server.On("GET", "/v1.41/events", stream);
  auto docker = std::make_shared<DockerClient>(ConnectTo(server));
  std::mutex mu;
  std::vector<std::string> actions;
  int breaks = 0;
  EventFollowerOptions options;
  options.retry = 50ms;
  options.on_break = [&](const Error&) {
    std::lock_guard lock(mu);
    ++breaks;
  };
  {
    EventFollower follower("lab1", docker, options, [&](const DockerEvent& e) {
      std::lock_guard lock(mu);
      actions.push_back(e.action);
    });
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (EventRequests(server).size() < 2 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(20ms);
  }
  std::vector<FakeRequest> requests = EventRequests(server);
  REQUIRE(requests.size() >= 2);
  CHECK(requests[0].target.find("since=") == std::string::npos);
  CHECK(requests[0].target.find("%22health_status%22") != std::string::npos);
  CHECK(requests[1].target.starts_with("/v1.41/events?since=1700000000.123456789&filters="));
  std::lock_guard lock(mu);
  CHECK(breaks >= 1);
  REQUIRE(actions.size() >= 2);
  CHECK(actions[0] == "start");
  CHECK(actions[1] == "die");
}

TEST_CASE("events: a break before any event resubscribes from when it began listening",
          "[runtime][events]") {
  FakeDockerServer server;
  FakeResponse empty;
  empty.chunks = {"\n"};
  server.On("GET", "/v1.41/events", empty);
  auto docker = std::make_shared<DockerClient>(ConnectTo(server));
  EventFollowerOptions options;
  options.retry = 50ms;
  auto before = std::chrono::system_clock::now();
  {
    EventFollower follower("lab1", docker, options, [](const DockerEvent&) {});
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (EventRequests(server).size() < 2 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(20ms);
  }
  std::vector<FakeRequest> requests = EventRequests(server);
  REQUIRE(requests.size() >= 2);
  std::string target = requests[1].target;
  size_t at = target.find("since=");
  REQUIRE(at != std::string::npos);
  long long seconds = std::stoll(target.substr(at + 6));
  long long began = std::chrono::duration_cast<std::chrono::seconds>(
                        before.time_since_epoch()).count();
  CHECK(seconds >= began);
  CHECK(seconds <= began + 5);
}

TEST_CASE("events: the follower stops promptly on a quiet stream", "[runtime][events]") {
  FakeDockerServer server;
  FakeResponse quiet;
  quiet.chunks = {"\n"};
  quiet.hold_open = true;
  server.On("GET", "/v1.41/events", quiet);
  auto docker = std::make_shared<DockerClient>(ConnectTo(server));
  auto follower = std::make_unique<EventFollower>("lab1", docker, EventFollowerOptions{},
                                                  [](const DockerEvent&) {});
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (EventRequests(server).empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);
  auto start = std::chrono::steady_clock::now();
  follower.reset();
  CHECK(std::chrono::steady_clock::now() - start < 2500ms);
  CHECK(EventRequests(server).size() == 1);
}

}  // namespace
}  // namespace baton::runtime
