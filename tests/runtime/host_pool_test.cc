#include "runtime/host_pool.h"

#include <catch2/catch.hpp>

#include "docker_server_fake.h"

namespace baton::runtime {
namespace {

using testing::FakeDockerServer;

// A local host whose engine socket is `socket`.
transport::HostConfig LocalHost(const std::string& name, const std::string& socket) {
  transport::HostConfig host;
  host.name = name;
  host.socket = socket;
  return host;
}

transport::SshOptions Quick() {
  transport::SshOptions ssh;
  ssh.connect_timeout = std::chrono::milliseconds(500);
  return ssh;
}

TEST_CASE("host pool: every host is connected, in the order given", "[runtime][host-pool]") {
  FakeDockerServer one, two;
  HostPool pool = HostPool::Open(
      {LocalHost("lab1", one.socket_path()), LocalHost("lab2", two.socket_path())}, Quick());
  REQUIRE(pool.hosts().size() == 2);
  CHECK(pool.hosts()[0].config.name == "lab1");
  CHECK(pool.hosts()[1].config.name == "lab2");
  CHECK(pool.hosts()[0].reachable());
  CHECK(pool.hosts()[1].reachable());
  CHECK(pool.hosts()[1].docker->host() == "lab2");
}

TEST_CASE("host pool: a host without an engine stays in the pool with its error",
          "[runtime][host-pool]") {
  FakeDockerServer one;
  HostPool pool = HostPool::Open(
      {LocalHost("lab1", one.socket_path()), LocalHost("lab2", "/nonexistent/docker.sock")},
      Quick());
  REQUIRE(pool.hosts().size() == 2);
  CHECK(pool.hosts()[0].reachable());
  const HostHandle& down = pool.hosts()[1];
  CHECK_FALSE(down.reachable());
  CHECK(down.connection == nullptr);
  REQUIRE(down.error);
  CHECK(down.error->kind == Error::Kind::kUnreachable);
  CHECK(down.error->where == "host lab2");
}

TEST_CASE("host pool: docker of a reachable host is its client", "[runtime][host-pool]") {
  FakeDockerServer one;
  HostPool pool = HostPool::Open({LocalHost("lab1", one.socket_path())}, Quick());
  Result<DockerClient*> docker = pool.Docker("lab1");
  REQUIRE(docker.ok());
  CHECK(*docker == pool.hosts()[0].docker.get());
  CHECK(pool.Find("lab1") == &pool.hosts()[0]);
}

TEST_CASE("host pool: docker of an unknown host is not found", "[runtime][host-pool]") {
  FakeDockerServer one;
  HostPool pool = HostPool::Open({LocalHost("lab1", one.socket_path())}, Quick());
  CHECK(pool.Find("lab9") == nullptr);
  Result<DockerClient*> docker = pool.Docker("lab9");
  REQUIRE_FALSE(docker.ok());
  CHECK(docker.error().kind == Error::Kind::kNotFound);
  CHECK(docker.error().ToString() == "unknown host \"lab9\"");
}

TEST_CASE("host pool: docker of an unreachable host is its error", "[runtime][host-pool]") {
  HostPool pool = HostPool::Open({LocalHost("lab2", "/nonexistent/docker.sock")}, Quick());
  Result<DockerClient*> docker = pool.Docker("lab2");
  REQUIRE_FALSE(docker.ok());
  CHECK(docker.error().kind == Error::Kind::kUnreachable);
  CHECK(docker.error().ToString() == pool.hosts()[0].error->ToString());
}

TEST_CASE("host pool: an engine older than api 1.41 is kept as unreachable",
          "[runtime][host-pool]") {
  FakeDockerServer old("1.40", "1.12");
  HostPool pool = HostPool::Open({LocalHost("lab1", old.socket_path())}, Quick());
  const HostHandle& host = pool.hosts()[0];
  CHECK_FALSE(host.reachable());
  REQUIRE(host.error);
  CHECK(host.error->kind == Error::Kind::kInvalid);
  Result<DockerClient*> docker = pool.Docker("lab1");
  REQUIRE_FALSE(docker.ok());
  CHECK(docker.error().kind == Error::Kind::kUnreachable);
}

}  // namespace
}  // namespace baton::runtime
