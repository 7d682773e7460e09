#pragma once
// Shared by the apply and deploy lock tests: a pool of local hosts, each
// backed by a fake engine; desired states and plans built by hand.

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "docker_server_fake.h"
#include "planner/desired_state.h"
#include "planner/plan.h"
#include "runtime/apply.h"
#include "runtime/host_pool.h"

namespace baton::runtime::testing {

// A pool of hosts named `names[i]` whose engines are `servers[i]`, all connected.
inline HostPool FakePool(
    const std::vector<std::pair<std::string, const FakeDockerServer*>>& hosts) {
  std::vector<transport::HostConfig> configs;
  for (const auto& [name, server] : hosts) {
    transport::HostConfig host;
    host.name = name;
    host.socket = server->socket_path();
    configs.push_back(host);
  }
  transport::SshOptions ssh;
  ssh.connect_timeout = std::chrono::milliseconds(1000);
  HostPool pool = HostPool::Open(configs, ssh, std::chrono::milliseconds(3000));
  for (const HostHandle& host : pool.hosts()) REQUIRE(host.reachable());
  return pool;
}

// The requests `server` received for `method` and a path starting with `prefix`.
inline std::vector<FakeRequest> RequestsTo(const FakeDockerServer& server,
                                           const std::string& method, const std::string& prefix) {
  std::vector<FakeRequest> matching;
  for (const FakeRequest& r : server.requests())
    if (r.method == method && r.path.starts_with(prefix)) matching.push_back(r);
  return matching;
}

// A service of project "shop" running baton/busybox:lab.
inline planner::ServiceSpec ShopService(const std::string& name,
                                        std::map<std::string, compose::DependsOn> depends_on = {}) {
  planner::ServiceSpec spec;
  spec.name = name;
  spec.service.name = name;
  spec.service.image = "baton/busybox:lab";
  spec.service.depends_on = std::move(depends_on);
  spec.spec_hash = "hash-" + name;
  return spec;
}

inline compose::DependsOn Condition(const std::string& condition) {
  compose::DependsOn d;
  d.condition = condition;
  return d;
}

// Project "shop" with `services` (given in name order) and no networks or volumes.
inline planner::DesiredState Shop(std::vector<planner::ServiceSpec> services) {
  planner::DesiredState desired;
  desired.project = "shop";
  desired.services = std::move(services);
  return desired;
}

inline planner::Action Act(planner::ActionKind kind, const std::string& host,
                           const std::string& name, std::vector<size_t> after = {}) {
  planner::Action a;
  a.kind = kind;
  a.host = host;
  a.name = name;
  a.after = std::move(after);
  return a;
}

// A container action on replica `slot` of `service`, named as compose does.
inline planner::Action ActOn(planner::ActionKind kind, const std::string& host,
                             const std::string& service, int slot, std::vector<size_t> after = {}) {
  planner::Action a = Act(kind, host, "shop-" + service + "-" + std::to_string(slot), after);
  a.service = service;
  a.slot = slot;
  return a;
}

inline planner::Assignment Placed(const std::string& service, int slot, const std::string& host) {
  return {service, slot, host, "shop-" + service + "-" + std::to_string(slot)};
}

// An engine that creates every container as `id` and starts it.
inline void CreatesAndStarts(FakeDockerServer& server, const std::string& id) {
  server.On("POST", "/v1.41/containers/create", JsonResponse("{\"Id\":\"" + id + "\"}"));
  FakeResponse started;
  started.status = 204;
  started.reason = "No Content";
  server.On("POST", "/v1.41/containers/" + id + "/start", started);
}

// GET /containers/NAME/json answering with `state` (Docker's State object).
inline void Inspects(FakeDockerServer& server, const std::string& name,
                     const nlohmann::json& state) {
  nlohmann::json info = {{"Id", name + "-id"},
                         {"Name", "/" + name},
                         {"Config", {{"Labels", {{"com.docker.compose.project", "shop"}}}}},
                         {"State", state}};
  server.On("GET", "/v1.41/containers/" + name + "/json", JsonResponse(info.dump()));
}

// Every progress report of an apply, collected from whichever thread.
struct ProgressLog {
  std::mutex mu;
  std::vector<ApplyProgress> seen;
  std::function<void(const ApplyProgress&)> Sink() {
    return [this](const ApplyProgress& p) {
      std::lock_guard<std::mutex> lock(mu);
      seen.push_back(p);
    };
  }
  // The texts reported for action `index`, in order.
  std::vector<std::string> TextsOf(size_t index) {
    std::lock_guard<std::mutex> lock(mu);
    std::vector<std::string> texts;
    for (const ApplyProgress& p : seen)
      if (p.action == index) texts.push_back(p.text);
    return texts;
  }
};

}  // namespace baton::runtime::testing
