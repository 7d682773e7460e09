#include "runtime/netd/engine_watch.h"

#include <algorithm>
#include <tuple>

#include "base/unix_http.h"

namespace baton::netd {
namespace {

constexpr auto kTimeout = std::chrono::seconds(5);

// {"label":["baton.subnet"]}
constexpr char kNetworksTarget[] = "/networks?filters=%7B%22label%22%3A%5B%22baton.subnet%22%5D%7D";
// all=1&filters={"label":["baton.role=state"]}: the desired-state records.
constexpr char kRecordsTarget[] =
    "/containers/json?all=1&filters=%7B%22label%22%3A%5B%22baton.role%3Dstate%22%5D%7D";
// {"type":["container","network"],"event":[what changes a network's endpoints]}
constexpr char kEventsTarget[] =
    "/events?filters=%7B%22type%22%3A%5B%22container%22%2C%22network%22%5D%2C%22event%22%3A%5B"
    "%22start%22%2C%22die%22%2C%22stop%22%2C%22kill%22%2C%22destroy%22%2C%22rename%22%2C"
    "%22pause%22%2C%22unpause%22%2C%22health_status%22%2C%22create%22%2C%22connect%22%2C"
    "%22disconnect%22%5D%7D";

Result<std::string> Get(const std::string& socket, const std::string& target) {
  auto reply = UnixHttpRequest(socket, "GET", target, "", "", kTimeout);
  if (!reply.ok()) return reply.error().Within("get " + target);
  if (reply->status == 404) return Error::NotFound("engine", "get " + target + ": not found");
  if (reply->status != 200) {
    return Error::Unreachable("engine",
                              "get " + target + ": status " + std::to_string(reply->status));
  }
  return std::move(reply->body);
}

void SortEndpoints(std::vector<dns::Endpoint>& endpoints) {
  std::sort(endpoints.begin(), endpoints.end(), [](const auto& a, const auto& b) {
    return std::tie(a.network, a.container, a.ipv4) < std::tie(b.network, b.container, b.ipv4);
  });
}

Status ReadRecords(const std::string& socket, EngineState& state) {
  auto records_json = Get(socket, kRecordsTarget);
  if (!records_json.ok()) return records_json.error();
  auto records = ReadStateRecords(*records_json);
  if (!records.ok()) return records.error();
  state.records = std::move(*records);
  return Status::Ok();
}

// One container's endpoints and, when it runs a readiness probe, its entry.
Status ReadContainer(const std::string& socket, const std::string& id, EngineState& state) {
  auto inspect = Get(socket, "/containers/" + id + "/json");
  if (!inspect.ok() && inspect.error().kind == Error::Kind::kNotFound) return Status::Ok();
  if (!inspect.ok()) return inspect.error();
  auto endpoints = ParseContainerEndpoints(*inspect, state.networks);
  if (!endpoints.ok()) return endpoints.error();
  state.endpoints.insert(state.endpoints.end(), endpoints->begin(), endpoints->end());
  if (auto probed = ParseProbedContainer(*inspect)) state.probed.push_back(std::move(*probed));
  return Status::Ok();
}

}  // namespace

EngineWatch::EngineWatch(std::string socket_path) : socket_path_(std::move(socket_path)) {}

EngineWatch::~EngineWatch() = default;  // jthread requests stop and joins

void EngineWatch::StartEvents() {
  events_ = std::jthread([this](std::stop_token stop) { FollowEvents(stop); });
}

void EngineWatch::FollowEvents(std::stop_token stop) {
  while (!stop.stop_requested()) {
    // Whatever happened while not following is covered by one re-read.
    Notify();
    auto ended = UnixHttpStreamLines(
        socket_path_, kEventsTarget,
        [this](std::string_view) {
          Notify();
          return true;
        },
        stop);
    (void)ended;  // lost or refused: the 1 s re-read covers it; try again in a second
    std::mutex sleep_mu;
    std::condition_variable_any sleeper;
    std::unique_lock lock(sleep_mu);
    sleeper.wait_for(lock, stop, std::chrono::seconds(1), [] { return false; });
  }
}

void EngineWatch::Notify() {
  std::lock_guard lock(mu_);
  event_ = true;
  changed_.notify_all();
}

bool EngineWatch::WaitForEvent(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  bool came = changed_.wait_for(lock, timeout, [this] { return event_; });
  event_ = false;
  return came;
}

Result<EngineState> EngineWatch::Read() const {
  auto networks_json = Get(socket_path_, kNetworksTarget);
  if (!networks_json.ok()) return networks_json.error();
  auto networks = ParseBatonNetworks(*networks_json);
  if (!networks.ok()) return networks.error();
  EngineState state;
  state.networks = std::move(*networks);
  // Records are announced even without networks: peers fence by them.
  if (Status s = ReadRecords(socket_path_, state); !s.ok()) return s.error();
  if (state.networks.empty()) return state;
  auto list_json = Get(socket_path_, "/containers/json?all=1");
  if (!list_json.ok()) return list_json.error();
  auto ids = ContainersOnNetworks(*list_json, state.networks);
  if (!ids.ok()) return ids.error();
  for (const std::string& id : *ids)
    if (Status s = ReadContainer(socket_path_, id, state); !s.ok()) return s.error();
  SortEndpoints(state.endpoints);
  std::sort(state.probed.begin(), state.probed.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return state;
}

}  // namespace baton::netd
