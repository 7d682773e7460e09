#pragma once
// Shared by the apply and deploy lock tests: a pool of local hosts, each
// backed by a fake engine.

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "docker_server_fake.h"
#include "runtime/host_pool.h"

namespace baton::runtime::testing {

// A pool of hosts named `names[i]` whose engines are `servers[i]`, all connected.
inline HostPool FakePool(const std::vector<std::pair<std::string, const FakeDockerServer*>>& hosts) {
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
                                           const std::string& method,
                                           const std::string& prefix) {
  std::vector<FakeRequest> matching;
  for (const FakeRequest& r : server.requests())
    if (r.method == method && r.path.starts_with(prefix)) matching.push_back(r);
  return matching;
}

}  // namespace baton::runtime::testing
