// HostsNamed: the hosts `baton hosts check NAME...` works on.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cli/hosts_command.h"

namespace baton::cli {
namespace {

using transport::HostConfig;

std::vector<HostConfig> Lab() {
  std::vector<HostConfig> hosts(3);
  hosts[0].name = "lab1";
  hosts[1].name = "lab2";
  hosts[2].name = "lab3";
  return hosts;
}

std::vector<std::string> Names(const std::vector<HostConfig>& hosts) {
  std::vector<std::string> names;
  for (const HostConfig& host : hosts) names.push_back(host.name);
  return names;
}

TEST_CASE("hosts named: no names means every host", "[cli][hosts]") {
  auto chosen = HostsNamed(Lab(), {});
  REQUIRE(chosen.ok());
  CHECK(Names(*chosen) == std::vector<std::string>{"lab1", "lab2", "lab3"});
}

TEST_CASE("hosts named: the named hosts keep the hosts file's order", "[cli][hosts]") {
  auto chosen = HostsNamed(Lab(), {"lab3", "lab1", "lab3"});
  REQUIRE(chosen.ok());
  CHECK(Names(*chosen) == std::vector<std::string>{"lab1", "lab3"});
}

TEST_CASE("hosts named: an unknown name is an error listing the known ones", "[cli][hosts]") {
  auto chosen = HostsNamed(Lab(), {"lab1", "lab9"});
  REQUIRE_FALSE(chosen.ok());
  CHECK(chosen.error().kind == Error::Kind::kNotFound);
  CHECK(chosen.error().ToString() == "unknown host \"lab9\" (known: lab1, lab2, lab3)");
}

}  // namespace
}  // namespace baton::cli
