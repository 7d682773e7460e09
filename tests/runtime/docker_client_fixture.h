#pragma once
// Shared by the DockerClient tests: a client connected to a fake engine.

#include <catch2/catch.hpp>
#include <utility>

#include "docker_server_fake.h"
#include "runtime/docker_client.h"

namespace baton::runtime::testing {

// Connects to `server` (API 1.41 unless the server says otherwise); fails the test otherwise.
inline DockerClient ConnectTo(const FakeDockerServer& server) {
  Result<DockerClient> client = DockerClient::Connect(server.Options());
  REQUIRE(client.ok());
  return std::move(*client);
}

// The JSON body of the last `method` request to `path`; fails the test if none came.
inline nlohmann::json LastBody(const FakeDockerServer& server, const std::string& method,
                               const std::string& path) {
  std::optional<FakeRequest> request = server.Last(method, path);
  REQUIRE(request);
  return nlohmann::json::parse(request->body);
}

}  // namespace baton::runtime::testing
