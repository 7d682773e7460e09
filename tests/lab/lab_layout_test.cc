#include <catch2/catch.hpp>

#include "cli/lab/lab_layout.h"

namespace baton::cli::lab {
namespace {

TEST_CASE("lab layout: first host's names and addresses", "[lab][layout]") {
  LabHost h = LabLayout("/var/lib/baton-lab").Host(1);
  CHECK(h.name == "lab1");
  CHECK(h.address == "10.209.0.11");
  CHECK(h.zone == "a");
  CHECK(h.net_ns == "batonlab-lab1");
  CHECK(h.net_ns_path() == "/run/netns/batonlab-lab1");
  CHECK(h.docker_bip == "10.209.101.1/24");
  CHECK(h.docker_pool == "10.211.0.0/16");
  CHECK(h.cgroup_parent == "baton-lab-lab1");
  CHECK(h.docker_socket() == "/var/lib/baton-lab/hosts/lab1/run/docker.sock");
}

TEST_CASE("lab layout: zones alternate a, b", "[lab][layout]") {
  LabLayout layout("/d");
  CHECK(layout.Host(2).zone == "b");
  CHECK(layout.Host(3).zone == "a");
}

TEST_CASE("lab layout: every interface name fits the kernel's 15 characters", "[lab][layout]") {
  for (const LabHost& h : LabLayout("/d").Hosts(kMaxHosts)) CHECK(h.veth.size() <= 15);
  CHECK(std::string(kBridge).size() <= 15);
}

TEST_CASE("lab layout: hosts get distinct docker subnets outside the lab subnet",
          "[lab][layout]") {
  std::vector<LabHost> hosts = LabLayout("/d").Hosts(kMaxHosts);
  for (size_t i = 0; i < hosts.size(); ++i) {
    CHECK(hosts[i].docker_bip.rfind("10.209.0.", 0) != 0);
    for (size_t j = i + 1; j < hosts.size(); ++j) {
      CHECK(hosts[i].docker_bip != hosts[j].docker_bip);
      CHECK(hosts[i].docker_pool != hosts[j].docker_pool);
    }
  }
}

TEST_CASE("lab layout: bridge names cannot match the per-host prefix", "[lab][layout]") {
  // down deletes every link starting with kLinkPrefix; the bridge is separate.
  CHECK(std::string(kBridge).rfind(kLinkPrefix, 0) != 0);
}

}  // namespace
}  // namespace baton::cli::lab
